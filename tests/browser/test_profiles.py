"""Editing one's profile in a real browser (Chromium), as a member would."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import NINA, logged_in
from tests.builders import SmallNetwork


def test_a_member_edits_their_expertise_and_clinic_days_and_sees_them_on_their_profile(
        page: Page, network: SmallNetwork) -> None:
    logged_in(page, NINA)
    page.goto("/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")

    page.get_by_label("Your expertise").fill("EBUS, nurse-led clinics, trials")
    clinics = page.get_by_role("group", name="Which days do you run clinics?")
    clinics.get_by_label("Tuesday").check()
    clinics.get_by_label("Thursday").check()
    page.get_by_label("What you can help with").fill("Setting up a nurse-led clinic")
    page.get_by_role("group", name="How would you like to be contacted?").get_by_label(
        "Phone").check()
    page.get_by_label("Phone number (optional)").fill("0161 496 0000")
    page.get_by_role("button", name="Save your profile").click()

    expect(page).to_have_url(re.compile(rf"/members/{network.nurse}$"))
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nina Nurse")
    facts = page.locator(".profile-facts")
    expect(facts.get_by_role("list", name="Expertise").get_by_role("listitem")).to_have_text(
        ["ebus", "nurse-led clinics", "trials"])
    expect(facts).to_contain_text("Clinics on Tuesday and Thursday")
    expect(facts).to_contain_text("Setting up a nurse-led clinic")
    expect(page.locator(".contact-details")).to_contain_text("0161 496 0000")
    expect(page.get_by_role("link", name="Find your counterparts")).to_have_attribute(
        "href", "/counterparts")

    # Back in the form, the boxes are ticked as saved.
    page.get_by_role("button", name="Edit your profile").click()
    expect(clinics.get_by_label("Tuesday")).to_be_checked()
    expect(clinics.get_by_label("Monday")).not_to_be_checked()


def test_a_bad_phone_number_is_shown_in_the_error_summary_linked_to_the_field(
        page: Page, network: SmallNetwork) -> None:
    logged_in(page, NINA)
    page.goto("/profile")

    page.get_by_label("Phone number (optional)").fill("ring the ward")
    page.get_by_role("button", name="Save your profile").click()

    expect(page).to_have_title("Error: Edit your profile – Clinical Community")
    problem = page.locator(".nhsuk-error-summary").get_by_role(
        "link", name=re.compile("Enter a phone number"))
    expect(problem).to_have_attribute("href", "#phone")
    problem.click()
    expect(page.get_by_label("Phone number (optional)")).to_be_focused()
