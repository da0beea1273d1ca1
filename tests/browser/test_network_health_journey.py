"""The organiser's journey on the demo: the network-health page says how current its
figures are, redraws everything "as of 2012-03-31" from the form, and the board
report for that date prints on one page of A4."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import DEMO_PASSWORD, ORGANISER_EMAIL, logged_in


def test_the_organiser_redraws_the_figures_as_of_the_funding_end_and_prints_one_page(
        page: Page, demo: Any) -> None:
    logged_in(page, ORGANISER_EMAIL, DEMO_PASSWORD, name="Helen Marsh")
    page.goto("/sustainability/health")
    expect(page.locator("h1")).to_have_text("Is the network sustaining itself?")
    expect(page.locator(".nhsuk-lede-text")).to_contain_text("as it stood on")
    expect(page.get_by_text("Figures counted up to")).to_be_visible()

    page.get_by_label("Show the figures as they stood on").fill("2012-03-31")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"as_of=2012-03-31"))
    expect(page.locator(".nhsuk-lede-text")).to_contain_text("31 March 2012")
    expect(page.get_by_label("Show the figures as they stood on")).to_have_value("2012-03-31")
    # The chart is redrawn to the date: its last month is March 2012.
    expect(page.locator("#organic ~ figure svg").first).to_be_visible()

    page.get_by_role("link", name="Print the board report").click()
    expect(page.locator("h1")).to_have_text("Is the network sustaining itself?")
    expect(page.get_by_text("the network as it stood on 31 March 2012")).to_be_visible()
    page.emulate_media(media="print")
    printed = page.pdf(format="A4")

    assert len(re.findall(rb"/Type\s*/Page(?!s)", printed)) == 1
