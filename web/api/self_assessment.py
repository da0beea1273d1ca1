"""Sustainability self-assessment: a QIP's team results (GET) and a member's scores
(POST); the model in force, and an organiser's correction of its weights."""

from __future__ import annotations

import json
from typing import Any

from flask import jsonify
from flask_login import current_user

from community.self_assessment import DEFAULT_MODEL
from domain.sustainability_model import SustainabilityModel
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
    path_id,
    ref,
    request_schema,
    text,
    wrap,
)
from web.api.qips import check_sees
from web.api.requests import json_body, require_organiser
from web.self_assessment import results_for
from web.services import community

# The factor keys a request names: the shipped model's. Its events may correct
# weights, never keys, so the stored model always has the same ones.
FACTOR_KEYS = [f["key"] for f in json.loads(DEFAULT_MODEL.read_text("utf-8"))["factors"]]
LEVEL = {"type": "integer", "minimum": 1, "maximum": 4}
# Taken as any number equal to 1, 2, 3 or 4 (JSON's 3.0 is 3), as JSON Schema reads "enum".
LEVEL_IN = {"enum": [1, 2, 3, 4], "description": "1 (weakest) to 4 (strongest)"}
WEIGHTS = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100},
           "minItems": 4, "maxItems": 4,
           "description": "the weight of each level, level 1 first; never falling"}
TREND = {"type": ["string", "null"], "enum": ["up", "down", "same", None],
         "description": "since the assessment date before; null for the first"}
NAMED_FACTOR = {"key": STR, "domain": {"type": "string", "enum": ["process", "staff",
                                                                  "organisation"]},
                "name": STR}
ASSESSMENT = obj(["assessed_on", "members", "total", "optimistic", "trend", "factors"], {
    "assessed_on": DATE, "members": INT, "total": NUM, "optimistic": BOOL, "trend": TREND,
    "factors": {"type": "array", "items": obj(
        ["key", "score", "lowest", "highest", "disagreement", "trend"], {
            **NAMED_FACTOR, "top": NUM, "score": NUM, "lowest": NUM, "highest": NUM,
            "lowest_level": INT, "highest_level": INT, "answers": INT,
            "disagreement": {**BOOL, "description": "members two or more levels apart"},
            "trend": TREND})}})
MODEL_FIGURES = {"name": STR, "source": STR, "optimism_threshold": NUM, "max_total": NUM}

document({
    "/qips/{qip_id}/sustainability": {
        "get": op("The team's sustainability self-assessments of a QIP, oldest first: each "
                  "factor's team score, the spread of members' scores and the trend", {
            **answer("200", "The results", wrap("results", ref("SustainabilityResults"))),
            **errors(401, 404)}, params=[path_id("qip_id")]),
        "post": op("Score an active QIP of your own team on the NHS Sustainability Model: a "
                   "level from 1 to 4 for every factor. Scoring again on the same day "
                   "replaces your earlier answers", {
            **answer("201", "Recorded", obj(["assessment", "results"], {
                "assessment": ref("SustainabilityAssessmentMade"),
                "results": ref("SustainabilityResults")})),
            **errors(400, 401, 403, 404, 409)},
            params=[path_id("qip_id")],
            request=obj(["levels"], {
                "levels": obj(FACTOR_KEYS, dict.fromkeys(FACTOR_KEYS, LEVEL_IN), False),
                "assessed_on": {**DAY, "description": "defaults to today"}}, False)),
    },
    "/sustainability-model": {"get": op(
        "The NHS Sustainability Model in force: its factors, their questions, the four "
        "levels of each and their weights", {
            **answer("200", "The model", wrap("model", ref("SustainabilityModel"))),
            **errors(401)})},
    "/sustainability-model/weights": {"post": op(
        "Correct the weights of some factors (organisers only), saying where the figures "
        "come from; every assessment, past ones too, is re-weighted", {
            **answer("200", "Corrected", wrap("model", ref("SustainabilityModel"))),
            **errors(400, 401, 403)},
        request=obj(["factors", "source"], {
            "factors": {**obj([], dict.fromkeys(FACTOR_KEYS, WEIGHTS), False),
                        "minProperties": 1},
            "source": text(2000)}, False))},
}, schemas={
    "SustainabilityResults": obj(["qip_id", "model", "assessments", "latest"], {
        "qip_id": ID,
        "model": obj(["max_total", "optimism_threshold", "factors"], {
            **MODEL_FIGURES, "factors": {"type": "array", "items": obj(
                ["key", "weights"], {**NAMED_FACTOR, "weights": WEIGHTS})}}),
        "assessments": {"type": "array", "items": ASSESSMENT},
        "latest": {"anyOf": [ASSESSMENT, {"type": "null"}]}}),
    "SustainabilityAssessmentMade": obj(["id", "qip_id", "assessed_on", "levels"], {
        "id": ID, "qip_id": ID, "assessed_on": DATE,
        "levels": {"type": "object", "additionalProperties": LEVEL}}),
    "SustainabilityModel": obj(["factors", "max_total", "optimism_threshold"], {
        **MODEL_FIGURES, "corrections": {"type": "array", "items": STR},
        "factors": {"type": "array", "items": obj(
            ["key", "domain", "name", "question", "levels", "weights"], {
                **NAMED_FACTOR, "question": STR,
                "levels": {"type": "array", "items": STR, "minItems": 4, "maxItems": 4},
                "weights": WEIGHTS})}}),
})



def shown_model(model: SustainabilityModel) -> dict[str, Any]:
    return {"name": model.name, "source": model.source,
            "optimism_threshold": model.optimism_threshold, "max_total": model.max_total,
            "corrections": list(model.corrections),
            "factors": [f.as_dict() for f in model.factors.values()]}


@api.get("/qips/<id:qip_id>/sustainability")
def sustainability_results(qip_id: str) -> Any:
    check_sees(qip_id)
    return jsonify(results=results_for(qip_id))


@api.post("/qips/<id:qip_id>/sustainability")
def assess_sustainability(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/sustainability", "post"))
    check_sees(qip_id)
    assessment_id = community().assess_sustainability(
        qip_id, by=current_user.member_id, levels=body["levels"],
        assessed_on=body.get("assessed_on"))
    made = community().assessment(assessment_id)
    shown = {"id": made.id, "qip_id": made.qip_id, "assessed_on": made.assessed_on,
             "levels": made.levels}
    return jsonify(assessment=shown, results=results_for(qip_id)), 201


@api.get("/sustainability-model")
def sustainability_model() -> Any:
    return jsonify(model=shown_model(community().sustainability_model()))


@api.post("/sustainability-model/weights")
def correct_sustainability_weights() -> Any:
    require_organiser()
    body = json_body(request_schema("/sustainability-model/weights", "post"))
    community().correct_sustainability_weights(by=current_user.member_id,
                                               factors=body["factors"], source=body["source"])
    return jsonify(model=shown_model(community().sustainability_model()))
