"""The forms of the workshop pages (web/workshops.py): finding a date, planning a
workshop, recording who came, attaching material, registering, and a team's MDT
meeting day.

Each field keeps the name and id the pages have always posted. The domain judges what
was typed: ``command()`` hands the command typed values (a date, a number, a UUID, the
domain's enums), and a value that does not parse goes as typed, so the command refuses
it in the domain's words, beside the field (``Form.refuse``), with every other problem.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from domain.input_checks import ISO_DATE
from domain.member import WEEKDAYS
from domain.scheduling import DEFAULT_NOTICE_WEEKS
from domain.values import Labelled, Role, WorkshopKind
from web.forms import Form
from web.workshop_calendar import duration_text

T = TypeVar("T")

INVITABLE = [SelectChoice(r.value, r.label) for r in Role if r is not Role.ORGANISER]
# How long a workshop runs, as the plan form offers it (minutes, words).
DURATIONS = [SelectChoice(str(m), duration_text(m))
             for m in (30, 60, 90, 120, 150, 180, 240, 300, 360, 420)]


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _typed(parse: Callable[[str], T], value: str | None) -> T | str:
    """``value`` parsed, or as typed when it does not parse (blank: "")."""
    try:
        return parse(value) if value else ""
    except ValueError:
        return value or ""


def _iso_day(value: str) -> date:
    if not ISO_DATE.fullmatch(value):  # the domain's form of a date, no other
        raise ValueError(value)
    return date.fromisoformat(value)


def _day(value: str | None) -> date | str:
    return _typed(_iso_day, value)


def _number(value: str | None) -> int | str:
    return _typed(int, value)


def _choice(kind: type[Labelled], value: str | None) -> Labelled | str:
    return _typed(kind, value)


def _text(label: str, **kwargs: Any) -> StringField:
    return StringField(label, filters=[_stripped], **kwargs)


class DateWindowForm(Form):
    """"1. Find a date people can come to": a GET form, so a suggestion is a link."""

    notice_weeks = _text("Notice")  # the page says "Notice, in weeks"
    start = _text("From")
    end = _text("To")
    roles = SelectMultipleField("Who is invited", choices=INVITABLE, validate_choice=False,
                                id="window-roles")  # apart from the plan's boxes
    role = _text("Who is invited")  # one role, from a link (the API's filter)
    domain_names = {"roles": "role"}  # either lands on the window's boxes

    def asked(self) -> dict[str, Any]:
        """The window as asked, for the "Choose" links: only what was given."""
        given = {name: self[name].data for name in ("start", "end", "notice_weeks", "role")}
        return {**given, "roles": self.roles.data} if self.roles.data else given

    def invited(self) -> list[str]:
        """The roles the dates are weighed for, as their values."""
        return list(self.roles.data or []) + ([self.role.data] if self.role.data else [])

    def command(self) -> dict[str, Any]:
        return {"start": _day(self.start.data) or None, "end": _day(self.end.data) or None,
                "role": _choice(Role, self.role.data) or None,
                "roles": [_choice(Role, r) for r in self.roles.data or []],
                "notice_weeks": _number(self.notice_weeks.data) if self.notice_weeks.data
                else DEFAULT_NOTICE_WEEKS}


class PlanWorkshopForm(Form):
    """"2. Plan it"."""

    kind = SelectField("Kind of event", choices=[SelectChoice(k.value, k.label) for k in WorkshopKind],
                       validate_choice=False, filters=[_stripped])
    title = _text("Title")
    starts_on = _text("Date")
    starts_at = _text("Start time")
    duration_minutes = SelectField("How long", choices=DURATIONS, validate_choice=False,
                                   filters=[_stripped])
    roles = SelectMultipleField("Who is invited", choices=INVITABLE, validate_choice=False)
    place = _text("Place")
    link = _text("Link to join online")
    agenda = TextAreaField("Agenda", filters=[_stripped])

    def command(self) -> dict[str, Any]:
        return {"kind": _choice(WorkshopKind, self.kind.data), "title": self.title.data or "",
                "starts_on": _day(self.starts_on.data), "starts_at": self.starts_at.data or "",
                "duration_minutes": _number(self.duration_minutes.data),
                "roles": [_choice(Role, r) for r in self.roles.data or []],
                "place": self.place.data or "", "link": self.link.data or "",
                "agenda": self.agenda.data or ""}


class AttendanceForm(Form):
    """Who came: the registered members' boxes and everyone else's, one field."""

    attendee_ids = SelectMultipleField("Who came", validate_choice=False)

    def command(self) -> dict[str, Any]:
        return {"attendee_ids": [_typed(UUID, i) for i in self.attendee_ids.data or []]}


class MaterialForm(Form):
    """Slides or notes for a workshop; refusals are said above the page (flashed)."""

    file = FileField("The file")
    title = _text("Title")


class RegistrationForm(Form):
    """Register or cancel: a button, and the page to go back to."""

    back = HiddenField()


class MeetingDayForm(Form):
    meeting_day = SelectField(  # the page says "Your team's MDT meeting day"
        "MDT meeting day", validate_choice=False,
        choices=[SelectChoice("", "Not known")] + [SelectChoice(d, d.capitalize()) for d in WEEKDAYS])
