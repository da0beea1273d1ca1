"""Workshops, online conferences and peer-review visits: planned ahead (members
register, materials attach) or recorded after the fact; either way counted as
held once the organiser says who came."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.rules import Checker
from domain.values import WorkshopKind

AGENDA_MAX = 5000
PLACE_MAX = 300
LINK = re.compile(r"https?://[^\s<>\"']+")


class Workshop(Aggregate):
    """An event of the programme. ``Held`` records one after the fact; ``Planned``
    announces one, and ``AttendanceRecorded`` (shaped like ``Held``) makes it held."""

    class Planned(Aggregate.Created):
        kind: WorkshopKind
        title: str
        starts_on: date
        place: str
        link: str
        agenda: str
        organiser_id: UUID

        def mutate(self, aggregate: Any) -> Any:
            # Workshop.__init__ is Held's: a second way to create a workshop sets
            # the state itself instead of calling it.
            workshop = Workshop.__new__(Workshop)
            workshop.__base_init__(originator_id=self.originator_id,
                                   originator_version=self.originator_version,
                                   timestamp=self.timestamp)
            workshop._start(kind=self.kind, title=self.title, starts_on=self.starts_on,
                            organiser_id=self.organiser_id, place=self.place, link=self.link,
                            agenda=self.agenda)
            return workshop

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
        self._start(kind=kind, title=title, starts_on=held_on, organiser_id=organiser_id)
        self.held_on: date | None = held_on
        self.attendee_ids = list(attendee_ids)

    def _start(self, *, kind: WorkshopKind, title: str, starts_on: date, organiser_id: UUID,
               place: str = "", link: str = "", agenda: str = "") -> None:
        self.kind = kind
        self.title = title
        self.starts_on = starts_on
        self.organiser_id = organiser_id
        self.place = place
        self.link = link
        self.agenda = agenda
        self.held_on = None
        self.attendee_ids: list[UUID] = []
        self.registered_ids: list[UUID] = []
        self.materials: list[dict[str, Any]] = []

    @classmethod
    def plan(cls, *, kind: object, title: object, starts_on: object, place: object = "",
             link: object = "", agenda: object = "", organiser_id: UUID,
             planned_on: date | None = None) -> "Workshop":
        """Announce an event; ``planned_on`` (today) refuses a date already past."""
        check = Checker()
        kind = check.choice("kind", WorkshopKind, kind)
        title_text = check.text("title", title)
        day = check.day("starts_on", starts_on)
        place_text = check.text("place", place, required=False, max_length=PLACE_MAX)
        link_text = check.text("link", link, required=False, max_length=PLACE_MAX)
        agenda_text = check.text("agenda", agenda, required=False, max_length=AGENDA_MAX)
        if link_text and not LINK.fullmatch(link_text):
            check.fail("link", "must be a web address starting https://")
        if not place_text and not link_text and "place" not in check.problems:
            check.fail("place", "is required, or a link for an online event")
        if planned_on is not None and "starts_on" not in check.problems and day < planned_on:
            check.fail("starts_on", f"must be today ({planned_on}) or later")
        check.done()
        return cls._create(cls.Planned, id=None, kind=kind, title=title_text, starts_on=day,
                           place=place_text, link=link_text, agenda=agenda_text,
                           organiser_id=organiser_id)

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    # --- registering -------------------------------------------------------------

    def register(self, member_id: UUID, on: date) -> None:
        if member_id in self.registered_ids:
            raise Conflict("you are already registered for this event")
        if self.is_held or on > self.starts_on:
            raise Conflict(f"this event took place on {self.starts_on}: registration is closed")
        self._register(member_id=member_id, registered_on=on)

    @event("Registered")
    def _register(self, member_id: UUID, registered_on: date) -> None:
        self.registered_ids.append(member_id)

    def cancel_registration(self, member_id: UUID, on: date) -> None:
        if member_id not in self.registered_ids:
            raise Conflict("you are not registered for this event")
        if self.is_held or on > self.starts_on:
            raise Conflict(f"this event took place on {self.starts_on}: it is too late to cancel")
        self._cancel(member_id=member_id, cancelled_on=on)

    @event("RegistrationCancelled")
    def _cancel(self, member_id: UUID, cancelled_on: date) -> None:
        self.registered_ids.remove(member_id)

    # --- after the event ------------------------------------------------------------

    def record_attendance(self, attendee_ids: list[UUID], by: UUID, on: date) -> None:
        """Who came; the event then counts as held, as a ``Held`` workshop does."""
        if self.is_held:
            raise Conflict("attendance has already been recorded for this event")
        if on < self.starts_on:
            raise Conflict(f"this event is on {self.starts_on}: record who came after it")
        self._record_attendance(kind=self.kind, title=self.title, held_on=self.starts_on,
                                attendee_ids=sorted(set(attendee_ids), key=str),
                                recorded_by=by)

    @event("AttendanceRecorded")
    def _record_attendance(self, kind: WorkshopKind, title: str, held_on: date,
                           attendee_ids: list[UUID], recorded_by: UUID) -> None:
        self.held_on = held_on
        self.attendee_ids = list(attendee_ids)

    def attach_material(self, *, document_id: str, title: object, name: str, content_type: str,
                        size: int, sha256: str, by: UUID, attached_on: object) -> None:
        """Name a stored file (slides, an agenda, a recording's notes) in the log; the
        bytes live outside it, addressed by their hash, as a QIP's documents do."""
        check = Checker()
        title_text = check.text("title", title or name, max_length=200)
        day = check.day("attached_on", attached_on)
        check.done()
        self._attach(document_id=document_id, title=title_text, name=name,
                     content_type=content_type, size=size, sha256=sha256, attached_by=by,
                     attached_on=day)

    @event("MaterialAttached")
    def _attach(self, document_id: str, title: str, name: str, content_type: str, size: int,
                sha256: str, attached_by: UUID, attached_on: date) -> None:
        self.materials.append({"id": document_id, "title": title, "name": name,
                               "content_type": content_type, "size": size, "sha256": sha256,
                               "attached_on": attached_on})

    def material(self, document_id: str) -> dict[str, Any] | None:
        return next((m for m in self.materials if m["id"] == document_id), None)
