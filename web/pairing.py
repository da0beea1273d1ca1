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
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import Field, HiddenField, SelectMultipleField, StringField

from community.pairing import RoundProposal
from domain.errors import Conflict, Invalid
from domain.pairing_proposals import Limits, Weights
from projections.pairing_history import pairings_by_round
from web.auth import organiser_required
from web.forms import Form, uuid_or_none
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
Row = dict[str, UUID | None]


def _trimmed(value: object) -> str:
    """A setting as text, without the spaces around it (a round shown is a number)."""
    return "" if value is None else str(value).strip()


class SettingsForm(Form):
    """The proposal's settings as typed. The domain reads the limits and weights from
    text (``Limits.checked``, ``Weights.checked``), naming every bad one at once, so
    they stay text here; the accept form carries them again as hidden fields."""

    round = StringField("Round", filters=[_trimmed])
    min_distance_km = StringField(LABELS["min_distance_km"], filters=[_trimmed])
    max_caseload_ratio = StringField(LABELS["max_caseload_ratio"], filters=[_trimmed])
    max_standing_gap = StringField(LABELS["max_standing_gap"], filters=[_trimmed])
    repeats = StringField(LABELS["repeats"], filters=[_trimmed])
    contrast = StringField(LABELS["contrast"], filters=[_trimmed])
    standing = StringField(LABELS["standing"], filters=[_trimmed])
    caseload = StringField(LABELS["caseload"], filters=[_trimmed])
    distance = StringField(LABELS["distance"], filters=[_trimmed])
    indicators = SelectMultipleField(LABELS["indicators"], validate_choice=False)

    def values(self) -> dict[str, Any]:
        """The settings as the domain reads them: text, and a list of indicator keys."""
        values: dict[str, Any] = {name: self[name].data or "" for name in
                                  ("round", *LIMITS, *WEIGHTS)}
        values["indicators"] = [k for k in self.indicators.data or [] if k]
        return values


class PairRowsField(Field):
    """The pair rows of the accept form, posted as first-<n> and second-<n> (n from 1,
    in order): each a team's id, or None for "No team" (or anything that is not an id)."""

    data: list[dict[str, UUID | None]]

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[Any] = []
        self.data = []
        if formdata is None:
            return
        numbers = sorted({int(m.group(2)) for key in formdata if (m := ROW.fullmatch(key))
                          and 1 <= int(m.group(2)) <= MAX_ROWS})
        self.data = [{side: uuid_or_none(formdata.get(f"{side}-{n}", ""))
                      for side in ("first", "second")} for n in numbers]


class PairsForm(SettingsForm):
    """The pairs to check, then record (or "Go back" to change them), with the settings
    of the proposal they came from."""

    rows = PairRowsField()
    back = HiddenField()  # the confirmation's "Go back" button


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
    values = SettingsForm(formdata=request.args).values()
    try:
        found = proposal_for(values)
    except Invalid as error:
        return _render(values, None, [], _setting_messages(error.fields), 400)
    rows: list[Row] = [{"first": uuid_or_none(p.first.id), "second": uuid_or_none(p.second.id)}
                       for p in found.proposal.pairs]
    return _render(values, found, _with_spare_rows(rows, found), {})


@pairing.post("/organise/pairing/check")
@organiser_required
def confirm() -> Any:
    """Before anything is recorded: the pairs in words, what recording does, and
    "Record these pairs" or "Go back". A refused pair is named here already."""
    form = PairsForm()
    values, rows = form.values(), form.rows.data
    chosen, refused = _tried(community().check_pairings, values, rows, "Nothing can be recorded")
    if refused is not None:
        return refused
    return render_template("pairing/confirm.html", settings=form, rows=_shown(rows),
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
    form = PairsForm()
    values, rows = form.values(), form.rows.data
    if form.back.raw_data:  # "Go back" on the confirmation: the rows as they were
        return _again(values, rows, {}, 200)
    recorded, refused = _tried(community().accept_pairings, values, rows, "Nothing was recorded")
    if refused is not None:
        return refused
    round_number = int(float(values["round"] or 1))
    flash(f"{len(recorded)} pair{'s' if len(recorded) != 1 else ''} recorded for round "
          f"{round_number}. Each team's page now shows its partner.", "success")
    return redirect(url_for("pairing.round_recorded", number=round_number))


def _tried(command: Any, values: Mapping[str, Any], rows: list[Row],
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


def _again(values: Mapping[str, Any], rows: list[Row], problems: dict[str, str],
           status: int) -> Any:
    """The proposal page again, with the pair rows as the organiser left them."""
    try:
        found = proposal_for(values)
    except Invalid:
        found = None
    return _render(values, found, rows, problems, status)


def _render(values: Mapping[str, Any], found: RoundProposal | None, rows: list[Row],
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
    settings = SettingsForm(formdata=None, data={**shown, "indicators": chosen})
    shown_rows = [{**row, "n": n} for n, row in enumerate(_shown(rows), start=1)]
    return render_template(
        "pairing/propose.html", settings=settings, found=found, rows=shown_rows, errors=errors,
        indicators=[(i["key"], i["name"]) for i in indicators], chosen=chosen,
        teams=views().directory.team_options()), status


def _with_spare_rows(rows: list[Row], found: RoundProposal) -> list[Row]:
    """Room to pair by hand the teams left out (and one more)."""
    spare = len(found.proposal.unpaired) // 2 + 1
    return rows + [{"first": None, "second": None} for _ in range(spare)]


def _shown(rows: list[Row]) -> list[dict[str, str]]:
    """The rows as the page's selects and hidden fields show them: "" for no team."""
    return [{side: str(team) if team else "" for side, team in row.items()} for row in rows]


def _pairs_from(rows: list[Row]) -> tuple[list[dict[str, UUID | None]], list[int], dict[str, str]]:
    """The pairs to record, the row number of each, and the rows half filled in."""
    pairs: list[dict[str, UUID | None]] = []
    numbers: list[int] = []
    problems: dict[str, str] = {}
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
