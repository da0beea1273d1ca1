"""Questions and answers: the list (with the "Unanswered" tab), asking and then
inviting people who could answer, one thread with its answers, answering, editing
one's own post, accepting the answer that helped, following, reporting a post, and
choosing the key areas and teams one follows.

Everything needs a login, as the QIP library does: a thread names members and their
teams, which the network shares with its members only.

Post text reaches a page only as the views' ``body_html`` (or, for an earlier
version, through ``domain.markdown_text.render``): the one sanitised way Markdown
becomes HTML. Posting routes carry the per-minute rate limit (``web.limits``); the
domain keeps its own per-hour limit.

Over 400 lines on purpose: every route here reads one thread through the same few
helpers (``_row``, ``_answer``, ``_own_question``, ``_thread``), and the thread page is
what each refused post re-renders; split apart, each half would need the other's.
The organisers' reports page is its own module (``web.question_reports``).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from domain.errors import Conflict, Invalid
from domain.markdown_text import render
from domain.question import handle_for
from domain.values import KeyArea, Role
from web.kept_pages import kept
from web.limits import POSTING, limiter
from web.paging import _choice, _paged, _pagination
from web.question_forms import (
    BODY_HINT,
    LIMITS,
    AnswerForm,
    AskForm,
    EditAnswerForm,
    EditQuestionForm,
    FollowForm,
    FollowsForm,
    InviteForm,
    ReportForm,
    refusals,
)
from web.services import community, views
from web.today import community_day

questions = Blueprint("questions", __name__)

NOT_FOUND = "There is no question at this address. It may have been mistyped."
STALE = ("Someone saved a change to this after you opened the form, so yours has not been "
         "saved. What you typed is below: open the question in another tab to see what "
         "changed, then make your change again.")
TABS = {"all": "All questions", "unanswered": "Unanswered"}
ATTACHED_SHOWN = 5  # on a QIP's or a team's page; the list has the rest


@questions.app_context_processor
def _questions_about() -> dict[str, Any]:
    """``questions_about(qip_id=..., team_id=..., workshop_id=...)`` for the QIP, team
    and event pages' include."""
    return {"questions_about": attached}


def attached(*, qip_id: str | None = None, team_id: str | None = None,
             workshop_id: str | None = None) -> dict[str, Any]:
    """The latest questions about a QIP, team or event, kept until a view moves on
    (web.kept_pages): the same for every reader, and a seventh of a QIP page's time."""
    def read() -> dict[str, Any]:
        rows, total = views().questions.questions(qip_id=qip_id, team_id=team_id,
                                                  workshop_id=workshop_id, limit=ATTACHED_SHOWN)
        return {"rows": _listed(rows), "total": total}

    return kept("questions about", (qip_id, team_id, workshop_id, community().today()), read)


# --- the list -------------------------------------------------------------------------------


def _age(asked_on: date, as_of: date) -> str:
    days = (as_of - asked_on).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    for limit, size, unit in ((14, 1, "day"), (60, 7, "week"), (730, 30, "month")):
        if days < limit:
            count = days // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    years = days // 365
    return f"{years} year{'s' if years != 1 else ''} ago"


def _listed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each question with its key areas, the asker's team and its age in words."""
    as_of = community_day()
    teams = views().directory.team_names({r["asker_team_id"] for r in rows
                                          if r["asker_team_id"]})
    return [{**r, "areas": [KeyArea(a).label for a in r["key_areas"]],
             "asker_team": teams.get(r["asker_team_id"] or "", "the organisers"),
             "age": _age(r["asked_on"], as_of)} for r in rows]


@questions.get("/questions")
@login_required
def listing() -> Any:
    tab = request.args.get("tab", "all")
    tab = tab if tab in TABS else "all"
    key_area = _choice("key_area", KeyArea)
    rows, total, page = _paged(lambda limit, offset: views().questions.questions(
        key_area=key_area, unanswered=tab == "unanswered", limit=limit, offset=offset))
    filters = {"key_area": key_area, "tab": tab if tab != "all" else None}
    return render_template(
        "questions/list.html", rows=_listed(rows), tab=tab, tabs=TABS, key_area=key_area,
        key_areas=[(a.value, a.label) for a in KeyArea],
        pagination=_pagination(total, page, len(rows), filters))


# --- asking and inviting ---------------------------------------------------------------------


def _about(form: AskForm) -> dict[str, Any]:
    """What the question is attached to, in words, for the ask page."""
    found: dict[str, Any] = {}
    if form.qip_id.data and (qip := _qip_row(form.qip_id.data)):
        found["qip"] = qip["title"]
    if form.team_id.data:
        found["team"] = views().directory.team_names({form.team_id.data}).get(
            form.team_id.data)
    return found


def _qip_row(qip_id: str) -> dict[str, Any] | None:
    try:
        UUID(qip_id)
    except ValueError:
        return None
    return views().library.qip(qip_id, viewer_team_id=current_user.team_id,
                               organiser=current_user.is_organiser)


def _ask_page(form: AskForm, status: int = 200) -> Any:
    return render_template("questions/ask.html", form=form, errors=form.problems(),
                           about=_about(form), limits=LIMITS, body_hint=BODY_HINT), status


@questions.get("/questions/new")
@login_required
def new() -> Any:
    form = AskForm(formdata=None, data={
        name: request.args.get(name, "") for name in ("qip_id", "team_id", "workshop_id")})
    return _ask_page(form)


@questions.post("/questions/new")
@login_required
@limiter.limit(POSTING)
def ask() -> Any:
    form = AskForm()
    form.validate()
    if form.key_areas.errors:  # a key area that is not one of those offered
        form.key_areas.errors = ["Choose key areas from the list"]
        return _ask_page(form, 400)
    try:
        question_id = community().ask_question(
            by=current_user.member_id, title=form.title.data or "", body=form.body.data or "",
            key_areas=form.key_area_list(), tags=form.tag_list(),
            qip_id=form.qip_id.data or None, team_id=form.team_id.data or None,
            workshop_id=form.workshop_id.data or None)
    except Invalid as error:
        refusals(form, error)
        return _ask_page(form, 400)
    flash("Your question is posted. Now invite people who could answer it.", "success")
    return redirect(url_for("questions.invite", question_id=question_id))


def _own_question(question_id: str) -> dict[str, Any]:
    row = _row(question_id)
    if row["asked_by"] != current_user.id:
        abort(403, "Only the person who asked can do this.")
    return row


def _invite_page(row: dict[str, Any], form: InviteForm, status: int = 200) -> Any:
    room = max(0, LIMITS["invitees"] - len(row["invited"]))
    people = community().suggested_answerers(row["id"], limit=room) if room else []
    for person in people:
        person["role_label"] = Role(person["role"]).label if person.get("role") else ""
    return render_template("questions/invite.html", question=row, people=people, form=form,
                           errors=form.problems(), room=room), status


@questions.get("/questions/<question_id>/invite")
@login_required
def invite(question_id: str) -> Any:
    return _invite_page(_own_question(question_id), InviteForm(formdata=None))


@questions.post("/questions/<question_id>/invite")
@login_required
@limiter.limit(POSTING)
def send_invitations(question_id: str) -> Any:
    row = _own_question(question_id)
    form = InviteForm()
    form.validate()
    if form.member_ids.errors:
        return _invite_page(row, form, 400)
    if not form.member_ids.data:
        form.member_ids.errors = ["Tick the people you would like to invite, or skip this step"]
        return _invite_page(row, form, 400)
    try:
        new = community().invite_to_answer(row["id"], by=current_user.member_id,
                                           member_ids=form.member_ids.data)
    except Invalid as error:
        form.beside({"member_ids": next(iter(error.fields.values())).capitalize()})
        return _invite_page(row, form, 400)
    flash(f"We told {len(new)} {'person' if len(new) == 1 else 'people'} about your question.",
          "success")
    return redirect(url_for("questions.thread", question_id=row["id"]))


# --- one thread ---------------------------------------------------------------------------------


def _row(question_id: str) -> dict[str, Any]:
    try:
        UUID(question_id)
    except ValueError:
        abort(404, NOT_FOUND)
    found = views().questions.question(question_id.lower())
    if found is None:
        abort(404, NOT_FOUND)
    return found


def _history(row: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """Earlier versions of the question and of each edited answer, newest first, as
    safe HTML (the log keeps each version's Markdown; hidden posts show none)."""
    if not row["edits"] and not any(a["edits"] for a in row["answers"]):
        return [], {}
    question = community().question(row["id"])
    asked = [{"title": h["title"], "html": render(str(h["body"])), "until": h["until"]}
             for h in reversed(question.history)] if not row["hidden"] else []
    answers = {}
    for a in row["answers"]:
        if a["edits"] and not a["hidden"]:
            answer = community().answer_of(question, a["id"])
            answers[a["id"]] = [{"html": render(str(h["body"])), "until": h["until"]}
                                for h in reversed(answer.history)]
    return asked, answers


def _thread(row: dict[str, Any], answering: AnswerForm | None = None,
            status: int = 200) -> Any:
    answering = answering or AnswerForm(formdata=None)
    people = views().directory.members_by_id(
        [row["asked_by"], *(a["posted_by"] for a in row["answers"])])

    def who(member_id: str) -> dict[str, Any]:
        person = people.get(member_id)
        if person is None:
            return {"name": "A former member", "team": "", "handle": ""}
        return {"name": person["name"], "team": person["team"] or "the organisers",
                "handle": handle_for(person["name"])}

    answers = sorted(row["answers"], key=lambda a: not a["accepted"])  # stable: then by time
    question_history, answer_history = _history(row)
    me, asker = current_user.id, row["asked_by"] == current_user.id
    invited = sorted(views().directory.names(set(row["invited"])).values()) if asker else []
    return render_template(
        "questions/thread.html", question=row, asker=who(row["asked_by"]), is_asker=asker,
        answers=[{**a, "by": who(a["posted_by"]), "mine": a["posted_by"] == me,
                  "history": answer_history.get(a["id"], [])} for a in answers],
        question_history=question_history, following=me in row["follower_ids"],
        invited=invited,
        areas=[KeyArea(a).label for a in row["key_areas"]], form=answering,
        errors=answering.problems(), limits=LIMITS, body_hint=BODY_HINT,
        attached=_about_thread(row)), status


def _about_thread(row: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if row["qip_id"] and (qip := _qip_row(row["qip_id"])):
        found["qip"] = qip
    if row["team_id"]:
        found["team"] = {"id": row["team_id"], "name": views().directory.team_names(
            {row["team_id"]}).get(row["team_id"], "a team")}
    return found


@questions.get("/questions/<question_id>")
@login_required
def thread(question_id: str) -> Any:
    return _thread(_row(question_id))


@questions.post("/questions/<question_id>/answers")
@login_required
@limiter.limit(POSTING)
def answer(question_id: str) -> Any:
    row = _row(question_id)
    form = AnswerForm()
    try:
        answer_id = community().answer_question(row["id"], by=current_user.member_id,
                                                body=form.body.data or "")
    except Invalid as error:
        refusals(form, error)
        return _thread(row, form, 400)
    except Conflict as error:
        flash(f"Not saved: {error.message}.", "error")
        return redirect(url_for("questions.thread", question_id=row["id"]))
    flash("Your answer is posted. Everyone following the question is told.", "success")
    return redirect(url_for("questions.thread", question_id=row["id"]) + f"#answer-{answer_id}")


@questions.post("/questions/<question_id>/answers/<answer_id>/accept")
@login_required
@limiter.limit(POSTING)
def accept(question_id: str, answer_id: str) -> Any:
    row = _own_question(question_id)
    try:
        community().accept_answer(row["id"], _answer(row, answer_id)["id"],
                                  by=current_user.member_id)
    except Conflict as error:
        flash(f"Not saved: {error.message}.", "error")
        return redirect(url_for("questions.thread", question_id=row["id"]))
    flash("You marked this answer as the one that answered your question.", "success")
    return redirect(url_for("questions.thread", question_id=row["id"]) + f"#answer-{answer_id}")


def _answer(row: dict[str, Any], answer_id: str) -> dict[str, Any]:
    for found in row["answers"]:
        if found["id"] == answer_id.lower():
            return dict(found)
    abort(404, "There is no such answer to this question.")


@questions.post("/questions/<question_id>/follow")
@login_required
@limiter.limit(POSTING)
def follow(question_id: str) -> Any:
    row = _row(question_id)
    if FollowForm().follow.data == "no":
        community().unfollow_question(row["id"], by=current_user.member_id)
        flash("You no longer follow this question.", "info")
    else:
        community().follow_question(row["id"], by=current_user.member_id)
        flash("You follow this question: you will be told about new answers.", "success")
    return redirect(url_for("questions.thread", question_id=row["id"]))


# --- editing one's own post ------------------------------------------------------------------


def _edit_page(row: dict[str, Any], form: Any, *, answer_id: str | None = None,
               status: int = 200, conflict: bool = False) -> Any:
    return render_template("questions/edit.html", question=row, form=form,
                           answer_id=answer_id, errors=form.problems(), conflict=conflict,
                           limits=LIMITS, body_hint=BODY_HINT), status


def _saved(run: Any, row: dict[str, Any], form: Any, answer_id: str | None) -> Any:
    """Run an edit; a refusal goes beside its field, a stale form is a 409 that keeps
    what was typed."""
    try:
        changed = run()
    except Invalid as error:
        refusals(form, error)
        return _edit_page(row, form, answer_id=answer_id, status=400)
    except Conflict as error:
        if "changed since" not in error.message:  # hidden meanwhile, say
            flash(f"Not saved: {error.message}.", "error")
            return redirect(url_for("questions.thread", question_id=row["id"]))
        form.form_errors.append(STALE)
        return _edit_page(row, form, answer_id=answer_id, status=409, conflict=True)
    flash("Your changes are saved; the earlier version is kept in the history."
          if changed else "You did not change anything, so there was nothing to save.",
          "success" if changed else "info")
    return redirect(url_for("questions.thread", question_id=row["id"])
                    + (f"#answer-{answer_id}" if answer_id else ""))


@questions.route("/questions/<question_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING, methods=["POST"])
def edit_question(question_id: str) -> Any:
    row = _own_question(question_id)
    if request.method == "GET":
        question = community().question(row["id"])
        form = EditQuestionForm(formdata=None, data={
            "title": question.title, "body": question.body, "key_areas": question.key_areas,
            "tags": ", ".join(question.tags), "version": question.version})
        return _edit_page(row, form)
    form = EditQuestionForm()
    form.validate()
    return _saved(lambda: community().edit_question(
        row["id"], by=current_user.member_id, title=form.title.data or "",
        body=form.body.data or "", key_areas=form.key_area_list(), tags=form.tag_list(),
        version=form.version.data), row, form, None)


@questions.route("/questions/<question_id>/answers/<answer_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING, methods=["POST"])
def edit_answer(question_id: str, answer_id: str) -> Any:
    row = _row(question_id)
    found = _answer(row, answer_id)
    if found["posted_by"] != current_user.id:
        abort(403, "Only the person who answered can edit this answer.")
    if request.method == "GET":
        answer = community().answer_of(community().question(row["id"]), found["id"])
        form = EditAnswerForm(formdata=None, data={"body": answer.body,
                                                   "version": answer.version})
        return _edit_page(row, form, answer_id=found["id"])
    form = EditAnswerForm()
    return _saved(lambda: community().edit_answer(
        row["id"], found["id"], by=current_user.member_id, body=form.body.data or "",
        version=form.version.data), row, form, found["id"])


# --- reporting a post -----------------------------------------------------------------------------


def _report_page(row: dict[str, Any], form: ReportForm, answer_id: str | None,
                 status: int = 200) -> Any:
    post = _answer(row, answer_id) if answer_id else row
    return render_template("questions/report.html", question=row, post=post,
                           answer_id=answer_id, form=form, errors=form.problems(),
                           limits=LIMITS), status


@questions.route("/questions/<question_id>/report", methods=["GET", "POST"])
@questions.route("/questions/<question_id>/answers/<answer_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING, methods=["POST"])
def report(question_id: str, answer_id: str | None = None) -> Any:
    row = _row(question_id)
    answer_id = _answer(row, answer_id)["id"] if answer_id else None
    if request.method == "GET":
        return _report_page(row, ReportForm(formdata=None), answer_id)
    form = ReportForm()
    try:
        community().report_post(row["id"], by=current_user.member_id,
                                reason=form.reason.data or "", answer_id=answer_id)
    except Invalid as error:
        refusals(form, error)
        return _report_page(row, form, answer_id, 400)
    flash("Thank you: the organisers will look at what you reported.", "success")
    return redirect(url_for("questions.thread", question_id=row["id"]))


# --- what a member follows ---------------------------------------------------------------------


def _follows_page(form: FollowsForm, status: int = 200) -> Any:
    form.team_ids.choices = [(t["id"], t["name"]) for t in views().directory.teams()]
    return render_template("questions/follows.html", form=form, errors=form.problems()), status


@questions.route("/questions/follows", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING, methods=["POST"])
def follows() -> Any:
    if request.method == "GET":
        areas, teams = views().notifications.follows_of(current_user.id)
        return _follows_page(FollowsForm(formdata=None, data={
            "key_areas": [KeyArea(a) for a in areas], "team_ids": teams}))
    form = FollowsForm()
    form.validate()
    if form.key_areas.errors:
        form.key_areas.errors = ["Choose key areas from the list"]
        return _follows_page(form, 400)
    try:
        changed = community().choose_follows(
            by=current_user.member_id,
            key_areas=[a for a in form.key_areas.data or [] if a is not None],
            team_ids=list(form.team_ids.data or []))
    except Invalid as error:
        form.beside({"team_ids" if "team" in name else name: f"Teams: {message}"
                     for name, message in error.fields.items()})
        return _follows_page(form, 400)
    flash("Saved: you will be told about new questions in what you follow."
          if changed else "You did not change anything.", "success" if changed else "info")
    return redirect(url_for("questions.listing"))
