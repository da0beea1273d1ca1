"""The organisers' "Pair teams" page: proposed pairs with their reasons, the teams
left out and why, and accepting the pairs (as proposed, swapped or by hand)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.builders import SmallNetwork, add_complementary_teams
from tests.web.forms import form_on, submit
from tests.web.reading import log_out, table, text

PAGE = "/organise/pairing"


@pytest.fixture
def four_teams(community: Any, network: SmallNetwork) -> dict[str, str]:
    return add_complementary_teams(community, network)


CHECK = "/organise/pairing/check"


def record_pairs(olive: Any, page: bytes, chosen: dict[str, str] | None = None) -> Any:
    """Press "Accept these pairs" with ``chosen``, then "Record these pairs" on the
    confirmation; a refusal at the first step is the answer."""
    confirmation = submit(olive, page, chosen or {}, action=CHECK)
    if confirmation.status_code != 200:
        return confirmation
    return submit(olive, confirmation.data, action=PAGE, button="record")


def proposed(page: bytes) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in
            re.findall(r'data-first="([^"]+)" data-second="([^"]+)"', page.decode())}


LOOSE = {"max_standing_gap": "5", "indicators": ["cns_seen", "histology"]}


def test_the_organiser_sees_pairs_proposed_with_reasons_and_figures(olive: Any,
                                                                     four_teams) -> None:
    page = olive.get(PAGE, query_string=LOOSE)

    assert page.status_code == 200
    assert proposed(page.data) == {frozenset({four_teams["east"], four_teams["west"]}),
                                   frozenset({four_teams["north"], four_teams["south"]})}
    seen = text(page.data)
    assert "2 pairs of 4 teams" in seen
    assert ("Eastmoor lung cancer MDT is 15 points above the standard on “Seen by a lung "
            "cancer nurse specialist” (95%), where Westdale lung cancer MDT is 22 points "
            "below (58%)") in seen
    assert "Similar caseloads: Eastmoor lung cancer MDT 300 and Westdale lung cancer MDT 260" in seen


def test_teams_that_cannot_be_paired_are_listed_with_why(olive: Any, four_teams) -> None:
    page = olive.get(PAGE, query_string={**LOOSE, "min_distance_km": "400"})

    found = table(page.data, "unpaired")
    assert found["head"] == [["Team", "Why"]]
    reasons = dict(found["body"])
    assert reasons["Northshire lung cancer MDT"] == "No team at least 400 km away"


def test_the_organiser_accepts_the_proposed_pairs_and_team_pages_show_them(
        olive: Any, four_teams) -> None:
    page = olive.get(PAGE, query_string=LOOSE)
    chosen = {"first-1": four_teams["east"], "second-1": four_teams["west"],
              "first-2": four_teams["north"], "second-2": four_teams["south"]}
    assert {k: v for k, v in form_on(page.data, CHECK).data({}).items()
            if k in chosen} == chosen  # proposed, and pressed as they stand

    answer = record_pairs(olive, page.data)

    assert answer.status_code == 302
    after = olive.get(answer.headers["Location"])
    assert "2 pairs recorded for round 1." in text(after.data)
    assert table(after.data, "recorded-pairs")["body"] == [
        ["Eastmoor lung cancer MDT", "Westdale lung cancer MDT"],
        ["Northshire lung cancer MDT", "Southmoor lung cancer MDT"]]
    team_page = text(olive.get(f"/teams/{four_teams['east']}").data)
    assert "Paired with Westdale lung cancer MDT (round 1" in team_page


def test_the_organiser_may_swap_partners_against_the_proposal(olive: Any, four_teams) -> None:
    page = olive.get(PAGE, query_string=LOOSE)

    answer = record_pairs(olive, page.data, {
        "first-1": four_teams["east"], "second-1": four_teams["north"],
        "first-2": four_teams["west"], "second-2": four_teams["south"]})

    assert answer.status_code == 302
    assert "Paired with Northshire lung cancer MDT" in text(
        olive.get(f"/teams/{four_teams['east']}").data)


def test_a_team_chosen_twice_is_refused_naming_the_pair_and_nothing_is_recorded(
        olive: Any, four_teams) -> None:
    page = olive.get(PAGE, query_string=LOOSE)

    answer = record_pairs(olive, page.data, {
        "first-1": four_teams["east"], "second-1": four_teams["west"],
        "first-2": four_teams["north"], "second-2": four_teams["east"]})

    assert answer.status_code == 400
    assert b'class="nhsuk-error-summary"' in answer.data
    assert 'href="#second-2"' in answer.data.decode()
    assert "Pair 2: Eastmoor lung cancer MDT is already in pair 1" in text(answer.data)
    assert "Peer-review pairing" in text(olive.get(f"/teams/{four_teams['east']}").data)
    assert "Paired with" not in text(olive.get(f"/teams/{four_teams['east']}").data)


def test_a_pair_with_one_team_missing_is_refused_naming_the_field(olive: Any,
                                                                  four_teams) -> None:
    page = olive.get(PAGE, query_string=LOOSE)

    answer = record_pairs(olive, page.data, {"first-1": four_teams["east"], "second-1": "",
                                       "first-2": "", "second-2": ""})

    assert answer.status_code == 400
    assert 'href="#second-1"' in answer.data.decode()
    assert ("Pair 1: choose the second team too, or clear the first to leave the pair out"
            in text(answer.data))


def test_a_team_already_paired_in_the_round_is_a_conflict(olive: Any, community: Any,
                                                          four_teams) -> None:
    page = olive.get(PAGE, query_string=LOOSE)  # round 1, opened before another organiser
    community.pair_teams(by=None, first_team_id=four_teams["east"],
                         second_team_id=four_teams["west"], round=1)

    answer = record_pairs(olive, page.data, {"first-1": four_teams["east"],
                                       "second-1": four_teams["north"],
                                       "first-2": "", "second-2": ""})

    assert answer.status_code == 409
    assert "Nothing can be recorded: already paired in round 1: Eastmoor lung cancer MDT" in text(
        answer.data)


def test_bad_settings_are_named_in_an_error_summary(olive: Any, four_teams) -> None:
    page = olive.get(PAGE, query_string={"min_distance_km": "far", "contrast": "-2",
                                         "indicators": "nonsense"})

    assert page.status_code == 400
    seen = text(page.data)
    assert seen.startswith("Skip to main content") and "There is a problem" in seen
    assert "Minimum distance apart must be a number" in seen
    assert "Contrast weight must be at least 0" in seen
    assert "Choose the indicators to compare from the list" in seen
    assert 'href="#min_distance_km"' in page.data.decode()


def test_re_pairing_proposes_the_next_round_without_repeating_a_pair(
        olive: Any, community: Any, four_teams) -> None:
    community.pair_teams(by=None, first_team_id=four_teams["east"],
                         second_team_id=four_teams["west"], round=1)
    community.pair_teams(by=None, first_team_id=four_teams["north"],
                         second_team_id=four_teams["south"], round=1)

    page = olive.get(PAGE, query_string=LOOSE)

    assert "Proposed pairs for round 2" in text(page.data)
    assert not proposed(page.data) & {frozenset({four_teams["east"], four_teams["west"]}),
                                      frozenset({four_teams["north"], four_teams["south"]})}


def test_only_organisers_may_pair_teams(client: Any, nina: Any, four_teams) -> None:
    assert nina.get(PAGE).status_code == 403
    # Nina is never shown the form: a forged post with the fields the organisers' form has.
    token = form_on(nina.get("/directory").data, "/logout").data({})["csrf_token"]
    assert nina.post(PAGE, data={"csrf_token": token, "first-1": four_teams["east"],
                                 "second-1": four_teams["west"]}).status_code == 403
    log_out(nina)
    answer = client.get(PAGE)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_organisers_find_the_page_in_their_hub(olive: Any, four_teams) -> None:
    assert 'href="/organise"' in olive.get("/directory").data.decode()
    assert 'href="/organise/pairing"' in olive.get("/organise").data.decode()
