"""Is the network sustaining itself? Activity per month, before and after the funding end.

Stored as dated facts (one row per activity, one per participant), so every
figure can be computed "as of" any past date, and rolled up per calendar month
as each page of events arrives (activities per kind, the members and teams
active), so a report reads a few hundred monthly rows rather than every fact:
at 34,000 events the dashboard took 2.7 s at 16 clients (issue 14). A figure
"as of" a day, or either side of a funding end, reads the roll-ups for the
whole months in between and the facts of its first and last month only: exact
to the day, whatever the day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    func,
    literal,
    select,
    text,
    true,
    union,
)
from sqlalchemy.dialects import postgresql, sqlite

from domain.contact import Contact
from domain.follow_up import FollowUp
from domain.member import Member
from domain.programme import Programme
from domain.qip import Qip
from domain.workshop import Workshop
from projections.reading import reading
from projections.view import View, Writer, as_id, month_of, recall, remember

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
    # The team the activity counts for (the QIP's, else the member's), set once
    # the page is in, from the two tables above (which never change a team).
    Column("team_id", String(36)),
)

# The monthly roll-ups, kept by Sustainability.apply_all after each page.
kind_months = Table(
    "sustainability_kind_months", metadata,
    Column("month", String(7), primary_key=True),
    Column("kind", String(30), primary_key=True),
    Column("count", Integer, nullable=False),
)
member_months = Table(
    "sustainability_member_months", metadata,
    Column("month", String(7), primary_key=True),
    Column("member_id", String(36), primary_key=True),
)
team_months = Table(
    "sustainability_team_months", metadata,
    Column("month", String(7), primary_key=True),
    Column("team_id", String(36), primary_key=True),
)
Index("sustainability_member_months_by_member", member_months.c.member_id, member_months.c.month)
Index("sustainability_team_months_by_team", team_months.c.team_id, team_months.c.month)
# Each team's last activity as of a day, one seek per team (projections.momentum:
# the organisers' home page and the momentum check ask it of every team).
Index("sustainability_participants_by_team", participants.c.team_id, participants.c.happened_on)

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


IN_PAGE: tuple[Any, Any] = (bindparam("first"), bindparam("last"))
# A participant's team: the plan's team for a plan's activity, else the member's.
TEAM_OF_QIP = select(qip_teams.c.team_id).where(qip_teams.c.qip_id == bindparam("q"))
TEAM_OF_MEMBER = select(member_teams.c.team_id).where(member_teams.c.member_id == bindparam("m"))
PAGE_KINDS = (select(activities.c.month, activities.c.kind, func.count())
              .where(activities.c.id.between(*IN_PAGE))
              .group_by(activities.c.month, activities.c.kind))
PAGE_MEMBERS = (select(participants.c.month, participants.c.member_id).distinct()
                .where(participants.c.activity_id.between(*IN_PAGE)))
PAGE_TEAMS = (select(participants.c.month, participants.c.team_id).distinct()
              .where(participants.c.activity_id.between(*IN_PAGE),
                     participants.c.team_id.is_not(None)))


def _roll_ups(dialect: str) -> list[Any]:
    """The statements that add a page's facts to the monthly roll-ups, in the
    dialect's own "insert, or add to the row there" (SQLite and PostgreSQL
    spell it alike), compiled here once: SQLAlchemy 2.0 gives a dialect's insert
    no cache key, so it compiled all three at every page, a third of a command's
    catch-up (1.6 of 4.7 ms, issue 14); their SQL as text is cached like any other."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    named = (postgresql if dialect == "postgresql" else sqlite).dialect(paramstyle="named")
    kinds = insert(kind_months).from_select(["month", "kind", "count"], PAGE_KINDS)
    return [text(str(statement.compile(dialect=named))) for statement in (
        kinds.on_conflict_do_update(index_elements=["month", "kind"],
                                    set_={"count": kind_months.c.count + kinds.excluded.count}),
        insert(member_months).from_select(["month", "member_id"], PAGE_MEMBERS)
        .on_conflict_do_nothing(),
        insert(team_months).from_select(["month", "team_id"], PAGE_TEAMS)
        .on_conflict_do_nothing(),
    )]


ROLL_UPS = {dialect: _roll_ups(dialect) for dialect in ("sqlite", "postgresql")}


class Sustainability(View):
    name = "sustainability"
    metadata = metadata

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._recorded: list[int] = []  # the activities (notification ids) of this page

    def apply_all(self, conn: Connection, page: Iterable[tuple[int, Any]],
                  after: int | None = None) -> None:
        """Apply the page's facts, then add them to the monthly roll-ups in a few
        set-wise statements (activities are keyed by their notification id)."""
        page = list(page)
        # The roll-ups read only this page's activities: a page without any (most of a
        # command's catch-ups, and pages of edits or follows) needs none of them.
        self._recorded = []
        super().apply_all(conn, page, after)
        if not self._recorded:
            return
        bounds = {"first": self._recorded[0], "last": self._recorded[-1]}
        for statement in ROLL_UPS[conn.dialect.name]:
            conn.execute(statement, bounds)

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Programme.Started)
    def programme_started(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_PROGRAMME, {"id": str(event.originator_id), "name": event.name,
                                    "funding_ends_on": event.funding_ends_on})

    @apply.register(Member.Joined)
    def member_joined(self, event: Any, w: Writer, _: int) -> None:
        member_id, team_id = str(event.originator_id), as_id(event.team_id)
        w.insert(INSERT_MEMBER_TEAM, {"member_id": member_id, "team_id": team_id})
        remember(w, "member_teams", member_id, team_id)

    @apply.register(Contact.Made)
    def contact_made(self, event: Any, w: Writer, n: int) -> None:
        self._record(w, n, "contact", event.made_on, [event.from_member_id, event.to_member_id])

    @apply.register(Workshop.Held)
    @apply.register(Workshop.AttendanceRecorded)  # a planned event, once held
    def workshop_held(self, event: Any, w: Writer, n: int) -> None:
        self._record(w, n, "workshop", event.held_on, event.attendee_ids)

    @apply.register(Qip.Drafted)
    def qip_drafted(self, event: Any, w: Writer, _: int) -> None:
        qip_id, team_id = str(event.originator_id), str(event.team_id)
        w.insert(INSERT_QIP_TEAM, {"qip_id": qip_id, "team_id": team_id})
        remember(w, "qip_teams", qip_id, team_id)

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
        self._recorded.append(n)
        w.insert(INSERT_ACTIVITY, {"id": n, "kind": kind, "happened_on": day, "month": month})
        plan = as_id(qip_id)
        plan_team = plan and recall(w, "qip_teams", plan, lambda: w.execute(
            TEAM_OF_QIP, {"q": plan}).scalar())
        for member_id in sorted({str(m) for m in member_ids}):
            w.insert(INSERT_PARTICIPANT, {"activity_id": n, "member_id": member_id,
                                          "qip_id": plan, "happened_on": day, "month": month,
                                          "team_id": plan_team or self._member_team(w, member_id)})

    def _member_team(self, w: Writer, member_id: str) -> str | None:
        """Kept in memory between pages, as the plans' teams are: the participants'
        teams were set by an update per page with two subqueries per participant."""
        found: str | None = recall(w, "member_teams", member_id, lambda: w.execute(
            TEAM_OF_MEMBER, {"m": member_id}).scalar())
        return found

    # --- queries -----------------------------------------------------------------

    def report(self, as_of: date | None = None) -> dict[str, Any]:
        """Monthly activity and the totals either side of the funding end."""
        with reading(self.engine) as conn:
            prog = conn.execute(select(programme)).first()
            by_kind, actives = self._months(conn, as_of)
            funding_end = prog.funding_ends_on if prog else None
            before = self._totals(conn, None, funding_end, as_of=as_of)
            # With no funding end known, either side is all the activity (as before).
            after = self._totals(conn, funding_end, None, as_of=as_of)
        months = _month_rows(by_kind, actives)
        if funding_end is not None:
            # A month counts as "before" when the funding was still running in it.
            last_funded = month_of(funding_end)
            for row in months:
                row["side"] = "before" if row["month"] <= last_funded else "after"
        return {"programme": prog.name if prog else None, "funding_end": funding_end,
                "months": months, "before": before, "after": after}

    def _months(self, conn: Connection, as_of: date | None
                ) -> tuple[list[Any], list[Any]]:
        """(month, kind, count) and (month, members, teams) up to ``as_of``: the
        roll-ups for whole months, the facts for the month ``as_of`` falls in."""
        kinds = select(kind_months.c.month, kind_months.c.kind, kind_months.c.count)
        members = (select(member_months.c.month, func.count())
                   .group_by(member_months.c.month))
        teams = select(team_months.c.month, func.count()).group_by(team_months.c.month)
        if as_of is None:
            by_kind = list(conn.execute(kinds).all())
            member_counts = dict(conn.execute(members).tuples().all())
            team_counts = dict(conn.execute(teams).tuples().all())
        else:
            last = month_of(as_of)
            by_kind = list(conn.execute(kinds.where(kind_months.c.month < last)).all())
            by_kind += conn.execute(
                select(activities.c.month, activities.c.kind, func.count())
                .where(activities.c.month == last, activities.c.happened_on <= as_of)
                .group_by(activities.c.month, activities.c.kind)).all()
            member_counts = dict(conn.execute(members.where(member_months.c.month < last))
                                 .tuples().all())
            team_counts = dict(conn.execute(teams.where(team_months.c.month < last))
                               .tuples().all())
            partial = conn.execute(
                select(func.count(participants.c.member_id.distinct()),
                       func.count(participants.c.team_id.distinct()))
                .where(participants.c.month == last, participants.c.happened_on <= as_of)).one()
            if partial[0]:
                member_counts[last], team_counts[last] = partial[0], partial[1]
        actives = [(month, count, team_counts.get(month, 0))
                   for month, count in member_counts.items()]
        return by_kind, actives

    def _totals(self, conn: Connection, after: date | None, until: date | None, *,
                as_of: date | None) -> dict[str, Any]:
        """The activity after one day (exclusive) up to another (inclusive), each
        open when None, and never past ``as_of``."""
        if as_of is not None and (until is None or as_of < until):
            until = as_of
        totals: dict[str, Any] = dict.fromkeys(KINDS.values(), 0)
        if (after is not None and until is not None and until <= after):
            return {**totals, "active_members": 0, "active_teams": 0,
                    "first_month": None, "last_month": None}
        whole, edges = _span(after, until)
        edge_facts = edges(activities.c.month, activities.c.happened_on)
        by_kind: dict[str, int] = {}
        for kind, count in [
                *conn.execute(select(kind_months.c.kind, func.sum(kind_months.c.count))
                              .where(whole(kind_months.c.month))
                              .group_by(kind_months.c.kind)).tuples(),
                *conn.execute(select(activities.c.kind, func.count()).where(edge_facts)
                              .group_by(activities.c.kind)).tuples()]:
            by_kind[kind] = by_kind.get(kind, 0) + int(count or 0)
        totals.update({label: by_kind.get(kind, 0) for kind, label in KINDS.items()})
        edge_people = edges(participants.c.month, participants.c.happened_on)
        # Distinct members and teams across the span: whole months' ids and the
        # edge months' facts together (UNION drops the repeats).
        members = conn.scalar(select(func.count()).select_from(union(
            select(member_months.c.member_id).where(whole(member_months.c.month)),
            select(participants.c.member_id).where(edge_people)).subquery()))
        active_teams = conn.scalar(select(func.count()).select_from(union(
            select(team_months.c.team_id).where(whole(team_months.c.month)),
            select(participants.c.team_id).where(edge_people,
                                                  participants.c.team_id.is_not(None))
        ).subquery()))
        # min and max apart: SQLite answers each from the index's end alone.
        months = [m for query in (
            select(func.min(member_months.c.month)).where(whole(member_months.c.month)),
            select(func.max(member_months.c.month)).where(whole(member_months.c.month)),
            select(func.min(participants.c.month)).where(edge_people),
            select(func.max(participants.c.month)).where(edge_people))
            if (m := conn.scalar(query)) is not None]
        first, last = (min(months), max(months)) if months else (None, None)
        return {**totals, "active_members": members, "active_teams": active_teams,
                "first_month": first, "last_month": last}


Condition = Callable[..., ColumnElement[bool]]


def _span(after: date | None, until: date | None) -> tuple[Condition, Condition]:
    """For the days after ``after`` up to ``until``: a condition on a roll-up's
    month for the whole months between them, and one on a fact's (month, day)
    for the days in the first and last months, where the span may start or end
    part way through."""
    first = month_of(after) if after is not None else None
    last = month_of(until) if until is not None else None

    def whole(month: Any) -> ColumnElement[bool]:
        bounds = [*([month > first] if first is not None else []),
                  *([month < last] if last is not None else [])]
        return and_(*bounds) if bounds else true()

    def edges(month: Any, day: Any) -> ColumnElement[bool]:
        ends = [m for m in (first, last) if m is not None]
        if not ends:
            return literal(False)
        found: ColumnElement[bool] = month.in_(ends)
        if after is not None:
            found = and_(found, day > after)
        if until is not None:
            found = and_(found, day <= until)
        return found

    return whole, edges


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
