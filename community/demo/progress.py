"""QIP values: a shared plan's measures recorded month by month (the owner mostly,
sometimes whoever has the data), improving with a visible step, flat, or a little
then nothing; a few values put right (a typing slip corrected, a value withdrawn),
the date a change came in marked on some long series so their charts recalculate
from it, and documents attached (business cases, the data behind a chart).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from random import Random

from community.demo.data import BUSINESS_CASE, CORRECTIONS, PATTERNS, WITHDRAWALS
from community.demo.story import (
    DEMO_ENDS_ON,
    PlannedQip,
    Story,
    add_months,
)
from domain.qip import Measure
from domain.values import DocumentKind

MARKED_SHARE = 0.5  # of the long improving series (15 values or more, an XmR chart)
CORRECTED = 6  # QIPs where a slip is typed and put right
WITHDRAWN = 2  # QIPs where a value is taken back
DOCUMENTED = 8  # QIPs with a document beside the plan


def report_progress(story: Story, qips: list[PlannedQip]) -> None:
    rng = story.rng("progress")
    for qip in qips:
        if qip.shared_on is not None:
            report(story, rng, qip)


def report(story: Story, rng: Random, qip: PlannedQip) -> None:
    """Monthly values: the owner mostly, sometimes whoever has the data."""
    assert qip.shared_on is not None
    app, team = story.app, qip.team
    pattern = qip.pattern or rng.choices(["improving", "flat", "stalled"],
                                         weights=PATTERNS[team.momentum])[0]
    wanted = qip.months or {"improving": rng.randint(10, 24), "flat": rng.randint(8, 20),
                            "stalled": rng.randint(6, 8)}[pattern]
    qip.pattern = pattern
    days = monthly_days(rng, qip.shared_on, wanted, team.active_until)
    plan = app.qip(qip.id)
    measures = plan.measures[:1] + [m for m in plan.measures[1:] if rng.random() < 0.6]
    shift_at = rng.randint(3, 6)
    if story.is_participants(qip):
        shift_at = 8  # her two years: eight months before the change, then the step shows
    series = {m.name: progress_series(rng, m, len(days), pattern, shift_at) for m in measures}
    for index, day in enumerate(days):
        by = qip.owner if rng.random() < 0.7 else rng.choice(team.members)
        story.on(day)
        for name, values in series.items():
            app.record_progress(qip.id, by=by.id, measure=name, value=values[index],
                                recorded_on=day)
    first = measures[0]
    own = story.is_participants(qip)  # her chart is the README's, drawn unmarked
    if (pattern == "improving" and len(days) >= 15 and shift_at < len(days) and not own
            and rng.random() < MARKED_SHARE):
        changes = plan.changes
        story.on(days[shift_at] + timedelta(days=28))
        app.mark_change(qip.id, by=qip.owner.id, measure=first.name, changed_on=days[shift_at],
                        description=changes[0]["title"] if changes
                        else "The new way of working started")


def monthly_days(rng: Random, shared_on: date, wanted: int, until: date) -> list[date]:
    days = []
    for month in range(1, wanted + 1):
        day = add_months(shared_on.replace(day=1), month) + timedelta(days=rng.randint(0, 9))
        if day > until or day > DEMO_ENDS_ON:
            break
        days.append(day)
    return days


def progress_series(rng: Random, measure: Measure, count: int, pattern: str,
                    shift_at: int) -> list[float]:
    """A noisy run: a step change (a visible shift), a flat line, or a little then nothing."""
    assert measure.baseline is not None and measure.target is not None
    gap = measure.target - measure.baseline
    noise = max(abs(gap) * 0.15, {"%": 1.5, "days": 0.8}.get(measure.unit, 0.6))
    reach = rng.uniform(0.7, 1.05)
    values = []
    for k in range(count):
        if pattern == "improving":
            level = measure.baseline + gap * (reach if k >= shift_at else 0.1 * k / shift_at)
        elif pattern == "flat":
            level = measure.baseline + gap * 0.1
        else:
            level = measure.baseline + gap * 0.3 * min(1.0, k / 4)
        values.append(measured(level + rng.gauss(0, noise), measure.unit))
    return values


def measured(value: float, unit: str) -> float:
    if unit == "%":
        return round(min(100.0, max(0.0, value)), 1)
    if unit == "days":
        return round(max(0.5, value), 1)
    return float(max(0, round(value)))


# --- values put right ------------------------------------------------------------------


def put_values_right(story: Story, qips: list[PlannedQip]) -> None:
    """A few teams recounted a month and corrected its value, saying why; two took
    back a value that should not have been recorded. The log keeps what was first
    recorded beside each."""
    rng = story.rng("corrections")
    app = story.app
    long_enough = [q for q in qips if q.shared_on is not None and not story.is_participants(q)
                   and len(app.qip(q.id).progress) >= 10]
    chosen = rng.sample(long_enough, min(len(long_enough), CORRECTED + WITHDRAWN))
    for number, qip in enumerate(chosen):
        values = app.qip(qip.id).progress
        value = values[rng.randint(2, len(values) - 3)]
        if number < CORRECTED:
            story.on(value["date"] + timedelta(days=rng.randint(5, 25)))
            app.correct_progress(qip.id, by=qip.owner.id, measure=value["measure"],
                                 recorded_on=value["date"],
                                 value=recounted(rng, value["value"]),
                                 reason=rng.choice(CORRECTIONS))
        else:
            story.on(value["date"] + timedelta(days=rng.randint(5, 20)))
            app.withdraw_progress(qip.id, by=qip.owner.id, measure=value["measure"],
                                  recorded_on=value["date"], reason=rng.choice(WITHDRAWALS))


def recounted(rng: Random, value: float) -> float:
    """The right value after a recount: a few off what was first recorded."""
    return max(0.0, round(value + rng.choice([-3, -2, -1, 1, 2, 3]), 1))


# --- documents -----------------------------------------------------------------------------


def attach_documents(story: Story, qips: list[PlannedQip]) -> None:
    """A business case beside plans that needed one, the data behind a chart beside
    others (the participant's among them)."""
    rng = story.rng("documents")
    app = story.app
    shared = [q for q in qips if q.shared_on is not None]
    mine = [q for q in shared if story.is_participants(q)]
    chosen = mine + rng.sample([q for q in shared if q not in mine],
                               min(len(shared) - len(mine), DOCUMENTED - len(mine)))
    for qip in chosen:
        plan = app.qip(qip.id)
        assert qip.shared_on is not None
        if "business case" in plan.title.lower() or rng.random() < 0.4:
            story.on(qip.shared_on + timedelta(days=rng.randint(7, 40)))
            text = BUSINESS_CASE.format(title=plan.title, team=qip.team.name, aim=plan.aim)
            app.attach_document(qip.id, by=qip.owner.id, filename="business-case.txt",
                                data=text.encode("utf-8"), kind=DocumentKind.BUSINESS_CASE,
                                title=f"Business case: {plan.title}")
        if plan.progress:
            story.on(max(p["date"] for p in plan.progress) + timedelta(days=3))
            app.attach_document(qip.id, by=qip.owner.id, filename="monthly-values.csv",
                                data=values_csv(plan.progress), kind=DocumentKind.DATA,
                                title="Our monthly values, as the team keeps them")


def values_csv(progress: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "date", "value"])
    for row in progress:
        writer.writerow([row["measure"], row["date"], row["value"]])
    return out.getvalue().encode("utf-8")
