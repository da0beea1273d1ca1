"""A team member recording their QIP's progress in a real browser: one value with the
form, the rest of a year from a spreadsheet, and the chart marking the improvement."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import MEASURE, NINA, logged_in

# A year of month ends: six months around 60%, then six around 75% after the change.
YEAR = [("2012-01-31", 61), ("2012-02-29", 59), ("2012-03-31", 62), ("2012-04-30", 60),
        ("2012-05-31", 61), ("2012-06-30", 60), ("2012-07-31", 72), ("2012-08-31", 75),
        ("2012-09-30", 74), ("2012-10-31", 76), ("2012-11-30", 73), ("2012-12-31", 77)]


def test_a_participant_records_a_year_of_values_and_sees_the_improvement_marked(
        page: Any, active: str) -> None:
    logged_in(page, NINA)
    page.goto(f"/qips/{active}")

    first_day, first_value = YEAR[0]
    year, month, day = first_day.split("-")
    form = page.locator("#record-progress form").first
    form.get_by_label("Day").fill(day)
    form.get_by_label("Month").fill(month)
    form.get_by_label("Year").fill(year)
    form.get_by_label("Value", exact=True).fill(str(first_value))
    form.get_by_role("button", name="Record value").click()
    expect(page.get_by_text(f"Recorded a value of {MEASURE}.")).to_be_visible()

    rows = "".join(f"{d},{v}\n" for d, v in YEAR[1:])
    page.locator("#progress-upload-form input[type=file]").set_input_files(files=[{
        "name": "cns.csv", "mimeType": "text/csv", "buffer": f"date,value\n{rows}".encode()}])
    page.get_by_role("button", name="Upload values").click()

    expect(page.get_by_text("Recorded 11 values from cns.csv.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/qips/{active}#measures$"))
    chart = page.locator("svg.measure-chart")
    expect(chart).to_have_count(1)
    expect(chart.locator("circle[data-date]")).to_have_count(12)
    assert chart.locator("circle[data-cause=improvement]").count() >= 6
    expect(page.locator(".chart-summary")).to_contain_text("12 points")
    page.get_by_text("Values recorded (12)").click()
    expect(page.locator("table.measure-values tbody tr")).to_have_count(12)


def test_a_file_with_a_bad_line_is_refused_naming_it_and_nothing_is_recorded(
        page: Any, active: str) -> None:
    logged_in(page, NINA)
    page.goto(f"/qips/{active}/progress/upload")

    page.locator("#progress-upload-form input[type=file]").set_input_files(files=[{
        "name": "cns.csv", "mimeType": "text/csv",
        "buffer": b"date,value\n2012-01-31,61\n2012-02-29,sixty\n"}])
    page.get_by_role("button", name="Upload values").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Nothing was recorded")
    expect(summary).to_contain_text("Line 3, value: must be a number")
    page.goto(f"/qips/{active}")
    expect(page.locator("svg.measure-chart circle[data-date]")).to_have_count(0)
