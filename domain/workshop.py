"""Workshops, online conferences and peer-review visits: planned ahead (members
register, materials attach) or recorded after the fact; either way counted as
held once the organiser says who came."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.input_checks import Checker
from domain.values import Role, WorkshopKind

AGENDA_MAX = 5000
# A start time as a person types it in a time box: 24-hour "14:00".
START_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
DEFAULT_START = "10:00"
DEFAULT_DURATION = 120  # minutes: most online conferences ran about two hours
SHORTEST, LONGEST = 15, 12 * 60  # minutes; longer than a day is two events
PLACE_MAX = 300
LINK = re.compile(r"https?://[^\s<>\"']+")


class Workshop(Aggregate):
    """An event of the programme. ``Held`` records one after the fact; ``Planned``
    announces one, and ``AttendanceRecorded`` (shaped like ``Held``) makes it held."""

    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Held: ClassVar[type[Aggregate.Event]]
        Registered: ClassVar[type[Aggregate.Event]]
        RegistrationCancelled: ClassVar[type[Aggregate.Event]]
        AttendanceRecorded: ClassVar[type[Aggregate.Event]]
        MaterialAttached: ClassVar[type[Aggregate.Event]]

    class Planned(Aggregate.Created):
        kind: WorkshopKind
        title: str
        starts_on: date
        place: str
        link: str
        agenda: str
        organiser_id: UUID
        # Added later. Events stored before them are read back with these defaults:
        # no time known (pages show the date only, calendars an all-day event), and
        # everyone invited.
        starts_at: str = ""  # "14:00", UK local time (Europe/London)
        duration_minutes: int = 0
        roles: tuple[Role, ...] = ()  # the roles invited; empty: everyone

        def mutate(self, aggregate: Any) -> Any:
            # Workshop.__init__ is Held's: a second way to create a workshop sets
            # the state itself instead of calling it.
            workshop = Workshop.__new__(Workshop)
            workshop.__base_init__(originator_id=self.originator_id,
                                   originator_version=self.originator_version,
                                   timestamp=self.timestamp)
            workshop._start(kind=self.kind, title=self.title, starts_on=self.starts_on,
                            organiser_id=self.organiser_id, place=self.place, link=self.link,
                            agenda=self.agenda, starts_at=self.starts_at,
                            duration_minutes=self.duration_minutes, roles=self.roles)
            return workshop

    @classmethod
    def hold(cls, *, kind: object, title: str, held_on: object,
             attendee_ids: list[UUID], organiser_id: UUID) -> Workshop:
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
               place: str = "", link: str = "", agenda: str = "", starts_at: str = "",
               duration_minutes: int = 0, roles: Iterable[Role] = ()) -> None:
        self.kind = kind
        self.title = title
        self.starts_on = starts_on
        self.organiser_id = organiser_id
        self.place = place
        self.link = link
        self.agenda = agenda
        self.starts_at = starts_at
        self.duration_minutes = duration_minutes
        self.roles = list(roles)
        self.held_on = None
        self.attendee_ids = []
        self.registered_ids: list[UUID] = []
        self.materials: list[dict[str, Any]] = []

    @classmethod
    def plan(cls, *, kind: object, title: object, starts_on: object, place: object = "",
             link: object = "", agenda: object = "", organiser_id: UUID,
             starts_at: object = DEFAULT_START, duration_minutes: object = DEFAULT_DURATION,
             roles: object = (), planned_on: date | None = None) -> Workshop:
        """Announce an event; ``planned_on`` (today) refuses a date already past.
        ``roles`` are the roles invited (none: everyone)."""
        check = Checker()
        kind = check.choice("kind", WorkshopKind, kind)
        title_text = check.text("title", title)
        day = check.day("starts_on", starts_on)
        time_text = check.text("starts_at", starts_at, max_length=5)
        if time_text and not START_TIME.fullmatch(time_text):
            check.fail("starts_at", "must be a time like 14:00")
        minutes = check.number("duration_minutes", duration_minutes, low=SHORTEST, high=LONGEST)
        if minutes is not None and minutes != int(minutes):
            check.fail("duration_minutes", "must be a whole number of minutes")
        invited = check_roles(check, roles)
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
                           organiser_id=organiser_id, starts_at=time_text,
                           duration_minutes=int(minutes or 0), roles=invited)

    @property
    def invites_everyone(self) -> bool:
        return not self.roles

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


def check_roles(check: Checker, roles: object) -> list[Role]:
    """The roles invited, each once, in the order of ``Role``; none means everyone.
    Organisers run the event, so they are not a role to invite."""
    if roles is None:
        return []
    if isinstance(roles, (str, bytes)) or not isinstance(roles, Iterable):
        check.fail("roles", "must be a list of roles")
        return []
    chosen = {check.choice("roles", Role, r) for r in roles}
    if Role.ORGANISER in chosen:
        check.fail("roles", "organisers run the event: invite the roles of the members")
    return [r for r in Role if r in chosen and r is not Role.ORGANISER]


LONDON = ZoneInfo("Europe/London")


def local_times(starts_on: date, starts_at: str, duration_minutes: int
                ) -> tuple[datetime, datetime] | None:
    """When an event starts and ends, in UK time (BST in summer, GMT in winter); None
    when its time was never given (events recorded before times were kept)."""
    if not starts_at or not START_TIME.fullmatch(starts_at) or duration_minutes <= 0:
        return None
    hour, minute = (int(part) for part in starts_at.split(":"))
    start = datetime.combine(starts_on, time(hour, minute), tzinfo=LONDON)
    return start, start + timedelta(minutes=duration_minutes)
