"""The organisers' review of a submitted QIP, and a plan's history: routes of the
``qips`` blueprint (web/qips.py loads this module), kept apart from drafting and
following a plan.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from domain.errors import Conflict, Invalid
from domain.qip import REVIEW_FIELDS, Measure
from domain.qip_history import history as qip_history
from domain.qip_plan import REVIEW_PARTS
from domain.values import Labelled, QipStatus
from web.auth import organiser_required
from web.paging import _paged_list
from web.qip_forms import ReviewForm
from web.qips import qips, sees_review_comments, visible_qip
from web.services import community, views

# --- review (organisers) --------------------------------------------------------------------


@qips.get("/organise/reviews")
@organiser_required
def reviews() -> Any:
    return render_template("qips/reviews.html", queue=views().library.awaiting_review())


def _review_page(qip_id: str, form: ReviewForm, errors: dict[str, str] | None = None,
                 status: int = 200) -> Any:
    row = visible_qip(qip_id)
    plan = community().qip(qip_id)
    if not form.version.data:
        form.version.data = str(plan.version)
    names = views().directory.names({str(m) for m in [plan.owner_id, *plan.member_ids]})
    return render_template(
        "qips/review.html", qip=row, plan=plan, form=form, typed=form.typed(),
        errors=errors or {}, fields=REVIEW_FIELDS,
        labels=REVIEW_PARTS, owner_name=names.get(str(plan.owner_id), "a former member"),
        member_names=[names.get(str(m), "a former member") for m in plan.member_ids],
    ), status


@qips.route("/qips/<qip_id>/review", methods=["GET", "POST"])
@organiser_required
def review(qip_id: str) -> Any:
    if request.method == "GET":
        plan = community().qip(visible_qip(qip_id)["id"])
        if plan.status is not QipStatus.SUBMITTED:
            flash(f"This QIP is {plan.status.label.lower()}: only a submitted QIP can be "
                  "reviewed.", "info")
            return redirect(url_for("qips.qip", qip_id=qip_id))
        return _review_page(qip_id, ReviewForm(formdata=None))
    form = ReviewForm()
    decision = form.decision.data or ""
    try:
        community().review_qip(qip_id, by=current_user.member_id, decision=decision,
                               comments=form.comments(), version=form.version_number())
    except Invalid as invalid:
        errors = {}
        for field, said in invalid.fields.items():
            part = field.removeprefix("comments.")
            key = f"comment-{part}" if part in REVIEW_FIELDS else (
                "comment-general" if field == "comments" else "")
            errors[key] = (f"{REVIEW_PARTS[part]}: {said}" if part in REVIEW_FIELDS
                           else said[0].upper() + said[1:])
        return _review_page(qip_id, form, errors, 400)
    except Conflict as conflict:
        return _review_page(qip_id, form, {"": conflict.message[0].upper()
                                           + conflict.message[1:]}, 409)
    if decision == "accept":
        flash("The QIP is accepted: it is active and shared in the library.", "success")
    else:
        flash("Changes requested: the team will see your comments beside the parts they "
              "are about.", "success")
    return redirect(url_for("qips.qip", qip_id=qip_id))


# --- history --------------------------------------------------------------------------------


def shown(value: Any, names: dict[str, str]) -> str:
    """A value from a plan, in words, for the history's before and after."""
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, Labelled):
        return value.label
    if isinstance(value, UUID):
        return names.get(str(value), "a former member")
    if isinstance(value, Measure):
        unit = value.unit if value.unit not in ("", "count") else ""
        return (f"{value.name} (baseline {_figure(value.baseline)}{unit}, target "
                f"{_figure(value.target)}{unit})")
    if isinstance(value, dict) and "title" in value:
        cycles = len(value.get("cycles") or [])
        return f"{value['title']} ({cycles} PDSA cycle{'s' if cycles != 1 else ''})"
    if isinstance(value, (list, tuple)):
        return "; ".join(shown(v, names) for v in value)
    return str(value)


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


@qips.get("/qips/<qip_id>/history")
@login_required
def history(qip_id: str) -> Any:
    row = visible_qip(qip_id)
    found = qip_history(community().qip_events(qip_id)).for_reader(sees_review_comments(row))
    people = {str(e.by) for e in found.entries if e.by}
    for entry in found.entries:
        for change in entry.changes:
            for value in (change.before, change.after):
                if isinstance(value, list):
                    people |= {str(v) for v in value if isinstance(v, UUID)}
                elif isinstance(value, UUID):
                    people.add(str(value))
    names = views().directory.names(people)
    # The timeline grows with every change: a page at a time (issue 13).
    entries, pagination = _paged_list(found.entries, {})
    return render_template("qips/history.html", qip=row, history=found, names=names,
                           shown=shown, labels=REVIEW_PARTS, entries=entries,
                           pagination=pagination)
