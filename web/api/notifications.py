"""A member's own notifications, and marking them read. Members see only theirs."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from community.notifications import settings_version
from domain.member import READ_IDS_MAX, DigestFrequency, NotificationKind
from web.api import api
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
    ref,
    request_schema,
)
from web.api.requests import json_body, page_args
from web.services import community, views

document({
    "/notifications": {"get": op(
        "My notifications, newest first: reviews of my team's QIPs, answers to my "
        "follow-ups, introductions, new events; and how many are unread", {
            **answer("200", "A page of notifications and the unread count",
                     obj(["notifications", "unread", "total", "limit", "offset"], {
                         "notifications": {"type": "array", "items": ref("Notification")},
                         "unread": INT, "total": INT, "limit": INT, "offset": INT})),
            **errors(400, 401)}, params=PAGING)},
    "/notifications/read": {"post": op(
        "Mark my notifications read: those in `ids`, or all of them without `ids`. Ids "
        "that are not mine, or already read, are left as they are", {
            **answer("200", "How many were marked now, and how many are still unread",
                     obj(["read", "unread"], {"read": INT, "unread": INT})),
            **errors(400, 401)},
        request=obj([], {"ids": {"type": "array", "items": ID,
                                 "maxItems": READ_IDS_MAX}}, False))},
}, schemas={
    "Notification": obj(["id", "kind", "text", "link", "read", "created"], {
        "id": ID, "kind": {"type": "string", "enum": [k.value for k in NotificationKind]},
        "text": STR, "link": STR, "read": BOOL, "created": DATE}),
})

SHOWN = ("id", "kind", "text", "link", "read", "created")


@api.get("/notifications")
def my_notifications() -> Any:
    limit, offset = page_args()
    rows, total = views().notifications.for_member(current_user.id, limit=limit, offset=offset)
    return jsonify(notifications=[{k: r[k] for k in SHOWN} for r in rows], total=total,
                   limit=limit, offset=offset,
                   unread=views().notifications.unread_count(current_user.id))


@api.post("/notifications/read")
def read_notifications() -> Any:
    body = json_body(request_schema("/notifications/read", "post"))
    marked = community().read_notifications(by=current_user.member_id, ids=body.get("ids"))
    return jsonify(read=marked, unread=views().notifications.unread_count(current_user.id))


# --- the digest: daily, weekly or never --------------------------------------------------

DIGEST = obj(["frequency", "version"], {
    "frequency": {**enum(DigestFrequency), "description": "weekly until the member chooses"},
    "version": {**INT, "description": "of the member's notification settings; send it back "
                                      "to have a stale change refused (409)"}})
document({
    "/notifications/digest": {
        "get": op("How often I get the digest e-mail: daily, weekly (until I choose) or never",
                  {**answer("200", "My choice", DIGEST), **errors(401)}),
        "put": op("Choose how often I get the digest e-mail. With `version`, a change "
                  "made since I read it is refused with 409", {
                      **answer("200", "My choice, saved", DIGEST), **errors(400, 401, 409)},
                  request=obj(["frequency"], {"frequency": enum(DigestFrequency),
                                              "version": INT}, False))},
})


def _digest() -> Any:
    settings = community().notification_settings(current_user.member_id)
    return jsonify(frequency=settings.digest.value, version=settings_version(settings))


@api.get("/notifications/digest")
def my_digest() -> Any:
    return _digest()


@api.put("/notifications/digest")
def choose_digest() -> Any:
    body = json_body(request_schema("/notifications/digest", "put"))
    community().choose_digest(by=current_user.member_id, frequency=body["frequency"],
                              version=body.get("version"))
    return _digest()
