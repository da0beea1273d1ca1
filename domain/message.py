"""One e-mail in the organisers' outbox: proposed (by a person or the momentum
job), reviewed, then sent at most once.

A send run claims the message (``Sending``) and saves that before it talks to
the mail server. Two runs that loaded the same version cannot both save the
claim, so only one of them ever sends it. A run that dies after the claim
leaves the message ``sending``: it is not sent again, because it may have gone.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.ids import NAMESPACE
from domain.input_checks import Checker
from domain.values import MessageStatus

ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
# A header value with a line break would start a header of its own.
LINE_BREAK = re.compile(r"[\r\n]")
MAX_BODY = 20000
EDITABLE = (MessageStatus.PROPOSED, MessageStatus.FAILED)
SENDABLE = (MessageStatus.PROPOSED, MessageStatus.FAILED)


def message_id_for(key: str) -> UUID:
    return uuid5(NAMESPACE, "message:" + key.strip())


def _one_line(check: Checker, field: str, value: object, max_length: int) -> str:
    text = check.text(field, value, max_length=max_length)
    if LINE_BREAK.search(text):
        check.fail(field, "must be on one line")
    return text


class Message(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Proposed: ClassVar[type[Aggregate.Event]]
        Edited: ClassVar[type[Aggregate.Event]]
        Discarded: ClassVar[type[Aggregate.Event]]
        Sending: ClassVar[type[Aggregate.Event]]
        Sent: ClassVar[type[Aggregate.Event]]
        Failed: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(key: str) -> UUID:
        """The same proposed action (its key) is the same message, so proposing
        it twice cannot queue two e-mails."""
        return message_id_for(key)

    @classmethod
    def propose(cls, *, key: str, to_member_id: UUID, to_email: str, to_name: str,
                subject: str, body: str, reason: str, proposed_on: object) -> Message:
        """``key`` names the action, e.g. ``nudge:qip:<id>:2013-06-01``;
        ``reason`` tells the organiser why it was proposed."""
        check = Checker()
        key = _one_line(check, "key", key, 200)
        to_email = _one_line(check, "to_email", to_email, 254)
        if to_email and not ADDRESS.fullmatch(to_email):
            check.fail("to_email", "must be an e-mail address")
        to_name = _one_line(check, "to_name", to_name, 200)
        subject = _one_line(check, "subject", subject, 200)
        body = check.text("body", body, max_length=MAX_BODY)
        reason = check.text("reason", reason, max_length=2000)
        proposed_on = check.day("proposed_on", proposed_on)
        check.done()
        return cls(key=key, to_member_id=to_member_id, to_email=to_email, to_name=to_name,
                   subject=subject, body=body, reason=reason, proposed_on=proposed_on)

    @event("Proposed")
    def __init__(self, key: str, to_member_id: UUID, to_email: str, to_name: str,
                 subject: str, body: str, reason: str, proposed_on: date) -> None:
        self.key = key
        self.to_member_id = to_member_id
        self.to_email = to_email
        self.to_name = to_name
        self.subject = subject
        self.body = body
        self.reason = reason
        self.proposed_on = proposed_on
        self.status = MessageStatus.PROPOSED
        self.sent_on: date | None = None
        self.error: str | None = None

    def edit(self, *, by: UUID | None, subject: str | None = None,
             body: str | None = None) -> None:
        """Change the wording before it goes; ``None`` keeps a part as it is."""
        check = Checker()
        subject = self.subject if subject is None else _one_line(check, "subject", subject, 200)
        body = self.body if body is None else check.text("body", body, max_length=MAX_BODY)
        check.done()
        if self.status not in EDITABLE:
            raise Conflict(f"this message is {self.status.value} and can no longer be changed")
        self._edit(by=by, subject=subject, body=body, to_member_id=self.to_member_id)

    @event("Edited")
    def _edit(self, by: UUID | None, subject: str, body: str,
              to_member_id: UUID | None = None) -> None:
        # ``to_member_id``: whose key seals the new wording (community/personal_data.py),
        # so forgetting the recipient removes an edited e-mail too. Older events lack it.
        self.subject = subject
        self.body = body

    def discard(self, *, by: UUID | None, reason: str, discarded_on: object) -> None:
        check = Checker()
        reason = check.text("reason", reason, required=False, max_length=2000)
        discarded_on = check.day("discarded_on", discarded_on)
        check.done()
        if self.status not in EDITABLE:
            raise Conflict(f"this message is {self.status.value} and cannot be discarded")
        self._discard(by=by, reason=reason, discarded_on=discarded_on)

    @event("Discarded")
    def _discard(self, by: UUID | None, reason: str, discarded_on: date) -> None:
        self.status = MessageStatus.DISCARDED
        self.discard_reason = reason

    def claim(self, *, by: UUID | None) -> None:
        """A send run takes the message; saved before the mail server is asked."""
        if self.status is MessageStatus.SENT:
            raise Conflict("this message has already been sent")
        if self.status is MessageStatus.DISCARDED:
            raise Conflict("this message was discarded")
        if self.status is MessageStatus.SENDING:
            raise Conflict("this message is being sent")
        self._claim(by=by)

    @event("Sending")
    def _claim(self, by: UUID | None) -> None:
        self.status = MessageStatus.SENDING

    def mark_sent(self, *, sent_on: date) -> None:
        self._require_sending()
        self._sent(sent_on=sent_on)

    @event("Sent")
    def _sent(self, sent_on: date) -> None:
        self.status = MessageStatus.SENT
        self.sent_on = sent_on
        self.error = None

    def mark_failed(self, *, error: str, failed_on: date) -> None:
        self._require_sending()
        error = error.replace("\x00", "").strip() or "unknown error"
        self._failed(error=error[:1000], failed_on=failed_on)

    @event("Failed")
    def _failed(self, error: str, failed_on: date) -> None:
        self.status = MessageStatus.FAILED
        self.error = error

    def _require_sending(self) -> None:
        if self.status is not MessageStatus.SENDING:
            raise Conflict("only a message being sent can be marked sent or failed")
