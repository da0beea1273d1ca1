"""Peer-review visits: my team's visits, recording one, the visitors' feedback,
and "Turn into draft QIPs" for the host team."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import FieldList, HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice

from domain.errors import Conflict, Invalid
from domain.values import KeyArea
from domain.visit import guess_key_area
from web.forms import Form, IsoDateField, VersionField, uuid_or_none
from web.paging import _paged, _pagination
from web.services import community, views

visits = Blueprint("visits", __name__)

FIELD_NAMES = {"host_team_id": "The host team", "visiting_team_id": "The visiting team",
               "visited_on": "The date of the visit", "attendee_ids": "Who came",
               "areas_for_improvement": "Areas for improvement", "strengths": "What the host does well",
               "data_discussed": "The data discussed", "areas": "Areas", "pairing_id": "The pairing"}


def _worded(error: Invalid) -> dict[str, str]:
    """Each problem in words, under its form field's name: a problem with one line of a
    box ("areas_for_improvement[2]") goes beside that box (the first such one)."""
    worded: dict[str, str] = {}
    for f, m in error.fields.items():
        worded.setdefault(f.split("[")[0], f"{FIELD_NAMES.get(f.split('[')[0], f)} {m}")
    return worded


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


@visits.get("/visits")
@login_required
def listing() -> Any:
    rows, total, page = _paged(lambda **p: views().visits.page_for_team(
        current_user.team_id, everything=current_user.is_organiser, **p))
    names = views().directory.team_names({r["host_team_id"] for r in rows}
                                         | {r["visiting_team_id"] for r in rows})
    return render_template("visits/listing.html", rows=rows, names=names,
                           pagination=_pagination(total, page, len(rows), {}))


class VisitForm(Form):
    """Record a visit: the two teams, the day, and who came (members of the two teams)."""

    host_team_id = SelectField("Host team", coerce=uuid_or_none, validate_choice=False)
    visiting_team_id = SelectField("Visiting team", coerce=uuid_or_none, validate_choice=False)
    visited_on = IsoDateField("Date of the visit")
    attendee_ids = SelectMultipleField("Who came?", coerce=uuid_or_none, validate_choice=False)
    choose_teams = HiddenField()  # the "Show who could come" button


class FeedbackForm(Form):
    """The visitors' feedback; areas and strengths one a line."""

    areas_for_improvement = TextAreaField("Areas for improvement")
    strengths = TextAreaField("What the host does well")
    data_discussed = TextAreaField("Data discussed")
    version = VersionField()  # the visit's, when the page was opened


SAVED_MEANWHILE = ("Someone else saved this visit's feedback after you opened the page. "
                   "Their feedback is shown above; what you typed is below. Save again to "
                   "replace theirs with it.")


class DraftForm(Form):
    """The areas chosen to become draft QIPs, each with the key area guessed for it
    (posted as key_area-<area's position>, WTForms' own naming for a list)."""

    areas = SelectMultipleField("Turn into draft QIPs", coerce=int, validate_choice=False)
    key_area = FieldList(HiddenField())


@visits.get("/visits/new")
@login_required
def new() -> Any:
    return _render_new(VisitForm(formdata=None, data={
        "host_team_id": uuid_or_none(request.args.get("host_team_id", current_user.team_id)),
        "visiting_team_id": uuid_or_none(request.args.get(
            "visiting_team_id", views().network.latest_partner_of(current_user.team_id)))}))


def _render_new(form: VisitForm, status: int = 200) -> Any:
    teams = [SelectChoice("", "Choose a team"), *(
        SelectChoice(value, text) for value, text in views().directory.team_options())]
    form.host_team_id.choices = form.visiting_team_id.choices = teams
    people = []
    for team_id in (form.host_team_id.data, form.visiting_team_id.data):
        if team_id:
            found, _ = views().directory.members(team_id=str(team_id), limit=200)
            people.extend(found)
    form.attendee_ids.choices = [SelectChoice(p["id"], f"{p['name']} ({p['team']})")
                                 for p in people]
    return render_template("visits/new.html", form=form, errors=form.problems(),
                           people=people), status


@visits.post("/visits")
@login_required
def record() -> Any:
    form = VisitForm()
    if form.choose_teams.data:  # the teams changed: show their members to tick
        return _render_new(form)
    # A team left at "Choose a team": said here, as the domain knows only ids ("no such team").
    form.beside({field: f"Choose the {words}" for field, words in (
        ("host_team_id", "host team"), ("visiting_team_id", "visiting team"))
        if form[field].data is None})
    if form.host_team_id.errors or form.visiting_team_id.errors:
        return _render_new(form, 400)
    try:
        visit_id = community().record_visit(
            by=current_user.member_id, host_team_id=form.host_team_id.data,
            visiting_team_id=form.visiting_team_id.data, visited_on=form.visited_on.data,
            attendee_ids=list(form.attendee_ids.data or []))
    except Invalid as error:
        form.beside(_worded(error))
        return _render_new(form, 400)
    flash("The visit is recorded. The visiting team can now give its feedback.", "success")
    return redirect(url_for("visits.one", visit_id=visit_id))


def _row(visit_id: str) -> dict[str, Any]:
    row = views().visits.one(visit_id.lower())
    # Feedback on a team's weak points is for the two teams and the organisers.
    if row is None or not (current_user.is_organiser or current_user.team_id in (
            row["host_team_id"], row["visiting_team_id"])):
        abort(404, "There is no such visit, or it is between two other teams.")
    return row


@visits.get("/visits/<visit_id>")
@login_required
def one(visit_id: str) -> Any:
    return _render_one(_row(visit_id), None, DraftForm(formdata=None))


def _render_one(row: dict[str, Any], giving: FeedbackForm | None, drafting: DraftForm,
                status: int = 200) -> Any:
    mine = current_user.team_id
    teams = views().directory.team_names({row["host_team_id"], row["visiting_team_id"]})
    if giving is None:
        giving = FeedbackForm(formdata=None, data={
            "areas_for_improvement": "\n".join(a["text"] for a in row["areas_for_improvement"]),
            "strengths": "\n".join(row["strengths"]), "data_discussed": row["data_discussed"],
            "version": row["version"]})
    areas = [{**a, "key_area": guess_key_area(a["text"]).value}
             for a in row["areas_for_improvement"]]
    return render_template(
        "visits/one.html", visit=row, teams=teams, giving=giving, drafting=drafting,
        errors={**giving.problems(), **drafting.problems()}, areas=areas,
        attendees=views().directory.names(set(row["attendee_ids"])),
        may_give_feedback=(current_user.is_organiser or mine == row["visiting_team_id"])
        and not any(a["qip_id"] for a in areas),
        may_draft=mine == row["host_team_id"]), status


@visits.post("/visits/<visit_id>/feedback")
@login_required
def feedback(visit_id: str) -> Any:
    row = _row(visit_id)
    form = FeedbackForm()
    try:
        community().give_visit_feedback(
            row["id"], by=current_user.member_id,
            areas_for_improvement=_lines(form.areas_for_improvement.data or ""),
            strengths=_lines(form.strengths.data or ""),
            data_discussed=form.data_discussed.data or "", version=form.version.data)
    except Invalid as error:
        form.beside(_worded(error))
        return _render_one(row, form, DraftForm(formdata=None), 400)
    except Conflict as error:
        now = _row(visit_id)
        if form.version.data is not None and form.version.data != now["version"]:
            # Issue 13: two people saving at once; the second once overwrote the first.
            # Show theirs as saved and keep what was typed, with the new version, so
            # saving again is a choice made knowingly.
            form.version.data = now["version"]
            flash(SAVED_MEANWHILE, "error")
            return _render_one(now, form, DraftForm(formdata=None), 409)
        flash(f"The feedback was not saved: {error.message}.", "error")
        return redirect(url_for("visits.one", visit_id=row["id"]))
    flash("Your feedback is saved; the host team can turn it into draft QIPs.", "success")
    return redirect(url_for("visits.one", visit_id=row["id"]))


@visits.post("/visits/<visit_id>/qips")
@login_required
def draft_qips(visit_id: str) -> Any:
    row = _row(visit_id)
    form = DraftForm()
    chosen = [] if form.areas.process_errors else list(form.areas.data or [])
    # Each area's key area, by the area's position (the number in its name).
    key_areas = {int(entry.name.rsplit("-", 1)[1]): _key_area(entry.data)
                 for entry in form.key_area}
    try:
        drafted = community().draft_qips_from_visit(
            row["id"], by=current_user.member_id, areas=chosen,
            key_areas={area: key_areas.get(area) for area in chosen})
    except Invalid as error:
        form.areas.errors = ["Choose at least one area for improvement" if not chosen
                             else _worded(error).get("areas", "")]
        return _render_one(row, None, form, 400)
    except Conflict as error:
        flash(f"No QIPs were drafted: {error.message}.", "error")
        return redirect(url_for("visits.one", visit_id=row["id"]))
    plural = "s" if len(drafted) != 1 else ""
    flash(f"{len(drafted)} draft QIP{plural} made for your team from this visit's feedback.",
          "success")
    return redirect(url_for("visits.one", visit_id=row["id"]))


def _key_area(value: object) -> KeyArea | None:
    """The key area posted with an area, or None (the draft then guesses it)."""
    try:
        return KeyArea(value)
    except ValueError:
        return None
