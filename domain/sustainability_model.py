"""The NHS Sustainability Model (docs/domain.md, "The NHS Sustainability Model"): will a
QIP's change last?

Team members answer ten factors, each at one of four levels (1 weakest, 4 strongest);
each level of each factor has a weight, and a member's total is the sum of the
weights of the levels they chose: about 100 at best, 55 or more "cause for optimism".

Two aggregates, so that scoring never waits on anything else:

- ``SustainabilityModel`` (one, at a fixed id) holds the factor table: domain, name,
  question, the four level descriptions and their weights. It is adopted from
  ``config/sustainability_model.json`` the first time it is needed; from then on its
  events are the record and the file only seeds new stores. The weights are partly
  our approximation, so an organiser corrects them with ``WeightsCorrected``, never
  by editing anything. A correction re-weights every assessment, past ones too:
  a weight says what the published model means by a level, not what a team said, so
  the corrected figure was always the right reading of their answers.
- ``Assessment`` (one per submission, a random id) is one member's level for each
  factor on one day. It stores levels, not scores, for the reason above; and being
  its own aggregate, many members scoring at once never clash on the QIP's version.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.ids import NAMESPACE
from domain.input_checks import Checker

SUSTAINABILITY_MODEL_ID = uuid5(NAMESPACE, "sustainability model")
DOMAINS = ("process", "staff", "organisation")
LEVELS = (1, 2, 3, 4)
# Members two or more levels apart on a factor see it differently: worth talking about.
DISAGREEMENT = 2


@dataclass(frozen=True)
class Factor:
    key: str
    domain: str
    name: str
    question: str
    levels: tuple[str, ...]       # what each level means, level 1 first
    weights: tuple[float, ...]    # the weight of each level, level 1 first

    @property
    def top(self) -> float:
        return self.weights[-1]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "domain": self.domain, "name": self.name,
                "question": self.question, "levels": list(self.levels),
                "weights": list(self.weights)}


def check_weights(check: Checker, field: str, raw: object) -> tuple[float, ...]:
    """Four weights, level 1 first, from 0 to 100, never lower than the level below."""
    if not isinstance(raw, (list, tuple)) or len(raw) != len(LEVELS):
        check.fail(field, "must be four numbers, the weight of level 1 first")
        return (0.0,) * len(LEVELS)
    weights = tuple(check.number(f"{field}[{i}]", w, low=0, high=100) or 0.0
                    for i, w in enumerate(raw))
    if any(low > high for low, high in itertools.pairwise(weights)):
        check.fail(field, "must not fall from one level to the next")
    return weights


def check_factors(check: Checker, raw: object) -> list[Factor]:
    if not isinstance(raw, (list, tuple)) or not raw:
        check.fail("factors", "must be a list of at least one factor")
        return []
    found: list[Factor] = []
    for i, item in enumerate(raw):
        where = f"factors[{i}]"
        if not isinstance(item, Mapping):
            check.fail(where, "must be an object")
            continue
        key = check.text(f"{where}.key", item.get("key"), max_length=40)
        if key and not key.replace("_", "").isalnum():
            check.fail(f"{where}.key", "must be letters, digits and underscores")
        if any(f.key == key for f in found):
            check.fail(f"{where}.key", "is already a factor")
        if item.get("domain") not in DOMAINS:
            check.fail(f"{where}.domain", "must be one of: " + ", ".join(
                d.capitalize() for d in DOMAINS))
        levels = item.get("levels")
        if not isinstance(levels, (list, tuple)) or len(levels) != len(LEVELS):
            check.fail(f"{where}.levels", "must describe each of the four levels")
            levels = [""] * len(LEVELS)
        found.append(Factor(
            key=key, domain=str(item.get("domain")),
            name=check.text(f"{where}.name", item.get("name")),
            question=check.text(f"{where}.question", item.get("question"), max_length=500),
            levels=tuple(check.text(f"{where}.levels[{n}]", text, max_length=500)
                         for n, text in enumerate(levels)),
            weights=check_weights(check, f"{where}.weights", item.get("weights"))))
    return found


class SustainabilityModel(Aggregate):
    """The factor table every assessment is scored by (see the module docstring)."""

    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Adopted: ClassVar[type[Aggregate.Event]]
        WeightsCorrected: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id() -> UUID:
        return SUSTAINABILITY_MODEL_ID

    @classmethod
    def adopt(cls, *, name: str, factors: object, source: str = "",
              optimism_threshold: object = 55) -> SustainabilityModel:
        check = Checker()
        name = check.text("name", name)
        found = check_factors(check, factors)
        source = check.text("source", source, required=False, max_length=2000)
        threshold = check.number("optimism_threshold", optimism_threshold, low=0, high=1000)
        check.done()
        return cls(name=name, factors=[f.as_dict() for f in found], source=source,
                   optimism_threshold=float(threshold or 0))

    @event("Adopted")
    def __init__(self, name: str, factors: list[dict[str, Any]], source: str,
                 optimism_threshold: float) -> None:
        self.name = name
        self.source = source
        self.optimism_threshold = optimism_threshold
        self.factors = {f["key"]: Factor(**{**f, "levels": tuple(f["levels"]),
                                            "weights": tuple(f["weights"])})
                        for f in factors}
        self.corrections: list[str] = []

    @property
    def max_total(self) -> float:
        return round(sum(f.top for f in self.factors.values()), 1)

    def correct_weights(self, *, weights: object, source: str) -> None:
        """New weights for some factors ({key: [level 1, ..., level 4]}), saying where
        the figures come from, so a reader can tell a correction from a guess."""
        check = Checker()
        source = check.text("source", source, max_length=2000)
        corrected: dict[str, list[float]] = {}
        if not isinstance(weights, Mapping) or not weights:
            check.fail("factors", "give the four weights of at least one factor")
            weights = {}
        for key, raw in weights.items():
            if key not in self.factors:
                check.fail(f"factors.{key}", "is not a factor of the model")
            else:
                corrected[key] = list(check_weights(check, f"factors.{key}", raw))
        check.done()
        self._correct_weights(weights=corrected, source=source)

    @event("WeightsCorrected")
    def _correct_weights(self, weights: dict[str, list[float]], source: str) -> None:
        for key, given in weights.items():
            self.factors[key] = replace(self.factors[key], weights=tuple(given))
        self.corrections.append(source)

    def check_levels(self, check: Checker, levels: object) -> dict[str, int]:
        """A level from 1 to 4 for every factor, and nothing else."""
        if not isinstance(levels, Mapping):
            check.fail("levels", "must give a level for each factor")
            return {}
        found: dict[str, int] = {}
        for key in levels:
            if key not in self.factors:
                check.fail(f"levels.{key}", "is not a factor of the model")
        for key in self.factors:
            level = _level(levels.get(key))
            if levels.get(key) in (None, ""):
                check.fail(f"levels.{key}", "is required: choose the statement closest to "
                                            "how things are")
            elif level is None:
                check.fail(f"levels.{key}", "must be 1, 2, 3 or 4")
            else:
                found[key] = level
        return found


def _level(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON's 3.0 is the number 3
    return value if isinstance(value, int) and value in LEVELS else None


class Assessment(Aggregate):
    """One member's view of a QIP on one day: a level for each factor."""

    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Made: ClassVar[type[Aggregate.Event]]

    @classmethod
    def make(cls, *, model: SustainabilityModel, qip_id: UUID, team_id: UUID,
             assessed_by: UUID, levels: object, assessed_on: object) -> Assessment:
        check = Checker()
        found = model.check_levels(check, levels)
        assessed_on = check.day("assessed_on", assessed_on)
        check.done()
        return cls(qip_id=qip_id, team_id=team_id, assessed_by=assessed_by,
                   assessed_on=assessed_on, levels=found)

    @event("Made")
    def __init__(self, qip_id: UUID, team_id: UUID, assessed_by: UUID, assessed_on: date,
                 levels: dict[str, int]) -> None:
        self.qip_id = qip_id
        self.team_id = team_id
        self.assessed_by = assessed_by
        self.assessed_on = assessed_on
        self.levels = dict(levels)


# --- reading a team's answers ----------------------------------------------------


@dataclass(frozen=True)
class FactorScore:
    """One factor as a team sees it: the mean of its members' weighted scores, and
    how far apart they are (in weight and in levels)."""

    key: str
    score: float
    lowest: float
    highest: float
    lowest_level: int
    highest_level: int
    answers: int

    @property
    def disagreement(self) -> bool:
        return self.highest_level - self.lowest_level >= DISAGREEMENT


def team_scores(weights: Mapping[str, Sequence[float]],
                answers: Sequence[Mapping[str, int]]) -> list[FactorScore]:
    """Each factor's team score, in the order of ``weights``; a factor nobody
    answered is left out."""
    if not answers:
        return []
    found = []
    for key, levels_weights in weights.items():
        levels = [a[key] for a in answers if a.get(key) in LEVELS]
        if not levels:
            continue
        scores = [levels_weights[level - 1] for level in levels]
        found.append(FactorScore(key=key, score=round(sum(scores) / len(scores), 2),
                                 lowest=min(scores), highest=max(scores),
                                 lowest_level=min(levels), highest_level=max(levels),
                                 answers=len(levels)))
    return found


def trend(previous: float | None, current: float, *, tolerance: float = 0.05) -> str | None:
    """"up", "down" or "same" since the previous assessment; None for the first."""
    if previous is None:
        return None
    if abs(current - previous) <= tolerance:
        return "same"
    return "up" if current > previous else "down"

