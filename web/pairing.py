"""The organisers' "Pair teams" page: peer-review pairs proposed for a round, with
the weights and limits as a form, each pair with its reasons and figures, the
teams left out and why; then the pairs accepted as they are, swapped, or chosen
by hand, all recorded at once, after a confirmation step that says what will happen.

Settings travel as query parameters (a proposal is a question, not a change),
and again as hidden fields of the accept form, so a refused form comes back
beside the same proposal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from community.pairing import RoundProposal
from domain.errors import Conflict, Invalid
from domain.pairing_proposals import Limits, Weights
from projections.pairing_history import pairings_by_round
from web.auth import organiser_required
from web.services import community, views

pairing = Blueprint("pairing", __name__)

LIMITS = ("min_distance_km", "max_caseload_ratio", "max_standing_gap", "repeats")
WEIGHTS = ("contrast", "standing", "caseload", "distance")
LABELS = {
    "round": "Round", "indicators": "Indicators",
    "min_distance_km": "Minimum distance apart", "max_caseload_ratio": "Largest caseload ratio",
    "max_standing_gap": "Largest gap in overall standing", "repeats": "Pairs from earlier rounds",
    "contrast": "Contrast weight", "standing": "Standing weight", "caseload": "Caseload weight",
    "distance": "Distance weight",
}
MAX_ROWS = 1000
ROW = re.compile(r"(first|second)-([0-9]{1,4})")


def settings_from(args: MultiDict[str, str]) -> dict[str, Any]:
    """What the settings form (or the accept form's hidden copy) says, as typed."""
    values: dict[str, Any] = {name: args.get(name, "").strip() for name in
                              ("round", *LIMITS, *WEIGHTS)}
    values["indicators"] = [k for k in args.getlist("indicators") if k]
    return values


def proposal_for(values: Mapping[str, Any]) -> RoundProposal:
    """The proposal these settings ask for; every bad setting named at once."""
    problems: dict[str, str] = {}
    limits, weights = Limits(), Weights()
    try:
        limits = Limits.checked(values)
    except Invalid as error:
        problems.update(error.fields)
    try:
        weights = Weights.checked(values)
    except Invalid as error:
        problems.update(error.fields)
    try:
        found = community().propose_pairing(by=current_user.member_id, limits=limits,
                                            weights=weights, round=values["round"],
                                            indicators=values["indicators"])
    except Invalid as error:
        problems.update(error.fields)
    if problems:
        raise Invalid(problems)
    return found


@pairing.get("/organise/pairing")
@organiser_required
def propose() -> Any:
    values = settings_from(request.args)
    try:
        found = proposal_for(values)
    except Invalid as error:
        return _render(values, None, [], _setting_messages(error.fields), 400)
    rows = [{"first": p.first.id, "second": p.second.id} for p in found.proposal.pairs]
    return _render(values, found, _with_spare_rows(rows, found), {})


@pairing.post("/organise/pairing/check")
@organiser_required
def confirm() -> Any:
    """Before anything is recorded: the pairs in words, what recording does, and
    "Record these pairs" or "Go back". A refused pair is named here already."""
    values = settings_from(request.form)
    rows = _rows_from(request.form)
    chosen, refused = _tried(community().check_pairings, values, rows, "Nothing can be recorded")
    if refused is not None:
        return refused
    return render_template("pairing/confirm.html", values=values, rows=rows,
                           round=int(float(values["round"] or 1)),
                           pairs=[(a.name, b.name) for a, b in chosen])


@pairing.get("/organise/pairing/round/<int:number>")
@organiser_required
def round_recorded(number: int) -> Any:
    """A round's recorded pairs: where accepting lands, with no form left to resend."""
    names = dict(views().directory.team_options())
    pairs = sorted(tuple(sorted((names.get(team, "A team no longer listed"), team)
                                for team in (a, b)))
                   for r, a, b in pairings_by_round(views().network) if r == number)
    return render_template("pairing/recorded.html", round=number, pairs=pairs)


@pairing.post("/organise/pairing")
@organiser_required
def accept() -> Any:
    values = settings_from(request.form)
    rows = _rows_from(request.form)
    if "back" in request.form:  # "Go back" on the confirmation: the rows as they were
        return _again(values, rows, {}, 200)
    recorded, refused = _tried(community().accept_pairings, values, rows, "Nothing was recorded")
    if refused is not None:
        return refused
    round_number = int(float(values["round"] or 1))
    flash(f"{len(recorded)} pair{'s' if len(recorded) != 1 else ''} recorded for round "
          f"{round_number}. Each team's page now shows its partner.", "success")
    return redirect(url_for("pairing.round_recorded", number=round_number))


def _tried(command: Any, values: Mapping[str, Any], rows: list[dict[str, str]],
           refused: str) -> tuple[Any, Any]:
    """``command`` (checking or recording) on the posted pairs: (its answer, None), or
    (None, the proposal page again with every problem named)."""
    pairs, numbers, problems = _pairs_from(rows)
    status = 400
    if not problems:
        try:
            return command(by=current_user.member_id, pairs=pairs,
                           round=values["round"] or 1), None
        except Invalid as error:
            problems = _pair_messages(error.fields, numbers)
        except Conflict as error:
            problems, status = {"": f"{refused}: {error.message}"}, 409
    return None, _again(values, rows, problems, status)


def _again(values: Mapping[str, Any], rows: list[dict[str, str]], problems: dict[str, str],
           status: int) -> Any:
    """The proposal page again, with the pair rows as the organiser left them."""
    try:
        found = proposal_for(values)
    except Invalid:
        found = None
    return _render(values, found, rows, problems, status)


def _render(values: Mapping[str, Any], found: RoundProposal | None, rows: list[dict[str, str]],
            errors: dict[str, str], status: int = 200) -> Any:
    indicators = views().directory.indicators()
    chosen = ([i.key for i in found.indicators] if found is not None
              else values["indicators"])
    defaults = {**{name: getattr(Limits(), name) for name in LIMITS[:3]},
                **{name: getattr(Weights(), name) for name in WEIGHTS}}
    shown = {**{k: f"{v:g}" for k, v in defaults.items()}, "repeats": "avoid",
             **{k: v for k, v in values.items() if v not in ("", [])}}
    if found is not None:
        shown["round"] = found.round
    rows = [{**row, "n": n} for n, row in enumerate(rows, start=1)]
    return render_template(
        "pairing/propose.html", values=shown, found=found, rows=rows, errors=errors,
        indicators=[(i["key"], i["name"]) for i in indicators], chosen=chosen,
        teams=views().directory.team_options()), status


def _with_spare_rows(rows: list[dict[str, str]], found: RoundProposal) -> list[dict[str, str]]:
    """Room to pair by hand the teams left out (and one more)."""
    spare = len(found.proposal.unpaired) // 2 + 1
    return rows + [{"first": "", "second": ""} for _ in range(spare)]


def _rows_from(form: MultiDict[str, str]) -> list[dict[str, str]]:
    """The pair rows of the accept form, in order, as typed."""
    numbers = sorted({int(m.group(2)) for key in form if (m := ROW.fullmatch(key))
                      and 1 <= int(m.group(2)) <= MAX_ROWS})
    return [{"first": form.get(f"first-{n}", "").strip(),
             "second": form.get(f"second-{n}", "").strip()} for n in numbers]


def _pairs_from(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[int], dict[str, str]]:
    """The pairs to record, the row number of each, and the rows half filled in."""
    pairs, numbers, problems = [], [], {}
    for n, row in enumerate(rows, start=1):
        if not row["first"] and not row["second"]:
            continue
        for side, other in (("first", "second"), ("second", "first")):
            if not row[side]:
                problems[f"{side}-{n}"] = (f"Pair {n}: choose the {side} team too, or clear "
                                           f"the {other} to leave the pair out")
        pairs.append({"first_team_id": row["first"], "second_team_id": row["second"]})
        numbers.append(n)
    if not pairs and not problems:
        problems["first-1"] = "Choose at least one pair of teams to record"
    return pairs, numbers, problems


def _pair_messages(fields: Mapping[str, str], numbers: list[int]) -> dict[str, str]:
    """``pairs[2].second_team_id`` → the select of the row it came from, in words."""
    found = {}
    for field, message in fields.items():
        if m := re.fullmatch(r"pairs\[([0-9]+)\]\.(first|second)_team_id", field):
            n = numbers[int(m.group(1))]
            words = "choose a team from the list" if message.startswith("no such") else message
            found[f"{m.group(2)}-{n}"] = f"Pair {n}: {words}"
        else:
            found[field if field in LABELS else ""] = _setting_message(field, message)
    return found


def _setting_messages(fields: Mapping[str, str]) -> dict[str, str]:
    order = [*LABELS]
    ordered = sorted(fields.items(), key=lambda f: order.index(f[0]) if f[0] in order else 99)
    return {(f if f in LABELS else ""): _setting_message(f, m) for f, m in ordered}


def _setting_message(field: str, message: str) -> str:
    if field == "indicators":
        return "Choose the indicators to compare from the list"
    return f"{LABELS.get(field, field.replace('_', ' ').capitalize())} {message}"
