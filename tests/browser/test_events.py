"""Planning an event on a date few members have a clinic, and registering for it, in a browser."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import NINA, OLIVE, log_out, logged_in


def test_the_organiser_plans_on_the_suggested_date_and_a_nurse_registers(
        page: Any, community: Any, network: Any) -> None:
    community.update_profile(network.nurse, by=network.nurse, clinic_days=["wednesday"])
    community.update_profile(network.other_nurse, by=network.other_nurse,
                             clinic_days=["wednesday", "monday"])
    logged_in(page, OLIVE)
    page.goto("/events")
    page.get_by_role("link", name="Plan an event").click()

    page.get_by_label("From").fill("2013-07-01")
    page.get_by_label("To", exact=True).fill("2013-07-05")
    page.get_by_label("Who is invited").select_option("lung_cancer_nurse_specialist")
    page.get_by_role("button", name="Suggest dates").click()
    best = page.locator("table.suggestions tbody tr").first
    expect(best).to_contain_text("Tuesday 2 July 2013")
    expect(best).to_contain_text("Best")
    expect(page.locator("table.suggestions tbody tr").last).to_contain_text("Wednesday 3 July 2013")
    best.get_by_role("link", name=re.compile("Choose")).click()

    expect(page.get_by_label("Date", exact=True)).to_have_value("2013-07-02")
    page.get_by_label("Kind of event").select_option("online_conference")
    page.get_by_label("Title").fill("Nurse-led follow-up clinics")
    page.get_by_label("Link to join online").fill("https://meet.example.nhs.uk/ilcop")
    page.get_by_label("Agenda").fill("10:00 Welcome\n10:15 Three teams' clinics")
    page.get_by_role("button", name="Plan event").click()
    expect(page.get_by_text("Planned: Nurse-led follow-up clinics.")).to_be_visible()

    log_out(page)
    logged_in(page, NINA)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    card = page.locator("li.event").filter(has_text="Nurse-led follow-up clinics")
    card.get_by_role("button", name=re.compile("^Register")).click()
    expect(card).to_contain_text("You are registered")
    card.get_by_role("link", name="Nurse-led follow-up clinics").click()
    expect(page.locator(".registered-count")).to_have_text("1")
    expect(page.get_by_role("heading", name="Lung cancer nurse specialist (1)")).to_be_visible()
