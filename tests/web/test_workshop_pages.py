"""Workshops pages (at /events): members register; organisers find a date, plan, and record who came."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.builders import SmallNetwork
from tests.web.forms import form_on, submit
from tests.web.reading import log_in, log_out, table, text

PLAN = {"kind": "online_conference", "title": "Nurse-led follow-up clinics",
        "starts_on": "2013-07-04", "starts_at": "14:00", "duration_minutes": "120",
        "link": "https://meet.example.nhs.uk/ilcop",
        "agenda": "10:00 Welcome\n10:15 Three teams' clinics"}


def planned(community: Any, network: SmallNetwork) -> str:
    return str(community.plan_event(by=network.organiser, **PLAN))


def test_a_participant_cannot_plan_a_workshop(nina: Any) -> None:
    assert nina.get("/organise/events/new").status_code == 403
    # A participant is never shown the form, so this post is forged: the planning form's
    # own field names (PLAN is what the organiser's form takes, below) with Nina's token.
    token = form_on(nina.get("/events").data, "/logout").data({})["csrf_token"]
    assert nina.post("/organise/events/new", data={**PLAN, "csrf_token": token}).status_code == 403


def test_the_organiser_asks_for_dates_and_the_least_clashing_comes_first(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    community.update_profile(network.nurse, by=network.nurse, clinic_days=["wednesday"])
    community.update_profile(network.other_nurse, by=network.other_nurse,
                             clinic_days=["wednesday", "monday"])
    community.set_meeting_day(network.north, by=network.lead, day="tuesday")

    page = olive.get("/organise/events/new?suggest=1&start=2013-07-01&end=2013-07-05"
                     "&role=lung_cancer_nurse_specialist")

    assert page.status_code == 200
    rows = table(page.data, "suggestions")["body"]
    assert rows[0][0].startswith("Thursday 4 July 2013")
    assert rows[0][1] == "0"
    assert rows[-1][0].startswith("Wednesday 3 July 2013") and rows[-1][1] == "2"
    assert "1 at an MDT meeting" in " ".join(r[2] for r in rows)


def test_a_bad_window_names_the_field(olive: Any) -> None:
    page = olive.get("/organise/events/new?suggest=1&start=2013-07-10&end=2013-07-01")

    assert page.status_code == 400
    assert "To must be on or after the start" in text(page.data)


def test_planning_with_bad_input_names_each_field(olive: Any) -> None:
    form = olive.get("/organise/events/new")

    page = submit(olive, form.data, {**PLAN, "title": "", "link": "", "starts_on": "2013-05-01"},
                  action="/organise/events/new",
                  having="starts_on")

    assert page.status_code == 400
    shown = text(page.data)
    assert "Title is required" in shown
    assert "Place is required, or a link for an online event" in shown
    assert "Date must be today (2013-06-01) or later" in shown


def test_the_organiser_plans_a_workshop_and_a_member_registers(
        client: Any, olive: Any, community: Any, network: SmallNetwork) -> None:
    form = olive.get("/organise/events/new")
    planned_page = submit(olive, form.data, PLAN, action="/organise/events/new",
                          having="starts_on", follow_redirects=True)
    assert "Planned: Nurse-led follow-up clinics" in text(planned_page.data)
    event_id = community.views.workshops.upcoming(date(2013, 6, 1))[0]["id"]

    log_out(client)
    log_in(client, "nina.nurse@northshire.nhs.uk")
    listing = client.get("/events")
    assert "Nurse-led follow-up clinics" in text(listing.data)
    submit(client, listing.data, action=f"/events/{event_id}/register")

    page = client.get(f"/events/{event_id}")
    shown = text(page.data)
    assert "You are registered" in shown
    assert "Lung cancer nurse specialist (1)" in shown
    assert "Nina Nurse" in shown


def test_after_the_workshop_the_organiser_records_who_came_and_sees_turnout(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    event_id = planned(community, network)
    community.register_for_event(event_id, by=network.nurse)
    community.register_for_event(event_id, by=network.other_nurse)
    community.today = lambda: date(2013, 7, 4)
    form = olive.get(f"/organise/events/{event_id}/attendance")
    assert "Sara South" in text(form.data)

    submit(olive, form.data, {"attendee_ids": [network.nurse, network.lead]},
           action=f"/organise/events/{event_id}/attendance", having="attendee_ids")

    page = olive.get(f"/events/{event_id}")
    by_role = table(page.data, "turnout-by-role")["body"]
    assert [r[:3] for r in by_role] == [["Lung cancer nurse specialist", "2", "1"],
                                        ["Clinical lead", "0", "1"]]
    by_team = table(page.data, "turnout-by-team")["body"]
    assert [r[:3] for r in by_team] == [["Northshire lung cancer MDT", "1", "2"],
                                        ["Southmoor lung cancer MDT", "1", "0"]]


def test_attendance_before_the_workshop_is_refused(olive: Any, community: Any,
                                                network: SmallNetwork) -> None:
    event_id = planned(community, network)
    form = olive.get(f"/organise/events/{event_id}/attendance")

    answer = submit(olive, form.data, {"attendee_ids": [network.nurse]},
                    action=f"/organise/events/{event_id}/attendance", having="attendee_ids")

    assert answer.status_code == 409
    assert "record who came after it" in text(answer.data)


def test_materials_are_attached_and_downloaded(olive: Any, community: Any,
                                              network: SmallNetwork) -> None:
    event_id = planned(community, network)
    page = olive.get(f"/events/{event_id}")

    submit(olive, page.data, {"title": "Slides"}, action=f"/organise/events/{event_id}/materials",
           files={"file": (b"%PDF-1.4\nslides\n%%EOF", "slides.pdf")})

    material = community.views.workshops.materials(event_id)[0]
    download = olive.get(f"/events/{event_id}/materials/{material['document_id']}")
    assert download.data == b"%PDF-1.4\nslides\n%%EOF"
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_registering_goes_back_only_to_a_page_of_this_site(nina: Any, community: Any,
                                                          network: SmallNetwork) -> None:
    event = planned(community, network)

    home = submit(nina, nina.get("/events").data, action=f"/events/{event}/register")
    # The listing's own cancel form, its hidden back address tampered with: a browser
    # sends what the page gave, so only a forged post carries this.
    cancel = form_on(nina.get("/events").data, f"/events/{event}/cancel").data({})
    away = nina.post(f"/events/{event}/cancel", data={**cancel, "back": "/\t/evil.example"})

    assert home.headers["Location"] == "/events"
    assert away.headers["Location"] == f"/events/{event}"
