"""Follow-ups over the API: ask the paired team, find it in the inbox, accept or
decline it, close it; organisers read the response times."""

from __future__ import annotations

from typing import Any

from community import Community
from tests.api.conftest import ApiClient, error_of, fields_of, json_of
from tests.builders import SmallNetwork


def pair(community: Community, network: SmallNetwork) -> None:
    community.pair_teams(by=None, first_team_id=network.north, second_team_id=network.south,
                         paired_on="2011-01-10")


def test_a_request_to_the_paired_team_reaches_its_inbox_and_is_accepted_with_a_date(
        nurse: ApiClient, other_nurse: ApiClient, community: Community,
        network: SmallNetwork) -> None:
    pair(community, network)
    asked = json_of(nurse.post("/follow-ups/paired-team", {
        "kind": "reciprocal_visit", "reason": "Another visit"}), 201)["follow_up"]
    assert asked["team_id"] == str(network.south)

    inbox = json_of(other_nurse.get("/follow-ups/inbox"), 200)
    assert [f["id"] for f in inbox["follow_ups"]] == [asked["id"]]

    accepted = json_of(other_nurse.post(f"/follow-ups/{asked['id']}/accept", {
        "proposed_date": "2013-07-04", "message": "Thursday"}), 200)["follow_up"]
    assert accepted["status"] == "accepted"
    assert accepted["proposed_date"] == "2013-07-04"
    assert accepted["first_answered_on"] == "2013-06-01"
    mine = json_of(nurse.get("/follow-ups/inbox?box=mine"), 200)["follow_ups"]
    assert mine[0]["status"] == "accepted"


def test_asking_the_paired_team_without_a_pairing_names_the_team(nurse: ApiClient) -> None:
    assert "team_id" in fields_of(nurse.post("/follow-ups/paired-team", {"reason": "Call"}))


def test_declining_needs_a_reason_and_a_declined_request_cannot_be_accepted(
        nurse: ApiClient, other_nurse: ApiClient, network: SmallNetwork) -> None:
    asked = json_of(nurse.post("/follow-ups", {"team_id": str(network.south),
                                               "reason": "A call"}), 201)["follow_up"]

    assert "reason" in fields_of(other_nurse.post(f"/follow-ups/{asked['id']}/decline",
                                                  {"reason": " "}))
    declined = json_of(other_nurse.post(f"/follow-ups/{asked['id']}/decline",
                                        {"reason": "Not this year"}), 200)["follow_up"]
    assert (declined["status"], declined["decline_reason"]) == ("declined", "Not this year")
    error_of(other_nurse.post(f"/follow-ups/{asked['id']}/accept",
                              {"proposed_date": "2013-07-04"}), 409)


def test_only_the_people_asked_can_accept(nurse: ApiClient, lead: ApiClient,
                                          network: SmallNetwork) -> None:
    asked = json_of(nurse.post("/follow-ups", {"team_id": str(network.south),
                                               "reason": "A call"}), 201)["follow_up"]

    error_of(lead.post(f"/follow-ups/{asked['id']}/accept", {"proposed_date": "2013-07-04"}), 403)


def test_a_proposed_date_before_the_request_is_refused(
        nurse: ApiClient, other_nurse: ApiClient, network: SmallNetwork) -> None:
    asked = json_of(nurse.post("/follow-ups", {"team_id": str(network.south),
                                               "reason": "A call"}), 201)["follow_up"]

    fields = fields_of(other_nurse.post(f"/follow-ups/{asked['id']}/accept",
                                        {"proposed_date": "2013-05-01"}))
    assert set(fields) == {"proposed_date"}


def test_organisers_read_the_response_times(
        organiser: ApiClient, nurse: ApiClient, community: Community,
        network: SmallNetwork) -> None:
    follow_up = community.request_follow_up(by=network.nurse, team_id=network.south,
                                            reason="Visit", requested_on="2013-05-01")
    community.accept_follow_up(follow_up, by=network.other_nurse, proposed_date="2013-06-20",
                               answered_on="2013-05-03")

    report = json_of(organiser.get("/follow-ups/response-times"), 200)

    assert report["median_days"] == 2
    assert report["answered"][0]["days_to_first_response"] == 2
    error_of(nurse.get("/follow-ups/response-times"), 403)


def test_the_new_routes_are_documented(anonymous: Any) -> None:
    paths = json_of(anonymous.get("/openapi.json"), 200)["paths"]

    for path in ("/follow-ups/inbox", "/follow-ups/paired-team",
                 "/follow-ups/{follow_up_id}/accept", "/follow-ups/{follow_up_id}/decline"):
        assert path in paths
