"""Reading a measure over time the way QI teams are taught to (DESIGN.md §4).

Run charts (median line): a *shift* is 6 or more consecutive points on one side
of the median (points on the median neither count nor break it); a *trend* is 5
or more consecutive points all rising or all falling (a repeated value counts
once). XmR charts, as in NHS "Making Data Count": limits at the mean ± 2.66 ×
the mean moving range; special cause is a point outside the limits, 7 in a row
on one side of the mean, 7 in a row rising or falling, or 2 of 3 beyond two
thirds of the way to a limit on the same side. Each point is then common cause,
improvement or concern by the measure's good direction, and the target against
the limits says whether the process will consistently pass, fail, or hit and miss.

Pure functions on lists of numbers: the pages and the charts call them, and the
tests check them against hand-worked series.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from domain.values import Direction

SHIFT = 6
TREND = 5
XMR_RUN = 7
XMR_TREND = 7
LIMIT_FACTOR = 2.66
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


@dataclass(frozen=True)
class RunChart:
    median: float
    shifts: tuple[tuple[int, ...], ...]   # indices of each shift's points
    trends: tuple[tuple[int, ...], ...]   # indices of each trend's points


@dataclass(frozen=True)
class XmRChart:
    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    variation: tuple[Variation, ...]      # one per point
    assurance: Assurance | None           # None without a target


def _sides(values: Sequence[float], centre: float) -> list[int]:
    return [(v > centre) - (v < centre) for v in values]


def _runs_one_side(values: Sequence[float], centre: float, length: int,
                   on_centre_breaks: bool) -> list[tuple[int, ...]]:
    """Runs of at least ``length`` points on one side of ``centre``."""
    found, run, side = [], [], 0
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


def run_chart(values: Sequence[float]) -> RunChart:
    median = statistics.median(values) if values else 0.0
    return RunChart(
        median=median,
        shifts=tuple(_runs_one_side(values, median, SHIFT, on_centre_breaks=False)),
        trends=tuple(run for run, _ in _trends(values, TREND, equal_counts_once=True)))


def xmr_chart(values: Sequence[float], direction: Direction,
              target: float | None = None) -> XmRChart:
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two points")
    mean = statistics.fmean(values)
    mr_bar = statistics.fmean(abs(b - a) for a, b in zip(values, values[1:]))
    upper, lower = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
    side: dict[int, int] = {}  # point → +1 high / -1 low, for each special cause

    for i, v in enumerate(values):
        if v > upper or v < lower:
            side[i] = 1 if v > upper else -1
    for run in _runs_one_side(values, mean, XMR_RUN, on_centre_breaks=True):
        for i in run:
            side.setdefault(i, 1 if values[i] > mean else -1)
    for run, rising in _trends(values, XMR_TREND, equal_counts_once=False):
        for i in run:
            side.setdefault(i, rising)
    near_high, near_low = mean + (upper - mean) * 2 / 3, mean - (mean - lower) * 2 / 3
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        for beyond, s in (([i for i in window if values[i] > near_high], 1),
                          ([i for i in window if values[i] < near_low], -1)):
            if len(beyond) >= 2:
                for i in beyond:
                    side.setdefault(i, s)

    good = 1 if direction is Direction.UP else -1
    variation = tuple(Variation.COMMON if i not in side else
                      Variation.IMPROVEMENT if side[i] == good else Variation.CONCERN
                      for i in range(len(values)))
    return XmRChart(mean, mr_bar, upper, lower, variation, _assurance(target, lower, upper, good))


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


def shows_improvement(values: Sequence[float], direction: Direction) -> bool:
    """Whether the chart a team would see signals improvement: on an XmR chart a
    special-cause improvement point; on a run chart, the latest signal (shift or
    trend) points the good way. The library's "improved" filter uses this."""
    if chart_kind(len(values)) == "xmr":
        return Variation.IMPROVEMENT in xmr_chart(values, direction).variation
    good = 1 if direction is Direction.UP else -1
    chart = run_chart(values)
    signals = [(run[-1], 1 if values[run[0]] > chart.median else -1) for run in chart.shifts]
    signals += [(run[-1], (values[run[-1]] > values[run[0]]) - (values[run[-1]] < values[run[0]]))
                for run in chart.trends]
    if not signals:
        return False
    return max(signals)[1] == good
