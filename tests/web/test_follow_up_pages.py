"""Follow-up pages: ask the paired team, answer from the inbox, and the organisers'
response times."""

from __future__ import annotations

import re
from typing import Any

from tests.builders import SmallNetwork
from tests.web.conftest import NINA, SARA
from tests.web.forms import submit
from tests.web.reading import links, log_in, log_out, table, text


def pair(community: Any, network: SmallNetwork) -> None:
    community.pair_teams(by=None, first_team_id=network.north, second_team_id=network.south,
                         paired_on="2011-01-10")


def ask(client: Any, **form: str) -> Any:
    return submit(client, client.get("/follow-ups/new").data, form, action="/follow-ups")


def as_member(client: Any, email: str) -> Any:
    log_out(client)
    assert log_in(client, email).status_code == 302
    return client


def test_nina_asks_her_paired_team_for_another_visit_and_sees_it_in_her_requests(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    pair(community, network)
    form = nina.get("/follow-ups/new")
    assert "My paired team (our peer-review partner): Southmoor lung cancer MDT" in text(form.data)

    sent = ask(nina, kind="reciprocal_visit", with_whom="paired_team",
               reason="Another visit to see your nurse-led clinic")

    assert sent.status_code == 302
    mine = table(nina.get("/follow-ups?tab=mine").data, "follow-ups")
    assert mine["body"] == [["Reciprocal visit", "Southmoor lung cancer MDT", "1 June 2013",
                             "Requested", "–"]]


def test_asking_the_paired_team_before_any_pairing_says_so(nina: Any) -> None:
    refused = ask(nina, kind="call", with_whom="paired_team", reason="A call")

    assert refused.status_code == 400
    assert "has not been paired with another team yet" in text(refused.data)


def test_asking_without_a_reason_or_member_names_the_problems(nina: Any) -> None:
    refused = ask(nina, kind="call", with_whom="member", member_id="", reason="")

    assert refused.status_code == 400
    assert "Choose the member you would like to ask" in text(refused.data)


def test_sara_accepts_from_her_inbox_with_a_date_and_nina_sees_it(
        client: Any, community: Any, network: SmallNetwork) -> None:
    pair(community, network)
    follow_up = community.request_follow_up(by=network.nurse, with_paired_team=True,
                                            kind="reciprocal_visit", reason="Another visit",
                                            requested_on="2013-05-20")
    log_in(client, SARA)
    inbox = client.get("/follow-ups")
    assert table(inbox.data, "follow-ups")["body"][0][:2] == ["Reciprocal visit", "Nina Nurse"]

    page = client.get(f"/follow-ups/{follow_up}")
    accepted = submit(client, page.data, {"proposed_date": "2013-07-04",
                                          "message": "Thursday suits us"},
                      action=f"/follow-ups/{follow_up}/accept")

    assert accepted.status_code == 302
    as_member(client, NINA)
    page = client.get(f"/follow-ups/{follow_up}")
    shown = text(page.data)
    assert "Accepted" in shown and "4 July 2013" in shown and "Thursday suits us" in shown
    assert b'name="proposed_date"' not in page.data  # the requester does not answer


def test_declining_needs_a_reason_and_the_requester_sees_it(
        client: Any, community: Any, network: SmallNetwork) -> None:
    follow_up = community.request_follow_up(by=network.nurse, team_id=network.south,
                                            kind="call", reason="A call")
    log_in(client, SARA)
    page = client.get(f"/follow-ups/{follow_up}")

    refused = submit(client, page.data, {"reason": ""}, action=f"/follow-ups/{follow_up}/decline")
    assert refused.status_code == 400
    assert "Give a reason for declining" in text(refused.data)

    submit(client, refused.data, {"reason": "No staff this summer"},
           action=f"/follow-ups/{follow_up}/decline")
    as_member(client, NINA)
    shown = text(client.get(f"/follow-ups/{follow_up}").data)
    assert "Declined" in shown and "No staff this summer" in shown


def test_a_member_not_asked_cannot_see_or_answer_a_request(
        client: Any, community: Any, network: SmallNetwork) -> None:
    follow_up = community.request_follow_up(by=network.nurse, member_id=network.lead,
                                            kind="call", reason="A call")
    log_in(client, SARA)

    assert client.get(f"/follow-ups/{follow_up}").status_code == 403


def test_the_organiser_sees_response_times_and_the_unanswered_oldest_first(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    answered = community.request_follow_up(by=network.nurse, team_id=network.south,
                                           kind="reciprocal_visit", reason="Visit",
                                           requested_on="2013-05-01")
    community.accept_follow_up(answered, by=network.other_nurse, proposed_date="2013-06-20",
                               answered_on="2013-05-04")
    community.request_follow_up(by=network.nurse, to_organisers=True, kind="facilitator_visit",
                                reason="Revisit", requested_on="2013-05-25")
    community.request_follow_up(by=network.lead, to_organisers=True, kind="call",
                                reason="Call", requested_on="2013-04-01")

    page = olive.get("/organise/follow-ups")

    assert "Median time to first response 3 days" in text(page.data)
    assert [r[0] for r in table(page.data, "unanswered")["body"]] == ["Call", "Facilitator visit"]
    assert [r[-1] for r in table(page.data, "unanswered")["body"]] == ["61", "7"]
    assert table(page.data, "response-times")["body"][0][5] == "3"
    only_calls = olive.get("/organise/follow-ups?kind=call")
    assert "No answers yet" in text(only_calls.data)

    exported = olive.get("/organise/follow-ups.csv")
    assert exported.mimetype == "text/csv"
    lines = exported.data.decode().splitlines()
    assert lines[0].startswith("id,kind,requested_by")
    assert len(lines) == 4


def test_members_cannot_see_the_response_times(nina: Any) -> None:
    assert nina.get("/organise/follow-ups").status_code == 403


def test_asking_without_choosing_what_or_why_names_both(nina: Any) -> None:
    refused = ask(nina, with_whom="organisers", reason="")

    assert refused.status_code == 400
    shown = text(refused.data)
    assert "What you would like must be one of: Reciprocal visit" in shown
    assert "Why is required" in shown


def test_accepting_without_a_date_asks_for_one(client: Any, community: Any,
                                               network: SmallNetwork) -> None:
    follow_up = community.request_follow_up(by=network.nurse, kind="call", reason="A call",
                                            member_id=network.other_nurse)
    log_in(client, SARA)
    page = client.get(f"/follow-ups/{follow_up}")
    refused = submit(client, page.data, {"proposed_date": "", "message": "Any Thursday"},
                     action=f"/follow-ups/{follow_up}/accept")

    assert refused.status_code == 400
    assert "The proposed date must be a date like 2012-03-31" in text(refused.data)
    assert "Any Thursday" in refused.data.decode()


def test_a_long_list_of_follow_ups_shows_a_page_at_a_time(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    # Issue 13: no page renders an unbounded list.
    for n in range(55):
        community.request_follow_up(by=network.nurse, team_id=network.south,
                                    reason=f"Visit {n}?", requested_on="2012-05-20")
    page = nina.get("/follow-ups?tab=mine")

    assert len(table(page.data, "follow-ups")["body"]) == 50
    assert "Showing 1–50 of 55 follow-ups" in text(page.data)
    rest = nina.get(links(page.data)["Next page"])
    assert len(table(rest.data, "follow-ups")["body"]) == 5


def test_the_member_list_offers_contacts_and_the_paired_team_and_anyone_from_a_profile(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    from tests.web.reading import selected

    community.make_contact(by=network.nurse, to_member_id=network.lead, topic="Clinic",
                           made_on="2012-02-10")
    offered = nina.get("/follow-ups/new").get_data(as_text=True)
    assert "Liam Lead" in offered and "Sara South" not in offered  # not yet in contact

    profile = nina.get(f"/members/{network.other_nurse}")
    from_profile = nina.get(links(profile.data)["Ask Sara South for a follow-up"])

    assert selected(from_profile.data, "member_id") == [str(network.other_nurse)]
    assert re.search(r'name="with_whom"[^>]*value="member"[^>]*checked',
                     from_profile.get_data(as_text=True))
    sent = submit(nina, from_profile.data, {"kind": "call", "reason": "A call about EBUS"},
                  action="/follow-ups")
    assert sent.status_code == 302
