"""A team member in a real browser records three months of values with past dates
through the QIP page's form, sees them on the chart with those dates, then puts a
mistyped one right and finds the correction in the table and the QIP's history."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

# The same shared QIP with no values yet (the `active` fixture), and its measure.
from tests.browser.helpers import MEASURE, NINA, column, logged_in


def record(page: Any, day: str, month: str, year: str, value: str) -> None:
    form = page.locator("#record-progress form").first
    form.get_by_label("Day").fill(day)
    form.get_by_label("Month").fill(month)
    form.get_by_label("Year").fill(year)
    form.get_by_label("Value", exact=True).fill(value)
    form.get_by_role("button", name="Record value").click()


def test_a_participant_records_three_months_and_corrects_a_mistyped_value(
        page: Any, active: str) -> None:
    logged_in(page, NINA)
    page.goto(f"/qips/{active}")

    for day, month, value in [("31", "1", "61"), ("29", "2", "64"), ("31", "3", "27")]:
        record(page, day, month, "2012", value)
        expect(page).to_have_url(re.compile(rf"/qips/{active}#record-progress$"))
        expect(page.locator("#record-progress")).to_contain_text(
            f"Recorded a value of {MEASURE}.")

    points = page.locator("svg.measure-chart circle[data-date]")
    expect(points).to_have_count(3)
    assert [points.nth(i).get_attribute("data-date") for i in range(3)] == [
        "2012-01-31", "2012-02-29", "2012-03-31"]

    page.get_by_text("Values recorded (3)").click()
    page.get_by_role("link", name="Correct the value of 31 March 2012").click()
    page.get_by_label("The right value").fill("72")
    page.get_by_role("button", name="Correct the value").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The reason is required")
    summary.get_by_role("link", name="The reason is required").click()
    expect(page.get_by_label("Why it was wrong")).to_be_focused()
    page.get_by_label("Why it was wrong").fill("Typed the digits the wrong way round")
    page.get_by_role("button", name="Correct the value").click()

    expect(page).to_have_url(re.compile(rf"/qips/{active}#measure-1$"))
    expect(page.locator("#measure-1")).to_contain_text(
        f"Corrected the value of {MEASURE} on 31 March 2012 to 72.")
    expect(column(page, "measure-values", 1)).to_have_text(["72%", "64%", "61%"],
                                                           use_inner_text=True)
    expect(page.locator('svg.measure-chart circle[data-date="2012-03-31"]')).to_have_attribute(
        "data-value", "72.0")

    page.get_by_role("link", name="See this QIP’s history").click()
    expect(page.locator("table.timeline")).to_contain_text(
        f"Corrected the value of {MEASURE} on 31 March 2012 from 27% to 72%: Typed the "
        "digits the wrong way round")


def test_an_impossible_date_is_refused_beside_the_form_keeping_what_was_typed(
        page: Any, active: str) -> None:
    logged_in(page, NINA)
    page.goto(f"/qips/{active}")

    record(page, "31", "2", "2012", "72")

    section = page.locator("#record-progress")
    expect(section.locator(".nhsuk-error-summary")).to_contain_text(
        "The date measured must be a real date")
    expect(section.locator("#progress-date-error")).to_be_visible()
    expect(section.get_by_label("Day")).to_have_value("31")
    expect(section.get_by_label("Value", exact=True)).to_have_value("72")
    expect(page.locator("svg.measure-chart circle[data-date]")).to_have_count(0)
