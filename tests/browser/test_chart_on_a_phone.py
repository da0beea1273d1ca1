"""A measure's chart in a real browser: on a 390 px phone its axis text stays readable,
and a team member marks when a change came in, after which the chart is recalculated."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import NINA, logged_in

MEASURE = "Patients seen by a CNS"
# A year around 30%, then a year around 45% after a nurse-led clinic started.
STEP = [(date(2011 + m // 12, m % 12 + 1, 15).isoformat(), v) for m, v in enumerate(
    [31, 29, 33, 30, 32, 30, 31, 29, 32, 30, 31, 30,
     45, 47, 44, 46, 45, 43, 46, 44, 47, 45, 44, 46])]
# The smallest axis text, in CSS pixels as drawn, that still reads on a phone.
READABLE_PX = 11


@pytest.fixture
def measured(community: Any, network: Any) -> str:
    qip_id = community.draft_qip(
        by=network.nurse, title="Nurse specialist at every diagnosis", key_area="cns_access",
        aim="Raise the share of patients who meet a CNS at diagnosis from 30% to 45% by "
            "March 2013.", timeframe="January 2011 to March 2013",
        measures=[{"name": MEASURE, "unit": "%", "baseline": 30, "target": 45,
                   "direction": "up"}])
    community.share_qip(qip_id, shared_on="2011-01-01")
    community.record_series(qip_id, by=network.nurse, measure=MEASURE, values=STEP)
    return str(qip_id)


def drawn_text_px(chart: Any) -> list[float]:
    """The size each piece of the chart's text is drawn at, in CSS pixels."""
    return chart.evaluate("""svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale);
    }""")


def test_on_a_phone_the_chart_is_drawn_for_its_width_and_its_text_is_readable(
        page: Any, measured: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    logged_in(page, NINA)
    page.goto(f"/qips/{measured}")

    expect(page.locator("svg.measure-chart")).to_be_hidden()
    narrow = page.locator("svg.measure-chart-narrow")
    expect(narrow).to_be_visible()
    assert min(drawn_text_px(narrow)) >= READABLE_PX
    assert page.evaluate("document.documentElement.scrollWidth") <= 390   # no sideways scroll
    if folder := os.environ.get("CHART_SCREENSHOTS"):
        narrow.screenshot(path=f"{folder}/chart-390.png")


def test_on_a_wide_screen_the_wide_chart_is_shown(page: Any, measured: str) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    logged_in(page, NINA)
    page.goto(f"/qips/{measured}")

    wide = page.locator("svg.measure-chart")
    expect(wide).to_be_visible()
    expect(page.locator("svg.measure-chart-narrow")).to_be_hidden()
    assert min(drawn_text_px(wide)) >= READABLE_PX


def test_a_member_marks_a_change_and_the_baseline_is_no_longer_a_concern(
        page: Any, measured: str) -> None:
    logged_in(page, NINA)
    page.goto(f"/qips/{measured}")
    chart = page.locator("svg.measure-chart")
    assert chart.locator("circle[data-cause=concern]").count() == 12

    page.get_by_text("Mark when a change came in").click()
    form = page.locator(".chart-changes form").last
    form.get_by_label("Day").fill("1")
    form.get_by_label("Month").fill("1")
    form.get_by_label("Year").fill("2012")
    form.get_by_label("What changed").fill("Nurse-led clinic started")
    form.get_by_role("button", name="Mark the change").click()

    expect(page.get_by_text(f"Marked the change on {MEASURE}")).to_be_visible()
    expect(chart.locator("line.change")).to_have_count(1)
    expect(chart.locator("circle[data-cause=concern]")).to_have_count(0)
    expect(page.locator(".chart-summary")).to_contain_text("Recalculated from Jan 2012")
