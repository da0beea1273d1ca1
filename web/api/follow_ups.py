"""Follow-ups in the API: my inbox, asking my paired team, accepting with a date
and declining with a reason. Asking anyone else, answering plainly and closing
are ``POST /follow-ups``, ``/answer`` and ``/close`` (web.api.activity)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from domain.errors import Invalid
from domain.values import FollowUpKind
from web.api import api, present
from web.api.activity import shown_follow_up
from web.api.openapi import (
    DAY,
    INT,
    SCHEMAS,
    answer,
    document,
    enum,
    errors,
    obj,
    op,
    path_id,
    query,
    query_filter,
    ref,
    request_schema,
    text,
    wrap,
)
from web.api.requests import choices_with_codes, json_body, require_organiser
from web.services import community, views

NULL_DATE = {"type": ["string", "null"], "format": "date"}
FOLLOW_UP = {**SCHEMAS["FollowUp"], "properties": {
    **SCHEMAS["FollowUp"]["properties"], "proposed_date": NULL_DATE, "accepted_on": NULL_DATE,
    "declined_on": NULL_DATE, "decline_reason": {"type": ["string", "null"]},
    "last_message": {"type": ["string", "null"]},
    "answered_by": {"type": ["string", "null"]}}}
BOXES = ("asked", "mine")

document({
    "/follow-ups/inbox": {"get": op(
        "My inbox: follow-ups asked of me or my team (organisers: also of the organisers), "
        "or, with box=mine, those I asked for; open ones first", {
            **answer("200", "The follow-ups", obj(["box", "follow_ups"], {
                "box": {"type": "string", "enum": list(BOXES)},
                "follow_ups": {"type": "array", "items": ref("FollowUp")}})),
            **errors(400, 401)},
        params=[query("box", {"type": "string", "enum": list(BOXES)}, "asked (default) or mine")])},
    "/follow-ups/paired-team": {"post": op(
        "Ask the team mine was last paired with for a follow-up", {
            **answer("201", "Requested", wrap("follow_up", ref("FollowUp"))), **errors(400, 401)},
        request=obj(["reason"], {"kind": enum(FollowUpKind), "reason": text(2000)}, False))},
    "/follow-ups/{follow_up_id}/accept": {"post": op(
        "Accept a follow-up asked of you, proposing a date (again: move the date)", {
            **answer("200", "Accepted", wrap("follow_up", ref("FollowUp"))),
            **errors(400, 401, 403, 404, 409)}, params=[path_id("follow_up_id")],
        request=obj(["proposed_date"], {"proposed_date": DAY, "message": text(2000, False),
                                        "version": INT}, False))},
    "/follow-ups/{follow_up_id}/decline": {"post": op(
        "Decline a follow-up asked of you, saying why; the requester still sees it", {
            **answer("200", "Declined", wrap("follow_up", ref("FollowUp"))),
            **errors(400, 401, 403, 404, 409)}, params=[path_id("follow_up_id")],
        request=obj(["reason"], {"reason": text(2000), "version": INT}, False))},
    "/follow-ups/response-times": {"get": op(
        "Time to first response per request and its median, and the unanswered requests "
        "oldest first (organisers only)", {
            **answer("200", "The report", obj(["median_days", "answered", "unanswered"], {
                "median_days": {"type": ["number", "null"]}, "requests": INT,
                "answered": {"type": "array", "items": ref("FollowUp")},
                "unanswered": {"type": "array", "items": ref("FollowUp")}})),
            **errors(400, 401, 403)},
        params=[query_filter("kind", enum(FollowUpKind))])},
}, {"FollowUp": FOLLOW_UP})


@api.get("/follow-ups/inbox")
def follow_up_inbox() -> Any:
    box = request.args.get("box", "asked")
    if box not in BOXES:
        raise Invalid({"box": "must be one of: " + ", ".join(BOXES)})
    found = views().follow_ups
    rows = (found.asked_of(current_user.id, current_user.team_id,
                           organiser=current_user.is_organiser)
            if box == "asked" else found.requested_by(current_user.id))
    return jsonify(box=box, follow_ups=[present.follow_up(r) for r in rows])


@api.post("/follow-ups/paired-team")
def ask_paired_team() -> Any:
    body = json_body(request_schema("/follow-ups/paired-team", "post"))
    follow_up_id = community().request_follow_up(
        by=current_user.member_id, reason=body["reason"], kind=body.get("kind", "call"),
        with_paired_team=True)
    return jsonify(follow_up=shown_follow_up(str(follow_up_id))), 201


@api.post("/follow-ups/<id:follow_up_id>/accept")
def accept_follow_up(follow_up_id: str) -> Any:
    body = json_body(request_schema("/follow-ups/{follow_up_id}/accept", "post"))
    community().accept_follow_up(follow_up_id, by=current_user.member_id,
                                 proposed_date=body["proposed_date"],
                                 message=body.get("message", ""), version=body.get("version"))
    return jsonify(follow_up=shown_follow_up(follow_up_id))


@api.post("/follow-ups/<id:follow_up_id>/decline")
def decline_follow_up(follow_up_id: str) -> Any:
    body = json_body(request_schema("/follow-ups/{follow_up_id}/decline", "post"))
    community().decline_follow_up(follow_up_id, by=current_user.member_id,
                                  reason=body["reason"], version=body.get("version"))
    return jsonify(follow_up=shown_follow_up(follow_up_id))


@api.get("/follow-ups/response-times")
def follow_up_response_times() -> Any:
    require_organiser()
    kind = request.args.get("kind", "")
    if kind and kind not in {k.value for k in FollowUpKind}:
        raise Invalid({"kind": "must be one of: " + choices_with_codes(
            [k.value for k in FollowUpKind])})
    report = views().follow_ups.response_times(community().today(), kind or None)
    return jsonify(median_days=report["median_days"], requests=report["requests"],
                   answered=[present.follow_up(r) for r in report["answered"]],
                   unanswered=[present.follow_up(r) for r in report["unanswered"]])
