"""The network's activity: contacts, workshops, follow-ups, and whether it lasts."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request
from flask_login import current_user

from domain.errors import Invalid, NotFound
from web.api import api, present
from web.api.requests import json_body, page_args, paged, require_organiser
from web.services import community, views


@api.post("/contacts")
def make_contact() -> Any:
    body = json_body({"to_member_id", "topic", "made_on", "facilitated"},
                     required={"to_member_id", "topic"})
    facilitated = body.get("facilitated", False)
    if not isinstance(facilitated, bool):
        raise Invalid({"facilitated": "must be true or false"})
    contact_id = community().make_contact(
        by=current_user.member_id, to_member_id=body["to_member_id"], topic=body["topic"],
        made_on=body.get("made_on"), facilitated=facilitated)
    contact = community().repository.get(contact_id)
    return jsonify(contact={
        "id": str(contact.id), "from_member_id": str(contact.from_member_id),
        "to_member_id": str(contact.to_member_id), "topic": contact.topic,
        "facilitated": contact.facilitated, "made_on": contact.made_on}), 201


@api.post("/workshops")
def hold_workshop() -> Any:
    require_organiser()
    body = json_body({"kind", "title", "held_on", "attendee_ids"},
                     required={"kind", "title", "held_on"})
    attendees = body.get("attendee_ids") or []
    if not isinstance(attendees, list):
        raise Invalid({"attendee_ids": "must be a list of member ids"})
    workshop_id = community().hold_workshop(by=current_user.member_id, kind=body["kind"],
                                            title=body["title"], held_on=body["held_on"],
                                            attendee_ids=attendees)
    return jsonify(workshop=present.workshop(str(workshop_id), body)), 201


@api.post("/follow-ups")
def request_follow_up() -> Any:
    body = json_body({"team_id", "member_id", "to_organisers", "kind", "reason"},
                     required={"reason"})
    to_organisers = body.get("to_organisers", False)
    if not isinstance(to_organisers, bool):
        raise Invalid({"to_organisers": "must be true or false"})
    follow_up_id = community().request_follow_up(
        by=current_user.member_id, reason=body["reason"], kind=body.get("kind") or "call",
        team_id=body.get("team_id"), member_id=body.get("member_id"),
        to_organisers=to_organisers)
    return jsonify(follow_up=_follow_up(str(follow_up_id))), 201


@api.get("/follow-ups")
def list_follow_ups() -> Any:
    limit, offset = page_args()
    rows, total = views().follow_ups.for_member(
        current_user.id, current_user.team_id, everything=current_user.is_organiser,
        limit=limit, offset=offset)
    return jsonify(paged("follow_ups", [present.follow_up(r) for r in rows], total, limit, offset))


@api.post("/follow-ups/<follow_up_id>/answer")
def answer_follow_up(follow_up_id: str) -> Any:
    body = json_body({"message"}, required={"message"})
    community().answer_follow_up(follow_up_id, by=current_user.member_id, message=body["message"])
    return jsonify(follow_up=_follow_up(follow_up_id))


@api.post("/follow-ups/<follow_up_id>/close")
def close_follow_up(follow_up_id: str) -> Any:
    community().close_follow_up(follow_up_id, by=current_user.member_id)
    return jsonify(follow_up=_follow_up(follow_up_id))


def _follow_up(follow_up_id: str) -> dict[str, Any]:
    row = views().follow_ups.one(follow_up_id)
    if row is None:
        raise NotFound("no such follow-up")
    return present.follow_up(row)


@api.get("/sustainability")
def sustainability() -> Any:
    require_organiser()
    as_of = request.args.get("as_of")
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise Invalid({"as_of": "must be a date like 2013-03-31"}) from None
    return jsonify(views().sustainability.report(as_of=day))
