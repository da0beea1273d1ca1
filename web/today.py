"""The day the pages judge by: today, unless nothing has happened for a year (a demo or
an archive), then the latest activity (``projections.home.community_today``).

The home pages, the questions, the health figures and the sustainability API ask for
it, each a statement of its own. It changes only with the activity, which the
sustainability view keeps, so it is kept per process until that view changes.
"""

from __future__ import annotations

from datetime import date

from projections.home import community_today
from projections.sustainability import Sustainability
from web.kept_pages import Memo, kept_reading
from web.services import community, views

_DAYS = Memo(keep=8)
_ACTIVITY = frozenset({Sustainability.name})


def community_day() -> date:
    today = community().today()
    return kept_reading(_DAYS, _ACTIVITY, today, lambda: community_today(views().engine, today))
