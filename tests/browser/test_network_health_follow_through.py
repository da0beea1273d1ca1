"""The organiser reads which teams went quiet on the network-health page on a phone,
and follows a quiet team's link to the revisit the momentum job proposed for it."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import DEMO_PASSWORD, ORGANISER_EMAIL, logged_in
from tests.browser.test_phone_width import PHONE, sideways


def test_a_quiet_team_leads_to_its_proposed_revisit_on_a_390_px_phone(
        page: Page, demo: Any) -> None:
    page.set_viewport_size(PHONE)
    logged_in(page, ORGANISER_EMAIL, DEMO_PASSWORD, name="Helen Marsh")

    page.goto("/sustainability/health?as_of=2013-09-30&period=all")

    assert sideways(page) is None
    expect(page.locator("#dormant-teams")).to_have_text("Teams going quiet")
    expect(page.get_by_text("Most of the network has gone quiet")).to_be_visible()
    # The nudges the organisers sent after the funding end, beside the quiet ones left alone.
    expect(page.get_by_text(re.compile(r"quiet plans and teams nudged, \d+% were active again"))
           ).to_be_visible()
    page.locator("table.dormant-teams a", has_text="Revisit offer").first.click()
    expect(page.locator("h1")).to_contain_text("Catching up with")
