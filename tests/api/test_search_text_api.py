"""Full-text search over real HTTP: /api/v1/search and the library's ?q= filter take
stemmed words and abbreviations, never fail on what is typed, and show a plan not yet
shared only to its team and the organisers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import ApiClient, error_of, json_of


def titles(answer: dict[str, Any], group: str = "qips") -> list[str]:
    items = answer[group]["items"] if group in answer else answer["items"]
    return [item["title"] for item in items]


def test_an_abbreviation_finds_the_plan_in_search_and_in_the_library(
        nurse: ApiClient, shared: dict[str, Any]) -> None:
    # The shared plan says "lung cancer nurse specialist"; people type "CNS".
    for q in ("CNS diagnoses", "clinical nurse specialists"):
        assert titles(json_of(nurse.get("/search", params={"q": q}), 200)) == [shared["title"]]
        library = json_of(nurse.get("/qips", params={"q": q}), 200)
        assert [qip["title"] for qip in library["qips"]] == [shared["title"]]


@pytest.mark.parametrize("q", ['"', 'nurse"', "*", "-nurse", "NEAR(nurse", "nurse OR",
                               "nurse AND (", "'", "%", "nurse:*", "x" * 1000])
def test_nothing_typed_is_a_server_error(nurse: ApiClient, q: str) -> None:
    searched = nurse.get("/search", params={"q": q})
    browsed = nurse.get("/qips", params={"q": q})

    assert browsed.status_code == 200
    if len(q) > 200:
        assert "200 characters" in error_of(searched, 400)["fields"]["q"]
    else:
        assert searched.status_code == 200


def test_a_submitted_plan_shows_to_its_team_and_the_organisers_but_no_one_else(
        nurse: ApiClient, organiser: ApiClient, other_nurse: ApiClient,
        draft: dict[str, Any]) -> None:
    json_of(nurse.post(f"/qips/{draft['id']}/submit", {"version": draft["version"]}), 200)
    params = {"q": "nurse specialist diagnosis", "kind": "qips"}

    mine = json_of(nurse.get("/search", params=params), 200)["qips"]["items"]
    assert [(q["status"], q["shared_on"]) for q in mine] == [("submitted", None)]
    assert titles(json_of(organiser.get("/search", params=params), 200)) == [draft["title"]]
    assert json_of(other_nurse.get("/search", params=params), 200)["qips"]["total"] == 0
