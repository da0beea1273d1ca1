"""The run-chart and XmR rules, checked against series worked out by hand."""

from __future__ import annotations

import pytest

from domain.measurement import (Assurance, Variation, chart_kind, run_chart, xmr_chart)
from domain.values import Direction

C, I, X = Variation.COMMON, Variation.IMPROVEMENT, Variation.CONCERN


# --- run charts ---------------------------------------------------------------------------

def test_six_points_below_the_median_are_a_shift_and_four_above_are_not():
    # Sorted: 1 1 1 2 2 3 | 10 11 11 12 12 13 -> median (3 + 10) / 2 = 6.5.
    chart = run_chart([10, 12, 11, 13, 1, 2, 1, 3, 2, 1, 12, 11])

    assert chart.median == 6.5
    assert chart.shifts == ((4, 5, 6, 7, 8, 9),)


def test_a_point_on_the_median_neither_counts_nor_breaks_a_shift():
    # Thirteen points, median 5 (the seventh of 1x6, 5, 9x6).
    chart = run_chart([1, 1, 1, 5, 1, 1, 1, 9, 9, 9, 9, 9, 9])

    assert chart.median == 5
    assert chart.shifts == ((0, 1, 2, 4, 5, 6), (7, 8, 9, 10, 11, 12))


def test_five_points_short_of_six_are_no_shift():
    assert run_chart([1, 1, 1, 1, 1, 9, 9, 9, 9, 9]).shifts == ()


def test_five_rising_points_are_a_trend_with_a_repeated_value_counted_once():
    # 3, 4, (4), 6, 7, 8: five different rising values.
    chart = run_chart([5, 3, 4, 4, 6, 7, 8, 2])

    assert chart.trends == ((1, 2, 3, 4, 5, 6),)


def test_four_rising_values_with_a_repeat_are_not_a_trend():
    assert run_chart([1, 2, 2, 3, 4]).trends == ()


def test_a_falling_trend_after_repeats_starts_at_the_first_repeat():
    assert run_chart([9, 9, 8, 7, 6, 5]).trends == ((0, 1, 2, 3, 4, 5),)


# --- XmR charts ---------------------------------------------------------------------------

def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges_and_a_point_outside_is_special():
    values = [9, 11] * 7 + [25]
    # Mean 165 / 15 = 11; moving ranges 13 x 2 and 14 -> 40 / 14.
    chart = xmr_chart(values, Direction.UP)

    assert chart.mean == pytest.approx(11)
    assert chart.mean_moving_range == pytest.approx(40 / 14)
    assert chart.upper == pytest.approx(11 + 2.66 * 40 / 14)
    assert chart.lower == pytest.approx(11 - 2.66 * 40 / 14)
    assert chart.variation == (C,) * 14 + (I,)
    assert xmr_chart(values, Direction.DOWN).variation[-1] is X


def test_seven_points_above_the_mean_are_special_cause():
    # Mean 70 / 15 = 4.67: exactly the last seven points are above it in a row.
    values = [3, 5, 3, 5, 3, 5, 3, 3, 5.5, 6, 5.5, 6, 5.5, 6, 5.5]

    chart = xmr_chart(values, Direction.UP)

    assert chart.mean == pytest.approx(70 / 15)
    assert [i for i, v in enumerate(chart.variation) if v is not C] == list(range(8, 15))
    assert set(chart.variation[8:]) == {I}


def test_six_points_above_the_mean_are_not_special_cause():
    values = [3, 5, 3, 5, 3, 5, 3, 3, 3, 6, 5.5, 6, 5.5, 6, 5.5]

    assert set(xmr_chart(values, Direction.UP).variation) == {C}


def test_seven_points_rising_are_special_cause_and_read_by_the_good_direction():
    values = [4, 5, 4, 5, 4, 5, 4, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 4]

    up = xmr_chart(values, Direction.UP)
    down = xmr_chart(values, Direction.DOWN)

    assert [i for i, v in enumerate(up.variation) if v is not C] == list(range(7, 14))
    assert set(up.variation[7:14]) == {I}
    assert set(down.variation[7:14]) == {X}


def test_two_of_three_points_beyond_two_thirds_of_the_way_to_a_limit_are_special():
    # Mean 177 / 15 = 11.8; mean moving range 39 / 14; two thirds of the way up is
    # 11.8 + 2/3 * 2.66 * 39/14 = 16.74, so both 17s are beyond it and the 11 is not.
    values = [10, 12] * 6 + [17, 11, 17]

    chart = xmr_chart(values, Direction.UP)

    assert chart.upper > 17
    assert [i for i, v in enumerate(chart.variation) if v is not C] == [12, 14]


@pytest.mark.parametrize("direction, target, expected", [
    (Direction.UP, 100, Assurance.FAIL),     # above every point the process makes
    (Direction.UP, 0, Assurance.PASS),       # below every point
    (Direction.UP, 5, Assurance.HIT_AND_MISS),
    (Direction.DOWN, 100, Assurance.PASS),
    (Direction.DOWN, 0, Assurance.FAIL),
    (Direction.DOWN, None, None),
])
def test_the_target_against_the_limits_says_whether_the_process_will_meet_it(
        direction, target, expected):
    values = [3, 5, 3, 5, 3, 5, 3, 5, 5.5, 6, 5.5, 6, 5.5, 6, 5.5]  # limits 1.475 to 8.125

    assert xmr_chart(values, direction, target).assurance is expected


def test_a_run_chart_is_drawn_until_there_are_fifteen_points():
    assert chart_kind(14) == "run" and chart_kind(15) == "xmr"


def test_an_xmr_chart_of_one_point_is_refused():
    with pytest.raises(ValueError):
        xmr_chart([5], Direction.UP)
