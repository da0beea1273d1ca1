"""The QIP form and page in a real browser: "Add a measure" grows the form with what was
typed kept (no JavaScript needed), an adapted plan is tagged and made the team's own,
and neither page scrolls sideways on a 390 px phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.helpers import NINA, logged_in
from tests.builders import SmallNetwork

PHONE = {"width": 390, "height": 844}


def fits_the_phone(page: Page) -> bool:
    """No sideways scroll once the page has settled: the header's navigation is wider
    for a moment until its script folds the rest under "More"."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(f"document.documentElement.scrollWidth <= {PHONE['width']}",
                               timeout=5000)
    except PlaywrightTimeout:
        return False
    return True


def test_add_a_measure_grows_the_form_keeping_what_was_typed_and_saves_both(
        page: Page, network: SmallNetwork) -> None:
    logged_in(page, NINA)
    page.goto("/qips/new")
    page.get_by_label("Title", exact=True).fill("Faster CT")
    page.get_by_label("Key area").select_option(label="Diagnostics")
    page.locator("#measures-0-name").fill("Days to CT")
    expect(page.locator("#measures-1-name")).to_have_count(0)

    page.get_by_role("button", name="Add a measure").click()

    expect(page.locator("#measures-1-name")).to_be_focused()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Faster CT")
    expect(page.locator("#measures-0-name")).to_have_value("Days to CT")
    page.locator("#measures-1-name").fill("Days to EBUS")
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Faster CT")
    expect(page.locator("table.measures")).to_contain_text("Days to CT")
    expect(page.locator("table.measures")).to_contain_text("Days to EBUS")


def test_an_adapted_plan_is_tagged_and_neither_page_scrolls_sideways_on_a_phone(
        page: Page, plans: dict[str, Any]) -> None:
    page.set_viewport_size(PHONE)
    logged_in(page, NINA)
    page.goto(f"/qips/{plans['shared']}")
    assert fits_the_phone(page)
    page.get_by_role("button", name="Adapt this QIP for my team").click()

    expect(page.locator(".copied-tag").first).to_have_text(
        "From Southmoor lung cancer MDT’s plan — make it yours")
    assert fits_the_phone(page)
    page.get_by_role("link", name="Back to the QIP").click()
    expect(page.locator(".not-ready")).to_contain_text("Time frame: is the time frame of the plan")
    assert fits_the_phone(page)
