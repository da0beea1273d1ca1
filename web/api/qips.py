"""The QIP library: drafting and revising a plan, its review, its end, adapting it,
recording progress, its history and charts, its documents and its adoptions."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user

from community.documents import CONTENT_TYPES, MAX_DOCUMENT_BYTES
from domain.errors import Invalid, NotFound
from domain.qip import REVIEW_FIELDS
from domain.qip_history import history as qip_history
from domain.values import Direction, DocumentKind, KeyArea, Obstacle, QipStatus
from web.api import api, present
from web.api.openapi import (
    BOOL,
    DATE,
    DAY,
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
from web.charts import chart_of
from web.downloads import FALLBACK_TYPE, document_response
from web.services import community, views

OUTCOMES = ("improved", "not_improved")
MAX_SERIES = 1000
# The form fields and multipart boundaries around a file of the largest size allowed.
UPLOAD_LIMIT = MAX_DOCUMENT_BYTES + 256 * 1024

# --- the document -----------------------------------------------------------------------

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_ID = {"type": ["string", "null"]}
TAGS = {"type": "array", "items": enum(Obstacle), "maxItems": len(Obstacle)}
MEASURE_IN = obj(["name"], {
    "name": text(120), "unit": text(40, required=False), "baseline": NULLABLE_NUM,
    "target": NULLABLE_NUM, "direction": enum(Direction),
    "definition": text(1000, required=False)}, extra=False)
CYCLE_IN = obj(["plan"], {"plan": text(2000), "happened": text(2000, required=False),
                          "learned": text(2000, required=False)}, extra=False)
CHANGE_IN = obj(["title"], {"title": text(200), "cycles": {
    "type": "array", "items": CYCLE_IN, "maxItems": 30,
    "description": "PDSA cycles: plan, what happened, what was learned"}}, extra=False)
PLAN = {
    "title": text(), "key_area": enum(KeyArea), "aim": text(2000, required=False),
    "timeframe": text(200, required=False),
    "measures": {"type": "array", "items": MEASURE_IN, "maxItems": 30,
                 "description": "measure names must differ"},
    "owner_id": {**ID, "description": "a member of the QIP's team"},
    "member_ids": {"type": "array", "items": ID, "maxItems": 100,
                   "description": "members of the QIP's team involved in it"},
    "changes": {"type": "array", "items": CHANGE_IN, "maxItems": 30},
    "obstacles": TAGS, "obstacle_notes": text(2000, required=False),
    "enablers": TAGS, "enabler_notes": text(2000, required=False),
    "lessons": text(4000, required=False),
}
VERSION = {**INT, "description": "the QIP's version you saw; " + STALE}
# An adapted plan's copied parts the team keeps unchanged as its own (Qip.revise).
KEEP = {"type": "array", "items": text(300), "maxItems": 60,
        "description": "parts copied from the plan this one was adapted from, kept unchanged "
                       "as the team's own: \"aim\", \"timeframe\", \"measures[<name>].target\""}
DOCUMENT_TYPES = sorted(CONTENT_TYPES | {FALLBACK_TYPE})
TOO_LARGE = {"413": {"description": f"More than {MAX_DOCUMENT_BYTES // 2**20} MB",
                     "content": {"application/json": {"schema": ref("Error")}}}}


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
            request=obj(["title", "key_area"], PLAN, False)),
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
    "/qips/{qip_id}/progress": {"post": op("Record a value of one of the QIP's measures", {
        **answer("201", "Recorded", obj(["progress", "qip"], {
            "progress": obj(["measure", "date", "value"], {"measure": STR, "date": DATE,
                                                           "value": NUM}),
            "qip": ref("Qip")})), **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date", "value"], {"measure": text(120), "date": DAY,
                                                   "value": NUM}, False))},
    "/qips/{qip_id}/progress/series": {"post": op(
        "Record many values of one measure: all of them, or none when any is refused "
        "(named values[i].date or values[i].value)", {
            **answer("201", "Recorded", obj(["recorded", "qip"], {
                "recorded": INT, "qip": ref("Qip")})), **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "values"], {
            "measure": text(120),
            "values": {"type": "array", "minItems": 1, "maxItems": MAX_SERIES,
                       "items": obj(["date", "value"], {"date": DAY, "value": NUM}, False)}},
            False))},
    "/qips/{qip_id}/progress/corrections": {"post": op(
        "Correct a recorded value, saying why (the history keeps what it was); 400 names "
        "the field when there is no such value or no reason; " + STALE, {
            **answer("201", "Corrected", obj(["progress", "qip"], {
                "progress": obj(["measure", "date", "value"], {
                    "measure": STR, "date": DATE, "value": NUM}),
                "qip": ref("Qip")})), **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date", "value", "reason"], {
            "measure": text(120), "date": DAY, "value": NUM, "reason": text(2000),
            "version": VERSION}, False))},
    "/qips/{qip_id}/progress/withdrawals": {"post": op(
        "Withdraw a value recorded by mistake, saying why: it leaves the charts and "
        "results (the history keeps it); " + STALE, {
            **answer("201", "Withdrawn", obj(["withdrawn", "qip"], {
                "withdrawn": obj(["measure", "date"], {"measure": STR, "date": DATE}),
                "qip": ref("Qip")})), **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date", "reason"], {
            "measure": text(120), "date": DAY, "reason": text(2000), "version": VERSION},
            False))},
    "/qips/{qip_id}/history": {"get": op(
        "What changed, when and by whom; the plan as first shared beside the plan now, and "
        "the latest values against the original and the current targets", {
            **answer("200", "The history", wrap("history", ref("QipHistory"))),
            **errors(401, 404)}, params=[path_id("qip_id")])},
    "/qips/{qip_id}/chart/{measure}": {"get": op(
        "A measure's chart as SVG: a run chart, then an XmR chart from enough points", {
            "200": {"description": "The chart", "content": {"image/svg+xml": {
                "schema": {"type": "string"}}}}, **errors(401, 404)},
        params=[path_id("qip_id"), {"name": "measure", "in": "path", "required": True,
                                    "schema": STR, "description": "the measure's name"}])},
    "/qips/{qip_id}/documents": {
        "get": op("The QIP's documents", {
            **answer("200", "Documents", obj(["documents"], {"documents": {
                "type": "array", "items": ref("QipDocument")}})), **errors(401, 404)},
            params=[path_id("qip_id")]),
        "post": op(f"Attach a document (PDF, Word, Excel, PowerPoint, CSV, text, PNG or JPEG; "
                   f"at most {MAX_DOCUMENT_BYTES // 2**20} MB) to a QIP of your team", {
            **answer("201", "Attached", wrap("document", ref("QipDocument"))),
            **errors(400, 401, 403, 404, 409), **TOO_LARGE},
            params=[path_id("qip_id")]) | {"requestBody": {"required": True, "content": {
                "multipart/form-data": {"schema": obj(["file"], {
                    "file": {"type": "string", "format": "binary"},
                    "title": {**text(200, required=False),
                              "description": "the file's name when not given"},
                    "kind": enum(DocumentKind)})}}}},
    },
    "/qips/{qip_id}/documents/{document_id}": {"get": op(
        "Download a document: always an attachment, its type from the allowed list", {
            "200": {"description": "The file", "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in DOCUMENT_TYPES}},
            **errors(401, 404)},
        params=[path_id("qip_id"), path_id("document_id")])},
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


def _shown(qip_id: str) -> dict[str, Any]:
    """One QIP as its page shows it: the library's row and the plan's own parts."""
    row = must_see(qip_id)
    insider = current_user.is_organiser or row["team_id"] == current_user.team_id
    return present.qip(row, plan=community().qip(qip_id), with_comments=insider)


@api.get("/qips")
def list_qips() -> Any:
    limit, offset = page_args()
    outcome = request.args.get("outcome", "")
    if outcome and outcome not in OUTCOMES:
        raise Invalid({"outcome": "must be one of: " + ", ".join(OUTCOMES)})
    rows, total = views().library.qips(
        **_viewer(), key_area=choice_arg("key_area", KeyArea, "key area"),
        team_id=text_arg("team"), status=choice_arg("status", QipStatus, "status"),
        region=text_arg("region"), obstacle=choice_arg("obstacle", Obstacle, "obstacle"),
        outcome=outcome or None, q=text_arg("q"), limit=limit, offset=offset)
    return jsonify(paged("qips", [present.qip(r) for r in rows], total, limit, offset))


@api.get("/qips/<id:qip_id>")
def show_qip(qip_id: str) -> Any:
    return jsonify(qip=_shown(qip_id))


@api.get("/qips/<id:qip_id>/history")
def qip_history_of(qip_id: str) -> Any:
    row = must_see(qip_id)
    found = qip_history(community().qip_events(qip_id))
    insider = current_user.is_organiser or row["team_id"] == current_user.team_id
    names = views().directory.names({str(e.by) for e in found.entries if e.by})
    return jsonify(history=present.qip_history(found, names, with_comments=insider))


@api.get("/qips/<id:qip_id>/chart/<path:measure>")
def measure_chart_of(qip_id: str, measure: str) -> Any:
    row = must_see(qip_id)
    found = next((m for m in row["measures"] if m["name"] == measure), None)
    if found is None:
        raise NotFound("this QIP has no measure of that name")
    chart = chart_of(row, found)
    response = Response(str(chart.svg), mimetype="image/svg+xml")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@api.get("/qips/<id:qip_id>/documents")
def list_documents(qip_id: str) -> Any:
    row = must_see(qip_id)
    return jsonify(documents=[present.qip_document(d, qip_id) for d in row["documents"]])


@api.get("/qips/<id:qip_id>/documents/<id:document_id>")
def download_document(qip_id: str, document_id: str) -> Any:
    must_see(qip_id)
    found = views().library.document(document_id)
    if found is None or found["qip_id"] != qip_id:
        raise NotFound("this QIP has no such document")
    data = community().document_content(found["sha256"])
    if data is None:
        raise NotFound("this document's file is missing")
    return document_response(found["name"], found["content_type"], data)


@api.get("/qips/<id:qip_id>/adoptions")
def adoptions(qip_id: str) -> Any:
    must_see(qip_id)
    rows = views().library.adoptions_of(qip_id, **_viewer())
    return jsonify(adoptions=[present.qip(r) for r in rows])


# --- the plan and its review --------------------------------------------------------------

@api.post("/qips")
def draft_qip() -> Any:
    body = json_body(request_schema("/qips", "post"))
    qip_id = community().draft_qip(by=current_user.member_id, **body)
    return jsonify(qip=_shown(str(qip_id))), 201


@api.patch("/qips/<id:qip_id>")
def revise_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}", "patch"))
    must_see(qip_id)
    community().revise_qip(qip_id, by=current_user.member_id, **body)
    return jsonify(qip=_shown(qip_id))


@api.post("/qips/<id:qip_id>/submit")
def submit_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/submit", "post"))
    must_see(qip_id)
    community().submit_qip(qip_id, by=current_user.member_id, version=body["version"])
    return jsonify(qip=_shown(qip_id))


@api.post("/qips/<id:qip_id>/review")
def review_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/review", "post"))
    must_see(qip_id)
    community().review_qip(qip_id, by=current_user.member_id, decision=body["decision"],
                           comments=body.get("comments"), version=body.get("version"))
    return jsonify(qip=_shown(qip_id))


@api.post("/qips/<id:qip_id>/complete")
def complete_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/complete", "post"))
    must_see(qip_id)
    community().complete_qip(qip_id, by=current_user.member_id, version=body["version"],
                             note=body.get("note", ""))
    return jsonify(qip=_shown(qip_id))


@api.post("/qips/<id:qip_id>/stop")
def stop_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/stop", "post"))
    must_see(qip_id)
    community().stop_qip(qip_id, by=current_user.member_id, version=body["version"],
                         reason=body["reason"])
    return jsonify(qip=_shown(qip_id))


@api.post("/qips/<id:qip_id>/adapt")
def adapt_qip(qip_id: str) -> Any:
    must_see(qip_id)
    adapted = community().adapt_qip(qip_id, by=current_user.member_id)
    return jsonify(qip=_shown(str(adapted))), 201


# --- measuring --------------------------------------------------------------------------

@api.post("/qips/<id:qip_id>/progress")
def record_progress(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress", "post"))
    must_see(qip_id)
    community().record_progress(qip_id, by=current_user.member_id, measure=body["measure"],
                                value=body["value"], recorded_on=body["date"])
    return _value_answer(qip_id, body)


def _value_answer(qip_id: str, body: dict[str, Any]) -> Any:
    """A value recorded or corrected, as it stands now, with the QIP."""
    progress = {"measure": body["measure"], "date": body["date"], "value": float(body["value"])}
    return jsonify(progress=progress, qip=_shown(qip_id)), 201


@api.post("/qips/<id:qip_id>/progress/series")
def record_series(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress/series", "post"))
    must_see(qip_id)
    count = community().record_series(
        qip_id, by=current_user.member_id, measure=body["measure"],
        values=[(v["date"], v["value"]) for v in body["values"]])
    return jsonify(recorded=count, qip=_shown(qip_id)), 201


@api.post("/qips/<id:qip_id>/progress/corrections")
def correct_progress(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress/corrections", "post"))
    must_see(qip_id)
    community().correct_progress(qip_id, by=current_user.member_id, measure=body["measure"],
                                 recorded_on=body["date"], value=body["value"],
                                 reason=body["reason"], version=body.get("version"))
    return _value_answer(qip_id, body)


@api.post("/qips/<id:qip_id>/progress/withdrawals")
def withdraw_progress(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress/withdrawals", "post"))
    must_see(qip_id)
    community().withdraw_progress(qip_id, by=current_user.member_id, measure=body["measure"],
                                  recorded_on=body["date"], reason=body["reason"],
                                  version=body.get("version"))
    return jsonify(withdrawn={"measure": body["measure"], "date": body["date"]},
                   qip=_shown(qip_id)), 201


@api.post("/qips/<id:qip_id>/documents")
def attach_document(qip_id: str) -> Any:
    # Before the form is read: the app's default limit is for JSON and forms.
    request.max_content_length = UPLOAD_LIMIT
    must_see(qip_id)
    upload = request.files.get("file")
    if upload is None:
        raise Invalid({"file": "send the file as multipart/form-data, in a part named file"})
    document_id = community().attach_document(
        qip_id, by=current_user.member_id, filename=upload.filename, data=upload.read(),
        declared_type=upload.mimetype, kind=request.form.get("kind") or "other",
        title=request.form.get("title", ""))
    return jsonify(document=present.qip_document(views().library.document(document_id),
                                                 qip_id)), 201


# --- changes marked on a measure (its charts recalculate from each) -----------------------

CHANGE_MARK = obj(["measure", "changed_on", "description"], {
    "measure": STR, "changed_on": DATE, "description": STR})
document({
    "/qips/{qip_id}/changes": {"post": op(
        "Mark the date a change came in on one of the QIP's measures: its charts take a new "
        "mean and limits (a new median) from the first value on or after it", {
            **answer("201", "Marked", obj(["change", "qip"], {
                "change": ref("ChangeMark"), "qip": ref("Qip")})),
            **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date", "description"], {
            "measure": text(120), "date": DAY, "description": text(200)}, False))},
    "/qips/{qip_id}/changes/remove": {"post": op(
        "Take back a change marked on a measure: its charts read as one period there again", {
            **answer("200", "Removed", wrap("qip", ref("Qip"))),
            **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date"], {"measure": text(120), "date": DAY}, False))},
}, {"ChangeMark": CHANGE_MARK})


@api.post("/qips/<id:qip_id>/changes")
def mark_change(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/changes", "post"))
    must_see(qip_id)
    community().mark_change(qip_id, by=current_user.member_id, measure=body["measure"],
                            changed_on=body["date"], description=body["description"])
    change = {"measure": body["measure"], "changed_on": body["date"],
              "description": body["description"].strip()}
    return jsonify(change=change, qip=_shown(qip_id)), 201


@api.post("/qips/<id:qip_id>/changes/remove")
def unmark_change(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/changes/remove", "post"))
    must_see(qip_id)
    community().unmark_change(qip_id, by=current_user.member_id, measure=body["measure"],
                              changed_on=body["date"])
    return jsonify(qip=_shown(qip_id))
