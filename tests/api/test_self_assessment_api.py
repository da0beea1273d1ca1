"""The sustainability self-assessment through the JSON API: a team member scores an
active QIP, anyone who can see the QIP reads the team's results, and an organiser
corrects the model's weights."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from community import Community
from tests.api.conftest import ApiClient, error_of, fields_of, json_of
from tests.builders import SmallNetwork

PLAN = {"title": "A nurse specialist at every diagnosis", "key_area": "cns_access",
        "aim": "From 61% to 80% of patients seen by a CNS at diagnosis by March 2014",
        "timeframe": "April 2013 to March 2014",
        "measures": [{"name": "Seen by a CNS", "unit": "%", "baseline": 61, "target": 80}]}


@pytest.fixture
def qip(community: Community, network: SmallNetwork) -> UUID:
    """Northshire's QIP, accepted by the organisers: active."""
    qip_id = community.draft_qip(by=network.nurse, **PLAN)
    community.submit_qip(qip_id, by=network.nurse)
    community.review_qip(qip_id, by=network.organiser, decision="accept", comments={})
    return qip_id


def model_of(client: ApiClient) -> dict[str, Any]:
    return json_of(client.get("/sustainability-model"), 200)["model"]


def levels(client: ApiClient, level: int, **others: int) -> dict[str, int]:
    return {f["key"]: others.get(f["key"], level) for f in model_of(client)["factors"]}


def test_the_model_lists_ten_factors_with_questions_levels_and_weights(
        nurse: ApiClient) -> None:
    model = model_of(nurse)

    assert len(model["factors"]) == 10
    leaders = next(f for f in model["factors"] if f["key"] == "senior_leadership")
    assert leaders["domain"] == "staff" and leaders["weights"][-1] == 15
    assert len(leaders["levels"]) == 4 and leaders["question"].endswith("?")
    assert (model["max_total"], model["optimism_threshold"]) == (100, 55)


def test_a_team_member_scores_an_active_qip_and_gets_the_teams_results(
        nurse: ApiClient, lead: ApiClient, qip: UUID) -> None:
    json_of(lead.post(f"/qips/{qip}/sustainability",
                      {"levels": levels(lead, 3, senior_leadership=1),
                       "assessed_on": "2013-05-01"}), 201)

    answer = json_of(nurse.post(f"/qips/{qip}/sustainability",
                                {"levels": levels(nurse, 3, senior_leadership=4),
                                 "assessed_on": "2013-05-01"}), 201)

    assert answer["assessment"]["qip_id"] == str(qip)
    assert answer["assessment"]["assessed_on"] == "2013-05-01"
    assert answer["assessment"]["levels"]["senior_leadership"] == 4
    latest = answer["results"]["latest"]
    assert (latest["assessed_on"], latest["members"]) == ("2013-05-01", 2)
    leaders = next(f for f in latest["factors"] if f["key"] == "senior_leadership")
    assert (leaders["lowest"], leaders["highest"], leaders["disagreement"]) == (1.5, 15, True)


def test_anyone_who_can_see_the_qip_reads_its_results_over_time(
        nurse: ApiClient, other_nurse: ApiClient, qip: UUID) -> None:
    for day, level in (("2013-01-10", 2), ("2013-04-10", 3)):
        json_of(nurse.post(f"/qips/{qip}/sustainability",
                           {"levels": levels(nurse, level), "assessed_on": day}), 201)

    results = json_of(other_nurse.get(f"/qips/{qip}/sustainability"), 200)["results"]

    assert [(a["assessed_on"], a["total"], a["trend"]) for a in results["assessments"]] == [
        ("2013-01-10", 29.9, None), ("2013-04-10", 55.1, "up")]
    assert results["latest"]["optimistic"] is True
    assert results["model"]["optimism_threshold"] == 55


def test_a_qip_nobody_scored_has_empty_results_with_the_model(nurse: ApiClient,
                                                              qip: UUID) -> None:
    results = json_of(nurse.get(f"/qips/{qip}/sustainability"), 200)["results"]

    assert (results["assessments"], results["latest"]) == ([], None)
    assert results["model"]["max_total"] == 100


def test_only_the_qips_team_may_score_it(other_nurse: ApiClient, organiser: ApiClient,
                                         qip: UUID) -> None:
    for outsider in (other_nurse, organiser):
        error = error_of(outsider.post(f"/qips/{qip}/sustainability",
                                       {"levels": levels(outsider, 3)}), 403)
        assert "only members of the QIP's own team" in error["message"]


def test_a_draft_cannot_be_scored(nurse: ApiClient, community: Community,
                                  network: SmallNetwork) -> None:
    draft = community.draft_qip(by=network.nurse, **PLAN)

    error = error_of(nurse.post(f"/qips/{draft}/sustainability",
                                {"levels": levels(nurse, 3)}), 409)

    assert error["message"] == "only an active QIP can be scored (this one is: draft)"


def test_every_factor_must_be_answered_with_a_level_from_1_to_4(nurse: ApiClient,
                                                                qip: UUID) -> None:
    given = levels(nurse, 3, adaptability=5)
    del given["infrastructure"]

    fields = fields_of(nurse.post(f"/qips/{qip}/sustainability",
                                  {"levels": given | {"luck": 2}}))

    assert fields == {"levels.adaptability": "must be one of: 1, 2, 3, 4",
                      "levels.infrastructure": "is required",
                      "levels.luck": "is not a field this request takes"}


def test_another_teams_draft_is_not_found(other_nurse: ApiClient, community: Community,
                                          network: SmallNetwork) -> None:
    draft = community.draft_qip(by=network.nurse, **PLAN)

    error_of(other_nurse.get(f"/qips/{draft}/sustainability"), 404)
    error_of(other_nurse.post(f"/qips/{draft}/sustainability",
                              {"levels": levels(other_nurse, 3)}), 404)


def test_an_organiser_corrects_the_weights_and_past_scores_follow(
        nurse: ApiClient, organiser: ApiClient, qip: UUID) -> None:
    json_of(nurse.post(f"/qips/{qip}/sustainability", {"levels": levels(nurse, 4)}), 201)

    model = json_of(organiser.post("/sustainability-model/weights", {
        "factors": {"clinical_leadership": [1.4, 4, 7.5, 13]},
        "source": "NHS Institute score sheet"}), 200)["model"]

    assert model["corrections"] == ["NHS Institute score sheet"]
    assert model["max_total"] == 98
    latest = json_of(nurse.get(f"/qips/{qip}/sustainability"), 200)["results"]["latest"]
    assert latest["total"] == 98


def test_members_cannot_correct_the_weights(nurse: ApiClient) -> None:
    error_of(nurse.post("/sustainability-model/weights", {
        "factors": {"adaptability": [1, 2, 3, 4]}, "source": "a guess"}), 403)


def test_weights_that_fall_from_level_to_level_are_refused(organiser: ApiClient) -> None:
    fields = fields_of(organiser.post("/sustainability-model/weights", {
        "factors": {"adaptability": [4, 3, 2, 1]}, "source": "a typo"}))

    assert fields == {"factors.adaptability": "must not fall from one level to the next"}
