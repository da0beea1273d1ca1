"""After a change a role may make, another user reads it back (issue 13, "proof that
stays"): an accepted answer is not proof that anything was kept, or kept where others
look. Each change is made by the role the matrix (test_authorisation_matrix.py) lets
through, over the API with a valid body or on a page through its rendered form, and
is then read by someone else: the other team, the organiser, or the team."""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.conftest import Served
from tests.security.world import PLAN
from tests.web.forms import submit


def call(served: Served, role: str, method: str, path: str, body: Any = None) -> Any:
    answer = served.clients[role].open(
        "/api/v1" + path, method=method, json=body,
        headers={"X-Requested-With": "read-back-test"})
    assert answer.status_code < 300, (method, path, role, answer.status_code, answer.text)
    return answer.get_json(silent=True)


def texts(value: Any) -> str:
    return repr(value)


@pytest.fixture(scope="module")
def ids(served: Served) -> dict[str, str]:
    return served.world.ids


def test_a_contact_nina_records_is_read_by_sara_whom_it_names(served: Served, ids) -> None:
    sara = str(served.world.network.other_nurse)
    call(served, "team", "POST", "/contacts",
         {"to_member_id": sara, "topic": "Read back: EBUS lists"})

    assert "Read back: EBUS lists" in texts(call(served, "other_team", "GET", "/contacts"))


def test_a_value_the_team_records_is_read_by_the_other_team(served: Served, ids) -> None:
    call(served, "team", "POST", f"/qips/{ids['qip_id']}/progress",
         {"measure": "CNS at diagnosis", "date": "2012-12-31", "value": 77})

    qip = call(served, "other_team", "GET", f"/qips/{ids['qip_id']}")["qip"]
    assert {"measure": "CNS at diagnosis", "recorded_on": "2012-12-31",
            "value": 77.0} in qip["progress"]


def test_a_change_the_organiser_marks_is_read_by_the_team(served: Served, ids) -> None:
    call(served, "organiser", "POST", f"/qips/{ids['qip_id']}/changes",
         {"measure": "CNS at diagnosis", "date": "2012-06-30",
          "description": "Read back: a second clinic"})

    qip = call(served, "team", "GET", f"/qips/{ids['qip_id']}")["qip"]
    assert "Read back: a second clinic" in texts(qip["change_marks"])


def test_a_plan_the_team_revises_is_read_by_the_organiser(served: Served, ids) -> None:
    draft = served.world.more["draft"]
    version = call(served, "team", "GET", f"/qips/{draft}")["qip"]["version"]
    call(served, "team", "PATCH", f"/qips/{draft}",
         {"version": version, "aim": "Read back: histology within 14 days"})

    qip = call(served, "organiser", "GET", f"/qips/{draft}")["qip"]
    assert qip["aim"] == "Read back: histology within 14 days"


def test_a_question_sara_asks_is_read_by_nina(served: Served) -> None:
    call(served, "other_team", "POST", "/questions", {
        "title": "Read back: who runs a rapid-access clinic?", "body": "And how?",
        "key_areas": ["diagnostics"]})

    found = call(served, "team", "GET", "/questions")
    assert "Read back: who runs a rapid-access clinic?" in texts(found)


def test_an_answer_nina_writes_is_read_by_the_organiser(served: Served, ids) -> None:
    call(served, "team", "POST", f"/questions/{ids['question_id']}/answers",
         {"body": "Read back: we share Mondays too"})

    thread = call(served, "organiser", "GET", f"/questions/{ids['question_id']}")
    assert "Read back: we share Mondays too" in texts(thread)


def test_a_follow_up_nina_asks_of_the_south_reaches_sara(served: Served) -> None:
    call(served, "team", "POST", "/follow-ups", {
        "team_id": str(served.world.network.south), "reason": "Read back: a visit in May?"})

    assert "Read back: a visit in May?" in texts(call(served, "other_team", "GET",
                                                      "/follow-ups/inbox"))


def test_saras_registration_for_an_event_is_read_by_the_organiser(served: Served, ids) -> None:
    call(served, "other_team", "POST", f"/events/{ids['event_id']}/registration")

    event = call(served, "organiser", "GET", f"/events/{ids['event_id']}")
    assert "Sara South" in texts(event)


def test_a_profile_sara_changes_is_read_by_nina(served: Served) -> None:
    me = call(served, "other_team", "GET", "/me")
    member = me.get("member", me)
    call(served, "other_team", "PATCH", "/me",
         {"version": member["version"], "help_with": "Read back: setting up EBUS"})

    sara = call(served, "team", "GET", f"/members/{served.world.network.other_nurse}")
    assert "Read back: setting up EBUS" in texts(sara)


def test_a_review_the_organiser_gives_is_read_by_the_team_on_the_history(
        served: Served) -> None:
    south = call(served, "other_team", "POST", "/qips", PLAN)["qip"]
    call(served, "other_team", "POST", f"/qips/{south['id']}/submit",
         {"version": south["version"]})
    south = south["id"]
    call(served, "organiser", "POST", f"/qips/{south}/review", {
        "decision": "request_changes", "comments": {"aim": "Read back: say by when"}})

    history = call(served, "other_team", "GET", f"/qips/{south}/history")
    assert "Read back: say by when" in texts(history)


def test_a_question_asked_on_the_page_is_read_over_the_api_by_another_team(
        served: Served) -> None:
    nina = served.clients["team"]
    page = nina.get("/questions/new")

    asked = submit(nina, page.data, {"title": "Read back: asked on the page",
                                     "body": "Who has a nurse-led follow-up clinic?",
                                     "key_areas": ["cns_access"]}, action="/questions/new")

    assert asked.status_code == 302, asked.data
    assert "Read back: asked on the page" in texts(call(served, "other_team", "GET",
                                                        "/questions"))


def test_a_contact_recorded_on_the_page_is_read_over_the_api_by_the_other_person(
        served: Served) -> None:
    olive = served.clients["organiser"]
    page = olive.get(f"/members/{served.world.network.other_nurse}")

    made = submit(olive, page.data, {"topic": "Read back: recorded on the page"},
                  action="/contacts")

    assert made.status_code == 302, made.data
    assert "Read back: recorded on the page" in texts(call(served, "other_team", "GET",
                                                           "/contacts"))
