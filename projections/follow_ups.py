"""Follow-up requests: who asked whom for what, and how quickly they were answered."""

from __future__ import annotations

from datetime import date
from functools import singledispatchmethod
from statistics import median
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)

from domain.follow_up import FollowUp
from domain.values import FollowUpKind, FollowUpStatus
from projections.paging import total_of
from projections.reading import reading, rows_of
from projections.view import View, Writer, as_id

metadata = MetaData()
follow_ups = Table(
    "follow_ups", metadata,
    Column("id", String(36), primary_key=True),
    Column("requested_by", String(36), nullable=False, index=True),
    Column("team_id", String(36), index=True),
    Column("member_id", String(36), index=True),
    Column("to_organisers", Boolean, nullable=False),
    Column("about_member_id", String(36)),
    Column("kind", String(30), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("requested_on", Date, nullable=False),
    Column("first_answered_on", Date),
    Column("answer_count", Integer, nullable=False),
    Column("closed_on", Date),
    Column("proposed_date", Date),
    Column("accepted_on", Date),
    Column("declined_on", Date),
    Column("decline_reason", Text),
    Column("last_message", Text),
    Column("answered_by", String(36)),
)


INSERT = follow_ups.insert()
OVER = (FollowUpStatus.CLOSED.value, FollowUpStatus.DECLINED.value)
WAITING_FOR_ORGANISERS = and_(follow_ups.c.to_organisers.is_(True),
                              follow_ups.c.answer_count == 0,
                              follow_ups.c.status == FollowUpStatus.REQUESTED.value)
# Any answer (a reply, a yes or a no) counts towards the time to first response.
ANY_ANSWER = {
    "version": bindparam("v"), "answer_count": follow_ups.c.answer_count + 1,
    "answered_by": bindparam("by"), "last_message": bindparam("message"),
    # First means earliest date answered, not first typed in.
    "first_answered_on": case(
        (or_(follow_ups.c.first_answered_on.is_(None),
             follow_ups.c.first_answered_on > bindparam("on")), bindparam("on")),
        else_=follow_ups.c.first_answered_on)}
ANSWERED = update(follow_ups).where(follow_ups.c.id == bindparam("f")).values(
    # A plain reply after a yes leaves it accepted.
    status=case((follow_ups.c.status == FollowUpStatus.REQUESTED.value,
                 FollowUpStatus.ANSWERED.value), else_=follow_ups.c.status), **ANY_ANSWER)
ACCEPTED = update(follow_ups).where(follow_ups.c.id == bindparam("f")).values(
    status=FollowUpStatus.ACCEPTED.value, proposed_date=bindparam("proposed"),
    accepted_on=bindparam("on"), **ANY_ANSWER)
DECLINED = update(follow_ups).where(follow_ups.c.id == bindparam("f")).values(
    status=FollowUpStatus.DECLINED.value, decline_reason=bindparam("message"),
    declined_on=bindparam("on"), **ANY_ANSWER)
CLOSED = update(follow_ups).where(follow_ups.c.id == bindparam("f")).values(
    status=FollowUpStatus.CLOSED.value, version=bindparam("v"), closed_on=bindparam("on"))


class FollowUps(View):
    name = "follow_ups"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(FollowUp.Requested)
    def requested(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT, {
            "id": str(event.originator_id), "requested_by": str(event.requested_by),
            "team_id": as_id(event.team_id), "member_id": as_id(event.member_id),
            "to_organisers": event.to_organisers, "kind": event.kind.value,
            "about_member_id": as_id(event.about_member_id),
            "reason": event.reason, "status": FollowUpStatus.REQUESTED.value,
            "version": event.originator_version, "requested_on": event.requested_on,
            "first_answered_on": None, "answer_count": 0, "closed_on": None,
            "proposed_date": None, "accepted_on": None, "declined_on": None,
            "decline_reason": None, "last_message": None, "answered_by": None})

    @apply.register(FollowUp.Answered)
    def answered(self, event: Any, w: Writer, _: int) -> None:
        w.execute(ANSWERED, {"f": str(event.originator_id), "v": event.originator_version,
                             "on": event.answered_on, "by": as_id(event.answered_by),
                             "message": event.message})

    @apply.register(FollowUp.Accepted)
    def accepted(self, event: Any, w: Writer, _: int) -> None:
        w.execute(ACCEPTED, {"f": str(event.originator_id), "v": event.originator_version,
                             "on": event.answered_on, "by": as_id(event.accepted_by),
                             "message": event.message, "proposed": event.proposed_date})

    @apply.register(FollowUp.Declined)
    def declined(self, event: Any, w: Writer, _: int) -> None:
        w.execute(DECLINED, {"f": str(event.originator_id), "v": event.originator_version,
                             "on": event.answered_on, "by": as_id(event.declined_by),
                             "message": event.reason})

    @apply.register(FollowUp.Closed)
    def closed(self, event: Any, w: Writer, _: int) -> None:
        w.execute(CLOSED, {"f": str(event.originator_id), "v": event.originator_version,
                           "on": event.closed_on})

    # --- queries -----------------------------------------------------------------

    def for_member(self, member_id: str, team_id: str | None, *, everything: bool = False,
                   limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Requests a member made or that ask them or their team; organisers see all."""
        query = select(follow_ups)
        if not everything:
            mine = [follow_ups.c.requested_by == member_id, follow_ups.c.member_id == member_id]
            if team_id:
                mine.append(follow_ups.c.team_id == team_id)
            query = query.where(or_(*mine))
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(follow_ups.c.requested_on.desc(), follow_ups.c.id)
                                .limit(limit).offset(offset)).all()
            total = total_of(rows, limit, offset, lambda: conn.scalar(
                select(func.count()).select_from(query.subquery())))
        return [dict(r._mapping) for r in rows], total

    def unanswered(self, as_of: date | None = None) -> int:
        """Requests with no answer yet (or none by ``as_of``) that are not closed."""
        if as_of is None:
            waiting = and_(follow_ups.c.answer_count == 0,
                           follow_ups.c.status != FollowUpStatus.CLOSED.value)
        else:
            waiting = and_(follow_ups.c.requested_on <= as_of,
                           or_(follow_ups.c.first_answered_on.is_(None),
                               follow_ups.c.first_answered_on > as_of),
                           or_(follow_ups.c.closed_on.is_(None), follow_ups.c.closed_on > as_of))
        with reading(self.engine) as conn:
            return int(conn.scalar(select(func.count()).select_from(follow_ups)
                                   .where(waiting)) or 0)

    def open_introductions(self) -> list[dict[str, Any]]:
        """Introductions members asked the organisers for, oldest first: those that
        name a person and those that only say what they need ("a team doing well
        where we struggle"). Both wait in the organisers' one queue."""
        return self.waiting_for_organisers(kind=FollowUpKind.INTRODUCTION.value)

    def waiting_for_organisers(self, kind: str | None = None,
                               limit: int | None = None) -> list[dict[str, Any]]:
        """Requests to the organisers with no answer yet, oldest first: the same
        rule as the follow-ups inbox's "waiting", so every page counts alike."""
        query = select(follow_ups).where(WAITING_FOR_ORGANISERS)
        if kind:
            query = query.where(follow_ups.c.kind == kind)
        query = query.order_by(follow_ups.c.requested_on, follow_ups.c.id).limit(limit)
        with reading(self.engine) as conn:
            return rows_of(conn.execute(query))

    def one(self, follow_up_id: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(follow_ups).where(follow_ups.c.id == follow_up_id)).first()
        return dict(row._mapping) if row else None

    def asked_of(self, member_id: str, team_id: str | None, *,
                 organiser: bool = False) -> list[dict[str, Any]]:
        """Requests that ask this member, their team or (for organisers) the
        organisers; open ones first, then newest first."""
        asked = [follow_ups.c.member_id == member_id]
        if team_id:
            asked.append(follow_ups.c.team_id == team_id)
        if organiser:
            asked.append(follow_ups.c.to_organisers.is_(True))
        return self._inbox(and_(or_(*asked), follow_ups.c.requested_by != member_id))

    def requested_by(self, member_id: str) -> list[dict[str, Any]]:
        return self._inbox(follow_ups.c.requested_by == member_id)

    def _inbox(self, where: Any, limit: int = 500) -> list[dict[str, Any]]:
        over = case((follow_ups.c.status.in_(OVER), 1), else_=0)
        query = (select(follow_ups).where(where)
                 .order_by(over, follow_ups.c.requested_on.desc(), follow_ups.c.id).limit(limit))
        with reading(self.engine) as conn:
            return rows_of(conn.execute(query))

    def response_times(self, today: date, kind: str | None = None) -> dict[str, Any]:
        """For organisers: each request's days to its first response, their median,
        and the requests still waiting (oldest first, with their age in days)."""
        query = select(follow_ups).order_by(follow_ups.c.requested_on, follow_ups.c.id)
        if kind:
            query = query.where(follow_ups.c.kind == kind)
        with reading(self.engine) as conn:
            rows = rows_of(conn.execute(query))
        answered, waiting = [], []
        for row in rows:
            if row["first_answered_on"] is not None:
                row["days_to_first_response"] = (row["first_answered_on"] - row["requested_on"]).days
                answered.append(row)
            elif row["status"] not in OVER:
                row["age_days"] = (today - row["requested_on"]).days
                waiting.append(row)
        days = [r["days_to_first_response"] for r in answered]
        return {"answered": answered, "unanswered": waiting,
                "median_days": median(days) if days else None, "requests": len(rows)}
