"""The live network map for a date and level, computed once per log position and kept.

Reads the ``network_activity`` view's acts, ties and members as known on the date and
the directory's names and regions, and hands them to ``domain.network_map``. Like
``projections.network_health.kept_report``, the result depends only on the view's
position, the date and the level, so it is kept in ``network_health_kept`` and a page
or API call asked again before anything new is recorded does not compute betweenness
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from domain.network_activity import LAPSE_DAYS
from domain.network_map import NetworkMap, network_map
from domain.network_map_layout import layout
from projections.network_activity import acts_between, members_as_of, ties_between
from projections.network_health import directory_facts
from projections.network_health_kept import Kept, kept_value, register


@dataclass(frozen=True)
class LaidOutMap:
    """A map as kept: at team level with each team's place in the picture, worked out
    when it is counted (the slow part of drawing it)."""
    found: NetworkMap
    spots: tuple[tuple[str, float, float], ...]   # (node id, x, y); none for members


def live_map(engine: Engine, as_of: date, level: str = "team", *,
             in_background: bool = True) -> Kept:
    """The map of the live network on ``as_of``, as kept in ``network_health_kept``:
    counted once per log position, date and level (see ``kept_report``). Its value is
    a ``LaidOutMap``."""
    return kept_value(engine, "map", as_of, level, in_background=in_background)


def compute_map(engine: Engine, as_of: date, level: str = "team") -> NetworkMap:
    # Only what the live network and the activity sizes look at: the last LAPSE_DAYS.
    since = as_of - timedelta(days=LAPSE_DAYS)
    members = members_as_of(engine, as_of)
    facts = directory_facts(engine)
    return network_map(
        ties_between(engine, as_of, since), acts_between(engine, as_of, since), as_of, level,
        {m.member_id: m.team_id for m in members},
        [m.member_id for m in members if m.is_organiser],
        facts.team_names | facts.member_names, facts.region_of)


def _count_map(engine: Engine, as_of: date, level: str) -> LaidOutMap:
    found = compute_map(engine, as_of, level)
    spots = layout(found) if level == "team" else {}
    return LaidOutMap(found, tuple((n, x, y) for n, (x, y) in sorted(spots.items())))


register("map", _count_map)
