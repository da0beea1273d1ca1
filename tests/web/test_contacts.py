"""Making contact in the pages: find counterparts, record a contact, ask for an
introduction, and the organiser making it. Forms are submitted as the page renders them
(tests/web/forms.py)."""

from __future__ import annotations

import re
from typing import Any

from tests.builders import SmallNetwork
from tests.web.forms import submit
from tests.web.reading import links, log_in, log_out, table, text

NINA = "nina.nurse@northshire.nhs.uk"
OLIVE = "olive.organiser@example.org"


def suggested(page: bytes) -> list[str]:
    return re.findall(r'data-member-id="([^"]+)"', page.decode())


def test_counterparts_show_the_other_teams_nurse_with_the_reasons(nina: Any, network) -> None:
    page = nina.get("/counterparts")

    assert page.status_code == 200
    assert suggested(page.data) == [str(network.other_nurse)]
    seen = text(page.data)
    assert "Sara South" in seen
    assert "Same role as you: Lung cancer nurse specialist" in seen
    assert ("Their team does well on \u201cSeen by a lung cancer nurse specialist\u201d: 91% "
            "(your team 61%, standard 80%)") in seen


def test_recording_a_contact_shows_it_in_the_history_at_once(nina: Any, network) -> None:
    page = nina.get("/counterparts")
    response = submit(nina, page.data, {"topic": "Nurse-led clinics", "channel": "phone"},
                      action="/contacts")

    assert response.status_code == 302 and response.headers["Location"] == "/contacts"
    history = nina.get("/contacts")
    assert "Recorded: you contacted Sara South." in text(history.data)
    found = table(history.data, "contacts")
    assert found["head"] == [["Date", "With", "Who got in touch", "How", "About"]]
    assert [row[1:] for row in found["body"]] == [["Sara South", "You", "Phone", "Nurse-led clinics"]]


def test_a_contact_without_a_topic_is_not_recorded_and_says_why(nina: Any, network) -> None:
    page = nina.get("/counterparts")
    response = submit(nina, page.data, {"topic": "  ", "channel": "email"}, action="/contacts",
                      follow_redirects=True)

    assert "Your contact was not recorded: what you talked about is required." in text(response.data)
    assert b'class="nhsuk-error-summary"' in response.data
    assert "No contacts recorded yet" in text(nina.get("/contacts").data)


def test_the_organiser_sees_an_introduction_asked_for_and_records_it(
        client: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    page = client.get("/counterparts")
    submit(client, page.data, {"reason": "Her nurse-led clinic"}, action="/introductions")
    log_out(client)
    log_in(client, OLIVE)

    inbox = client.get("/organise/introductions")
    assert "Nina Nurse would like to meet Sara South" in text(inbox.data)
    assert "Her nurse-led clinic" in text(inbox.data)
    follow_up_id = re.search(r'/organise/introductions/([0-9a-f-]+)', inbox.data.decode()).group(1)
    done = submit(client, inbox.data, {"topic": "Nurse-led clinics"},
                  action=f"/organise/introductions/{follow_up_id}", follow_redirects=True)

    assert "Introduction recorded as a facilitated contact" in text(done.data)
    assert "No introductions are waiting." in text(done.data)
    log_out(client)
    log_in(client, NINA)
    assert "Introduced by the organisers" in text(client.get("/contacts").data)


def test_participants_cannot_open_the_introductions_list(nina: Any) -> None:
    assert nina.get("/organise/introductions").status_code == 403


def test_logged_out_visitors_are_sent_to_log_in(client: Any, network) -> None:
    for path in ("/counterparts", "/contacts"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_team_page_shows_its_pairing_and_the_workshops_its_members_attended(
        community: Any, client: Any, network: SmallNetwork) -> None:
    community.pair_teams(by=None, first_team_id=network.north, second_team_id=network.south,
                         paired_on="2010-02-01")
    community.hold_workshop(by=None, kind="national_workshop", title="National workshop",
                            held_on="2011-03-02", attendee_ids=[network.nurse, network.lead])
    log_in(client, NINA)

    page = text(client.get(f"/teams/{network.north}").data)

    assert "Paired with Southmoor lung cancer MDT (round 1, from 1 February 2010)" in page
    rows = table(client.get(f"/teams/{network.north}").data, "workshops")["body"]
    assert [row[1:] for row in rows] == [["National workshop", "2"]]


def test_a_long_contact_history_shows_a_page_at_a_time(nina: Any, network, community) -> None:
    # Issue 13: no page renders an unbounded list.
    for n in range(60):
        community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                               topic=f"Call {n}", made_on="2012-01-01")
    page = nina.get("/contacts")

    assert len(table(page.data, "contacts")["body"]) == 50
    assert "Showing 1–50 of 60 contacts" in text(page.data)
    rest = nina.get(links(page.data)["Next page"])
    assert len(table(rest.data, "contacts")["body"]) == 10
