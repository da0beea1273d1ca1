"""Workshops, online conferences and peer-review visits that the programme held."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.rules import Checker
from domain.values import WorkshopKind


class Workshop(Aggregate):
    @classmethod
    def hold(cls, *, kind: object, title: str, held_on: object,
             attendee_ids: list[UUID], organiser_id: UUID) -> "Workshop":
        check = Checker()
        kind = check.choice("kind", WorkshopKind, kind)
        title = check.text("title", title)
        held_on = check.day("held_on", held_on)
        check.done()
        return cls(kind=kind, title=title, held_on=held_on,
                   attendee_ids=sorted(set(attendee_ids), key=str),
                   organiser_id=organiser_id)

    @event("Held")
    def __init__(self, kind: WorkshopKind, title: str, held_on: date,
                 attendee_ids: list[UUID], organiser_id: UUID) -> None:
        self.kind = kind
        self.title = title
        self.held_on = held_on
        self.attendee_ids = list(attendee_ids)
        self.organiser_id = organiser_id
