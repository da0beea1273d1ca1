"""The digest's unsubscribe link in a real browser on a phone: opened from the e-mail
without logging in, it works once; the settings page then shows "Never", and Nina
can choose the weekly digest again."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from community import Community
from domain.member import DigestFrequency
from tests.browser.helpers import NINA, logged_in
from tests.builders import SmallNetwork


def test_the_link_in_a_digest_unsubscribes_once_without_logging_in(
        page: Page, base_url: str, network: SmallNetwork, community: Community) -> None:
    asked = community.ask_question(by=network.nurse, title="Nurse-led EBUS follow-up?",
                                   body="Anyone?", key_areas=["diagnostics"],
                                   asked_on=date(2013, 5, 28))
    community.answer_question(asked, by=network.other_nurse, body="We do, on Tuesdays.",
                              posted_on=date(2013, 5, 29))
    assert community.send_digests(today=date(2013, 6, 3), base_url=base_url).added >= 1
    [ninas] = [m for m in community.views.outbox.listing(limit=50)[0]
               if m["to_member_id"] == str(network.nurse)]
    found = re.search(r"(http\S+/digest/unsubscribe/\S+)$", ninas["body"])
    assert found is not None
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(found.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from the digest")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Unsubscribe from the digest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    expect(page.locator("main")).to_contain_text("You will not get the digest any more")
    expect(page.locator("main")).not_to_contain_text("Nina")
    page.goto(found.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are already unsubscribed")

    logged_in(page, NINA)
    page.goto("/notifications/settings")
    expect(page.get_by_label("Never")).to_be_checked()
    page.get_by_label("Once a week").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator("body")).to_contain_text("Your e-mail choices and digest are saved.")
    assert community.notification_settings(network.nurse).digest is DigestFrequency.WEEKLY
