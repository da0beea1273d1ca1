"""Questions in a real browser: on the demo, the participant asks in her key area and
invites two suggested members; one of them sees the notification, answers; she accepts
the answer; a test post is reported and the organiser hides it; the digest, run twice,
puts one e-mail per subscribed member in the outbox, and its unsubscribe link works
once without logging in. And a post carrying a
script or an event handler runs nothing in the page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import (
    DEMO_PASSWORD,
    NINA,
    OLIVE,
    ORGANISER_EMAIL,
    PARTICIPANT_EMAIL,
    account,
    log_out,
    logged_in,
    main_nav,
)
from tests.browser.test_phone_width import PHONE, sideways

QUESTION = "Has anyone got a nurse-led EBUS follow-up clinic running?"
GOOD = "Ours runs on Tuesday afternoons, booked straight from the MDT."
TEST_POST = "TEST POST: buy cheap scanners at example.com"


def test_a_question_is_asked_invited_answered_accepted_and_a_reported_post_hidden(
        page: Any, community: Any, demo: Any, base_url: str) -> None:
    logged_in(page, PARTICIPANT_EMAIL, DEMO_PASSWORD)
    main_nav(page).get_by_role("link", name="Questions").click()
    page.get_by_role("button", name="Ask a question").click()
    page.get_by_label("Your question in one sentence").fill(QUESTION)
    page.get_by_label("Details").fill("We start one in **April**. How do you book patients?")
    page.get_by_label("Diagnostics").check()  # a key area of her team's plans
    page.get_by_label("Tags (optional)").fill("ebus, nurse-led clinics")
    page.get_by_role("button", name="Post your question").click()

    expect(page.get_by_role("heading", name="Invite people who could answer")).to_be_visible()
    boxes = page.get_by_role("checkbox")
    expect(boxes).to_have_count(5)
    invited = [boxes.nth(n).get_attribute("value") for n in (0, 1)]
    for n in (0, 1):
        boxes.nth(n).check()
    page.get_by_role("button", name="Invite them").click()
    expect(page.get_by_text("We told 2 people about your question.")).to_be_visible()
    question_address = page.url
    log_out(page)

    # The first invitee has accepted their invitation to the site (the demo gives
    # passwords to two logins only).
    answerer = community.views.directory.member(invited[0])
    community.set_password(invited[0], DEMO_PASSWORD)
    logged_in(page, answerer["email"], DEMO_PASSWORD, name=answerer["name"])
    expect(account(page).locator(".notification-count")).to_be_visible()  # on the home page
    account(page).get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role("link", name=re.compile(re.escape(f"asks you to answer “{QUESTION}”"))).click()
    page.get_by_label("Your answer").fill(GOOD)
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    page.get_by_label("Your answer").fill(TEST_POST)
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator("article.answer")).to_have_count(2)
    log_out(page)

    logged_in(page, PARTICIPANT_EMAIL, DEMO_PASSWORD)
    page.goto(question_address.removesuffix("/invite"))
    good = page.locator("article.answer", has_text=GOOD)
    good.get_by_role("button", name="This answered my question").click()
    expect(page.locator("article.answer").first).to_contain_text("Accepted answer")
    expect(page.locator("article.answer").first).to_contain_text(GOOD)
    page.locator("article.answer", has_text=TEST_POST).get_by_role(
        "link", name=re.compile("Report this answer")).click()
    page.get_by_label("Why are you reporting this?").fill("An advert, not an answer")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("the organisers will look at what you reported")).to_be_visible()
    log_out(page)

    logged_in(page, ORGANISER_EMAIL, DEMO_PASSWORD)
    main_nav(page).get_by_role("link", name="Organise").click()
    page.get_by_role("link", name="Reported posts").click()
    report = page.locator("section.report", has_text=TEST_POST)
    expect(report).to_contain_text("An advert, not an answer")
    report.get_by_label("Why are you hiding it?").fill("Advertising")
    report.get_by_role("button", name="Hide the answer").click()
    expect(page.get_by_text("No reports are waiting")).to_be_visible()
    page.goto(question_address.removesuffix("/invite"))
    expect(page.get_by_text("Hidden by the organisers")).to_be_visible()
    expect(page.get_by_text(TEST_POST)).to_have_count(0)
    expect(page.get_by_text(GOOD)).to_be_visible()
    log_out(page)

    # Sunday night's digest (what `community digest` runs), run twice by a nervous cron.
    today = community.today()  # the community's clock: the demo's story day
    sunday = today + timedelta(days=6 - today.weekday())
    first = community.send_digests(today=sunday, base_url=base_url)
    second = community.send_digests(today=sunday, base_url=base_url)
    digests = [m for m in community.views.outbox.listing(limit=500)[0]
               if m["key"].startswith("digest:")]
    assert first.added == len(digests) > 0 and second.added == 0
    assert len({m["to_member_id"] for m in digests}) == len(digests)  # one each
    [hers] = [m for m in digests if m["to_email"] == PARTICIPANT_EMAIL]
    assert QUESTION in hers["body"]  # the new answer to the question she follows
    link = re.search(r"(http\S+/digest/unsubscribe/\S+)$", hers["body"])
    assert link is not None
    page.goto(link.group(1))  # straight from the e-mail, not logged in
    page.get_by_role("button", name="Unsubscribe from the digest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are already unsubscribed")


def test_a_script_or_an_event_handler_in_a_post_does_not_run(page: Any, network: Any) -> None:
    logged_in(page, NINA)
    page.goto("/questions/new")
    page.get_by_label("Your question in one sentence").fill("Does this run? <b>bold</b>")
    page.get_by_label("Details").fill(
        '<script>window.ranScript = true</script>\n\n'
        '<img src="x" onerror="window.ranHandler = true">\n\n'
        '[a link](javascript:window.ranLink=true)')
    page.get_by_label("Diagnostics").check()
    page.get_by_role("button", name="Post your question").click()
    page.get_by_role("link", name="Skip this step and see your question").click()

    expect(page.get_by_role("heading", name="Does this run? <b>bold</b>")).to_be_visible()
    expect(page.locator(".post-body").first).to_contain_text("<script>")
    page.wait_for_load_state("load")
    assert page.evaluate("[window.ranScript, window.ranHandler, window.ranLink]") == [
        None, None, None]
    assert page.locator(".post-body img, .post-body script").count() == 0
    assert page.locator('.post-body a[href^="javascript"]').count() == 0


def test_the_question_pages_fit_a_phone_even_with_a_long_address_in_a_post(
        page: Any, community: Any, network: Any) -> None:
    question_id = community.ask_question(
        by=network.nurse, title="Where is the audit's EBUS guidance?", key_areas=["diagnostics"],
        body="It is at https://www.example.org/" + "very-long-path-" * 12 + "guidance.pdf")
    community.answer_question(question_id, by=network.other_nurse, body="Thanks" + "!" * 80)
    community.report_post(question_id, by=network.other_nurse, reason="A test report")
    page.set_viewport_size(PHONE)
    too_wide = {}
    for email, paths in ((NINA, ["/questions", f"/questions/{question_id}", "/questions/new",
                                 f"/questions/{question_id}/invite", "/questions/follows",
                                 f"/questions/{question_id}/edit"]),
                         (OLIVE, ["/organise/reports"])):
        logged_in(page, email)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.ok, f"{path} answered {response.status}"
            if problem := sideways(page):
                too_wide[path] = problem
        log_out(page)
    assert not too_wide, too_wide
