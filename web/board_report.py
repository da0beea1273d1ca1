"""The one-page board report (``/sustainability/health/report``): the network-health
headline figures, the organic-activity chart and each verdict, for a date and period,
laid out to print on one sheet of A4 (web/static/board-report.css).

Everything is read from the same kept ``HealthReport`` as the organisers' page
(``web.network_health``), so the printed figures are the page's figures. No PDF: the
browser's "Print" (or "Save as PDF") is enough, and no PDF library is installed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, url_for

from projections.network_health import PERIODS
from web.auth import organiser_required
from web.network_health import choices, kept_chart, kept_for, kept_names

board_report = Blueprint("board_report", __name__)


@board_report.get("/sustainability/health/report")
@organiser_required
def report() -> Any:
    as_of, period, problems = choices()
    if problems:
        abort(400, next(iter(problems.values())))
    kept = kept_for(as_of, period)
    found = kept.value
    people, teams = kept_names(kept)
    overall = next((r for r in found.responsiveness if r.kind == "all"), None)
    return render_template(
        "network_health/report.html", report=found, kept=kept, chart=kept_chart(kept),
        people=people, teams=teams, period_words=PERIODS[period], overall=overall,
        page_url=url_for("network_health.page", as_of=as_of.isoformat(), period=period))
