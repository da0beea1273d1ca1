"""Gathers what the counterpart ranking needs from the views, and asks it.

The ranking itself is a pure function in ``domain.counterparts``; this module
only reads: every member who agreed to be contacted, each team's latest audit
and the key areas of its shared plans, and what the seeker already shares
with others (contacts, workshops, peer-review pairing).
"""

from __future__ import annotations

from threading import Lock
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from domain.counterparts import (
    DistancePreference,
    Indicator,
    Person,
    Pool,
    Suggestion,
    TeamProfile,
    rank_answerers,
    rank_counterparts,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from projections.runner import Views

Network = tuple[dict[str, TeamProfile], list[Indicator], Pool]

# The network as the ranking reads it, kept per database with the positions of
# the last changes to the directory and to the teams' shared key areas: reading
# and building 3,000 people took four fifths of every ranking (issue 14), yet
# they change only when someone joins, edits a profile, an audit is recorded or
# a plan is shared. A contact or a value recorded keeps it.
_kept: WeakKeyDictionary[Engine, tuple[tuple[int, int, int], Network]] = WeakKeyDictionary()
_keeping = Lock()


def _person(row: dict[str, Any]) -> Person:
    return Person(id=row["id"], name=row["name"], role=row["role"], team_id=row["team_id"],
                  expertise=frozenset(row["expertise"]))


def counterparts_for(views: Views, member_id: str,
                     preference: DistancePreference = DistancePreference.ANY,
                     limit: int = 20) -> list[tuple[dict[str, Any], Suggestion]]:
    """Ranked suggestions for a member, each with the directory row of the person."""
    me = views.directory.member(member_id)
    if me is None or me["team_id"] is None:
        return []
    teams, indicators, candidates = _network(views)
    history = views.network.history_of(member_id, me["team_id"])
    ranked = rank_counterparts(_person(me), candidates, teams, indicators, history,
                               preference, limit)
    rows = views.directory.members_by_id([s.person.id for s in ranked])
    return [(rows[s.person.id], s) for s in ranked if s.person.id in rows]


def _network(views: Views) -> Network:
    """Every team's profile, the indicators, and the members who may be suggested:
    as kept, unless the directory or the shared key areas changed since."""
    # Read the positions first: a change landing while the network is read then
    # leaves it newer than its positions say, and the next request reads it again.
    _, changed, rebuilt = views.changes()["directory"]
    at = (changed, rebuilt, views.library.key_areas_changed_at())
    kept = _kept.get(views.engine)
    if kept is not None and kept[0] == at:
        return kept[1]
    network = _read_network(views)
    with _keeping:
        _kept[views.engine] = (at, network)
    return network


def _read_network(views: Views) -> Network:
    key_areas = views.library.key_areas_by_team()
    teams = {t["id"]: TeamProfile(id=t["id"], name=t["name"], region=t["region"],
                                  latitude=t["latitude"], longitude=t["longitude"],
                                  results=t["latest_audit"],
                                  key_areas=frozenset(key_areas.get(t["id"], ())))
             for t in views.directory.teams()}
    indicators = [Indicator(key=i["key"], name=i["name"], national=i["national"],
                            standard=i["standard"]) for i in views.directory.indicators()]
    # Grouped by team and role once, so that each ranking scores only the groups
    # that can still reach its shown places (domain.counterparts.Pool).
    candidates = Pool.of(Person(id=i, name=n, role=r, team_id=t, expertise=frozenset(e))
                         for i, n, r, t, e in views.directory.contactable_members())
    return teams, indicators, candidates


def answerers_for(views: Views, asker_id: str, *, key_areas: set[str], tags: set[str],
                  leave_out: frozenset[str] | set[str] = frozenset(),
                  limit: int = 5) -> list[dict[str, Any]]:
    """Up to ``limit`` members who could answer a question with these key areas and
    tags, best first: their directory rows, each with ``reasons`` in plain words."""
    asker = views.directory.member(asker_id)
    if asker is None:
        return []
    teams, indicators, candidates = _network(views)
    ranked = rank_answerers(_person({**asker, "team_id": asker["team_id"] or ""}),
                            frozenset(key_areas), frozenset(tags), candidates, teams, indicators,
                            leave_out=frozenset(leave_out), limit=limit)
    rows = views.directory.members_by_id([s.person.id for s in ranked])
    return [{**rows[s.person.id], "reasons": list(s.reasons)}
            for s in ranked if s.person.id in rows]


def shared_key_areas(views: Views, team_id: str | None) -> frozenset[str]:
    """The key areas a team has shared plans in, from the network as kept (reading
    every team's to pick one took a tenth of a member's home page, issue 14)."""
    team = _network(views)[0].get(team_id or "")
    return team.key_areas if team else frozenset()
