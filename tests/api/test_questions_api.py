"""Questions and answers over real HTTP: asking (with invitees), listing, reading,
answering, editing one's own posts with the version seen, accepting, following;
sanitised HTML, limits and floods. Reports and hiding: test_question_reports_api.py."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from domain.question import BODY_MAX, INVITEES_MAX, POSTS_PER_HOUR, TITLE_MAX
from tests.api.conftest import ApiClient, error_of, fields_of, json_of

EBUS = {"title": "Has anyone got a nurse-led EBUS follow-up clinic running?",
        "body": "We start one in **April** and would like to hear how yours went.",
        "key_areas": ["diagnostics"], "tags": ["EBUS", "nurse-led"]}


def ask(client: ApiClient, **changes: Any) -> dict[str, Any]:
    return json_of(client.post("/questions", {**EBUS, **changes}), 201)["question"]


def answer_of(client: ApiClient, question: dict[str, Any], body: str) -> dict[str, Any]:
    return json_of(client.post(f"/questions/{question['id']}/answers", {"body": body}),
                   201)["answer"]


def put(client: ApiClient, path: str, body: Any = None) -> Any:
    return client.request("PUT", path, json=body)


def total_questions(client: ApiClient) -> int:
    return json_of(client.get("/questions"), 200)["total"]


@pytest.fixture
def question(nurse: ApiClient) -> dict[str, Any]:
    """Nina's question about an EBUS clinic."""
    return ask(nurse)


@pytest.fixture
def reply(other_nurse: ApiClient, question: dict[str, Any]) -> dict[str, Any]:
    """Sara's answer to it."""
    return answer_of(other_nurse, question, "Ours runs on Wednesdays; happy to talk.")


# --- asking ------------------------------------------------------------------------------


def test_a_member_asks_and_gets_the_question_back_as_safe_html_with_no_answers(
        nurse, network):
    asked = ask(nurse)

    assert asked["title"] == EBUS["title"]
    assert "<strong>April</strong>" in asked["body_html"]
    assert asked["key_areas"] == ["diagnostics"] and asked["tags"] == ["ebus", "nurse-led"]
    assert (asked["asked_by"], asked["asked_by_name"]) == (str(network.nurse), "Nina Nurse")
    assert asked["asked_on"] == "2013-06-01"
    assert asked["answers"] == [] and asked["following"] is True
    assert asked["version"] >= 1 and asked["hidden"] is False


def test_invited_members_are_told_in_their_notifications(nurse, other_nurse, network):
    asked = ask(nurse, invite_member_ids=[str(network.other_nurse)])

    told = json_of(other_nurse.get("/notifications"), 200)
    assert told["unread"] == 1
    [notification] = told["notifications"]
    assert set(notification) >= {"id", "kind", "text", "link", "read"}
    assert (notification["kind"], notification["link"], notification["read"]) == (
        "question_invited", f"/questions/{asked['id']}", False)
    assert EBUS["title"] in notification["text"]
    assert json_of(other_nurse.post("/notifications/read", {"ids": [notification["id"]]}),
                   200) == {"read": 1, "unread": 0}


def test_a_question_attached_to_a_qip_and_a_team_is_found_by_them(nurse, shared, network):
    asked = ask(nurse, qip_id=shared["id"], team_id=str(network.south))

    assert (asked["qip_id"], asked["team_id"]) == (shared["id"], str(network.south))
    by_qip = json_of(nurse.get(f"/questions?qip_id={shared['id']}"), 200)
    assert [q["id"] for q in by_qip["questions"]] == [asked["id"]]
    by_team = json_of(nurse.get(f"/questions?team_id={network.south}"), 200)
    assert [q["id"] for q in by_team["questions"]] == [asked["id"]]


@pytest.mark.parametrize("changes, field, message", [
    ({"title": "T" * (TITLE_MAX + 1)}, "title", f"must be at most {TITLE_MAX} characters"),
    ({"title": "   "}, "title", "is required"),
    ({"key_areas": ["astrology"]}, "key_areas[0]", "must be one of: "),
    ({"key_areas": []}, "key_areas", "must have at least 1 item"),
    ({"tags": ["a", "b", "c", "d", "e", "f"]}, "tags", "must have at most 5 items"),
    ({"tags": ["<b>"]}, "tags[0]", "must be words of letters"),
    ({"body": None}, "body", "is required"),
    ({"qip_id": "00000000-0000-4000-8000-000000000000"}, "qip_id", "no such QIP"),
    ({"invite_member_ids": ["6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c1" + str(i) for i in range(6)]},
     "invite_member_ids", f"must have at most {INVITEES_MAX} items"),
    ({"colour": "red"}, "colour", "is not a field this request takes"),
])
def test_a_bad_question_is_refused_naming_the_field_and_nothing_is_saved(
        nurse, changes, field, message):
    fields = fields_of(nurse.post("/questions", {**EBUS, **changes}))

    assert fields[field].startswith(message), fields
    assert total_questions(nurse) == 0


def test_inviting_yourself_is_refused_naming_the_field(nurse, network):
    fields = fields_of(nurse.post("/questions", {**EBUS,
                                                 "invite_member_ids": [str(network.nurse)]}))

    assert fields == {"invite_member_ids": "you cannot invite yourself to answer"}
    assert total_questions(nurse) == 0


class Markup(HTMLParser):
    """The tags and attributes a browser would build from some HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)


def test_scripts_javascript_links_and_event_handlers_never_reach_body_html(nurse):
    body = ("<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n"
            '<img src=x onerror="alert(3)">\n\n<a href="#" onclick="alert(4)">x</a>\n\n'
            "[the guideline](https://www.nice.org.uk/guidance/ng122)")

    html = ask(nurse, body=body)["body_html"]

    markup = Markup(html)
    assert "script" not in markup.tags and "img" not in markup.tags
    assert not [name for name, _ in markup.attributes if name.startswith("on")]
    hrefs = [value for name, value in markup.attributes if name == "href"]
    assert hrefs == ["https://www.nice.org.uk/guidance/ng122"]
    assert ("rel", "nofollow noopener") in markup.attributes


def test_a_one_megabyte_body_is_refused_with_a_clear_message_and_nothing_saved(nurse):
    fields = fields_of(nurse.post("/questions", {**EBUS, "body": "x" * 1_000_000}))

    assert fields == {"body": f"must be at most {BODY_MAX} characters"}
    assert total_questions(nurse) == 0


def test_a_request_beyond_the_size_limit_is_413_in_json(nurse):
    error = error_of(nurse.post("/questions", {**EBUS, "body": "x" * 3_000_000}), 413)

    assert error["code"] == "too_large"
    assert total_questions(nurse) == 0


def test_logged_out_callers_see_and_post_nothing(anonymous, question):
    for answer in (anonymous.get("/questions"), anonymous.get(f"/questions/{question['id']}"),
                   anonymous.post("/questions", EBUS), anonymous.get("/follows"),
                   anonymous.post("/reports", {"question_id": question["id"], "reason": "x"})):
        assert error_of(answer, 401)["code"] == "not_logged_in"


# --- listing and reading -----------------------------------------------------------------


def test_the_list_filters_by_key_area_and_unanswered_with_a_total(nurse, other_nurse):
    first = ask(nurse, title="Who runs a nurse-led EBUS clinic?")
    second = ask(nurse, title="How do you staff the CNS rota?", key_areas=["cns_access"])
    json_of(other_nurse.post(f"/questions/{first['id']}/answers", {"body": "We do."}), 201)

    everything = json_of(nurse.get("/questions"), 200)
    assert everything["total"] == 2
    assert {q["id"] for q in everything["questions"]} == {first["id"], second["id"]}
    unanswered = json_of(nurse.get("/questions?unanswered=true"), 200)
    assert [q["id"] for q in unanswered["questions"]] == [second["id"]]
    assert unanswered["total"] == 1
    by_area = json_of(nurse.get("/questions?key_area=cns_access"), 200)
    assert [q["id"] for q in by_area["questions"]] == [second["id"]]
    assert "answers" not in by_area["questions"][0]
    paged = json_of(nurse.get("/questions?limit=1&offset=1"), 200)
    assert (len(paged["questions"]), paged["total"], paged["limit"]) == (1, 2, 1)


@pytest.mark.parametrize("query, field", [
    ("key_area=astrology", "key_area"), ("unanswered=maybe", "unanswered"),
    ("qip_id=not-an-id", "qip_id"), ("team_id=42", "team_id"), ("limit=0", "limit"),
])
def test_a_bad_filter_is_refused_naming_it(nurse, query, field):
    assert set(fields_of(nurse.get(f"/questions?{query}"))) == {field}


def test_a_question_that_does_not_exist_is_404(nurse):
    error_of(nurse.get("/questions/00000000-0000-4000-8000-000000000000"), 404)
    error_of(nurse.get("/questions/not-an-id"), 404)


# --- answering, editing, accepting -------------------------------------------------------


def test_an_answer_is_shown_on_its_question_and_the_asker_is_told(
        nurse, other_nurse, question, reply, network):
    assert (reply["by"], reply["by_name"], reply["accepted"]) == (
        str(network.other_nurse), "Sara South", False)
    assert reply["body_html"] == "<p>Ours runs on Wednesdays; happy to talk.</p>\n"

    shown = json_of(nurse.get(f"/questions/{question['id']}"), 200)["question"]
    assert [(a["id"], a["body_html"]) for a in shown["answers"]] == [
        (reply["id"], reply["body_html"])]
    assert shown["answer_count"] == 1
    kinds = [n["kind"] for n in json_of(nurse.get("/notifications"), 200)["notifications"]]
    assert "question_answered" in kinds


def test_an_answer_to_a_question_that_does_not_exist_is_404(other_nurse):
    error_of(other_nurse.post("/questions/00000000-0000-4000-8000-000000000000/answers",
                              {"body": "Hello"}), 404)


def test_the_asker_edits_her_question_with_the_version_she_saw(nurse, question):
    edited = json_of(put(nurse, f"/questions/{question['id']}", {
        "title": "Has anyone got an EBUS follow-up clinic?", "body": "Edited.",
        "key_areas": ["diagnostics"], "version": question["version"]}), 200)["question"]

    assert edited["title"] == "Has anyone got an EBUS follow-up clinic?"
    assert edited["body_html"] == "<p>Edited.</p>\n"
    assert (edited["edits"], edited["version"]) == (1, question["version"] + 1)


def test_an_edit_from_a_stale_version_is_409_and_changes_nothing(nurse, question):
    path = f"/questions/{question['id']}"
    json_of(put(nurse, path, {**EBUS, "body": "First edit.", "version": question["version"]}),
            200)

    error_of(put(nurse, path, {**EBUS, "body": "Second edit.", "version": question["version"]}),
             409)
    assert json_of(nurse.get(path), 200)["question"]["body_html"] == "<p>First edit.</p>\n"


def test_nobody_edits_another_members_question_or_answer(lead, nurse, question, reply):
    error_of(put(lead, f"/questions/{question['id']}", {**EBUS, "version": question["version"]}),
             403)
    error_of(put(nurse, f"/questions/{question['id']}/answers/{reply['id']}",
                 {"body": "Mine now", "version": reply["version"]}), 403)


def test_the_answerer_edits_her_answer_and_a_stale_version_is_409(other_nurse, question, reply):
    path = f"/questions/{question['id']}/answers/{reply['id']}"

    edited = json_of(put(other_nurse, path, {"body": "Ours runs on **Thursdays**.",
                                             "version": reply["version"]}), 200)["answer"]

    assert "<strong>Thursdays</strong>" in edited["body_html"] and edited["edits"] == 1
    error_of(put(other_nurse, path, {"body": "Again", "version": reply["version"]}), 409)
    assert set(fields_of(put(other_nurse, path, {"body": "No version"}))) == {"version"}


def test_the_asker_accepts_an_answer_once_and_only_she_may(
        nurse, other_nurse, lead, question, reply):
    path = f"/questions/{question['id']}/answers/{reply['id']}/accept"
    error_of(other_nurse.post(path), 403)
    error_of(lead.post(path), 403)

    accepted = json_of(nurse.post(path), 200)["answer"]

    assert accepted["accepted"] is True and accepted["accepted_on"] == "2013-06-01"
    error_of(nurse.post(path), 409)
    kinds = [n["kind"] for n in json_of(other_nurse.get("/notifications"), 200)["notifications"]]
    assert "answer_accepted" in kinds


def test_accepting_an_answer_of_another_question_is_404(nurse, question, reply):
    other = ask(nurse, title="Another question")

    error_of(nurse.post(f"/questions/{other['id']}/answers/{reply['id']}/accept"), 404)


# --- inviting, following -----------------------------------------------------------------


def test_suggested_people_come_from_outside_the_askers_team_with_reasons(
        nurse, question, network):
    members = json_of(nurse.get(f"/questions/{question['id']}/suggested-people"), 200)["members"]

    ids = [m["id"] for m in members]
    assert str(network.other_nurse) in ids
    assert not {str(network.nurse), str(network.lead)} & set(ids)
    assert all(m["reasons"] for m in members)


def test_the_asker_invites_people_and_no_one_else_may(nurse, lead, question, network):
    path = f"/questions/{question['id']}/invitations"
    error_of(lead.post(path, {"member_ids": [str(network.other_nurse)]}), 403)

    invited = json_of(nurse.post(path, {"member_ids": [str(network.other_nurse)]}), 200)

    assert invited["invited"] == [str(network.other_nurse)]
    assert invited["question"]["invited"] == [str(network.other_nurse)]
    assert json_of(nurse.post(path, {"member_ids": [str(network.other_nurse)]}),
                   200)["invited"] == []
    assert set(fields_of(nurse.post(path, {"member_ids": [str(network.nurse)]}))) == {
        "member_ids"}


def test_a_member_follows_and_unfollows_a_question(lead, question):
    path = f"/questions/{question['id']}/follow"

    assert json_of(put(lead, path), 200) == {"following": True}
    assert json_of(lead.get(f"/questions/{question['id']}"), 200)["question"]["following"]
    assert json_of(lead.delete(path), 200) == {"following": False}
    assert not json_of(lead.get(f"/questions/{question['id']}"), 200)["question"]["following"]
    error_of(put(lead, "/questions/00000000-0000-4000-8000-000000000000/follow"), 404)


def test_a_member_chooses_the_key_areas_and_teams_she_follows(lead, nurse, network):
    assert json_of(lead.get("/follows"), 200) == {"key_areas": [], "team_ids": []}

    chosen = json_of(put(lead, "/follows", {"key_areas": ["diagnostics"],
                                            "team_ids": [str(network.south)]}), 200)

    assert chosen == {"key_areas": ["diagnostics"], "team_ids": [str(network.south)]}
    assert json_of(lead.get("/follows"), 200) == chosen
    ask(nurse)  # her team-mate asks in a key area Liam follows
    kinds = [n["kind"] for n in json_of(lead.get("/notifications"), 200)["notifications"]]
    assert kinds == ["question_in_followed"]


@pytest.mark.parametrize("body, field", [
    ({"key_areas": ["astrology"], "team_ids": []}, "key_areas[0]"),
    ({"key_areas": [], "team_ids": ["00000000-0000-4000-8000-000000000000"]}, "team_ids"),
    ({"key_areas": []}, "team_ids"),
])
def test_bad_follows_are_refused_naming_the_field(lead, body, field):
    assert set(fields_of(put(lead, "/follows", body))) == {field}
    assert json_of(lead.get("/follows"), 200) == {"key_areas": [], "team_ids": []}


# --- floods ------------------------------------------------------------------------------


def test_a_flood_of_questions_is_refused_by_the_hourly_limit_and_not_saved(nurse):
    for number in range(POSTS_PER_HOUR):
        ask(nurse, title=f"Question {number}")

    fields = fields_of(nurse.post("/questions", {**EBUS, "title": "One too many"}))

    assert fields["body"].startswith(f"you have posted {POSTS_PER_HOUR} times in the last hour")
    assert total_questions(nurse) == POSTS_PER_HOUR
