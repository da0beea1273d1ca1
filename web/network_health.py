"""The organisers' network-health page (``/sustainability/health``), its CSV, and the
method it links to: is the network sustaining itself, as of a chosen date?

Every figure comes from ``projections.network_health`` (the acts and ties as known
on the date, the measures of ``domain.network_health``); this module only names
people and teams, draws the organic-activity chart as every QIP chart is drawn
(``web.charts``), and says each figure in words.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from flask import Blueprint, abort, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from markupsafe import Markup
from sqlalchemy import Engine

from community import Community
from domain.markdown_text import render
from domain.network_health import KIND_WORDS
from domain.values import Direction
from projections.home import community_today
from projections.network_follow_through import team_actions
from projections.network_health import DEFAULT_PERIOD, PERIODS, HealthReport, kept_report
from projections.network_health_kept import (
    Kept,
    refresh_network_health,
    start_in_background,
    warm_imports,
)
from projections.network_map import live_map
from web.auth import organiser_required
from web.charts import Chart, measure_chart
from web.csv_export import csv_response
from web.kept_pages import Memo
from web.services import views
from web.survival_chart import survival_chart
from web.today import community_day

network_health = Blueprint("network_health", __name__)
T = TypeVar("T")
log = logging.getLogger(__name__)


@network_health.record_once
def _warm_up(state: BlueprintSetupState) -> None:
    """When the app starts serving (not under test): import the heavy libraries and
    count again any kept figures the log has moved past, in a background thread, so
    that no request pays for either."""
    if not state.app.testing:
        app: Community = state.app.extensions["community"]
        # Tracked, so that Community.close() waits for it: an untracked warm-up went on
        # after the close and left PostgreSQL connections to the garbage collector.
        start_in_background(app.views.engine, functools.partial(_warm, app),
                            "network-health-warm-up")


def _warm(app: Community, engine: Engine) -> None:
    """The imports, then today's figures for the page, the sustainability API and the
    map (counted once: a settled date's stay kept across restarts), then whatever
    else the log has moved past."""
    warm_imports()
    day = community_today(engine, app.today())
    for period in (DEFAULT_PERIOD, "all"):
        kept_report(engine, day, period)
    live_map(engine, day, "team")
    refresh_network_health(engine)

METHOD_FILE = Path(__file__).resolve().parent.parent / "docs" / "network-health.md"
DATE_PROBLEM = "Enter the date as year-month-day, for example 2012-03-31"


def choices() -> tuple[date, str, dict[str, str]]:
    """The as-of date and period asked for, and a problem per field to show."""
    problems: dict[str, str] = {}
    raw = (request.args.get("as_of") or "").strip()
    as_of = community_day()
    if raw:
        try:
            as_of = date.fromisoformat(raw)
        except ValueError:
            problems["as_of"] = DATE_PROBLEM
        else:
            if not date(2000, 1, 1) <= as_of <= date(2100, 12, 31):
                problems["as_of"] = "Enter a date from 2000 to 2100"
                as_of = community_day()
    period = request.args.get("period") or DEFAULT_PERIOD
    if period not in PERIODS:
        problems["period"] = "Choose one of the periods listed"
        period = DEFAULT_PERIOD
    return as_of, period, problems


def kept_for(as_of: date, period: str) -> Kept:
    """The report as kept, served at once (counted again in the background when the
    log has moved on: see projections.network_health_kept)."""
    return kept_report(views().engine, as_of, period)


def report_for(as_of: date, period: str) -> HealthReport:
    report: HealthReport = kept_for(as_of, period).value
    return report


def organic_chart(report: HealthReport) -> Chart | None:
    months = report.organic.months
    if len(months) < 2:
        return None
    points = [(date.fromisoformat(m.month + "-01"), float(m.count)) for m in months]
    changes = ([(report.funding_end + timedelta(days=1), "Funding ended")]
               if report.funding_end is not None else [])
    return measure_chart(points, name="Organic activity per month", unit="",
                         direction=Direction.UP, target=None, changes=changes)


def staying_chart(report: HealthReport) -> Chart | None:
    survival = report.staying.survival if report.staying else None
    if survival is None or not survival.curve:
        return None
    return survival_chart(survival.curve, survival.median_months)


def names(report: HealthReport) -> tuple[dict[str, str], dict[str, str]]:
    """Member and team names for the people and teams the page lists."""
    member_ids = ({m for m, _ in report.absence.members}
                  | set(report.dependence.without_organisers.members_cut_off)
                  | {b.id for b in report.member_brokers.brokers})
    team_ids = ({t for t, _ in report.absence.teams} | set(report.live.isolated_teams)
                | set(report.dependence.without_organisers.teams_cut_off)
                | {b.id for b in report.team_brokers.brokers})
    directory = views().directory
    return directory.names(member_ids), directory.team_names(team_ids)


@network_health.get("/sustainability/health")
@organiser_required
def page() -> Any:
    as_of, period, problems = choices()
    kept = kept_for(as_of, period)
    return render_template(
        "network_health/page.html", report=kept.value, kept=kept,
        figures=figures_html(kept), periods=PERIODS, period=period,
        as_of_raw=request.args.get("as_of", ""), problems=problems,
        csv_url=url_for("network_health.csv", as_of=as_of.isoformat(), period=period),
    ), 400 if problems else 200


# What a page draws from a kept report (the figures' HTML, the chart, the names),
# made once per kept report: on a national community it is most of a page's time
# (about 90 ms of CPU for the figures), and it changes only when the report is
# counted again (names included: they are as they were when it was counted).
_DRAWN: Memo = Memo(keep=48)


def drawn(kept: Kept, what: tuple[object, ...], make: Callable[[], T]) -> T:
    """``make()``, once per kept value: ``what`` names the drawing and the value's
    date and period (or level)."""
    return _DRAWN.get((*what, str(views().engine.url), kept.position, kept.counted_at), make)


def kept_names(kept: Kept) -> tuple[dict[str, str], dict[str, str]]:
    return drawn(kept, ("names", kept.value.as_of, kept.value.period),
                 lambda: names(kept.value))


def kept_chart(kept: Kept) -> Chart | None:
    return drawn(kept, ("chart", kept.value.as_of, kept.value.period),
                 lambda: organic_chart(kept.value))


def figures_html(kept: Kept) -> Markup:
    def make() -> Markup:
        report: HealthReport = kept.value
        people, teams = kept_names(kept)
        return Markup(render_template(
            "network_health/_figures.html", report=report, chart=kept_chart(kept),
            survival=staying_chart(report), people=people, teams=teams,
            kind_words=KIND_WORDS, team_actions=dormant_actions(report)))
    return drawn(kept, ("figures", kept.value.as_of, kept.value.period), make)


@network_health.get("/sustainability/health.csv")
@organiser_required
def csv() -> Any:
    as_of, period, problems = choices()
    if problems:
        abort(400, next(iter(problems.values())))
    kept = kept_for(as_of, period)
    report = kept.value
    people, teams = kept_names(kept)
    return csv_response(f"network-health-{as_of.isoformat()}.csv",
                        ["measure", "item", "value"], figure_rows(report, people, teams))


def figure_rows(report: HealthReport, people: dict[str, str],
                teams: dict[str, str]) -> list[tuple[str, str, Any]]:
    """The page's figures, one per row: what a spreadsheet needs to check them."""
    rows: list[tuple[str, str, Any]] = [
        ("as of", "", report.as_of.isoformat()),
        ("period from", "", report.since.isoformat() if report.since else "the start")]
    for m in report.organic.months:
        rows.append(("organic acts per month", m.month, m.count))
        if m.special_cause:
            rows.append(("organic special cause", m.month, m.special_cause))
    d = report.dependence
    for q in d.quarters:
        rows += [("facilitated contacts", q.quarter, q.facilitated),
                 ("self-initiated contacts", q.quarter, q.self_initiated)]
    rows += [("acts in period", "", d.acts), ("acts by organisers", "", d.by_organisers),
             ("acts prompted by organisers", "", d.prompted_by_organisers),
             ("share initiated by organisers", "", _round(d.organiser_initiated_share)),
             ("members cut off without organisers", "",
              len(d.without_organisers.members_cut_off)),
             ("teams cut off without organisers", "", len(d.without_organisers.teams_cut_off)),
             ("fragmentation with organisers", "", _round(d.without_organisers.fragmentation_with)),
             ("fragmentation without organisers", "",
              _round(d.without_organisers.fragmentation_without))]
    a = report.absence
    rows += [("absence factor, members", "", a.member_factor),
             ("absence factor, teams", "", a.team_factor)]
    rows += [("carries half the activity (member)", people.get(m, m), n) for m, n in a.members]
    rows += [("carries half the activity (team)", teams.get(t, t), n) for t, n in a.teams]
    live = report.live
    rows += [("live ties", "", live.ties), ("live team density", "", _round(live.team_density)),
             ("live member density", "", _round(live.member_density)),
             ("live team components", "", live.team_components),
             ("largest component share", "", _round(live.largest_team_component_share)),
             ("isolated teams", "", len(live.isolated_teams)),
             ("isolated members", "", len(live.isolated_members))]
    for r in report.responsiveness:
        rows += [(f"first response median days ({r.kind})", "", r.median_days),
                 (f"first response 90th percentile days ({r.kind})", "", _round(r.p90_days)),
                 (f"unanswered after 14 days share ({r.kind})", "", _round(r.unanswered_share))]
    return rows + measure_rows(report, people, teams) + follow_through_rows(report)


def dormant_actions(report: HealthReport) -> dict[str, list[str]]:
    """The outbox e-mails the momentum job proposed for each team going quiet."""
    at_risk = {t.team_id for t in report.dormant.dormant + report.dormant.falling}
    return team_actions(views().engine, at_risk, report.as_of)


def follow_through_rows(report: HealthReport) -> list[tuple[str, str, Any]]:
    """Items 10, 11 and 12, after the others."""
    d, n, new = report.dormant, report.nudges, report.newcomers
    rows: list[tuple[str, str, Any]] = [("teams counted for dormancy", "", d.teams_counted),
                                        ("dormant teams", "", len(d.dormant)),
                                        ("falling teams", "", len(d.falling))]
    for t in d.dormant + d.falling:
        rows += [(f"{t.status} team last activity", t.name,
                  t.last_activity.isoformat() if t.last_activity else ""),
                 (f"{t.status} team contacts made", t.name, t.contacts),
                 (f"{t.status} team paired with", t.name, t.paired_team_name or "")]
    rows += [("quiet spells nudged", "", n.nudged),
             ("nudged active again within 30 days share", "", _round(n.nudged_share)),
             ("quiet spells not nudged", "", n.not_nudged),
             ("not nudged active again within 30 days share", "", _round(n.not_nudged_share)),
             ("newcomers joined in period", "", new.joined),
             ("newcomers made a contact within 90 days share", "",
              _round(new.share(new.made_contact))),
             ("newcomers worked on a QIP within 90 days share", "",
              _round(new.share(new.worked_on_qip))),
             ("newcomers visit or event within 90 days share", "",
              _round(new.share(new.visit_or_event)))]
    return rows


def measure_rows(report: HealthReport, people: dict[str, str],
                 teams: dict[str, str]) -> list[tuple[str, str, Any]]:
    """Items 4, 6, 7 and 8, one figure per row, after the others."""
    rows: list[tuple[str, str, Any]] = []
    for ei in (report.ties_across_teams, report.ties_across_regions):
        rows.append((f"E-I index across {ei.across}", "", _round(ei.index)))
        rows += [(f"E-I index across {ei.across}", q.quarter, _round(q.index))
                 for q in ei.quarters]
    r, same = report.reciprocity, report.same_role
    rows += [("team pairs contacted", "", r.directed_pairs),
             ("team pairs contacted back", "", r.mutual_pairs),
             ("reciprocity between teams", "", _round(r.share)),
             ("contacts across teams, roles known", "", same.cross_team),
             ("same-role share of contacts across teams", "", _round(same.share)),
             ("same-role share by chance", "", _round(same.by_chance))]
    rows += [("same-role contacts across teams", role, n) for role, n in same.by_role]
    for brokers, named in ((report.team_brokers, teams), (report.member_brokers, people)):
        rows += [(f"{brokers.level} broker betweenness", named.get(b.id, b.id),
                  _round(b.betweenness)) for b in brokers.brokers]
        rows += [(f"{brokers.level} broker last activity", named.get(b.id, b.id),
                  b.last_activity.isoformat() if b.last_activity else "")
                 for b in brokers.brokers]
    if report.core is not None:
        core = report.core
        for t in core.quarters:
            rows += [("core members", t.period, len(t.core)),
                     ("regular members", t.period, len(t.regular)),
                     ("casual members", t.period, len(t.casual))]
        rows += [("core members before the funding end", "", len(core.before.core)),
                 ("core members after the funding end", "", len(core.after.core)),
                 ("share of the core before still core after", "", _round(core.still_core))]
        rows += [("core before the funding end became", tier, n) for tier, n in core.became]
    if report.staying is not None:
        s = report.staying
        rows += [("members followed after the funding end", "", s.survival.members),
                 ("members lapsed", "", s.survival.lapsed),
                 ("median months to lapse", "", _round(s.survival.median_months))]
        rows += [("share not yet lapsed", f"{t:.2f} months", _round(share))
                 for t, share in s.survival.curve]
        rows.append(("activity half-life months", "", _round(s.half_life.half_life_months)))
        if s.half_life.ci is not None:
            rows += [("activity half-life 95% CI low", "", _round(s.half_life.ci[0])),
                     ("activity half-life 95% CI high", "", _round(s.half_life.ci[1]))]
        for what, e in (("level change at the funding end", s.change.level_change),
                        ("slope change at the funding end", s.change.slope_change)):
            if e is not None:
                rows += [(what, "acts a month", _round(e.value)), (what, "p", _round(e.p))]
        for c in s.cohorts.cohorts:
            rows.append(("members active", c.quarter, c.active))
            rows += [(f"still active {k} quarter{'s' if k > 1 else ''} later", c.quarter,
                      _round(share)) for k, share in c.still_active]
    return rows


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


@network_health.get("/sustainability/health/method")
@organiser_required
def method() -> Any:
    """docs/network-health.md, the definitions behind every figure, as a page."""
    text = METHOD_FILE.read_text(encoding="utf-8")
    return render_template("network_health/method.html", body=with_anchors(render(text)))


def with_anchors(html: str) -> Markup:
    """Give each section heading an id ("## 4. Ties across teams" → "4-ties-across-teams"),
    so each "How this is worked out" link lands on its own measure."""
    def anchored(match: re.Match[str]) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", match.group(1).lower()).strip("-")
        return f'<h2 id="{slug}">{match.group(1)}</h2>'
    return Markup(re.sub(r"<h2>(.*?)</h2>", anchored, html))
