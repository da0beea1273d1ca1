"""A page never renders an unbounded list (issue 13): the organisers' introductions
queue is shown a page at a time, and the attendance form offers the members who
came without registering a page of them at most, found by name."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tests.builders import PASSWORD, SmallNetwork
from tests.web.forms import submit
from tests.web.reading import text


def newcomers(community: Any, network: SmallNetwork, count: int) -> list[Any]:
    return [community.join(email=f"newcomer{n:02}@southmoor.nhs.uk", name=f"Newcomer {n:02}",
                           role="lung_cancer_nurse_specialist", team_id=network.south,
                           password=PASSWORD) for n in range(count)]


def test_a_long_introductions_queue_is_shown_fifty_at_a_time(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    for n, member in enumerate(newcomers(community, network, 55)):
        community.request_introduction(by=member, member_id=network.nurse,
                                       reason=f"Request number {n:02}")

    first = text(olive.get("/organise/introductions").data)
    second = text(olive.get("/organise/introductions?page=2").data)

    assert "Showing 1–50 of 55 requests" in first
    assert first.count("Introduction made") == 50
    assert "Showing 51–55 of 55 requests" in second
    assert second.count("Introduction made") == 5
    asked = set(re.findall(r"Request number \d\d", first + second))
    assert len(asked) == 55  # every request on one page or the other


def test_the_attendance_form_offers_a_page_of_unregistered_members_and_finds_the_rest(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    event = community.plan_event(by=network.organiser, kind="national_workshop",
                                 title="Nurses' day", starts_on="2013-07-01", place="Leeds")
    community.register_for_event(event, by=network.nurse)
    late = newcomers(community, network, 70)[-1]
    community.today = lambda: date(2013, 7, 2)

    page = olive.get(f"/organise/events/{event}/attendance")

    assert page.data.count(b'name="attendee_ids"') <= 51  # Nina, and at most 50 others
    assert "Nina Nurse" in text(page.data)
    assert "more members not shown: find them by name above" in text(page.data)
    assert "Newcomer 69" not in text(page.data)

    found = submit(olive, page.data, {"q": "Newcomer 69"}, id="find-attendee")
    assert "Newcomer 69" in text(found.data)
    recorded = submit(olive, found.data, {"attendee_ids": [network.nurse, late]},
                      having="attendee_ids")

    assert recorded.status_code == 302
    assert "Recorded: 2 came to Nurses' day." in text(olive.get(recorded.location).data)


def test_a_team_page_lists_the_twenty_most_recent_workshops_and_counts_the_rest(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    for n in range(25):
        community.hold_workshop(by=network.organiser, kind="national_workshop",
                                title=f"Workshop {n:02}", held_on=date(2011, 1, 1 + n),
                                attendee_ids=[network.nurse])

    page = text(olive.get(f"/teams/{network.north}").data)

    assert "Workshop 24" in page and "Workshop 05" in page  # newest first
    assert "Workshop 04" not in page
    assert ("The 20 most recent are shown; members of this team also attended "
            "5 earlier events.") in page
