"""Adapting through the API: the draft cannot be submitted until the team has made the
copied aim, time frame, baselines and targets its own; the 400 names each field."""

from __future__ import annotations

from tests.api.conftest import fields_of, json_of


def test_submitting_an_adapted_plan_unchanged_is_400_naming_each_copied_field(
        other_nurse, shared):
    adapted = json_of(other_nurse.post(f"/qips/{shared['id']}/adapt"), 201)["qip"]

    refused = other_nurse.post(f"/qips/{adapted['id']}/submit", {"version": adapted["version"]})

    assert refused.status_code == 400
    fields = fields_of(refused)
    assert set(fields) == {"aim", "timeframe", "measures[0].baseline", "measures[0].target"}
    assert "time frame of the plan you adapted" in fields["timeframe"]


def test_an_adapted_plan_made_the_teams_own_with_a_kept_target_can_be_submitted(
        other_nurse, shared):
    adapted = json_of(other_nurse.post(f"/qips/{shared['id']}/adapt"), 201)["qip"]
    measure = {**adapted["measures"][0], "baseline": 55}
    revised = json_of(other_nurse.patch(f"/qips/{adapted['id']}", {
        "version": adapted["version"],
        "aim": "A nurse specialist present at 80% of diagnoses by June 2013",
        "timeframe": "June 2012 to June 2013",
        "measures": [{k: measure[k] for k in ("name", "unit", "baseline", "target",
                                              "direction", "definition")}],
        "keep": ["measures[CNS at diagnosis].target"]}), 200)["qip"]

    submitted = other_nurse.post(f"/qips/{adapted['id']}/submit", {"version": revised["version"]})

    assert json_of(submitted, 200)["qip"]["status"] == "submitted"
