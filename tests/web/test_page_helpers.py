"""The small judgements the pages make, in plain words: verdicts, figures, the chart."""

from __future__ import annotations

from datetime import date

import pytest

from web.sustainability import _change, bar_chart
from web.template_filters import number, quantity
from web.verdicts import measure_verdict, verdict


@pytest.mark.parametrize(("value", "national", "standard", "said"), [
    (96.0, 91.0, 95.0, "Meets standard"),
    (95.0, 91.0, 95.0, "Meets standard"),
    (94.9, 91.0, 95.0, "Below standard"),
    (80.0, None, 80.0, "Meets standard"),
    (55.0, 52.0, None, "Above national figure"),
    (50.0, 52.0, None, "Below national figure"),
    (52.0, 52.0, None, "Same as national figure"),
    (50.0, None, None, "No standard"),
    (None, 91.0, 95.0, "No result"),
])
def test_audit_verdicts_use_the_standard_first_then_the_national_figure(
        value: float | None, national: float | None, standard: float | None, said: str) -> None:
    assert verdict(value, national, standard) == said


def measure(**given: object) -> dict[str, object]:
    return {"baseline": 40.0, "target": 80.0, "latest_value": 60.0, "direction": "up", **given}


@pytest.mark.parametrize(("given", "said"), [
    ({}, "Improving, not yet at target"),
    ({"latest_value": 80.0}, "Target reached"),
    ({"latest_value": 30.0}, "Worse than baseline"),
    ({"latest_value": 40.0}, "No change from baseline"),
    ({"latest_value": None}, "No progress reported yet"),
    ({"target": None}, "No target set"),
    ({"baseline": 21.0, "target": 10.0, "latest_value": 14.0, "direction": "down"},
     "Improving, not yet at target"),
    ({"baseline": 21.0, "target": 10.0, "latest_value": 9.0, "direction": "down"},
     "Target reached"),
    ({"baseline": 21.0, "target": 10.0, "latest_value": 25.0, "direction": "down"},
     "Worse than baseline"),
])
def test_a_measure_says_where_it_stands_in_its_good_direction(
        given: dict[str, object], said: str) -> None:
    assert measure_verdict(measure(**given)) == said


def test_figures_read_as_people_write_them() -> None:
    assert number(61.0) == "61"
    assert number(15.25) == "15.2"  # banker's rounding is fine at this precision
    assert number(1234) == "1,234"
    assert number(None) == "–"
    assert quantity(40.0, "%") == "40%"
    assert quantity(12, "days") == "12 days"
    assert quantity(5, "count") == "5"
    assert quantity(None, "%") == "–"


def test_the_monthly_rate_change_is_said_in_words() -> None:
    assert _change(10.0, 4.0) == "down 60%"
    assert _change(2.0, 3.0) == "up 50%"
    assert _change(2.0, 2.0) == "no change"
    assert _change(0.0, 0.0) == "none either side"
    assert _change(0.0, 1.0) == "new since the funding end"
    assert _change(None, 1.0) == "–"


def months(*values: int) -> list[dict[str, object]]:
    return [{"month": f"2012-{i + 1:02d}", "active_members": v} for i, v in enumerate(values)]


def test_the_chart_draws_one_bar_a_month_scaled_to_a_round_top() -> None:
    chart = bar_chart(months(10, 40, 20, 0), date(2012, 2, 29))
    assert chart is not None
    assert chart["scale_top"] == 50
    bars = chart["bars"]
    assert [b["value"] for b in bars] == [10, 40, 20, 0]
    assert [b["after"] for b in bars] == [False, False, True, True]
    assert bars[1]["h"] == pytest.approx(chart["plot_h"] * 40 / 50, abs=0.1)
    assert bars[3]["h"] == 0
    assert all(b["y"] + b["h"] == pytest.approx(chart["bottom_y"], abs=0.1) for b in bars)
    # The funding-end line sits after the February bar, before March's.
    assert bars[1]["x"] < chart["marker"] < bars[2]["x"]
    assert "Busiest month Feb 2012 with 40" in chart["summary"]


def test_the_chart_marks_the_funding_end_even_before_the_first_month() -> None:
    chart = bar_chart(months(3, 2), date(2011, 6, 30))
    assert chart is not None
    assert chart["marker"] == chart["left"]
    assert all(b["after"] for b in chart["bars"])


def test_no_months_no_chart() -> None:
    assert bar_chart([], date(2012, 3, 31)) is None
    empty = bar_chart(months(0, 0), None)
    assert empty is not None and empty["marker"] is None
    assert all(b["h"] == 0 for b in empty["bars"])
