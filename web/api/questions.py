"""Questions and answers in the API (issue 11): asking the network, answering,
editing one's own posts with the version seen, accepting the answer that helped,
inviting suggested people, following questions and the key areas and teams one
follows. Reports and hiding: web/api/question_reports.py.

Every limit in the schemas comes from domain/question.py, so the document, the
check of each body and the domain's own checks say the same thing. Posting
routes are rate limited (web/limits.py); the domain also refuses more than
``POSTS_PER_HOUR`` questions and answers an hour, and both are documented.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from domain.errors import Invalid, NotFound
from domain.question import BODY_MAX, INVITEES_MAX, TAG, TAG_MAX, TAGS_MAX, TITLE_MAX
from domain.values import KeyArea
from web.api import api, present
from web.api.openapi import (
    BOOL,
    DATE,
    ID,
    INT,
    PAGING,
    STR,
    answer,
    document,
    enum,
    errors,
    obj,
    op,
    page_of,
    path_id,
    query_filter,
    ref,
    request_schema,
    text,
    wrap,
)
from web.api.requests import UUID_FORM, choice_arg, json_body, page_args, paged
from web.limits import POSTING, limiter
from web.services import community, views

# --- the document -----------------------------------------------------------------------

NULL_ID = {"type": ["string", "null"], "format": "uuid"}
NULL_DATE = {"type": ["string", "null"], "format": "date"}
NULL_STR = {"type": ["string", "null"]}
KEY_AREAS = {"type": "array", "items": enum(KeyArea), "minItems": 1,
             "maxItems": len(KeyArea)}
# The domain lower-cases a tag and joins its words with single spaces before it
# checks it against TAG, so the API takes capitals as well.
TAGS = {"type": "array", "maxItems": TAGS_MAX, "items": {
    "type": "string", "maxLength": TAG_MAX,
    "pattern": "^" + TAG.pattern.replace("a-z", "a-zA-Z") + "$",
    "description": "words of letters, digits, spaces and + / & . -"}}
TITLE = text(TITLE_MAX)
BODY = {**text(BODY_MAX), "description": "Markdown; shown as sanitised HTML (body_html)"}
INVITEES = {"type": "array", "items": ID, "minItems": 1, "maxItems": INVITEES_MAX}
VERSION = {**INT, "description": "the version you saw; 409 when it changed since"}
# The teams one follows: far more than a national network has, far fewer than a flood.
FOLLOWED_TEAMS_MAX = 1000
TOO_MANY = {"429": {"description": "Too many posts in a minute, or the domain's "
                                   "limit of posts an hour; wait and try again",
                    "content": {"application/json": {"schema": ref("Error")}}}}

ANSWER = obj(["id", "question_id", "body_html", "by", "posted_on", "accepted", "hidden",
              "version"], {
    "id": ID, "question_id": ID,
    "body": {**STR, "description": "the Markdown as written; empty when hidden"},
    "body_html": {**STR, "description": "sanitised HTML; empty when hidden"},
    "by": ID, "by_name": NULL_STR, "posted_on": DATE, "edited_on": NULL_DATE, "edits": INT,
    "version": INT, "accepted": BOOL, "accepted_on": NULL_DATE, "hidden": BOOL,
    "hidden_on": NULL_DATE, "hidden_reason": NULL_STR})
QUESTION = obj(["id", "title", "body_html", "key_areas", "tags", "asked_by", "asked_on",
                "version", "hidden"], {
    "id": ID, "title": {**STR, "description": "empty when hidden"},
    "body": {**STR, "description": "the Markdown as written; empty when hidden"},
    "body_html": {**STR, "description": "sanitised HTML; empty when hidden"},
    "key_areas": {"type": "array", "items": enum(KeyArea)},
    "tags": {"type": "array", "items": STR}, "qip_id": NULL_ID, "team_id": NULL_ID,
    "workshop_id": NULL_ID, "asked_by": ID, "asked_by_name": NULL_STR, "asked_on": DATE,
    "edited_on": NULL_DATE, "edits": INT, "version": INT, "answer_count": INT,
    "accepted_count": INT, "first_answered_on": NULL_DATE,
    "invited": {"type": "array", "items": ID}, "following": BOOL, "hidden": BOOL,
    "hidden_on": NULL_DATE, "hidden_reason": NULL_STR,
    "answers": {"type": "array", "items": ref("Answer"),
                "description": "oldest first; only when one question is asked for"}})
FOLLOWS = obj(["key_areas", "team_ids"], {
    "key_areas": {"type": "array", "items": enum(KeyArea), "maxItems": len(KeyArea)},
    "team_ids": {"type": "array", "items": ID, "maxItems": FOLLOWED_TEAMS_MAX}})
QUESTION_ID = path_id("question_id")
ANSWER_IDS = [QUESTION_ID, path_id("answer_id")]


def _question_op(summary: str, status: str, said: str, *codes: int,
                 request: dict[str, Any] | None = None, posting: bool = False,
                 params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return op(summary, {**answer(status, said, wrap("question", ref("Question"))),
                        **errors(*codes), **(TOO_MANY if posting else {})},
              params=[QUESTION_ID] if params is None else params, request=request)


def _answer_op(summary: str, status: str, said: str, *codes: int,
               request: dict[str, Any] | None = None, posting: bool = False,
               params: list[dict[str, Any]] = ANSWER_IDS) -> dict[str, Any]:
    return op(summary, {**answer(status, said, wrap("answer", ref("Answer"))),
                        **errors(*codes), **(TOO_MANY if posting else {})},
              params=params, request=request)


document({
    "/questions": {
        "get": op("Questions, newest first; with unanswered=true those with no answer yet, "
                  "the longest waiting first. Hidden questions are left out", {
            **answer("200", "A page of questions", page_of("questions", "Question")),
            **errors(400, 401)},
            params=[query_filter("unanswered", BOOL, "true: only those with no answer"),
                    query_filter("key_area", enum(KeyArea)),
                    query_filter("qip_id", ID, "those attached to this QIP"),
                    query_filter("team_id", ID, "those attached to this team or asked by "
                                                "its members"),
                    *PAGING]),
        "post": _question_op(
            "Ask the network; attach it to a QIP, a team or an event, and invite up to "
            f"{INVITEES_MAX} members to answer (they are told)", "201", "Asked",
            400, 401, posting=True, params=[], request=obj(["title", "body", "key_areas"], {
                "title": TITLE, "body": BODY, "key_areas": KEY_AREAS, "tags": TAGS,
                "qip_id": ID, "team_id": ID, "workshop_id": ID,
                "invite_member_ids": INVITEES}, False)),
    },
    "/questions/{question_id}": {
        "get": _question_op("One question with its answers, oldest first; a hidden post "
                            "shows no text", "200", "The question", 401, 404),
        "put": _question_op("Edit your question (the earlier wording stays in its history)",
                            "200", "Edited", 400, 401, 403, 404, 409, posting=True,
                            request=obj(["title", "body", "key_areas", "version"], {
                                "title": TITLE, "body": BODY, "key_areas": KEY_AREAS,
                                "tags": TAGS, "version": VERSION}, False)),
    },
    "/questions/{question_id}/suggested-people": {"get": op(
        f"Up to {INVITEES_MAX} members outside the asker's team whose expertise, role and "
        "team results match the question, each with the reasons; those invited already "
        "are left out", {
            **answer("200", "Suggestions", obj(["members"], {"members": {
                "type": "array", "items": {"allOf": [ref("Member"), obj(["reasons"], {
                    "reasons": {"type": "array", "items": STR}})]}}})),
            **errors(401, 404)}, params=[QUESTION_ID])},
    "/questions/{question_id}/invitations": {"post": op(
        f"Invite members to answer your question ({INVITEES_MAX} in all); they are told", {
            **answer("200", "Invited: those newly invited, and the question",
                     obj(["invited", "question"], {"invited": {"type": "array", "items": ID},
                                                   "question": ref("Question")})),
            **errors(400, 401, 403, 404, 409), **TOO_MANY}, params=[QUESTION_ID],
        request=obj(["member_ids"], {"member_ids": INVITEES}, False))},
    "/questions/{question_id}/answers": {"post": _answer_op(
        "Answer a question; those who follow it are told", "201", "Answered",
        400, 401, 404, 409, posting=True, params=[QUESTION_ID],
        request=obj(["body"], {"body": BODY}, False))},
    "/questions/{question_id}/answers/{answer_id}": {"put": _answer_op(
        "Edit your answer (the earlier wording stays in its history)", "200", "Edited",
        400, 401, 403, 404, 409, posting=True,
        request=obj(["body", "version"], {"body": BODY, "version": VERSION}, False))},
    "/questions/{question_id}/answers/{answer_id}/accept": {"post": _answer_op(
        "Mark an answer to your question as one that helped; its author is told", "200",
        "Accepted", 401, 403, 404, 409)},
    "/questions/{question_id}/follow": {
        "put": op("Follow a question: you are told of its new answers", {
            **answer("200", "Following", obj(["following"], {"following": BOOL})),
            **errors(401, 404)}, params=[QUESTION_ID]),
        "delete": op("Stop following a question", {
            **answer("200", "Not following", obj(["following"], {"following": BOOL})),
            **errors(401, 404)}, params=[QUESTION_ID]),
    },
    "/follows": {
        "get": op("The key areas and teams I follow: new questions in them are notified", {
            **answer("200", "What I follow", FOLLOWS), **errors(401)}),
        "put": op("Choose the key areas and teams I follow, as a whole", {
            **answer("200", "What I follow now", FOLLOWS), **errors(400, 401)},
            request={**FOLLOWS, "additionalProperties": False}),
    },
}, {"Question": QUESTION, "Answer": ANSWER})

# --- how they look ----------------------------------------------------------------------

QUESTION_SHOWN = ("id", "title", "body", "body_html", "key_areas", "tags", "qip_id",
                  "team_id", "workshop_id", "asked_by", "asked_on", "edited_on", "edits",
                  "version", "answer_count", "accepted_count", "first_answered_on", "invited",
                  "hidden", "hidden_on", "hidden_reason")
ANSWER_SHOWN = ("id", "question_id", "body", "body_html", "posted_on", "edited_on", "edits",
                "version", "accepted", "accepted_on", "hidden", "hidden_on", "hidden_reason")


def _names(ids: set[str]) -> dict[str, str]:
    return views().directory.names(ids)


def shown_answer(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {**{k: row[k] for k in ANSWER_SHOWN}, "by": row["posted_by"],
            "by_name": names.get(row["posted_by"])}


def shown_question(row: dict[str, Any], names: dict[str, str], following: bool
                   ) -> dict[str, Any]:
    shown = {k: row[k] for k in QUESTION_SHOWN}
    if row["hidden"] and not row["body_html"]:  # the view left the text out: so does the title
        shown["title"] = ""
    shown.update(asked_by_name=names.get(row["asked_by"]), following=following)
    if "answers" in row:
        shown["answers"] = [shown_answer(a, names) for a in row["answers"]]
    return shown


def one_question(question_id: str) -> dict[str, Any]:
    """The question as the current member may see it: the organisers read the text of
    hidden posts (to judge reports), everyone else only that they were hidden."""
    row = views().questions.question(question_id,
                                     with_hidden_text=bool(current_user.is_organiser))
    if row is None:
        raise NotFound("no such question")
    names = _names({row["asked_by"], *(a["posted_by"] for a in row["answers"])})
    return shown_question(row, names, current_user.id in row["follower_ids"])


def one_answer(question_id: str, answer_id: str) -> dict[str, Any]:
    found = next((a for a in one_question(question_id)["answers"] if a["id"] == answer_id),
                 None)
    if found is None:
        raise NotFound("no such answer")
    return found


def _unanswered_arg() -> bool:
    value = request.args.get("unanswered", "")
    if value not in ("", "true", "false"):
        raise Invalid({"unanswered": "must be true or false"})
    return value == "true"


def _id_arg(name: str) -> str | None:
    value = request.args.get(name, "")
    if value == "":
        return None
    if not UUID_FORM.fullmatch(value):
        raise Invalid({name: "must be an id like 6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11"})
    return value.lower()


# --- the routes -------------------------------------------------------------------------


@api.get("/questions")
def list_questions() -> Any:
    unanswered = _unanswered_arg()
    key_area = choice_arg("key_area", KeyArea, "key area")
    qip_id, team_id = _id_arg("qip_id"), _id_arg("team_id")
    limit, offset = page_args()
    rows, total = views().questions.questions(key_area=key_area, qip_id=qip_id,
                                              team_id=team_id, unanswered=unanswered,
                                              limit=limit, offset=offset)
    names = _names({r["asked_by"] for r in rows})
    followed = set(views().questions.followed_by(current_user.id))
    return jsonify(paged("questions", [shown_question(r, names, r["id"] in followed)
                                       for r in rows], total, limit, offset))


@api.post("/questions")
@limiter.limit(POSTING)
def ask_question() -> Any:
    body = json_body(request_schema("/questions", "post"))
    question_id = community().ask_question(
        by=current_user.member_id, title=body["title"], body=body["body"],
        key_areas=body["key_areas"], tags=body.get("tags", []), qip_id=body.get("qip_id"),
        team_id=body.get("team_id"), workshop_id=body.get("workshop_id"),
        invite_member_ids=body.get("invite_member_ids", []))
    return jsonify(question=one_question(str(question_id))), 201


@api.get("/questions/<id:question_id>")
def get_question(question_id: str) -> Any:
    return jsonify(question=one_question(question_id))


@api.put("/questions/<id:question_id>")
@limiter.limit(POSTING)
def edit_question(question_id: str) -> Any:
    body = json_body(request_schema("/questions/{question_id}", "put"))
    community().edit_question(question_id, by=current_user.member_id, title=body["title"],
                              body=body["body"], key_areas=body["key_areas"],
                              tags=body.get("tags", []), version=body["version"])
    return jsonify(question=one_question(question_id))


@api.get("/questions/<id:question_id>/suggested-people")
def suggested_people(question_id: str) -> Any:
    rows = community().suggested_answerers(question_id, limit=INVITEES_MAX)
    return jsonify(members=[{**present.member(r, current_user), "reasons": r["reasons"]}
                            for r in rows])


@api.post("/questions/<id:question_id>/invitations")
@limiter.limit(POSTING)
def invite_to_answer(question_id: str) -> Any:
    body = json_body(request_schema("/questions/{question_id}/invitations", "post"))
    try:
        new = community().invite_to_answer(question_id, by=current_user.member_id,
                                           member_ids=body["member_ids"])
    except Invalid as refused:  # the domain names the asking form's field
        raise Invalid({("member_ids" if f == "invite_member_ids" else f): m
                       for f, m in refused.fields.items()}) from None
    return jsonify(invited=[str(m) for m in new], question=one_question(question_id))


@api.post("/questions/<id:question_id>/answers")
@limiter.limit(POSTING)
def answer_question(question_id: str) -> Any:
    body = json_body(request_schema("/questions/{question_id}/answers", "post"))
    answer_id = community().answer_question(question_id, by=current_user.member_id,
                                            body=body["body"])
    return jsonify(answer=one_answer(question_id, str(answer_id))), 201


@api.put("/questions/<id:question_id>/answers/<id:answer_id>")
@limiter.limit(POSTING)
def edit_answer(question_id: str, answer_id: str) -> Any:
    body = json_body(request_schema("/questions/{question_id}/answers/{answer_id}", "put"))
    community().edit_answer(question_id, answer_id, by=current_user.member_id,
                            body=body["body"], version=body["version"])
    return jsonify(answer=one_answer(question_id, answer_id))


@api.post("/questions/<id:question_id>/answers/<id:answer_id>/accept")
def accept_answer(question_id: str, answer_id: str) -> Any:
    community().accept_answer(question_id, answer_id, by=current_user.member_id)
    return jsonify(answer=one_answer(question_id, answer_id))


@api.put("/questions/<id:question_id>/follow")
def follow_question(question_id: str) -> Any:
    community().follow_question(question_id, by=current_user.member_id)
    return jsonify(following=True)


@api.delete("/questions/<id:question_id>/follow")
def unfollow_question(question_id: str) -> Any:
    community().unfollow_question(question_id, by=current_user.member_id)
    return jsonify(following=False)


def _follows() -> dict[str, list[str]]:
    key_areas, team_ids = views().notifications.follows_of(current_user.id)
    return {"key_areas": key_areas, "team_ids": team_ids}


@api.get("/follows")
def my_follows() -> Any:
    return jsonify(_follows())


@api.put("/follows")
def choose_follows() -> Any:
    body = json_body(request_schema("/follows", "put"))
    community().choose_follows(by=current_user.member_id, key_areas=body["key_areas"],
                               team_ids=body["team_ids"])
    return jsonify(_follows())
