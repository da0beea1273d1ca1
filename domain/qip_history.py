"""A QIP's history from its stored events: what changed, when and by whom, and
the plan as first shared beside the plan now.

The organisers found progress reports "sometimes oversold against the original
aim". Because every revision is an event, the original plan is never lost:
this module replays the events to set it beside the current one, and judges
the latest values against the original targets as well as the current ones,
so a target moved to meet the results shows as drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from uuid import UUID

from domain.qip import Measure, Qip
from domain.values import Direction

SNAPSHOT_FIELDS = ("title", "aim", "timeframe", "measures")
FIELD_NAMES = {"title": "title", "key_area": "key area", "aim": "aim", "timeframe": "time frame",
               "measures": "measures", "member_ids": "team members involved",
               "changes": "changes to test", "obstacles": "obstacles",
               "obstacle_notes": "obstacles", "enablers": "enablers",
               "enabler_notes": "enablers", "lessons": "lessons learned", "owner_id": "owner"}


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Entry:
    version: int
    on: date
    by: UUID | None
    what: str
    changes: tuple[Change, ...] = ()
    comments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AgainstTarget:
    """One measure's latest value judged against the original and the current target."""

    name: str
    unit: str
    latest: float | None
    original_target: float | None
    current_target: float | None
    meets_original: bool | None
    meets_current: bool | None

    @property
    def target_moved(self) -> bool:
        return self.original_target != self.current_target

    @property
    def oversold(self) -> bool:
        """Success claimed against a target moved to meet the results."""
        return bool(self.meets_current) and self.meets_original is False


@dataclass(frozen=True)
class History:
    entries: tuple[Entry, ...]
    original: dict[str, Any]
    original_label: str
    current: dict[str, Any]
    drifted: tuple[str, ...]          # fields that differ between the two plans
    against_targets: tuple[AgainstTarget, ...]

    def for_reader(self, sees_comments: bool) -> History:
        """The history as a reader may see it: the review comments left out for
        those outside the team (see ``domain.qip.sees_review_comments``)."""
        if sees_comments:
            return self
        return replace(self, entries=tuple(replace(e, comments={}) for e in self.entries))


def _day(event: Any, *names: str) -> date:
    for name in names:
        if isinstance(value := getattr(event, name, None), date):
            return value
    return event.timestamp.date()


def _snapshot(plan: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(plan[k]) if isinstance(plan[k], list) else plan[k]) for k in SNAPSHOT_FIELDS}


def _measures(value: list[Any]) -> list[Measure]:
    return [m if isinstance(m, Measure) else Measure(**m) for m in value]


def _meets(value: float | None, target: float | None, direction: Direction) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if direction is Direction.UP else value <= target


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "nothing"
    if unit == "%":
        return f"{value:g}%"
    return f"{value:g}" + (f" {unit}" if unit and unit != "count" else "")


def _value_changed(event: Any, values: dict[tuple[str, date], float],
                   plan: dict[str, Any]) -> Entry:
    """A corrected or withdrawn value, in words: which value, from what, and why."""
    key = (event.measure, event.recorded_on)
    unit = next((m.unit for m in plan.get("measures") or [] if m.name == event.measure), "")
    before = _amount(values.get(key), unit)
    which = f"the value of {event.measure} on {event.recorded_on:%-d %B %Y}"
    if isinstance(event, Qip.ValueCorrected):
        values[key] = event.value
        return Entry(event.originator_version, event.corrected_on, event.corrected_by,
                     f"Corrected {which} from {before} to {_amount(event.value, unit)}: "
                     f"{event.reason}")
    values.pop(key, None)
    return Entry(event.originator_version, event.withdrawn_on, event.withdrawn_by,
                 f"Withdrew {which} ({before}): {event.reason}")


def _kept_words(part: str) -> str:
    """"measures[Seen by a CNS].target" → "target of Seen by a CNS"."""
    if part.startswith("measures[") and part.endswith("].target"):
        return f"target of {part[len('measures['):-len('].target')]}"
    return FIELD_NAMES.get(part, part)


def history(events: list[Any]) -> History:
    """Replay one QIP's events, oldest first (``Community.qip_events``)."""
    plan: dict[str, Any] = {}
    original: dict[str, Any] | None = None
    original_label = ""
    entries: list[Entry] = []
    values: dict[tuple[str, date], float] = {}  # each value as it stands now
    pending_progress: list[Any] = []

    def flush_progress() -> None:
        if pending_progress:
            first, last = pending_progress[0], pending_progress[-1]
            count = len(pending_progress)
            entries.append(Entry(last.originator_version, _day(last, "recorded_on"),
                                 first.recorded_by,
                                 f"Recorded {count} value{'s' if count != 1 else ''}"))
            pending_progress.clear()

    for event in events:
        if isinstance(event, Qip.ProgressRecorded):
            pending_progress.append(event)
            values[(event.measure, event.recorded_on)] = event.value
            continue
        flush_progress()
        version = event.originator_version
        if isinstance(event, (Qip.ValueCorrected, Qip.ValueWithdrawn)):
            entries.append(_value_changed(event, values, plan))
            continue
        if isinstance(event, Qip.Drafted):
            plan = {k: getattr(event, k, None) for k in SNAPSHOT_FIELDS}
            plan["measures"] = _measures(plan["measures"] or [])
            what = "Adapted from another team's QIP" if getattr(event, "adapted_from", None) \
                else "Drafted"
            entries.append(Entry(version, _day(event, "drafted_on"),
                                 getattr(event, "drafted_by", None) or event.owner_id, what))
        elif isinstance(event, Qip.Revised):
            changes = []
            for name, after in event.changes.items():
                if name == "measures":
                    after = _measures(after)
                changes.append(Change(FIELD_NAMES.get(name, name), plan.get(name), after))
                if name in SNAPSHOT_FIELDS:
                    plan[name] = after
            named = sorted({c.field for c in changes})
            what = "Revised the " + ", ".join(named) if named else ""
            if kept := getattr(event, "kept", None):  # parts of an adapted plan kept as is
                words = ", ".join(sorted({_kept_words(k) for k in kept}))
                what = (what + "; kept " if what else "Kept ") + \
                    f"the {words} of the adapted plan as the team's own"
            entries.append(Entry(version, _day(event, "revised_on"),
                                 getattr(event, "revised_by", None), what, tuple(changes)))
        elif isinstance(event, Qip.Submitted):
            entries.append(Entry(version, _day(event, "submitted_on"), event.submitted_by,
                                 "Submitted for review"))
        elif isinstance(event, Qip.ChangesRequested):
            entries.append(Entry(version, _day(event, "reviewed_on"), event.reviewed_by,
                                 "Changes requested", comments=dict(event.comments)))
        elif isinstance(event, Qip.Shared):
            entries.append(Entry(version, _day(event, "shared_on"), event.shared_by,
                                 "Accepted and shared in the library",
                                 comments=dict(getattr(event, "comments", None) or {})))
            if original is None:
                original = _snapshot(plan)
                original_label = f"as first shared, {event.shared_on:%-d %B %Y}"
        elif isinstance(event, Qip.Completed):
            entries.append(Entry(version, _day(event, "completed_on"), event.completed_by,
                                 "Completed" + (f": {event.note}" if event.note else "")))
        elif isinstance(event, Qip.Stopped):
            entries.append(Entry(version, _day(event, "stopped_on"), event.stopped_by,
                                 f"Stopped: {event.reason}"))
        elif isinstance(event, Qip.DocumentAttached):
            entries.append(Entry(version, _day(event, "attached_on"), event.attached_by,
                                 f"Attached “{event.title}”"))
        if original is None and isinstance(event, Qip.Drafted):
            first_draft = _snapshot(plan)
    flush_progress()
    if original is None:
        original = first_draft if events else {}
        original_label = "as first drafted"
    current = _snapshot(plan) if plan else {}
    drifted = tuple(FIELD_NAMES[k] for k in SNAPSHOT_FIELDS if original.get(k) != current.get(k))
    first_targets = {m.name: m.target for m in original.get("measures", [])}
    latest = {measure: value for (measure, _), value in sorted(values.items())}
    against = tuple(
        AgainstTarget(m.name, m.unit, latest.get(m.name), first_targets.get(m.name), m.target,
                      _meets(latest.get(m.name), first_targets.get(m.name), m.direction),
                      _meets(latest.get(m.name), m.target, m.direction))
        for m in current.get("measures", []))
    return History(tuple(entries), original, original_label, current, drifted, against)
