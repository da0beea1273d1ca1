"""A page of the QIP library kept until the views it reads move on (web.kept_pages).

The library's filters ("improved", a key area, a word) counted and read a page of
plans with their measures for every request: 3-5 ms of CPU on the national
community, most of those endpoints' time under load (issue 14). A page depends on
what was asked, on what the reader may see (their team's plans not yet shared; the
organisers, every plan) and on the library and the search index, so it is kept
by all of them. What this returns is shared by every request: never change it.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from web.kept_pages import Memo, kept_reading
from web.services import views

READS = frozenset({"library", "search"})
_pages = Memo(keep=256)  # a page of 50 plans is ~40 kB


def qips(*, key_area: str | None = None, team_id: str | None = None,
         status: str | None = None, region: str | None = None, obstacle: str | None = None,
         outcome: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0
         ) -> tuple[list[dict[str, Any]], int]:
    """``views().library.qips`` as the logged-in member may see it, kept."""
    viewer = (current_user.team_id, current_user.is_organiser)
    if team_id and not viewer[1] and viewer[0] not in _teams_seeing_more(team_id):
        # One team's plans, as every team but a few sees them: kept once for all of
        # those, not once per reader's team (a team page's first ask, issue 14).
        viewer = (None, False)
    asked = (key_area, team_id, status, region, obstacle, outcome, q, limit, offset)
    return kept_reading(_pages, READS, (asked, viewer), lambda: views().library.qips(
        viewer_team_id=viewer[0], organiser=viewer[1], key_area=key_area, team_id=team_id,
        status=status, region=region, obstacle=obstacle, outcome=outcome, q=q, limit=limit,
        offset=offset))


def _teams_seeing_more(team_id: str) -> frozenset[str]:
    """``views().library.teams_seeing_more_of_team``, kept."""
    return kept_reading(_pages, READS, ("teams seeing more of", team_id),
                        lambda: views().library.teams_seeing_more_of_team(team_id))
