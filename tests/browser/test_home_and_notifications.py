"""Home pages and notifications in a real browser: the organiser asks for changes
through the review form; the nurse, logging in, lands on her home page, sees
"changes requested" beside her plan, the unread count in the header and the
notification that leads to the plan. The organiser's home lists what waits."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from community import Community
from tests.browser.helpers import NINA, OLIVE, account, logged_in
from tests.builders import SmallNetwork


def test_changes_requested_reach_the_nurse_home_and_notifications(
        page: Page, new_context: Any, network: SmallNetwork, community: Community) -> None:
    qip = community.draft_qip(by=network.nurse, title="Nurse specialist at every diagnosis",
                              key_area="cns_access", timeframe="2012 to 2013",
                              aim="80% of patients seen by a CNS at diagnosis by March 2013",
                              measures=[{"name": "Seen", "baseline": 61, "target": 80}])
    community.submit_qip(qip, by=network.nurse)
    community.request_follow_up(by=network.lead, kind="introduction", to_organisers=True,
                                reason="A team doing well on CNS access?")

    olive = logged_in(new_context().new_page(), OLIVE)
    expect(olive).to_have_url(re.compile(r"/$"))
    waiting = olive.get_by_role("region", name="Plans waiting for review")
    expect(waiting).to_contain_text("1 plan waiting")
    queue = olive.get_by_role("region", name="Introductions and follow-ups waiting")
    expect(queue).to_contain_text("1 request with no answer yet, 1 of them for an introduction")
    waiting.get_by_role("link", name="Nurse specialist at every diagnosis").click()
    olive.get_by_label("Comment on the aim (optional)").fill("Which patients: all new ones?")
    olive.get_by_role("button", name="Request changes").click()
    expect(olive.locator(".qip-status")).to_contain_text("Changes requested")

    logged_in(page, NINA)
    expect(page).to_have_url(re.compile(r"/$"))
    plans = page.get_by_role("region", name="My team's QIPs")
    expect(plans).to_contain_text("Nurse specialist at every diagnosis")
    expect(plans).to_contain_text("Changes requested: see the comments")
    told = account(page).get_by_role("link", name=re.compile("Notifications"))
    expect(told).to_have_text("Notifications 1 unread")

    told.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.get_by_role("link", name=re.compile("asked for changes to")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nurse specialist at every diagnosis")
    expect(page.locator("#part-aim .review-comment")).to_contain_text("Which patients")
    expect(account(page).get_by_role("link", name=re.compile("Notifications"))).to_have_text(
        "Notifications")
