"""Moderation of questions and answers in the API (issue 11): any member reports a
post with a reason; the organisers read the open reports, dismiss one, or hide the
reported post with a reason (kept in the log, shown as hidden by the organisers,
and closing its reports). Organisers may also hide a post they came across."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from domain.errors import Invalid, NotFound
from domain.question import REASON_MAX
from web.api import api
from web.api.openapi import (
    DATE,
    ID,
    STR,
    answer,
    document,
    errors,
    obj,
    op,
    path_id,
    ref,
    request_schema,
    text,
    wrap,
)
from web.api.questions import NULL_DATE, NULL_ID, NULL_STR, TOO_MANY, one_answer, one_question
from web.api.requests import json_body, require_organiser
from web.limits import POSTING, limiter
from web.services import community, views

REASON = text(REASON_MAX)
REPORT = obj(["id", "question_id", "answer_id", "post_kind", "reason", "reported_on",
              "status"], {
    "id": ID, "question_id": ID,
    "answer_id": {**NULL_ID,
                  "description": "the answer reported; null: the question itself"},
    "post_kind": {"type": "string", "enum": ["question", "answer"]},
    "title": {**STR, "description": "the question's title"},
    "post_body": {**STR, "description": "the reported post's Markdown (organisers only)"},
    "reported_by": ID, "reason": STR, "reported_on": DATE,
    "status": {"type": "string", "enum": ["open", "dismissed", "hidden"]},
    "closed_on": NULL_DATE,
    "note": {**NULL_STR, "description": "the organisers' note, or the reason for hiding"}})
REPORT_ID = path_id("report_id")
QUESTION_ID = path_id("question_id")


def _hide_op(summary: str, key: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    return op(summary, {**answer("200", "Hidden", wrap(key, ref(key.capitalize()))),
                        **errors(400, 401, 403, 404, 409)}, params=params,
              request=obj(["reason"], {"reason": REASON}, False))


document({
    "/reports": {
        "post": op("Report a question, or one of its answers, to the organisers", {
            **answer("201", "Reported", wrap("report", ref("Report"))),
            **errors(400, 401), **TOO_MANY},
            request=obj(["question_id", "reason"], {
                "question_id": ID, "answer_id": ID, "reason": REASON}, False)),
        "get": op("Reports waiting for the organisers, oldest first (organisers only)", {
            **answer("200", "Open reports", obj(["reports"], {"reports": {
                "type": "array", "items": ref("Report")}})),
            **errors(401, 403)}),
    },
    "/reports/{report_id}/dismiss": {"post": op(
        "Dismiss a report: the post stays as it is (organisers only)", {
            **answer("200", "Dismissed", wrap("report", ref("Report"))),
            **errors(400, 401, 403, 404, 409)}, params=[REPORT_ID],
        request=obj([], {"note": text(REASON_MAX, required=False)}, False))},
    "/reports/{report_id}/hide": {"post": _hide_op(
        "Hide the reported post with a reason, shown in its place; its open reports "
        "close (organisers only)", "report", [REPORT_ID])},
    "/questions/{question_id}/hide": {"post": _hide_op(
        "Hide a question with a reason (organisers only)", "question", [QUESTION_ID])},
    "/questions/{question_id}/answers/{answer_id}/hide": {"post": _hide_op(
        "Hide an answer with a reason (organisers only)", "answer",
        [QUESTION_ID, path_id("answer_id")])},
}, {"Report": REPORT})


def shown_report(row: dict[str, Any]) -> dict[str, Any]:
    """A report; the reported text only for the organisers (a post may be hidden since)."""
    shown = {k: row[k] for k in ("id", "question_id", "post_kind", "title", "reported_by",
                                 "reason", "reported_on", "status", "closed_on", "note")}
    shown["answer_id"] = row["post_id"] if row["post_kind"] == "answer" else None
    if current_user.is_organiser:
        shown["post_body"] = row["post_body"]
    return shown


def _report(report_id: str) -> dict[str, Any]:
    row = views().questions.report(report_id)
    if row is None:
        raise NotFound("no such report")
    return row


@api.post("/reports")
@limiter.limit(POSTING)
def report_post() -> Any:
    body = json_body(request_schema("/reports", "post"))
    question_id, answer_id = body["question_id"].lower(), body.get("answer_id")
    # Ids in the body that name nothing are bad input (400 naming the field), not a 404.
    if views().questions.question(question_id) is None:
        raise Invalid({"question_id": "no such question"})
    if answer_id is not None:
        found = views().questions.answer(answer_id.lower())
        if found is None or found["question_id"] != question_id:
            raise Invalid({"answer_id": "no such answer to this question"})
    report_id = community().report_post(question_id, by=current_user.member_id,
                                        reason=body["reason"], answer_id=answer_id)
    return jsonify(report=shown_report(_report(str(report_id)))), 201


@api.get("/reports")
def open_reports() -> Any:
    require_organiser()
    return jsonify(reports=[shown_report(r) for r in views().questions.open_reports()])


@api.post("/reports/<id:report_id>/dismiss")
def dismiss_report(report_id: str) -> Any:
    require_organiser()
    body = json_body(request_schema("/reports/{report_id}/dismiss", "post"))
    community().dismiss_report(report_id, by=current_user.member_id, note=body.get("note", ""))
    return jsonify(report=shown_report(_report(report_id)))


@api.post("/reports/<id:report_id>/hide")
def hide_reported_post(report_id: str) -> Any:
    require_organiser()
    body = json_body(request_schema("/reports/{report_id}/hide", "post"))
    row = _report(report_id)
    community().hide_post(row["question_id"], by=current_user.member_id, reason=body["reason"],
                          answer_id=row["post_id"] if row["post_kind"] == "answer" else None)
    return jsonify(report=shown_report(_report(report_id)))


@api.post("/questions/<id:question_id>/hide")
def hide_question(question_id: str) -> Any:
    require_organiser()
    body = json_body(request_schema("/questions/{question_id}/hide", "post"))
    community().hide_post(question_id, by=current_user.member_id, reason=body["reason"])
    return jsonify(question=one_question(question_id))


@api.post("/questions/<id:question_id>/answers/<id:answer_id>/hide")
def hide_answer(question_id: str, answer_id: str) -> Any:
    require_organiser()
    body = json_body(request_schema("/questions/{question_id}/answers/{answer_id}/hide",
                                    "post"))
    community().hide_post(question_id, by=current_user.member_id, reason=body["reason"],
                          answer_id=answer_id)
    return jsonify(answer=one_answer(question_id, answer_id))
