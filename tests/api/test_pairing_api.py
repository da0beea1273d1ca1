"""Peer-review pairing over real HTTP: an organiser asks for proposed pairs and
records the ones accepted; nobody else may. And the two operations fuzzed from
their OpenAPI description as the organiser (the shared fuzz test sends them as a
participant, who only ever gets a 403)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import given

from tests.api.conftest import ApiClient, error_of, fields_of, json_of
from tests.api.test_fuzzing import (
    FUZZ,
    cases,
    log_in_every_case_as,
    session_cookie,
    valid_requests_are_refused_only_for_what_the_schema_cannot_say,
)
from tests.builders import SmallNetwork, add_complementary_teams
from web.api.openapi import DOCUMENT

LOOSE = {"max_standing_gap": 5, "indicators": ["cns_seen", "histology"]}


@pytest.fixture
def teams(community: Any, network: SmallNetwork) -> dict[str, str]:
    return add_complementary_teams(community, network)


def pair_ids(found: dict[str, Any]) -> set[frozenset[str]]:
    return {frozenset((p["first"]["id"], p["second"]["id"])) for p in found["pairs"]}


def test_an_organiser_gets_pairs_with_reasons_and_figures(organiser: ApiClient, teams) -> None:
    found = json_of(organiser.get("/pairings/proposal", params=LOOSE), 200)

    assert found["round"] == 1
    assert [i["key"] for i in found["indicators"]] == ["cns_seen", "histology"]
    assert pair_ids(found) == {frozenset({teams["east"], teams["west"]}),
                               frozenset({teams["north"], teams["south"]})}
    east_west = next(p for p in found["pairs"] if p["first"]["id"] == teams["east"])
    assert east_west["reasons"][0].startswith("Eastmoor lung cancer MDT is 15 points above "
                                              "the standard")
    assert east_west["distance_km"] > 100 and east_west["caseload_ratio"] < 2
    assert found["unpaired"] == [] and found["recorded"] == []
    assert found["limits"]["max_standing_gap"] == 5


def test_teams_left_out_come_with_the_reason(organiser: ApiClient, teams) -> None:
    found = json_of(organiser.get("/pairings/proposal",
                                  params={**LOOSE, "min_distance_km": 400}), 200)

    reasons = {u["team"]["name"]: u["reason"] for u in found["unpaired"]}
    assert reasons["Northshire lung cancer MDT"] == "no team at least 400 km away"


def test_accepting_records_every_pair_and_the_next_proposal_avoids_them(
        organiser: ApiClient, teams) -> None:
    pairs = [{"first_team_id": teams["east"], "second_team_id": teams["west"]},
             {"first_team_id": teams["north"], "second_team_id": teams["south"]}]

    made = json_of(organiser.post("/pairings", {"round": 1, "paired_on": "2013-05-01",
                                                "pairs": pairs}), 201)

    assert made["round"] == 1 and len(made["pairings"]) == 2
    assert {p["paired_on"] for p in made["pairings"]} == {"2013-05-01"}
    again = json_of(organiser.get("/pairings/proposal", params=LOOSE), 200)
    assert again["round"] == 2
    assert not pair_ids(again) & {frozenset({teams["east"], teams["west"]}),
                                  frozenset({teams["north"], teams["south"]})}
    same_round = json_of(organiser.get("/pairings/proposal", params={**LOOSE, "round": 1}), 200)
    assert same_round["pairs"] == [] and len(same_round["recorded"]) == 2


def test_a_team_already_paired_in_the_round_is_a_conflict_and_nothing_is_recorded(
        organiser: ApiClient, teams) -> None:
    organiser.post("/pairings", {"pairs": [{"first_team_id": teams["east"],
                                            "second_team_id": teams["west"]}]})

    answer = organiser.post("/pairings", {"pairs": [
        {"first_team_id": teams["north"], "second_team_id": teams["west"]},
        {"first_team_id": teams["east"], "second_team_id": teams["south"]}]})

    assert error_of(answer, 409)["message"] == (
        "already paired in round 1: Westdale lung cancer MDT, Eastmoor lung cancer MDT")
    recorded = json_of(organiser.get("/pairings/proposal", params={"round": 1}), 200)["recorded"]
    assert len(recorded) == 1


def test_a_team_twice_or_unknown_is_refused_naming_the_field(organiser: ApiClient,
                                                            teams) -> None:
    answer = organiser.post("/pairings", {"pairs": [
        {"first_team_id": teams["east"], "second_team_id": teams["west"]},
        {"first_team_id": teams["north"], "second_team_id": teams["east"]},
        {"first_team_id": teams["south"], "second_team_id": "6b0f6a34-9c55-4d4e-9f7e-000000000000"}]})

    assert fields_of(answer) == {
        "pairs[1].second_team_id": "Eastmoor lung cancer MDT is already in pair 1",
        "pairs[2].second_team_id": "no such team"}


def test_bad_settings_are_named(organiser: ApiClient, teams) -> None:
    answer = organiser.get("/pairings/proposal", params={
        "min_distance_km": "far", "repeats": "sometimes", "round": 0, "indicators": "nope"})

    assert set(fields_of(answer)) == {"min_distance_km", "repeats"}
    assert set(fields_of(organiser.get("/pairings/proposal", params={"round": 0}))) == {"round"}
    assert set(fields_of(organiser.get("/pairings/proposal",
                                       params={"indicators": "nope"}))) == {"indicators"}


def test_only_organisers_may_propose_or_record_pairs(nurse: ApiClient, anonymous: ApiClient,
                                                     teams) -> None:
    pairs = {"pairs": [{"first_team_id": teams["east"], "second_team_id": teams["west"]}]}

    assert error_of(nurse.get("/pairings/proposal"), 403)
    assert error_of(nurse.post("/pairings", pairs), 403)
    assert error_of(anonymous.get("/pairings/proposal"), 401)
    assert error_of(anonymous.post("/pairings", pairs), 401)


def test_both_operations_are_described_in_the_openapi_document(anonymous: ApiClient) -> None:
    paths = json_of(anonymous.get("/openapi.json"), 200)["paths"]

    assert "get" in paths["/pairings/proposal"] and "post" in paths["/pairings"]


@pytest.mark.parametrize("path, method", [("/pairings/proposal", "GET"), ("/pairings", "POST")])
def test_no_generated_request_from_an_organiser_gets_a_500_or_an_undocumented_answer(
        web_app, community, network, path, method) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", web_app)
    operation = schema[path][method]
    log_in_every_case_as(schema, session_cookie(web_app, "organiser"))
    assert DOCUMENT["paths"][path]

    @FUZZ
    @given(case=cases(operation, {}))
    def check(case: Any) -> None:
        case.call_and_validate(
            excluded_checks=[schemathesis.checks.positive_data_acceptance],
            additional_checks=[valid_requests_are_refused_only_for_what_the_schema_cannot_say])

    check()


def test_an_empty_number_in_the_query_is_400_naming_it(organiser, teams) -> None:
    answer = organiser.get("/pairings/proposal?contrast=&min_distance_km=50&round=")

    assert set(fields_of(answer)) == {"contrast", "round"}
