"""The organisers' outbox: review the e-mails proposed to members, reword or
discard them, and send them (each at most once)."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import HiddenField, StringField, TextAreaField

from domain.errors import Conflict, Invalid
from domain.message import EDITABLE, MAX_BODY, SENDABLE
from domain.values import MessageStatus
from projections.outbox import ORDER
from web.api.present import without_hidden_addresses
from web.auth import organiser_required
from web.forms import Form, IdListField, VersionField
from web.paging import _paged, _pagination
from web.services import community, views

outbox = Blueprint("outbox", __name__, url_prefix="/organise/outbox")

FIELD_NAMES = {"subject": "The subject", "body": "The message", "reason": "Why you discard it"}
GONE = {"sending": "being sent", "sent": "already sent", "discarded": "discarded"}
STALE = ("This e-mail was changed by someone else since you opened it. Reload it to see "
         "what changed; what you typed is below, so you can copy it")


def _status(value: str | None) -> str | None:
    return value if value in {s.value for s in MessageStatus} else None


@outbox.get("")
@organiser_required
def listing() -> Any:
    status = _status(request.args.get("status"))
    rows, total, page = _paged(lambda **p: views().outbox.listing(status, **p))
    return render_template(
        "outbox/listing.html", messages=rows, status=status, counts=views().outbox.counts(),
        order=ORDER, sendable={s.value for s in SENDABLE},
        pagination=_pagination(total, page, len(rows), {"status": status}),
        mail_ready=bool(community().settings.smtp_host))


class EditForm(Form):
    """Reword an e-mail; ``version`` is the e-mail's when the page was opened."""

    version = VersionField()
    subject = StringField("Subject")
    body = TextAreaField("Message")


class DiscardForm(Form):
    reason = TextAreaField("Why should it not be sent? (optional)")


class SendForm(Form):
    """Send the e-mails ticked (or carried by the confirmation page); "all" sends every
    one waiting. ``back`` is the outbox page to return to."""

    send = HiddenField()
    message_id = IdListField(missing="no such message")
    back = HiddenField()


@outbox.get("/<message_id>")
@organiser_required
def preview(message_id: str) -> Any:
    row = _row(message_id)
    return _render_preview(row, _edit_form(row), DiscardForm(formdata=None))


def _edit_form(row: dict[str, Any]) -> EditForm:
    return EditForm(formdata=None, data={"subject": row["subject"], "body": row["body"],
                                         "version": row["version"]})


def _row(message_id: str) -> dict[str, Any]:
    row = views().outbox.one(message_id.lower())
    if row is None:
        abort(404, "There is no such e-mail in the outbox.")
    # The address only with the member's consent, as the directory (issue 13).
    members = views().directory.members_by_id([str(row["to_member_id"])])
    return without_hidden_addresses([row], current_user, members)[0]


def _render_preview(row: dict[str, Any], editing: EditForm, discarding: DiscardForm,
                    status: int = 200, conflict: bool = False) -> Any:
    return render_template(
        "outbox/preview.html", message=row, editing=editing, discarding=discarding,
        errors={**editing.problems(), **discarding.problems()},
        conflict=conflict, editable=row["status"] in {s.value for s in EDITABLE},
        status_label=MessageStatus(row["status"]).label, max_body=MAX_BODY,
        mail_ready=bool(community().settings.smtp_host)), status


def _worded(invalid: Invalid) -> dict[str, str]:
    return {f: f"{FIELD_NAMES.get(f, f)} {m}" for f, m in invalid.fields.items()}


@outbox.post("/<message_id>/edit")
@organiser_required
def edit(message_id: str) -> Any:
    row = _row(message_id)
    form = EditForm()
    if form.version.data is None:
        form.form_errors.append("This form is missing what it needs to save; reload the "
                                "page and try again")
        return _render_preview(row, form, DiscardForm(formdata=None), 400)
    try:
        community().edit_message(row["id"], by=current_user.member_id,
                                 version=form.version.data, subject=form.subject.data or "",
                                 body=form.body.data or "")
    except Invalid as invalid:
        form.beside(_worded(invalid))
        return _render_preview(row, form, DiscardForm(formdata=None), 400)
    except Conflict as conflict:
        current = _row(message_id)
        if current["status"] in {s.value for s in EDITABLE}:
            problem = STALE if current["version"] != form.version.data else conflict.message
        else:
            problem = f"This e-mail is {GONE[current['status']]}, so it can no longer be changed"
        form.form_errors.append(_sentence(problem))
        return _render_preview(current, form, DiscardForm(formdata=None), 409, conflict=True)
    flash("Your changes to the e-mail are saved.", "success")
    return redirect(url_for("outbox.preview", message_id=row["id"]))


@outbox.post("/<message_id>/discard")
@organiser_required
def discard(message_id: str) -> Any:
    row = _row(message_id)
    form = DiscardForm()
    try:
        community().discard_message(row["id"], by=current_user.member_id,
                                    reason=form.reason.data or "")
    except Invalid as invalid:  # the reason: shown beside it, with what was typed
        form.beside(_worded(invalid))
        return _render_preview(row, _edit_form(row), form, 400)
    except Conflict as refused:
        flash(f"The e-mail was not discarded: {refused.message}.", "error")
        return redirect(url_for("outbox.preview", message_id=row["id"]))
    flash(f"The e-mail to {row['to_name']} was discarded; it will not be sent.", "success")
    return redirect(url_for("outbox.listing"))


@outbox.post("/momentum")
@organiser_required
def momentum() -> Any:
    """The daily momentum job, run now: safe to press twice (nothing is proposed twice)."""
    report = community().check_momentum(by=current_user.member_id)
    flash(report.summary(), "success")
    return redirect(url_for("outbox.listing"))


@outbox.get("/send-all")
@organiser_required
def confirm_send_all() -> Any:
    """"Send all" asks first: how many e-mails go to how many members, by e-mail, now.
    The form sends exactly the e-mails listed, so one proposed meanwhile waits for the
    next look rather than going unseen."""
    waiting = [row for message_id in views().outbox.waiting()
               if (row := views().outbox.one(str(message_id))) is not None]
    return render_template("outbox/confirm_send_all.html", messages=waiting,
                           members=len({row["to_member_id"] for row in waiting}),
                           mail_ready=bool(community().settings.smtp_host))


@outbox.post("/send")
@organiser_required
def send() -> Any:
    form = SendForm()
    everything = form.send.data == "all"
    back = _back(form.back.data)
    if form.message_id.errors:
        flash(_sentence(f"{form.message_id.errors[0]}"), "error")
        return redirect(back)
    chosen: list[UUID] = list(form.message_id.data or [])
    if not everything and not chosen:
        flash("Select at least one e-mail to send.", "error")
        return redirect(back)
    try:
        report = community().send_messages(by=current_user.member_id,
                                           ids=None if everything else chosen)
    except (Invalid, Conflict) as refused:
        flash(_sentence(refused.message), "error")
        return redirect(back)
    flash(_sentence(report.summary()), "error" if report.failed else "success")
    return redirect(back)


def _back(target: str | None) -> str:
    """Back to the outbox or one of its messages, never elsewhere."""
    listing_url = url_for("outbox.listing")
    if target and re.fullmatch(re.escape(listing_url) + r"(/[0-9a-f-]{36})?", target):
        return target
    return listing_url


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
