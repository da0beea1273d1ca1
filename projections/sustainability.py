"""Is the network sustaining itself? Activity per month, before and after the funding end.

Stored as dated facts (one row per activity, one per participant), not as
running totals, so every figure can be computed "as of" any past date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import singledispatchmethod
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Column, Connection, Date, Integer, MetaData, Select, String, Table, func, select

from domain.contact import Contact
from domain.follow_up import FollowUp
from domain.member import Member
from domain.programme import Programme
from domain.qip import Qip
from domain.workshop import Workshop
from projections.view import View, Writer, as_id, month_of

metadata = MetaData()
programme = Table(
    "sustainability_programme", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("funding_ends_on", Date, nullable=False),
)
member_teams = Table(
    "sustainability_member_teams", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("team_id", String(36)),
)
qip_teams = Table(
    "sustainability_qip_teams", metadata,
    Column("qip_id", String(36), primary_key=True),
    Column("team_id", String(36), nullable=False),
)
activities = Table(
    "sustainability_activities", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # the notification id
    Column("kind", String(30), nullable=False),
    Column("happened_on", Date, nullable=False, index=True),
    Column("month", String(7), nullable=False, index=True),
)
participants = Table(
    "sustainability_participants", metadata,
    Column("activity_id", Integer, primary_key=True),
    Column("member_id", String(36), primary_key=True),
    # Work on a QIP is its team's activity, whoever typed it in; other
    # activity counts for the member's own team. Teams are looked up when
    # asked, so recording an activity is only inserts.
    Column("qip_id", String(36)),
    Column("happened_on", Date, nullable=False, index=True),
    Column("month", String(7), nullable=False, index=True),
)

# Activity kinds, in the order the API reports them.
KINDS = {
    "contact": "contacts",
    "workshop": "workshops",
    "qip_shared": "qips_shared",
    "progress_report": "progress_reports",
    "follow_up": "follow_ups",
}


INSERT_PROGRAMME = programme.insert()
INSERT_MEMBER_TEAM = member_teams.insert()
INSERT_QIP_TEAM = qip_teams.insert()
INSERT_ACTIVITY = activities.insert()
INSERT_PARTICIPANT = participants.insert()


class Sustainability(View):
    name = "sustainability"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Programme.Started)
    def programme_started(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_PROGRAMME, {"id": str(event.originator_id), "name": event.name,
                                    "funding_ends_on": event.funding_ends_on})

    @apply.register(Member.Joined)
    def member_joined(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_MEMBER_TEAM, {"member_id": str(event.originator_id),
                                      "team_id": as_id(event.team_id)})

    @apply.register(Contact.Made)
    def contact_made(self, event: Any, w: Writer, n: int) -> None:
        self._record(w, n, "contact", event.made_on, [event.from_member_id, event.to_member_id])

    @apply.register(Workshop.Held)
    @apply.register(Workshop.AttendanceRecorded)  # a planned event, once held
    def workshop_held(self, event: Any, w: Writer, n: int) -> None:
        self._record(w, n, "workshop", event.held_on, event.attendee_ids)

    @apply.register(Qip.Drafted)
    def qip_drafted(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_QIP_TEAM, {"qip_id": str(event.originator_id),
                                   "team_id": str(event.team_id)})

    @apply.register(Qip.Shared)
    def qip_shared(self, event: Any, w: Writer, n: int) -> None:
        # The team shared it; the organiser who accepted it is not its author.
        sharer = getattr(event, "owner_id", None) or event.shared_by
        self._record(w, n, "qip_shared", event.shared_on, [sharer],
                     qip_id=event.originator_id)

    @apply.register(Qip.ProgressRecorded)
    def progress_recorded(self, event: Any, w: Writer, n: int) -> None:
        self._record(w, n, "progress_report", event.recorded_on, [event.recorded_by],
                     qip_id=event.originator_id)

    @apply.register(FollowUp.Requested)
    def follow_up_requested(self, event: Any, w: Writer, n: int) -> None:
        self._record(w, n, "follow_up", event.requested_on, [event.requested_by])

    def _record(self, w: Writer, n: int, kind: str, day: date,
                member_ids: Iterable[UUID], qip_id: UUID | None = None) -> None:
        month = month_of(day)
        w.insert(INSERT_ACTIVITY, {"id": n, "kind": kind, "happened_on": day, "month": month})
        for member_id in sorted({str(m) for m in member_ids}):
            w.insert(INSERT_PARTICIPANT, {"activity_id": n, "member_id": member_id,
                                          "qip_id": as_id(qip_id), "happened_on": day,
                                          "month": month})

    # --- queries -----------------------------------------------------------------

    def report(self, as_of: date | None = None) -> dict[str, Any]:
        """Monthly activity and the totals either side of the funding end."""
        with self.engine.connect() as conn:
            prog = conn.execute(select(programme)).first()
            counts = select(activities.c.month, activities.c.kind, func.count())
            active = with_teams(select(participants.c.month,
                                        func.count(participants.c.member_id.distinct()),
                                        func.count(TEAM_ID.distinct())))
            if as_of is not None:
                counts = counts.where(activities.c.happened_on <= as_of)
                active = active.where(participants.c.happened_on <= as_of)
            by_kind = conn.execute(counts.group_by(activities.c.month, activities.c.kind)).all()
            actives = conn.execute(active.group_by(participants.c.month)).all()
            funding_end = prog.funding_ends_on if prog else None
            before = self._totals(conn, funding_end, before=True, as_of=as_of)
            after = self._totals(conn, funding_end, before=False, as_of=as_of)
        months = _month_rows(by_kind, actives)
        if funding_end is not None:
            # A month counts as "before" when the funding was still running in it.
            last_funded = month_of(funding_end)
            for row in months:
                row["side"] = "before" if row["month"] <= last_funded else "after"
        return {"programme": prog.name if prog else None, "funding_end": funding_end,
                "months": months, "before": before, "after": after}

    def _totals(self, conn: Connection, funding_end: date | None, *, before: bool,
                as_of: date | None) -> dict[str, Any]:
        counts = select(activities.c.kind, func.count()).group_by(activities.c.kind)
        people = with_teams(select(func.count(participants.c.member_id.distinct()),
                                    func.count(TEAM_ID.distinct()),
                                    func.min(participants.c.month),
                                    func.max(participants.c.month)))
        if funding_end is not None:
            a_day, p_day = activities.c.happened_on, participants.c.happened_on
            side_a = a_day <= funding_end if before else a_day > funding_end
            side_p = p_day <= funding_end if before else p_day > funding_end
            counts, people = counts.where(side_a), people.where(side_p)
        if as_of is not None:
            counts = counts.where(activities.c.happened_on <= as_of)
            people = people.where(participants.c.happened_on <= as_of)
        by_kind = dict(conn.execute(counts).tuples().all())
        members, teams, first, last = conn.execute(people).one()
        totals = {label: by_kind.get(kind, 0) for kind, label in KINDS.items()}
        return {**totals, "active_members": members, "active_teams": teams,
                "first_month": first, "last_month": last}


R = TypeVar("R", bound=tuple[Any, ...])  # a query's row
TEAM_ID = func.coalesce(qip_teams.c.team_id, member_teams.c.team_id)


def with_teams(query: Select[R]) -> Select[R]:
    """Join each participant to the team their activity counts for."""
    return (query.select_from(participants)
            .outerjoin(member_teams, member_teams.c.member_id == participants.c.member_id)
            .outerjoin(qip_teams, qip_teams.c.qip_id == participants.c.qip_id))


def _month_rows(by_kind: Sequence[Any], actives: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per calendar month from the first activity to the last, gaps as zeros."""
    seen = {m for m, *_ in by_kind} | {m for m, *_ in actives}
    if not seen:
        return []
    rows = {}
    for month in _months_between(min(seen), max(seen)):
        rows[month] = {"month": month, **dict.fromkeys(KINDS.values(), 0),
                       "active_members": 0, "active_teams": 0}
    for month, kind, count in by_kind:
        rows[month][KINDS[kind]] = count
    for month, members, teams in actives:
        rows[month]["active_members"], rows[month]["active_teams"] = members, teams
    return list(rows.values())


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
