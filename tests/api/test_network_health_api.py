"""GET /api/v1/network-health: the organisers' figures as JSON, as of a date."""

from __future__ import annotations

import jsonschema
import pytest

from community import Community
from projections import network_health_kept as kept_module
from tests.api.conftest import error_of, fields_of, json_of


def test_an_organiser_gets_every_figure_with_its_verdict_as_of_a_date(organiser, nurse,
                                                                      network):
    for day, to in (("2012-01-10", network.other_nurse), ("2012-02-10", network.lead),
                    ("2012-05-10", network.other_nurse)):
        json_of(nurse.post("/contacts", {"to_member_id": str(to), "topic": "Clinics",
                                         "made_on": day}), 201)

    report = json_of(organiser.get("/network-health", params={"as_of": "2012-03-31",
                                                              "period": "all"}), 200)

    assert (report["as_of"], report["period"], report["funding_end"]) == (
        "2012-03-31", "all", "2012-03-31")
    assert [(m["month"], m["count"]) for m in report["organic_activity"]["months"]] == [
        ("2012-01", 1), ("2012-02", 1), ("2012-03", 0)]
    assert report["absence_factor"]["members"] == 1
    assert report["absence_factor"]["carriers"]["members"] == [
        {"id": str(network.nurse), "name": "Nina Nurse", "acts": 2}]
    assert report["dependence"]["self_initiated_share"][0] == {
        "quarter": "2012 Q1", "facilitated": 0, "self_initiated": 2, "share": 1.0}
    assert [r["kind"] for r in report["first_response"]] == [
        "follow_up", "introduction", "question", "all"]
    assert report["live_network"]["ties"] == 2
    for part in ("organic_activity", "dependence", "absence_factor", "live_network"):
        assert report[part]["verdict"]


def test_a_bad_date_or_period_is_named(organiser):
    assert fields_of(organiser.get("/network-health", params={"as_of": "31/03/2012"})) == {
        "as_of": "must be a date like 2013-03-31"}
    assert "period" in fields_of(organiser.get("/network-health", params={"period": "decade"}))


def test_only_organisers_see_it(nurse, anonymous):
    assert error_of(nurse.get("/network-health"), 403)["code"] == "not_allowed"
    error_of(anonymous.get("/network-health"), 401)


def test_ties_brokers_core_members_and_staying_power_come_with_their_verdicts(
        organiser, nurse, other_nurse, lead, network):
    for client, to, day in ((nurse, network.other_nurse, "2012-01-10"),
                            (other_nurse, network.nurse, "2012-02-10"),
                            (lead, network.nurse, "2012-03-10"),
                            (nurse, network.other_nurse, "2012-04-10"),
                            (nurse, network.other_nurse, "2012-05-10")):
        json_of(client.post("/contacts", {"to_member_id": str(to), "topic": "Clinics",
                                          "made_on": day}), 201)

    report = json_of(organiser.get("/network-health", params={"as_of": "2012-06-30",
                                                              "period": "all"}), 200)

    ties = report["ties_across_teams"]
    assert (ties["teams"]["external"], ties["teams"]["internal"]) == (4, 1)
    assert ties["teams"]["index"] == ties["regions"]["index"] == 0.6
    assert [q["quarter"] for q in ties["teams"]["quarters"]] == ["2012 Q1", "2012 Q2"]
    assert (ties["reciprocity"]["share"], ties["reciprocity"]["mutual_pairs"]) == (1.0, 2)
    assert ties["same_role"]["share"] == 1.0
    assert ties["same_role"]["by_role"] == [{"role": "lung cancer nurse specialist", "ties": 4}]
    # Two teams and two members in the live network: no one can stand between others.
    for level in ("teams", "members"):
        assert report["brokers"][level]["brokers"] == []
        assert report["brokers"][level]["verdict"].startswith("Not enough data to say yet")
    core = report["core_members"]
    assert core["after"]["core"] == 1 and sum(core["became"].values()) == core["before"]["core"]
    staying = report["staying_power"]
    assert staying["survival"]["median_months"] is None  # three members are too few
    assert staying["cohorts"]["cohorts"][0] == {
        "quarter": "2012 Q1", "active": 3,
        "still_active": [{"quarters_later": 1, "share": 1 / 3},
                         {"quarters_later": 2, "share": None},
                         {"quarters_later": 4, "share": None}]}
    for part in (ties["teams"], ties["reciprocity"], ties["same_role"], core,
                 staying["half_life"], staying["change"], staying["cohorts"]):
        assert part["verdict"]
    document = json_of(organiser.get("/openapi.json"), 200)
    schema = document["paths"]["/network-health"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    jsonschema.Draft202012Validator(schema).validate(report)


def test_dormant_teams_nudges_and_newcomers_come_with_their_verdicts(
        organiser, nurse, other_nurse, network):
    for month in range(1, 7):
        json_of(nurse.post("/contacts", {"to_member_id": str(network.lead), "topic": "Clinics",
                                         "made_on": f"2012-{month:02d}-10"}), 201)
    json_of(other_nurse.post("/contacts", {"to_member_id": str(network.nurse),
                                           "topic": "Clinics", "made_on": "2012-01-10"}), 201)

    report = json_of(organiser.get("/network-health", params={"as_of": "2012-06-30",
                                                              "period": "all"}), 200)

    dormant = report["dormant_teams"]
    assert (dormant["weeks"], dormant["teams_counted"]) == (12, 2)
    assert dormant["dormant"] == [{
        "id": str(network.south), "name": "Southmoor lung cancer MDT",
        "last_activity": "2012-01-10", "recent_acts": 0, "acts_before": 0, "contacts": 1,
        "paired_team": None}]
    assert dormant["falling"] == []
    # Southmoor went quiet on 3 April; its 30 days were over by the date, unnudged.
    assert (report["nudges"]["nudged"], report["nudges"]["not_nudged"]) == (0, 1)
    assert report["nudges"]["not_nudged_share"] == 0.0
    assert report["newcomers"]["joined"] == 2
    assert report["newcomers"]["made_contact_share"] == 1.0
    for part in ("dormant_teams", "nudges", "newcomers"):
        assert report[part]["verdict"]
    document = json_of(organiser.get("/openapi.json"), 200)
    schema = document["paths"]["/network-health"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    jsonschema.Draft202012Validator(schema).validate(report)


def test_the_answer_follows_the_figures_when_they_are_counted_again(
        organiser, nurse, network, community: Community,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The written answer is kept with the report it was written from: the kept
    figures until they are counted again, then the new ones."""
    monkeypatch.setattr(kept_module, "start_refresh", lambda engine: None)  # the test counts
    params = {"as_of": "2012-12-31", "period": "all"}

    def acts() -> int:
        return json_of(organiser.get("/network-health", params=params), 200)[
            "absence_factor"]["acts"]

    first = acts()
    json_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                     "topic": "Clinics", "made_on": "2012-06-10"}), 201)
    served = acts()
    kept_module.refresh_network_health(community.views.engine)

    assert first == served and acts() == first + 1
