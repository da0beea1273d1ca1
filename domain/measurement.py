"""Reading a measure over time the way QI teams are taught to (docs/domain.md, "Measuring").

Run charts (median line): a *shift* is 6 or more consecutive points on one side
of the median (points on the median neither count nor break it); a *trend* is 5
or more consecutive points all rising or all falling (a repeated value counts
once).

XmR charts follow NHS-R community's NHSRplotthedots, the reference implementation
of NHS England's "Making Data Count" (its ``ptd_spc_standard``,
``ptd_special_cause_type``, ``ptd_point_type`` and ``ptd_calculate_assurance_type``):

- limits at the mean ± 2.66 × the mean moving range, after moving ranges of 3.267 ×
  the mean moving range or more are screened out and the mean taken again;
- special cause, in this order of precedence: a point outside the limits; each
  point of 7 in a row rising or falling (a repeated value breaks it); each point
  close to a limit (beyond two thirds of the way to it, not outside it) in 2 of 3
  points that all sit on the same side of the mean; each point of 7 in a row on
  one side of the mean (a point on the mean breaks it);
- improvement or concern by the measure's good direction: a trend by the way it
  goes, every other rule by the side of the mean the point is on;
- assurance: a target outside the limits is consistently met or missed, inside
  (or on) them it will be hit and miss; the variation verdict is the last point's.

A change marked on a measure splits it into phases (NHSRplotthedots' ``rebase``):
each phase has its own mean and limits and the rules run within a phase. Where
this module differs from NHSRplotthedots: a change takes effect from the first
value on or after its date (the package wants the date of a value); a flat phase
gets limits at its mean (the package's are undefined; neither flags anything);
and the run chart, which the package does not draw, takes its median per phase.

Pure functions on lists of numbers: the pages and the charts call them, and the
tests check them against hand-worked series and NHSRplotthedots' own tests.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from domain.values import Direction

SHIFT = 6
TREND = 5
XMR_RUN = 7
XMR_TREND = 7
LIMIT_FACTOR = 2.66
# A moving range this many times the mean moving range is an outlier, left out of
# the mean moving range the limits are set from (3.267 is D4 for ranges of two).
SCREEN_FACTOR = 3.267
NEAR = 2 / 3   # "close to a limit": beyond two thirds of the way from the mean
# An XmR chart needs enough points for its limits to mean something.
XMR_MIN_POINTS = 15


class Variation(Enum):
    COMMON = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"


class Assurance(Enum):
    PASS = "consistently_passes"
    FAIL = "consistently_fails"
    HIT_AND_MISS = "hit_and_miss"


# Each special-cause rule and the way it points (+1 high or rising, -1 low or falling).
RULE_SIDE = {"above_upper": 1, "below_lower": -1, "trend_up": 1, "trend_down": -1,
             "two_in_three_above": 1, "two_in_three_below": -1,
             "run_above": 1, "run_below": -1}


@dataclass(frozen=True)
class RunChart:
    median: float                         # the latest phase's
    shifts: tuple[tuple[int, ...], ...]   # indices of each shift's points
    trends: tuple[tuple[int, ...], ...]   # indices of each trend's points
    phases: tuple[tuple[int, int, float], ...] = ()   # (start, end, median) of each


@dataclass(frozen=True)
class Phase:
    """The points ``start`` to ``end`` (exclusive) between two marked changes."""
    start: int
    end: int
    mean: float
    mean_moving_range: float
    upper: float
    lower: float


@dataclass(frozen=True)
class XmRChart:
    mean: float                           # the latest phase's, as are the limits
    mean_moving_range: float
    upper: float
    lower: float
    variation: tuple[Variation, ...]      # one per point
    assurance: Assurance | None           # None without a target
    phases: tuple[Phase, ...] = ()
    rules: tuple[str | None, ...] = ()    # the special-cause rule of each point

    @property
    def latest(self) -> Variation:
        """The variation icon's verdict: the last point's."""
        return self.variation[-1]


def _sides(values: Sequence[float], centre: float) -> list[int]:
    return [(v > centre) - (v < centre) for v in values]


def _runs_one_side(values: Sequence[float], centre: float, length: int,
                   on_centre_breaks: bool) -> list[tuple[int, ...]]:
    """Runs of at least ``length`` points on one side of ``centre``."""
    found: list[tuple[int, ...]] = []
    run: list[int] = []
    side = 0
    for i, s in enumerate(_sides(values, centre)):
        if s == 0:
            if on_centre_breaks:
                run, side = [], 0
            continue  # on the median: neither counts nor breaks
        if s != side:
            if len(run) >= length:
                found.append(tuple(run))
            run, side = [], s
        run.append(i)
    if len(run) >= length:
        found.append(tuple(run))
    return found


def _trends(values: Sequence[float], length: int, equal_counts_once: bool
            ) -> list[tuple[tuple[int, ...], int]]:
    """(indices, +1 rising / -1 falling) of runs of at least ``length`` points."""
    found: list[tuple[tuple[int, ...], int]] = []
    run, direction, counted = [0] if values else [], 0, 1
    for i in range(1, len(values)):
        step = (values[i] > values[i - 1]) - (values[i] < values[i - 1])
        if step == 0 and equal_counts_once:
            run.append(i)  # a repeated value: part of the run, counted once
            continue
        if step != 0 and step == direction:
            run.append(i)
            counted += 1
            continue
        if counted >= length:
            found.append((tuple(run), direction))
        # A new run starts at the last point of the old one (or its repeats).
        start = i - 1
        while equal_counts_once and start > 0 and values[start - 1] == values[start]:
            start -= 1
        run, direction, counted = list(range(start, i + 1)), step, 2 if step else 1
        if step == 0:
            run, direction, counted = [i], 0, 1
    if counted >= length:
        found.append((tuple(run), direction))
    return found


def run_chart(values: Sequence[float], starts: Sequence[int] = ()) -> RunChart:
    """The run chart of ``values``, with a median per phase when changes are marked
    (``starts``): shifts are read against their own phase's median, and neither a
    shift nor a trend runs across a change."""
    phases, shifts, trends = [], [], []
    for start, end in _phases(len(values), starts) if values else []:
        part = values[start:end]
        median = statistics.median(part)
        phases.append((start, end, median))
        shifts += [tuple(start + i for i in run)
                   for run in _runs_one_side(part, median, SHIFT, on_centre_breaks=False)]
        trends += [tuple(start + i for i in run)
                   for run, _ in _trends(part, TREND, equal_counts_once=True)]
    return RunChart(median=phases[-1][2] if phases else 0.0, shifts=tuple(shifts),
                    trends=tuple(trends), phases=tuple(phases))


def phase_starts(days: Sequence[date], changes: Iterable[date]) -> tuple[int, ...]:
    """The index of each phase's first point after changes marked on ``changes``: a
    change takes effect from the first value dated on or after it. NHSRplotthedots'
    ``rebase`` takes the date of a point; a team marks the day a change came in, which
    need not be a day a value was recorded, so the next value starts the new phase.
    A change before the first value or after the last one starts no phase."""
    starts, ordered = set(), list(days)
    for day in changes:
        i = bisect.bisect_left(ordered, day)
        if 0 < i < len(days):
            starts.add(i)
    return tuple(sorted(starts))


def _phases(n: int, starts: Sequence[int]) -> list[tuple[int, int]]:
    bounds = [0, *sorted({s for s in starts if 0 < s < n}), n]
    return list(itertools.pairwise(bounds))


def _phase(values: Sequence[float], start: int, end: int) -> Phase:
    """One phase's centre line and limits, as NHSRplotthedots' ``ptd_spc_standard``:
    moving ranges of 3.267 × their mean or more are screened out before the mean
    moving range that sets the limits is taken again."""
    part = values[start:end]
    mean = statistics.fmean(part)
    ranges = [abs(b - a) for a, b in itertools.pairwise(part)]
    first = statistics.fmean(ranges) if ranges else 0.0
    kept = [r for r in ranges if r < SCREEN_FACTOR * first]
    # A flat phase keeps no range (0 < 0 is false); NHSRplotthedots' limits are then
    # undefined and it flags nothing, as limits at the mean flag nothing here.
    mr_bar = statistics.fmean(kept) if kept else 0.0
    return Phase(start, end, mean, mr_bar, mean + LIMIT_FACTOR * mr_bar,
                 mean - LIMIT_FACTOR * mr_bar)


def special_causes(values: Sequence[float], phase: Phase) -> list[str | None]:
    """Each point's special-cause rule within one phase (None: common cause), in
    NHSRplotthedots' order of precedence (``ptd_special_cause_type``): outside the
    limits, part of a trend of 7, part of two in three close to a limit, part of a
    run of 7 on one side of the mean."""
    y = values[phase.start:phase.end]
    n = len(y)
    side = [(v > phase.mean) - (v < phase.mean) for v in y]
    outside = [v > phase.upper or v < phase.lower for v in y]
    near = LIMIT_FACTOR * NEAR * phase.mean_moving_range
    close = [not out and (v < phase.mean - near or v > phase.mean + near)
             for v, out in zip(y, outside, strict=True)]
    steps = [(b > a) - (b < a) for a, b in itertools.pairwise(y)]

    # Each rule's windows are found with a running count, in one pass: the windows
    # as slices cost a chart of two years of values most of its time (issue 14).
    in_trend = [False] * n
    streak = 0  # steps so far the same way as this one, none flat
    for j, step in enumerate(steps):     # step j goes from point j to point j + 1
        streak = 0 if step == 0 else streak + 1 if j and step == steps[j - 1] else 1
        if streak >= XMR_TREND - 1:      # 6 steps the same way: 7 points
            in_trend[j + 2 - XMR_TREND:j + 2] = [True] * XMR_TREND
    in_run = [False] * n
    streak = 0  # points so far on this point's side of the mean
    for i, here in enumerate(side):      # a point on the mean breaks a run
        streak = 0 if here == 0 else streak + 1 if i and here == side[i - 1] else 1
        if streak >= XMR_RUN:
            in_run[i + 1 - XMR_RUN:i + 1] = [True] * XMR_RUN
    two_in_three = [False] * n
    for start in range(n - 2):
        # Two of three close to a limit, and all three on the same side of the mean;
        # only the close points are flagged (not one beyond the limit, not the third).
        if (close[start] + close[start + 1] + close[start + 2] >= 2
                and abs(side[start] + side[start + 1] + side[start + 2]) == 3):
            for i in (start, start + 1, start + 2):
                two_in_three[i] = two_in_three[i] or close[i]

    rules: list[str | None] = []
    for i in range(n):
        if outside[i]:
            rules.append("above_upper" if side[i] == 1 else "below_lower")
        elif in_trend[i]:
            # A point inside a trend takes the step after it; the trend's last point
            # the step before it (NHSRplotthedots' reading of the trend's direction).
            step = steps[i] if i + 1 < n and in_trend[i + 1] else steps[i - 1]
            rules.append("trend_up" if step == 1 else "trend_down")
        elif two_in_three[i]:
            rules.append("two_in_three_above" if side[i] == 1 else "two_in_three_below")
        elif in_run[i]:
            rules.append("run_above" if side[i] == 1 else "run_below")
        else:
            rules.append(None)
    return rules


def xmr_chart(values: Sequence[float], direction: Direction,
              target: float | None = None, starts: Sequence[int] = ()) -> XmRChart:
    """The XmR chart of ``values``, recalculated from each index in ``starts`` (a
    change marked on the measure): each phase has its own mean and limits, and the
    rules run within a phase only, as NHSRplotthedots' ``rebase`` does. The headline
    figures, the assurance and the variation icon are the latest phase's."""
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two points")
    phases = tuple(_phase(values, s, e) for s, e in _phases(len(values), starts))
    rules: list[str | None] = []
    for phase in phases:
        rules += special_causes(values, phase)
    good = 1 if direction is Direction.UP else -1
    variation = tuple(
        Variation.COMMON if rule is None else
        Variation.IMPROVEMENT if RULE_SIDE[rule] == good else Variation.CONCERN
        for rule in rules)
    latest = phases[-1]
    return XmRChart(latest.mean, latest.mean_moving_range, latest.upper, latest.lower,
                    variation, _assurance(target, latest.lower, latest.upper, good),
                    phases, tuple(rules))


def _assurance(target: float | None, lower: float, upper: float, good: int) -> Assurance | None:
    if target is None:
        return None
    if lower <= target <= upper:
        return Assurance.HIT_AND_MISS
    # Every point the process makes lands between the limits: a target below all of
    # them is always met when higher is better, and never when lower is better.
    below_all = target < lower
    return Assurance.PASS if below_all == (good == 1) else Assurance.FAIL


def chart_kind(points: int) -> str:
    """Which chart to draw: a run chart until there are enough points for XmR limits."""
    return "xmr" if points >= XMR_MIN_POINTS else "run"


def shows_improvement(values: Sequence[float], direction: Direction,
                      starts: Sequence[int] = ()) -> bool:
    """Whether the chart a team would see signals improvement in its latest phase
    (all of it when no change is marked): on an XmR chart a special-cause
    improvement point; on a run chart, the latest signal (shift or trend) points the
    good way. The library's "improved" filter uses this.

    A change marked where the values stepped the good way counts too. Making Data
    Count rebases only once a change has shown as special cause, so the new phase,
    judged against its own mean, is usually common cause: without this, marking a
    change that worked would drop the plan out of "improved". The step is read as the
    chart without the latest mark reads the latest phase's points."""
    if _improves(values, direction, starts):
        return True
    if not starts:
        return False
    *earlier, latest = sorted(starts)
    return _improves(values, direction, earlier, since=latest)


def _improves(values: Sequence[float], direction: Direction, starts: Sequence[int],
              since: int | None = None) -> bool:
    """Improvement signalled at or after point ``since`` (the latest phase's start)."""
    if chart_kind(len(values)) == "xmr":
        xmr = xmr_chart(values, direction, starts=starts)
        first = xmr.phases[-1].start if since is None else since
        return Variation.IMPROVEMENT in xmr.variation[first:]
    good = 1 if direction is Direction.UP else -1
    chart = run_chart(values, starts)
    latest = chart.phases[-1][0] if chart.phases else 0
    median = chart.phases[-1][2] if chart.phases else chart.median
    if since is not None:
        # Signals that end in the latest phase, each against its own phase's median.
        signals = [(run[-1], 1 if values[run[0]] > _median_at(chart, run[0]) else -1)
                   for run in chart.shifts if run[-1] >= since]
        signals += [(run[-1], _direction_of(values, run))
                    for run in chart.trends if run[-1] >= since]
    else:
        signals = [(run[-1], 1 if values[run[0]] > median else -1)
                   for run in chart.shifts if run[0] >= latest]
        signals += [(run[-1], _direction_of(values, run))
                    for run in chart.trends if run[0] >= latest]
    if not signals:
        return False
    return max(signals)[1] == good


def _direction_of(values: Sequence[float], run: Sequence[int]) -> int:
    return (values[run[-1]] > values[run[0]]) - (values[run[-1]] < values[run[0]])


def _median_at(chart: RunChart, index: int) -> float:
    """The median of the run-chart phase that point ``index`` is in."""
    for start, _end, median in reversed(chart.phases or []):
        if start <= index:
            return median
    return chart.median
