"""Follow-up requests: who asked whom for what, and how quickly they were answered."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from sqlalchemy import (Boolean, Column, Connection, Date, Integer, MetaData, String, Table,
                        Text, and_, func, or_, select, update)

from domain.follow_up import FollowUp
from domain.values import FollowUpStatus
from projections.view import View, as_id

metadata = MetaData()
follow_ups = Table(
    "follow_ups", metadata,
    Column("id", String(36), primary_key=True),
    Column("requested_by", String(36), nullable=False, index=True),
    Column("team_id", String(36), index=True),
    Column("member_id", String(36), index=True),
    Column("to_organisers", Boolean, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("requested_on", Date, nullable=False),
    Column("first_answered_on", Date),
    Column("answer_count", Integer, nullable=False),
    Column("closed_on", Date),
)


class FollowUps(View):
    name = "follow_ups"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, conn: Connection, notification_id: int) -> None:
        pass

    @apply.register(FollowUp.Requested)
    def requested(self, event: Any, conn: Connection, _: int) -> None:
        conn.execute(follow_ups.insert().values(
            id=str(event.originator_id), requested_by=str(event.requested_by),
            team_id=as_id(event.team_id), member_id=as_id(event.member_id),
            to_organisers=event.to_organisers, kind=event.kind.value, reason=event.reason,
            status=FollowUpStatus.REQUESTED.value, version=event.originator_version,
            requested_on=event.requested_on, answer_count=0))

    @apply.register(FollowUp.Answered)
    def answered(self, event: Any, conn: Connection, _: int) -> None:
        conn.execute(update(follow_ups).where(follow_ups.c.id == str(event.originator_id)).values(
            status=FollowUpStatus.ANSWERED.value, version=event.originator_version,
            answer_count=follow_ups.c.answer_count + 1,
            first_answered_on=func.coalesce(follow_ups.c.first_answered_on, event.answered_on)))

    @apply.register(FollowUp.Closed)
    def closed(self, event: Any, conn: Connection, _: int) -> None:
        conn.execute(update(follow_ups).where(follow_ups.c.id == str(event.originator_id)).values(
            status=FollowUpStatus.CLOSED.value, version=event.originator_version,
            closed_on=event.closed_on))

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
        with self.engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(query.subquery()))
            rows = conn.execute(query.order_by(follow_ups.c.requested_on.desc(), follow_ups.c.id)
                                .limit(limit).offset(offset)).all()
        return [dict(r._mapping) for r in rows], int(total or 0)

    def unanswered(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(follow_ups).where(
                and_(follow_ups.c.answer_count == 0,
                     follow_ups.c.status != FollowUpStatus.CLOSED.value))) or 0)

    def one(self, follow_up_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(follow_ups).where(follow_ups.c.id == follow_up_id)).first()
        return dict(row._mapping) if row else None
