"""GET /api/v1/network: the live network of teams or members as nodes and weighted
edges, with its measures and brokers (organisers only; issue 12's "API")."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from domain.errors import Invalid
from domain.network_map import LEVELS, NetworkMap
from projections.network_map import live_map
from web.api import api
from web.api.openapi import DATE, DAY, INT, STR, answer, document, errors, obj, op, query_filter
from web.api.requests import date_arg, require_organiser
from web.services import views
from web.today import community_day

SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
INDEX = {"type": ["number", "null"], "minimum": -1, "maximum": 1}

document({"/network": {"get": op(
    "The live network as of a date (organisers only): every team (or member) known "
    "then as a node with its region, acts and live ties in the last 90 days and "
    "betweenness; edges weighted by the summed weights of the pair's live ties; the "
    "network's measures (reciprocity and E-I index between teams at either level) and "
    "its brokers, highest betweenness first", {
        **answer("200", "The network", obj(
            ["as_of", "level", "nodes", "edges", "measures", "brokers"], {
                "as_of": DATE, "level": {"type": "string", "enum": list(LEVELS)},
                "nodes": {"type": "array", "items": obj(
                    ["id", "name", "region", "activity", "degree", "betweenness"], {
                        "id": STR, "name": STR, "region": {"type": ["string", "null"]},
                        "activity": INT, "degree": INT,
                        "betweenness": {"type": "number", "minimum": 0}})},
                "edges": {"type": "array", "items": obj(["source", "target", "weight"], {
                    "source": STR, "target": STR,
                    "weight": {"type": "number", "exclusiveMinimum": 0}})},
                "measures": obj(["density", "components", "largest_component_share",
                                 "isolates", "reciprocity", "e_i_index",
                                 "fragmentation_without_organisers"], {
                    "density": SHARE, "components": INT, "largest_component_share": SHARE,
                    "isolates": INT, "reciprocity": SHARE, "e_i_index": INDEX,
                    "fragmentation_without_organisers": SHARE}),
                "brokers": {"type": "array", "items": STR}})),
        **errors(400, 401, 403)},
    params=[query_filter("as_of", DAY, "as it stood on this date, counting only what "
                                        "was recorded by then (default: today)"),
            query_filter("level", {"type": "string", "enum": list(LEVELS)},
                         "nodes are teams or members (default: team)")])}})


@api.get("/network")
def network() -> Any:
    require_organiser()
    as_of = date_arg("as_of") or community_day()
    if not date(2000, 1, 1) <= as_of <= date(2100, 12, 31):
        raise Invalid({"as_of": "must be a date from 2000-01-01 to 2100-12-31"})
    level = request.args.get("level") or "team"
    if level not in LEVELS:
        raise Invalid({"level": f"must be one of {', '.join(LEVELS)}"})
    return jsonify(shown(live_map(views().engine, as_of, level).value.found))


def shown(found: NetworkMap) -> dict[str, Any]:
    return {
        "as_of": found.as_of, "level": found.level,
        "nodes": [{"id": n.id, "name": n.name, "region": n.region, "activity": n.activity,
                   "degree": n.degree, "betweenness": n.betweenness} for n in found.nodes],
        "edges": [{"source": e.source, "target": e.target, "weight": e.weight}
                  for e in found.edges],
        "measures": {
            "density": found.density, "components": found.components,
            "largest_component_share": found.largest_component_share,
            "isolates": found.isolates, "reciprocity": found.reciprocity,
            "e_i_index": found.e_i_index,
            "fragmentation_without_organisers": found.fragmentation_without_organisers},
        "brokers": list(found.brokers)}
