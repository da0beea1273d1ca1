"""Workshops pages through their rendered forms: planning at a suggested date with a start
time and invited roles, "Add to calendar", the personal calendar feed, and the past
events a page at a time."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.builders import SmallNetwork
from tests.web.conftest import NINA, OLIVE
from tests.web.forms import form_on, submit
from tests.web.reading import links, log_in, log_out, text

LONDON = ZoneInfo("Europe/London")
AGENDA = "14:00 Welcome\n14:15 Three teams' clinics"


def planned(community: Any, network: SmallNetwork, **changes: Any) -> str:
    return str(community.plan_event(by=network.organiser, **{
        "kind": "online_conference", "title": "Nurse-led follow-up clinics",
        "starts_on": "2013-07-03", "starts_at": "14:00", "duration_minutes": 120,
        "link": "https://meet.example.nhs.uk/ilcop", "agenda": AGENDA,
        "roles": ["lung_cancer_nurse_specialist"], **changes}))


def feed_on(html: bytes) -> str:
    """The calendar feed's address, as shown in the box to copy it from."""
    found = re.search(r'<input[^>]*id="calendar-feed"[^>]*value="([^"]+)"', html.decode())
    assert found, "the page shows no calendar feed address"
    return found.group(1)


def events_in(ics: bytes) -> list[Any]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_the_organiser_plans_on_a_suggested_date_with_a_time_and_invited_roles(
        olive: Any, network: SmallNetwork) -> None:
    page = olive.get("/organise/events/new")
    assert "4 weeks" in text(page.data)

    suggested = submit(olive, page.data, {"roles": ["lung_cancer_nurse_specialist"]},
                       id="suggest-dates")
    assert suggested.status_code == 200
    shown = text(suggested.data)
    assert "for 2 members invited (Lung cancer nurse specialist)" in shown
    assert "29 June 2013 to 26 July 2013" in shown  # four weeks after 1 June
    chosen = olive.get(next(href for label, href in links(suggested.data).items()
                            if label.startswith("Choose")))
    plan_form = form_on(chosen.data, id="plan-event")
    assert plan_form.defaults["starts_on"] == ["2013-07-01"]
    assert plan_form.defaults["roles"] == ["lung_cancer_nurse_specialist"]

    event_page = submit(olive, chosen.data, {
        "title": "Nurse-led follow-up clinics", "starts_at": "14:00",
        "duration_minutes": "90", "link": "https://meet.example.nhs.uk/ilcop",
        "agenda": AGENDA}, id="plan-event", follow_redirects=True)

    shown = text(event_page.data)
    assert "Planned: Nurse-led follow-up clinics." in shown
    assert "Monday 1 July 2013, 2pm to 3:30pm (UK time)" in shown
    assert "1 hour 30 minutes" in shown
    assert "Who is invited Lung cancer nurse specialist" in shown


def test_a_start_time_that_is_not_a_time_is_refused_beside_the_field(
        olive: Any, network: SmallNetwork) -> None:
    page = olive.get("/organise/events/new")

    refused = submit(olive, page.data, {
        "title": "Clinics", "starts_on": "2013-07-03", "starts_at": "2pm",
        "link": "https://meet.example.nhs.uk/ilcop"}, id="plan-event")

    assert refused.status_code == 400
    assert "There is a problem" in text(refused.data)
    assert links(refused.data)["Start time must be a time like 14:00"] == "#starts_at"
    assert "Error: Start time must be a time like 14:00" in text(refused.data)
    assert "Start time must be a time like 14:00" in text(refused.data)


def test_the_notice_period_is_the_organisers_to_change(
        olive: Any, network: SmallNetwork) -> None:
    page = olive.get("/organise/events/new")

    suggested = submit(olive, page.data, {"notice_weeks": "2"}, id="suggest-dates")

    assert "15 June 2013 to 12 July 2013" in text(suggested.data)
    bad = submit(olive, page.data, {"notice_weeks": "-1"}, id="suggest-dates")
    assert bad.status_code == 400
    assert "Notice must be at least 0" in text(bad.data)


def test_a_member_adds_a_workshop_to_their_calendar(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    event_id = planned(community, network)
    page = nina.get(f"/events/{event_id}")
    assert "Wednesday 3 July 2013, 2pm to 4pm" in text(page.data)

    download = nina.get(links(page.data)[
        "Add to calendar (Nurse-led follow-up clinics, an .ics file)"])

    assert download.mimetype == "text/calendar"
    assert "attachment" in download.headers["Content-Disposition"]
    [event] = events_in(download.data)
    assert str(event["uid"]) == f"{event_id}@clinical-community"
    assert event.decoded("dtstart") == datetime(2013, 7, 3, 14, tzinfo=LONDON)
    assert event.decoded("dtend") == datetime(2013, 7, 3, 16, tzinfo=LONDON)
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert str(event["location"]) == "https://meet.example.nhs.uk/ilcop"
    assert AGENDA in str(event["description"])
    assert "Lung cancer nurse specialist" in str(event["description"])
    again = events_in(nina.get(f"/events/{event_id}/calendar.ics").data)[0]
    assert str(again["uid"]) == str(event["uid"])  # importing twice updates, not duplicates


def test_the_calendar_feed_holds_my_registrations_without_logging_in(
        web_app: Any, nina: Any, community: Any, network: SmallNetwork) -> None:
    kept = planned(community, network, title="Kept")
    dropped = planned(community, network, title="Dropped", starts_on="2013-07-10")
    listing = nina.get("/events")
    for event_id in (kept, dropped):
        submit(nina, listing.data, action=f"/events/{event_id}/register")
    page = nina.get("/events")
    assert "Copy this link into your calendar app" in text(page.data)
    feed = urlsplit(feed_on(page.data)).path
    calendar_app = web_app.test_client()  # no login, as a calendar app

    assert sorted(str(e["summary"]) for e in events_in(calendar_app.get(feed).data)) == [
        "Dropped", "Kept"]
    submit(nina, nina.get(f"/events/{dropped}").data, action=f"/events/{dropped}/cancel")
    assert [str(e["summary"]) for e in events_in(calendar_app.get(feed).data)] == ["Kept"]


def test_a_forged_feed_address_shows_nothing(web_app: Any, network: SmallNetwork) -> None:
    anyone = web_app.test_client()

    assert anyone.get("/calendar/not-a-token.ics").status_code == 404
    assert anyone.get(f"/calendar/{network.nurse!s}.ics").status_code == 404


def test_the_feed_of_one_member_is_not_the_feed_of_another(
        client: Any, web_app: Any, community: Any, network: SmallNetwork) -> None:
    event_id = planned(community, network)
    community.register_for_event(event_id, by=network.nurse)
    log_in(client, OLIVE)
    olives = feed_on(client.get("/events").data)
    log_out(client)
    log_in(client, NINA)
    ninas = feed_on(client.get("/events").data)

    assert olives != ninas
    assert events_in(web_app.test_client().get(urlsplit(olives).path).data) == []


def test_logged_out_people_cannot_download_a_workshops_calendar_file(
        web_app: Any, community: Any, network: SmallNetwork) -> None:
    event_id = planned(community, network)

    response = web_app.test_client().get(f"/events/{event_id}/calendar.ics")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_past_workshops_come_fifty_to_a_page(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    for n in range(60):
        community.hold_workshop(by=network.organiser, kind="peer_review_visit",
                                title=f"Visit {n:02d}", held_on=date(2012, 1, 1).replace(
                                    month=1 + n % 12, day=1 + n // 12), attendee_ids=[])

    first = nina.get("/events")
    second = nina.get(links(first.data)["Next page"])

    assert "Showing 1–50 of 60 past events" in text(first.data)
    assert text(first.data).count("Peer review visit, ") == 50
    assert "Showing 51–60 of 60 past events" in text(second.data)
    assert text(second.data).count("Peer review visit, ") == 10
