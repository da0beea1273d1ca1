"""Peer-review pairing (organisers only): pairs proposed for a round, each with
its reasons and figures, the teams left out and why; and recording the pairs
accepted, all of them or none."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import jsonify, request
from flask_login import current_user

from community.pairing import RoundProposal
from domain.errors import Invalid
from domain.pairing import Pairing
from domain.pairing_proposals import Limits, ProposedPair, Weights
from web.api import api
from web.api.openapi import (
    BOOL,
    DATE,
    DAY,
    ID,
    INT,
    NUM,
    STR,
    answer,
    document,
    errors,
    obj,
    op,
    query,
    ref,
    request_schema,
)
from web.api.requests import json_body, require_organiser
from web.services import community

NUMBERS = {"min_distance_km": (0, 1000, "no pair closer than this, in km"),
           "max_caseload_ratio": (1, 100, "no pair where one team sees more than this many "
                                          "times the other's new patients"),
           "max_standing_gap": (0, 10, "no pair further apart in overall standing, in "
                                       "spreads between teams"),
           "contrast": (0, 100, "weight of what each team can teach the other"),
           "standing": (0, 100, "weight against a gap in overall standing"),
           "caseload": (0, 100, "weight against each doubling of caseload"),
           "distance": (0, 100, "weight against each 100 km beyond the minimum")}
TEAM_REF = obj(["id", "name"], {"id": ID, "name": STR, "region": STR, "caseload": INT})

document({
    "/pairings/proposal": {"get": op(
        "Propose peer-review pairs for a round (organisers only): complementary results, "
        "similar standing and caseload, far enough apart, not paired before; each pair "
        "with its reasons, and the teams left out with why", {
            **answer("200", "The proposal", ref("PairingProposal")),
            **errors(400, 401, 403)},
        params=[query("round", {"type": "integer", "minimum": 1, "maximum": 100},
                      "default: the round after the latest recorded"),
                {**query("indicators", {"type": "array", "items": STR},
                         "indicator keys to compare; default: the four NLCA headline ones"),
                 "style": "form", "explode": True},
                query("repeats", {"type": "string", "enum": ["avoid", "allow"]},
                      "pairs from earlier rounds (default avoid)"),
                *[query(name, {"type": "number", "minimum": low, "maximum": high}, words)
                  for name, (low, high, words) in NUMBERS.items()]])},
    "/pairings": {"post": op(
        "Record peer-review pairs for a round (organisers only), all of them or none: "
        "409 when a team is already paired in that round", {
            **answer("201", "Recorded", obj(["round", "pairings"], {
                "round": INT, "pairings": {"type": "array", "items": ref("Pairing")}})),
            **errors(400, 401, 403, 409)},
        request=obj(["pairs"], {
            "round": {"type": "integer", "minimum": 1, "maximum": 100},
            "paired_on": DAY,
            "pairs": {"type": "array", "minItems": 1, "items": obj(
                ["first_team_id", "second_team_id"],
                {"first_team_id": ID, "second_team_id": ID}, False)}}, False))},
}, {
    "Pairing": obj(["id", "round", "first_team_id", "second_team_id", "paired_on"], {
        "id": ID, "round": INT, "first_team_id": ID, "second_team_id": ID, "paired_on": DATE}),
    "PairingProposal": obj(["round", "indicators", "limits", "weights", "pairs", "unpaired",
                            "recorded", "total_weight"], {
        "round": INT,
        "indicators": {"type": "array", "items": obj(["key", "name"], {"key": STR, "name": STR})},
        "limits": obj([], {"min_distance_km": NUM, "max_caseload_ratio": NUM,
                           "max_standing_gap": NUM, "no_repeats": BOOL}),
        "weights": obj([], {"contrast": NUM, "standing": NUM, "caseload": NUM, "distance": NUM}),
        "pairs": {"type": "array", "items": obj(
            ["first", "second", "weight", "reasons"], {
                "first": TEAM_REF, "second": TEAM_REF, "weight": NUM, "distance_km": NUM,
                "contrast": NUM, "standing_gap": NUM, "caseload_ratio": NUM,
                "reasons": {"type": "array", "items": STR}})},
        "unpaired": {"type": "array", "items": obj(["team", "reason"], {
            "team": TEAM_REF, "reason": STR})},
        "recorded": {"type": "array", "items": obj(["first", "second"], {
            "first": TEAM_REF, "second": TEAM_REF})},
        "total_weight": NUM}),
})


@api.get("/pairings/proposal")
def propose_pairing() -> Any:
    require_organiser()
    args = {name: request.args.get(name, "") for name in (*NUMBERS, "repeats")}
    # The form leaves a box empty to mean "the default"; the API says so by leaving
    # the parameter out, so an empty number here is a mistake to name.
    problems: dict[str, str] = {name: "must be a number" for name in (*NUMBERS, "round")
                                if name in request.args and not request.args[name].strip()}
    limits, weights = Limits(), Weights()
    try:
        limits = Limits.checked(args)
    except Invalid as error:
        problems.update(error.fields)
    try:
        weights = Weights.checked(args)
    except Invalid as error:
        problems.update(error.fields)
    if problems:
        raise Invalid(problems)
    found = community().propose_pairing(
        by=current_user.member_id, limits=limits, weights=weights,
        round=request.args.get("round", ""), indicators=request.args.getlist("indicators"))
    return jsonify(proposal(found))


@api.post("/pairings")
def accept_pairings() -> Any:
    require_organiser()
    body = json_body(request_schema("/pairings", "post"))
    number = body.get("round", 1)
    ids = community().accept_pairings(by=current_user.member_id, pairs=body["pairs"],
                                      round=number, paired_on=body.get("paired_on"))
    made: list[Pairing] = [community().repository.get(i) for i in ids]
    return jsonify(round=number, pairings=[{
        "id": p.id, "round": p.round, "first_team_id": p.team_ids[0],
        "second_team_id": p.team_ids[1], "paired_on": p.paired_on} for p in made]), 201


def proposal(found: RoundProposal) -> dict[str, Any]:
    return {
        "round": found.round,
        "indicators": [{"key": i.key, "name": i.name} for i in found.indicators],
        "limits": asdict(found.limits), "weights": asdict(found.weights),
        "pairs": [_pair(p) for p in found.proposal.pairs],
        "unpaired": [{"team": _team(u.team), "reason": u.reason}
                     for u in found.proposal.unpaired],
        "recorded": [{"first": _team(a), "second": _team(b)} for a, b in found.recorded],
        "total_weight": round(found.proposal.total_weight, 2)}


def _pair(p: ProposedPair) -> dict[str, Any]:
    return {"first": _team(p.first), "second": _team(p.second), "weight": p.weight,
            "distance_km": p.distance_km, "contrast": p.contrast,
            "standing_gap": p.standing_gap, "caseload_ratio": p.caseload_ratio,
            "reasons": list(p.reasons)}


def _team(team: Any) -> dict[str, Any]:
    return {"id": team.id, "name": team.name, "region": team.region, "caseload": team.caseload}
