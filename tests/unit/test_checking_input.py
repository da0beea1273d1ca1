"""The input checks every command shares: each problem is named by its field,
and a form hears about all of them at once."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import Invalid
from domain.input_checks import Checker
from domain.values import KeyArea


def problems(check: Checker) -> dict[str, str]:
    with pytest.raises(Invalid) as raised:
        check.done()
    return raised.value.fields


def test_several_problems_are_reported_together_each_under_its_field() -> None:
    check = Checker()
    check.text("title", "   ")
    check.day("held_on", "31/03/2012")
    check.percentage("cns_seen", 120)
    check.choice("key_area", KeyArea, "gardening")

    found = problems(check)

    assert set(found) == {"title", "held_on", "cns_seen", "key_area"}
    assert found["title"] == "is required"
    assert "2012-03-31" in found["held_on"]
    assert found["cns_seen"] == "must be at most 100"
    # The choices as people read them, not the codes the events store.
    assert "Access to nurse specialists" in found["key_area"]
    assert "cns_access" not in found["key_area"]


def test_the_first_problem_with_a_field_is_the_one_reported() -> None:
    check = Checker()
    check.fail("email", "is required")
    check.fail("email", "is already taken")

    assert problems(check) == {"email": "is required"}


def test_input_without_problems_passes_and_comes_back_clean() -> None:
    check = Checker()
    title = check.text("title", "  Faster CT-guided biopsy  ")
    day = check.day("held_on", " 2012-03-31 ")
    share = check.percentage("cns_seen", "80.5")
    area = check.choice("key_area", KeyArea, "pathway_waits")
    check.done()

    assert (title, day, share, area) == ("Faster CT-guided biopsy", date(2012, 3, 31), 80.5,
                                         KeyArea.PATHWAY_WAITS)


@pytest.mark.parametrize("given", ["2012-02-30", "31/03/2012", "yesterday", "", 20120331, None])
def test_a_date_that_is_not_an_iso_calendar_date_is_refused(given: object) -> None:
    check = Checker()
    check.day("made_on", given)

    assert problems(check) == {"made_on": "must be a date like 2012-03-31"}


@pytest.mark.parametrize("given", ["1999-12-31", date(2101, 1, 1)])
def test_a_date_outside_the_years_the_community_can_mean_is_refused(given: object) -> None:
    check = Checker()
    check.day("made_on", given)

    assert problems(check) == {"made_on": "must be between 2000-01-01 and 2100-12-31"}


@pytest.mark.parametrize("given", ["2000-01-01", "2100-12-31"])
def test_the_first_and_last_days_of_the_range_are_accepted(given: str) -> None:
    check = Checker()
    assert check.day("made_on", given) == date.fromisoformat(given)
    check.done()


@pytest.mark.parametrize("given, message", [
    (-0.1, "must be at least 0"),
    (100.01, "must be at most 100"),
    ("150", "must be at most 100"),
    ("lots", "must be a number"),
    (True, "must be a number"),
    ("nan", "must be a finite number"),
    (float("inf"), "must be a finite number"),
    (None, "is required"),
])
def test_a_percentage_outside_0_to_100_or_not_a_number_is_refused(given: object,
                                                                   message: str) -> None:
    check = Checker()
    check.percentage("results.histology", given)

    assert problems(check) == {"results.histology": message}


@pytest.mark.parametrize("given", [0, 100, "0", "100.0", 45.5])
def test_percentages_from_0_to_100_are_accepted(given: object) -> None:
    check = Checker()
    assert check.percentage("results.histology", given) == float(given)
    check.done()


def test_text_that_is_too_long_or_not_text_is_refused() -> None:
    check = Checker()
    check.text("region", "x" * 81, max_length=80)
    check.text("name", 42)

    assert problems(check) == {"region": "must be at most 80 characters",
                               "name": "must be text"}


def test_optional_text_and_numbers_may_be_left_out() -> None:
    check = Checker()
    assert check.text("aim", None, required=False) == ""
    assert check.number("baseline", "", required=False) is None
    check.done()
