"""The facts items 10–12 of the network-health report read, as known on a date.

Not a view of its own: it joins what the ``network_activity`` view (acts, members,
event attendance), the network view (peer-review pairings) and the outbox (the
organisers' nudges, which the momentum job proposed) already hold.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Engine, or_, select

from domain.network_activity import Act
from domain.network_follow_through import Nudge
from domain.values import QipStatus
from projections.library import qips as library_qips
from projections.network import pairings
from projections.network_activity import acts as health_acts
from projections.network_activity import attendance, known_by
from projections.network_activity import members as health_members
from projections.outbox import outbox_messages
from projections.reading import reading

# The momentum job's keys (domain.momentum): what each nudge is about.
NUDGE_PREFIXES = {"nudge:qip:": "qip", "revisit:qip:": "qip", "revisit:team:": "team"}


def latest_partners(engine: Engine, as_of: date) -> dict[str, str]:
    """Team id → the team it was last paired with for peer review by the date."""
    query = (select(pairings.c.first_team_id, pairings.c.second_team_id)
             .where(pairings.c.paired_on <= as_of)
             .order_by(pairings.c.paired_on, pairings.c.round, pairings.c.id))
    found: dict[str, str] = {}
    with reading(engine) as conn:
        for first, second in conn.execute(query):
            found[first], found[second] = second, first
    return found


def nudges_sent(engine: Engine, as_of: date) -> list[Nudge]:
    """The momentum job's nudges and revisit offers sent by the date."""
    m = outbox_messages.c
    query = (select(m.key, m.sent_on)
             .where(m.sent_on.is_not(None), m.sent_on <= as_of,
                    or_(*(m.key.startswith(p) for p in NUDGE_PREFIXES))))
    found = []
    with reading(engine) as conn:
        for key, sent_on in conn.execute(query):
            prefix = next(p for p in NUDGE_PREFIXES if key.startswith(p))
            found.append(Nudge(NUDGE_PREFIXES[prefix], key[len(prefix):].split(":")[0],
                               sent_on))
    return found


def team_actions(engine: Engine, team_ids: set[str], as_of: date) -> dict[str, list[str]]:
    """Team id → the outbox messages the momentum job proposed for it by the date."""
    m = outbox_messages.c
    query = (select(m.id, m.key).where(m.key.startswith("revisit:team:"),
                                       m.proposed_on <= as_of)
             .order_by(m.proposed_on, m.id))
    found: dict[str, list[str]] = defaultdict(list)
    with reading(engine) as conn:
        for message_id, key in conn.execute(query):
            team = key.removeprefix("revisit:team:").split(":")[0]
            if team in team_ids:
                found[team].append(message_id)
    return dict(found)


def quiet_candidates(engine: Engine, acts: list[Act], as_of: date
                     ) -> dict[tuple[str, str], list[date]]:
    """("team", id) → the days its members acted; ("qip", id) → the days someone
    worked on it, for plans in progress (a finished plan is not quiet)."""
    found: dict[tuple[str, str], list[date]] = defaultdict(list)
    for act in acts:
        if act.team_id is not None:
            found[("team", act.team_id)].append(act.day)
    in_progress = select(library_qips.c.id).where(library_qips.c.status == QipStatus.ACTIVE.value)
    query = (select(health_acts.c.qip_id, health_acts.c.day)
             .where(health_acts.c.qip_id.in_(in_progress), health_acts.c.day <= as_of,
                    known_by(engine, health_acts.c.recorded_on, as_of)))
    with reading(engine) as conn:
        for qip_id, day in conn.execute(query):
            found[("qip", qip_id)].append(day)
    return dict(found)


def joined_and_events(engine: Engine, acts: list[Act], as_of: date
                      ) -> tuple[dict[str, date], dict[str, list[date]]]:
    """Member id → the day they joined; member id → the days they attended an event.

    Joining is the earlier of the day the joining was recorded and the member's first
    act or event: a history loaded after the fact (the demo) records everyone on one
    day, though their activity began years before."""
    with reading(engine) as conn:
        joined = dict(conn.execute(
            select(health_members.c.member_id, health_members.c.recorded_on)
            .where(health_members.c.is_organiser.is_(False),
                   known_by(engine, health_members.c.recorded_on, as_of))).tuples().all())
        came = conn.execute(
            select(attendance.c.member_id, attendance.c.day)
            .where(attendance.c.day <= as_of,
                   known_by(engine, attendance.c.recorded_on, as_of))).tuples().all()
    events: dict[str, list[date]] = defaultdict(list)
    for member, day in came:
        events[member].append(day)
    for act in acts:
        if act.member_id in joined and act.day < joined[act.member_id]:
            joined[act.member_id] = act.day
    for member, days in events.items():
        if member in joined and min(days) < joined[member]:
            joined[member] = min(days)
    return joined, dict(events)
