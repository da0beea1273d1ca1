"""The organisers' outbox: every e-mail proposed, and where it is now."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    case,
    func,
    select,
    update,
)

from domain.message import SENDABLE, Message
from domain.values import MessageStatus
from projections.paging import total_of
from projections.reading import reading
from projections.view import View, Writer

metadata = MetaData()
outbox_messages = Table(
    "outbox_messages", metadata,
    Column("id", String(36), primary_key=True),
    Column("key", String(200), nullable=False),
    Column("to_member_id", String(36), nullable=False, index=True),
    Column("to_email", String(254), nullable=False),
    Column("to_name", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("proposed_on", Date, nullable=False),
    Column("sent_on", Date),
    Column("error", Text),
    Column("discard_reason", Text),
)
m = outbox_messages.c

# What an organiser acts on comes first: waiting, then failed, then the rest.
ORDER = [MessageStatus.PROPOSED, MessageStatus.FAILED, MessageStatus.SENDING,
         MessageStatus.SENT, MessageStatus.DISCARDED]
STATUS_RANK = case({s.value: i for i, s in enumerate(ORDER)}, value=m.status, else_=len(ORDER))


def _change(**values: Any) -> Any:
    return update(outbox_messages).where(m.id == bindparam("m")).values(
        version=bindparam("v"), **values)


INSERT = outbox_messages.insert()
EDITED = _change(subject=bindparam("new_subject"), body=bindparam("new_body"))
DISCARDED = _change(status=MessageStatus.DISCARDED.value, discard_reason=bindparam("why"))
SENDING = _change(status=MessageStatus.SENDING.value)
SENT = _change(status=MessageStatus.SENT.value, sent_on=bindparam("on"), error=None)
FAILED = _change(status=MessageStatus.FAILED.value, error=bindparam("what"))


class Outbox(View):
    name = "outbox"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Message.Proposed)
    def proposed(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT, {
            "id": str(event.originator_id), "key": event.key,
            "to_member_id": str(event.to_member_id), "to_email": event.to_email,
            "to_name": event.to_name, "subject": event.subject, "body": event.body,
            "reason": event.reason, "status": MessageStatus.PROPOSED.value,
            "version": event.originator_version, "proposed_on": event.proposed_on,
            "sent_on": None, "error": None, "discard_reason": None})

    @apply.register(Message.Edited)
    def edited(self, event: Any, w: Writer, _: int) -> None:
        w.execute(EDITED, {"m": str(event.originator_id), "v": event.originator_version,
                           "new_subject": event.subject, "new_body": event.body})

    @apply.register(Message.Discarded)
    def discarded(self, event: Any, w: Writer, _: int) -> None:
        w.execute(DISCARDED, {"m": str(event.originator_id), "v": event.originator_version,
                              "why": event.reason})

    @apply.register(Message.Sending)
    def sending(self, event: Any, w: Writer, _: int) -> None:
        w.execute(SENDING, {"m": str(event.originator_id), "v": event.originator_version})

    @apply.register(Message.Sent)
    def sent(self, event: Any, w: Writer, _: int) -> None:
        w.execute(SENT, {"m": str(event.originator_id), "v": event.originator_version,
                         "on": event.sent_on})

    @apply.register(Message.Failed)
    def failed(self, event: Any, w: Writer, _: int) -> None:
        w.execute(FAILED, {"m": str(event.originator_id), "v": event.originator_version,
                           "what": event.error})

    # --- queries -----------------------------------------------------------------

    def listing(self, status: str | None = None, *, limit: int = 50,
                offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """A page of messages, waiting ones first, then oldest first; and how many."""
        query = select(outbox_messages)
        if status:
            query = query.where(m.status == status)
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(STATUS_RANK, m.proposed_on, m.id)
                                .limit(limit).offset(offset)).all()
            total = total_of(rows, limit, offset, lambda: conn.scalar(
                select(func.count()).select_from(query.subquery())))
        return [dict(r._mapping) for r in rows], total

    def counts(self) -> dict[str, int]:
        """How many messages are in each status (every status named, zero or not)."""
        with reading(self.engine) as conn:
            found = dict(conn.execute(select(m.status, func.count()).group_by(m.status)).tuples().all())
        return {s.value: int(found.get(s.value, 0)) for s in ORDER}

    def one(self, message_id: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(outbox_messages).where(m.id == message_id)).first()
        return dict(row._mapping) if row else None

    def waiting(self) -> list[str]:
        """Ids of the messages a "send all" takes: proposed, or failed before."""
        query = (select(m.id).where(m.status.in_([s.value for s in SENDABLE]))
                 .order_by(m.proposed_on, m.id))
        with reading(self.engine) as conn:
            return list(conn.scalars(query))
