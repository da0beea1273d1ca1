"""The OpenAPI 3 description of API v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from domain.counterparts import DistancePreference
from domain.values import ContactChannel, FollowUpKind, FollowUpStatus, Role, WorkshopKind
from web.api import api
from web.api.requests import MAX_OFFSET, MAX_PAGE


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], props: dict[str, Any], extra: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    if not extra:
        schema["additionalProperties"] = False
    return schema


def enum(kind: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [m.value for m in kind]}


STR = {"type": "string"}
TEXT = {"type": "string", "minLength": 1}
ID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date"}
NO_NUL = r"^[^\u0000]*$"


def text(max_length: int = 200, required: bool = True) -> dict[str, Any]:
    """Text the API takes: at most ``max_length`` characters, no NUL (which no
    database column can hold); when required, not blank."""
    if required:
        return {"type": "string", "minLength": 1, "maxLength": max_length,
                "pattern": r"^[^\u0000]*[^\s\u0000][^\u0000]*$"}
    return {"type": "string", "maxLength": max_length, "pattern": NO_NUL}


# Dates the API takes: YYYY-MM-DD from 2000-01-01 to 2100-12-31.
DAY = {**DATE, "pattern": "^(20[0-9]{2}|2100)-",
       "description": "a date from 2000-01-01 to 2100-12-31"}
NUM = {"type": "number"}
NULLABLE_NUM = {"type": ["number", "null"]}
BOOL = {"type": "boolean"}
INT = {"type": "integer"}

SCHEMAS: dict[str, Any] = {
    "Error": obj(["error"], {"error": obj(["code", "message", "fields"], {
        "code": STR, "message": STR,
        "fields": {"type": "object", "additionalProperties": STR}})}),
    "Member": obj(["id", "name", "role", "team_id"], {
        "id": ID, "name": STR, "role": enum(Role), "role_label": STR,
        "team_id": {"type": ["string", "null"]}, "team": {"type": ["string", "null"]},
        "trust": {"type": ["string", "null"]}, "region": {"type": ["string", "null"]},
        "expertise": {"type": "array", "items": STR}, "consents_to_contact": BOOL,
        "is_organiser": BOOL, "email": {"type": "string", "description": "only with consent"}}),
    "Team": obj(["id", "name", "trust", "region"], {
        "id": ID, "name": STR, "trust": STR, "region": STR, "latitude": NUM, "longitude": NUM,
        "caseload": INT, "member_count": INT, "latest_audit_year": {"type": ["integer", "null"]},
        "latest_audit": {"type": "object", "additionalProperties": NUM},
        "audits": {"type": "object", "additionalProperties": {
            "type": "object", "additionalProperties": NUM}}}),
    # "Qip" and "Measure": web/api/qips.py
    "Contact": obj(["id", "from_member_id", "to_member_id", "topic", "channel", "facilitated",
                    "made_on"], {
        "id": ID, "from_member_id": ID, "to_member_id": ID, "topic": STR,
        "channel": enum(ContactChannel), "channel_label": STR, "facilitated": BOOL,
        "made_on": DATE, "direction": {"type": "string", "enum": ["made", "received"]},
        "with_member_id": ID, "with_name": {"type": ["string", "null"]}}),
    "Workshop": obj(["id", "kind", "title", "held_on", "attendee_ids"], {
        "id": ID, "kind": enum(WorkshopKind), "kind_label": STR, "title": STR,
        "held_on": DATE, "attendee_ids": {"type": "array", "items": ID}}),
    "FollowUp": obj(["id", "requested_by", "kind", "reason", "status", "requested_on"], {
        "id": ID, "requested_by": ID, "team_id": {"type": ["string", "null"]},
        "member_id": {"type": ["string", "null"]}, "to_organisers": BOOL,
        "about_member_id": {"type": ["string", "null"],
                            "description": "who an introduction is wanted to"},
        "kind": enum(FollowUpKind), "kind_label": STR, "reason": STR,
        "status": enum(FollowUpStatus), "version": INT, "requested_on": DATE,
        "first_answered_on": {"type": ["string", "null"], "format": "date"},
        "answer_count": INT, "closed_on": {"type": ["string", "null"], "format": "date"}}),
    "ActivityTotals": obj([], dict.fromkeys(
        ("contacts", "workshops", "qips_shared", "progress_reports", "follow_ups",
         "active_members", "active_teams"), INT)),
    "AnswerTimes": obj(["questions", "median_days", "p90_days", "unanswered_after_share"], {
        "questions": {**INT, "description": "questions not hidden, asked by the day"},
        "answered": {**INT, "description": "with a first answer from outside the asker's team"},
        "unanswered": INT, "unanswered_share": NULLABLE_NUM,
        "median_days": {**NULLABLE_NUM, "description": "days from asking to a first answer "
                        "from outside the asker's team"},
        "p90_days": NULLABLE_NUM,
        "after_days": {**INT, "description": "the days a question may wait (14)"},
        "asked_before_cutoff": {**INT, "description": "questions asked at least after_days "
                                "days before the day"},
        "unanswered_after": INT,
        "unanswered_after_share": {**NULLABLE_NUM, "description": "of those, the share with no "
                                   "answer from another team within after_days days"}}),
}


def body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def answer(status: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"description": description}
    if schema is not None:
        found["content"] = {"application/json": {"schema": schema}}
    return {status: found}


def errors(*codes: int) -> dict[str, Any]:
    words = {400: "Invalid input; `fields` names each bad field", 401: "Not logged in",
             403: "Not allowed", 404: "Not found", 409: "Changed by someone else first"}
    return {str(c): {"description": words[c],
                     "content": {"application/json": {"schema": ref("Error")}}} for c in codes}


def wrap(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return obj([key], {key: schema})


def page_of(key: str, item: str) -> dict[str, Any]:
    return obj([key, "total", "limit", "offset"], {
        key: {"type": "array", "items": ref(item)}, "total": INT, "limit": INT, "offset": INT})


def query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def query_filter(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A filter: sent empty (``?role=``), it filters nothing."""
    return {**query(name, schema, description), "allowEmptyValue": True}


# Free text in a query: anything but NUL.
QUERY_TEXT = {"type": "string", "pattern": NO_NUL}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


PAGING = [query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
          query("offset", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET})]
STALE = "409 when `version` is not the QIP's current version"


def op(summary: str, responses: dict[str, Any], *, request: dict[str, Any] | None = None,
       params: list[dict[str, Any]] | None = None, public: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {"summary": summary, "responses": responses}
    if request is not None:
        found["requestBody"] = body(request)
    if params:
        found["parameters"] = params
    if public:
        found["security"] = []
    return found


# Ask exactly one of: a team, a member (not yourself), or the organisers.
FOLLOW_UP_IN = {**obj(["reason"], {"team_id": ID, "member_id": ID, "to_organisers": BOOL,
                                   "kind": enum(FollowUpKind), "reason": text(2000)}, False),
                "oneOf": [{"required": ["team_id"]}, {"required": ["member_id"]},
                          {"required": ["to_organisers"],
                           "properties": {"to_organisers": {"const": True}}}],
                "description": "ask exactly one of: a team, a member, or the organisers"}

PATHS: dict[str, Any] = {
    "/session": {
        "post": op("Log in", {**answer("200", "Logged in", wrap("member", ref("Member"))),
                              **errors(400, 401), "429": {
                                  "description": "Too many logins: ten wrong passwords for "
                                  "one account within 15 minutes make it wait (15 minutes, "
                                  "doubling up to 2 hours; the right password then works), "
                                  "and one address may try 30 a minute. Wait the seconds "
                                  "in Retry-After.",
                                  "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                                  "content": {"application/json": {"schema": ref("Error")}}}},
                   request=obj(["email", "password"], {
                       "email": text(254), "password": {**TEXT, "pattern": NO_NUL}}, False),
                   public=True),
        "delete": op("Log out", answer("204", "Logged out"), public=True),
    },
    "/me": {"get": op("The logged-in member",
                      {**answer("200", "You", wrap("member", ref("Member"))), **errors(401)})},
    "/teams": {"get": op("All teams with their latest audit results",
                         {**answer("200", "Teams", obj(["teams"], {"teams": {
                             "type": "array", "items": ref("Team")}})), **errors(401)})},
    "/teams/{team_id}": {"get": op("One team with its audit history",
                                   {**answer("200", "The team", wrap("team", ref("Team"))),
                                    **errors(401, 404)}, params=[path_id("team_id")])},
    "/members": {"get": op("Search the directory", {
        **answer("200", "A page of members", page_of("members", "Member")), **errors(400, 401)},
        params=[query_filter("role", enum(Role)), query_filter("team", QUERY_TEXT, "team id"),
                query_filter("region", QUERY_TEXT),
                query_filter("q", QUERY_TEXT, "words in name, team, trust or expertise"),
                *PAGING])},
    "/members/{member_id}": {"get": op("One member", {
        **answer("200", "The member", wrap("member", ref("Member"))), **errors(401, 404)},
        params=[path_id("member_id")])},
    "/members/{member_id}/counterparts": {"get": op(
        "People in other teams to talk to, best first, each with the reasons: the same "
        "role, a team strong where theirs is weak, the same change, what they share",
        {**answer("200", "Suggestions", obj(["counterparts"], {"counterparts": {
            "type": "array", "items": obj(["member", "reasons", "score", "distance_km"], {
                "member": ref("Member"), "reasons": {"type": "array", "items": STR},
                "score": INT, "distance_km": NUM})}})),
         **errors(400, 401, 404)},
        params=[path_id("member_id"),
                query_filter("distance", enum(DistancePreference),
                             "near: favour teams close by (for a visit); far: favour teams "
                             "far away (peers far away speak more frankly)")])},
    "/contacts": {
        "post": op("Record a contact you made", {
            **answer("201", "Recorded", wrap("contact", ref("Contact"))), **errors(400, 401)},
            request=obj(["to_member_id", "topic"], {
                "to_member_id": ID, "topic": text(), "channel": enum(ContactChannel),
                "made_on": DAY, "facilitated": BOOL}, False)),
        "get": op("Your contact history, newest first, a page at a time", {
            **answer("200", "A page of contacts", page_of("contacts", "Contact")),
            **errors(400, 401)}, params=PAGING),
    },
    # /qips and /qips/{qip_id}/...: web/api/qips.py
    "/workshops": {"post": op("Record a workshop held (organisers only)", {
        **answer("201", "Recorded", wrap("workshop", ref("Workshop"))),
        **errors(400, 401, 403)},
        request=obj(["kind", "title", "held_on"], {
            "kind": enum(WorkshopKind), "title": text(), "held_on": DAY,
            "attendee_ids": {"type": "array", "items": ID}}, False))},
    "/follow-ups": {
        "post": op("Ask a team, a member or the organisers for a follow-up", {
            **answer("201", "Requested", wrap("follow_up", ref("FollowUp"))),
            **errors(400, 401)},
            request=FOLLOW_UP_IN),
        "get": op("Follow-ups you asked for or were asked (organisers: all)", {
            **answer("200", "A page of follow-ups", page_of("follow_ups", "FollowUp")),
            **errors(400, 401)}, params=PAGING),
    },
    "/follow-ups/{follow_up_id}/answer": {"post": op("Answer a follow-up asked of you", {
        **answer("200", "Answered", wrap("follow_up", ref("FollowUp"))),
        **errors(400, 401, 403, 404, 409)}, params=[path_id("follow_up_id")],
        request=obj(["message"], {"message": text(2000)}, False))},
    "/follow-ups/{follow_up_id}/close": {"post": op("Close a follow-up", {
        **answer("200", "Closed", wrap("follow_up", ref("FollowUp"))),
        **errors(401, 403, 404, 409)}, params=[path_id("follow_up_id")])},
    "/sustainability": {"get": op("Network activity by month, before and after the funding end "
                                  "(organisers only)", {
        **answer("200", "The report", obj(["funding_end", "months", "before", "after"], {
            "programme": {"type": ["string", "null"]},
            "funding_end": {"type": ["string", "null"], "format": "date"},
            "months": {"type": "array", "items": {"allOf": [ref("ActivityTotals"), obj(
                ["month"], {"month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}})]}},
            "before": ref("ActivityTotals"), "after": ref("ActivityTotals"),
            "answer_times": ref("AnswerTimes"),
            # Issue 12's headline figures (web/api/network_health.py documents them).
            "health": ref("SustainabilityHealth")})),
        **errors(400, 401, 403)},
        params=[query_filter("as_of", DATE, "count only what happened by then")])},
    "/openapi.json": {"get": op("This document", answer("200", "OpenAPI 3.1"), public=True)},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Clinical Community API", "version": "1",
             "description": "Log in with POST /session; the session cookie carries the "
                            "login. Errors are {error: {code, message, fields}}. "
                            # Issue 13's guard against forged requests: web/api/cross_site.py.
                            "Every POST, PATCH, PUT or DELETE made with the session cookie "
                            "must send a JSON body (Content-Type: application/json) or the "
                            "header X-Requested-With (any value), as multipart uploads and "
                            "bodiless requests must; one whose Origin header names another "
                            "site is refused (403). A POST may carry an Idempotency-Key "
                            "header (1 to 255 visible characters, each member's own, kept a "
                            "day): sent again with the same key and body, it gets the first "
                            "successful answer again (header Idempotent-Replayed: true) and "
                            "writes nothing more; the same key with another request is 422, "
                            "and while the first is still being answered 409."},
    "servers": [{"url": "/api/v1"}],
    "components": {"schemas": SCHEMAS, "securitySchemes": {
        "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    "security": [{"session": []}],
    "paths": PATHS,
}


@api.get("/openapi.json")
def openapi() -> Any:
    return jsonify(DOCUMENT)


def document(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> None:
    """Add a route module's own paths (and schemas) to the document, so each
    feature describes itself beside its routes instead of in this file."""
    for path, operations in paths.items():
        PATHS.setdefault(path, {}).update(operations)
    SCHEMAS.update(schemas or {})


def request_schema(path: str, method: str) -> dict[str, Any]:
    """The JSON body schema of one operation: the routes check bodies against it."""
    return PATHS[path][method]["requestBody"]["content"]["application/json"]["schema"]
