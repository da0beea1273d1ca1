"""Planned workshops and online conferences: organisers plan them, members register,
the organiser records who came."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.team import Team
from domain.values import WorkshopKind
from domain.workshop import Workshop

OLIVE, NINA, SARA = uuid4(), uuid4(), uuid4()
TODAY = date(2013, 6, 1)
EVENT_DAY = date(2013, 7, 4)


def conference(**changes: object) -> Workshop:
    details = {"kind": "online_conference", "title": "Nurse-led follow-up",
               "starts_on": "2013-07-04", "link": "https://meet.example.nhs.uk/ilcop",
               "agenda": "10:00 Welcome\n10:15 Nurse-led clinics", "organiser_id": OLIVE,
               "planned_on": TODAY}
    return Workshop.plan(**{**details, **changes})


def test_a_planned_workshop_has_its_date_place_or_link_and_agenda() -> None:
    event = conference()

    assert event.kind is WorkshopKind.ONLINE_CONFERENCE
    assert event.starts_on == EVENT_DAY
    assert event.link == "https://meet.example.nhs.uk/ilcop"
    assert not event.is_held
    assert event.registered_ids == []


def test_a_workshop_needs_a_place_or_a_link() -> None:
    with pytest.raises(Invalid) as refused:
        conference(link="", place="")

    assert set(refused.value.fields) == {"place"}


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(Invalid) as refused:
        conference(kind="party", title=" ", starts_on="4 July", link="meet.example")

    assert set(refused.value.fields) == {"kind", "title", "starts_on", "link"}


def test_a_workshop_cannot_be_planned_in_the_past() -> None:
    with pytest.raises(Invalid) as refused:
        conference(starts_on="2013-05-31")

    assert "starts_on" in refused.value.fields


def test_members_register_and_cancel() -> None:
    event = conference()
    event.register(NINA, on=TODAY)
    event.register(SARA, on=TODAY)
    event.cancel_registration(NINA, on=TODAY)

    assert event.registered_ids == [SARA]


def test_registering_twice_is_refused() -> None:
    event = conference()
    event.register(NINA, on=TODAY)

    with pytest.raises(Conflict, match="already registered"):
        event.register(NINA, on=TODAY)


def test_registering_for_a_past_workshop_is_refused() -> None:
    event = conference()

    with pytest.raises(Conflict, match="registration is closed"):
        event.register(NINA, on=date(2013, 7, 5))


def test_cancelling_without_a_registration_is_refused() -> None:
    with pytest.raises(Conflict, match="not registered"):
        conference().cancel_registration(NINA, on=TODAY)


def test_attendance_cannot_be_recorded_before_the_workshop() -> None:
    event = conference()

    with pytest.raises(Conflict, match="after it"):
        event.record_attendance([NINA], by=OLIVE, on=date(2013, 7, 3))


def test_recording_attendance_makes_the_workshop_held_with_its_attendees_once() -> None:
    event = conference()
    event.register(NINA, on=TODAY)
    event.record_attendance([SARA, NINA, SARA], by=OLIVE, on=EVENT_DAY)

    assert event.is_held
    assert event.held_on == EVENT_DAY
    assert sorted(event.attendee_ids, key=str) == sorted([NINA, SARA], key=str)
    recorded = event.collect_events()[-1]
    assert isinstance(recorded, Workshop.AttendanceRecorded)
    assert recorded.kind is WorkshopKind.ONLINE_CONFERENCE and recorded.held_on == EVENT_DAY


def test_attendance_is_recorded_once() -> None:
    event = conference()
    event.record_attendance([NINA], by=OLIVE, on=EVENT_DAY)

    with pytest.raises(Conflict, match="already been recorded"):
        event.record_attendance([SARA], by=OLIVE, on=EVENT_DAY)
    with pytest.raises(Conflict):
        event.register(SARA, on=EVENT_DAY)


def test_materials_attach_by_their_hash() -> None:
    event = conference()
    event.attach_material(document_id="d1", title="", name="slides.pdf",
                          content_type="application/pdf", size=12, sha256="a" * 64, by=OLIVE,
                          attached_on=TODAY)

    assert event.material("d1")["title"] == "slides.pdf"
    assert event.material("d2") is None


def test_a_workshop_recorded_after_the_fact_is_held() -> None:
    held = Workshop.hold(kind="national_workshop", title="National workshop",
                         held_on="2011-05-12", attendee_ids=[NINA], organiser_id=OLIVE)

    assert held.is_held and held.starts_on == date(2011, 5, 12)


def test_a_team_says_which_weekday_its_mdt_meets() -> None:
    team = Team.register(name="Northshire", trust="Northshire NHS Trust", region="North West",
                         latitude=53.5, longitude=-2.3, caseload=320)
    team.set_meeting_day("Thursday")
    team.set_meeting_day("thursday")  # unchanged: nothing recorded

    assert team.meeting_day == "thursday"
    assert [type(e).__name__ for e in team.collect_events()] == ["Registered", "MeetingDaySet"]
    with pytest.raises(Invalid) as refused:
        team.set_meeting_day("saturday")
    assert set(refused.value.fields) == {"meeting_day"}
