"""What a member's home page needs to know, read from the views' tables.

Not a view of its own (like ``projections.momentum``): it records nothing,
it joins what the library, self-assessment and sustainability views hold, a
few small queries per page and no replay.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from domain.values import KeyArea, QipStatus
from projections.library import measures, progress, qips
from projections.reading import reading, rows_of
from projections.self_assessments import answers
from projections.sustainability import participants

# "A value is due": an active QIP has a measure with no value for over five weeks
# (monthly measures, with a week's grace). "Self-assessment due": no one in the
# team has scored the active QIP on the Sustainability Model for 90 days.
VALUE_DUE_AFTER = timedelta(weeks=5)
ASSESSMENT_DUE_AFTER = timedelta(days=90)
# A store whose latest activity is older than this is a demo or an archive:
# "due" and "upcoming" are judged as of that activity, not the calendar.
ARCHIVED_AFTER = timedelta(days=365)
OPEN = (QipStatus.DRAFT.value, QipStatus.SUBMITTED.value, QipStatus.CHANGES_REQUESTED.value,
        QipStatus.ACTIVE.value)


# Built once: the home pages and every list of questions ask it (issue 14).
LAST_ACTIVITY = select(func.max(participants.c.happened_on))


def community_today(engine: Engine, today: date) -> date:
    """The day the home pages judge by: today, unless nothing has happened for a year."""
    with reading(engine) as conn:
        last = conn.scalar(LAST_ACTIVITY)
    if last is not None and last < today - ARCHIVED_AFTER:
        return last
    return today


def team_plans(engine: Engine, team_id: str, as_of: date) -> list[dict[str, Any]]:
    """The team's plans in progress, each with what it needs next in words."""
    query = (select(qips.c.id, qips.c.title, qips.c.status, qips.c.shared_on, qips.c.key_area)
             .where(qips.c.team_id == team_id, qips.c.status.in_(OPEN))
             .order_by(qips.c.title, qips.c.id))
    with reading(engine) as conn:
        found = rows_of(conn.execute(query))
        ids = [r["id"] for r in found]
        last_values = conn.execute(
            select(measures.c.qip_id, measures.c.name, func.max(progress.c.recorded_on))
            .outerjoin(progress, (progress.c.qip_id == measures.c.qip_id)
                       & (progress.c.measure == measures.c.name)
                       & (progress.c.recorded_on <= as_of))
            .where(measures.c.qip_id.in_(ids))
            .group_by(measures.c.qip_id, measures.c.name, measures.c.position)
            .order_by(measures.c.qip_id, measures.c.position)).all()
        assessed = dict(conn.execute(
            select(answers.c.qip_id, func.max(answers.c.assessed_on))
            .where(answers.c.qip_id.in_(ids), answers.c.assessed_on <= as_of)
            .group_by(answers.c.qip_id)).tuples().all())
    by_qip: dict[str, list[tuple[str, date | None]]] = {}
    for qip_id, name, last in last_values:
        by_qip.setdefault(qip_id, []).append((name, last))
    for plan in found:
        plan["next"] = next_step(plan, by_qip.get(plan["id"], []), assessed.get(plan["id"]),
                                 as_of)
    return found


def next_step(plan: dict[str, Any], last_values: list[tuple[str, date | None]],
              last_assessed: date | None, as_of: date) -> list[str]:
    """What the team should do next with a plan, in words; empty when nothing is due."""
    status = plan["status"]
    if status == QipStatus.DRAFT.value:
        return ["Finish the plan and submit it for review"]
    if status == QipStatus.SUBMITTED.value:
        return ["Waiting for the organisers' review"]
    if status == QipStatus.CHANGES_REQUESTED.value:
        return ["Changes requested: see the comments"]
    steps = []
    since = plan["shared_on"] or as_of
    due = [name for name, last in last_values if (last or since) < as_of - VALUE_DUE_AFTER]
    if due:
        steps.append(f"A value is due for {', '.join(due)}")
    if (last_assessed or since) < as_of - ASSESSMENT_DUE_AFTER:
        steps.append("Self-assessment due")
    return steps


def key_areas_of(engine: Engine, team_id: str | None, expertise: list[str]) -> set[str]:
    """The key areas a member works in: their team's plans', and those their expertise names."""
    found = set()
    if team_id:
        with reading(engine) as conn:
            found = set(conn.scalars(select(qips.c.key_area).where(qips.c.team_id == team_id)
                                     .distinct()))
    for area in KeyArea:
        words = {area.label.lower(), area.value.replace("_", " ")}
        if any(w in tag.lower() or tag.lower() in w for tag in expertise for w in words):
            found.add(area.value)
    return found


def new_in_areas(engine: Engine, areas: set[str], team_id: str | None, as_of: date,
                 limit: int = 5) -> list[dict[str, Any]]:
    """The plans other teams shared last in these key areas, newest first."""
    if not areas:
        return []
    query = (select(qips.c.id, qips.c.title, qips.c.key_area, qips.c.shared_on, qips.c.team_id)
             .where(qips.c.key_area.in_(areas), qips.c.shared_on.is_not(None),
                    qips.c.shared_on <= as_of)
             .order_by(qips.c.shared_on.desc(), qips.c.title).limit(limit))
    if team_id:
        query = query.where(qips.c.team_id != team_id)
    with reading(engine) as conn:
        return rows_of(conn.execute(query))
