"""Organisers' safety nets: recording a round's pairs and sending every waiting e-mail
each ask first, saying what will happen, and "Go back" changes nothing. Driven through
the rendered forms (tests/web/forms.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from community import Community
from tests.builders import SmallNetwork, add_complementary_teams
from tests.smtp import Mailbox
from tests.web.forms import form_on, submit
from tests.web.reading import table, text

PAGE = "/organise/pairing"
LOOSE = {"max_standing_gap": "5", "indicators": ["cns_seen", "histology"]}


@pytest.fixture
def four_teams(community: Any, network: SmallNetwork) -> dict[str, str]:
    return add_complementary_teams(community, network)


def accept_form(olive: Any) -> Any:
    """The proposal page and the confirmation its "Accept these pairs" leads to."""
    proposal = olive.get(PAGE, query_string=LOOSE)
    return submit(olive, proposal.data, action="/organise/pairing/check")


def test_each_proposed_pair_says_its_figures_in_words_with_the_raw_figures_folded_away(
        olive: Any, four_teams) -> None:
    page = olive.get(PAGE, query_string=LOOSE).data.decode()

    seen = text(page)
    assert "Similar caseloads, " in seen
    assert " km apart, each strong where the other is weak" in seen
    # The matching's weights are there for whoever checks, inside a closed <details>.
    folded = re.split(r'<summary class="nhsuk-details__summary"><span class="nhsuk-details'
                      r'__summary-text">[0-9]+ more reasons?, weights and figures', page)
    assert len(folded) == 3  # two pairs, one fold each
    assert "Weight " in folded[1] and "standing gap" in folded[1]
    assert "Similar caseloads: " in folded[1]  # the figure in full, folded
    assert "standing gap" not in folded[0].split('id="proposed"')[1]


def test_accepting_the_pairs_first_says_what_will_happen_and_records_nothing(
        olive: Any, community: Community, four_teams) -> None:
    confirmation = accept_form(olive)

    assert confirmation.status_code == 200
    seen = text(confirmation.data)
    assert "Record these pairs?" in seen
    assert ("2 pairs will be recorded for round 1. Each team's page will show its partner "
            "team for round 1. This cannot be undone: pairs can be changed in a later round."
            ) in seen
    assert "Eastmoor lung cancer MDT and Westdale lung cancer MDT" in seen
    assert community.views.network.paired_in_round(1) == set()


def test_recording_the_confirmed_pairs_shows_them_with_a_link_back_and_no_form(
        olive: Any, community: Community, four_teams) -> None:
    confirmation = accept_form(olive)

    answer = submit(olive, confirmation.data, action=PAGE, button="record")

    assert answer.status_code == 302
    after = olive.get(answer.headers["Location"])
    seen = text(after.data)
    assert "2 pairs recorded for round 1." in seen
    assert table(after.data, "recorded-pairs")["body"] == [
        ["Eastmoor lung cancer MDT", "Westdale lung cancer MDT"],
        ["Northshire lung cancer MDT", "Southmoor lung cancer MDT"]]
    assert "Back to Pair teams" in seen
    assert b"<select" not in after.data and b"Accept these pairs" not in after.data
    assert len(community.views.network.paired_in_round(1)) == 4


def test_going_back_from_the_confirmation_keeps_the_pairs_as_chosen_and_records_nothing(
        olive: Any, community: Community, four_teams) -> None:
    proposal = olive.get(PAGE, query_string=LOOSE)
    swapped = {"first-1": four_teams["east"], "second-1": four_teams["north"],
               "first-2": four_teams["west"], "second-2": four_teams["south"]}
    confirmation = submit(olive, proposal.data, swapped, action="/organise/pairing/check")
    assert "Eastmoor lung cancer MDT and Northshire lung cancer MDT" in text(confirmation.data)

    back = submit(olive, confirmation.data, action=PAGE, button="back")

    assert back.status_code == 200
    accept = form_on(back.data, action="/organise/pairing/check")
    assert accept.defaults["first-1"] == [four_teams["east"]]
    assert accept.defaults["second-1"] == [four_teams["north"]]
    assert community.views.network.paired_in_round(1) == set()


def test_a_team_chosen_twice_is_named_before_the_confirmation(olive: Any,
                                                             four_teams) -> None:
    proposal = olive.get(PAGE, query_string=LOOSE)

    answer = submit(olive, proposal.data, {"second-2": four_teams["east"],
                                           "first-1": four_teams["east"]},
                    action="/organise/pairing/check")

    assert answer.status_code == 400
    assert "Pair 2: Eastmoor lung cancer MDT is already in pair 1" in text(answer.data)
    assert "Record these pairs?" not in text(answer.data)


# --- the outbox's "Send all" ------------------------------------------------------------


def propose(community: Community, member: Any, key: str, subject: str) -> str:
    message_id, _ = community.propose_message(
        key=key, to_member_id=member, subject=subject, body="Dear colleague,\n\nCan we help?",
        reason="No progress reported for 90 days")
    return str(message_id)


def waiting_three_to_two(community: Community, network: SmallNetwork) -> None:
    propose(community, network.nurse, "nudge:qip:a", "How is your CNS QIP going?")
    propose(community, network.nurse, "nudge:qip:b", "How is your biopsy QIP going?")
    propose(community, network.other_nurse, "nudge:qip:c", "How is your trials QIP going?")


def test_send_all_first_says_how_many_e_mails_go_to_how_many_members(
        olive: Any, network: SmallNetwork, community: Community, mailbox: Mailbox) -> None:
    waiting_three_to_two(community, network)
    outbox = olive.get("/organise/outbox")
    assert 'href="/organise/outbox/send-all"' in outbox.data.decode()

    confirmation = olive.get("/organise/outbox/send-all")

    seen = text(confirmation.data)
    assert "3 messages to 2 members will be sent by e-mail now." in seen
    assert "Nina Nurse: How is your CNS QIP going?" in seen
    assert mailbox.received == []
    assert community.views.outbox.counts()["proposed"] == 3


def test_confirming_sends_exactly_the_e_mails_listed(
        olive: Any, network: SmallNetwork, community: Community, mailbox: Mailbox) -> None:
    waiting_three_to_two(community, network)
    confirmation = olive.get("/organise/outbox/send-all")
    # One proposed after the organiser looked waits for the next look.
    propose(community, network.lead, "nudge:qip:d", "A late one")

    done = submit(olive, confirmation.data, action="/organise/outbox/send", button="send",
                  follow_redirects=True)

    assert "3 sent" in text(done.data)
    assert len(mailbox.received) == 3
    assert community.views.outbox.counts()["proposed"] == 1


def test_send_all_with_nothing_waiting_says_so_and_offers_no_button(
        olive: Any, network: SmallNetwork) -> None:
    page = olive.get("/organise/outbox/send-all")

    assert "There is nothing waiting to be sent" in text(page.data)
    assert b'action="/organise/outbox/send"' not in page.data


def test_only_organisers_see_the_send_all_confirmation(nina: Any) -> None:
    assert nina.get("/organise/outbox/send-all").status_code == 403
