"""Reports and moderation over real HTTP: any member reports a question or an
answer; only the organisers read the reports, dismiss them, or hide the post,
which members then see without its text. A burst of reports is 429."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import ApiClient, error_of, fields_of, json_of
from tests.api.test_questions_api import EBUS, answer_of, ask, put


@pytest.fixture
def question(nurse: ApiClient) -> dict[str, Any]:
    """A question to report: Nina's, about an EBUS clinic."""
    return ask(nurse)


@pytest.fixture
def reply(other_nurse: ApiClient, question: dict[str, Any]) -> dict[str, Any]:
    """An answer to report: Sara's."""
    return answer_of(other_nurse, question, "We run ours on Wednesdays.")


def report(client: ApiClient, question: dict[str, Any], **more: Any) -> dict[str, Any]:
    return json_of(client.post("/reports", {"question_id": question["id"],
                                            "reason": "Rude", **more}), 201)["report"]


def test_a_report_reaches_the_organisers_and_only_them(other_nurse, organiser, question):
    filed = report(other_nurse, question)

    assert (filed["status"], filed["post_kind"], filed["answer_id"]) == (
        "open", "question", None)
    assert "post_body" not in filed
    error_of(other_nurse.get("/reports"), 403)
    [seen] = json_of(organiser.get("/reports"), 200)["reports"]
    assert (seen["id"], seen["reason"], seen["post_body"]) == (filed["id"], "Rude", EBUS["body"])


def test_reporting_something_that_does_not_exist_names_the_field(other_nurse, question):
    missing = "00000000-0000-4000-8000-000000000000"
    assert fields_of(other_nurse.post("/reports", {"question_id": missing, "reason": "x"})) == {
        "question_id": "no such question"}
    assert set(fields_of(other_nurse.post("/reports", {
        "question_id": question["id"], "answer_id": missing, "reason": "x"}))) == {"answer_id"}
    assert set(fields_of(other_nurse.post("/reports", {"question_id": question["id"],
                                                       "reason": ""}))) == {"reason"}


def test_an_organiser_hides_a_reported_answer_and_members_see_no_text(
        nurse, other_nurse, lead, organiser, question, reply):
    filed = report(nurse, question, answer_id=reply["id"])
    error_of(nurse.post(f"/reports/{filed['id']}/hide", {"reason": "Abusive"}), 403)

    closed = json_of(organiser.post(f"/reports/{filed['id']}/hide", {"reason": "Abusive"}),
                     200)["report"]

    assert (closed["status"], closed["note"], closed["answer_id"]) == (
        "hidden", "Abusive", reply["id"])
    [shown] = json_of(lead.get(f"/questions/{question['id']}"), 200)["question"]["answers"]
    assert (shown["hidden"], shown["body"], shown["body_html"], shown["hidden_reason"]) == (
        True, "", "", "Abusive")
    assert json_of(organiser.get("/reports"), 200)["reports"] == []
    error_of(organiser.post(f"/reports/{filed['id']}/hide", {"reason": "Again"}), 409)


def test_a_hidden_question_leaves_the_list_and_shows_no_text(nurse, lead, organiser, question):
    error_of(lead.post(f"/questions/{question['id']}/hide", {"reason": "Spam"}), 403)
    assert set(fields_of(organiser.post(f"/questions/{question['id']}/hide", {}))) == {"reason"}

    json_of(organiser.post(f"/questions/{question['id']}/hide", {"reason": "Spam"}), 200)

    shown = json_of(lead.get(f"/questions/{question['id']}"), 200)["question"]
    assert (shown["hidden"], shown["title"], shown["body_html"]) == (True, "", "")
    assert json_of(lead.get("/questions"), 200)["total"] == 0
    organisers_view = json_of(organiser.get(f"/questions/{question['id']}"), 200)["question"]
    assert organisers_view["title"] == EBUS["title"]
    error_of(put(nurse, f"/questions/{question['id']}",
                 {**EBUS, "version": organisers_view["version"]}), 409)


def test_an_organiser_hides_an_answer_directly(organiser, other_nurse, question, reply):
    path = f"/questions/{question['id']}/answers/{reply['id']}/hide"
    error_of(other_nurse.post(path, {"reason": "Spam"}), 403)

    hidden = json_of(organiser.post(path, {"reason": "Spam"}), 200)["answer"]

    assert hidden["hidden"] is True and hidden["hidden_reason"] == "Spam"


def test_an_organiser_dismisses_a_report_once(other_nurse, organiser, question):
    filed = report(other_nurse, question)
    error_of(other_nurse.post(f"/reports/{filed['id']}/dismiss", {}), 403)

    dismissed = json_of(organiser.post(f"/reports/{filed['id']}/dismiss",
                                       {"note": "Robust, not rude"}), 200)["report"]

    assert (dismissed["status"], dismissed["note"]) == ("dismissed", "Robust, not rude")
    error_of(organiser.post(f"/reports/{filed['id']}/dismiss", {}), 409)
    error_of(organiser.post("/reports/00000000-0000-4000-8000-000000000000/dismiss", {}), 404)
    shown = json_of(other_nurse.get(f"/questions/{question['id']}"), 200)["question"]
    assert shown["hidden"] is False



def test_a_burst_of_posts_is_429_with_a_json_error(other_nurse, question):
    answers = [other_nurse.post("/reports", {"question_id": question["id"], "reason": "x"})
               for _ in range(21)]

    assert [a.status_code for a in answers[:20]] == [201] * 20
    assert error_of(answers[20], 429)["code"] == "too_many_requests"
    assert "Retry-After" in answers[20].headers
