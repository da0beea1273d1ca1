"""HTML pages for people: log in, the directory, team pages, the QIP library,
and the organisers' sustainability dashboard.

Pages only read views (``web.services.views``) and render templates; every
filter a page takes is a GET parameter, so a filtered list is a link people can share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from domain.values import Direction, KeyArea, Labelled, QipStatus, Role
from projections.sustainability import KINDS
from projections.view import month_of
from web.auth import LoginForm, User, organiser_required
from web.csv_export import csv_response
from web.home import home_page
from web.services import community, views

pages = Blueprint("pages", __name__)

PER_PAGE = 50
# Units that read better left off: "5", not "5 count".
BARE_UNITS = {"count", "number", "n", "no."}
LAST_PAGE_ASKED = 100_000  # a larger page number is a typo, not a page
TEAM_MEMBERS_SHOWN = 200


# --- small helpers the templates use ------------------------------------------------


def _label(kind: type[Labelled], value: str | None) -> str:
    if not value:
        return ""
    try:
        return kind(value).label
    except ValueError:
        return value


@pages.app_template_filter("role_label")
def role_label(value: str | None) -> str:
    return _label(Role, value)


@pages.app_template_filter("key_area_label")
def key_area_label(value: str | None) -> str:
    return _label(KeyArea, value)


@pages.app_template_filter("status_label")
def status_label(value: str | None) -> str:
    return _label(QipStatus, value)


@pages.app_template_filter("direction_label")
def direction_label(value: str | None) -> str:
    return _label(Direction, value)


@pages.app_template_filter("num")
def number(value: float | int | None, empty: str = "–") -> str:
    """61.0 → "61", 15.24 → "15.2", 1234 → "1,234", None → "–": figures as people write them."""
    if value is None:
        return empty
    if isinstance(value, float) and not math.isfinite(value):
        return empty
    rounded = round(float(value), 1)
    return f"{rounded:,.0f}" if rounded.is_integer() else f"{rounded:,.1f}"


@pages.app_template_filter("qty")
def quantity(value: float | int | None, unit: str | None = None) -> str:
    """A figure with its unit: "40%", "12 days", or "–" when there is none."""
    if value is None:
        return "–"
    if not unit or unit.lower() in BARE_UNITS:
        return number(value)
    return f"{number(value)}{unit}" if unit == "%" else f"{number(value)} {unit}"


@pages.app_template_filter("day")
def day(value: date | None) -> str:
    """ISO dates read as "31 March 2012"."""
    return f"{value.day} {value:%B %Y}" if value else ""


@pages.app_template_filter("month_name")
def month_name(value: str | None) -> str:
    """"2012-03" → "Mar 2012"."""
    if not value:
        return ""
    return f"{date(int(value[:4]), int(value[5:7]), 1):%b %Y}"


def _options(kind: type[Labelled]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select of an enum's choices."""
    return [(m.value, m.label) for m in kind]


def _arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def _choice(name: str, kind: type[Labelled]) -> str | None:
    """A filter value that names one of the choices; anything else means no filter."""
    value = _arg(name)
    return value if value in {m.value for m in kind} else None


def _page_number() -> int:
    try:
        return min(max(1, int(request.args.get("page", 1))), LAST_PAGE_ASKED)
    except (TypeError, ValueError):
        return 1


def _paged(fetch: Any) -> tuple[list[dict[str, Any]], int, int]:
    """One page of ``fetch(limit=, offset=)``; a page past the end shows the last one."""
    page = _page_number()
    rows, total = fetch(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    last = max(1, math.ceil(total / PER_PAGE))
    if page > last:
        page = last
        rows, total = fetch(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return rows, total, page


def _pagination(total: int, page: int, shown: int, filters: Mapping[str, str | None],
                per_page: int = PER_PAGE) -> dict[str, Any]:
    """What the pagination partial needs: counts and links that keep the filters."""
    args = {k: v for k, v in filters.items() if v}
    last = max(1, math.ceil(total / per_page))
    first_shown = (page - 1) * per_page + 1 if shown else 0

    def link(number: int) -> str:
        return url_for(request.endpoint or "pages.home", **request.view_args or {},
                       **args, **({"page": number} if number > 1 else {}))

    return {
        "total": total, "page": page, "pages": last,
        "first": first_shown, "last": first_shown + shown - 1 if shown else 0,
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < last else None,
        # Numbered links: the first, the last and the pages either side of this one;
        # None stands for the gap between them ("…").
        "numbers": [None if n is None else {"number": n, "href": link(n), "current": n == page}
                    for n in page_numbers(page, last)],
    }


def page_numbers(page: int, last: int) -> list[int | None]:
    """1 … 4 5 6 … 20: the page numbers to link to, None where some are left out."""
    if last <= 1:
        return []
    shown = sorted({1, last} | {n for n in (page - 1, page, page + 1) if 1 <= n <= last})
    numbers: list[int | None] = []
    for before, n in zip([None, *shown], shown):
        if before is not None and n - before == 2:
            numbers.append(n - 1)  # one page left out: show it rather than "…"
        elif before is not None and n - before > 2:
            numbers.append(None)
        numbers.append(n)
    return numbers


def _on_site(target: str | None) -> bool:
    """Whether target is a path on this site: a login link must not bounce people elsewhere.

    Browsers read a backslash as a slash and drop tabs and newlines, so
    "/\\evil.example" and "/\\t/evil.example" count as other sites too.
    """
    return bool(target and target.startswith("/") and not target.startswith("//")
                and "\\" not in target and not any(c.isspace() or ord(c) < 32 for c in target)
                and not urlsplit(target).netloc and not urlsplit(target).scheme)


# --- logging in and out ------------------------------------------------------------------


@pages.get("/")
def home() -> Any:
    if current_user.is_authenticated:
        return home_page()
    return redirect(url_for("pages.login"))


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    raw_next = request.args.get("next")
    next_page = raw_next if _on_site(raw_next) else None  # an off-site next is dropped
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_page or url_for("pages.home"))
        return _login_page(LoginForm(formdata=None), next_page)
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form, next_page, 400)
    member = community().authenticate(form.email.data or "", form.password.data or "")
    row = views().directory.member(str(member.id)) if member else None
    if row is None:
        form.email.errors = ["That e-mail address and password do not match a member"]
        return _login_page(form, next_page, 401)
    login_user(User(row))
    flash(f"Welcome, {row['name']}.", "success")
    return redirect(next_page or url_for("pages.home"))  # each role's home page


def _login_page(form: LoginForm, next_page: str | None, status: int = 200) -> Any:
    return render_template("login.html", form=form, errors=form.problems(),
                           next_page=next_page), status


@pages.post("/logout")
def logout() -> Any:
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("pages.login"))


# --- the network directory -------------------------------------------------------------


@pages.get("/directory")
@login_required
def directory() -> Any:
    directory_view = views().directory
    teams = directory_view.teams()
    regions = directory_view.regions()
    filters = {
        "q": _arg("q"),
        "role": _choice("role", Role),
        "team": _arg("team") if _arg("team") in {t["id"] for t in teams} else None,
        "region": _arg("region") if _arg("region") in regions else None,
    }
    rows, total, page = _paged(lambda limit, offset: directory_view.members(
        role=filters["role"], team_id=filters["team"], region=filters["region"],
        q=filters["q"], limit=limit, offset=offset))
    for row in rows:
        row["email_shown"] = row["consents_to_contact"] or row["id"] == current_user.id
    return render_template(
        "directory.html", members=rows, filters=filters, filtered=any(filters.values()),
        pagination=_pagination(total, page, len(rows), filters),
        options={"role": _options(Role), "team": [(t["id"], t["name"]) for t in teams],
                 "region": [(r, r) for r in regions]})


# --- team pages -------------------------------------------------------------------------


def verdict(value: float | None, national: float | None, standard: float | None) -> str:
    """A result in plain words: against the standard where there is one, else the
    national figure."""
    if value is None:
        return "No result"
    if standard is not None:
        return "Meets standard" if value >= standard else "Below standard"
    if national is not None:
        if value > national:
            return "Above national figure"
        if value < national:
            return "Below national figure"
        return "Same as national figure"
    return "No standard"


@pages.get("/teams/<team_id>")
@login_required
def team(team_id: str) -> Any:
    found = views().directory.team(team_id)
    if found is None:
        abort(404, "There is no team at this address. It may have been mistyped.")
    indicators = views().directory.indicators()
    latest = found["latest_audit"]
    results = [{**ind, "value": latest.get(ind["key"]),
                "verdict": verdict(latest.get(ind["key"]), ind["national"], ind["standard"])}
               for ind in indicators if ind["key"] in latest]
    years = list(found["audits"])
    history = [{"name": ind["name"], "key": ind["key"],
                "values": [found["audits"][year].get(ind["key"]) for year in years]}
               for ind in indicators
               if any(ind["key"] in found["audits"][year] for year in years)]
    members, member_total = views().directory.members(team_id=team_id,
                                                      limit=TEAM_MEMBERS_SHOWN)
    for row in members:
        row["email_shown"] = row["consents_to_contact"] or row["id"] == current_user.id
    qips, qip_total = views().library.qips(viewer_team_id=current_user.team_id,
                                           team_id=team_id, limit=10)
    partners = views().network.partners_of(team_id)
    partner_names = dict(views().directory.team_options())
    everyone, _ = views().directory.members(team_id=team_id, limit=10_000)
    workshops = views().network.workshops_of([m["id"] for m in everyone])
    return render_template(
        "team.html", team=found, results=results, history=history, years=years,
        members=members, member_total=member_total, qips=qips, qip_total=qip_total,
        partners=[{**p, "partner": partner_names.get(p["partner_team_id"], "a team")}
                  for p in partners],
        workshops=workshops)


# --- the QIP library (its pages are in web.qips) ----------------------------------------


def measure_verdict(measure: Mapping[str, Any]) -> str:
    """Where the latest value stands against the target, in the measure's good direction."""
    latest, target, baseline = measure["latest_value"], measure["target"], measure["baseline"]
    if latest is None:
        return "No progress reported yet"
    if target is None:
        return "No target set"
    up = measure["direction"] != Direction.DOWN.value
    if (latest >= target) if up else (latest <= target):
        return "Target reached"
    if baseline is not None and ((latest > baseline) if up else (latest < baseline)):
        return "Improving, not yet at target"
    if baseline is not None and latest == baseline:
        return "No change from baseline"
    if baseline is not None:
        return "Worse than baseline"
    return "Not yet at target"


# --- sustainability (organisers) ----------------------------------------------------------

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


LATEST_MONTHS = 24  # months the sustainability page's table shows unless asked for all


@pages.get("/sustainability")
@organiser_required
def sustainability() -> Any:
    as_of, problem = _as_of()
    report = views().sustainability.report(as_of=as_of)
    # Years of months make a long table: the latest two years unless all are asked for
    # (a link, so it works without JavaScript); the CSV always has every month.
    all_months = request.args.get("months") == "all"
    return render_template(
        "sustainability.html", report=report, as_of=as_of, as_of_raw=_arg("as_of") or "",
        all_months=all_months, latest_months=LATEST_MONTHS,
        table_months=report["months"] if all_months else report["months"][-LATEST_MONTHS:],
        problem=problem, comparison=compare(report), columns=MONTH_COLUMNS,
        chart=bar_chart(report["months"], report["funding_end"]),
        # Unanswered is a figure for today only: the view keeps no history of answers.
        unanswered=None if as_of else views().follow_ups.unanswered(),
        csv_url=url_for("pages.sustainability_csv", as_of=as_of.isoformat() if as_of else None),
        funding_end_month=month_of(report["funding_end"]) if report["funding_end"] else None,
    ), 400 if problem else 200


@pages.get("/sustainability.csv")
@organiser_required
def sustainability_csv() -> Any:
    as_of, problem = _as_of()
    if problem:
        abort(400, problem)
    report = views().sustainability.report(as_of=as_of)
    return csv_response(f"sustainability-{(as_of or community().today()).isoformat()}.csv",
                        ["month"] + [key for key, _ in MONTH_COLUMNS],
                        ([row["month"]] + [row[key] for key, _ in MONTH_COLUMNS]
                         for row in report["months"]))
