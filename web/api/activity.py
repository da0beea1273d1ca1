"""The network's activity: contacts, workshops, follow-ups, and whether it lasts."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from domain.contact import Contact
from domain.errors import NotFound
from web.api import api, present
from web.api.network_health import health_summary
from web.api.openapi import request_schema
from web.api.requests import date_arg, json_body, page_args, paged, require_organiser
from web.api.sustainability_kept import activity_figures
from web.services import community, views


@api.post("/contacts")
def make_contact() -> Any:
    body = json_body(request_schema("/contacts", "post"))
    contact_id = community().make_contact(
        by=current_user.member_id, to_member_id=body["to_member_id"], topic=body["topic"],
        made_on=body.get("made_on"), facilitated=body.get("facilitated", False),
        channel=body.get("channel", "email"))
    contact: Contact = community().repository.get(contact_id)
    return jsonify(contact=present.recorded_contact(contact, current_user.id)), 201


@api.get("/contacts")
def list_contacts() -> Any:
    """My contact history, newest first, with the other person named."""
    limit, offset = page_args()
    rows, total = views().network.contacts_page(current_user.id, limit=limit, offset=offset)
    names = views().directory.names(
        {r["to_member_id"] for r in rows} | {r["from_member_id"] for r in rows})
    return jsonify(paged("contacts", [present.contact(r, current_user.id, names) for r in rows],
                         total, limit, offset))


@api.post("/workshops")
def hold_workshop() -> Any:
    require_organiser()
    body = json_body(request_schema("/workshops", "post"))
    workshop_id = community().hold_workshop(by=current_user.member_id, kind=body["kind"],
                                            title=body["title"], held_on=body["held_on"],
                                            attendee_ids=body.get("attendee_ids", []))
    return jsonify(workshop=present.workshop(community().repository.get(workshop_id))), 201


@api.post("/follow-ups")
def request_follow_up() -> Any:
    body = json_body(request_schema("/follow-ups", "post"))
    follow_up_id = community().request_follow_up(
        by=current_user.member_id, reason=body["reason"], kind=body.get("kind", "call"),
        team_id=body.get("team_id"), member_id=body.get("member_id"),
        to_organisers=body.get("to_organisers", False))
    return jsonify(follow_up=shown_follow_up(str(follow_up_id))), 201


@api.get("/follow-ups")
def list_follow_ups() -> Any:
    limit, offset = page_args()
    rows, total = views().follow_ups.for_member(
        current_user.id, current_user.team_id, everything=current_user.is_organiser,
        limit=limit, offset=offset)
    return jsonify(paged("follow_ups", [present.follow_up(r) for r in rows], total, limit, offset))


@api.post("/follow-ups/<id:follow_up_id>/answer")
def answer_follow_up(follow_up_id: str) -> Any:
    body = json_body(request_schema("/follow-ups/{follow_up_id}/answer", "post"))
    community().answer_follow_up(follow_up_id, by=current_user.member_id, message=body["message"])
    return jsonify(follow_up=shown_follow_up(follow_up_id))


@api.post("/follow-ups/<id:follow_up_id>/close")
def close_follow_up(follow_up_id: str) -> Any:
    community().close_follow_up(follow_up_id, by=current_user.member_id)
    return jsonify(follow_up=shown_follow_up(follow_up_id))


def shown_follow_up(follow_up_id: str) -> dict[str, Any]:
    row = views().follow_ups.one(follow_up_id)
    if row is None:
        raise NotFound("no such follow-up")
    return present.follow_up(row)


@api.get("/sustainability")
def sustainability() -> Any:
    require_organiser()
    as_of = date_arg("as_of")
    # The report and how quickly questions get a first answer from another team, as
    # of the same day: counted once per log position (web.api.sustainability_kept).
    return jsonify({**activity_figures(as_of), "health": health_summary(as_of)})
