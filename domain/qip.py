"""A Quality Improvement Plan: aim, time frame, owner, measures and progress.

A QIP is shared with the community only when it is up to standard
(DESIGN.md §4): a specific aim, a time frame, an owner and at least one
measure with a baseline and a target.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.rules import Checker
from domain.values import Direction, KeyArea, QipStatus


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    baseline: float | None
    target: float | None
    direction: Direction

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "direction": self.direction.value}


def check_measures(check: Checker, measures: object) -> list[Measure]:
    if not isinstance(measures, (list, tuple)):
        check.fail("measures", "must be a list")
        return []
    found: list[Measure] = []
    for i, raw in enumerate(measures):
        if isinstance(raw, Measure):
            found.append(raw)
            continue
        if not isinstance(raw, dict):
            check.fail(f"measures[{i}]", "must be an object")
            continue
        name = check.text(f"measures[{i}].name", raw.get("name"), max_length=120)
        if any(m.name.lower() == name.lower() for m in found):
            check.fail(f"measures[{i}].name", "is already a measure of this QIP")
        found.append(Measure(
            name=name,
            unit=check.text(f"measures[{i}].unit", raw.get("unit"), required=False, max_length=40),
            baseline=check.number(f"measures[{i}].baseline", raw.get("baseline"), required=False),
            target=check.number(f"measures[{i}].target", raw.get("target"), required=False),
            direction=check.choice(f"measures[{i}].direction", Direction,
                                   raw.get("direction") or Direction.UP.value),
        ))
    return found


class Qip(Aggregate):
    @classmethod
    def draft(cls, *, team_id: UUID, owner_id: UUID, title: str, key_area: object,
              aim: str = "", timeframe: str = "", measures: object = ()) -> "Qip":
        check = Checker()
        fields = cls._check_plan(check, title=title, key_area=key_area, aim=aim,
                                 timeframe=timeframe,
                                 measures=[] if measures is None else measures)
        check.done()
        return cls(team_id=team_id, owner_id=owner_id, **fields)

    @staticmethod
    def _check_plan(check: Checker, **given: Any) -> dict[str, Any]:
        checks = {
            "title": lambda v: check.text("title", v),
            "key_area": lambda v: check.choice("key_area", KeyArea, v),
            "aim": lambda v: check.text("aim", v, required=False, max_length=2000),
            "timeframe": lambda v: check.text("timeframe", v, required=False, max_length=200),
            "measures": lambda v: check_measures(check, v),
        }
        return {name: checks[name](value) for name, value in given.items()}

    @event("Drafted")
    def __init__(self, team_id: UUID, owner_id: UUID, title: str, key_area: KeyArea,
                 aim: str, timeframe: str, measures: list[Measure]) -> None:
        self.team_id = team_id
        self.owner_id = owner_id
        self.title = title
        self.key_area = key_area
        self.aim = aim
        self.timeframe = timeframe
        self.measures = list(measures)
        self.status = QipStatus.DRAFT
        self.shared_on: date | None = None
        self.progress: list[dict[str, Any]] = []

    def revise(self, **changes: Any) -> None:
        """Change any of title, key_area, aim, timeframe, measures, owner_id."""
        owner_id = changes.pop("owner_id", None)
        unknown = set(changes) - {"title", "key_area", "aim", "timeframe", "measures"}
        if unknown:
            raise Invalid({name: "cannot be revised" for name in sorted(unknown)})
        check = Checker()
        fields = self._check_plan(check, **changes)
        check.done()
        if owner_id is not None:
            fields["owner_id"] = owner_id
        if not fields:
            raise Invalid({"qip": "nothing to revise"})
        self._revise(changes=fields)

    @event("Revised")
    def _revise(self, changes: dict[str, Any]) -> None:
        for name, value in changes.items():
            if name == "measures":
                value = [m if isinstance(m, Measure) else Measure(**m) for m in value]
            setattr(self, name, value)

    def missing_for_sharing(self) -> dict[str, str]:
        """What stops this plan being shared, in words a team can act on."""
        missing: dict[str, str] = {}
        if not self.aim:
            missing["aim"] = "say what you will improve, by how much and by when"
        if not self.timeframe:
            missing["timeframe"] = "give a time frame"
        if not any(m.baseline is not None and m.target is not None for m in self.measures):
            missing["measures"] = "add at least one measure with a baseline and a target"
        return missing

    def share(self, *, by: UUID, shared_on: object) -> None:
        check = Checker()
        shared_on = check.day("shared_on", shared_on)
        check.done()
        if self.status is QipStatus.SHARED:
            # A second Shared event would count the plan twice in the activity figures.
            raise Conflict("this QIP is already shared")
        if missing := self.missing_for_sharing():
            raise Invalid(missing)
        self._share(shared_by=by, shared_on=shared_on)

    @event("Shared")
    def _share(self, shared_by: UUID, shared_on: date) -> None:
        self.status = QipStatus.SHARED
        self.shared_on = shared_on

    def measure_named(self, name: object) -> Measure | None:
        return next((m for m in self.measures if m.name == name), None)

    def record_progress(self, *, measure: object, recorded_on: object, value: object,
                        by: UUID) -> None:
        check = Checker()
        recorded_on = check.day("date", recorded_on)
        number = check.number("value", value)
        if self.measure_named(measure) is None:
            names = ", ".join(m.name for m in self.measures) or "none yet"
            check.fail("measure", f"is not a measure of this QIP (its measures: {names})")
        check.done()
        self._record_progress(measure=str(measure), recorded_on=recorded_on,
                              value=float(number or 0), recorded_by=by)

    @event("ProgressRecorded")
    def _record_progress(self, measure: str, recorded_on: date, value: float,
                         recorded_by: UUID) -> None:
        self.progress.append({"measure": measure, "date": recorded_on, "value": value})
