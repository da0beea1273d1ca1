"""Members editing their own profile: role, expertise, what they can help with, the
days they run clinics, whether and how they would like to be contacted.

``PATCH /me`` and ``PATCH /members/{member_id}`` (yourself only: 403 for anyone
else) take the member's ``version`` as read from ``GET /me``; a stale one is 409.
Fields left out stay as they were; a profile sent unchanged records nothing.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from domain.errors import NotFound
from domain.member import HELP_WITH_MAX, PHONE_MAX, TAG_MAX, WEEKDAYS
from domain.values import ContactChannel, Role
from web.api import api, openapi, present
from web.api.openapi import (
    BOOL,
    INT,
    NO_NUL,
    SCHEMAS,
    answer,
    enum,
    errors,
    obj,
    op,
    path_id,
    ref,
    request_schema,
    text,
    wrap,
)
from web.api.requests import json_body
from web.services import community, views

CHANNELS = {"type": "array", "items": enum(ContactChannel),
            "description": "how the member would like to be contacted"}
DAYS = {"type": "array", "items": {"type": "string", "enum": list(WEEKDAYS)},
        "description": "the weekdays the member runs clinics (so others know when not to call)"}
PHONE = {"type": "string", "maxLength": PHONE_MAX,
         "pattern": r"^([ ]*|[0-9 +()]*[0-9][0-9 +()]*)$",
         "description": "a phone number: digits, spaces, + and ( ) only"}

# What a member sends: any of these, with the version they edited. The organiser
# role is the programme organisers' alone, so a member cannot choose it.
PROFILE_IN = {
    "role": {"type": "string", "enum": [r.value for r in Role if r is not Role.ORGANISER],
             "description": "any role but organiser"},
    "expertise": {"type": "array", "description": "tags; a comma separates tags too",
                  "items": {"type": "string", "maxLength": TAG_MAX, "pattern": NO_NUL}},
    "help_with": text(HELP_WITH_MAX, required=False),
    "clinic_days": DAYS,
    "consents_to_contact": BOOL,
    "contact_channels": CHANNELS,
    "phone": PHONE,
}
STALE = "409 when `version` is not the member's current version (see GET /me)"
PATCH = op("Change your own profile; fields left out stay as they are; " + STALE, {
    **answer("200", "Changed", wrap("member", ref("Member"))),
    **errors(400, 401, 403, 404, 409)},
    request=obj(["version"], {**PROFILE_IN, "version": INT}, False))

openapi.document(
    {"/me": {"patch": {**PATCH, "responses": {
        k: v for k, v in PATCH["responses"].items() if k not in {"403", "404"}}}},
     "/members/{member_id}": {"patch": {**PATCH, "summary": PATCH["summary"].replace(
         "your own profile", "a member's profile (only your own: 403 for anyone else's)"),
         "parameters": [path_id("member_id")]}}},
    {"Member": {**SCHEMAS["Member"], "properties": {
        **SCHEMAS["Member"]["properties"],
        "help_with": {"type": "string", "description": "what the member can help with"},
        "clinic_days": DAYS, "contact_channels": CHANNELS,
        "version": {**INT, "description": "send it back when changing the profile"},
        "phone": {"type": "string",
                  "description": "only with consent (or your own); empty when none"}}}})


def _update(member_id: str, path: str) -> Any:
    body = json_body(request_schema(path, "patch"))
    version = body.pop("version")
    community().update_profile(member_id, by=current_user.member_id, version=version, **body)
    row = views().directory.member(member_id)
    if row is None:
        raise NotFound("no such member")
    return jsonify(member=present.member(row, current_user))


@api.patch("/me")
def update_my_profile() -> Any:
    return _update(current_user.id, "/me")


@api.patch("/members/<id:member_id>")
def update_profile(member_id: str) -> Any:
    return _update(member_id, "/members/{member_id}")
