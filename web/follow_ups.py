"""Follow-ups: ask for another visit, a facilitator visit, an introduction or a
call; the people asked answer from their inbox (accept with a date, or decline
with a reason); organisers see how quickly requests are answered."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from domain.errors import Conflict, Invalid, NotFound
from domain.values import FollowUpKind, FollowUpStatus
from web.auth import organiser_required
from web.csv_export import csv_response
from web.forms import EnumRadioField, Form, IsoDateField, uuid_or_none
from web.paging import _paged_list
from web.services import community, views

follow_ups = Blueprint("follow_ups", __name__)

WITH_WHOM = [("paired_team", "My paired team (our peer-review partner)"),
             ("organisers", "The organisers (facilitators)"),
             ("member", "A member")]
TABS = {"asked": "Asked of me and my team", "mine": "My requests"}
FIELD_NAMES = {"kind": "What you would like", "reason": "Why",
               "team_id": "With whom", "member_id": "The member",
               "proposed_date": "The proposed date", "message": "The message",
               "answered_on": "The date", "closed_on": "The date"}


def _kinds() -> list[tuple[str, str]]:
    return [(k.value, k.label) for k in FollowUpKind]


def _worded(error: Invalid) -> dict[str, str]:
    return {f: f"{FIELD_NAMES.get(f, f)} {m}" for f, m in error.fields.items()}


class AskForm(Form):
    """Ask for a follow-up: what, with whom, and why."""

    kind = EnumRadioField("What would you like?", FollowUpKind)
    with_whom = RadioField("Who would you like to ask?", choices=[
        SelectChoice(value, text) for value, text in WITH_WHOM],
        invalid_choice_message="Choose with whom you would like it")
    member_id = SelectField("The member, if you ask a member", coerce=uuid_or_none,
                            validate_choice=False)
    reason = TextAreaField("Why would you like it?")


class AcceptForm(Form):
    proposed_date = IsoDateField("Proposed date")
    message = TextAreaField("Message (optional)")


class DeclineForm(Form):
    reason = TextAreaField("Why are you declining?")


# --- asking --------------------------------------------------------------------


@follow_ups.get("/follow-ups/new")
@login_required
def new() -> Any:
    kind = request.args.get("kind", "")
    member_id = uuid_or_none(request.args.get("member_id", ""))
    return _render_new(AskForm(formdata=None, data={
        "kind": FollowUpKind(kind) if kind in {k.value for k in FollowUpKind} else None,
        "with_whom": ("member" if member_id else
                      "paired_team" if current_user.team_id else "organisers"),
        "member_id": member_id}))


MOST_PEOPLE = 50  # a national directory is 3,000 people: far too many for one list


def _people_to_offer(chosen: object) -> list[dict[str, Any]]:
    """Whom the member list offers: the one chosen (from a profile's "Ask for a
    follow-up" link), the people the member has been in contact with, and their paired
    team's members, at most ``MOST_PEOPLE``, by name. Anyone else is asked from their
    profile, so the page never lists the whole directory (issue 13)."""
    me = current_user.id
    wanted: list[str] = [str(chosen)] if chosen else []
    for contact in views().network.contacts_of(me, limit=MOST_PEOPLE):
        wanted.append(contact["to_member_id"] if contact["from_member_id"] == me
                      else contact["from_member_id"])
    partner_id = views().network.latest_partner_of(current_user.team_id)
    if partner_id:
        wanted += [p["id"] for p in views().directory.members(team_id=partner_id,
                                                                limit=MOST_PEOPLE)[0]]
    ids = list(dict.fromkeys(w for w in wanted if w and w != me))[:MOST_PEOPLE]
    found = views().directory.members_by_id(ids)
    return sorted((found[i] for i in ids if i in found), key=lambda p: p["name"])


def _render_new(form: AskForm, status: int = 200) -> Any:
    people = _people_to_offer(form.member_id.data)
    form.member_id.choices = [SelectChoice("", "Choose a member"), *(
        SelectChoice(p["id"], p["name"] + (f" ({p['team']})" if p["team"] else
                                           " (organiser)" if p["is_organiser"] else ""))
        for p in people)]
    partner_id = views().network.latest_partner_of(current_user.team_id)
    partner = views().directory.team_names({partner_id}).get(partner_id) if partner_id else None
    form.with_whom.choices = [  # the paired team by name, when there is one
        SelectChoice(value, f"{text}: {partner}" if value == "paired_team" and partner else text)
        for value, text in WITH_WHOM]
    return render_template("follow_ups/new.html", form=form, errors=form.problems()), status


@follow_ups.post("/follow-ups")
@login_required
def ask() -> Any:
    form = AskForm()
    form.validate_on_submit()
    if form.with_whom.errors or form.with_whom.data is None:
        # Only this is said: the rest depends on whom the request goes to.
        for field in form:
            field.errors = []
        form.with_whom.errors = ["Choose with whom you would like it"]
        return _render_new(form, 400)
    whom = form.with_whom.data
    if form.errors:  # a kind that is not one of those offered
        errors = {name: f"{FIELD_NAMES.get(name, name)} {messages[0]}"
                  for name, messages in form.errors.items() if name in form}
        for field in form:
            field.errors = []
        form.beside(errors)
        return _render_new(form, 400)
    if whom == "member" and form.member_id.data is None:
        form.member_id.errors = ["Choose the member you would like to ask"]
        return _render_new(form, 400)
    try:
        follow_up_id = community().request_follow_up(
            by=current_user.member_id, kind=form.kind.data, reason=form.reason.data or "",
            with_paired_team=whom == "paired_team", to_organisers=whom == "organisers",
            member_id=form.member_id.data if whom == "member" else None)
    except Invalid as error:
        errors = _worded(error)
        if "team_id" in error.fields:  # no paired team, say
            errors.pop("team_id")
            errors["with_whom"] = _sentence(error.fields["team_id"])
        form.beside(errors)
        return _render_new(form, 400)
    flash("Your request is sent. You will see the answer under \u201cMy requests\u201d.",
          "success")
    return redirect(url_for("follow_ups.one", follow_up_id=follow_up_id))


# --- the inbox and one request -----------------------------------------------------


@follow_ups.get("/follow-ups")
@login_required
def inbox() -> Any:
    tab = request.args.get("tab", "asked")
    if tab not in TABS:
        tab = "asked"
    follow_up_views = views().follow_ups
    asked = follow_up_views.asked_of(current_user.id, current_user.team_id,
                                     organiser=current_user.is_organiser)
    mine = follow_up_views.requested_by(current_user.id)
    rows = asked if tab == "asked" else mine
    # A page at a time (issue 13: no page renders an unbounded list).
    shown, pagination = _paged_list(rows, {"tab": tab})
    return render_template("follow_ups/inbox.html", tab=tab, tabs=TABS, rows=_named(shown),
                           counts={"asked": sum(1 for r in asked if _waiting(r)),
                                   "mine": len(mine)}, pagination=pagination)


def _waiting(row: dict[str, Any]) -> bool:
    return row["answer_count"] == 0 and row["status"] == FollowUpStatus.REQUESTED.value


def _named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each request with its kind, status and the people and teams named in words."""
    people = views().directory.names({r["requested_by"] for r in rows}
                                     | {r["member_id"] for r in rows if r["member_id"]}
                                     | {r["about_member_id"] for r in rows if r["about_member_id"]}
                                     | {r["answered_by"] for r in rows if r["answered_by"]})
    teams = views().directory.team_names({r["team_id"] for r in rows if r["team_id"]})
    shown = []
    for row in rows:
        asked = ("The organisers" if row["to_organisers"] else
                 teams.get(row["team_id"]) if row["team_id"] else
                 people.get(row["member_id"], "A former member"))
        shown.append({**row, "kind_label": FollowUpKind(row["kind"]).label,
                      "status_label": FollowUpStatus(row["status"]).label,
                      "requester": people.get(row["requested_by"], "A former member"),
                      "asked": asked or "A team",
                      "about": people.get(row["about_member_id"]),
                      "answerer": people.get(row["answered_by"])})
    return shown


def _row(follow_up_id: str) -> dict[str, Any]:
    row = views().follow_ups.one(follow_up_id.lower())
    if row is None:
        abort(404, "There is no such follow-up.")
    return row


@follow_ups.get("/follow-ups/<follow_up_id>")
@login_required
def one(follow_up_id: str) -> Any:
    return _render_one(_row(follow_up_id), AcceptForm(formdata=None),
                       DeclineForm(formdata=None))


def _render_one(row: dict[str, Any], accepting: AcceptForm, declining: DeclineForm,
                status: int = 200) -> Any:
    try:
        follow_up = community().follow_up(row["id"])
    except NotFound:
        abort(404, "There is no such follow-up.")
    me = community().member(current_user.member_id)
    may_answer = community().can_answer(follow_up, me)
    is_requester = follow_up.requested_by == me.id
    if not (may_answer or is_requester):
        abort(403, "Only the requester and the people asked can see this follow-up.")
    answers = []
    names = views().directory.names({str(a["by"]) for a in follow_up.answers})
    for answer in follow_up.answers:
        answers.append({**answer, "name": names.get(str(answer["by"]), "A former member")})
    return render_template(
        "follow_ups/one.html", row=_named([row])[0], answers=answers, accepting=accepting,
        declining=declining, errors={**accepting.problems(), **declining.problems()},
        over=follow_up.is_over, may_answer=may_answer and not follow_up.is_over,
        may_close=follow_up.status is not FollowUpStatus.CLOSED), status


@follow_ups.post("/follow-ups/<follow_up_id>/accept")
@login_required
def accept(follow_up_id: str) -> Any:
    row = _row(follow_up_id)
    form = AcceptForm()
    return _answer(row, form, DeclineForm(formdata=None), lambda: community().accept_follow_up(
        row["id"], by=current_user.member_id, proposed_date=form.proposed_date.data,
        message=form.message.data or ""), "You accepted the request; the requester can see "
        "the date you proposed.")


@follow_ups.post("/follow-ups/<follow_up_id>/decline")
@login_required
def decline(follow_up_id: str) -> Any:
    row = _row(follow_up_id)
    form = DeclineForm()
    return _answer(row, AcceptForm(formdata=None), form, lambda: community().decline_follow_up(
        row["id"], by=current_user.member_id, reason=form.reason.data or ""),
        "You declined the request; the requester can see your reason.")


@follow_ups.post("/follow-ups/<follow_up_id>/close")
@login_required
def close(follow_up_id: str) -> Any:
    row = _row(follow_up_id)
    return _answer(row, AcceptForm(formdata=None), DeclineForm(formdata=None),
                   lambda: community().close_follow_up(row["id"], by=current_user.member_id),
                   "The follow-up is closed.")


def _answer(row: dict[str, Any], accepting: AcceptForm, declining: DeclineForm,
            command: Any, done: str) -> Any:
    """Run the answer; the form posted is the one whose fields get the messages."""
    try:
        command()
    except Invalid as error:
        errors = _worded(error)
        if "reason" in errors:
            errors["reason"] = "Give a reason for declining" if "required" in errors["reason"] \
                else errors["reason"].replace("Why", "The reason")
        (declining if "reason" in errors else accepting).beside(errors)
        return _render_one(row, accepting, declining, 400)
    except Conflict as error:
        flash(f"Not saved: {error.message}.", "error")
        return redirect(url_for("follow_ups.one", follow_up_id=row["id"]))
    flash(done, "success")
    return redirect(url_for("follow_ups.one", follow_up_id=row["id"]))


# --- organisers: how quickly requests are answered ------------------------------


def _kind_filter() -> str | None:
    kind = request.args.get("kind", "")
    return kind if kind in {k.value for k in FollowUpKind} else None


@follow_ups.get("/organise/follow-ups")
@organiser_required
def responses() -> Any:
    kind = _kind_filter()
    report = views().follow_ups.response_times(community().today(), kind)
    report["answered"] = _named(report["answered"])
    report["unanswered"] = _named(report["unanswered"])
    return render_template("follow_ups/responses.html", report=report, kind=kind,
                           kinds=_kinds(),
                           csv_url=url_for("follow_ups.responses_csv", kind=kind))


@follow_ups.get("/organise/follow-ups.csv")
@organiser_required
def responses_csv() -> Any:
    kind = _kind_filter()
    report = views().follow_ups.response_times(community().today(), kind)
    rows = sorted(_named(report["answered"]) + _named(report["unanswered"]),
                  key=lambda r: (r["requested_on"], r["id"]))
    return csv_response(
        f"follow-ups-{community().today().isoformat()}.csv",
        ["id", "kind", "requested_by", "asked", "requested_on", "status", "first_response_on",
         "days_to_first_response", "days_waiting"],
        ([r["id"], r["kind"], r["requester"], r["asked"], r["requested_on"].isoformat(),
          r["status"], r["first_answered_on"].isoformat() if r["first_answered_on"] else "",
          r.get("days_to_first_response", ""), r.get("age_days", "")] for r in rows))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]

