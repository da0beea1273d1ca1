"""The directory's answers kept until a view they read moves on (web.kept_pages).

A page of members found by a word and a member's counterparts are the same for
every reader (what a reader may see of each person, their e-mail, is decided
when shown: ``web.api.present.member``, ``email_shown``), yet each took 4-7 ms of
CPU on the national community, most of those endpoints' time under load (issue
14). They change only when the views they read move: the directory and the search
index for members; the directory, the library's key areas and the network's
contacts, pairings and workshops for counterparts.

What these return is shared by every request of the process: never change it.
"""

from __future__ import annotations

from typing import Any

from domain.counterparts import DistancePreference, Suggestion
from projections.counterparts import counterparts_for
from web.kept_pages import Memo, kept_reading
from web.services import views

MEMBER_READ = frozenset({"directory"})
MEMBERS_READ = frozenset({"directory", "search"})
COUNTERPARTS_READ = frozenset({"directory", "library", "network"})
# A page of 50 members is ~20 kB: a few hundred searches stay within a few MB.
_members = Memo(keep=256)
# One member's row (~1 kB): the logged-in member's on every request, and the member a
# profile, an answer or a member's counterparts are about.
_member = Memo(keep=4096)
_counterparts = Memo(keep=256)


def member(member_id: str) -> dict[str, Any] | None:
    """``views().directory.member``, kept: asked on every request for the logged-in
    member, and by the member's own pages and answers besides the ones they read."""
    return kept_reading(_member, MEMBER_READ, member_id,
                        lambda: views().directory.member(member_id))


def members(*, role: str | None = None, team_id: str | None = None,
            region: str | None = None, q: str | None = None, limit: int = 50,
            offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """``views().directory.members``, kept."""
    return kept_reading(_members, MEMBERS_READ, (role, team_id, region, q, limit, offset),
                        lambda: views().directory.members(role=role, team_id=team_id,
                                                          region=region, q=q, limit=limit,
                                                          offset=offset))


def counterparts(member_id: str, preference: DistancePreference = DistancePreference.ANY
                 ) -> list[tuple[dict[str, Any], Suggestion]]:
    """``projections.counterparts.counterparts_for``, kept."""
    return kept_reading(_counterparts, COUNTERPARTS_READ, (member_id, preference),
                        lambda: counterparts_for(views(), member_id, preference))
