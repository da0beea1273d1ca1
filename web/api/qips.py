"""The QIP library over the API: browsing it, drafting and revising a plan (its JSON
schema derived from the plan's definition, domain/qip_plan.py), its review, its end,
adapting it, its history and its adoptions. Measuring and documents:
web/api/qip_measures.py."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from domain import qip as qip_rules
from domain import qip_plan
from domain.errors import Invalid, NotFound
from domain.qip import Qip
from domain.qip_history import history as qip_history
from domain.qip_plan import REVIEW_FIELDS, Kind, PlanField
from domain.values import Direction, DocumentKind, KeyArea, Obstacle, QipStatus
from web import library_kept
from web.api import api, present
from web.api.openapi import (
    BOOL,
    DATE,
    ID,
    INT,
    NULLABLE_NUM,
    NUM,
    PAGING,
    QUERY_TEXT,
    STALE,
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
from web.api.requests import choice_arg, json_body, page_args, paged, text_arg
from web.services import community, views

OUTCOMES = ("improved", "not_improved")

# --- the document -----------------------------------------------------------------------

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_ID = {"type": ["string", "null"]}
def schema_of(field: PlanField) -> dict[str, Any]:
    """The JSON schema of one part of a plan, from its definition (domain/qip_plan.py)."""
    found: dict[str, Any]
    if field.kind is Kind.TEXT:
        found = text(field.limit or 200, required=field.required)
    elif field.kind is Kind.CHOICE:
        found = enum(field.choices)
    elif field.kind is Kind.NUMBER:
        found = NULLABLE_NUM
    elif field.kind is Kind.MEMBER:
        found = dict(ID)
    elif field.kind is Kind.TAGS:
        assert field.choices is not None
        found = {"type": "array", "items": enum(field.choices), "maxItems": len(field.choices)}
    else:
        items = (obj([p.name for p in field.parts if p.required],
                     {p.name: schema_of(p) for p in field.parts}, extra=False)
                 if field.kind is Kind.ROWS else ID)
        found = {"type": "array", "items": items, "maxItems": field.limit}
    return {**found, "description": field.note} if field.note else found


PLAN = {field.name: schema_of(field) for field in qip_plan.PLAN}
MEASURE_NAME = schema_of(qip_plan.MEASURE.part("name"))  # a measure named in a request
VERSION = {**INT, "description": "the QIP's version you saw; " + STALE}
# An adapted plan's copied parts the team keeps unchanged as its own (Qip.revise).
KEEP = {"type": "array", "items": text(300), "maxItems": 60,
        "description": "parts copied from the plan this one was adapted from, kept unchanged "
                       "as the team's own: \"aim\", \"timeframe\", \"measures[<name>].target\""}


def _qip_op(summary: str, status: str, said: str, *codes: int,
            request: dict[str, Any] | None = None) -> dict[str, Any]:
    return op(summary, {**answer(status, said, wrap("qip", ref("Qip"))), **errors(*codes)},
              params=[path_id("qip_id")], request=request)


document({
    "/qips": {
        "get": op("Browse the QIP library (shared plans; your team's plans in progress; "
                  "organisers: every plan)", {
            **answer("200", "A page of QIPs", page_of("qips", "Qip")), **errors(400, 401)},
            params=[query_filter("key_area", enum(KeyArea)),
                    query_filter("team", QUERY_TEXT, "team id"),
                    query_filter("status", enum(QipStatus)),
                    query_filter("region", QUERY_TEXT),
                    query_filter("obstacle", enum(Obstacle)),
                    query_filter("outcome", {"type": "string", "enum": list(OUTCOMES)},
                                 "whether a measure's chart signals improvement"),
                    query_filter("q", QUERY_TEXT, "words anywhere in the plan, its team's "
                                                  "name or its document titles (stemmed, "
                                                  "abbreviations matched; best first)"),
                    *PAGING]),
        "post": op("Draft a QIP for your team", {
            **answer("201", "Drafted", wrap("qip", ref("Qip"))), **errors(400, 401, 403)},
            request=obj([f.name for f in qip_plan.PLAN if f.required], PLAN, False)),
    },
    "/qips/{qip_id}": {
        "get": _qip_op("One QIP with its plan, measures, progress and documents", "200",
                       "The QIP", 401, 404),
        "patch": _qip_op("Revise a QIP (a draft, one sent back for changes, or an active "
                         "one); " + STALE, "200", "Revised", 400, 401, 403, 404, 409,
                         request={**obj(["version"], {**PLAN, "version": VERSION, "keep": KEEP}, False),
                                  "minProperties": 2}),
    },
    "/qips/{qip_id}/submit": {"post": _qip_op(
        "Submit a plan for the organisers' review; 400 names what it lacks", "200",
        "Submitted", 400, 401, 403, 404, 409,
        request=obj(["version"], {"version": VERSION}, False))},
    "/qips/{qip_id}/review": {"post": _qip_op(
        "Review a submitted QIP (organisers): accept it (it becomes active and shared) or "
        "request changes, commenting beside the fields", "200", "Reviewed",
        400, 401, 403, 404, 409,
        request=obj(["decision"], {
            "decision": {"type": "string", "enum": ["accept", "request_changes"]},
            "comments": obj([], {f: text(2000, required=False) for f in REVIEW_FIELDS}, False),
            "version": VERSION}, False))},
    "/qips/{qip_id}/complete": {"post": _qip_op(
        "Mark an active QIP completed", "200", "Completed", 400, 401, 403, 404, 409,
        request=obj(["version"], {"version": VERSION, "note": text(2000, required=False)},
                    False))},
    "/qips/{qip_id}/stop": {"post": _qip_op(
        "Stop a QIP, saying why", "200", "Stopped", 400, 401, 403, 404, 409,
        request=obj(["version", "reason"], {"version": VERSION, "reason": text(2000)},
                    False))},
    "/qips/{qip_id}/adapt": {"post": _qip_op(
        "Adapt another team's shared QIP for your team: a draft linked to the original, "
        "without its baselines and results", "201", "Drafted", 400, 401, 403, 404, 409)},
    "/qips/{qip_id}/history": {"get": op(
        "What changed, when and by whom; the plan as first shared beside the plan now, and "
        "the latest values against the original and the current targets", {
            **answer("200", "The history", wrap("history", ref("QipHistory"))),
            **errors(401, 404)}, params=[path_id("qip_id")])},
    "/qips/{qip_id}/adoptions": {"get": op(
        "The teams' QIPs adapted from this one, with how their measures went", {
            **answer("200", "Adoptions", obj(["adoptions"], {"adoptions": {
                "type": "array", "items": ref("Qip")}})), **errors(401, 404)},
        params=[path_id("qip_id")])},
}, {
    "Measure": obj(["name", "direction"], {
        "name": STR, "unit": STR, "definition": STR, "baseline": NULLABLE_NUM,
        "target": NULLABLE_NUM, "direction": enum(Direction), "latest_value": NULLABLE_NUM,
        "latest_on": NULLABLE_DATE, "points": INT,
        "improved": {**BOOL, "description": "its chart signals improvement"}}),
    "QipDocument": obj(["id", "title", "kind", "name", "content_type", "size", "attached_on"], {
        "id": ID, "title": STR, "kind": enum(DocumentKind), "kind_label": STR, "name": STR,
        "content_type": STR, "size": INT, "sha256": STR, "attached_on": DATE, "url": STR}),
    "Qip": obj(["id", "version", "status", "title", "key_area", "team_id"], {
        "id": ID, "version": INT, "status": enum(QipStatus), "status_label": STR, "title": STR,
        "key_area": enum(KeyArea), "key_area_label": STR, "aim": STR, "timeframe": STR,
        "team_id": ID, "team": STR, "region": STR, "owner_id": ID,
        "submitted_on": NULLABLE_DATE, "shared_on": NULLABLE_DATE, "ended_on": NULLABLE_DATE,
        "adapted_from": NULLABLE_ID, "adoption_count": INT, "last_progress_on": NULLABLE_DATE,
        "obstacles": {"type": "array", "items": enum(Obstacle)},
        "enablers": {"type": "array", "items": enum(Obstacle)},
        "measures": {"type": "array", "items": ref("Measure")},
        "progress": {"type": "array", "items": obj(["measure", "recorded_on", "value"], {
            "measure": STR, "recorded_on": DATE, "value": NUM})},
        "documents": {"type": "array", "items": ref("QipDocument")},
        "change_marks": {"type": "array", "items": ref("ChangeMark"),
                         "description": "one QIP only: changes marked on its measures"},
        "member_ids": {"type": "array", "items": ID,
                       "description": "one QIP only, as are the fields below"},
        "changes": {"type": "array", "items": obj(["title", "cycles"], {
            "title": STR, "cycles": {"type": "array", "items": obj(["plan"], {
                "plan": STR, "happened": STR, "learned": STR})}})},
        "obstacle_notes": STR, "enabler_notes": STR, "lessons": STR, "end_note": STR,
        "comments": {"type": "object", "additionalProperties": STR,
                     "description": "the latest review's, by field; the team and organisers "
                                    "only"}}),
    "QipHistory": obj(["entries", "original", "current", "drifted", "against_targets"], {
        "entries": {"type": "array", "items": obj(["version", "on", "what"], {
            "version": INT, "on": DATE, "by": NULLABLE_ID, "by_name": {"type": ["string",
                                                                                "null"]},
            "what": STR, "changes": {"type": "array", "items": obj(["field"], {
                "field": STR, "before": {}, "after": {}})},
            "comments": {"type": "object", "additionalProperties": STR}})},
        "original": {"type": "object"}, "original_label": STR, "current": {"type": "object"},
        "drifted": {"type": "array", "items": STR},
        "against_targets": {"type": "array", "items": obj(["name"], {
            "name": STR, "unit": STR, "latest": NULLABLE_NUM,
            "original_target": NULLABLE_NUM, "current_target": NULLABLE_NUM,
            "meets_original": {"type": ["boolean", "null"]},
            "meets_current": {"type": ["boolean", "null"]},
            "target_moved": BOOL, "oversold": BOOL})}}),
})


# --- reading ----------------------------------------------------------------------------

def _viewer() -> dict[str, Any]:
    return {"viewer_team_id": current_user.team_id, "organiser": current_user.is_organiser}


def _visible_qip(qip_id: str) -> dict[str, Any] | None:
    return views().library.qip(qip_id, **_viewer())


def must_see(qip_id: str) -> dict[str, Any]:
    """A QIP the member cannot see is 'not found' to them, not 'forbidden'."""
    found = _visible_qip(qip_id)
    if found is None:
        raise NotFound("no such QIP")
    return found


def check_sees(qip_id: str) -> None:
    """``must_see`` where only the answer matters (before a change): without reading
    the plan's values."""
    if not views().library.sees(qip_id, **_viewer()):
        raise NotFound("no such QIP")


def sees_review_comments(row: dict[str, Any]) -> bool:
    """The same rule as the pages' (domain.qip.sees_review_comments)."""
    return qip_rules.sees_review_comments(
        reader_team_id=current_user.team_id, reader_is_organiser=current_user.is_organiser,
        qip_team_id=row["team_id"])


def shown(qip_id: str, plan: Qip | None = None) -> dict[str, Any]:
    """One QIP as its page shows it: the library's row and the plan's own parts
    (``plan``: as a command just left it; else loaded)."""
    row = must_see(qip_id)
    return present.qip(row, plan=plan or community().qip(qip_id, to_read=True),
                       with_comments=sees_review_comments(row))


@api.get("/qips")
def list_qips() -> Any:
    limit, offset = page_args()
    outcome = request.args.get("outcome", "")
    if outcome and outcome not in OUTCOMES:
        raise Invalid({"outcome": "must be one of: " + ", ".join(OUTCOMES)})
    rows, total = library_kept.qips(
        key_area=choice_arg("key_area", KeyArea, "key area"),
        team_id=text_arg("team"), status=choice_arg("status", QipStatus, "status"),
        region=text_arg("region"), obstacle=choice_arg("obstacle", Obstacle, "obstacle"),
        outcome=outcome or None, q=text_arg("q"), limit=limit, offset=offset)
    return jsonify(paged("qips", [present.qip(r) for r in rows], total, limit, offset))


@api.get("/qips/<id:qip_id>")
def show_qip(qip_id: str) -> Any:
    return jsonify(qip=shown(qip_id))


@api.get("/qips/<id:qip_id>/history")
def qip_history_of(qip_id: str) -> Any:
    row = must_see(qip_id)
    found = qip_history(community().qip_events(qip_id)).for_reader(sees_review_comments(row))
    names = views().directory.names({str(e.by) for e in found.entries if e.by})
    return jsonify(history=present.qip_history(found, names, with_comments=True))


@api.get("/qips/<id:qip_id>/adoptions")
def adoptions(qip_id: str) -> Any:
    check_sees(qip_id)
    rows = views().library.adoptions_of(qip_id, **_viewer())
    return jsonify(adoptions=[present.qip(r) for r in rows])


# --- the plan and its review --------------------------------------------------------------

@api.post("/qips")
def draft_qip() -> Any:
    body = json_body(request_schema("/qips", "post"))
    qip_id = community().draft_qip(by=current_user.member_id, **body)
    return jsonify(qip=shown(str(qip_id))), 201


@api.patch("/qips/<id:qip_id>")
def revise_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}", "patch"))
    check_sees(qip_id)
    community().revise_qip(qip_id, by=current_user.member_id, **body)
    return jsonify(qip=shown(qip_id))


@api.post("/qips/<id:qip_id>/submit")
def submit_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/submit", "post"))
    check_sees(qip_id)
    community().submit_qip(qip_id, by=current_user.member_id, version=body["version"])
    return jsonify(qip=shown(qip_id))


@api.post("/qips/<id:qip_id>/review")
def review_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/review", "post"))
    check_sees(qip_id)
    community().review_qip(qip_id, by=current_user.member_id, decision=body["decision"],
                           comments=body.get("comments"), version=body.get("version"))
    return jsonify(qip=shown(qip_id))


@api.post("/qips/<id:qip_id>/complete")
def complete_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/complete", "post"))
    check_sees(qip_id)
    community().complete_qip(qip_id, by=current_user.member_id, version=body["version"],
                             note=body.get("note", ""))
    return jsonify(qip=shown(qip_id))


@api.post("/qips/<id:qip_id>/stop")
def stop_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/stop", "post"))
    check_sees(qip_id)
    community().stop_qip(qip_id, by=current_user.member_id, version=body["version"],
                         reason=body["reason"])
    return jsonify(qip=shown(qip_id))


@api.post("/qips/<id:qip_id>/adapt")
def adapt_qip(qip_id: str) -> Any:
    check_sees(qip_id)
    adapted = community().adapt_qip(qip_id, by=current_user.member_id)
    return jsonify(qip=shown(str(adapted))), 201


# The measures' and documents' routes register with this blueprint when loaded.
from web.api import qip_measures  # noqa: E402,F401
