"""A team looks at its measure's chart: what the SVG shows, read back as a browser would."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from domain.values import Direction
from web.charts import measure_chart

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [date(2013 + m // 12, m % 12 + 1, 1) for m in range(24)]
# Six points above the median (56.5) from Apr 2013, three below on either side, no trend.
SHIFTED = [50, 52, 49, 60, 62, 61, 63, 64, 62, 51, 53, 50]
# Twenty steady points but one: the 80 in Apr 2014 lies above the upper limit (57.97: its
# moving ranges of 29 and 30 are screened out before the limits are set).
STEADY = [50, 52, 48, 51, 49, 50, 53, 47, 50, 51, 49, 52, 48, 50, 51, 80, 50, 49, 51, 50]


def draw(values, direction=Direction.UP, target=None, name="Patients seen within 14 days",
         unit="%", **kwargs):
    chart = measure_chart(list(zip(MONTHS, values, strict=False)), name=name, unit=unit,
                          direction=direction, target=target, **kwargs)
    return chart, ET.fromstring(chart.svg)


def points(svg, cause=None):
    return [c for c in svg.iter(f"{SVG}circle")
            if "data-cause" in c.attrib and cause in (None, c.get("data-cause"))]


def line_y(svg, cls):
    [line] = [el for el in svg.iter(f"{SVG}line") if el.get("class") == cls]
    return float(line.get("y1"))


def texts(svg):
    return [el.text for el in svg.iter(f"{SVG}text")]


def test_a_shift_above_the_median_is_marked_as_improvement_when_higher_is_better():
    chart, svg = draw(SHIFTED, Direction.UP)

    assert chart.kind == "run"
    assert [p.get("data-date") for p in points(svg, "improvement")] == [
        d.isoformat() for d in MONTHS[3:9]]
    assert points(svg, "concern") == []
    assert "A shift of 6 points above the median from Apr 2013 shows improvement." \
        in chart.summary
    assert "Median" in texts(svg)


def test_the_same_shift_is_a_concern_when_lower_is_better():
    chart, svg = draw(SHIFTED, Direction.DOWN)

    assert len(points(svg, "concern")) == 6 and points(svg, "improvement") == []
    assert "shows cause for concern" in chart.summary


def test_each_point_tells_its_month_and_value():
    _, svg = draw(SHIFTED)

    first = points(svg)[0]
    assert first.find(f"{SVG}title").text == "Jan 2013: 50%"
    assert (first.get("data-date"), float(first.get("data-value"))) == ("2013-01-01", 50)
    assert {"Jan 2013", "Dec 2013", "50%", "60%"} <= set(texts(svg))


def test_enough_points_make_an_xmr_chart_with_limits_around_the_common_points():
    chart, svg = draw(STEADY)

    common = [float(p.get("cy")) for p in points(svg, "common")]
    mean, upper, lower = (line_y(svg, c) for c in ("mean", "upper-limit", "lower-limit"))
    assert chart.kind == "xmr"
    assert upper < min(common) and lower > max(common)   # SVG y grows downwards
    assert min(common) < mean < max(common)
    assert chart.summary.startswith(
        "XmR chart of 20 points, mean 51.55%, process limits 45.13% to 57.97%.")


def test_a_point_above_the_upper_limit_is_special_cause():
    chart, svg = draw(STEADY)

    [special] = points(svg, "improvement")
    assert special.get("data-value") == "80.0"
    assert float(special.get("cy")) < line_y(svg, "upper-limit")
    assert "Special cause improvement at 1 point." in chart.summary
    assert "Improvement" in texts(svg)   # the legend names the colour


def test_no_target_line_without_a_target():
    chart, svg = draw(STEADY)

    assert "Target" not in texts(svg) and "target" not in chart.summary


@pytest.mark.parametrize("target, direction, verdict", [
    (55, Direction.UP, "The target 55% lies within the limits, so the process will "
                       "sometimes meet it and sometimes not."),
    (30, Direction.UP, "lies outside the limits, so the process will consistently meet it."),
    (30, Direction.DOWN, "so the process will consistently fail to meet it."),
])
def test_the_target_is_a_labelled_line_and_the_summary_gives_the_assurance(
        target, direction, verdict):
    chart, svg = draw(STEADY, direction, target=target)

    assert "Target" in texts(svg)
    assert verdict in chart.summary


def test_a_target_inside_the_limits_is_drawn_between_them():
    _, svg = draw(STEADY, target=55)

    assert line_y(svg, "upper-limit") < line_y(svg, "target") < line_y(svg, "lower-limit")


def test_a_run_chart_shows_its_target_too():
    chart, svg = draw(SHIFTED, target=80)

    assert line_y(svg, "target") < min(float(p.get("cy")) for p in points(svg))
    assert "The target is 80%." in chart.summary


def test_text_in_the_name_and_unit_is_escaped_and_read_out_as_the_title():
    chart, svg = draw(SHIFTED, name='Waits < 14 days & "fast"', unit="days <b>")

    title_id = svg.get("aria-labelledby")
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}title").text == 'Waits < 14 days & "fast"'
    assert svg.find(f"{SVG}desc").text == chart.summary
    assert "<b>" not in chart.svg and "days <b>" in texts(svg)


def test_a_measure_with_no_values_says_so():
    chart = measure_chart([], name="New measure", unit="%", direction=Direction.UP,
                          target=80)
    svg = ET.fromstring(chart.svg)

    assert chart.kind == "run" and chart.summary == "No values recorded yet."
    assert "No values recorded yet" in texts(svg) and points(svg) == []


@pytest.mark.parametrize("values", [[64], [64, 64, 64]])
def test_one_point_or_a_flat_series_still_draws(values):
    chart, svg = draw(values, baseline=60)

    assert len(points(svg)) == len(values)
    assert chart.summary.startswith(f"Run chart of {len(values)} point")
    assert "Baseline" in texts(svg)


def test_two_charts_on_one_page_do_not_share_ids():
    first, _ = draw(SHIFTED, name="Waits")
    second, _ = draw(STEADY, name="Seen by a nurse")

    assert ET.fromstring(first.svg).get("aria-labelledby") != \
        ET.fromstring(second.svg).get("aria-labelledby")


# --- changes marked, and a phone's width ------------------------------------------------------

STEPPED = [30, 32, 29, 31, 30, 33, 31, 29, 32, 30, 31, 30,
           45, 47, 44, 46, 45, 43, 46, 44, 47, 45, 44, 46]


def test_a_marked_change_draws_a_labelled_line_and_each_phase_its_own_limits():
    chart, svg = draw(STEPPED, changes=[(date(2014, 1, 1), "Nurse-led clinic started")])

    [change] = [el for el in svg.iter(f"{SVG}line") if el.get("class") == "change"]
    [earlier_mean] = [el for el in svg.iter(f"{SVG}line") if el.get("class") == "mean-earlier"]
    latest_mean = next(el for el in svg.iter(f"{SVG}line") if el.get("class") == "mean")
    x = float(change.get("x1"))
    assert float(earlier_mean.get("x2")) == x == float(latest_mean.get("x1"))
    assert "Nurse-led clinic…" in texts(svg) or "Nurse-led clinic started" in texts(svg)
    assert points(svg, "concern") == [] and points(svg, "improvement") == []
    assert "Recalculated from Jan 2014, when the team marked a change: Nurse-led clinic " \
           "started." in chart.summary
    assert "where the team marked a change" in chart.method.lower()


def test_without_the_change_the_baseline_reads_as_a_concern():
    chart, svg = draw(STEPPED)

    assert len(points(svg, "concern")) == 12
    assert "The latest value shows special cause improvement." in chart.summary


def test_the_phone_chart_is_drawn_narrow_with_at_most_three_dates():
    chart, _ = draw(STEPPED)
    narrow = ET.fromstring(chart.narrow)

    assert narrow.get("class") == "measure-chart-narrow"
    assert narrow.get("viewBox") == "0 0 360 280"
    dates = [t for t in texts(narrow) if t and t[:3] in {"Jan", "Feb", "Mar", "Apr", "May",
                                                          "Jun", "Jul", "Aug", "Sep", "Oct",
                                                          "Nov", "Dec"}]
    assert 2 <= len(dates) <= 3
    assert len(points(narrow)) == len(STEPPED)


def test_the_page_is_told_how_the_chart_is_read():
    assert "NHSRplotthedots" in draw(STEPPED)[0].method
    assert "median" in draw(SHIFTED)[0].method
