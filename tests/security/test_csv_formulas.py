"""Organisers' CSV downloads keep people's text from running as a spreadsheet formula,
for every character a spreadsheet starts a formula with (issue 13: a mutation that
dropped three of the six survived the one example the suite had)."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask

from web.csv_export import csv_response

LEADING = ["=", "+", "-", "@", "\t", "\r"]


def downloaded(*cells: object) -> list[str]:
    with Flask(__name__).app_context():
        response = csv_response("x.csv", ["cell"], [[cell] for cell in cells])
    return [row[0] for row in csv.reader(io.StringIO(response.get_data(as_text=True),
                                                     newline=""))][1:]


@pytest.mark.parametrize("first", LEADING, ids=["equals", "plus", "minus", "at", "tab",
                                                "return"])
def test_text_starting_with_a_formula_character_is_kept_as_text(first: str) -> None:
    typed = first + 'HYPERLINK("http://evil.example","Open")'

    assert downloaded(typed) == ["'" + typed]


def test_the_same_characters_inside_text_and_numbers_are_left_as_they_are() -> None:
    assert downloaded("Nina = lead", "a-b", -2, 3.5, "") == ["Nina = lead", "a-b", "-2", "3.5",
                                                           ""]
