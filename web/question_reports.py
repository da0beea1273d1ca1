"""The organisers' page of reported posts (in the Organise hub): each open report
with the post, who reported it and why; hide the post with a reason (kept in the log,
shown to members as "Hidden by the organisers"), or dismiss the report with a note.

A hidden post closes every open report of it, so one act answers several reports.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from domain.errors import Conflict, Invalid
from domain.markdown_text import render
from web.auth import organiser_required
from web.limits import POSTING, limiter
from web.question_forms import LIMITS, DismissForm, HideForm, refusals
from web.services import community, views

question_reports = Blueprint("question_reports", __name__)


def _open() -> list[dict[str, Any]]:
    rows = views().questions.open_reports()
    names = views().directory.names({r["reported_by"] for r in rows})
    # The reported text, rendered by the one sanitiser, for the organisers to judge.
    return [{**r, "reporter": names.get(r["reported_by"], "A former member"),
             "post_html": render(r["post_body"] or "")} for r in rows]


def _page(forms: dict[str, Any] | None = None, status: int = 200) -> Any:
    forms = forms or {}
    errors: dict[str, str] = {}
    for form in forms.values():
        errors.update(form.problems())
    return render_template("questions/reports.html", reports=_open(), forms=forms,
                           errors=errors, limits=LIMITS,
                           hide_form=HideForm(formdata=None),
                           dismiss_form=DismissForm(formdata=None)), status


@question_reports.get("/organise/reports")
@organiser_required
def listing() -> Any:
    return _page()


def _report(report_id: str) -> dict[str, Any]:
    for found in views().questions.open_reports():
        if found["id"] == report_id.lower():
            return dict(found)
    abort(404, "There is no open report at this address: it may have been dealt with.")


@question_reports.post("/organise/reports/<report_id>/hide")
@organiser_required
@limiter.limit(POSTING)
def hide(report_id: str) -> Any:
    report = _report(report_id)
    form = HideForm(prefix=f"hide-{report['id']}")
    answer_id = report["post_id"] if report["post_kind"] == "answer" else None
    return _act(report, form, lambda: community().hide_post(
        report["question_id"], by=current_user.member_id, reason=form.reason.data or "",
        answer_id=answer_id),
        f"The {report['post_kind']} is hidden; members see “Hidden by the organisers”.")


@question_reports.post("/organise/reports/<report_id>/dismiss")
@organiser_required
@limiter.limit(POSTING)
def dismiss(report_id: str) -> Any:
    report = _report(report_id)
    form = DismissForm(prefix=f"dismiss-{report['id']}")
    return _act(report, form, lambda: community().dismiss_report(
        report["id"], by=current_user.member_id, note=form.note.data or ""),
        "The report is dismissed; the post stays as it is.")


def _act(report: dict[str, Any], form: Any, run: Any, done: str) -> Any:
    """Run the organiser's act: a refusal goes beside the report's box; a report
    another organiser dealt with meanwhile is said above the list."""
    try:
        run()
    except Invalid as error:
        refusals(form, error)
        return _page({report["id"]: form}, 400)
    except Conflict as error:
        flash(f"Not done: {error.message}.", "error")
        return redirect(url_for("question_reports.listing"))
    flash(done, "success")
    return redirect(url_for("question_reports.listing"))
