"""Jinja filters every page uses to say things in people's words: an enum's label
("nurse" → "Lung cancer nurse specialist"), figures as people write them ("1,234",
"40%"), and dates ("31 March 2012", "Mar 2012")."""

from __future__ import annotations

import math
from datetime import date

from flask import Flask

from domain.values import Direction, KeyArea, Labelled, QipStatus, Role
from web import nhsuk_html

# Units that read better left off: "5", not "5 count".
BARE_UNITS = {"count", "number", "n", "no."}


def _label(kind: type[Labelled], value: str | None) -> str:
    if not value:
        return ""
    try:
        return kind(value).label
    except ValueError:
        return value


def role_label(value: str | None) -> str:
    return _label(Role, value)


def key_area_label(value: str | None) -> str:
    return _label(KeyArea, value)


def status_label(value: str | None) -> str:
    return _label(QipStatus, value)


def direction_label(value: str | None) -> str:
    return _label(Direction, value)


def number(value: float | int | None, empty: str = "–") -> str:
    """61.0 → "61", 15.24 → "15.2", 1234 → "1,234", None → "–": figures as people write them."""
    if value is None:
        return empty
    if isinstance(value, float) and not math.isfinite(value):
        return empty
    rounded = round(float(value), 1)
    return f"{rounded:,.0f}" if rounded.is_integer() else f"{rounded:,.1f}"


def quantity(value: float | int | None, unit: str | None = None) -> str:
    """A figure with its unit: "40%", "12 days", or "–" when there is none."""
    if value is None:
        return "–"
    if not unit or unit.lower() in BARE_UNITS:
        return number(value)
    return f"{number(value)}{unit}" if unit == "%" else f"{number(value)} {unit}"


def day(value: date | None) -> str:
    """ISO dates read as "31 March 2012"."""
    return f"{value.day} {value:%B %Y}" if value else ""


def month_name(value: str | None) -> str:
    """"2012-03" → "Mar 2012"."""
    if not value:
        return ""
    return f"{date(int(value[:4]), int(value[5:7]), 1):%b %Y}"



def init_app(app: Flask) -> None:
    for name, function in (("role_label", role_label), ("key_area_label", key_area_label),
                           ("status_label", status_label),
                           ("direction_label", direction_label), ("num", number),
                           ("qty", quantity), ("day", day), ("month_name", month_name)):
        app.add_template_filter(function, name)
    # The NHS.UK table and details drawn in Python, for pages that draw many (issue 14).
    app.add_template_global(nhsuk_html.table, "nhsuk_table")
    app.add_template_global(nhsuk_html.details, "nhsuk_details")
    app.add_template_global(nhsuk_html.summary_list, "nhsuk_summary_list")
    app.add_template_global(nhsuk_html.drawn, "nhsuk_drawn")
    app.jinja_env.globals["CSRF_SLOT"] = nhsuk_html.CSRF_SLOT
    app.add_template_filter(nhsuk_html.form_token_filled, "form_token_filled")
