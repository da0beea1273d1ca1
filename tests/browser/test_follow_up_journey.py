"""A follow-up from request to answer, in a real browser: Nina asks her paired team
for another visit, Sara accepts with a date, and the organiser sees how long it took."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import NINA, OLIVE, SARA, log_out, logged_in, main_nav


def test_a_paired_team_accepts_a_follow_up_and_the_organiser_sees_the_response_time(
        page: Any, community: Any, network: Any) -> None:
    community.pair_teams(by=None, first_team_id=network.north, second_team_id=network.south,
                         paired_on="2011-01-10")
    logged_in(page, NINA)
    main_nav(page).get_by_role("link", name="Follow-ups").click()
    page.get_by_role("button", name="Ask for a follow-up").click()
    page.get_by_label("Reciprocal visit").check()
    page.get_by_label(re.compile("My paired team")).check()
    page.get_by_label("Why would you like it?").fill("To see your nurse-led clinic again")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    log_out(page)

    logged_in(page, SARA)
    page.goto("/follow-ups")
    page.locator("table.follow-ups").get_by_role("link", name="Reciprocal visit").click()
    page.get_by_label("Proposed date").fill("2013-07-04")
    page.get_by_label("Message (optional)").fill("Thursdays suit us")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You accepted the request")).to_be_visible()
    log_out(page)

    logged_in(page, OLIVE)
    page.goto("/organise/follow-ups")
    expect(page.locator(".median")).to_have_text("0 days")
    row = page.locator("table.response-times tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nina Nurse")
    expect(row).to_contain_text("Accepted")
