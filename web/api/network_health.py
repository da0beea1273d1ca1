"""The network-health figures as JSON (organisers only): what /sustainability/health shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from domain.errors import Invalid
from projections.network_health import DEFAULT_PERIOD, PERIODS, HealthReport
from web.api import api
from web.api.openapi import DATE, DAY, INT, STR, answer, document, errors, obj, op, query_filter
from web.api.requests import date_arg, require_organiser
from web.network_health import default_as_of, names, report_for

SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
DAYS = {"type": ["number", "null"]}
NULL_DATE = {"type": ["string", "null"], "format": "date"}
IDS = {"type": "array", "items": STR}


def _carriers() -> dict[str, Any]:
    return {"type": "array", "items": obj(["id", "name", "acts"], {
        "id": STR, "name": {"type": ["string", "null"]}, "acts": INT})}


document({"/network-health": {"get": op(
    "Network-health figures as of a date (organisers only): organic activity by month "
    "with its special causes, dependence on the organisers, absence factor, the live "
    "network and time to first response; each with its verdict in words", {
        **answer("200", "The figures", obj(
            ["as_of", "period", "since", "funding_end", "organic_activity", "dependence",
             "absence_factor", "live_network", "first_response"], {
                "as_of": DATE, "period": {"type": "string", "enum": list(PERIODS)},
                "since": NULL_DATE, "funding_end": NULL_DATE,
                "organic_activity": obj(["months", "mean_before", "mean_after", "verdict"], {
                    "months": {"type": "array", "items": obj(
                        ["month", "count", "special_cause", "after_funding"], {
                            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                            "count": INT, "special_cause": {"type": ["string", "null"]},
                            "after_funding": {"type": "boolean"}})},
                    "mean_before": DAYS, "mean_after": DAYS,
                    "limits_after": {"type": ["array", "null"], "items": {"type": "number"}},
                    "verdict": STR}),
                "dependence": obj(["self_initiated_share", "organiser_initiated_share",
                                   "without_organisers", "verdict"], {
                    "self_initiated_share": {"type": "array", "items": obj(
                        ["quarter", "facilitated", "self_initiated", "share"], {
                            "quarter": STR, "facilitated": INT, "self_initiated": INT,
                            "share": SHARE})},
                    "acts": INT, "by_organisers": INT, "prompted_by_organisers": INT,
                    "organiser_initiated_share": SHARE,
                    "without_organisers": obj(
                        ["members_cut_off", "teams_cut_off", "fragmentation_without"], {
                            "members": INT, "teams": INT, "members_cut_off": IDS,
                            "teams_cut_off": IDS, "fragmentation_with": SHARE,
                            "fragmentation_without": SHARE}),
                    "verdict": STR}),
                "absence_factor": obj(["members", "teams", "verdict"], {
                    "acts": INT, "members": INT, "teams": INT,
                    "carriers": obj(["members", "teams"], {
                        "members": _carriers(), "teams": _carriers()}),
                    "verdict": STR}),
                "live_network": obj(["density", "components", "largest_component_share",
                                     "isolated_teams", "isolated_members", "verdict"], {
                    "since": DATE, "ties": INT, "density": SHARE, "member_density": SHARE,
                    "components": INT, "largest_component_share": SHARE,
                    "isolated_teams": IDS, "isolated_members": IDS, "teams": INT,
                    "members": INT, "verdict": STR}),
                "first_response": {"type": "array", "items": obj(
                    ["kind", "median_days", "p90_days", "unanswered_share"], {
                        "kind": {"type": "string",
                                 "enum": ["follow_up", "introduction", "question", "all"]},
                        "asked": INT, "answered": INT, "median_days": DAYS, "p90_days": DAYS,
                        "unanswered_share": SHARE, "verdict": STR})}})),
        **errors(400, 401, 403)},
    params=[query_filter("as_of", DAY, "as it stood on this date, counting only what "
                                        "was recorded by then (default: today)"),
            query_filter("period", {"type": "string", "enum": list(PERIODS)},
                         "the period for dependence, absence factor and response times "
                         f"(default: {DEFAULT_PERIOD})")])}})


@api.get("/network-health")
def network_health() -> Any:
    require_organiser()
    as_of = date_arg("as_of") or default_as_of()
    if not date(2000, 1, 1) <= as_of <= date(2100, 12, 31):
        raise Invalid({"as_of": "must be a date from 2000-01-01 to 2100-12-31"})
    period = request.args.get("period") or DEFAULT_PERIOD
    if period not in PERIODS:
        raise Invalid({"period": f"must be one of {', '.join(PERIODS)}"})
    report = report_for(as_of, period)
    return jsonify(shown(report, *names(report)))


def shown(report: HealthReport, people: dict[str, str],
          teams: dict[str, str]) -> dict[str, Any]:
    organic, d, a, live = report.organic, report.dependence, report.absence, report.live
    w = d.without_organisers
    return {
        "as_of": report.as_of, "period": report.period, "since": report.since,
        "funding_end": report.funding_end,
        "organic_activity": {
            "months": [{"month": m.month, "count": m.count, "special_cause": m.special_cause,
                        "after_funding": m.after_funding} for m in organic.months],
            "mean_before": organic.mean_before, "mean_after": organic.mean_after,
            "limits_after": list(organic.limits_after) if organic.limits_after else None,
            "verdict": organic.verdict},
        "dependence": {
            "self_initiated_share": [{"quarter": q.quarter, "facilitated": q.facilitated,
                                      "self_initiated": q.self_initiated,
                                      "share": q.self_initiated_share} for q in d.quarters],
            "acts": d.acts, "by_organisers": d.by_organisers,
            "prompted_by_organisers": d.prompted_by_organisers,
            "organiser_initiated_share": d.organiser_initiated_share,
            "without_organisers": {
                "members": w.members, "teams": w.teams,
                "members_cut_off": list(w.members_cut_off),
                "teams_cut_off": list(w.teams_cut_off),
                "fragmentation_with": w.fragmentation_with,
                "fragmentation_without": w.fragmentation_without},
            "verdict": d.verdict},
        "absence_factor": {
            "acts": a.acts, "members": a.member_factor, "teams": a.team_factor,
            "carriers": {
                "members": [{"id": m, "name": people.get(m), "acts": n} for m, n in a.members],
                "teams": [{"id": t, "name": teams.get(t), "acts": n} for t, n in a.teams]},
            "verdict": a.verdict},
        "live_network": {
            "since": live.since, "ties": live.ties, "density": live.team_density,
            "member_density": live.member_density, "components": live.team_components,
            "largest_component_share": live.largest_team_component_share,
            "isolated_teams": list(live.isolated_teams),
            "isolated_members": list(live.isolated_members),
            "teams": live.teams, "members": live.members, "verdict": live.verdict},
        "first_response": [{"kind": r.kind, "asked": r.asked, "answered": r.answered,
                            "median_days": r.median_days, "p90_days": r.p90_days,
                            "unanswered_share": r.unanswered_share, "verdict": r.verdict}
                           for r in report.responsiveness],
    }
