"""Measuring a QIP and attaching its documents: record a value, upload a CSV of values,
draw each measure's chart, upload and download documents.

The QIP page itself belongs to ``web.qips``; it includes ``qips/_measures.html`` and
``qips/_documents.html``, whose forms post here. A refused form comes back to the QIP
page as an error summary (flashed), except a CSV upload, whose problems by line and
field are shown on the upload page itself.
"""

from __future__ import annotations

from typing import Any

from flask import (Blueprint, abort, flash, redirect, render_template, request, url_for)
from flask_login import current_user, login_required

from community.documents import MAX_DOCUMENT_BYTES, MEGABYTE
from domain.errors import Conflict, Invalid
from domain.qip import OPEN
from domain.values import DocumentKind
from web.charts import Chart, chart_of
from web.downloads import document_response
from web.progress_table import ProgressTable, read_progress_table
from web.qips import visible_qip
from web.services import community, views

measurement = Blueprint("measurement", __name__)

# The form fields and multipart boundaries around a file of the largest size allowed.
DOCUMENT_REQUEST_LIMIT = MAX_DOCUMENT_BYTES + 256 * 1024
TAKES_PROGRESS = {status.value for status in OPEN}  # the domain's rule, as the view stores it
FIELD_WORDS = {"measure": "the measure", "date": "the date", "value": "the value",
               "title": "the title", "kind": "what the document is", "file": "the file"}


@measurement.url_value_preprocessor
def allow_large_documents(endpoint: str | None, _values: Any) -> None:
    # This runs before every before_request function, CSRFProtect's included, which
    # reads the form: raising the limit in the view itself would be too late.
    if endpoint == "measurement.attach_document":
        request.max_content_length = DOCUMENT_REQUEST_LIMIT


@measurement.errorhandler(413)
def too_large(_error: Any) -> Any:
    qip_id = (request.view_args or {}).get("qip_id", "")
    if request.endpoint == "measurement.attach_document":
        flash(f"The document was not attached: the file must be at most "
              f"{MAX_DOCUMENT_BYTES // MEGABYTE} MB.", "error")
        return redirect(qip_page(qip_id, "documents"))
    flash("The values were not recorded: the file is too large. Upload at most "
          "a few thousand rows at a time.", "error")
    return redirect(url_for("measurement.upload_progress", qip_id=qip_id))


# --- for the templates ------------------------------------------------------------------

@measurement.app_template_global()
def measure_chart_for(qip: dict[str, Any], measure: dict[str, Any]) -> Chart:
    """The chart of one measure of a QIP as ``Library.qip`` gives it."""
    return chart_of(qip, measure)


@measurement.app_template_global()
def values_of(qip: dict[str, Any], measure: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in qip.get("progress", []) if p["measure"] == measure["name"]]


@measurement.app_template_global()
def takes_progress(qip: dict[str, Any]) -> bool:
    return qip["status"] in TAKES_PROGRESS


@measurement.app_template_global()
def document_kinds() -> list[tuple[str, str]]:
    return [(k.value, k.label) for k in DocumentKind]


@measurement.app_template_filter("document_kind_label")
def document_kind_label(value: str | None) -> str:
    try:
        return DocumentKind(value).label
    except ValueError:
        return value or ""


@measurement.app_template_filter("file_size")
def file_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < MEGABYTE:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MEGABYTE:.1f} MB"


def qip_page(qip_id: str, anchor: str | None = None) -> str:
    return url_for("qips.qip", qip_id=qip_id, _anchor=anchor)


# --- recording values -------------------------------------------------------------------



def _flash_refusal(lead: str, error: Invalid | Conflict) -> None:
    if isinstance(error, Conflict):
        flash(f"{lead}: {error.message}.", "error")
        return
    for field, message in error.fields.items():
        flash(f"{lead}: {FIELD_WORDS.get(field, field)} {message}.", "error")


@measurement.post("/qips/<qip_id>/progress")
@login_required
def record_progress(qip_id: str) -> Any:
    visible_qip(qip_id)
    measure = request.form.get("measure", "")
    try:
        community().record_progress(qip_id, by=current_user.member_id, measure=measure,
                                    value=request.form.get("value", "").strip(),
                                    recorded_on=_day_from_form())
    except (Invalid, Conflict) as error:
        _flash_refusal("The value was not recorded", error)
        return redirect(qip_page(qip_id, "measures"))
    flash(f"Recorded a value of {measure}.", "success")
    return redirect(qip_page(qip_id, "measures"))


def _day_from_form() -> str:
    """The NHS.UK date input's three boxes as YYYY-MM-DD (the domain checks the date)."""
    parts = [request.form.get(f"date-{p}", "").strip() for p in ("year", "month", "day")]
    if not any(parts):
        return request.form.get("date", "").strip()
    year, month, day = parts
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not all(p.isascii() and p.isdecimal() for p in parts):
        return "-".join(parts)
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


@measurement.get("/qips/<qip_id>/progress/upload")
@login_required
def upload_progress(qip_id: str) -> Any:
    return render_template("qips/progress_upload.html", qip=visible_qip(qip_id), problems=[],
                           chosen=request.args.get("measure", ""))


@measurement.post("/qips/<qip_id>/progress.csv")
@login_required
def record_progress_table(qip_id: str) -> Any:
    qip = visible_qip(qip_id)
    chosen = request.form.get("measure", "")
    upload = request.files.get("file")
    table = read_progress_table(upload.read() if upload else b"",
                                default_measure=_default_measure(qip, chosen))
    if not table.problems:
        try:
            count = community().record_progress_table(qip_id, by=current_user.member_id,
                                                      rows=table.rows)
        except Invalid as error:
            table = table.with_domain_problems(error.fields)
        except Conflict as error:
            table = ProgressTable(rows=table.rows, lines=table.lines,
                                  problems=[(None, None, error.message)])
        else:
            flash(f"Recorded {count} value{'s' if count != 1 else ''} from "
                  f"{(upload.filename if upload else '') or 'the file'}.", "success")
            return redirect(qip_page(qip_id, "measures"))
    return render_template("qips/progress_upload.html", qip=qip, problems=table.problems,
                           chosen=chosen), 400


def _default_measure(qip: dict[str, Any], chosen: str) -> str:
    """Rows without a measure column are values of the measure chosen on the form, or
    of the QIP's only measure."""
    if chosen:
        return chosen
    names = [m["name"] for m in qip["measures"]]
    return names[0] if len(names) == 1 else ""


# --- documents ----------------------------------------------------------------------------

@measurement.post("/qips/<qip_id>/documents")
@login_required
def attach_document(qip_id: str) -> Any:
    visible_qip(qip_id)
    upload = request.files.get("file")
    try:
        community().attach_document(
            qip_id, by=current_user.member_id, filename=upload.filename if upload else None,
            data=upload.read() if upload else b"",
            declared_type=upload.mimetype if upload else None,
            kind=request.form.get("kind") or "other", title=request.form.get("title", ""))
    except (Invalid, Conflict) as error:
        _flash_refusal("The document was not attached", error)
        return redirect(qip_page(qip_id, "documents"))
    flash("Document attached.", "success")
    return redirect(qip_page(qip_id, "documents"))


@measurement.get("/qips/<qip_id>/documents/<document_id>")
@login_required
def download_document(qip_id: str, document_id: str) -> Any:
    visible_qip(qip_id)
    document = views().library.document(document_id)
    if document is None or document["qip_id"] != qip_id:
        abort(404, "This QIP has no such document.")
    data = community().document_content(document["sha256"])
    if data is None:
        abort(404, "This document's file is missing.")
    return document_response(document["name"], document["content_type"], data)
