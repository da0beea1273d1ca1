"""What a QIP plan is made of, defined once: each part's name, kind, limit and name in
people's words, and the checks that follow from them.

Everything else that needs a plan's parts derives them from ``PLAN``: the aggregate's
checks (``check_plan``, used by ``domain.qip.Qip``), the API's JSON schema for a plan
(web/api/qips.py), the HTML plan form and the order it shows its problems in
(web/qip_forms.py), and the library's columns (projections/library_tables.py). A new
part, or a new limit, is written here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any
from uuid import UUID

from domain.input_checks import Checker
from domain.values import Direction, KeyArea, Labelled, Obstacle

# Values of one measure recorded at once (the API's progress series; the documented
# limit of its body, web/api/qip_measures.py, is this one).
MAX_SERIES = 1000


class Kind(Enum):
    """What a part holds, so each use knows how to check, store and show it."""

    TEXT = "text"          # free text, at most ``limit`` characters
    CHOICE = "choice"      # one of ``choices``
    NUMBER = "number"      # a number, or none
    MEMBER = "member"      # one member's id
    MEMBERS = "members"    # member ids, at most ``limit``
    TAGS = "tags"          # any of ``choices``
    ROWS = "rows"          # repeated rows of ``parts``, at most ``limit``


@dataclass(frozen=True)
class PlanField:
    """One part of a plan, or of one of its repeated rows."""

    name: str              # the domain's and the API's name: "timeframe"
    kind: Kind
    label: str             # in people's words, as a sentence starts: "Time frame"
    limit: int | None = None  # characters for text; items for lists
    required: bool = False
    choices: type[Labelled] | None = None
    default: Labelled | None = None  # the choice taken when none is given
    parts: tuple[PlanField, ...] = ()  # a row's own parts (``Kind.ROWS``)
    row: str = ""          # one row in people's words: "measure", "PDSA cycle"
    prompt: str = ""       # what the form asks, where it says more than the label
    note: str = ""         # a rule a caller of the API needs to know

    @property
    def repeated(self) -> bool:
        return self.kind in (Kind.MEMBERS, Kind.TAGS, Kind.ROWS)

    @property
    def question(self) -> str:
        return self.prompt or self.label

    @property
    def words(self) -> str:
        """The label in the middle of a sentence: "Measure 1 what happened ..." (an
        initialism such as "PDSA" stays as it is)."""
        if self.label[1:2].isupper():
            return self.label
        return self.label[:1].lower() + self.label[1:]

    def part(self, name: str) -> PlanField:
        return next(p for p in self.parts if p.name == name)


MEASURE = PlanField(
    "measures", Kind.ROWS, "Measures", 30, row="measure", note="measure names must differ",
    parts=(
        PlanField("name", Kind.TEXT, "Name", 120, required=True),
        PlanField("definition", Kind.TEXT, "Definition", 1000,
                  prompt="Definition: what is counted, out of what"),
        PlanField("unit", Kind.TEXT, "Unit", 40, prompt="Unit, such as % or days"),
        PlanField("baseline", Kind.NUMBER, "Baseline"),
        PlanField("target", Kind.NUMBER, "Target"),
        PlanField("direction", Kind.CHOICE, "Direction", choices=Direction,
                  default=Direction.UP, prompt="Which way is better?"),
    ))
CYCLE = PlanField(
    "cycles", Kind.ROWS, "PDSA cycles", 30, row="PDSA cycle",
    note="PDSA cycles: plan, what happened, what was learned",
    parts=(
        PlanField("plan", Kind.TEXT, "Plan", 2000, required=True),
        PlanField("happened", Kind.TEXT, "What happened", 2000),
        PlanField("learned", Kind.TEXT, "What was learned", 2000),
    ))
CHANGE = PlanField(
    "changes", Kind.ROWS, "Changes to test", 30, row="change",
    parts=(PlanField("title", Kind.TEXT, "Title", 200, required=True,
                     prompt="what you will change"),
           CYCLE))

# The plan's parts in the order the form shows them (and lists their problems in).
PLAN: tuple[PlanField, ...] = (
    PlanField("title", Kind.TEXT, "Title", 200, required=True),
    PlanField("key_area", Kind.CHOICE, "Key area", required=True, choices=KeyArea),
    PlanField("aim", Kind.TEXT, "Aim", 2000),
    PlanField("timeframe", Kind.TEXT, "Time frame", 200),
    PlanField("owner_id", Kind.MEMBER, "Owner", note="a member of the QIP's team"),
    PlanField("member_ids", Kind.MEMBERS, "Members involved", 100, row="member",
              note="members of the QIP's team involved in it"),
    CHANGE,
    MEASURE,
    PlanField("obstacles", Kind.TAGS, "Obstacles", choices=Obstacle,
              prompt="Obstacles you met"),
    PlanField("obstacle_notes", Kind.TEXT, "Notes on obstacles", 2000),
    PlanField("enablers", Kind.TAGS, "Enablers", choices=Obstacle,
              prompt="What helped (enablers)"),
    PlanField("enabler_notes", Kind.TEXT, "Notes on enablers", 2000),
    PlanField("lessons", Kind.TEXT, "Lessons learned", 4000),
)
FIELDS: Mapping[str, PlanField] = {f.name: f for f in PLAN}

# The parts a team writes and revises as a plan. The owner is given beside them: who
# may own a plan is a question about the team, which the command answers.
PLAN_FIELDS = tuple(f.name for f in PLAN if f.kind is not Kind.MEMBER)

# What an organiser can comment on in a review, in people's words; "general" is for
# the plan as a whole.
REVIEW_PARTS: Mapping[str, str] = {
    "title": "Title", "aim": "Aim", "timeframe": "Time frame", "owner": "Owner",
    "members": "Members involved", "measures": "Measures", "changes": "Changes to test",
    "obstacles": "Obstacles and enablers", "lessons": "Lessons learned",
    "general": "The plan as a whole"}
REVIEW_FIELDS = tuple(REVIEW_PARTS)


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    baseline: float | None
    target: float | None
    direction: Direction
    definition: str = ""  # what is counted, and out of what: stored events before it lack it

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "direction": self.direction.value}


# --- the aim -------------------------------------------------------------------------------

HOW_MUCH = re.compile(r"\d|\b(all|every|half|halve|double|zero)\b", re.IGNORECASE)
BY_WHEN = re.compile(
    r"\b(19|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\bwithin\s+(\w+\s+)?(days?|weeks?|months?|years?)\b|\bq[1-4]\b"
    r"|\bend of (the )?(year|quarter|month)\b", re.IGNORECASE)


def aim_gaps(aim: str) -> list[str]:
    """What a specific aim still has to say, in the words of the Model for Improvement."""
    gaps = []
    if len(aim.split()) < 4:
        gaps.append("what will improve")
    if not HOW_MUCH.search(BY_WHEN.sub(" ", aim)):  # "by 2013" is when, not how much
        gaps.append("how much (a number, such as from 60% to 80%)")
    if not BY_WHEN.search(aim):
        gaps.append("by when (such as by March 2014)")
    return gaps


# --- the checks, from the definitions ------------------------------------------------------

def check_plan(check: Checker, given: Mapping[str, Any]) -> dict[str, Any]:
    """The given parts of a plan, each checked as its definition says (``owner_id``
    aside: the command checks it against the team)."""
    return {name: check_part(check, FIELDS[name], name, value)
            for name, value in given.items()}


def check_part(check: Checker, field: PlanField, where: str, value: object) -> Any:
    """One part's value, checked; ``where`` names it in the problems ("measures[0].unit")."""
    if field.kind is Kind.TEXT:
        return check.text(where, value, required=field.required,
                          max_length=field.limit or 200)
    if field.kind is Kind.CHOICE:
        assert field.choices is not None
        if not value and field.default is not None:
            return field.default
        return check.choice(where, field.choices, value)
    if field.kind is Kind.NUMBER:
        return check.number(where, value, required=field.required)
    if field.kind is Kind.MEMBERS:
        return check_member_ids(check, field, where, [] if value is None else value)
    if field.kind is Kind.TAGS:
        return check_tags(check, field, where, [] if value is None else value)
    if field.kind is Kind.ROWS:
        rows = check_rows(check, field, where, [] if value is None else value)
        return check_measures(check, rows, where) if field is MEASURE else rows
    return value


def check_rows(check: Checker, field: PlanField, where: str, rows: object) -> list[Any]:
    """Repeated rows (measures, changes, a change's PDSA cycles), each a dict of its parts.
    A measure already made (``Measure``, when a plan is adapted) is taken as it is."""
    if not isinstance(rows, (list, tuple)):
        check.fail(where, "must be a list")
        return []
    if field.limit is not None and len(rows) > field.limit:
        check.fail(where, f"must be at most {field.limit} {field.row}s")
    found: list[Any] = []
    for i, raw in enumerate(rows[:field.limit]):
        at = f"{where}[{i}]"
        if isinstance(raw, Measure):
            found.append(raw)
            continue
        if not isinstance(raw, dict):
            check.fail(at, "must be an object")
            continue
        # A row's own rows may be left out, or sent empty ("cycles": null).
        found.append({part.name: check_part(check, part, f"{at}.{part.name}",
                                            (raw.get(part.name) or []) if part.repeated
                                            else raw.get(part.name))
                      for part in field.parts})
    return found


def check_measures(check: Checker, rows: list[Any], where: str) -> list[Measure]:
    """Checked measure rows as ``Measure``s; a name may be used once."""
    found: list[Measure] = []
    for i, row in enumerate(rows):
        measure = row if isinstance(row, Measure) else Measure(**row)
        if any(m.name.lower() == measure.name.lower() for m in found):
            check.fail(f"{where}[{i}].name", f"is already a {MEASURE.row} of this QIP")
        found.append(measure)
    return found


def check_tags(check: Checker, field: PlanField, where: str, tags: object) -> list[Any]:
    """Tags chosen from a list (obstacles, enablers), each once, in the list's order."""
    assert field.choices is not None
    if isinstance(tags, str):
        tags = [tags] if tags else []
    if not isinstance(tags, (list, tuple)):
        check.fail(where, "must be a list")
        return []
    chosen = {check.choice(where, field.choices, tag) for tag in tags}
    return [o for o in field.choices if o in chosen]


def check_member_ids(check: Checker, field: PlanField, where: str,
                     member_ids: object) -> list[UUID]:
    if not isinstance(member_ids, (list, tuple)):
        check.fail(where, "must be a list")
        return []
    if field.limit is not None and len(member_ids) > field.limit:
        check.fail(where, f"must be at most {field.limit} {field.row}s")
    found: list[UUID] = []
    for value in member_ids:
        try:
            member_id = value if isinstance(value, UUID) else UUID(str(value))
        except ValueError:
            check.fail(where, f"{str(value)[:40]!r} is not a member id")
            continue
        if member_id not in found:
            found.append(member_id)
    return found


def blank_plan() -> dict[str, Any]:
    """A plan's parts before anything is written: the title and key area are required."""
    return {f.name: [] if f.repeated else "" for f in PLAN
            if f.name in PLAN_FIELDS and not f.required}


# --- adapting another team's plan ----------------------------------------------------------

def target_key(measure_name: str) -> str:
    """How a copied measure's target is named among an adapted plan's copied parts."""
    return f"measures[{measure_name}].target"


def copied_parts(aim: str, timeframe: str, measures: list[Any]) -> dict[str, Any]:
    """The parts an adapted draft starts with from the original, as copied: what the
    team has to make its own (Drafted holds them, so old adapted plans read the same)."""
    return {"aim": aim, "timeframe": timeframe,
            **{target_key(m.name): m.target for m in measures}}
