"""The organisers' sustainability dashboard (``/sustainability``, and its CSV): is the
network keeping itself going after the funding ended? Monthly activity before and after
the funding end, per-month averages, a bar chart of active members, and how quickly
questions to the network get a first answer from another team."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from markupsafe import Markup

from projections.sustainability import KINDS
from projections.view import month_of
from web.api.sustainability_kept import activity_figures
from web.auth import organiser_required
from web.csv_export import csv_response
from web.kept_pages import kept
from web.paging import _arg
from web.services import community, views
from web.template_filters import month_name, number

sustainability = Blueprint("sustainability", __name__)


# The monthly columns, in the order the dashboard and the CSV show them.
_HEADINGS = {"contacts": "Contacts", "workshops": "Workshops", "qips_shared": "QIPs shared",
             "progress_reports": "Progress reports", "follow_ups": "Follow-ups"}
MONTH_COLUMNS = [(key, _HEADINGS.get(key, key.replace("_", " ").capitalize()))
                 for key in KINDS.values()] + [
    ("active_members", "Active members"), ("active_teams", "Active teams")]


def _as_of() -> tuple[date | None, str | None]:
    """The optional "as of" date: (the date, or None; a problem to show, or None)."""
    raw = _arg("as_of")
    if raw is None:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, "Enter the date as year-month-day, for example 2012-03-31"


def compare(report: Mapping[str, Any]) -> dict[str, Any]:
    """Before against after the funding end: totals, and per-month averages (the two
    periods differ in length, so totals alone flatter the longer one)."""
    end = month_of(report["funding_end"]) if report["funding_end"] else None
    sides: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for row in report["months"]:
        sides["before" if end is None or row["month"] <= end else "after"].append(row)
    rows = []
    for key, heading in MONTH_COLUMNS:
        averages = {side: (sum(r[key] for r in months) / len(months) if months else None)
                    for side, months in sides.items()}
        rows.append({"key": key, "heading": heading,
                     "before": report["before"][key], "after": report["after"][key],
                     "before_avg": averages["before"], "after_avg": averages["after"],
                     "change": _change(averages["before"], averages["after"])})
    return {"rows": rows, "before_months": len(sides["before"]),
            "after_months": len(sides["after"])}


def _change(before: float | None, after: float | None) -> str:
    """The monthly rate after against before, in words."""
    if before is None or after is None:
        return "–"
    if before == 0:
        return "new since the funding end" if after else "none either side"
    ratio = after / before - 1
    if abs(ratio) < 0.005:
        return "no change"
    return f"{'up' if ratio > 0 else 'down'} {abs(ratio):.0%}"


def bar_chart(months: list[dict[str, Any]], funding_end: date | None,
              key: str = "active_members", width: int = 720, height: int = 220
              ) -> dict[str, Any] | None:
    """Geometry for a small inline SVG bar chart of one monthly figure.

    Returns bars (x, y, w, h, month, value, after funding end?), the y-axis
    top value, year ticks and where to draw the funding-end line.
    """
    if not months:
        return None
    left, right, top, bottom = 40, 10, 24, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(row[key] for row in months)
    scale_top = _nice_ceiling(peak)
    step = plot_w / len(months)
    end = month_of(funding_end) if funding_end else None
    bars, ticks, marker = [], [], None
    for i, row in enumerate(months):
        x = left + i * step
        h = plot_h * row[key] / scale_top if scale_top else 0
        bars.append({"x": round(x + step * 0.1, 1), "w": round(max(step * 0.8, 1), 1),
                     "y": round(top + plot_h - h, 1), "h": round(h, 1),
                     "month": row["month"], "value": row[key],
                     "after": end is not None and row["month"] > end})
        if row["month"].endswith("-01") or i == 0:
            ticks.append({"x": round(x, 1), "label": row["month"][:4]})
        if row["month"] == end:
            marker = round(x + step, 1)
    if end is not None and marker is None and months[0]["month"] > end:
        marker = left
    latest = months[-1]
    busiest = max(months, key=lambda r: r[key])
    return {
        "width": width, "height": height, "left": left, "top": top,
        "plot_w": plot_w, "plot_h": plot_h, "bottom_y": top + plot_h,
        "scale_top": scale_top, "mid_y": round(top + plot_h / 2, 1),
        "scale_mid": scale_top / 2, "bars": bars, "ticks": ticks, "marker": marker,
        # Near the right edge the marker's label reads leftwards so it stays inside.
        "marker_anchor": "end" if marker is not None and marker > width - 110 else "start",
        "summary": (f"Busiest month {month_name(busiest['month'])} with {busiest[key]}; "
                    f"latest month {month_name(latest['month'])} with {latest[key]}."),
    }


def _nice_ceiling(value: float) -> int:
    """The next round number at or above value (1, 2, 5 × 10ⁿ), for the y-axis."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * power:
            return int(factor * power)
    return int(10 * power)


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "the same day"
    return f"{number(value)} day{'' if value == 1 else 's'}"


def question_figures(times: Mapping[str, Any]) -> dict[str, Any]:
    """The answer times (``views.questions.answer_times``) as the page words them,
    with a verdict in plain words."""
    share = times["unanswered_after_share"]
    cutoff = times["after_days"]
    if not times["questions"]:
        verdict = "No questions have been asked yet."
    elif share is None:
        verdict = f"Too early to tell: every question was asked in the last {cutoff} days."
    elif share > 0.25:
        verdict = (f"Too many questions are left waiting: {share:.0%} had no answer from "
                   f"another team within {cutoff} days.")
    elif times["median_days"] is not None and times["median_days"] > 7:
        verdict = "Questions get answered, but slowly: half waited over a week for a first answer."
    elif share > 0.1:
        verdict = ("Most questions get a first answer within a week, but some are left "
                   "waiting.")
    else:
        verdict = ("The network answers: most questions get a first answer from another team "
                   "within a week.")
    return {**times, "verdict": verdict, "median_text": _days(times["median_days"]),
            "p90_text": _days(times["p90_days"]),
            "unanswered_after_text": (f"{share:.0%} ({times['unanswered_after']} of "
                                      f"{times['asked_before_cutoff']} questions)"
                                      if share is not None else "–")}


# The CSV's question columns: for the questions asked in each month.
QUESTION_COLUMNS = [("questions_asked", "questions"),
                    ("median_days_to_first_answer", "median_days"),
                    ("p90_days_to_first_answer", "p90_days"),
                    ("unanswered_after_14_days", "unanswered_after")]


LATEST_MONTHS = 24  # months the sustainability page's table shows unless asked for all


@sustainability.get("/sustainability")
@organiser_required
def dashboard() -> Any:
    as_of, problem = _as_of()
    # Years of months make a long table: the latest two years unless all are asked for
    # (a link, so it works without JavaScript); the CSV always has every month.
    all_months = request.args.get("months") == "all"
    today = community().today()
    # The dashboard shows the views alone, the same for every organiser: drawn once
    # and kept until a view moves on (web.kept_pages). Drawing it was ~6 ms of CPU a
    # request on the national community, most of this page's (issue 14).
    dashboard_html = kept("sustainability dashboard", (_arg("as_of"), all_months, today),
                          lambda: _dashboard(as_of, problem, all_months, today))
    return render_template("sustainability.html", dashboard=dashboard_html,
                           problem=problem), 400 if problem else 200


def _dashboard(as_of: date | None, problem: str | None, all_months: bool,
               today: date) -> Markup:
    # The report and answer times as GET /api/v1/sustainability keeps them: counted
    # once per log position of the views they read (their counting was most of this
    # page's time under load, issue 14).
    report = activity_figures(as_of)
    return Markup(render_template(
        "sustainability/_dashboard.html", report=report, as_of=as_of,
        as_of_raw=_arg("as_of") or "", all_months=all_months, latest_months=LATEST_MONTHS,
        table_months=report["months"] if all_months else report["months"][-LATEST_MONTHS:],
        problem=problem, comparison=compare(report), columns=MONTH_COLUMNS,
        chart=bar_chart(report["months"], report["funding_end"]),
        # Unanswered is a figure for today only: the view keeps no history of answers.
        unanswered=None if as_of else views().follow_ups.unanswered(),
        # Answer times as of the date shown (today when none is asked for).
        today=today,
        questions=question_figures(report["answer_times"]),
        csv_url=url_for("sustainability.csv", as_of=as_of.isoformat() if as_of else None),
        funding_end_month=month_of(report["funding_end"]) if report["funding_end"] else None,
    ))


@sustainability.get("/sustainability.csv")
@organiser_required
def csv() -> Any:
    as_of, problem = _as_of()
    if problem:
        abort(400, problem)
    report = views().sustainability.report(as_of=as_of)
    day = as_of or community().today()
    # Answer times for the questions asked each month, answers counted up to the day.
    asked = views().questions.answer_times_by_month(day)
    return csv_response(f"sustainability-{day.isoformat()}.csv",
                        ["month"] + [key for key, _ in MONTH_COLUMNS]
                        + [column for column, _ in QUESTION_COLUMNS],
                        ([row["month"]] + [row[key] for key, _ in MONTH_COLUMNS]
                         + [_figure(asked.get(row["month"]), key) for _, key in QUESTION_COLUMNS]
                         for row in report["months"]))


def _figure(times: Mapping[str, Any] | None, key: str) -> Any:
    """One answer-time figure for a CSV cell: empty when there is none."""
    if times is None:
        return 0 if key == "questions" else ""
    if key == "unanswered_after" and not times["asked_before_cutoff"]:
        return ""  # all asked too recently to say
    value = times[key]
    return "" if value is None else value
