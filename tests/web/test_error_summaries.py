"""Every refused form shows its problems the NHS.UK way: the error summary at the top
links to each field, and the same problem stands beside the field, with what was typed
or chosen kept. The contact forms come back to another page (counterparts, a profile,
the organisers' introductions) by redirect, and still do."""

from __future__ import annotations

import re
from typing import Any

from tests.builders import SmallNetwork
from tests.web.forms import submit
from tests.web.reading import links, selected, text


def summary(html: str | bytes) -> dict[str, str]:
    """The error summary's problems: text → the link it goes to ("" when none)."""
    html = html.decode() if isinstance(html, bytes) else html
    found = re.search(r'<div\s+class="nhsuk-error-summary".*?</ul>', html, re.S)
    assert found, "the page shows no error summary"
    items = re.findall(r"<li>(.*?)</li>", found.group(0), re.S)
    return {text(item): (links(item) or {"": ""}).popitem()[1] for item in items}


def beside(html: str | bytes, field_id: str) -> str:
    """The error message shown with the field whose id is ``field_id`` (in its form group)."""
    html = html.decode() if isinstance(html, bytes) else html
    at = html.find(f'id="{field_id}"')
    assert at >= 0, f"no field with id {field_id!r} on the page"
    group = html[html.rfind("nhsuk-form-group", 0, at):at]
    message = re.search(r'class="nhsuk-error-message"[^>]*>\s*'
                        r'(?:<span class="nhsuk-u-visually-hidden">[^<]*</span>)?([^<]*)</span>',
                        group)
    assert message, f"no error message beside {field_id!r}"
    return text(message.group(1))


def test_a_contact_without_a_topic_links_to_the_box_and_keeps_the_channel(
        nina: Any, network: SmallNetwork) -> None:
    page = nina.get("/counterparts")

    refused = submit(nina, page.data, {"topic": " ", "channel": "phone"}, action="/contacts",
                     follow_redirects=True)

    field = f"topic-{network.other_nurse}"
    assert summary(refused.data) == {
        "Your contact was not recorded: what you talked about is required.": f"#{field}"}
    assert beside(refused.data, field) == "What you talked about is required"
    assert selected(refused.data, "channel") == ["phone"]
    # The form is open again, so the link goes to a box a person can see.
    assert re.search(r'<details class="nhsuk-details" open>\s*<summary[^>]*>\s*<span[^>]*>'
                     r"I contacted Sara South", refused.data.decode())


def test_the_same_on_a_members_profile(nina: Any, network: SmallNetwork) -> None:
    page = nina.get(f"/members/{network.other_nurse}")

    refused = submit(nina, page.data, {"topic": ""}, action="/contacts", follow_redirects=True)

    assert refused.request.path == f"/members/{network.other_nurse}"
    field = f"topic-{network.other_nurse}"
    assert list(summary(refused.data).values()) == [f"#{field}"]
    assert beside(refused.data, field) == "What you talked about is required"


def test_an_introduction_asked_without_a_reason_links_to_the_reason(
        nina: Any, network: SmallNetwork) -> None:
    page = nina.get("/counterparts")

    refused = submit(nina, page.data, {"reason": ""}, action="/introductions",
                     follow_redirects=True)

    field = f"reason-{network.other_nurse}"
    assert summary(refused.data) == {
        "Your request was not sent: why you would like to meet is required.": f"#{field}"}
    assert beside(refused.data, field) == "Why you would like to meet is required"


def test_the_problems_show_once_and_are_gone_on_the_next_page(
        nina: Any, network: SmallNetwork) -> None:
    submit(nina, nina.get("/counterparts").data, {"topic": ""}, action="/contacts",
           follow_redirects=True)

    again = nina.get("/counterparts")

    assert "There is a problem" not in text(again.data)
    assert "nhsuk-error-message" not in again.data.decode()


def test_an_introduction_recorded_without_a_topic_links_to_its_box_and_keeps_nothing_else(
        client: Any, olive: Any, community: Any, network: SmallNetwork) -> None:
    asked = community.request_introduction(by=network.nurse, member_id=network.other_nurse,
                                           reason="Her nurse-led clinic")
    inbox = olive.get("/organise/introductions")

    refused = submit(olive, inbox.data, {"topic": " "}, action=f"/organise/introductions/{asked}",
                     follow_redirects=True)

    field = f"topic-{asked}"
    [(words, link)] = summary(refused.data).items()
    assert link == f"#{field}" and words.startswith("Not recorded: ")
    assert beside(refused.data, field) == words.removeprefix("Not recorded: ").rstrip(".").capitalize()
    assert "Nina Nurse would like to meet Sara South" in text(refused.data)


def test_a_discard_reason_too_long_is_shown_beside_the_box_and_kept(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    message_id, _ = community.propose_message(
        key="nudge", to_member_id=network.nurse, subject="How is it going?", body="Dear Nina",
        reason="Quiet for 90 days")
    page = olive.get(f"/organise/outbox/{message_id}")
    too_long = "Spoke to her. " * 150  # the box's maxlength stops a person; a script may not

    refused = submit(olive, page.data, {"reason": too_long},
                     action=f"/organise/outbox/{message_id}/discard")

    assert refused.status_code == 400
    assert summary(refused.data) == {
        "Why you discard it must be at most 2000 characters": "#reason"}
    assert beside(refused.data, "reason") == "Why you discard it must be at most 2000 characters"
    assert too_long.strip() in refused.data.decode()
    assert community.message(message_id).status.value == "proposed"


def every_link_has_its_message_beside(html: str | bytes) -> dict[str, str]:
    """Each problem in the summary that links to a field: the message beside that field."""
    return {link[1:]: beside(html, link[1:]) for link in summary(html).values() if link}


def test_each_refused_form_links_every_problem_to_a_field_with_its_message(
        client: Any, olive: Any, community: Any, network: SmallNetwork) -> None:
    """One refused submit of each kind of form an organiser fills, read the same way."""
    planning = olive.get("/organise/events/new")
    refused = submit(olive, planning.data, {"title": "", "starts_on": "2013-05-01"},
                     action="/organise/events/new", having="starts_on")
    assert set(every_link_has_its_message_beside(refused.data)) >= {"title", "starts_on"}

    visit = olive.get("/visits/new")  # an organiser has no team to start from
    refused = submit(olive, visit.data, {"visited_on": "2011-10-12"}, action="/visits")
    assert every_link_has_its_message_beside(refused.data) == {
        "host_team_id": "Choose the host team", "visiting_team_id": "Choose the visiting team"}

    profile = olive.get("/profile")
    refused = submit(olive, profile.data, {"phone": "ring me"}, action="/profile")
    assert every_link_has_its_message_beside(refused.data) == {
        "phone": "Enter a phone number using only digits, spaces, + and brackets, up to 30 "
                 "characters"}

    asking = olive.get("/follow-ups/new")
    refused = submit(olive, asking.data, {"reason": ""}, action="/follow-ups")
    assert "reason" in every_link_has_its_message_beside(refused.data)
