"""GET /api/v1/search over real HTTP: people, teams and QIPs in one answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import ApiClient, error_of, fields_of, json_of
from tests.builders import SmallNetwork


def found(client: ApiClient, **params: Any) -> dict[str, Any]:
    return json_of(client.get("/search", params=params), 200)


def names(group: dict[str, Any]) -> list[str]:
    return [item.get("name") or item["title"] for item in group["items"]]


def test_one_search_answers_with_people_teams_and_qips_each_with_its_total(
        nurse: ApiClient, shared: dict[str, Any]) -> None:
    answer = found(nurse, q="nurse")

    assert set(answer) == {"people", "teams", "qips"}
    assert names(answer["people"]) == ["Nina Nurse", "Sara South"]
    assert answer["people"]["total"] == 2
    assert names(answer["qips"]) == ["Nurse specialist at every diagnosis"]
    assert answer["qips"]["items"][0]["key_area_label"] == "Access to nurse specialists"
    assert answer["teams"] == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_people_show_the_expertise_their_search_matched_and_no_email(
        nurse: ApiClient) -> None:
    person = found(nurse, q="ebus")["people"]["items"][0]

    assert person["name"] == "Sara South"
    assert person["matched_expertise"] == ["ebus"]
    assert person["team"] == "Southmoor lung cancer MDT"
    assert "email" not in person


def test_filters_narrow_each_kind(nurse: ApiClient, network: SmallNetwork) -> None:
    answer = found(nurse, role="clinical_lead", region="North West")

    assert names(answer["people"]) == ["Liam Lead"]
    assert names(answer["teams"]) == ["Northshire lung cancer MDT"]
    assert answer["teams"]["items"][0]["member_count"] == 2
    assert found(nurse, team=str(network.south))["people"]["total"] == 1


def test_one_kind_is_paged_on_its_own(nurse: ApiClient) -> None:
    answer = found(nurse, q="nurse", kind="people", limit=1, offset=1)

    assert answer == {"people": {"items": answer["people"]["items"], "total": 2,
                                 "limit": 1, "offset": 1}}
    assert names(answer["people"]) == ["Sara South"]


def test_another_teams_draft_never_shows_but_your_own_does(
        nurse: ApiClient, other_nurse: ApiClient, draft: dict[str, Any]) -> None:
    assert found(other_nurse, q="diagnosis")["qips"]["total"] == 0
    assert found(other_nurse, key_area="cns_access")["people"]["total"] == 0

    mine = found(nurse, q="diagnosis")["qips"]["items"]
    assert [(q["id"], q["status"]) for q in mine] == [(draft["id"], "draft")]


@pytest.mark.parametrize("params, field", [
    ({"role": "surgeon"}, "role"),
    ({"kind": "everything"}, "kind"),
    ({"key_area": "staffing"}, "key_area"),
    ({"q": "x" * 201}, "q"),
    ({"q": "a\x00b"}, "q"),
    ({"limit": 0}, "limit"),
])
def test_a_bad_parameter_is_refused_naming_it(nurse: ApiClient, params: dict[str, Any],
                                              field: str) -> None:
    assert field in fields_of(nurse.get("/search", params=params))


def test_searching_needs_a_login(anonymous: ApiClient) -> None:
    error_of(anonymous.get("/search", params={"q": "nurse"}), 401)
