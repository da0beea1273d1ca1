"""The live network map for a date and level, computed once per log position and kept.

Reads the ``network_activity`` view's acts, ties and members as known on the date and
the directory's names and regions, and hands them to ``domain.network_map``. Like
``projections.network_health.health_report``, the result depends only on the view's
position, the date and the level, so a page or API call asked again before anything
new is recorded does not compute betweenness again.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import Engine, select

from domain.network_activity import LAPSE_DAYS
from domain.network_map import NetworkMap, network_map
from projections.network_activity import acts_between, members_as_of, ties_between
from projections.network_health import directory_facts
from projections.runner import positions


def live_map(engine: Engine, as_of: date, level: str = "team") -> NetworkMap:
    """The map of the live network on ``as_of``, kept per log position, date and level."""
    with engine.connect() as conn:
        position = conn.scalar(select(positions.c.position)
                               .where(positions.c.view == "network_activity"))
    return _kept(engine, position, as_of, level)


@lru_cache(maxsize=32)
def _kept(engine: Engine, position: int | None, as_of: date, level: str) -> NetworkMap:
    # ``position`` is only part of the key: a new record means a new map.
    return compute_map(engine, as_of, level)


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
