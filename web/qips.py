"""QIP pages: the library, one plan, drafting and editing it, submitting it for review,
the organisers' review, adapting another team's plan, and a plan's history.

Routes turn a form into one command on ``community.Community`` and map what the
domain refuses to the page: bad input is a 400 with an error summary naming each
field, a stale form (someone saved first) a 409 that keeps what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from domain import qip as qip_rules
from domain.errors import Conflict, Invalid
from domain.qip import OPEN, REVISABLE, Qip, aim_gaps
from domain.qip_plan import REVIEW_PARTS
from domain.values import KeyArea, Obstacle, QipStatus
from projections.directory import Directory
from projections.library import Library
from web import library_kept, qip_forms
from web.kept_pages import Memo, kept_reading
from web.paging import _arg, _choice, _options, _paged, _pagination
from web.progress_feedback import progress_feedback
from web.qip_forms import CompleteForm, PlanForm, StopForm, SubmitForm
from web.services import community, views
from web.verdicts import measure_verdict

qips = Blueprint("qips", __name__)

NOT_FOUND = ("There is no QIP at this address, or it is a draft another team has not "
             "shared yet.")
STALE = ("Someone else saved this QIP after you opened this form, so your changes have not "
         "been saved. What you typed is below: open the QIP in another tab to see what "
         "changed, then make your changes again.")
OUTCOMES = [("improved", "Improved (the chart shows a signal)"),
            ("not_improved", "Not improved yet")]


def _viewer() -> dict[str, Any]:
    return {"viewer_team_id": current_user.team_id, "organiser": current_user.is_organiser}


def a_qip_id(qip_id: str) -> str:
    """The id, or a 404 when it is not one (not a 500 from the database)."""
    try:
        UUID(qip_id)
    except ValueError:
        abort(404, NOT_FOUND)
    return qip_id


def visible_qip(qip_id: str) -> dict[str, Any]:
    """The library's row for a QIP this member may see, or a 404."""
    a_qip_id(qip_id)
    found = views().library.qip(qip_id, **_viewer())
    if found is None:
        abort(404, NOT_FOUND)
    return found


def sees_review_comments(row: dict[str, Any]) -> bool:
    """The logged-in member may read the review comments on this plan (one rule for
    the page, its history and the API)."""
    return qip_rules.sees_review_comments(
        reader_team_id=current_user.team_id, reader_is_organiser=current_user.is_organiser,
        qip_team_id=row["team_id"])


def _in_team(row: dict[str, Any]) -> bool:
    return bool(current_user.team_id) and current_user.team_id == row["team_id"]


# --- the library --------------------------------------------------------------------------


@qips.get("/qips")
@login_required
def library() -> Any:
    lib = views().library
    teams = views().directory.teams()
    regions = lib.regions()
    filters = {
        "q": _arg("q"),
        "key_area": _choice("key_area", KeyArea),
        "status": _choice("status", QipStatus),
        "team": _arg("team") if _arg("team") in {t["id"] for t in teams} else None,
        "region": _arg("region") if _arg("region") in regions else None,
        "obstacle": _choice("obstacle", Obstacle),
        "outcome": _arg("outcome") if _arg("outcome") in dict(OUTCOMES) else None,
    }
    rows, total, page = _paged(lambda limit, offset: library_kept.qips(
        key_area=filters["key_area"], team_id=filters["team"],
        status=filters["status"], region=filters["region"], obstacle=filters["obstacle"],
        outcome=filters["outcome"], q=filters["q"], limit=limit, offset=offset))
    return render_template(
        "qips.html", qips=rows, filters=filters, filtered=any(filters.values()),
        pagination=_pagination(total, page, len(rows), filters),
        can_draft=bool(current_user.team_id),
        options={"key_area": _options(KeyArea), "status": _options(QipStatus),
                 "team": [(t["id"], t["name"]) for t in teams],
                 "region": [(r, r) for r in regions], "obstacle": _options(Obstacle),
                 "outcome": OUTCOMES})


# --- one QIP ------------------------------------------------------------------------------


def copied_parts(plan: Qip) -> dict[str, Any]:
    """Which parts of an adapted draft are still the other team's, for the tags beside
    them: {"aim": bool, "timeframe": bool, "baselines": {names}, "targets": {names}}.
    Empty once the plan has gone for review (tags are for making it one's own)."""
    if plan.status not in (QipStatus.DRAFT, QipStatus.CHANGES_REQUESTED):
        return {}
    found = plan.copied_from_original()
    if not found:
        return {}

    def names(part: str) -> set[str]:
        return {m.name for i, m in enumerate(plan.measures) if f"measures[{i}].{part}" in found}

    return {"aim": "aim" in found, "timeframe": "timeframe" in found,
            "baselines": names("baseline"), "targets": names("target")}


def source_team(plan: Qip) -> str:
    """The team whose plan this one was adapted from, in words."""
    if plan.adapted_from is None:
        return ""
    row = views().library.qip(str(plan.adapted_from), **_viewer())
    return row["team"] if row else "the other team"


@dataclass(frozen=True)
class PlanPage:
    """What a QIP page reads of the views and the plan for one kind of reader (the
    template only reads it: it is kept and shared between requests)."""
    row: dict[str, Any]          # the library's row, its measures with their verdicts
    plan: Qip
    owner: dict[str, Any] | None
    member_names: list[str]
    adapted_from: dict[str, Any] | None
    adoptions: list[dict[str, Any]]


# A page's reads (the plan, its row, its adaptations, names) were a third of its time:
# kept per plan and kind of reader until the views it reads change (issue 14): the
# library and the directory's names, not a contact recorded or a notification read,
# which made every plan's page in every process read again. The plan as saved is
# kept with them: the library applies every event of a plan, so its change mark
# moves with each. Most readers see a plan as any member of another team does, so a few
# hundred plans fit.
_PAGES = Memo(keep=1024)
PLAN_READS = frozenset({Library.name, Directory.name})
MEASURES_READ = frozenset({Library.name})  # their charts and values: the row alone


def plan_page(qip_id: str) -> PlanPage:
    """The plan as the logged-in member may see it on its page, or a 404."""
    a_qip_id(qip_id)
    if current_user.is_organiser:
        reader: tuple[str | None, bool] = (None, True)
    else:
        teams = kept_reading(_PAGES, PLAN_READS, ("teams seeing more", qip_id),
                             lambda: views().library.teams_seeing_more_of(qip_id))
        team_id = current_user.team_id
        reader = (team_id if team_id in teams else None, False)
    found = kept_reading(_PAGES, PLAN_READS, ("qip page", qip_id, *reader),
                         lambda: _read_plan_page(qip_id, *reader))
    if found is None:
        abort(404, NOT_FOUND)
    return found


def _read_plan_page(qip_id: str, team_id: str | None, organiser: bool) -> PlanPage | None:
    library, directory = views().library, views().directory
    row = library.qip(qip_id, viewer_team_id=team_id, organiser=organiser)
    if row is None:
        return None
    plan = community().qip(qip_id, to_read=True)
    for measure in row["measures"]:
        measure["verdict"] = measure_verdict(measure)
    names = directory.names({str(m) for m in [plan.owner_id, *plan.member_ids]})
    return PlanPage(
        row=row, plan=plan, owner=directory.member(str(plan.owner_id)),
        member_names=[names.get(str(m), "a former member") for m in plan.member_ids],
        adapted_from=(library.qip(str(plan.adapted_from), viewer_team_id=team_id,
                                  organiser=organiser) if plan.adapted_from else None),
        adoptions=library.adoptions_of(qip_id, viewer_team_id=team_id, organiser=organiser))


def _qip_page(qip_id: str, errors: dict[str, str] | None = None, status: int = 200,
              stop_reason: str = "") -> Any:
    read = plan_page(qip_id)
    row, plan, adapted_from = read.row, read.plan, read.adapted_from
    in_team = _in_team(row)
    state = plan.status
    shared = state in (QipStatus.ACTIVE, QipStatus.COMPLETED)
    actions = {
        "edit": in_team and state in REVISABLE,
        "submit": in_team and state in (QipStatus.DRAFT, QipStatus.CHANGES_REQUESTED),
        "complete": in_team and state is QipStatus.ACTIVE,
        "stop": in_team and state in OPEN,
        "adapt": bool(current_user.team_id) and not in_team and shared,
        "review": current_user.is_organiser and state is QipStatus.SUBMITTED,
        "record": in_team and state in OPEN and bool(row["measures"]),
        "score": in_team and state is QipStatus.ACTIVE,
    }
    missing = plan.missing_for_review() if actions["submit"] else {}
    comments_shown = sees_review_comments(row)
    copied = copied_parts(plan)
    # The source team's name as source_team() gives it, from the row read above
    # rather than a second read; shown only beside copied parts.
    source = (adapted_from["team"] if adapted_from else "the other team") if copied else ""
    can_edit = in_team and state not in (QipStatus.STOPPED, QipStatus.COMPLETED)
    return render_template(
        "qip.html", qip=row, plan=plan, owner=read.owner, member_names=read.member_names,
        in_team=in_team, can_edit=can_edit, measures_html=_measures_drawn(row, can_edit),
        actions=actions, missing=missing, missing_lines=missing_lines(missing),
        copied=copied, source_team=source,
        comments=plan.comments if comments_shown else {},
        status_words=_status_words(plan), adapted_from=adapted_from,
        adoptions=read.adoptions, errors=errors or {}, stop_reason=stop_reason,
        review_labels=REVIEW_PARTS,
    ), status


def _measures_drawn(row: dict[str, Any], can_edit: bool) -> Markup | None:
    """The measures section (charts, values) as everyone outside the team sees it,
    drawn once while no view moves: it was a fifth of the page's time. None where
    the reader sees more (the team's forms, what their last value sent said) or
    asked for another page of a measure's values: drawn for them alone."""
    if can_edit or progress_feedback(row) or "values_of" in request.args:
        return None
    return kept_reading(_PAGES, MEASURES_READ, ("qip measures", row["id"]),
                        lambda: Markup(render_template("qips/_measures.html", qip=row,
                                                       can_edit=False)))


def missing_lines(missing: dict[str, str]) -> list[str]:
    """What stops a plan being submitted, one line each: "Aim: say what…",
    "Measure 1 target is the target of the plan you adapted…"."""
    return [qip_forms.message(field, said) if "[" in field
            else f"{qip_forms.NAMES.get(field, field)}: {said}"
            for field, said in missing.items()]


def _status_words(plan: Qip) -> str:
    """The status as a sentence a team can act on."""
    state = plan.status
    if state is QipStatus.DRAFT:
        return "Draft: only your team and the organisers can see it until it is accepted."
    if state is QipStatus.SUBMITTED:
        return "Submitted for review: the organisers are reviewing it."
    if state is QipStatus.CHANGES_REQUESTED:
        return ("Changes requested: the organisers asked for changes, shown beside the parts "
                "they are about. Revise the plan, then submit it again.")
    if state is QipStatus.ACTIVE:
        return f"Active: accepted and shared in the library on {_day(plan.shared_on)}."
    if state is QipStatus.COMPLETED:
        return f"Completed on {_day(plan.ended_on)}."
    return f"Stopped on {_day(plan.ended_on)}."


def _day(value: Any) -> str:
    return f"{value.day} {value:%B %Y}" if value else "a date not recorded"


@qips.get("/qips/<qip_id>")
@login_required
def qip(qip_id: str) -> Any:
    return _qip_page(qip_id)


# --- drafting and editing -------------------------------------------------------------------


def _form_page(form: PlanForm, *, qip_id: str | None, status: int = 200,
               conflict: bool = False, comments: dict[str, str] | None = None, team_id: str,
               plan: Qip | None = None, focus: str = "") -> Any:
    members, _ = views().directory.members(team_id=team_id, limit=500)
    form.members([(m["id"], m["name"]) for m in members])
    return render_template(
        "qips/edit.html", form=form, qip_id=qip_id, errors=form.problems(),
        conflict=conflict, focus=focus, comments=comments or {},
        copied=copied_parts(plan) if plan else {},
        source_team=source_team(plan) if plan else ""), status


def _aim_advice(aim: str | None) -> None:
    if aim and (gaps := aim_gaps(aim)):
        flash("Advice on your aim: a specific aim says " + " and ".join(gaps) + ".", "info")


@qips.route("/qips/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if not current_user.team_id:
        abort(403, "Only members of a team can draft a QIP.")
    page = {"qip_id": None, "team_id": current_user.team_id}
    if request.method == "GET":
        return _form_page(PlanForm.blank(current_user.id), **page)
    form = PlanForm()
    if focus := form.press(request.form):
        return _form_page(form, focus=focus, **page)
    try:
        if not form.validate_on_submit():
            return _form_page(form, status=400, **page)
        qip_id = community().draft_qip(by=current_user.member_id, owner_id=form.owner(),
                                       **form.plan())
    except Invalid as invalid:
        form.refuse(invalid)
        return _form_page(form, status=400, **page)
    flash("Your draft QIP has been saved. Only your team and the organisers can see it.",
          "success")
    _aim_advice(form.aim.data)
    return redirect(_after_save(str(qip_id)))


def _after_save(qip_id: str) -> str:
    return url_for("qips.qip", qip_id=qip_id)


@qips.route("/qips/<qip_id>/edit", methods=["GET", "POST"])
@login_required
def edit(qip_id: str) -> Any:
    row = visible_qip(qip_id)
    if not _in_team(row):
        abort(403, "Only the QIP's own team can edit it.")
    plan = community().qip(qip_id)
    if plan.status not in REVISABLE:
        flash(f"This QIP is {plan.status.label.lower()}, so it cannot be edited now.", "info")
        return redirect(url_for("qips.qip", qip_id=qip_id))
    page = {"qip_id": qip_id, "comments": plan.comments, "team_id": row["team_id"],
            "plan": plan}
    if request.method == "GET":
        form = PlanForm.of(plan)
        form.version.data = str(plan.version)
        return _form_page(form, **page)
    form = PlanForm()
    if focus := form.press(request.form):
        return _form_page(form, focus=focus, **page)
    try:
        if not form.validate_on_submit():
            return _form_page(form, status=400, **page)
        community().revise_qip(qip_id, by=current_user.member_id,
                               version=form.version_number(), owner_id=form.owner(),
                               keep=form.kept(), **form.plan())
    except Invalid as invalid:
        if invalid.fields == {"qip": "nothing changed"}:
            flash("You did not change anything, so there was nothing to save.", "info")
            return redirect(_after_save(qip_id))
        form.refuse(invalid)
        return _form_page(form, status=400, **page)
    except Conflict:
        form.form_errors.append(STALE)
        return _form_page(form, status=409, conflict=True, **page)
    flash("Your changes to the QIP have been saved.", "success")
    _aim_advice(form.aim.data)
    return redirect(_after_save(qip_id))


# --- submitting, completing, stopping, adapting --------------------------------------------


def _team_command(qip_id: str) -> dict[str, Any]:
    row = visible_qip(qip_id)
    if not _in_team(row):
        abort(403, "Only the QIP's own team can do this.")
    return row


@qips.post("/qips/<qip_id>/submit")
@login_required
def submit(qip_id: str) -> Any:
    _team_command(qip_id)
    form = SubmitForm()
    try:
        community().submit_qip(qip_id, by=current_user.member_id,
                               version=form.version_number())
    except Invalid as invalid:
        # Each problem once, in people's words; those without a place of their own
        # (time frame, each copied measure's parts) link to the list of what is missing.
        errors: dict[str, str] = {}
        for field, line in zip(invalid.fields, missing_lines(invalid.fields), strict=True):
            key = field if field in ("aim", "measures") else "plan-missing"
            errors[key] = f"{errors[key]}; {line}" if key in errors else line
        return _qip_page(qip_id, errors=errors, status=400)
    flash("Your QIP has been submitted. The organisers will review it and either accept it "
          "or ask for changes.", "success")
    return redirect(url_for("qips.qip", qip_id=qip_id))


@qips.post("/qips/<qip_id>/complete")
@login_required
def complete(qip_id: str) -> Any:
    _team_command(qip_id)
    form = CompleteForm()
    try:
        community().complete_qip(qip_id, by=current_user.member_id,
                                 version=form.version_number(), note=form.note.data or "")
    except Invalid as invalid:
        return _qip_page(qip_id, errors={"note": "; ".join(invalid.fields.values())},
                         status=400)
    flash("The QIP is marked as completed.", "success")
    return redirect(url_for("qips.qip", qip_id=qip_id))


@qips.post("/qips/<qip_id>/stop")
@login_required
def stop(qip_id: str) -> Any:
    _team_command(qip_id)
    form = StopForm()
    reason = form.reason.data or ""
    try:
        community().stop_qip(qip_id, by=current_user.member_id,
                             version=form.version_number(), reason=reason)
    except Invalid as invalid:
        problem = ("Say why the QIP is being stopped" if "reason" in invalid.fields
                   else "; ".join(invalid.fields.values()))
        return _qip_page(qip_id, errors={"reason": problem}, status=400, stop_reason=reason)
    flash("The QIP is stopped. The reason is recorded with it.", "success")
    return redirect(url_for("qips.qip", qip_id=qip_id))


@qips.post("/qips/<qip_id>/adapt")
@login_required
def adapt(qip_id: str) -> Any:
    source = visible_qip(qip_id)
    new_id = community().adapt_qip(qip_id, by=current_user.member_id)
    flash(f"This is your team's draft, adapted from “{source['title']}” by {source['team']}. "
          "Add your own baselines, then submit it for review.", "success")
    return redirect(url_for("qips.edit", qip_id=str(new_id)))


# The organisers' review and a plan's history register with this blueprint when loaded.
from web import qip_review  # noqa: E402,F401
