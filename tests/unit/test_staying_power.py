"""Staying power after the funding end, worked by hand: who lapses when, how fast activity
halves, whether the funding end changed its level, and who is still active later."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.network_activity import Act, ActKind
from domain.staying_power import (
    DAYS_PER_MONTH,
    activity_half_life,
    cohorts,
    funding_end_change,
    half_life,
    member_survival,
    staying_power,
    time_to_lapse,
)

FUNDING_END = date(2012, 3, 31)
AS_OF = date(2013, 6, 30)
JITTER = (1, -2, 0, 2, -1, 1, 0, -2, 2, -1, 0, 1)  # fixed noise, so fits have a spread


def act(member: str, day: date, by_organiser: bool = False) -> Act:
    return Act(member, "t1", day, ActKind.CONTACT, by_organiser=by_organiser)


def after(days: int) -> date:
    return FUNDING_END + timedelta(days=days)


def months(days: int) -> float:
    return days / DAYS_PER_MONTH


def monthly(counts: list[int], first: date) -> list[Act]:
    """``counts[i]`` acts by different members in the i-th month from ``first``."""
    acts = []
    for i, n in enumerate(counts):
        day = date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 10)
        acts += [act(f"m{j}", day) for j in range(n)]
    return acts


def test_a_member_lapses_ninety_days_after_their_last_act() -> None:
    assert time_to_lapse([after(0)], FUNDING_END, AS_OF) == (months(90), True)
    assert time_to_lapse([after(-30), after(60), after(200)], FUNDING_END, AS_OF) == (months(150), True)
    # active until the date: still active, censored at it
    assert time_to_lapse([after(d) for d in range(-10, 460, 80)], FUNDING_END, AS_OF) == \
        (months((AS_OF - FUNDING_END).days), False)
    # a gap of over ninety days is a lapse, even if they came back later
    assert time_to_lapse([after(-10), after(300)], FUNDING_END, AS_OF) == (months(80), True)


def test_a_member_lapsed_before_the_funding_end_counts_only_from_their_return() -> None:
    assert time_to_lapse([after(-100)], FUNDING_END, AS_OF) is None
    assert time_to_lapse([after(-100), after(30)], FUNDING_END, AS_OF) == (months(90), True)


def test_the_kaplan_meier_median_is_worked_with_the_still_active_censored() -> None:
    regular = [after(d) for d in range(0, 460, 30)]
    acts = ([act("m1", after(0))]
            + [act("m2", d) for d in (after(0), after(60))]
            + [act("m3", d) for d in (after(0), after(60), after(120))]
            + [act("m4", d) for d in regular] + [act("m5", d) for d in regular])
    # lapses at 90, 150, 210 days with 5, 4, 3 at risk: 0.8, 0.6, 0.4, so the median is 210 days
    result = member_survival(acts, FUNDING_END, AS_OF)
    assert (result.members, result.lapsed, result.still_active) == (5, 3, 2)
    assert result.median_months == pytest.approx(months(210))
    assert [round(s, 2) for _, s in result.curve] == [1.0, 0.8, 0.6, 0.4, 0.4]
    assert "6.9 months" in result.verdict


def test_a_curve_that_stays_above_one_half_has_no_median() -> None:
    regular = [after(d) for d in range(0, 460, 30)]
    acts = [act("m1", after(0))] + [act(m, d) for m in ("m2", "m3", "m4", "m5") for d in regular]
    result = member_survival(acts, FUNDING_END, AS_OF)
    assert result.median_months is None and "median not reached" in result.verdict


def test_too_few_members_give_no_curve_and_say_so() -> None:
    result = member_survival([act("m1", after(0)), act("o1", after(1), by_organiser=True)],
                             FUNDING_END, AS_OF)
    assert result.curve == () and result.members == 1 and "Not enough data" in result.verdict


def test_a_known_exponential_decay_gives_its_half_life_within_its_interval() -> None:
    counts = [round(200 * 0.5 ** (t / 6)) + JITTER[t % 12] for t in range(15)]
    level, months_to_half, ci = half_life(counts) or (0, 0, None)
    assert months_to_half == pytest.approx(6, rel=0.1)
    assert ci is not None and ci[1] is not None and ci[0] < 6 < ci[1]
    assert level == pytest.approx(200, rel=0.05)


def test_the_half_life_of_activity_after_the_funding_end_is_said_in_months() -> None:
    acts = monthly([round(100 * 0.5 ** (t / 4)) + JITTER[t % 12] for t in range(14)], date(2012, 4, 1))
    result = activity_half_life(acts + [act("x", date(2012, 1, 5))] * 50, FUNDING_END, AS_OF)
    assert len(result.months) == 15          # April 2012 to June 2013; a silent month counts 0
    assert result.half_life_months == pytest.approx(4, rel=0.1)
    assert result.ci is not None and result.ci[1] is not None and result.ci[0] < 4 < result.ci[1]
    assert f"halves about every {result.half_life_months:.1f} months (95% CI" in result.verdict


def test_steady_activity_has_no_half_life() -> None:
    steady = monthly([20 + j for j in JITTER], date(2012, 4, 1))
    result = activity_half_life(steady, FUNDING_END, date(2013, 3, 31))
    assert result.half_life_months is None and "not falling away" in result.verdict
    # three silent months at the end are a fall
    assert activity_half_life(steady, FUNDING_END, AS_OF).half_life_months is not None


def test_a_few_months_after_the_funding_end_are_not_enough_for_a_half_life() -> None:
    result = activity_half_life(monthly([9, 5, 3], date(2012, 4, 1)), FUNDING_END, date(2012, 7, 15))
    assert len(result.months) == 3 and "Not enough data" in result.verdict
    assert "Not enough data" in activity_half_life([], FUNDING_END, AS_OF).verdict


def test_the_interrupted_time_series_finds_a_step_down_at_the_funding_end() -> None:
    acts = monthly([50 + j for j in JITTER] + [20 + j for j in JITTER], date(2011, 4, 1))
    result = funding_end_change(acts, FUNDING_END, date(2013, 3, 31))
    assert len(result.months) == 24
    assert result.level_change is not None and result.slope_change is not None
    assert result.level_change.value == pytest.approx(-30, abs=3)
    assert result.level_change.ci[0] < -30 < result.level_change.ci[1]
    assert result.level_change.p < 0.001
    assert result.slope_change.ci[0] < 0 < result.slope_change.ci[1]
    assert "unlikely to be chance" in result.verdict and "could be chance" in result.verdict


def test_a_perfectly_flat_series_shows_no_change_without_failing() -> None:
    result = funding_end_change(monthly([3] * 8, date(2011, 12, 1)), FUNDING_END, date(2012, 7, 31))
    assert result.level_change is not None and result.level_change.value == pytest.approx(0, abs=1e-9)
    assert result.level_change.p > 0.05 and "could be chance" in result.verdict


def test_the_interrupted_time_series_needs_months_on_both_sides() -> None:
    result = funding_end_change(monthly([5] * 6, date(2011, 12, 1)), FUNDING_END, date(2012, 5, 31))
    assert result.level_change is None and "4 complete months before" in result.verdict
    assert "Not enough data" in funding_end_change([], FUNDING_END, AS_OF).verdict


def test_a_cohort_where_everyone_stays_is_all_still_active() -> None:
    quarters = [date(2011 + m // 12, m % 12 + 1, 15) for m in range(0, 30, 3)]  # 2011 Q1 … 2013 Q2
    acts = [act(m, d) for m in ("a", "b") for d in quarters]
    table = cohorts(acts, FUNDING_END, AS_OF)
    first = table.cohorts[0]
    assert (first.quarter, first.active, first.still_active) == ("2011 Q1", 2, ((1, 1.0), (2, 1.0), (4, 1.0)))
    assert table.cohorts[-1].still_active == ((1, None), (2, None), (4, None))  # 2013 Q3 is not over
    assert table.verdict == ("Of the 2 members active in 2012 Q1, the quarter the funding ended in, "
                             "100% 1 quarter later, 100% 2 quarters later, 100% 4 quarters later.")


def test_a_cohort_counts_who_acted_again_in_each_later_quarter() -> None:
    acts = ([act(m, date(2012, 2, 1)) for m in "abcd"] + [act(m, date(2012, 5, 1)) for m in "ab"]
            + [act("a", date(2012, 8, 1))])
    (cohort, *_) = cohorts(acts, FUNDING_END, AS_OF).cohorts
    assert cohort.still_active == ((1, 0.5), (2, 0.25), (4, 0.0))


def test_no_activity_leaves_every_staying_power_figure_empty_with_its_reason() -> None:
    result = staying_power([], FUNDING_END, AS_OF)
    assert result.cohorts.cohorts == () and result.survival.median_months is None
    assert result.half_life.half_life_months is None and result.change.level_change is None
    assert all("Not enough data" in v for v in (result.survival.verdict, result.half_life.verdict,
                                                  result.change.verdict, result.cohorts.verdict))


def test_a_fit_whose_interval_has_no_upper_end_says_the_fall_is_not_certain() -> None:
    nearly_flat = monthly([20 + j for j in reversed(JITTER)], date(2012, 4, 1))
    result = activity_half_life(nearly_flat, FUNDING_END, date(2013, 3, 31))
    assert result.ci is not None and result.ci[1] is None
    assert result.verdict.startswith("Activity after the funding end may not be falling")


def test_the_cohort_verdict_follows_the_last_active_quarter_of_funding() -> None:
    acts = [act(m, date(2011, 11, 1)) for m in "ab"] + [act("a", date(2012, 2, 1))]
    assert cohorts(acts, date(2011, 12, 31), AS_OF).verdict == (
        "Of the 2 members active in 2011 Q4, the quarter the funding ended in, 50% 1 quarter later, "
        "0% 2 quarters later, 0% 4 quarters later.")
    assert "2011 Q4, the last before it ended" in cohorts(acts[:2], date(2012, 2, 15), AS_OF).verdict
