"""Every limit the OpenAPI document promises for a request body holds over HTTP:
list lengths, at least one change, exactly one addressee, and a sane nesting
depth. Each was documented but taken before (a QIP with 5,000 measures, a series
of 20,000 values); each refusal names the field and writes nothing."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import SHAREABLE_PLAN, fields_of, json_of


def plans_of_my_team(client) -> int:
    return json_of(client.get("/qips"), 200)["total"]


def measures(count: int) -> list[dict]:
    return [{"name": f"Measure {i}"} for i in range(count)]


@pytest.mark.parametrize("field, too_many, most", [
    ("measures", measures(31), 30),
    ("member_ids", [str(uuid.uuid4()) for _ in range(101)], 100),
    ("changes", [{"title": f"Change {i}"} for i in range(31)], 30),
])
def test_a_plan_with_more_than_the_documented_number_of_items_is_refused_and_not_drafted(
        nurse, field, too_many, most):
    before = plans_of_my_team(nurse)

    fields = fields_of(nurse.post("/qips", {**SHAREABLE_PLAN, field: too_many}))

    assert fields == {field: f"must have at most {most} items"}
    assert plans_of_my_team(nurse) == before


def test_five_thousand_measures_are_refused_naming_measures_once(nurse):
    fields = fields_of(nurse.post("/qips", {**SHAREABLE_PLAN, "measures": measures(5000)}))

    assert fields == {"measures": "must have at most 30 items"}


def test_thirty_measures_are_still_taken(nurse):
    qip = json_of(nurse.post("/qips", {**SHAREABLE_PLAN, "measures": measures(30)}), 201)["qip"]

    assert len(qip["measures"]) == 30


def test_a_revision_with_too_many_measures_leaves_the_plan_as_it_was(nurse, draft):
    fields = fields_of(nurse.patch(f"/qips/{draft['id']}", {"version": draft["version"],
                                                             "measures": measures(31)}))

    assert fields == {"measures": "must have at most 30 items"}
    qip = json_of(nurse.get(f"/qips/{draft['id']}"), 200)["qip"]
    assert (qip["version"], len(qip["measures"])) == (draft["version"], 1)


def series_of(count: int) -> dict:
    return {"measure": "CNS at diagnosis",
            "values": [{"date": f"{2000 + i // 365}-01-01", "value": i} for i in range(count)]}


@pytest.mark.parametrize("count", [1001, 20_000])
def test_a_series_of_more_than_a_thousand_values_is_refused_and_records_none(
        nurse, shared, count):
    fields = fields_of(nurse.post(f"/qips/{shared['id']}/progress/series", series_of(count)))

    assert fields == {"values": "must have at most 1000 items"}
    assert json_of(nurse.get(f"/qips/{shared['id']}"), 200)["qip"]["progress"] == []


def test_an_empty_series_is_refused_naming_values(nurse, shared):
    fields = fields_of(nurse.post(f"/qips/{shared['id']}/progress/series",
                                  {"measure": "CNS at diagnosis", "values": []}))

    assert fields == {"values": "must have at least 1 item"}


def test_marking_more_notifications_read_than_documented_is_refused(nurse):
    fields = fields_of(nurse.post("/notifications/read",
                                  {"ids": [str(uuid.uuid4()) for _ in range(2001)]}))

    assert fields == {"ids": "must have at most 2000 items"}


def test_pairing_needs_at_least_one_pair(organiser):
    fields = fields_of(organiser.post("/pairings", {"pairs": []}))

    assert fields == {"pairs": "must have at least 1 item"}


@pytest.mark.parametrize("weights", [[1, 2, 3], [1, 2, 3, 4, 5]])
def test_weights_other_than_four_levels_are_refused_and_the_model_is_unchanged(
        organiser, weights):
    before = json_of(organiser.get("/sustainability-model"), 200)["model"]

    fields = fields_of(organiser.post("/sustainability-model/weights", {
        "factors": {"adaptability": weights}, "source": "a typo"}))

    assert set(fields) == {"factors.adaptability"}
    assert "4 items" in fields["factors.adaptability"]
    assert json_of(organiser.get("/sustainability-model"), 200)["model"] == before


def test_correcting_the_weights_of_no_factor_is_refused(organiser):
    fields = fields_of(organiser.post("/sustainability-model/weights",
                                      {"factors": {}, "source": "nothing"}))

    assert fields == {"factors": "must give at least one field"}


def test_a_revision_that_changes_nothing_but_sends_a_version_is_refused(nurse, draft):
    fields = fields_of(nurse.patch(f"/qips/{draft['id']}", {"version": draft["version"]}))

    assert fields == {"body": "must give at least one field besides version"}
    assert json_of(nurse.get(f"/qips/{draft['id']}"), 200)["qip"]["version"] == draft["version"]


@pytest.mark.parametrize("targets", [
    {},                                            # nobody
    {"to_organisers": False},                      # const: only true means the organisers
    {"team_id": "TEAM", "member_id": "MEMBER"},    # two at once
])
def test_a_follow_up_must_ask_exactly_one_addressee_and_none_is_recorded(nurse, network, targets):
    ids = {"TEAM": str(network.south), "MEMBER": str(network.other_nurse)}
    body = {"reason": "Visit?", **{k: ids.get(v, v) for k, v in targets.items()}}

    fields = fields_of(nurse.post("/follow-ups", body))

    assert fields == {"team_id": "ask exactly one of: a team, a member, or the organisers"}
    assert json_of(nurse.get("/follow-ups"), 200)["total"] == 0


def test_a_follow_up_field_of_the_wrong_kind_is_named_before_the_one_addressee_rule(nurse):
    fields = fields_of(nurse.post("/follow-ups", {"reason": "Visit?", "to_organisers": "yes"}))

    assert fields == {"to_organisers": "must be true or false"}


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_json_nested_absurdly_deep_is_400_naming_the_body_never_500(nurse, depth):
    nested = "[" * depth + "]" * depth
    answer = nurse.post("/qips", data='{"title": "Deep", "key_area": "cns_access", '
                                      f'"measures": {nested}}}',
                        headers={"Content-Type": "application/json"})

    assert fields_of(answer) == {"body": "must not be nested more than 32 levels deep"}
    assert plans_of_my_team(nurse) == 0


@pytest.mark.parametrize("body", ["[]", '"a plan"', "42", "null"])
def test_a_body_that_is_not_an_object_is_400_saying_so(nurse, body):
    answer = nurse.post("/qips", data=body, headers={"Content-Type": "application/json"})

    assert fields_of(answer) == {"body": "must be a JSON object"}


def test_an_id_with_a_digit_that_is_not_ascii_is_refused_naming_it(nurse, network):
    team_id = str(network.south)[:-1] + "\uff11"  # a full-width 1: Python's UUID() takes it

    fields = fields_of(nurse.post("/follow-ups", {"reason": "Visit?", "team_id": team_id}))

    assert fields == {"team_id": "must be an id like 6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11"}
