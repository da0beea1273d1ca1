"""Workshops and online conferences: organisers plan them on a date few members
have a clinic or an MDT meeting, members register, materials attach, and the
organiser records who came (the event then counts as a workshop held); or an
organiser records a workshop already held.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

from community.commands import Commands, Id
from community.documents import check_upload
from domain.errors import Invalid
from domain.ids import PROGRAMME_ID
from domain.input_checks import Checker
from domain.member import Member
from domain.scheduling import (
    DEFAULT_NOTICE_WEEKS,
    DEFAULT_SHOW_UP_RATE,
    MAX_NOTICE_WEEKS,
    MAX_WINDOW_DAYS,
    Invitee,
    Suggestion,
    candidate_dates,
    england_bank_holidays,
    suggest_dates,
)
from domain.values import Role, WorkshopKind
from domain.workshop import DEFAULT_DURATION, DEFAULT_START, Workshop, check_roles

ALL_MEMBERS = 10**6


@dataclass(frozen=True)
class DateSuggestions:
    """Candidate dates, best first, and whom they were weighed for."""

    suggestions: list[Suggestion]
    invited: int
    roles: list[Role]  # empty: everyone
    start: date
    end: date
    show_up_rate: float
    notice_weeks: int = DEFAULT_NOTICE_WEEKS
    bank_holidays: dict[date, str] | None = None  # the window's, left out of it

    @property
    def role(self) -> Role | None:
        """The one role invited, when just one is."""
        return self.roles[0] if len(self.roles) == 1 else None

    @property
    def best(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None


class WorkshopCommands(Commands):
    """Commands on workshops and online conferences ("events" on the pages)."""

    def workshop(self, workshop_id: Id) -> Workshop:
        return self._get(Workshop, workshop_id, "event")

    def hold_workshop(self, *, by: UUID | None, kind: WorkshopKind, title: str,
                      held_on: date, attendee_ids: Sequence[Id] = ()) -> UUID:
        """Record a workshop already held, and who came."""
        self._organiser(by)
        attendees = [self._existing(Member, a, "attendee_ids", "member").id
                     for a in attendee_ids]
        workshop = Workshop.hold(kind=kind, title=title, held_on=held_on,
                                 attendee_ids=attendees, organiser_id=by or PROGRAMME_ID)
        self.save(workshop)
        return workshop.id

    def plan_event(self, *, by: UUID | None, kind: WorkshopKind, title: str,
                   starts_on: date, place: str = "", link: str = "",
                   agenda: str = "", starts_at: str = DEFAULT_START,
                   duration_minutes: int = DEFAULT_DURATION,
                   roles: Sequence[Role] = ()) -> UUID:
        """Announce an event on a day, at a time ("HH:MM"), for a while, to the roles
        invited (none: all)."""
        self._organiser(by)
        workshop = Workshop.plan(kind=kind, title=title, starts_on=starts_on, place=place,
                                 link=link, agenda=agenda, organiser_id=by or PROGRAMME_ID,
                                 starts_at=starts_at, duration_minutes=duration_minutes,
                                 roles=roles, planned_on=self.today())
        self.save(workshop)
        return workshop.id

    def register_for_event(self, workshop_id: Id, *, by: UUID) -> None:
        workshop = self.workshop(workshop_id)
        workshop.register(self.member(by).id, on=self.today())
        self.save(workshop)

    def cancel_registration(self, workshop_id: Id, *, by: UUID) -> None:
        workshop = self.workshop(workshop_id)
        workshop.cancel_registration(self.member(by).id, on=self.today())
        self.save(workshop)

    def record_attendance(self, workshop_id: Id, *, by: UUID | None,
                          attendee_ids: Iterable[Id]) -> None:
        """Who came (registered or not); the event then counts as held."""
        self._organiser(by)
        workshop = self.workshop(workshop_id)
        if isinstance(attendee_ids, (str, bytes)) or not isinstance(attendee_ids, Iterable):
            raise Invalid({"attendee_ids": "must be a list of member ids"})
        came = [self._existing(Member, a, "attendee_ids", "member").id for a in attendee_ids]
        workshop.record_attendance(came, by=by or workshop.organiser_id, on=self.today())
        self.save(workshop)

    def attach_event_material(self, workshop_id: Id, *, by: UUID | None,
                              filename: str | None, data: bytes,
                              declared_type: str | None = None, title: str = "") -> str:
        """Attach slides or notes to an event (organisers); the new document's id."""
        self._organiser(by)
        workshop = self.workshop(workshop_id)
        upload = check_upload(filename, data, declared_type)
        document_id = str(uuid4())
        workshop.attach_material(document_id=document_id, title=title, name=upload.name,
                                 content_type=upload.content_type, size=upload.size,
                                 sha256=upload.sha256, by=by or workshop.organiser_id,
                                 attached_on=self.today())
        self.documents.put(upload, data)  # bytes first: an event never names missing bytes
        self.save(workshop)
        return document_id

    def suggest_event_dates(self, *, by: UUID | None, start: date | None = None,
                            end: date | None = None, role: Role | str | None = None,
                            roles: Sequence[Role] = (),
                            notice_weeks: int | str = DEFAULT_NOTICE_WEEKS,
                            show_up_rate: float = DEFAULT_SHOW_UP_RATE,
                            bank_holidays: Iterable[date] | None = None) -> DateSuggestions:
        """Working days from ``start`` (default: ``notice_weeks`` from today) to ``end``
        (default: four weeks on), without England's bank holidays, best first for the
        members invited (everyone, or the roles given): fewest clinic and MDT meeting
        clashes, then earliest."""
        self._organiser(by)
        check = Checker()
        today = self.today()
        notice = check.number("notice_weeks", notice_weeks, low=0, high=MAX_NOTICE_WEEKS,
                              required=False)
        if notice is not None and notice != int(notice):
            check.fail("notice_weeks", "must be a whole number of weeks")
        weeks = int(notice) if notice is not None else DEFAULT_NOTICE_WEEKS
        first = (check.day("start", start) if start not in (None, "")
                 else today + timedelta(weeks=weeks))
        last = check.day("end", end) if end not in (None, "") else first + timedelta(27)
        one = set() if role in (None, "") else {check.choice("role", Role, role)}
        chosen = [r for r in Role if r in one or r in check_roles(check, roles)]
        rate = check.number("show_up_rate", show_up_rate, low=0, high=1)
        closed = (None if bank_holidays is None
                  else [check.day("bank_holidays", d) for d in bank_holidays])
        if not check.problems:
            if first < today:
                check.fail("start", f"must be today ({today}) or later")
            elif last < first:
                check.fail("end", "must be on or after the start")
            elif (last - first).days > MAX_WINDOW_DAYS:
                check.fail("end", f"must be at most {MAX_WINDOW_DAYS} days after the start")
        check.done()
        invitees = self._invitees(chosen)
        rate = float(rate if rate is not None else DEFAULT_SHOW_UP_RATE)
        found = suggest_dates(candidate_dates(first, last, closed), invitees, show_up_rate=rate)
        return DateSuggestions(
            suggestions=found, invited=len(invitees), roles=chosen, start=first, end=last,
            show_up_rate=rate, notice_weeks=weeks,
            bank_holidays=england_bank_holidays(first, last) if closed is None else None)

    def _invitees(self, roles: list[Role]) -> list[Invitee]:
        rows, _ = self.views.directory.members(
            role=roles[0].value if len(roles) == 1 else None, limit=ALL_MEMBERS)
        wanted = {r.value for r in roles}
        meeting = self.views.workshops.meeting_days()
        return [Invitee(member_id=r["id"], role=r["role"], team_id=r["team_id"],
                        clinic_days=tuple(r["clinic_days"]),
                        team_meeting_day=meeting.get(r["team_id"] or ""))
                for r in rows if not r["is_organiser"] and (not wanted or r["role"] in wanted)]
