"""The organisers' outbox: e-mails proposed to members, reviewed, then sent
(each at most once). Organisers only."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from domain.errors import Invalid, NotFound
from domain.message import MAX_BODY
from domain.momentum import Thresholds
from domain.values import MessageStatus
from web.api import api, present
from web.api.openapi import (
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
    path_id,
    query_filter,
    ref,
    request_schema,
    wrap,
)
from web.api.requests import choice_arg, json_body, page_args, paged, require_organiser, text_arg
from web.services import community, views

NULLABLE = {"type": ["string", "null"]}
ONE_LINE = {"type": "string", "minLength": 1, "maxLength": 200,
            "pattern": r"^[^\u0000\r\n]*[^\s\u0000][^\u0000\r\n]*$",
            "description": "one line of text"}
BODY = {"type": "string", "minLength": 1, "maxLength": MAX_BODY,
        "pattern": r"^[^\u0000]*[^\s\u0000][^\u0000]*$"}
STALE = "409 when `version` is not the message's current version, or it is no longer waiting"

document({
    "/outbox": {"get": op("The outbox: e-mails proposed to members, those waiting first "
                          "(organisers only)", {
        **answer("200", "A page of messages, and how many there are in each status",
                 obj(["messages", "total", "limit", "offset", "counts"], {
                     "messages": {"type": "array", "items": ref("Message")},
                     "total": INT, "limit": INT, "offset": INT,
                     "counts": obj([s.value for s in MessageStatus],
                                   {s.value: INT for s in MessageStatus})})),
        **errors(400, 401, 403)},
        params=[query_filter("status", enum(MessageStatus)), *PAGING])},
    "/momentum": {"post": op(
        "Run the momentum check now: propose nudges for QIPs with no progress for "
        "`qip_weeks`, revisits for teams quiet for `team_weeks`, reminders for follow-ups "
        "unanswered for `follow_up_weeks`. Proposing is idempotent (organisers only)", {
            **answer("200", "The actions proposed now, and those already proposed before",
                     obj(["as_of", "proposed", "already", "summary"], {
                         "as_of": {"type": "string", "format": "date"},
                         "proposed": {"type": "array", "items": ref("MomentumAction")},
                         "already": {"type": "array", "items": ref("MomentumAction")},
                         "summary": STR})),
            **errors(400, 401, 403)},
        request=obj([], {name: {"type": "integer", "minimum": 1, "maximum": 520}
                         for name in ("qip_weeks", "team_weeks", "follow_up_weeks")}, False))},
    "/outbox/send": {"post": op(
        "Send the messages named in `ids`, or without `ids` every one waiting (proposed, or "
        "failed before). Each is sent at most once: a message another run is sending, or "
        "has sent, is skipped. 409 when no mail server is set up (organisers only)", {
            **answer("200", "What was sent, what failed and why, what was skipped",
                     ref("SendReport")),
            **errors(400, 401, 403, 409)},
        request=obj([], {"ids": {"type": "array", "items": ID, "maxItems": 500}}, False))},
    "/outbox/{message_id}": {
        "get": op("One message (organisers only)", {
            **answer("200", "The message", wrap("message", ref("Message"))),
            **errors(401, 403, 404)}, params=[path_id("message_id")]),
        "patch": op("Reword a waiting message; " + STALE, {
            **answer("200", "Changed", wrap("message", ref("Message"))),
            **errors(400, 401, 403, 404, 409)}, params=[path_id("message_id")],
            request={**obj(["version"], {"version": INT, "subject": ONE_LINE, "body": BODY},
                           False), "minProperties": 2}),
        "delete": op("Discard a waiting message: it will not be sent (organisers only)", {
            **answer("200", "Discarded", wrap("message", ref("Message"))),
            **errors(400, 401, 403, 404, 409)},
            params=[path_id("message_id"),
                    query_filter("reason", {"type": "string", "maxLength": 2000,
                                            "pattern": r"^[^\u0000]*$"},
                                 "why it should not be sent")]),
    },
}, schemas={
    # to_email only for a member who agreed to be contacted (as the directory shows it).
    "Message": obj(["id", "key", "to_member_id", "to_name", "subject", "body",
                    "reason", "status", "version", "proposed_on"], {
        "id": ID, "key": STR, "to_member_id": ID, "to_email": STR, "to_name": STR,
        "subject": STR, "body": STR, "reason": STR, "status": enum(MessageStatus),
        "status_label": STR, "version": INT, "proposed_on": {"type": "string", "format": "date"},
        "sent_on": {"type": ["string", "null"], "format": "date"}, "error": NULLABLE,
        "discard_reason": NULLABLE}),
    "SendReport": obj(["sent", "failed", "skipped", "summary"], {
        "sent": {"type": "array", "items": ID},
        "failed": {"type": "array", "items": obj(["id", "error"], {"id": ID, "error": STR})},
        "skipped": {"type": "array", "items": ID}, "summary": STR}),
    "MomentumAction": obj(["kind", "key", "to_member_id", "subject", "body", "reason"], {
        "kind": {"type": "string", "enum": ["nudge", "revisit", "reminder"]}, "key": STR,
        "to_member_id": ID, "subject": STR, "body": STR, "reason": STR}),
})


def shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages as organisers see them: addresses only with the member's consent."""
    members = views().directory.members_by_id(sorted({str(r["to_member_id"]) for r in rows}))
    return [{**row, "status_label": MessageStatus(row["status"]).label}
            for row in present.without_hidden_addresses(rows, current_user, members)]


def shown_message(message_id: str) -> dict[str, Any]:
    row = views().outbox.one(message_id)
    if row is None:
        raise NotFound("no such message")
    return shown([row])[0]


@api.get("/outbox")
def outbox() -> Any:
    require_organiser()
    status = choice_arg("status", MessageStatus, "message status")
    limit, offset = page_args()
    rows, total = views().outbox.listing(status, limit=limit, offset=offset)
    return jsonify({**paged("messages", shown(rows), total, limit, offset),
                    "counts": views().outbox.counts()})


@api.post("/outbox/send")
def send_messages() -> Any:
    require_organiser()
    body = json_body(request_schema("/outbox/send", "post"))
    report = community().send_messages(by=current_user.member_id, ids=body.get("ids"))
    return jsonify(sent=[str(m) for m in report.sent],
                   failed=[{"id": str(m), "error": e} for m, e in report.failed],
                   skipped=[str(m) for m in report.skipped], summary=report.summary())


@api.post("/momentum")
def check_momentum() -> Any:
    require_organiser()
    body = json_body(request_schema("/momentum", "post"))
    report = community().check_momentum(by=current_user.member_id,
                                        thresholds=Thresholds(**body))
    return jsonify(as_of=report.as_of, proposed=[vars(a) for a in report.proposed],
                   already=[vars(a) for a in report.already], summary=report.summary())


@api.get("/outbox/<id:message_id>")
def message(message_id: str) -> Any:
    require_organiser()
    return jsonify(message=shown_message(message_id))


@api.patch("/outbox/<id:message_id>")
def edit_message(message_id: str) -> Any:
    require_organiser()
    body = json_body(request_schema("/outbox/{message_id}", "patch"))
    if "subject" not in body and "body" not in body:
        raise Invalid({"body": "give a new subject or body"})
    community().edit_message(message_id, by=current_user.member_id, version=body["version"],
                             subject=body.get("subject"), body=body.get("body"))
    return jsonify(message=shown_message(message_id))


@api.delete("/outbox/<id:message_id>")
def discard_message(message_id: str) -> Any:
    require_organiser()
    community().discard_message(message_id, by=current_user.member_id,
                                reason=text_arg("reason") or "")
    return jsonify(message=shown_message(message_id))
