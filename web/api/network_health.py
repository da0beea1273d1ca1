"""The network-health figures as JSON (organisers only): what /sustainability/health shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, request

from domain.errors import Invalid
from domain.network_follow_through import TeamAtRisk
from domain.network_measures import Brokers, EIIndex, Tiers
from domain.staying_power import Estimate
from projections.network_health import DEFAULT_PERIOD, PERIODS, HealthReport
from web.api import api
from web.api.openapi import DATE, DAY, INT, STR, answer, document, errors, obj, op, query_filter
from web.api.requests import date_arg, require_organiser
from web.network_health import drawn, kept_for, kept_names, report_for
from web.today import community_day

# A calendar quarter as people write it, "2012 Q1" (pages, CSV and API alike).
QUARTER = {"type": "string", "pattern": "^[0-9]{4} Q[1-4]$"}
SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
DAYS = {"type": ["number", "null"]}
NULL_DATE = {"type": ["string", "null"], "format": "date"}
IDS = {"type": "array", "items": STR}


NUMBER = {"type": ["number", "null"]}
ESTIMATE = {"type": ["object", "null"], "required": ["value", "ci", "p"], "properties": {
    "value": {"type": "number"}, "ci": {"type": "array", "items": {"type": "number"}},
    "p": {"type": "number"}}}


def _ei() -> dict[str, Any]:
    return obj(["across", "index", "quarters", "verdict"], {
        "across": {"type": "string", "enum": ["teams", "regions"]},
        "internal": INT, "external": INT, "index": NUMBER,
        "quarters": {"type": "array", "items": obj(
            ["quarter", "internal", "external", "index"], {
                "quarter": QUARTER, "internal": INT, "external": INT, "index": {"type": "number"}})},
        "verdict": STR})


def _brokers() -> dict[str, Any]:
    return obj(["nodes", "brokers", "verdict"], {
        "nodes": INT, "verdict": STR,
        "brokers": {"type": "array", "items": obj(
            ["id", "name", "betweenness", "last_activity"], {
                "id": STR, "name": {"type": ["string", "null"]},
                "betweenness": {"type": "number"}, "last_activity": NULL_DATE})}})


def _tiers() -> dict[str, Any]:
    return obj(["period", "acts", "core", "regular", "casual"], {
        "period": STR, "acts": INT, "core": INT, "regular": INT, "casual": INT})


MEASURES = {
    "ties_across_teams": obj(["teams", "regions", "reciprocity", "same_role"], {
        "teams": _ei(), "regions": _ei(),
        "reciprocity": obj(["share", "directed_pairs", "mutual_pairs", "verdict"], {
            "share": SHARE, "directed_pairs": INT, "mutual_pairs": INT, "verdict": STR}),
        "same_role": obj(["share", "by_chance", "cross_team", "verdict"], {
            "share": SHARE, "by_chance": SHARE, "cross_team": INT, "same_role": INT,
            "by_role": {"type": "array", "items": obj(["role", "ties"], {
                "role": STR, "ties": INT})},
            "verdict": STR})}),
    "brokers": obj(["teams", "members"], {"teams": _brokers(), "members": _brokers()}),
    "core_members": {**obj(["quarters", "before", "after", "still_core", "became",
                            "verdict"], {
        "quarters": {"type": "array", "items": _tiers()}, "before": _tiers(),
        "after": _tiers(), "still_core": SHARE,
        "became": obj(["core", "regular", "casual", "gone"],
                      dict.fromkeys(("core", "regular", "casual", "gone"), INT)),
        "verdict": STR}), "type": ["object", "null"]},
    "staying_power": {**obj(["survival", "half_life", "change", "cohorts"], {
        "survival": obj(["members", "lapsed", "still_active", "median_months", "curve",
                         "verdict"], {
            "members": INT, "lapsed": INT, "still_active": INT, "median_months": NUMBER,
            "curve": {"type": "array", "items": obj(["months", "share"], {
                "months": {"type": "number"}, "share": {"type": "number"}})},
            "verdict": STR}),
        "half_life": obj(["half_life_months", "ci", "verdict"], {
            "half_life_months": NUMBER, "start_level": NUMBER,
            "ci": {"type": ["array", "null"], "items": NUMBER}, "verdict": STR}),
        "change": obj(["level_change", "slope_change", "verdict"], {
            "slope_before": ESTIMATE, "level_change": ESTIMATE, "slope_change": ESTIMATE,
            "verdict": STR}),
        "cohorts": obj(["cohorts", "verdict"], {
            "cohorts": {"type": "array", "items": obj(["quarter", "active", "still_active"], {
                "quarter": QUARTER, "active": INT,
                "still_active": {"type": "array", "items": obj(["quarters_later", "share"], {
                    "quarters_later": INT, "share": SHARE})}})},
            "verdict": STR})}), "type": ["object", "null"]},
}


AT_RISK = {"type": "array", "items": obj(
    ["id", "name", "last_activity", "contacts", "paired_team"], {
        "id": STR, "name": STR, "last_activity": NULL_DATE, "recent_acts": INT,
        "acts_before": INT, "contacts": INT,
        "paired_team": {**obj(["id", "name"], {"id": STR, "name": STR}),
                        "type": ["object", "null"]}})}
# Items 10-12, after the others.
FOLLOW_THROUGH: dict[str, Any] = {
    "dormant_teams": obj(["weeks", "teams_counted", "dormant", "falling", "verdict"], {
        "weeks": INT, "teams_counted": INT, "dormant": AT_RISK, "falling": AT_RISK,
        "verdict": STR}),
    "nudges": obj(["nudged", "nudged_active_again", "nudged_share", "not_nudged",
                   "not_nudged_active_again", "not_nudged_share", "verdict"], {
        "nudged": INT, "nudged_active_again": INT, "nudged_share": SHARE,
        "not_nudged": INT, "not_nudged_active_again": INT, "not_nudged_share": SHARE,
        "verdict": STR}),
    "newcomers": obj(["joined", "made_contact_share", "worked_on_qip_share",
                      "visit_or_event_share", "verdict"], {
        "joined": INT, "made_contact": INT, "worked_on_qip": INT, "visit_or_event": INT,
        "made_contact_share": SHARE, "worked_on_qip_share": SHARE,
        "visit_or_event_share": SHARE, "verdict": STR}),
}


def _carriers() -> dict[str, Any]:
    return {"type": "array", "items": obj(["id", "name", "acts"], {
        "id": STR, "name": {"type": ["string", "null"]}, "acts": INT})}


document({"/network-health": {"get": op(
    "Network-health figures as of a date (organisers only): organic activity by month "
    "with its special causes, dependence on the organisers, absence factor, the live "
    "network and time to first response; ties across teams, brokers (with names), core "
    "members and staying power (null without a funding end); dormant and falling teams, "
    "whether nudges bring quiet plans and teams back, and newcomers' first 90 days; each "
    "with its verdict in words", {
        **answer("200", "The figures", obj(
            ["as_of", "period", "since", "funding_end", "organic_activity", "dependence",
             "absence_factor", "live_network", "first_response", *MEASURES,
             *FOLLOW_THROUGH], {
                **MEASURES, **FOLLOW_THROUGH,
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
                            "quarter": QUARTER, "facilitated": INT, "self_initiated": INT,
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
    as_of = date_arg("as_of") or community_day()
    if not date(2000, 1, 1) <= as_of <= date(2100, 12, 31):
        raise Invalid({"as_of": "must be a date from 2000-01-01 to 2100-12-31"})
    period = request.args.get("period") or DEFAULT_PERIOD
    if period not in PERIODS:
        raise Invalid({"period": f"must be one of {', '.join(PERIODS)}"})
    kept = kept_for(as_of, period)

    def written() -> str:
        report = kept.value
        people, teams = kept_names(kept)
        return current_app.json.dumps(shown(report, people, teams)
                                      | measures_shown(report, people, teams)
                                      | follow_through_shown(report)) + "\n"
    # The same for every organiser until the report is counted again, and writing
    # it out was a third of the answer's time (issue 14).
    return current_app.response_class(drawn(kept, ("json", as_of, period), written),
                                      mimetype="application/json")


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


def measures_shown(report: HealthReport, people: dict[str, str],
                   teams: dict[str, str]) -> dict[str, Any]:
    """Items 4, 6, 7 and 8, as MEASURES documents them."""
    r, same, core, staying = report.reciprocity, report.same_role, report.core, report.staying
    return {
        "ties_across_teams": {
            "teams": _ei_shown(report.ties_across_teams),
            "regions": _ei_shown(report.ties_across_regions),
            "reciprocity": {"share": r.share, "directed_pairs": r.directed_pairs,
                            "mutual_pairs": r.mutual_pairs, "verdict": r.verdict},
            "same_role": {"share": same.share, "by_chance": same.by_chance,
                          "cross_team": same.cross_team, "same_role": same.same_role,
                          "by_role": [{"role": role, "ties": n} for role, n in same.by_role],
                          "verdict": same.verdict}},
        "brokers": {"teams": _brokers_shown(report.team_brokers, teams),
                    "members": _brokers_shown(report.member_brokers, people)},
        "core_members": None if core is None else {
            "quarters": [_tiers_shown(t) for t in core.quarters],
            "before": _tiers_shown(core.before), "after": _tiers_shown(core.after),
            "still_core": core.still_core,
            # All four, 0 where none went (none at all without a core before).
            "became": {tier: dict(core.became).get(tier, 0)
                       for tier in ("core", "regular", "casual", "gone")},
            "verdict": core.verdict},
        "staying_power": None if staying is None else {
            "survival": {
                "members": staying.survival.members, "lapsed": staying.survival.lapsed,
                "still_active": staying.survival.still_active,
                "median_months": staying.survival.median_months,
                "curve": [{"months": t, "share": s} for t, s in staying.survival.curve],
                "verdict": staying.survival.verdict},
            "half_life": {"half_life_months": staying.half_life.half_life_months,
                          "start_level": staying.half_life.start_level,
                          "ci": list(staying.half_life.ci) if staying.half_life.ci else None,
                          "verdict": staying.half_life.verdict},
            "change": {"slope_before": _estimate(staying.change.slope_before),
                       "level_change": _estimate(staying.change.level_change),
                       "slope_change": _estimate(staying.change.slope_change),
                       "verdict": staying.change.verdict},
            "cohorts": {"cohorts": [
                {"quarter": c.quarter, "active": c.active,
                 "still_active": [{"quarters_later": k, "share": s} for k, s in c.still_active]}
                for c in staying.cohorts.cohorts], "verdict": staying.cohorts.verdict}},
    }


def _ei_shown(ei: EIIndex) -> dict[str, Any]:
    return {"across": ei.across, "internal": ei.internal, "external": ei.external,
            "index": ei.index, "verdict": ei.verdict,
            "quarters": [{"quarter": q.quarter, "internal": q.internal, "external": q.external,
                          "index": q.index} for q in ei.quarters]}


def _brokers_shown(brokers: Brokers, named: dict[str, str]) -> dict[str, Any]:
    return {"nodes": brokers.nodes, "verdict": brokers.verdict,
            "brokers": [{"id": b.id, "name": named.get(b.id), "betweenness": b.betweenness,
                         "last_activity": b.last_activity} for b in brokers.brokers]}


def _tiers_shown(tiers: Tiers) -> dict[str, Any]:
    return {"period": tiers.period, "acts": tiers.acts, "core": len(tiers.core),
            "regular": len(tiers.regular), "casual": len(tiers.casual)}


def _estimate(e: Estimate | None) -> dict[str, Any] | None:
    return None if e is None else {"value": e.value, "ci": list(e.ci), "p": e.p}


def follow_through_shown(report: HealthReport) -> dict[str, Any]:
    """Items 10, 11 and 12, as FOLLOW_THROUGH documents them."""
    d, n, new = report.dormant, report.nudges, report.newcomers

    def team(t: TeamAtRisk) -> dict[str, Any]:
        return {"id": t.team_id, "name": t.name, "last_activity": t.last_activity,
                "recent_acts": t.recent, "acts_before": t.before, "contacts": t.contacts,
                "paired_team": None if t.paired_team_id is None else {
                    "id": t.paired_team_id, "name": t.paired_team_name}}
    return {
        "dormant_teams": {"weeks": d.weeks, "teams_counted": d.teams_counted,
                          "dormant": [team(t) for t in d.dormant],
                          "falling": [team(t) for t in d.falling], "verdict": d.verdict},
        "nudges": {"nudged": n.nudged, "nudged_active_again": n.nudged_active_again,
                   "nudged_share": n.nudged_share, "not_nudged": n.not_nudged,
                   "not_nudged_active_again": n.not_nudged_active_again,
                   "not_nudged_share": n.not_nudged_share, "verdict": n.verdict},
        "newcomers": {"joined": new.joined, "made_contact": new.made_contact,
                      "worked_on_qip": new.worked_on_qip,
                      "visit_or_event": new.visit_or_event,
                      "made_contact_share": new.share(new.made_contact),
                      "worked_on_qip_share": new.share(new.worked_on_qip),
                      "visit_or_event_share": new.share(new.visit_or_event),
                      "verdict": new.verdict},
    }


# GET /sustainability's "health": the headline figures of the report for everything to
# the date (issue 12's API section); null for a date the report cannot cover.
document({}, {"SustainabilityHealth": {
    **obj(["organic_activity", "self_initiated_share", "absence_factor", "half_life_months",
           "median_member_survival_months", "dormant_teams", "first_response"], {
        "organic_activity": {"type": "array", "items": obj(
            ["month", "count", "special_cause"], {
                "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "count": INT,
                "special_cause": {"type": ["string", "null"]}})},
        "self_initiated_share": {"type": "array", "items": obj(["quarter", "share"], {
            "quarter": QUARTER, "share": SHARE})},
        "absence_factor": obj(["members", "teams"], {"members": INT, "teams": INT}),
        "half_life_months": NUMBER, "median_member_survival_months": NUMBER,
        "dormant_teams": {"type": "array", "items": obj(["id", "name", "last_activity"], {
            "id": STR, "name": STR, "last_activity": NULL_DATE})},
        "first_response": obj(["median_days", "p90_days", "unanswered_share"], {
            "median_days": DAYS, "p90_days": DAYS, "unanswered_share": SHARE})}),
    "type": ["object", "null"]}})


def health_summary(as_of: date | None) -> dict[str, Any] | None:
    """The headline health figures as of the date (default: the health page's), over
    everything to it."""
    day = as_of or community_day()
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        return None
    report = report_for(day, "all")
    staying, everything = report.staying, report.responsiveness[-1]
    return {
        "organic_activity": [{"month": m.month, "count": m.count,
                              "special_cause": m.special_cause}
                             for m in report.organic.months],
        "self_initiated_share": [{"quarter": q.quarter, "share": q.self_initiated_share}
                                 for q in report.dependence.quarters],
        "absence_factor": {"members": report.absence.member_factor,
                           "teams": report.absence.team_factor},
        "half_life_months": staying.half_life.half_life_months if staying else None,
        "median_member_survival_months": staying.survival.median_months if staying else None,
        "dormant_teams": [{"id": t.team_id, "name": t.name, "last_activity": t.last_activity}
                          for t in report.dormant.dormant],
        "first_response": {"median_days": everything.median_days,
                           "p90_days": everything.p90_days,
                           "unanswered_share": everything.unanswered_share},
    }
