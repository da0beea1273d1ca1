"""A QIP's documents: attach one (the page's upload form) and download it. The routes
are on the ``measurement`` blueprint, beside the values and charts, so their endpoints
(``measurement.attach_document``) and the large-upload limit it sets stay as they were;
web/measurement.py loads this module.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect
from flask_login import current_user, login_required
from flask_wtf.file import FileField
from wtforms import StringField

from community.documents import MEGABYTE
from domain.errors import Conflict, Invalid
from domain.values import DocumentKind
from web.downloads import document_response
from web.forms import Form
from web.measurement import _flash_refusal, measurement, qip_page
from web.qips import visible_qip
from web.services import community, views


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


class DocumentForm(Form):
    """A document for a QIP. Its kind is passed on as chosen: the domain names the kinds
    (``DocumentKind``) and refuses any other; the file's checks are the domain's too."""

    file = FileField("File")
    kind = StringField("What is it?")
    title = StringField("Title")


@measurement.post("/qips/<qip_id>/documents")
@login_required
def attach_document(qip_id: str) -> Any:
    visible_qip(qip_id)
    form = DocumentForm()
    upload = form.file.data  # None when no file was chosen
    try:
        community().attach_document(
            qip_id, by=current_user.member_id, filename=upload.filename if upload else None,
            data=upload.read() if upload else b"",
            declared_type=upload.mimetype if upload else None,
            kind=form.kind.data or DocumentKind.OTHER, title=form.title.data or "")
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
