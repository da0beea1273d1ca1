"""A listing's total, told from the page just read (projections/paging.py): counted
by a second query only when the page cannot say it."""

from __future__ import annotations

import pytest

from projections.paging import total_of

ROWS = list(range(7))  # a list of seven, as a database would page it


def listed(limit: int, offset: int) -> tuple[int, int]:
    """The total for that page, and how many times the rows were counted for it."""
    counts = []

    def count() -> int:
        counts.append(1)
        return len(ROWS)

    return total_of(ROWS[offset:offset + limit], limit, offset, count), len(counts)


@pytest.mark.parametrize(("limit", "offset"), [(10, 0), (5, 5), (3, 6), (7, 1)])
def test_a_page_that_is_not_full_says_the_total_without_counting(limit: int, offset: int) -> None:
    assert listed(limit, offset) == (7, 0)


@pytest.mark.parametrize(("limit", "offset"), [(7, 0), (5, 0), (3, 3), (2, 8), (5, 7)])
def test_a_full_page_or_one_past_the_end_is_counted(limit: int, offset: int) -> None:
    assert listed(limit, offset) == (7, 1)


def test_an_empty_list_is_no_rows_and_no_count() -> None:
    assert total_of([], 50, 0, lambda: pytest.fail("counted an empty first page")) == 0
