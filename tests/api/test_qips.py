"""The QIP library: drafting, browsing, revising, sharing, and recording progress."""

from __future__ import annotations

import copy
import uuid

import pytest

from tests.api.conftest import SHAREABLE_PLAN, error_of, fields_of, json_of


def plan(**changes):
    found = copy.deepcopy(SHAREABLE_PLAN)
    found.update(changes)
    return found


def titles(page: dict) -> list[str]:
    return [q["title"] for q in page["qips"]]


# --- drafting --------------------------------------------------------------------

def test_drafting_a_qip_is_201_with_status_draft_and_version_1(nurse, network):
    qip = json_of(nurse.post("/qips", SHAREABLE_PLAN), 201)["qip"]

    assert uuid.UUID(qip["id"])
    assert (qip["status"], qip["version"]) == ("draft", 1)
    assert qip["title"] == SHAREABLE_PLAN["title"]
    assert (qip["key_area"], qip["key_area_label"]) == ("cns_access", "Access to nurse specialists")
    assert qip["team_id"] == str(network.north)
    assert qip["team"] == "Northshire lung cancer MDT"
    assert qip["owner_id"] == str(network.nurse)
    assert qip["shared_on"] is None
    assert qip["progress"] == []
    [measure] = qip["measures"]
    assert measure["name"] == "CNS at diagnosis"
    assert (measure["baseline"], measure["target"], measure["direction"]) == (61, 80, "up")
    assert measure["latest_value"] is None


def test_a_draft_needs_only_a_title_and_a_key_area(nurse):
    qip = json_of(nurse.post("/qips", {"title": "Faster CT-guided biopsy",
                                       "key_area": "pathway_waits"}), 201)["qip"]

    assert (qip["aim"], qip["timeframe"], qip["measures"]) == ("", "", [])


def test_a_draft_can_name_a_team_mate_as_its_owner(nurse, network):
    qip = json_of(nurse.post("/qips", plan(owner_id=str(network.lead))), 201)["qip"]

    assert qip["owner_id"] == str(network.lead)


def test_an_owner_from_another_team_is_400_naming_owner_id(nurse, network):
    assert set(fields_of(nurse.post("/qips", plan(owner_id=str(network.other_nurse))))) == {
        "owner_id"}


@pytest.mark.parametrize("missing", ["title", "key_area"])
def test_a_draft_missing_a_required_field_is_400_naming_it(nurse, missing):
    body = plan()
    del body[missing]

    assert set(fields_of(nurse.post("/qips", body))) == {missing}


def test_a_blank_title_is_400_naming_title(nurse):
    assert set(fields_of(nurse.post("/qips", plan(title="   ")))) == {"title"}


def test_an_unknown_key_area_is_400_naming_key_area(nurse):
    assert set(fields_of(nurse.post("/qips", plan(key_area="morale")))) == {"key_area"}


@pytest.mark.parametrize("measure, field", [
    ({"name": "Waits", "baseline": "lots"}, "measures[0].baseline"),
    ({"name": "Waits", "target": [80]}, "measures[0].target"),
    ({"name": "Waits", "direction": "sideways"}, "measures[0].direction"),
    ({"name": ""}, "measures[0].name"),
    ({"unit": "%"}, "measures[0].name"),
    ("Waits", "measures[0]"),
])
def test_a_bad_measure_is_400_naming_the_measure_and_its_field(nurse, measure, field):
    assert set(fields_of(nurse.post("/qips", plan(measures=[measure])))) == {field}


def test_a_second_bad_measure_is_named_by_its_position(nurse):
    measures = [SHAREABLE_PLAN["measures"][0], {"name": "Waits", "baseline": "n/a"}]

    assert set(fields_of(nurse.post("/qips", plan(measures=measures)))) == {
        "measures[1].baseline"}


def test_two_measures_with_the_same_name_are_400(nurse):
    measures = [{"name": "Waits"}, {"name": "WAITS"}]

    assert set(fields_of(nurse.post("/qips", plan(measures=measures)))) == {"measures[1].name"}


def test_every_problem_is_named_at_once(nurse):
    fields = fields_of(nurse.post("/qips", {"title": "T" * 201, "key_area": "x", "aim": 5,
                                            "measures": [{"name": "m", "target": "high"}]}))

    assert set(fields) == {"title", "key_area", "aim", "measures[0].target"}


def test_an_organiser_without_a_team_cannot_draft_a_qip(organiser):
    assert error_of(organiser.post("/qips", SHAREABLE_PLAN), 403)["code"] == "not_allowed"


# --- browsing and visibility --------------------------------------------------------

def test_a_draft_is_visible_to_its_own_team(lead, draft):
    assert json_of(lead.get(f"/qips/{draft['id']}"), 200)["qip"]["title"] == draft["title"]
    assert titles(json_of(lead.get("/qips"), 200)) == [draft["title"]]


def test_a_draft_is_404_and_absent_for_another_teams_member(other_nurse, organiser, draft):
    for outsider in (other_nurse, organiser):
        assert error_of(outsider.get(f"/qips/{draft['id']}"), 404)["code"] == "not_found"
        page = json_of(outsider.get("/qips"), 200)
        assert page["qips"] == [] and page["total"] == 0


def test_a_shared_qip_is_visible_to_everyone(other_nurse, organiser, shared):
    for reader in (other_nurse, organiser):
        assert json_of(reader.get(f"/qips/{shared['id']}"), 200)["qip"]["status"] == "shared"
        assert titles(json_of(reader.get("/qips"), 200)) == [shared["title"]]


@pytest.fixture
def library(nurse, other_nurse, shared):
    """North: one shared CNS plan and one diagnostics draft; south: one shared waits plan."""
    json_of(nurse.post("/qips", {"title": "Histology confirmation", "key_area": "diagnostics",
                                 "aim": "Confirm 75% by histology"}), 201)
    waits = json_of(other_nurse.post("/qips", plan(title="Shorter biopsy waits",
                                                   key_area="pathway_waits",
                                                   aim="Biopsy within 7 days")), 201)["qip"]
    json_of(other_nurse.post(f"/qips/{waits['id']}/share", {"version": 1}), 200)


def test_the_library_lists_shared_plans_and_my_teams_drafts_by_title(nurse, other_nurse,
                                                                       library):
    assert titles(json_of(nurse.get("/qips"), 200)) == [
        "Histology confirmation", "Nurse specialist at every diagnosis", "Shorter biopsy waits"]
    assert titles(json_of(other_nurse.get("/qips"), 200)) == [
        "Nurse specialist at every diagnosis", "Shorter biopsy waits"]


@pytest.mark.parametrize("params, expected", [
    ({"key_area": "pathway_waits"}, ["Shorter biopsy waits"]),
    ({"key_area": "diagnostics"}, ["Histology confirmation"]),
    ({"status": "draft"}, ["Histology confirmation"]),
    ({"status": "shared"}, ["Nurse specialist at every diagnosis", "Shorter biopsy waits"]),
    ({"q": "BIOPSY"}, ["Shorter biopsy waits"]),           # title
    ({"q": "75%"}, ["Histology confirmation"]),            # aim
    ({"q": "southmoor"}, ["Shorter biopsy waits"]),        # team name
    ({"q": "nothing matches this"}, []),
    ({"key_area": "cns_access", "status": "draft"}, []),
])
def test_the_library_filters_by_key_area_status_and_words(nurse, library, params, expected):
    page = json_of(nurse.get("/qips", params=params), 200)

    assert titles(page) == expected
    assert page["total"] == len(expected)


def test_the_library_filters_by_team(nurse, network, library):
    page = json_of(nurse.get("/qips", params={"team": str(network.south)}), 200)

    assert titles(page) == ["Shorter biopsy waits"]
    assert page["qips"][0]["team"] == "Southmoor lung cancer MDT"


def test_the_library_pages_with_a_total(nurse, library):
    page = json_of(nurse.get("/qips", params={"limit": 2, "offset": 2}), 200)

    assert titles(page) == ["Shorter biopsy waits"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 2)


@pytest.mark.parametrize("params, field", [
    ({"key_area": "morale"}, "key_area"), ({"status": "archived"}, "status"),
    ({"limit": "0"}, "limit"), ({"offset": "-5"}, "offset"),
])
def test_a_bad_library_filter_is_400_naming_it(nurse, params, field):
    assert set(fields_of(nurse.get("/qips", params=params))) == {field}


@pytest.mark.parametrize("qip_id", [str(uuid.uuid4()), "not-an-id"])
def test_an_unknown_qip_is_404(nurse, qip_id):
    assert error_of(nurse.get(f"/qips/{qip_id}"), 404)["code"] == "not_found"


# --- revising -------------------------------------------------------------------------

def test_revising_with_the_current_version_is_200_and_bumps_the_version(lead, draft):
    answer = lead.patch(f"/qips/{draft['id']}", {"version": 1, "title": "CNS at diagnosis",
                                                 "timeframe": "2012/13"})

    qip = json_of(answer, 200)["qip"]
    assert (qip["title"], qip["timeframe"], qip["version"]) == ("CNS at diagnosis", "2012/13", 2)
    assert qip["aim"] == draft["aim"]  # fields not sent are left alone
    assert json_of(lead.get(f"/qips/{draft['id']}"), 200)["qip"]["title"] == "CNS at diagnosis"


def test_revising_the_measures_replaces_them(nurse, draft):
    measures = [{"name": "CNS seen", "unit": "%", "baseline": 70, "target": 90},
                {"name": "Days to CNS contact", "baseline": 9, "target": 2,
                 "direction": "down"}]

    qip = json_of(nurse.patch(f"/qips/{draft['id']}", {"version": 1, "measures": measures}),
                  200)["qip"]

    assert [(m["name"], m["direction"]) for m in qip["measures"]] == [
        ("CNS seen", "up"), ("Days to CNS contact", "down")]


def test_revising_with_a_stale_version_is_409_and_changes_nothing(nurse, lead, draft):
    json_of(nurse.patch(f"/qips/{draft['id']}", {"version": 1, "title": "Nina's title"}), 200)

    error = error_of(lead.patch(f"/qips/{draft['id']}", {"version": 1, "title": "Liam's title"}),
                     409)

    assert error["code"] == "conflict"
    qip = json_of(lead.get(f"/qips/{draft['id']}"), 200)["qip"]
    assert (qip["title"], qip["version"]) == ("Nina's title", 2)


@pytest.mark.parametrize("body, field", [
    ({"title": "No version"}, "version"),
    ({"version": "1", "title": "Text version"}, "version"),
    ({"version": 1, "title": ""}, "title"),
    ({"version": 1, "key_area": "morale"}, "key_area"),
    ({"version": 1, "measures": [{"name": "x", "baseline": "high"}]}, "measures[0].baseline"),
    ({"version": 1, "status": "shared"}, "status"),
    ({"version": 1}, "qip"),
])
def test_a_bad_revision_is_400_naming_the_field(nurse, draft, body, field):
    assert set(fields_of(nurse.patch(f"/qips/{draft['id']}", body))) == {field}


def test_revising_another_teams_draft_is_404(other_nurse, draft):
    error_of(other_nurse.patch(f"/qips/{draft['id']}", {"version": 1, "title": "Mine now"}), 404)


def test_revising_another_teams_shared_qip_is_403_and_changes_nothing(other_nurse, shared):
    error = error_of(other_nurse.patch(f"/qips/{shared['id']}",
                                       {"version": shared["version"], "title": "Mine now"}), 403)

    assert error["code"] == "not_allowed"
    assert json_of(other_nurse.get(f"/qips/{shared['id']}"), 200)["qip"]["title"] == shared["title"]


def test_an_organiser_may_revise_a_shared_qip_after_review(organiser, shared):
    qip = json_of(organiser.patch(f"/qips/{shared['id']}", {
        "version": shared["version"], "aim": "80% of diagnoses by March 2013"}), 200)["qip"]

    assert qip["aim"] == "80% of diagnoses by March 2013"


def test_revising_an_unknown_qip_is_404(nurse):
    error_of(nurse.patch(f"/qips/{uuid.uuid4()}", {"version": 1, "title": "x"}), 404)


# --- sharing --------------------------------------------------------------------------

def test_sharing_with_the_current_version_is_200_and_shared(nurse, draft):
    qip = json_of(nurse.post(f"/qips/{draft['id']}/share", {"version": 1}), 200)["qip"]

    assert qip["status"] == "shared"
    assert qip["shared_on"] == "2013-06-01"
    assert qip["version"] == 2
    assert json_of(nurse.get(f"/qips/{draft['id']}"), 200)["qip"]["status"] == "shared"


def test_sharing_with_a_stale_version_is_409_and_leaves_it_a_draft(nurse, lead, draft):
    json_of(lead.patch(f"/qips/{draft['id']}", {"version": 1, "title": "Revised"}), 200)

    assert error_of(nurse.post(f"/qips/{draft['id']}/share", {"version": 1}), 409)["code"] == (
        "conflict")
    assert json_of(nurse.get(f"/qips/{draft['id']}"), 200)["qip"]["status"] == "draft"


def test_sharing_twice_is_409(nurse, shared):
    error_of(nurse.post(f"/qips/{shared['id']}/share", {"version": shared["version"]}), 409)


def test_sharing_a_plan_without_a_baseline_or_target_is_400_naming_measures(nurse):
    qip = json_of(nurse.post("/qips", plan(measures=[{"name": "CNS at diagnosis",
                                                      "baseline": 61}])), 201)["qip"]

    fields = fields_of(nurse.post(f"/qips/{qip['id']}/share", {"version": 1}))

    assert set(fields) == {"measures"}
    assert json_of(nurse.get(f"/qips/{qip['id']}"), 200)["qip"]["status"] == "draft"


def test_sharing_a_bare_draft_names_everything_it_lacks(nurse):
    qip = json_of(nurse.post("/qips", {"title": "Idea", "key_area": "clinical_trials"}),
                  201)["qip"]

    assert set(fields_of(nurse.post(f"/qips/{qip['id']}/share", {"version": 1}))) == {
        "aim", "timeframe", "measures"}


@pytest.mark.parametrize("body, field", [({}, "version"), ({"version": 1.5}, "version"),
                                         ({"version": 1, "when": "now"}, "when")])
def test_a_bad_share_request_is_400_naming_the_field(nurse, draft, body, field):
    assert set(fields_of(nurse.post(f"/qips/{draft['id']}/share", body))) == {field}


def test_sharing_another_teams_draft_is_404(other_nurse, draft):
    error_of(other_nurse.post(f"/qips/{draft['id']}/share", {"version": 1}), 404)


def test_sharing_someone_elses_visible_shared_qip_is_403(other_nurse, shared):
    error = error_of(other_nurse.post(f"/qips/{shared['id']}/share",
                                      {"version": shared["version"]}), 403)

    assert error["code"] == "not_allowed"


# --- progress -------------------------------------------------------------------------

def test_recording_progress_is_201_and_the_next_get_shows_the_latest_value(lead, shared):
    answer = lead.post(f"/qips/{shared['id']}/progress",
                       {"measure": "CNS at diagnosis", "date": "2013-05-31", "value": 72})

    body = json_of(answer, 201)
    assert body["progress"] == {"measure": "CNS at diagnosis", "date": "2013-05-31",
                                "value": 72.0}
    assert body["qip"]["version"] == shared["version"] + 1
    qip = json_of(lead.get(f"/qips/{shared['id']}"), 200)["qip"]
    assert qip["measures"][0]["latest_value"] == 72.0
    assert qip["measures"][0]["latest_on"] == "2013-05-31"
    assert qip["last_progress_on"] == "2013-05-31"
    assert qip["progress"] == [{"measure": "CNS at diagnosis", "recorded_on": "2013-05-31",
                                "value": 72.0}]


def test_the_latest_value_is_the_latest_measured_not_the_latest_typed_in(nurse, shared):
    for day, value in (("2013-04-30", 66), ("2013-02-28", 63.5)):
        json_of(nurse.post(f"/qips/{shared['id']}/progress",
                           {"measure": "CNS at diagnosis", "date": day, "value": value}), 201)

    qip = json_of(nurse.get(f"/qips/{shared['id']}"), 200)["qip"]
    assert (qip["measures"][0]["latest_value"], qip["measures"][0]["latest_on"]) == (
        66.0, "2013-04-30")
    assert [p["recorded_on"] for p in qip["progress"]] == ["2013-02-28", "2013-04-30"]


def test_progress_can_be_recorded_on_a_draft_by_its_team(lead, draft):
    json_of(lead.post(f"/qips/{draft['id']}/progress",
                      {"measure": "CNS at diagnosis", "date": "2013-01-31", "value": 64}), 201)


def test_progress_on_an_unknown_measure_is_400_naming_measure(nurse, shared):
    fields = fields_of(nurse.post(f"/qips/{shared['id']}/progress",
                                  {"measure": "Morale", "date": "2013-05-31", "value": 3}))

    assert set(fields) == {"measure"}
    assert "CNS at diagnosis" in fields["measure"]  # it says which measures there are


@pytest.mark.parametrize("date", ["31/05/2013", "2013-02-30", "yesterday", "1999-12-31", 20130531])
def test_progress_with_a_bad_date_is_400_naming_date(nurse, shared, date):
    fields = fields_of(nurse.post(f"/qips/{shared['id']}/progress",
                                  {"measure": "CNS at diagnosis", "date": date, "value": 70}))

    assert set(fields) == {"date"}


@pytest.mark.parametrize("value", ["lots", None, True, [70]])
def test_progress_with_a_value_that_is_not_a_number_is_400_naming_value(nurse, shared, value):
    fields = fields_of(nurse.post(f"/qips/{shared['id']}/progress",
                                  {"measure": "CNS at diagnosis", "date": "2013-05-31",
                                   "value": value}))

    assert set(fields) == {"value"}


def test_progress_without_a_measure_is_400_naming_measure(nurse, shared):
    fields = fields_of(nurse.post(f"/qips/{shared['id']}/progress",
                                  {"date": "2013-05-31", "value": 1}))

    assert set(fields) == {"measure"}


def test_progress_on_another_teams_shared_qip_is_403_and_not_recorded(other_nurse, shared):
    error_of(other_nurse.post(f"/qips/{shared['id']}/progress",
                              {"measure": "CNS at diagnosis", "date": "2013-05-31",
                               "value": 99}), 403)

    assert json_of(other_nurse.get(f"/qips/{shared['id']}"), 200)["qip"]["progress"] == []


def test_progress_on_another_teams_draft_or_an_unknown_qip_is_404(other_nurse, draft):
    body = {"measure": "CNS at diagnosis", "date": "2013-05-31", "value": 1}

    error_of(other_nurse.post(f"/qips/{draft['id']}/progress", body), 404)
    error_of(other_nurse.post(f"/qips/{uuid.uuid4()}/progress", body), 404)


# --- writes are read back at once -----------------------------------------------------------

def test_every_write_is_visible_to_the_very_next_read(nurse, other_nurse):
    qip = json_of(nurse.post("/qips", SHAREABLE_PLAN), 201)["qip"]
    assert [q["id"] for q in json_of(nurse.get("/qips"), 200)["qips"]] == [qip["id"]]

    json_of(nurse.patch(f"/qips/{qip['id']}", {"version": 1, "title": "Renamed"}), 200)
    assert json_of(nurse.get(f"/qips/{qip['id']}"), 200)["qip"]["title"] == "Renamed"

    json_of(nurse.post(f"/qips/{qip['id']}/share", {"version": 2}), 200)
    assert titles(json_of(other_nurse.get("/qips"), 200)) == ["Renamed"]

    json_of(nurse.post(f"/qips/{qip['id']}/progress",
                       {"measure": "CNS at diagnosis", "date": "2013-05-01", "value": 70}), 201)
    shown = json_of(other_nurse.get(f"/qips/{qip['id']}"), 200)["qip"]
    assert (shown["measures"][0]["latest_value"], shown["version"]) == (70.0, 4)
