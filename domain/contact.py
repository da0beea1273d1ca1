"""A contact one member made with another: the network's basic tie."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.input_checks import Checker
from domain.values import ContactChannel


class Contact(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Made: ClassVar[type[Aggregate.Event]]

    @classmethod
    def make(cls, *, from_member_id: UUID, to_member_id: UUID, topic: str,
             facilitated: bool, made_on: object, channel: object = ContactChannel.EMAIL) -> Contact:
        check = Checker()
        topic = check.text("topic", topic)
        made_on = check.day("made_on", made_on)
        channel = check.choice("channel", ContactChannel, channel)
        check.done()
        if from_member_id == to_member_id:
            raise Invalid({"to_member_id": "you cannot record a contact with yourself"})
        return cls(from_member_id=from_member_id, to_member_id=to_member_id, topic=topic,
                   facilitated=bool(facilitated), made_on=made_on, channel=channel)

    @event("Made")
    def __init__(self, from_member_id: UUID, to_member_id: UUID, topic: str,
                 facilitated: bool, made_on: date,
                 channel: ContactChannel = ContactChannel.EMAIL) -> None:
        self.from_member_id = from_member_id
        self.to_member_id = to_member_id
        self.topic = topic
        self.facilitated = facilitated
        self.made_on = made_on
        self.channel = channel
