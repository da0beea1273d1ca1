"""Organisers' CSV downloads: what people typed never runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import io

from flask import Flask

from web.csv_export import csv_response


def test_text_that_a_spreadsheet_would_run_is_kept_as_text_and_numbers_stay_numbers() -> None:
    with Flask(__name__).app_context():
        response = csv_response("x.csv", ["name", "days"],
                                [["=HYPERLINK(\"http://evil\")", 3], ["Nina", -2]])

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["name", "days"], ["'=HYPERLINK(\"http://evil\")", "3"], ["Nina", "-2"]]
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.mimetype == "text/csv"
