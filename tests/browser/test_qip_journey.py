"""A QIP from draft to shared, in a real browser: the team drafts it and is told what is
missing, submits it, the organiser asks for a change on the aim, the team revises and
resubmits, and the organiser accepts it."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import NINA, OLIVE, logged_in
from tests.builders import SmallNetwork


def organiser_page(new_context: Any) -> Page:
    """Olive, logged in in a browser context of her own."""
    page = new_context().new_page()
    return logged_in(page, OLIVE)


def test_a_qip_is_drafted_reviewed_revised_and_shared(
        page: Page, new_context: Any, network: SmallNetwork) -> None:
    logged_in(page, NINA)
    page.goto("/qips")
    page.get_by_role("link", name="Draft a QIP for your team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft a QIP")
    page.get_by_label("Title", exact=True).fill("Nurse specialist at every diagnosis")
    page.get_by_label("Key area").select_option(label="Access to nurse specialists")
    page.get_by_label("Aim", exact=True).fill("See more patients with a nurse specialist")
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nurse specialist at every diagnosis")
    missing = page.locator(".not-ready")
    expect(missing).to_contain_text("Not ready to submit yet")
    expect(missing).to_contain_text("Time frame: give a time frame")
    expect(missing).to_contain_text("Measures: add at least one measure")
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)

    page.get_by_role("link", name="Edit this QIP").click()
    page.get_by_label("Aim", exact=True).fill(
        "See 80% of patients with a nurse specialist at diagnosis by March 2012")
    page.get_by_label("Time frame").fill("October 2011 to March 2012")
    page.locator("#measures-0-name").fill("Patients seen by a CNS")
    page.locator("#measures-0-unit").fill("%")
    page.locator("#measures-0-baseline").fill("61")
    page.locator("#measures-0-target").fill("80")
    page.get_by_role("button", name="Save the QIP").click()
    expect(page.locator(".not-ready")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".qip-status")).to_contain_text("Submitted for review")
    qip_url = re.sub(r"^https?://[^/]+", "", page.url)

    olive = organiser_page(new_context)
    olive.goto("/organise/reviews")
    olive.get_by_role("link", name="Nurse specialist at every diagnosis").click()
    olive.get_by_label("Comment on the aim (optional)").fill(
        "Which patients: all newly diagnosed?")
    olive.get_by_role("button", name="Request changes").click()
    expect(olive.locator(".qip-status")).to_contain_text("Changes requested")

    page.goto(qip_url)
    expect(page.locator("#part-aim .review-comment")).to_contain_text(
        "Which patients: all newly diagnosed?")
    page.get_by_role("link", name="Edit this QIP").click()
    expect(page.locator("#comment-aim")).to_contain_text("Which patients")
    page.get_by_label("Aim", exact=True).fill(
        "See 80% of all newly diagnosed patients with a nurse specialist by March 2012")
    page.get_by_role("button", name="Save the QIP").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".qip-status")).to_contain_text("Submitted for review")

    olive.goto("/organise/reviews")
    olive.get_by_role("link", name="Nurse specialist at every diagnosis").click()
    olive.get_by_role("button", name="Accept and share").click()
    expect(olive.locator(".qip-status")).to_contain_text("Active")

    page.goto(qip_url)
    expect(page.locator(".qip-status")).to_contain_text(
        "Active: accepted and shared in the library")
