"""Introductions: a member asks the organisers to introduce them to someone in
another team; an organiser records the introduction as a facilitated contact."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from domain.contact import Contact
from web.api import api, present
from web.api.activity import shown_follow_up
from web.api.openapi import ID, answer, document, errors, obj, op, path_id, ref, request_schema, text, wrap
from web.api.requests import json_body, require_organiser
from web.services import community

document({
    "/introductions": {"post": op(
        "Ask the organisers to introduce you to a member of another team", {
            **answer("201", "Asked", wrap("follow_up", ref("FollowUp"))), **errors(400, 401)},
        request=obj(["member_id", "reason"], {"member_id": ID, "reason": text(2000)}, False))},
    "/follow-ups/{follow_up_id}/introduce": {"post": op(
        "Record that you made the introduction asked for (organisers only): a facilitated "
        "contact between the two members, and the request closed", {
            **answer("200", "Introduced", obj(["contact", "follow_up"], {
                "contact": ref("Contact"), "follow_up": ref("FollowUp")})),
            **errors(400, 401, 403, 404, 409)},
        params=[path_id("follow_up_id")],
        request=obj(["topic"], {"topic": text()}, False))},
})


@api.post("/introductions")
def ask_for_introduction() -> Any:
    body = json_body(request_schema("/introductions", "post"))
    follow_up_id = community().request_introduction(
        by=current_user.member_id, member_id=body["member_id"], reason=body["reason"])
    return jsonify(follow_up=shown_follow_up(str(follow_up_id))), 201


@api.post("/follow-ups/<id:follow_up_id>/introduce")
def introduce(follow_up_id: str) -> Any:
    require_organiser()
    body = json_body(request_schema("/follow-ups/{follow_up_id}/introduce", "post"))
    contact_id = community().complete_introduction(follow_up_id, by=current_user.member_id,
                                                   topic=body["topic"])
    contact: Contact = community().repository.get(contact_id)
    return jsonify(contact=present.recorded_contact(contact, current_user.id),
                   follow_up=shown_follow_up(follow_up_id))
