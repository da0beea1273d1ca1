"""GET /sustainability's activity figures, counted once per log position.

The monthly report (totals either side of the funding end, distinct members and
teams across each span) and the questions' answer times are read from the
sustainability and questions views; counting them took most of the endpoint's
time on the national community (issue 14), yet they change only when a page of
events those views apply reaches them. Each process keeps the last few answers
keyed by the date asked for, today's date and the two views' last changes
(web.kept_pages): such an event, or a replay of either view, and the figures are
counted again, so an answer is never older than the views. (The network-health part keeps its own figures in
``projections.network_health_kept``.)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from web.kept_pages import Memo, kept_reading
from web.services import community, views

READ_FROM = frozenset({"sustainability", "questions"})
_kept = Memo(keep=16)  # answers kept per process: a few "as of" dates the organisers compare


def activity_figures(as_of: date | None) -> dict[str, Any]:
    """The sustainability report as of the date (all of it when None) and, as of the
    same day (today when None), how quickly questions get a first answer."""
    v, today = views(), community().today()

    def count() -> dict[str, Any]:
        return {**v.sustainability.report(as_of=as_of),
                "answer_times": v.questions.answer_times(as_of or today)}

    return kept_reading(_kept, READ_FROM, (as_of, today), count)
