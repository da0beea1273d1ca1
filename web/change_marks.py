"""Marking when a change came in on a measure, from the form under each chart.

A marked change splits the measure's charts into phases, each with its own centre
line and limits (``domain.measurement``); the form and the list of marks are the
partial ``qips/_mark_change.html``. A refused form comes back to the QIP page as an
error summary (flashed), as the other forms under the measures do.
"""

from __future__ import annotations

import hashlib
from datetime import date as Day  # the forms have a field named date
from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required
from wtforms import HiddenField, StringField

from domain.errors import Conflict, Invalid
from web.forms import DayField, Form
from web.qips import visible_qip
from web.services import community

change_marks = Blueprint("change_marks", __name__)
FIELD_WORDS = {"measure": "the measure", "date": "the date the change came in",
               "description": "what changed"}


@change_marks.app_template_filter("hash_id")
def hash_id(text: str) -> str:
    """A short id-safe key for a measure's name (names may hold any character), so each
    measure's form fields have ids of their own."""
    return hashlib.blake2s(str(text).encode(), digest_size=4).hexdigest()


def _back(qip_id: str) -> Any:
    return redirect(url_for("qips.qip", qip_id=qip_id, _anchor="measures"))


def _refused(lead: str, error: Invalid | Conflict) -> None:
    """Flash each problem in the words of this form (the error summary on the QIP page)."""
    problems = {"": error.message} if isinstance(error, Conflict) else error.fields
    for field, message in problems.items():
        words = f"{FIELD_WORDS.get(field, field)} " if field else ""
        flash(f"{lead}: {words}{message}.", "error")


class MarkChangeForm(Form):
    """Under each measure's chart (qips/_mark_change.html): the measure is hidden."""

    measure = HiddenField()
    date = DayField("The date the change came in")
    description = StringField("What changed")


class UnmarkChangeForm(Form):
    """The "Remove" button beside a change marked: the measure and the date, hidden."""

    measure = HiddenField()
    date = HiddenField()

    def day(self) -> Day | str:
        """The date marked; what is not one is passed on, for the domain to refuse."""
        try:
            return Day.fromisoformat(self.date.data or "")
        except ValueError:
            return self.date.data or ""


@change_marks.post("/qips/<qip_id>/changes")
@login_required
def mark_change(qip_id: str) -> Any:
    visible_qip(qip_id)
    form = MarkChangeForm()
    measure = form.measure.data or ""
    if not form.validate_on_submit():
        problem = form.date.errors[0]
        flash(f"The change was not marked: {problem[:1].lower()}{problem[1:]}.", "error")
        return _back(qip_id)
    try:
        community().mark_change(qip_id, by=current_user.member_id, measure=measure,
                                changed_on=form.date.data,
                                description=form.description.data or "")
    except (Invalid, Conflict) as error:
        _refused("The change was not marked", error)
        return _back(qip_id)
    flash(f"Marked the change on {measure}: its chart is recalculated from that date.",
          "success")
    return _back(qip_id)


@change_marks.post("/qips/<qip_id>/changes/remove")
@login_required
def unmark_change(qip_id: str) -> Any:
    visible_qip(qip_id)
    form = UnmarkChangeForm()
    measure = form.measure.data or ""
    try:
        community().unmark_change(qip_id, by=current_user.member_id, measure=measure,
                                  changed_on=form.day())
    except (Invalid, Conflict) as error:
        _refused("The change mark was not removed", error)
        return _back(qip_id)
    flash(f"Removed the change mark on {measure}.", "success")
    return _back(qip_id)
