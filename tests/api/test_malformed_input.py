"""Input the API refuses with a 400 naming the field, never a 500 or silently
changed data. Several of these were 500s or accepted before the fuzzing found them."""

from __future__ import annotations

import pytest

from tests.api.conftest import SHAREABLE_PLAN, error_of, fields_of, json_of
from tests.api.test_activity import WORKSHOP

HUGE = int("1" + "0" * 400)  # valid JSON, too large for a float


@pytest.mark.parametrize("measures", [5, True, "CNS", {"name": "CNS"}])
def test_measures_that_are_not_a_list_are_400_naming_measures(nurse, measures):
    answer = nurse.post("/qips", {"title": "T", "key_area": "cns_access", "measures": measures})

    assert set(fields_of(answer)) == {"measures"}


def test_a_misspelt_field_inside_a_measure_is_400_not_silently_dropped(nurse):
    measure = {"name": "CNS at diagnosis", "basline": 61, "target": 80}

    fields = fields_of(nurse.post("/qips", {**SHAREABLE_PLAN, "measures": [measure]}))

    assert set(fields) == {"measures[0].basline"}


@pytest.mark.parametrize("measure, field", [
    ({"name": "CNS", "baseline": "61"}, "measures[0].baseline"),
    ({"name": "CNS", "target": HUGE}, "measures[0].target"),
    ({"name": "CNS", "unit": None}, "measures[0].unit"),
    ({"name": "CNS", "direction": None}, "measures[0].direction"),
    ({"name": "C" * 121}, "measures[0].name"),
])
def test_a_measure_field_of_the_wrong_kind_is_400_naming_it(nurse, measure, field):
    answer = nurse.post("/qips", {"title": "T", "key_area": "cns_access", "measures": [measure]})

    assert set(fields_of(answer)) == {field}


@pytest.mark.parametrize("text", ["lone \udc00 surrogate", "nul \x00 character"])
def test_text_that_cannot_be_stored_is_400_naming_the_field(nurse, network, text):
    assert set(fields_of(nurse.post("/qips", {"title": text, "key_area": "cns_access"}))) == {
        "title"}
    assert set(fields_of(nurse.post("/follow-ups", {"team_id": str(network.south),
                                                    "reason": text}))) == {"reason"}


def test_a_json_string_with_a_lone_surrogate_escape_is_400(nurse):
    answer = nurse.post("/qips", data='{"title": "bad \\ud800", "key_area": "cns_access"}',
                        headers={"Content-Type": "application/json"})

    assert set(fields_of(answer)) == {"title"}


@pytest.mark.parametrize("value", ['"72"', str(HUGE), "Infinity", "NaN"])
def test_a_progress_value_must_be_a_finite_json_number(nurse, shared, value):
    answer = nurse.post(f"/qips/{shared['id']}/progress",
                        data='{"measure": "CNS at diagnosis", "date": "2013-05-31", '
                             f'"value": {value}}}',
                        headers={"Content-Type": "application/json"})

    assert set(fields_of(answer)) == {"value"}


@pytest.mark.parametrize("day", ["20130531", " 2013-05-31", "2013-W22-5", "2013-05-31T00:00"])
def test_dates_are_taken_only_as_yyyy_mm_dd(nurse, network, shared, day):
    progress = nurse.post(f"/qips/{shared['id']}/progress",
                          {"measure": "CNS at diagnosis", "date": day, "value": 70})
    contact = nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                       "topic": "Hello", "made_on": day})

    assert set(fields_of(progress)) == {"date"}
    assert set(fields_of(contact)) == {"made_on"}


@pytest.mark.parametrize("owner_id", ["", 0, False, "not-an-id"])
def test_revising_with_a_blank_or_malformed_owner_is_400_and_keeps_the_owner(
        nurse, network, draft, owner_id):
    answer = nurse.patch(f"/qips/{draft['id']}", {"version": 1, "owner_id": owner_id})

    assert set(fields_of(answer)) == {"owner_id"}
    assert json_of(nurse.get(f"/qips/{draft['id']}"), 200)["qip"]["owner_id"] == str(network.nurse)


@pytest.mark.parametrize("body, field", [
    ({"team_id": "", "to_organisers": True}, "team_id"),
    ({"to_organisers": True, "kind": None}, "kind"),
    ({"to_organisers": True, "kind": ""}, "kind"),
])
def test_blank_follow_up_fields_are_400_not_taken_as_absent(nurse, body, field):
    assert set(fields_of(nurse.post("/follow-ups", {"reason": "Visit?", **body}))) == {field}


@pytest.mark.parametrize("attendee_ids", [0, False, {}, ""])
def test_attendees_that_are_not_a_list_are_400(organiser, attendee_ids):
    answer = organiser.post("/workshops", {**WORKSHOP, "attendee_ids": attendee_ids})

    assert set(fields_of(answer)) == {"attendee_ids"}


def test_a_workshop_answers_with_what_was_recorded_not_with_what_was_sent(organiser, network):
    nurse_id = str(network.nurse)
    answer = organiser.post("/workshops", {**WORKSHOP, "title": "  Online conference  ",
                                           "attendee_ids": [nurse_id, nurse_id.upper()]})

    workshop = json_of(answer, 201)["workshop"]
    assert workshop["title"] == "Online conference"
    assert workshop["attendee_ids"] == [nurse_id]


def test_an_id_in_a_path_is_found_in_any_case(nurse, network):
    team = json_of(nurse.get(f"/teams/{str(network.north).upper()}"), 200)["team"]

    assert team["id"] == str(network.north)


@pytest.mark.parametrize("path, total", [
    ("/members?role=", 4), ("/members?team=&region=&q=", 4),
    ("/qips?key_area=&status=&q=", 1), ("/qips?team=", 1),
])
def test_an_empty_filter_filters_nothing(nurse, shared, path, total):
    assert json_of(nurse.get(path), 200)["total"] == total


def test_an_empty_as_of_reports_everything(organiser):
    assert json_of(organiser.get("/sustainability?as_of="), 200)["funding_end"] == "2012-03-31"


@pytest.mark.parametrize("path, field", [
    ("/members?q=%00", "q"), ("/qips?team=%00", "team"), ("/members?offset=1000000001", "offset"),
    ("/members?role=%20", "role"), ("/qips?status=Shared", "status"),
])
def test_a_query_value_that_cannot_be_used_is_400_naming_it(nurse, path, field):
    assert set(fields_of(nurse.get(path))) == {field}


def test_an_id_that_is_not_an_id_is_404_before_any_lookup(nurse):
    error_of(nurse.get("/qips/%00"), 404)
    error_of(nurse.post("/follow-ups/not-an-id/close"), 404)


def test_a_whole_number_written_as_35_point_0_is_the_whole_number(nurse, draft):
    """JSON Schema counts 2.0 as an integer, so the API must too (schemathesis found it)."""
    submitted = nurse.post(f"/qips/{draft['id']}/submit", json={"version": float(draft["version"])})
    stale = nurse.post(f"/qips/{draft['id']}/submit", json={"version": 1.5})

    assert json_of(submitted, 200)["qip"]["status"] == "submitted"
    assert fields_of(stale) == {"version": "must be a whole number"}
