"""Peer-review visits: my team's visits, recording one, the visitors' feedback,
and "Turn into draft QIPs" for the host team."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from domain.errors import Conflict, Invalid
from domain.values import KeyArea
from domain.visit import guess_key_area
from web.services import community, views

visits = Blueprint("visits", __name__)

FIELD_NAMES = {"host_team_id": "The host team", "visiting_team_id": "The visiting team",
               "visited_on": "The date of the visit", "attendee_ids": "Who came",
               "areas_for_improvement": "Areas for improvement", "strengths": "What the host does well",
               "data_discussed": "The data discussed", "areas": "Areas", "pairing_id": "The pairing"}


def _worded(error: Invalid) -> dict[str, str]:
    return {f: f"{FIELD_NAMES.get(f.split('[')[0], f)} {m}" for f, m in error.fields.items()}


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


@visits.get("/visits")
@login_required
def listing() -> Any:
    rows = views().visits.for_team(current_user.team_id, everything=current_user.is_organiser)
    names = views().directory.team_names({r["host_team_id"] for r in rows}
                                         | {r["visiting_team_id"] for r in rows})
    return render_template("visits/listing.html", rows=rows, names=names)


@visits.get("/visits/new")
@login_required
def new() -> Any:
    values = {"host_team_id": request.args.get("host_team_id", current_user.team_id or ""),
              "visiting_team_id": request.args.get(
                  "visiting_team_id", views().network.latest_partner_of(current_user.team_id) or ""),
              "visited_on": "", "attendee_ids": []}
    return _render_new(values, {})


def _render_new(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Any:
    people = []
    for team_id in (values["host_team_id"], values["visiting_team_id"]):
        if team_id:
            found, _ = views().directory.members(team_id=team_id, limit=200)
            people.extend(found)
    return render_template("visits/new.html", values=values, errors=errors, people=people,
                           teams=views().directory.team_options()), status


@visits.post("/visits")
@login_required
def record() -> Any:
    values = {k: request.form.get(k, "") for k in ("host_team_id", "visiting_team_id",
                                                   "visited_on")}
    values["attendee_ids"] = request.form.getlist("attendee_ids")
    if request.form.get("choose_teams"):  # the teams changed: show their members to tick
        return _render_new(values, {})
    # A team left at "Choose a team": said here, as the domain knows only ids ("no such team").
    unchosen = {field: f"Choose the {words}" for field, words in (
        ("host_team_id", "host team"), ("visiting_team_id", "visiting team")) if not values[field]}
    if unchosen:
        return _render_new(values, unchosen, 400)
    try:
        visit_id = community().record_visit(
            by=current_user.member_id, host_team_id=values["host_team_id"] or None,
            visiting_team_id=values["visiting_team_id"] or None,
            visited_on=values["visited_on"], attendee_ids=values["attendee_ids"])
    except Invalid as error:
        return _render_new(values, _worded(error), 400)
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
    return _render_one(_row(visit_id), None, {})


def _render_one(row: dict[str, Any], values: dict[str, str] | None, errors: dict[str, str],
                status: int = 200) -> Any:
    mine = current_user.team_id
    teams = views().directory.team_names({row["host_team_id"], row["visiting_team_id"]})
    if values is None:
        values = {"areas_for_improvement": "\n".join(a["text"] for a in row["areas_for_improvement"]),
                  "strengths": "\n".join(row["strengths"]), "data_discussed": row["data_discussed"]}
    areas = [{**a, "key_area": guess_key_area(a["text"]).value}
             for a in row["areas_for_improvement"]]
    return render_template(
        "visits/one.html", visit=row, teams=teams, values=values, errors=errors, areas=areas,
        attendees=views().directory.names(set(row["attendee_ids"])),
        may_give_feedback=(current_user.is_organiser or mine == row["visiting_team_id"])
        and not any(a["qip_id"] for a in areas),
        may_draft=mine == row["host_team_id"],
        key_areas=[(k.value, k.label) for k in KeyArea]), status


@visits.post("/visits/<visit_id>/feedback")
@login_required
def feedback(visit_id: str) -> Any:
    row = _row(visit_id)
    values = {k: request.form.get(k, "") for k in ("areas_for_improvement", "strengths",
                                                   "data_discussed")}
    try:
        community().give_visit_feedback(
            row["id"], by=current_user.member_id,
            areas_for_improvement=_lines(values["areas_for_improvement"]),
            strengths=_lines(values["strengths"]), data_discussed=values["data_discussed"])
    except Invalid as error:
        return _render_one(row, values, _worded(error), 400)
    except Conflict as error:
        flash(f"The feedback was not saved: {error.message}.", "error")
        return redirect(url_for("visits.one", visit_id=row["id"]))
    flash("Your feedback is saved; the host team can turn it into draft QIPs.", "success")
    return redirect(url_for("visits.one", visit_id=row["id"]))


@visits.post("/visits/<visit_id>/qips")
@login_required
def draft_qips(visit_id: str) -> Any:
    row = _row(visit_id)
    try:
        chosen = [int(a) for a in request.form.getlist("areas")]
    except ValueError:
        chosen = []
    key_areas = {a: request.form.get(f"key_area-{a}") for a in chosen}
    try:
        drafted = community().draft_qips_from_visit(row["id"], by=current_user.member_id,
                                                    areas=chosen, key_areas=key_areas)
    except Invalid as error:
        return _render_one(row, None, {"areas": "Choose at least one area for improvement"
                                       if not chosen else _worded(error).get("areas", "")}, 400)
    except Conflict as error:
        flash(f"No QIPs were drafted: {error.message}.", "error")
        return redirect(url_for("visits.one", visit_id=row["id"]))
    plural = "s" if len(drafted) != 1 else ""
    flash(f"{len(drafted)} draft QIP{plural} made for your team from this visit's feedback.",
          "success")
    return redirect(url_for("visits.one", visit_id=row["id"]))

