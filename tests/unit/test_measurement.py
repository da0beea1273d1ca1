"""The run-chart and XmR rules, checked against series worked out by hand."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.measurement import (
    LIMIT_FACTOR,
    Assurance,
    Phase,
    Variation,
    chart_kind,
    phase_starts,
    run_chart,
    shows_improvement,
    special_causes,
    xmr_chart,
)
from domain.values import Direction

COMMON, IMPROVEMENT, CONCERN = Variation.COMMON, Variation.IMPROVEMENT, Variation.CONCERN


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
    # Mean 165 / 15 = 11; moving ranges 13 x 2 and 14, mean 40 / 14 = 2.86. The 14 is
    # over 3.267 x 2.86 = 9.33, so it is screened out: the limits use 26 / 13 = 2.
    chart = xmr_chart(values, Direction.UP)

    assert chart.mean == pytest.approx(11)
    assert chart.mean_moving_range == pytest.approx(2)
    assert chart.upper == pytest.approx(11 + 2.66 * 2)
    assert chart.lower == pytest.approx(11 - 2.66 * 2)
    assert chart.variation == (COMMON,) * 14 + (IMPROVEMENT,)
    assert xmr_chart(values, Direction.DOWN).variation[-1] is CONCERN


def test_seven_points_above_the_mean_are_special_cause():
    # Mean 70 / 15 = 4.67: exactly the last seven points are above it in a row.
    values = [3, 5, 3, 5, 3, 5, 3, 3, 5.5, 6, 5.5, 6, 5.5, 6, 5.5]

    chart = xmr_chart(values, Direction.UP)

    assert chart.mean == pytest.approx(70 / 15)
    assert [i for i, v in enumerate(chart.variation) if v is not COMMON] == list(range(8, 15))
    assert set(chart.variation[8:]) == {IMPROVEMENT}


def test_six_points_above_the_mean_are_not_special_cause():
    values = [3, 5, 3, 5, 3, 5, 3, 3, 3, 6, 5.5, 6, 5.5, 6, 5.5]

    assert set(xmr_chart(values, Direction.UP).variation) == {COMMON}


def test_seven_points_rising_are_special_cause_and_read_by_the_good_direction():
    values = [4, 5, 4, 5, 4, 5, 4, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 4]

    up = xmr_chart(values, Direction.UP)
    down = xmr_chart(values, Direction.DOWN)

    assert [i for i, v in enumerate(up.variation) if v is not COMMON] == list(range(7, 14))
    assert set(up.variation[7:14]) == {IMPROVEMENT}
    assert set(down.variation[7:14]) == {CONCERN}


def test_two_of_three_points_beyond_two_thirds_of_the_way_to_a_limit_are_special():
    # Mean 178 / 15 = 11.87; mean moving range 37 / 14 = 2.64; two thirds of the way up
    # is 11.87 + 2/3 * 2.66 * 2.64 = 16.55, so both 17s are beyond it; the 12 between
    # them is above the mean too, and only the two close points are flagged.
    values = [10, 12] * 6 + [17, 12, 17]

    chart = xmr_chart(values, Direction.UP)

    assert chart.upper > 17
    assert [i for i, v in enumerate(chart.variation) if v is not COMMON] == [12, 14]
    assert chart.rules[12] == chart.rules[14] == "two_in_three_above"


def test_two_of_three_close_to_a_limit_needs_all_three_on_the_same_side_of_the_mean():
    # Mean 11.8: the 11 between the 17s is below it, so there is no special cause.
    values = [10, 12] * 6 + [17, 11, 17]

    assert set(xmr_chart(values, Direction.UP).variation) == {COMMON}


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


# --- worked examples from NHSRplotthedots' own tests --------------------------------------
# nhs-r-community/NHSRplotthedots, tests/testthat/test-ptd_calculate_point_type.R and
# tests/testthat/test-ptd_spc_standard.R: the same series, read by this module.

def rules_of(values, mean=0.0, mean_moving_range=10.0):
    """The rules within one hand-made phase (limits mean ± 2.66 × the given range)."""
    spread = LIMIT_FACTOR * mean_moving_range
    phase = Phase(0, len(values), mean, mean_moving_range, mean + spread, mean - spread)
    return special_causes(values, phase)


def flagged(rules):
    return [i for i, rule in enumerate(rules) if rule is not None]


def test_seven_points_on_one_side_flag_all_seven_and_a_point_on_the_mean_breaks_them():
    # ptd_seven_point_one_side_mean: rep(1, 6) is not a run; c(rep(1, 8), -1) is.
    assert flagged(rules_of([1] * 6)) == []
    assert flagged(rules_of([1] * 6 + [-1])) == []
    assert rules_of([1] * 8 + [-1]) == ["run_above"] * 8 + [None]
    assert rules_of([-1] * 8 + [1]) == ["run_below"] * 8 + [None]
    assert flagged(rules_of([1, 1, 1, 0, 1, 1, 1, 1])) == []


def test_seven_points_rising_flag_all_seven_and_a_repeated_value_breaks_them():
    # ptd_seven_point_trend: 1:6 is too short, c(1:3, 3:6) has a repeat, c(2, 1:7, 3)
    # and c(2, 7:1, 3) trend over 1 to 7 only.
    assert flagged(rules_of([1, 2, 3, 4, 5, 6])) == []
    assert flagged(rules_of([1, 2, 3, 3, 4, 5, 6], mean=3.5)) == []
    assert rules_of([2, 1, 2, 3, 4, 5, 6, 7, 3], mean=4) == (
        [None] + ["trend_up"] * 7 + [None])
    assert rules_of([2, 7, 6, 5, 4, 3, 2, 1, 3], mean=4) == (
        [None] + ["trend_down"] * 7 + [None])


@pytest.mark.parametrize("close, expected", [
    ([1, 0, 1], [0, 2]), ([0, 1, 1], [1, 2]), ([1, 1, 0], [0, 1]),
    ([0, 0, 1, 0, 1, 0, 0], [2, 4]), ([0, 0, 1, 1, 0, 0, 0], [2, 3]),
    ([1, 0, 0, 1], []), ([1, 0, 0, 1, 1], [3, 4]),
])
def test_two_in_three_flags_only_the_points_close_to_the_limit(close, expected):
    # ptd_two_in_three / ptd_part_of_two_in_three: limits at ±26.6, close beyond ±17.7.
    # A point next to a close one sits above the mean (5), the others below it (-5).
    near = [any(close[max(0, i - 1):i + 2]) for i in range(len(close))]
    values = [20 if c else 5 if n else -5 for c, n in zip(close, near, strict=True)]
    assert flagged(rules_of(values)) == expected


def test_two_close_points_on_opposite_sides_of_the_mean_are_common_cause():
    # test-ptd_spc_standard.R: "it only reports special cause for 2 of 3 points close to
    # limits when they are on the same side of the mean". Mean 0; moving ranges 13 x 2,
    # 6.5 and 11 (mean 2.9); the 11 is over 3.267 x 2.9 and is screened out, leaving
    # 32.5 / 14: limits ±6.18, close beyond ±4.12, so both 5.5s are close.
    values = [1, -1] * 7 + [5.5, -5.5]

    chart = xmr_chart(values, Direction.UP)

    assert chart.mean == pytest.approx(0)
    assert chart.mean_moving_range == pytest.approx(32.5 / 14)
    assert chart.variation[-2:] == (COMMON, COMMON)


def test_a_point_outside_the_limits_is_read_before_a_run_it_is_part_of():
    assert rules_of([1] * 5 + [-1, 30]) == [None] * 6 + ["above_upper"]
    assert rules_of([1] * 7 + [30])[-1] == "above_upper"


def test_a_trend_is_improvement_or_concern_by_the_way_it_goes_not_the_side_it_is_on():
    # Issue #167 of NHSRplotthedots: a falling trend above the mean is a falling trend.
    values = [18, 17, 16, 15, 14, 13, 12]
    chart_rules = rules_of(values, mean=5, mean_moving_range=10)

    assert chart_rules == ["trend_down"] * 7


def test_the_variation_verdict_is_the_last_points():
    values = [9, 11] * 7 + [25]

    assert xmr_chart(values, Direction.UP).latest is IMPROVEMENT
    assert xmr_chart(values[:-1], Direction.UP).latest is COMMON


# --- changes marked: each phase its own mean and limits --------------------------------------

STEP = [10, 12] * 6 + [20, 22] * 6   # a change came in before the 13th value


def test_without_a_change_marked_the_baseline_is_a_concern_against_limits_it_never_had():
    chart = xmr_chart(STEP, Direction.UP)

    assert chart.mean == pytest.approx(16)
    assert set(chart.variation[:12]) == {CONCERN} and set(chart.variation[12:]) == {IMPROVEMENT}


def test_from_a_marked_change_each_phase_has_its_own_mean_and_limits():
    chart = xmr_chart(STEP, Direction.UP, starts=(12,))

    # Each phase alternates by 2: mean moving range 2, limits mean ± 5.32; the range of
    # 8 across the change belongs to neither phase.
    assert [(p.start, p.end, p.mean, p.mean_moving_range) for p in chart.phases] == [
        (0, 12, 11, 2), (12, 24, 21, 2)]
    assert (chart.mean, chart.upper, chart.lower) == pytest.approx((21, 26.32, 15.68))
    assert set(chart.variation) == {COMMON}


def test_rules_do_not_run_across_a_change():
    # Seven rising points, split 4 + 3 by a change: no trend in either phase.
    values = [5, 6, 5, 6, 5, 6, 5, 6, 1, 2, 3, 4, 5, 6, 7, 6, 5, 6, 5, 6]
    assert "trend_up" in xmr_chart(values, Direction.UP).rules
    assert "trend_up" not in xmr_chart(values, Direction.UP, starts=(12,)).rules


def test_a_change_takes_effect_from_the_first_value_on_or_after_its_date():
    # test-ptd_spc_standard.R "it sets the rebase_group field": a rebase on the 11th of
    # 20 days starts the second group there.
    days = [date(2020, 1, 2) + timedelta(days=i) for i in range(20)]

    assert phase_starts(days, [days[10]]) == (10,)
    assert phase_starts(days, [days[9] + timedelta(days=1)]) == (10,)
    assert phase_starts([date(2020, 1, 1), date(2020, 3, 1)], [date(2020, 2, 10)]) == (1,)
    # Before the first value or after the last, a change starts no new phase.
    assert phase_starts(days, [date(2019, 1, 1), date(2021, 1, 1)]) == ()


def test_the_run_chart_takes_its_median_per_phase():
    chart = run_chart(STEP, starts=(12,))

    assert [(s, e, m) for s, e, m in chart.phases] == [(0, 12, 11), (12, 24, 21)]
    assert chart.median == 21 and chart.shifts == ()
    assert run_chart(STEP).shifts   # one median for all: 12 below it, 12 above


def test_the_improved_verdict_reads_the_latest_phase():
    # Better when lower: against one set of limits the step up is a concern and the
    # baseline an improvement; from the change, the latest phase is common cause.
    assert shows_improvement(STEP, Direction.DOWN)
    assert not shows_improvement(STEP, Direction.DOWN, starts=(12,))


# --- a change that worked stays "improved" once it is marked ----------------------------

STEP_UP = [60, 62, 61, 59, 63, 60, 61, 62, 60, 61, 62, 60,
           72, 74, 73, 75, 72, 74, 73, 75, 74, 73, 72, 74]


def test_marking_a_change_that_worked_keeps_the_plan_improved_on_an_xmr_chart() -> None:
    assert shows_improvement(STEP_UP, Direction.UP)
    assert shows_improvement(STEP_UP, Direction.UP, starts=(12,))
    assert not shows_improvement(STEP_UP, Direction.DOWN, starts=(12,))


def test_marking_a_change_that_worked_keeps_the_plan_improved_on_a_run_chart() -> None:
    values = [60, 62, 61, 59, 63, 60, 72, 74, 75, 73, 76, 78]
    assert shows_improvement(values, Direction.UP, starts=(6,))
    assert not shows_improvement(values, Direction.DOWN, starts=(6,))


def test_a_marked_change_with_no_step_is_not_improvement() -> None:
    flat = [60, 62, 61, 59, 63, 60, 61, 62, 60, 61, 62, 60] * 2
    assert not shows_improvement(flat, Direction.UP, starts=(12,))


# --- the rules read in one pass are the rules as written, window by window -----------

def _by_windows(values: list[float], phase: Phase) -> tuple[list[bool], list[bool]]:
    """The trend and run rules as NHSRplotthedots states them: every window of seven
    points, each looked at whole."""
    y = values[phase.start:phase.end]
    side = [(v > phase.mean) - (v < phase.mean) for v in y]
    steps = [(b > a) - (b < a) for a, b in itertools.pairwise(y)]
    trend, run = [False] * len(y), [False] * len(y)
    for end in range(6, len(y)):
        window = steps[end - 6:end]
        if all(s == 1 for s in window) or all(s == -1 for s in window):
            trend[end - 6:end + 1] = [True] * 7
        if side[end - 6] != 0 and all(s == side[end - 6] for s in side[end - 6:end + 1]):
            run[end - 6:end + 1] = [True] * 7
    return trend, run


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(min_value=-2, max_value=2), min_size=2, max_size=60),
       st.integers(min_value=0, max_value=59))
def test_trends_and_runs_are_found_as_their_windows_find_them(moves: list[int],
                                                             mark: int) -> None:
    # Small whole moves: long rises and falls, repeats (which break a trend) and
    # points on the mean (which break a run).
    values = [float(v) for v in itertools.accumulate(moves)]
    for phase in xmr_chart(values, Direction.UP, starts=[mark]).phases:
        trend, run = _by_windows(values, phase)
        for rule, in_trend, in_run in zip(special_causes(values, phase), trend, run,
                                          strict=True):
            if rule in ("trend_up", "trend_down"):
                assert in_trend
            elif rule in ("run_above", "run_below"):
                assert in_run and not in_trend
            elif rule is None:
                assert not in_trend and not in_run
            # Else beyond a limit, or two in three close to one: read before these.
