"""Workshops on each real store: planned, registered for, attended, counted as workshops held."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from community import Community
from community.documents import contents
from domain.errors import Conflict, NotAllowed
from tests.builders import SmallNetwork, small_network

PDF = b"%PDF-1.7\nworkshop slides\n%%EOF\n"


@pytest.fixture
def network(app: Community) -> SmallNetwork:
    return small_network(app)


def plan(app: Community, network: SmallNetwork, **changes: Any) -> Any:
    return app.plan_event(by=network.organiser, **{
        "kind": "online_conference", "title": "Nurse-led follow-up clinics",
        "starts_on": "2013-07-04", "link": "https://meet.example.nhs.uk/ilcop",
        "agenda": "Welcome; three teams' clinics", **changes})


def test_a_workshop_planned_registered_for_and_attended_counts_as_a_workshop_held(
        app: Community, network: SmallNetwork) -> None:
    event_id = plan(app, network)
    app.register_for_event(event_id, by=network.nurse)
    app.register_for_event(event_id, by=network.other_nurse)
    app.cancel_registration(event_id, by=network.other_nurse)
    assert app.views.workshops.registered_ids(str(event_id)) == [str(network.nurse)]
    assert [e["title"] for e in app.views.workshops.upcoming(date(2013, 6, 1))] == [
        "Nurse-led follow-up clinics"]

    app.today = lambda: date(2013, 7, 4)
    app.record_attendance(event_id, by=network.organiser,
                          attendee_ids=[network.nurse, network.lead])

    report = app.views.sustainability.report()
    assert report["after"]["workshops"] == 1
    assert {w["title"] for w in app.views.network.workshops_of([str(network.lead)])} == {
        "Nurse-led follow-up clinics"}
    shown = app.views.workshops.workshop(str(event_id))
    assert shown["held"] and shown["registered"] == 1 and shown["attended"] == 2
    assert app.views.workshops.upcoming(date(2013, 7, 4)) == []


def test_materials_are_stored_outside_the_log(app: Community, network: SmallNetwork) -> None:
    event_id = plan(app, network)

    document_id = app.attach_event_material(event_id, by=network.organiser,
                                            filename="slides.pdf", data=PDF, title="Slides")

    material = app.views.workshops.material(str(event_id), document_id)
    assert material["title"] == "Slides" and material["size"] == len(PDF)
    assert app.document_content(material["sha256"]) == PDF
    stored = b"".join(bytes(e.state) for e in app.recorder.select_notifications(start=1, limit=1000))
    assert b"workshop slides" not in stored
    with app.recorder.datastore.engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.scalar(select(func.count()).select_from(contents)) == 1


def test_a_participant_cannot_plan_or_record_attendance(app: Community,
                                                        network: SmallNetwork) -> None:
    with pytest.raises(NotAllowed):
        app.plan_event(
            by=network.nurse, kind="national_workshop", title="Mine", starts_on="2013-07-04",
            place="Leeds")
    event_id = plan(app, network)
    with pytest.raises(NotAllowed):
        app.record_attendance(event_id, by=network.nurse, attendee_ids=[])


def test_registering_twice_is_a_conflict(app: Community, network: SmallNetwork) -> None:
    event_id = plan(app, network)
    app.register_for_event(event_id, by=network.nurse)

    with pytest.raises(Conflict):
        app.register_for_event(event_id, by=network.nurse)


def test_suggested_dates_avoid_clinic_days_and_mdt_meetings(app: Community,
                                                           network: SmallNetwork) -> None:
    app.update_profile(network.nurse, by=network.nurse, clinic_days=["wednesday"])
    app.update_profile(network.other_nurse, by=network.other_nurse, clinic_days=["wednesday"])
    app.set_meeting_day(network.north, by=network.lead, day="thursday")
    app.set_meeting_day(network.south, by=network.organiser, day="tuesday")

    found = app.suggest_event_dates(by=network.organiser, start="2013-07-01", end="2013-07-05",
                                    role="lung_cancer_nurse_specialist")

    assert found.invited == 2
    assert found.best.date == date(2013, 7, 1)  # Monday: no clinic, no MDT meeting
    by_day = {s.date.isoformat(): s.clashes for s in found.suggestions}
    assert by_day == {"2013-07-01": 0, "2013-07-05": 0, "2013-07-02": 1, "2013-07-04": 1,
                      "2013-07-03": 2}


def test_a_member_of_another_team_cannot_set_its_meeting_day(app: Community,
                                                            network: SmallNetwork) -> None:
    with pytest.raises(NotAllowed):
        app.set_meeting_day(network.north, by=network.other_nurse, day="monday")
