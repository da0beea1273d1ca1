"""Planning an event on a date few members have a clinic, at a time, for the nurses;
registering for it and adding it to a calendar, in a browser."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.helpers import NINA, OLIVE, log_out, logged_in


def test_the_organiser_plans_on_the_suggested_date_and_a_nurse_adds_it_to_her_calendar(
        page: Any, community: Any, network: Any) -> None:
    community.update_profile(network.nurse, by=network.nurse, clinic_days=["wednesday"])
    community.update_profile(network.other_nurse, by=network.other_nurse,
                             clinic_days=["wednesday", "monday"])
    logged_in(page, OLIVE)
    page.goto("/events")
    page.get_by_role("link", name="Plan an event").click()

    window = page.locator("#suggest-dates")
    window.get_by_label("From").fill("2013-07-01")
    window.get_by_label("To", exact=True).fill("2013-07-05")
    window.get_by_label("Lung cancer nurse specialist").check()
    page.get_by_role("button", name="Suggest dates").click()
    best = page.locator("table.suggestions tbody tr").first
    expect(best).to_contain_text("Tuesday 2 July 2013")
    expect(best).to_contain_text("Best")
    expect(page.locator("table.suggestions tbody tr").last).to_contain_text("Wednesday 3 July 2013")
    best.get_by_role("link", name=re.compile("Choose")).click()

    plan = page.locator("#plan-event")
    expect(plan.get_by_label("Date", exact=True)).to_have_value("2013-07-02")
    expect(plan.get_by_label("Lung cancer nurse specialist")).to_be_checked()
    plan.get_by_label("Kind of event").select_option("online_conference")
    plan.get_by_label("Title").fill("Nurse-led follow-up clinics")
    plan.get_by_label("Start time").fill("14:00")
    plan.get_by_label("How long").select_option(label="1 hour 30 minutes")
    plan.get_by_label("Link to join online").fill("https://meet.example.nhs.uk/ilcop")
    plan.get_by_label("Agenda").fill("14:00 Welcome\n14:15 Three teams' clinics")
    page.get_by_role("button", name="Plan event").click()
    expect(page.get_by_text("Planned: Nurse-led follow-up clinics.")).to_be_visible()
    expect(page.locator(".event-when")).to_have_text("Tuesday 2 July 2013, 2pm to 3:30pm (UK time)")
    expect(page.locator(".event-roles")).to_have_text("Lung cancer nurse specialist")

    log_out(page)
    logged_in(page, NINA)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    card = page.locator("li.event").filter(has_text="Nurse-led follow-up clinics")
    card.get_by_role("button", name=re.compile("^Register")).click()
    expect(card).to_contain_text("You are registered")
    card.get_by_role("link", name="Nurse-led follow-up clinics").click()
    expect(page.locator(".registered-count")).to_have_text("1")
    expect(page.get_by_role("heading", name="Lung cancer nurse specialist (1)")).to_be_visible()
    with page.expect_download() as downloading:
        page.get_by_role("link", name=re.compile("^Add to calendar")).click()
    ics = Path(downloading.value.path()).read_bytes()
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["summary"]) == "Nurse-led follow-up clinics"
    assert event.decoded("dtstart") == datetime(2013, 7, 2, 14, tzinfo=ZoneInfo("Europe/London"))
    assert event.decoded("dtend") == datetime(2013, 7, 2, 15, 30, tzinfo=ZoneInfo("Europe/London"))
    assert "14:15 Three teams' clinics" in str(event["description"])


# The elements sticking out past 390px, named, so a failure says what to fix.
WIDER_THAN_A_PHONE = """[...document.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > 391)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
  .slice(0, 12)"""


def test_the_workshops_pages_fit_a_phone_without_sideways_scrolling(
        page: Any, community: Any, network: Any) -> None:
    event_id = community.plan_event(
        by=network.organiser, kind="online_conference", starts_on="2013-07-03",
        title="Online conference for MDT co-ordinators: validating audit data before upload",
        starts_at="14:00", duration_minutes=90, roles=["mdt_coordinator", "clinical_lead"],
        link="https://meet.example.nhs.uk/ilcop-a-rather-long-meeting-address-to-wrap",
        agenda="14:00 Welcome\n14:15 Checking the data")
    held = community.plan_event(
        by=network.organiser, kind="national_workshop", starts_on="2013-06-03",
        title="National MDT workshop", place="Leeds Town Hall")
    community.register_for_event(held, by=network.nurse)
    community.today = lambda: date(2013, 6, 4)
    community.record_attendance(held, by=network.organiser, attendee_ids=[network.nurse])
    community.today = lambda: date(2013, 6, 1)
    page.set_viewport_size({"width": 390, "height": 844})
    logged_in(page, OLIVE)
    for path in ("/events", f"/events/{event_id}", f"/events/{held}",
                 "/organise/events/new?suggest=1&roles=lung_cancer_nurse_specialist"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(WIDER_THAN_A_PHONE)
        assert width <= 390, f"{path} is {width}px wide at 390px: {wide}"
