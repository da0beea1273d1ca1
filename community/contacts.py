"""Contacts between members, and introductions the organisers make: being in the
community was the users' "licence" to call a stranger."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from community.commands import Id
from community.follow_ups import FollowUpCommands
from domain.contact import Contact
from domain.errors import Invalid
from domain.follow_up import FollowUp
from domain.member import Member
from domain.values import ContactChannel, FollowUpKind


class ContactCommands(FollowUpCommands):
    """Recording contacts and introductions. An introduction is asked for and closed
    as a follow-up, so these build on ``FollowUpCommands``."""

    def make_contact(self, *, by: UUID | None, to_member_id: Id, topic: str,
                     made_on: date | None = None, facilitated: bool = False,
                     from_member_id: Id | None = None,
                     channel: ContactChannel = ContactChannel.EMAIL) -> UUID:
        """Record a contact; organisers may record one on behalf of two members."""
        sender = self.member(from_member_id if from_member_id is not None else by or "")
        if by is not None and sender.id != by:
            self._organiser(by)
        receiver = self._existing(Member, to_member_id, "to_member_id", "member")
        contact = Contact.make(from_member_id=sender.id, to_member_id=receiver.id,
                               topic=topic, facilitated=facilitated, channel=channel,
                               made_on=made_on or self.today())
        self.save(contact)
        return contact.id

    def request_introduction(self, *, by: UUID, member_id: Id, reason: str) -> UUID:
        """Ask the organisers to introduce me to a member of another team."""
        person = self._existing(Member, member_id, "member_id", "member")
        follow_up = FollowUp.request(requested_by=self.member(by).id,
                                     kind=FollowUpKind.INTRODUCTION, reason=reason,
                                     requested_on=self.today(), to_organisers=True,
                                     about_member_id=person.id)
        self.save(follow_up)
        return follow_up.id

    def complete_introduction(self, follow_up_id: Id, *, by: UUID | None, topic: str,
                              made_on: date | None = None) -> UUID:
        """The organisers made the introduction: a facilitated contact is recorded
        and the request closed, both or neither."""
        self._organiser(by)
        follow_up = self.follow_up(follow_up_id)
        if follow_up.about_member_id is None:
            raise Invalid({"follow_up": "this request does not ask for an introduction"})
        day = made_on or self.today()
        contact = Contact.make(from_member_id=follow_up.requested_by,
                               to_member_id=follow_up.about_member_id, topic=topic,
                               facilitated=True, made_on=day)
        answerer = by or follow_up.requested_by
        follow_up.answer(by=answerer, message=f"Introduced: {contact.topic}", answered_on=day)
        follow_up.close(by=answerer, closed_on=day)
        self.save(contact, follow_up)
        return contact.id
