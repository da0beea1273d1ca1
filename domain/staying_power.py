"""Staying power after the funding end (issue 12, item 8; docs/network-health.md gives
each formula and how to read it).

- ``member_survival``: a Kaplan–Meier curve of members' time to lapse (``LAPSE_DAYS``
  without an act) from the funding end, censoring those still active (lifelines).
- ``activity_half_life``: an exponential fit of monthly activity after the funding end,
  with a 95% confidence interval (scipy's ``curve_fit``).
- ``funding_end_change``: an interrupted time series, the level and slope change of
  monthly activity at the funding end (statsmodels OLS).
- ``cohorts``: of the members active in each quarter, the share still active 1, 2 and
  4 quarters later.

Pure functions over ``Act`` lists; acts after ``as_of`` and acts by organisers are left
out (the question is whether the network lives without its core team). Too little
data gives a "not enough data" verdict and empty figures, never an exception. The
heavy libraries are imported inside the functions, so importing the domain stays fast.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain.network_activity import LAPSE_DAYS, Act
from domain.network_measures import NOT_ENOUGH, percent, quarter_of

DAYS_PER_MONTH = 365.25 / 12
MIN_MEMBERS = 5        # fewer members than this make a curve of anecdotes
MIN_MONTHS = 4         # an exponential fit with a CI needs two degrees of freedom
MIN_MONTHS_EACH_SIDE = 3
LATER = (1, 2, 4)      # quarters later, for the cohort table


def _members_acts(acts: Iterable[Act], as_of: date) -> list[Act]:
    return [a for a in acts if a.day <= as_of and not a.by_organiser]


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(month: int) -> date:
    return date(month // 12, month % 12 + 1, 1)


def _last_complete_month(as_of: date) -> int:
    return _month(as_of + timedelta(days=1)) - 1


def monthly_counts(acts: Iterable[Act], first: int, last: int) -> list[tuple[date, int]]:
    """Acts per calendar month, months numbered year × 12 + month − 1, from ``first``
    to ``last`` inclusive; months without an act count 0, since a silence is data."""
    counts: dict[int, int] = defaultdict(int)
    for a in acts:
        counts[_month(a.day)] += 1
    return [(_month_start(m), counts[m]) for m in range(first, last + 1)]


# ----- Kaplan–Meier -------------------------------------------------------------------------

@dataclass(frozen=True)
class Survival:
    members: int                               # active at the funding end or joining after it
    lapsed: int
    still_active: int                          # censored as of the date
    curve: tuple[tuple[float, float], ...]     # (months since start, share not yet lapsed)
    median_months: float | None                # None: the curve stays above one half
    verdict: str


def time_to_lapse(days: Sequence[date], funding_end: date, as_of: date) -> tuple[float, bool] | None:
    """One member's months from the funding end (or their first act after it) to their
    lapse, and whether the lapse was seen (False: still active as of the date). None
    when they had already lapsed at the funding end and never came back."""
    days = sorted(days)
    before = [d for d in days if d <= funding_end]
    after = [d for d in days if funding_end < d <= as_of]
    if before and (funding_end - before[-1]).days < LAPSE_DAYS:
        start, last = funding_end, before[-1]
    elif after:
        start, last = after[0], after[0]
    else:
        return None
    for day in after:
        if (day - last).days > LAPSE_DAYS:
            break
        last = max(last, day)
    lapse = last + timedelta(days=LAPSE_DAYS)
    if lapse <= as_of:
        return (lapse - start).days / DAYS_PER_MONTH, True
    return (as_of - start).days / DAYS_PER_MONTH, False


def member_survival(acts: Iterable[Act], funding_end: date, as_of: date) -> Survival:
    """Kaplan–Meier estimate of how long members stay active after the funding end."""
    days: dict[str, list[date]] = defaultdict(list)
    for a in _members_acts(acts, as_of):
        days[a.member_id].append(a.day)
    spells = [s for s in (time_to_lapse(d, funding_end, as_of) for d in days.values()) if s]
    lapsed = sum(1 for _, seen in spells if seen)
    if len(spells) < MIN_MEMBERS or as_of <= funding_end:
        return Survival(len(spells), lapsed, len(spells) - lapsed, (), None,
                        f"{NOT_ENOUGH}: {len(spells)} members were active after the funding end "
                        f"(at least {MIN_MEMBERS} are needed).")
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter().fit([m for m, _ in spells], [seen for _, seen in spells])
    estimate = fitter.survival_function_["KM_estimate"]
    curve = tuple((float(t), float(s)) for t, s in estimate.items())
    median = float(fitter.median_survival_time_)
    median_months = median if math.isfinite(median) else None
    if median_months is None:
        verdict = (f"More than half of the {len(spells)} members active after the funding end have "
                   f"not lapsed (median not reached; {len(spells) - lapsed} still active).")
    else:
        verdict = (f"Half of the {len(spells)} members active after the funding end had lapsed "
                   f"({LAPSE_DAYS} days without an act) within {median_months:.1f} months; "
                   f"{len(spells) - lapsed} are still active.")
    return Survival(len(spells), lapsed, len(spells) - lapsed, curve, median_months, verdict)


# ----- half-life ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HalfLife:
    months: tuple[tuple[date, int], ...]       # the complete months after the funding end
    start_level: float | None                  # fitted acts in the first month after it
    half_life_months: float | None             # None: activity is not falling
    ci: tuple[float, float | None] | None      # 95%; an upper end of None is "no end in sight"
    verdict: str


def half_life(counts: Sequence[int]) -> tuple[float, float, tuple[float, float | None] | None] | None:
    """Fit counts[t] ≈ a·exp(−k·t) and return (a, ln 2 / k, its 95% CI from the t
    distribution on k's standard error). None when the fit fails or k ≤ 0."""
    import numpy as np
    from scipy.optimize import curve_fit
    from scipy.stats import t as student

    t = np.arange(len(counts), dtype=float)
    y = np.asarray(counts, dtype=float)
    # A poor fit is reported as "no half-life" or "no CI" below, so curve_fit's warnings
    # (overflow on the way, a covariance it cannot estimate) would only be noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            (a, k), cov = curve_fit(lambda t, a, k: a * np.exp(-k * t), t, y,
                                    p0=(max(y[0], 1.0), 0.1), maxfev=10_000)
        except (RuntimeError, ValueError):
            return None
    if k <= 0:
        return None
    spread = student.ppf(0.975, len(counts) - 2) * math.sqrt(cov[1][1])
    if not math.isfinite(spread):
        return float(a), math.log(2) / k, None
    slowest = k - spread
    return (float(a), math.log(2) / k,
            (math.log(2) / (k + spread), math.log(2) / slowest if slowest > 0 else None))


def activity_half_life(acts: Iterable[Act], funding_end: date, as_of: date) -> HalfLife:
    """How many months monthly activity takes to halve after the funding end, from the
    complete months after it up to ``as_of``."""
    months = tuple(monthly_counts(_members_acts(acts, as_of), _month(funding_end) + 1,
                                  _last_complete_month(as_of)))
    if len(months) < MIN_MONTHS or not any(n for _, n in months):
        return HalfLife(months, None, None, None,
                        f"{NOT_ENOUGH}: {len(months)} complete months of activity after the funding "
                        f"end (at least {MIN_MONTHS} are needed).")
    fit = half_life([n for _, n in months])
    if fit is None:
        return HalfLife(months, None, None, None,
                        "Activity after the funding end is not falling away: no half-life to give.")
    level, months_to_half, ci = fit
    if ci is None:
        shown = "its confidence interval could not be worked out"
    elif ci[1] is None:
        return HalfLife(months, level, months_to_half, ci,
                        f"Activity after the funding end may not be falling: the best fit halves it "
                        f"every {months_to_half:.1f} months, but the 95% CI runs from {ci[0]:.1f} "
                        "months to no end in sight.")
    else:
        shown = f"95% CI {ci[0]:.1f} to {ci[1]:.1f} months"
    verdict = f"After the funding end, activity halves about every {months_to_half:.1f} months ({shown})."
    return HalfLife(months, level, months_to_half, ci, verdict)


# ----- interrupted time series -----------------------------------------------------------------

@dataclass(frozen=True)
class Estimate:
    value: float
    ci: tuple[float, float]        # 95%
    p: float


@dataclass(frozen=True)
class FundingEndChange:
    months: tuple[tuple[date, int], ...]
    slope_before: Estimate | None  # acts a month, month on month, before the funding end
    level_change: Estimate | None  # the jump in monthly acts at the funding end
    slope_change: Estimate | None  # the change in the month-on-month trend after it
    verdict: str


def _said(what: str, e: Estimate, unit: str) -> str:
    chance = "unlikely to be chance" if e.p < 0.05 else "could be chance"
    return (f"{what} {e.value:+.1f} {unit} (95% CI {e.ci[0]:+.1f} to {e.ci[1]:+.1f}; "
            f"p = {e.p:.3f}, {chance})")


def funding_end_change(acts: Iterable[Act], funding_end: date, as_of: date) -> FundingEndChange:
    """Segmented regression of monthly acts: y = b0 + b1·t + b2·after + b3·(t − t0)·after,
    t0 the first month after the funding end; b2 is the level change, b3 the slope
    change (statsmodels OLS; month-to-month correlation is not modelled)."""
    mine = _members_acts(acts, as_of)
    if not mine:
        return FundingEndChange((), None, None, None, f"{NOT_ENOUGH}: no activity at all.")
    first_after = _month(funding_end) + 1
    months = tuple(monthly_counts(mine, _month(min(a.day for a in mine)), _last_complete_month(as_of)))
    before = sum(1 for m, _ in months if _month(m) < first_after)
    if min(before, len(months) - before) < MIN_MONTHS_EACH_SIDE:
        return FundingEndChange(months, None, None, None,
                                f"{NOT_ENOUGH}: {before} complete months before the funding end and "
                                f"{len(months) - before} after (at least {MIN_MONTHS_EACH_SIDE} each).")
    import numpy as np
    import statsmodels.api as sm

    t = np.arange(len(months), dtype=float)
    after = (t >= before).astype(float)
    design = np.column_stack([np.ones_like(t), t, after, (t - before) * after])
    # A series that fits a straight line exactly has no residual spread: its p-values are
    # 0/0, and a change in it is certain, so it is read as p = 0 (or 1 for no change).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = sm.OLS(np.array([n for _, n in months], dtype=float), design).fit()
        ci, p = fit.conf_int(0.05), fit.pvalues

    def estimate(i: int) -> Estimate:
        value = float(fit.params[i])
        certain = 0.0 if abs(value) > 1e-9 else 1.0
        return Estimate(value, (float(ci[i][0]), float(ci[i][1])),
                        float(p[i]) if math.isfinite(p[i]) else certain)

    level, slope = estimate(2), estimate(3)
    verdict = (_said("At the funding end, monthly activity changed by", level, "acts") + "; "
               + _said("its trend changed by", slope, "acts a month each month") + ".")
    return FundingEndChange(months, estimate(1), level, slope, verdict)


# ----- cohorts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cohort:
    quarter: str
    active: int
    still_active: tuple[tuple[int, float | None], ...]   # (quarters later, share); None: not yet known


@dataclass(frozen=True)
class Cohorts:
    cohorts: tuple[Cohort, ...]
    verdict: str


def _quarter(day: date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def _quarter_name(q: int) -> str:
    return quarter_of(date(q // 4, q % 4 * 3 + 1, 1))


def cohorts(acts: Iterable[Act], funding_end: date, as_of: date) -> Cohorts:
    """Of the members who acted in each quarter, the share who acted again in the quarter
    1, 2 and 4 quarters later; None while that quarter has not ended by ``as_of``."""
    active: dict[int, set[str]] = defaultdict(set)
    for a in _members_acts(acts, as_of):
        active[_quarter(a.day)].add(a.member_id)
    last_complete = _quarter(as_of + timedelta(days=1)) - 1
    quarters = sorted(active)
    table = tuple(
        Cohort(_quarter_name(q), len(active[q]),
               tuple((k, len(active[q] & active[q + k]) / len(active[q]) if q + k <= last_complete else None)
                     for k in LATER))
        for q in quarters)
    funded = [(q, c) for q, c in zip(quarters, table, strict=True) if q <= _quarter(funding_end)]
    if not funded or funded[-1][1].still_active[0][1] is None:
        return Cohorts(table, f"{NOT_ENOUGH}: no quarter of members before the funding end "
                              "can yet be followed into the next.")
    q, last = funded[-1]
    which = "the quarter the funding ended in" if q == _quarter(funding_end) else "the last before it ended"
    shares = [(k, s) for k, s in last.still_active if s is not None]
    later = ", ".join(f"{percent(s)} {k} quarter{'s' if k > 1 else ''} later" for k, s in shares)
    return Cohorts(table, f"Of the {last.active} members active in {last.quarter}, {which}, {later}.")


# ----- all together -------------------------------------------------------------------------------

@dataclass(frozen=True)
class StayingPower:
    survival: Survival
    half_life: HalfLife
    change: FundingEndChange
    cohorts: Cohorts


def staying_power(acts: Iterable[Act], funding_end: date, as_of: date) -> StayingPower:
    acts = list(acts)
    return StayingPower(member_survival(acts, funding_end, as_of),
                        activity_half_life(acts, funding_end, as_of),
                        funding_end_change(acts, funding_end, as_of),
                        cohorts(acts, funding_end, as_of))
