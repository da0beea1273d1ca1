"""A QIP's measures and documents over the API: recording, correcting and withdrawing
values, a measure's chart, the documents, and the changes marked on a measure.

The plan itself, its review and its end are in web/api/qips.py, which loads this
module so its routes register with it.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user

from community.documents import CONTENT_TYPES, MAX_DOCUMENT_BYTES
from domain.errors import Invalid, NotFound
from domain.qip import Qip
from domain.qip_plan import MAX_SERIES
from domain.values import DocumentKind
from web.api import api, present
from web.api.openapi import (
    DATE,
    DAY,
    INT,
    NUM,
    STALE,
    STR,
    answer,
    document,
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
from web.api.qips import MEASURE_NAME, VERSION, check_sees, must_see, shown
from web.api.requests import json_body
from web.charts import chart_of
from web.downloads import FALLBACK_TYPE, document_response
from web.services import community, views

# The form fields and multipart boundaries around a file of the largest size allowed.
UPLOAD_LIMIT = MAX_DOCUMENT_BYTES + 256 * 1024
DOCUMENT_TYPES = sorted(CONTENT_TYPES | {FALLBACK_TYPE})
TOO_LARGE = {"413": {"description": f"More than {MAX_DOCUMENT_BYTES // 2**20} MB",
                     "content": {"application/json": {"schema": ref("Error")}}}}

document({
    "/qips/{qip_id}/progress": {"post": op("Record a value of one of the QIP's measures", {
        **answer("201", "Recorded", obj(["progress", "qip"], {
            "progress": obj(["measure", "date", "value"], {"measure": STR, "date": DATE,
                                                           "value": NUM}),
            "qip": ref("Qip")})), **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date", "value"], {"measure": MEASURE_NAME, "date": DAY,
                                                   "value": NUM}, False))},
    "/qips/{qip_id}/progress/series": {"post": op(
        "Record many values of one measure: all of them, or none when any is refused "
        "(named values[i].date or values[i].value)", {
            **answer("201", "Recorded", obj(["recorded", "qip"], {
                "recorded": INT, "qip": ref("Qip")})), **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "values"], {
            "measure": MEASURE_NAME,
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
            "measure": MEASURE_NAME, "date": DAY, "value": NUM, "reason": text(2000),
            "version": VERSION}, False))},
    "/qips/{qip_id}/progress/withdrawals": {"post": op(
        "Withdraw a value recorded by mistake, saying why: it leaves the charts and "
        "results (the history keeps it); " + STALE, {
            **answer("201", "Withdrawn", obj(["withdrawn", "qip"], {
                "withdrawn": obj(["measure", "date"], {"measure": STR, "date": DATE}),
                "qip": ref("Qip")})), **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date", "reason"], {
            "measure": MEASURE_NAME, "date": DAY, "reason": text(2000), "version": VERSION},
            False))},
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
})


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
    check_sees(qip_id)
    found = views().library.document(document_id)
    if found is None or found["qip_id"] != qip_id:
        raise NotFound("this QIP has no such document")
    data = community().document_content(found["sha256"])
    if data is None:
        raise NotFound("this document's file is missing")
    return document_response(found["name"], found["content_type"], data)


# --- measuring --------------------------------------------------------------------------

@api.post("/qips/<id:qip_id>/progress")
def record_progress(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress", "post"))
    check_sees(qip_id)
    plan = community().record_progress(qip_id, by=current_user.member_id,
                                       measure=body["measure"], value=body["value"],
                                       recorded_on=body["date"])
    return _value_answer(qip_id, body, plan)


def _value_answer(qip_id: str, body: dict[str, Any], plan: Qip) -> Any:
    """A value recorded or corrected, as it stands now, with the QIP (``plan``: as the
    change left it)."""
    progress = {"measure": body["measure"], "date": body["date"], "value": float(body["value"])}
    return jsonify(progress=progress, qip=shown(qip_id, plan)), 201


@api.post("/qips/<id:qip_id>/progress/series")
def record_series(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress/series", "post"))
    check_sees(qip_id)
    count = community().record_series(
        qip_id, by=current_user.member_id, measure=body["measure"],
        values=[(v["date"], v["value"]) for v in body["values"]])
    return jsonify(recorded=count, qip=shown(qip_id)), 201


@api.post("/qips/<id:qip_id>/progress/corrections")
def correct_progress(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress/corrections", "post"))
    check_sees(qip_id)
    plan = community().correct_progress(
        qip_id, by=current_user.member_id, measure=body["measure"], recorded_on=body["date"],
        value=body["value"], reason=body["reason"], version=body.get("version"))
    return _value_answer(qip_id, body, plan)


@api.post("/qips/<id:qip_id>/progress/withdrawals")
def withdraw_progress(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress/withdrawals", "post"))
    check_sees(qip_id)
    plan = community().withdraw_progress(
        qip_id, by=current_user.member_id, measure=body["measure"], recorded_on=body["date"],
        reason=body["reason"], version=body.get("version"))
    return jsonify(withdrawn={"measure": body["measure"], "date": body["date"]},
                   qip=shown(qip_id, plan)), 201


@api.post("/qips/<id:qip_id>/documents")
def attach_document(qip_id: str) -> Any:
    # Before the form is read: the app's default limit is for JSON and forms.
    request.max_content_length = UPLOAD_LIMIT
    check_sees(qip_id)
    upload = request.files.get("file")
    if upload is None:
        raise Invalid({"file": "send the file as multipart/form-data, in a part named file"})
    document_id = community().attach_document(
        qip_id, by=current_user.member_id, filename=upload.filename, data=upload.read(),
        declared_type=upload.mimetype, kind=request.form.get("kind") or "other",
        title=request.form.get("title", ""))
    attached = views().library.document(document_id)
    assert attached is not None  # the views caught up with the command before it returned
    return jsonify(document=present.qip_document(attached, qip_id)), 201


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
            "measure": MEASURE_NAME, "date": DAY, "description": text(200)}, False))},
    "/qips/{qip_id}/changes/remove": {"post": op(
        "Take back a change marked on a measure: its charts read as one period there again", {
            **answer("200", "Removed", wrap("qip", ref("Qip"))),
            **errors(400, 401, 403, 404, 409)},
        params=[path_id("qip_id")],
        request=obj(["measure", "date"], {"measure": MEASURE_NAME, "date": DAY}, False))},
}, {"ChangeMark": CHANGE_MARK})


@api.post("/qips/<id:qip_id>/changes")
def mark_change(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/changes", "post"))
    check_sees(qip_id)
    community().mark_change(qip_id, by=current_user.member_id, measure=body["measure"],
                            changed_on=body["date"], description=body["description"])
    change = {"measure": body["measure"], "changed_on": body["date"],
              "description": body["description"].strip()}
    return jsonify(change=change, qip=shown(qip_id)), 201


@api.post("/qips/<id:qip_id>/changes/remove")
def unmark_change(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/changes/remove", "post"))
    check_sees(qip_id)
    community().unmark_change(qip_id, by=current_user.member_id, measure=body["measure"],
                              changed_on=body["date"])
    return jsonify(qip=shown(qip_id))
