"""The organisers' outbox: e-mails proposed (by the momentum job or a person),
reviewed by an organiser, then sent over SMTP, each at most once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from community.commands import Commands, Id
from community.mailer import DeliveryFailed, Mailer
from domain.errors import Conflict
from domain.member import Member
from domain.message import SENDABLE, Message


@dataclass
class SendReport:
    """What one send run did with each message it was given."""

    sent: list[UUID] = field(default_factory=list)
    failed: list[tuple[UUID, str]] = field(default_factory=list)
    # Already sent, discarded, or taken by another send run at the same time.
    skipped: list[UUID] = field(default_factory=list)

    def summary(self) -> str:
        """In words, e.g. "3 sent, 1 failed: the mail server ... refused it: 550 ..."."""
        if not (self.sent or self.failed or self.skipped):
            return "There was nothing to send."
        parts = [f"{len(self.sent)} sent"]
        if self.failed:
            errors = list(dict.fromkeys(error for _, error in self.failed))
            parts.append(f"{len(self.failed)} failed: " + "; ".join(errors))
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped (already sent, discarded or "
                         f"being sent by someone else)")
        return ", ".join(parts)


class OutboxCommands(Commands):
    """Commands on outbox messages. ``by=None`` is the local operator or a scheduled job."""

    def message(self, message_id: Id) -> Message:
        return self._get(Message, message_id, "message")

    def propose_message(self, *, key: str, to_member_id: Id, subject: str, body: str,
                        reason: str, to_email: str | None = None, to_name: str | None = None,
                        proposed_on: date | None = None,
                        by: UUID | None = None) -> tuple[UUID, bool]:
        """Queue an e-mail for an organiser to review. ``key`` names the action
        (``nudge:qip:<id>:2013-06-01``): proposing it again returns the same id and
        ``False`` without a second event. The address and name default to the member's."""
        self._organiser(by)
        member = self._existing(Member, to_member_id, "to_member_id", "member")
        message = Message.propose(
            key=key, to_member_id=member.id, reason=reason, subject=subject, body=body,
            to_email=member.email if to_email is None else to_email,
            to_name=member.name if to_name is None else to_name,
            proposed_on=proposed_on or self.today())
        if message.id in self.repository:
            return message.id, False
        try:
            self.save(message)
        except Conflict:
            if message.id in self.repository:  # proposed at the same moment elsewhere
                return message.id, False
            raise
        return message.id, True

    def edit_message(self, message_id: Id, *, by: UUID | None,
                     version: int | None = None, subject: str | None = None,
                     body: str | None = None) -> None:
        """Reword a message before it goes; ``None`` keeps that part."""
        self._organiser(by)
        message = self.message(message_id)
        self._check_version(message, version)
        message.edit(by=by, subject=subject, body=body)
        self.save(message)

    def discard_message(self, message_id: Id, *, by: UUID | None, reason: str = "",
                        version: int | None = None) -> None:
        self._organiser(by)
        message = self.message(message_id)
        self._check_version(message, version)
        message.discard(by=by, reason=reason, discarded_on=self.today())
        self.save(message)

    def send_messages(self, *, by: UUID | None,
                      ids: Sequence[Id] | None = None) -> SendReport:
        """Send the given messages, or every one waiting (proposed, or failed
        before). Each is claimed and the claim saved before the mail server is
        asked: a run that loses the claim to another skips the message."""
        self._organiser(by)
        report = SendReport()
        with Mailer(self.settings) as mailer:  # refuses at once if no server is set up
            chosen = self.views.outbox.waiting() if ids is None else self._known(ids)
            for message_id in chosen:
                self._send_one(message_id, by, mailer, report)
        return report

    def _known(self, ids: Sequence[Id]) -> list[UUID]:
        found = [self._existing(Message, m, f"ids[{i}]", "message").id
                 for i, m in enumerate(ids)]
        return list(dict.fromkeys(found))

    def _send_one(self, message_id: Id, by: UUID | None, mailer: Mailer,
                  report: SendReport) -> None:
        message = self.message(message_id)
        if message.status not in SENDABLE:
            report.skipped.append(message.id)
            return
        message.claim(by=by)
        try:
            self.save(message)
        except Conflict:  # another run claimed (or someone changed) it since we loaded it
            report.skipped.append(message.id)
            return
        try:
            mailer.send(message)
        except DeliveryFailed as error:
            message.mark_failed(error=str(error), failed_on=self.today())
            self.save(message)
            report.failed.append((message.id, message.error or ""))
        else:
            message.mark_sent(sent_on=self.today())
            self.save(message)
            report.sent.append(message.id)
