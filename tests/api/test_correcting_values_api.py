"""Putting a recorded value right over the API: a correction or a withdrawal, with its
reason, is what every later read shows; a value that is not there, a missing reason, a
stale version, another team or a stopped QIP are refused with the usual errors."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_of, fields_of, json_of

MEASURE = "CNS at diagnosis"


@pytest.fixture
def measured(nurse, shared) -> dict:
    """The shared QIP with three monthly values, the last mistyped (27 for 72)."""
    body = json_of(nurse.post(f"/qips/{shared['id']}/progress/series", {
        "measure": MEASURE, "values": [{"date": "2013-03-31", "value": 64},
                                       {"date": "2013-04-30", "value": 68},
                                       {"date": "2013-05-31", "value": 27}]}), 201)
    return body["qip"]


def test_a_correction_is_201_and_every_read_shows_the_right_value(lead, other_nurse,
                                                                  measured):
    answer = json_of(lead.post(f"/qips/{measured['id']}/progress/corrections", {
        "measure": MEASURE, "date": "2013-05-31", "value": 72,
        "reason": "Typed the digits the wrong way round", "version": measured["version"]}),
        201)

    assert answer["progress"] == {"measure": MEASURE, "date": "2013-05-31", "value": 72.0}
    qip = json_of(other_nurse.get(f"/qips/{measured['id']}"), 200)["qip"]
    assert qip["version"] == measured["version"] + 1
    assert qip["measures"][0]["latest_value"] == 72.0
    assert [p["value"] for p in qip["progress"]] == [64.0, 68.0, 72.0]
    chart = other_nurse.get(f"/qips/{measured['id']}/chart/{MEASURE}").text
    assert 'data-date="2013-05-31" data-value="72.0"' in chart
    entries = json_of(other_nurse.get(f"/qips/{measured['id']}/history"), 200)["history"][
        "entries"]
    assert (entries[-1]["what"], entries[-1]["by_name"]) == (
        "Corrected the value of CNS at diagnosis on 31 May 2013 from 27% to 72%: Typed the "
        "digits the wrong way round", "Liam Lead")


def test_a_withdrawal_is_201_and_the_value_leaves_the_results(nurse, measured):
    answer = json_of(nurse.post(f"/qips/{measured['id']}/progress/withdrawals", {
        "measure": MEASURE, "date": "2013-05-31", "reason": "Not audited yet"}), 201)

    assert answer["withdrawn"] == {"measure": MEASURE, "date": "2013-05-31"}
    qip = answer["qip"]
    assert (qip["last_progress_on"], qip["measures"][0]["latest_value"]) == ("2013-04-30",
                                                                              68.0)
    assert [p["recorded_on"] for p in qip["progress"]] == ["2013-03-31", "2013-04-30"]


@pytest.mark.parametrize("path, body, field", [
    ("corrections", {"measure": MEASURE, "date": "2013-06-30", "value": 70,
                     "reason": "Typo"}, "date"),
    ("corrections", {"measure": MEASURE, "date": "2013-05-31", "value": 72,
                     "reason": " "}, "reason"),
    ("corrections", {"measure": "Smiles", "date": "2013-05-31", "value": 72,
                     "reason": "Typo"}, "measure"),
    ("corrections", {"measure": MEASURE, "date": "2013-05-31", "reason": "Typo"}, "value"),
    ("withdrawals", {"measure": MEASURE, "date": "2013-05-31"}, "reason"),
    ("withdrawals", {"measure": MEASURE, "date": "2013-02-30", "reason": "Typo"}, "date"),
])
def test_a_change_with_nothing_to_change_or_no_reason_is_400_naming_the_field(
        nurse, measured, path, body, field):
    fields = fields_of(nurse.post(f"/qips/{measured['id']}/progress/{path}", body))

    assert field in fields
    progress = json_of(nurse.get(f"/qips/{measured['id']}"), 200)["qip"]["progress"]
    assert [p["value"] for p in progress] == [64.0, 68.0, 27.0]


def test_a_correction_from_a_stale_version_is_409(nurse, lead, measured):
    json_of(lead.post(f"/qips/{measured['id']}/progress/withdrawals", {
        "measure": MEASURE, "date": "2013-03-31", "reason": "Before the change"}), 201)

    error = error_of(nurse.post(f"/qips/{measured['id']}/progress/corrections", {
        "measure": MEASURE, "date": "2013-05-31", "value": 72, "reason": "Typo",
        "version": measured["version"]}), 409)

    assert error["message"]


def test_another_team_cannot_change_the_values(other_nurse, measured):
    error_of(other_nurse.post(f"/qips/{measured['id']}/progress/withdrawals", {
        "measure": MEASURE, "date": "2013-05-31", "reason": "Looks wrong"}), 403)


def test_the_values_of_a_stopped_qip_can_no_longer_be_changed(nurse, measured):
    stopped = json_of(nurse.post(f"/qips/{measured['id']}/stop", {
        "version": measured["version"], "reason": "The service was reorganised"}), 200)

    error = error_of(nurse.post(f"/qips/{measured['id']}/progress/corrections", {
        "measure": MEASURE, "date": "2013-05-31", "value": 72, "reason": "Typo",
        "version": stopped["qip"]["version"]}), 409)

    assert "can no longer be changed" in error["message"]


def test_logged_out_is_401(anonymous, measured):
    error_of(anonymous.post(f"/qips/{measured['id']}/progress/corrections", {
        "measure": MEASURE, "date": "2013-05-31", "value": 72, "reason": "Typo"}), 401)
