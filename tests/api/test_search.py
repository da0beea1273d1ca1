"""GET /api/v1/search over real HTTP: people, teams and QIPs in one answer."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from tests.api.conftest import ApiClient, error_of, fields_of, json_of
from tests.builders import SmallNetwork, searchable_questions


def found(client: ApiClient, **params: Any) -> dict[str, Any]:
    return json_of(client.get("/search", params=params), 200)


def names(group: dict[str, Any]) -> list[str]:
    return [item.get("name") or item["title"] for item in group["items"]]


def test_one_search_answers_with_people_teams_and_qips_each_with_its_total(
        nurse: ApiClient, shared: dict[str, Any]) -> None:
    answer = found(nurse, q="nurse")

    assert set(answer) == {"people", "teams", "qips", "questions"}
    assert names(answer["people"]) == ["Nina Nurse", "Sara South"]
    assert answer["people"]["total"] == 2
    assert names(answer["qips"]) == ["Nurse specialist at every diagnosis"]
    assert answer["qips"]["items"][0]["key_area_label"] == "Access to nurse specialists"
    assert answer["teams"] == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_a_search_asked_again_finds_who_joined_since_and_not_for_a_contact(
        nurse: ApiClient, community: Any, network: SmallNetwork) -> None:
    # Answers are kept until a view the search reads moves on (web/search.py).
    assert names(found(nurse, q="nurse")["people"]) == ["Nina Nurse", "Sara South"]
    community.join(email="nora.new@southmoor.nhs.uk", name="Nora Newcomer",
                   role="lung_cancer_nurse_specialist", team_id=network.south,
                   password="a long enough password")

    assert sorted(names(found(nurse, q="nurse")["people"])) == [
        "Nina Nurse", "Nora Newcomer", "Sara South"]
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="Nurse-led clinics", made_on="2013-01-15")
    assert found(nurse, q="nurse")["people"]["total"] == 3


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
    # People by key area are found by the plans the reader may see: not kept as the
    # other team's answer.
    assert names(found(nurse, key_area="cns_access")["people"]) == ["Nina Nurse"]


def test_the_people_found_are_read_once_for_every_team_and_each_teams_plans_apart(
        nurse: ApiClient, other_nurse: ApiClient, community: Any,
        draft: dict[str, Any]) -> None:
    """People, teams and questions are the same whoever searches: kept once for
    everyone (web/search.py). The plans found are each team's own."""
    pages: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if "OVER ()" in statement:  # a group's page of the answer, by its first column
            pages.append(statement.split()[1].split(".")[0])

    event.listen(community.views.engine, "before_cursor_execute", note)
    try:
        theirs, mine = found(other_nurse, q="nurse"), found(nurse, q="nurse")
    finally:
        event.remove(community.views.engine, "before_cursor_execute", note)

    assert theirs["people"] == mine["people"] and names(mine["people"]) == [
        "Nina Nurse", "Sara South"]
    assert draft["id"] in {q["id"] for q in mine["qips"]["items"]}
    assert draft["id"] not in {q["id"] for q in theirs["qips"]["items"]}
    assert sorted(pages) == ["directory_members", "directory_teams", "library_qips",
                             "library_qips", "questions"]


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


# --- questions ---------------------------------------------------------------------------


@pytest.fixture
def questions(community: Any, network: SmallNetwork) -> dict[str, str]:
    return searchable_questions(community, network)


def test_a_question_is_found_by_a_word_in_its_body_and_a_hidden_one_is_not(
        nurse: ApiClient, network: SmallNetwork, questions: dict[str, str]) -> None:
    group = found(nurse, q="bronchoscopy")["questions"]

    assert group["total"] == 1
    assert group["items"] == [{
        "id": questions["asked"], "title": "Running a results clinic",
        "key_areas": ["cns_access"], "key_area_labels": ["Access to nurse specialists"],
        "tags": ["nurse-led clinics"], "asked_on": "2013-03-04", "answer_count": 1,
        "accepted_count": 0, "team_id": str(network.south),
        "team": "Southmoor lung cancer MDT", "region": "South West"}]


def test_a_question_is_found_by_a_word_of_its_answer(nurse: ApiClient,
                                                     questions: dict[str, str]) -> None:
    answer = found(nurse, q="specialists day after", kind="questions")

    assert set(answer) == {"questions"}
    assert [q["id"] for q in answer["questions"]["items"]] == [questions["asked"]]


def test_even_organisers_do_not_find_a_hidden_question(organiser: ApiClient,
                                                       questions: dict[str, str]) -> None:
    assert found(organiser, q="cheap slots")["questions"] == {
        "items": [], "total": 0, "limit": 50, "offset": 0}


def test_questions_narrow_by_key_area_and_the_askers_team(
        nurse: ApiClient, network: SmallNetwork, questions: dict[str, str]) -> None:
    assert found(nurse, q="results", key_area="diagnostics")["questions"]["total"] == 0
    assert found(nurse, q="results", team=str(network.north))["questions"]["total"] == 0
    assert found(nurse, q="results", team=str(network.south))["questions"]["total"] == 1
