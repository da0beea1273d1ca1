"""Notifications: marking them read, choosing which come by e-mail, and putting
those e-mails in the organisers' outbox (``community notify``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select

from community.commands import Id
from community.outbox import OutboxCommands
from domain.errors import Conflict
from domain.input_checks import Checker
from domain.member import NotificationSettings, check_notification_ids
from domain.message import message_id_for
from projections.outbox import outbox_messages
from projections.reading import reading

BASE_URL = "http://127.0.0.1:5000"


def message_key(notification_id: str) -> str:
    """The outbox key of a notification's e-mail: its message id is uuid5 of it,
    so a second run finds the message there and proposes nothing twice."""
    return f"notification:{notification_id}"


@dataclass
class NotifyReport:
    proposed: int = 0
    already: int = 0

    def summary(self) -> str:
        return (f"Notifications by e-mail: put {self.proposed} new message"
                f"{'s' if self.proposed != 1 else ''} in the outbox; "
                f"{self.already} already there from earlier runs.")


class NotificationCommands(OutboxCommands):
    """Notifications read and e-mailed; the e-mails go to the outbox (``propose_message``)."""

    def notification_settings(self, member_id: Id) -> NotificationSettings:
        """The member's notification settings; new (unsaved) when they have none yet."""
        member = self.member(member_id)
        settings_id = NotificationSettings.create_id(member.id)
        if settings_id in self.repository:
            return self._get(NotificationSettings, settings_id, "notification settings")
        return NotificationSettings.start(member.id)

    def read_notifications(self, *, by: UUID, ids: Sequence[str] | None = None) -> int:
        """Mark the member's notifications read: the given ids, or all unread when
        ``ids`` is None. Ids that are not theirs, or read already, are left out;
        returns how many were marked."""
        settings = self.notification_settings(by)
        among = None
        if ids is not None:
            check = Checker()
            among = check_notification_ids(check, ids)
            check.done()
        unread = self.views.notifications.unread_ids(str(settings.member_id), among=among)
        if not unread:
            return 0
        settings.read(unread)
        self.save(settings)
        return len(unread)

    def choose_notification_emails(self, *, by: UUID, kinds: Sequence[str],
                                   version: int | None = None) -> bool:
        """Which kinds of notification also come by e-mail; False when nothing changed.
        ``version`` is the settings' version the member saw (0 when they had none)."""
        settings = self.notification_settings(by)
        if version is not None and version != settings_version(settings):
            raise Conflict("your e-mail choices were changed since you loaded them; "
                           "reload and try again")
        if not settings.choose_emails(kinds, chosen_on=self.today()):
            return False
        self.save(settings)
        return True

    def notify_by_email(self, *, by: UUID | None = None, base_url: str = BASE_URL,
                        proposed_on: date | None = None) -> NotifyReport:
        """One outbox message per notification its member chose e-mail for, unless
        one is there already. Safe to run twice: message ids are uuid5 of the
        notification id."""
        self._organiser(by)
        self.views.catch_up()
        waiting = self.views.notifications.to_email()
        ids = {str(message_id_for(message_key(n["id"]))): n for n in waiting}
        with reading(self.views.engine) as conn:
            there = set(conn.scalars(select(outbox_messages.c.id)
                                     .where(outbox_messages.c.id.in_(list(ids)))))
        report = NotifyReport(already=len(there))
        for message_id, row in ids.items():
            if message_id in there:
                continue
            try:
                _, created = self.propose_message(
                    key=message_key(row["id"]), to_member_id=row["member_id"],
                    subject=_subject(row["text"]), by=by,
                    body=(f"{row['text']}\n\n{base_url.rstrip('/')}{row['link']}\n\n"
                          "You chose to have these by e-mail as well; change that under "
                          f"{base_url.rstrip('/')}/notifications/settings."),
                    reason=f"A notification ({row['kind'].replace('_', ' ')}) the member "
                           "chose to get by e-mail.",
                    proposed_on=proposed_on or self.today())
            except Conflict:
                created = False  # proposed at the same moment by another run
            if created:
                report.proposed += 1
            else:
                report.already += 1
        return report


def settings_version(settings: NotificationSettings) -> int:
    """The version a form shows: 0 while the member has never saved any settings."""
    return 0 if settings.pending_events else settings.version


def _subject(text: str) -> str:
    first = " ".join(text.split())
    return "Clinical Community: " + (first if len(first) <= 150 else first[:147] + "…")
