"""The QIP pages' forms (Flask-WTF). Mostly the plan form: built from the plan's
definition (domain/qip_plan.py), what it sends to the domain, and the domain's field
names ("measures[0].baseline") turned back into the form's input ids. Then the small
forms that move a QIP on: submit, complete, stop, and the organisers' review. (A
little over 400 lines: the plan form is one form with rows within rows, and the way
back from the domain's names to its inputs belongs with it.)

The repeatable parts (measures, changes and their PDSA cycles) are WTForms'
``FieldList(FormField(...))``, whose inputs are named ``measures-0-name`` and
``changes-1-cycles-0-plan``. Blank rows are left out of what is sent, so each part the
domain names is mapped back to the row the person typed it in. Rows are added and
removed by buttons that post the form back (``PlanForm.press``), without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from uuid import UUID

from wtforms import (
    Field,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms import Form as RowForm
from wtforms.fields import TextAreaField
from wtforms.fields.choices import SelectChoice

from domain.errors import Invalid
from domain.qip import Qip
from domain.qip_plan import (
    CHANGE,
    CYCLE,
    FIELDS,
    MEASURE,
    PLAN,
    PLAN_FIELDS,
    REVIEW_PARTS,
    Kind,
    PlanField,
)
from domain.values import Direction, KeyArea, Labelled, Obstacle
from web.forms import Form

# The order the error summary lists problems in: the form's own ("" first), then the
# plan's parts as the form shows them.
FIELD_ORDER = ("", *(f.name for f in PLAN))
NAMES = {**{f.name: f.label for f in PLAN}, "qip": "The plan"}
# A row is sent when any of these is filled in (a measure's direction always is).
MEASURE_FILLED = tuple(p.name for p in MEASURE.parts if p.kind is not Kind.CHOICE)
CYCLE_PARTS = tuple(p.name for p in CYCLE.parts)
# Rows read from one post at most, however many it names (the domain refuses more than
# its limits; this bounds the work a made-up post can cause).
MOST_ROWS = 100


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _options(kind: type[Labelled]) -> list[SelectChoice]:
    return [SelectChoice(m.value, m.label) for m in kind]


def _text(field: PlanField, *, long: bool = False) -> Any:
    """A text input for a part; the domain checks it (its length, whether required)."""
    return (TextAreaField if long else StringField)(field.question, filters=[_strip])


def _choice(field: PlanField, choices: list[SelectChoice]) -> Any:
    # validate_choice=False: the domain refuses a choice it does not know, in its words.
    return SelectField(field.question, choices=choices, validate_choice=False,
                       default=field.default.value if field.default else None)


def _tags(field: PlanField, choices: list[SelectChoice] | None = None) -> Any:
    return SelectMultipleField(field.question, choices=choices or [], validate_choice=False)


class MeasureRow(RowForm):
    name = _text(MEASURE.part("name"))
    definition = _text(MEASURE.part("definition"))
    unit = _text(MEASURE.part("unit"))
    baseline = _text(MEASURE.part("baseline"))
    target = _text(MEASURE.part("target"))
    direction = _choice(MEASURE.part("direction"), _options(Direction))


class CycleRow(RowForm):
    plan = _text(CYCLE.part("plan"), long=True)
    happened = _text(CYCLE.part("happened"), long=True)
    learned = _text(CYCLE.part("learned"), long=True)


class ChangeRow(RowForm):
    title = _text(CHANGE.part("title"))
    cycles = FieldList(FormField(CycleRow), max_entries=MOST_ROWS)


class QipForm(Form):
    """A form that changes a QIP: it carries the QIP's version the person saw ("" for a
    new plan), so a change made since is refused rather than overwritten."""

    version = HiddenField()

    def version_number(self) -> int | None:
        try:
            return int(self.version.data or "")
        except ValueError:
            return None


class SubmitForm(QipForm):
    """"Submit for review": the button alone."""


class CompleteForm(QipForm):
    note = TextAreaField("What did the QIP achieve? (optional)")


class StopForm(QipForm):
    reason = TextAreaField("Why is the QIP being stopped?")


class ReviewForm(QipForm):
    """An organiser's review: a comment beside each part (``comment-<part>``), and the
    button pressed, ``decision``: accept, or request changes."""

    decision = HiddenField()

    def typed(self) -> dict[str, str]:
        """Each part's comment as typed."""
        return {part: self[f"comment_{part}"].data or "" for part in REVIEW_PARTS}

    def comments(self) -> dict[str, str]:
        """The comments written (blank ones left out)."""
        return {part: text for part, text in self.typed().items() if text.strip()}


for _part, _label in REVIEW_PARTS.items():
    setattr(ReviewForm, f"comment_{_part}", TextAreaField(
        f"Comment on the {_label.lower()} (optional)", name=f"comment-{_part}"))


class PlanForm(QipForm):
    """Drafting or editing a plan. Choices of members are the team's, set by the page
    (``members``)."""

    title = _text(FIELDS["title"])
    key_area = _choice(FIELDS["key_area"], [SelectChoice("", "Choose a key area"), *_options(KeyArea)])
    aim = _text(FIELDS["aim"], long=True)
    timeframe = _text(FIELDS["timeframe"])
    owner_id = _choice(FIELDS["owner_id"], [])
    member_ids = _tags(FIELDS["member_ids"])
    changes = FieldList(FormField(ChangeRow), max_entries=MOST_ROWS)
    measures = FieldList(FormField(MeasureRow), max_entries=MOST_ROWS)
    obstacles = _tags(FIELDS["obstacles"], _options(Obstacle))
    obstacle_notes = _text(FIELDS["obstacle_notes"], long=True)
    enablers = _tags(FIELDS["enablers"], _options(Obstacle))
    enabler_notes = _text(FIELDS["enabler_notes"], long=True)
    lessons = _text(FIELDS["lessons"], long=True)
    # Parts copied from an adapted plan that the team ticked to keep as its own.
    keep = SelectMultipleField(validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.where: dict[str, str] = {}   # the domain's row names → the rows' ids
        self.placed: dict[str, str] = {}  # the domain's problems, by input id

    # --- showing ------------------------------------------------------------------------

    @classmethod
    def blank(cls, owner_id: str) -> PlanForm:
        return cls(formdata=None, data={"owner_id": owner_id}).with_blank_rows()

    @classmethod
    def of(cls, qip: Qip) -> PlanForm:
        """The form for a saved plan, with a blank row where it has none."""
        return cls(formdata=None, data=values_of(qip)).with_blank_rows()

    def with_blank_rows(self) -> PlanForm:
        """One blank row where the plan has none (a measure, a change, a PDSA cycle under
        each change); more come with the form's "Add" buttons. A refused form, or one
        shown again after "Add" or "Remove", keeps its rows as they were sent."""
        if not self.measures.entries:
            self.measures.append_entry()
        if not self.changes.entries:
            self.changes.append_entry()
        for change in self.changes:
            if not change.form.cycles.entries:
                change.form.cycles.append_entry()
        return self

    def members(self, members: list[tuple[str, str]]) -> None:
        """The team's members, to choose the owner and those involved from."""
        self.owner_id.choices = [SelectChoice(*member) for member in members]
        self.member_ids.choices = [SelectChoice(*member) for member in members]

    def room_for(self, rows: str) -> bool:
        """Whether another row fits within the domain's limit."""
        limit = FIELDS[rows].limit
        return limit is None or len(getattr(self, rows).entries) < limit

    # --- the "Add" and "Remove" buttons ---------------------------------------------------

    def press(self, formdata: Mapping[str, Any]) -> str | None:
        """When an "Add a measure", "Add a change", "Add a PDSA cycle" or "Remove" button
        was pressed (named ``add-measure``, ``remove-change-2``, ``add-cycle-0``,
        ``remove-cycle-0-1``): add or remove that row, and give the id of the input to
        put the person in (a new row's first input, or its part's heading). None when the
        form was sent to be saved."""
        pressed = next((m for m in map(_BUTTON.match, formdata.keys()) if m), None)
        if pressed is None:
            return None
        act, kind, first, second = pressed.groups()
        i = int(first) if first is not None else None
        j = int(second) if second is not None else None
        changes = self.changes.entries
        focus = "measures" if kind == "measure" else "changes"
        if act == "add" and kind == "measure" and self.room_for("measures"):
            focus = self.measures.append_entry().form.name.id
        elif act == "add" and kind == "change" and self.room_for("changes"):
            change = self.changes.append_entry()
            change.form.cycles.append_entry()
            focus = change.form.title.id
        elif act == "add" and kind == "cycle" and i is not None and i < len(changes) \
                and len(changes[i].form.cycles.entries) < (CYCLE.limit or MOST_ROWS):
            focus = changes[i].form.cycles.append_entry().form.plan.id
        elif act == "remove" and kind == "measure" and i is not None:
            _remove(self.measures, i)
        elif act == "remove" and kind == "change" and i is not None:
            _remove(self.changes, i)
        elif act == "remove" and kind == "cycle" and i is not None and j is not None \
                and i < len(changes):
            _remove(changes[i].form.cycles, j)
            focus = changes[i].id
        return focus

    # --- sending --------------------------------------------------------------------------

    def plan(self) -> dict[str, Any]:
        """The plan's parts to send to the domain, typed where they can be (a key area,
        numbers, member ids); what cannot be is sent as typed, for the domain to refuse
        in its own words. Blank rows are left out; ``where`` keeps where each sent row
        came from: {"measures[0]": "measures-2", "changes[0].cycles[1]": "changes-0-cycles-3"}."""
        self.where = {}
        measures: list[dict[str, Any]] = []
        for entry in self.measures:
            row = entry.form
            if any(row[part].data for part in MEASURE_FILLED):
                self.where[f"measures[{len(measures)}]"] = entry.id
                measures.append({
                    "name": row.name.data or "", "definition": row.definition.data or "",
                    "unit": row.unit.data or "", "baseline": _number(row.baseline.data),
                    "target": _number(row.target.data),
                    "direction": _typed(Direction, row.direction.data or Direction.UP.value)})
        changes: list[dict[str, Any]] = []
        for entry in self.changes:
            cycles: list[dict[str, str]] = []
            for cycle in entry.form.cycles:
                parts = {part: cycle.form[part].data or "" for part in CYCLE_PARTS}
                if any(parts.values()):
                    self.where[f"changes[{len(changes)}].cycles[{len(cycles)}]"] = cycle.id
                    cycles.append(parts)
            title = entry.form.title.data or ""
            if title or cycles:
                self.where[f"changes[{len(changes)}]"] = entry.id
                changes.append({"title": title, "cycles": cycles})
        rows = {"measures": measures, "changes": changes}
        return {name: rows[name] if name in rows else self._typed_part(FIELDS[name])
                for name in PLAN_FIELDS}

    def _typed_part(self, field: PlanField) -> Any:
        value = self[field.name].data
        if field.kind is Kind.CHOICE and field.choices:
            return _typed(field.choices, value or "")
        if field.kind is Kind.TAGS and field.choices:
            return [_typed(field.choices, v) for v in value or []]
        if field.kind is Kind.MEMBERS:
            return [_member_id(v) for v in value or []]
        return value or ""

    def owner(self) -> UUID | str | None:
        """The owner chosen (None: the one drafting it)."""
        return _member_id(self.owner_id.data) if self.owner_id.data else None

    def kept(self) -> list[str]:
        return list(self.keep.data or [])

    # --- the domain's refusals ------------------------------------------------------------

    def refuse(self, error: Invalid) -> None:
        """Each problem beside the input it is about, in people's words ("Measure 1
        baseline must be a number"); problems without an input go above the form."""
        inputs = {field.id: field for field in _inputs(self)}
        for key, message in errors_from(error.fields, self.where).items():
            if not key:
                self.form_errors.append(message)
                continue
            self.placed[key] = message
            if key in inputs:
                inputs[key].errors = [message]

    def problems(self) -> dict[str, str]:
        return {**{f"_form{n}": m for n, m in enumerate(self.form_errors)}, **self.placed}


def _inputs(fields: Any) -> Iterator[Field]:
    """Every input of a form, rows' inputs included."""
    for field in fields:
        if isinstance(field, FieldList):
            for entry in field:
                yield from _inputs(entry.form)
        else:
            yield field


def _remove(rows: FieldList, index: int) -> None:
    """Take out one row; the rows after it are numbered again, as the page shows them."""
    if index >= len(rows.entries):
        return
    kept = [entry.data for n, entry in enumerate(rows.entries) if n != index]
    rows.entries = []
    rows.last_index = -1
    for data in kept:
        rows.append_entry(data)


def _typed(kind: type[Labelled], value: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        return value


def _member_id(value: str) -> UUID | str:
    try:
        return UUID(value)
    except ValueError:
        return value


def _number(value: str | None) -> float | str | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return value


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def values_of(qip: Qip) -> dict[str, Any]:
    """What the form shows for a saved plan."""
    return {
        "title": qip.title, "key_area": qip.key_area.value, "aim": qip.aim,
        "timeframe": qip.timeframe, "owner_id": str(qip.owner_id),
        "member_ids": [str(m) for m in qip.member_ids],
        "measures": [{"name": m.name, "definition": m.definition, "unit": m.unit,
                      "baseline": _figure(m.baseline), "target": _figure(m.target),
                      "direction": m.direction.value} for m in qip.measures],
        "changes": [{"title": c["title"], "cycles": [dict(cycle) for cycle in c["cycles"]]}
                    for c in qip.changes],
        "obstacles": [o.value for o in qip.obstacles], "obstacle_notes": qip.obstacle_notes,
        "enablers": [e.value for e in qip.enablers], "enabler_notes": qip.enabler_notes,
        "lessons": qip.lessons, "keep": [],
    }


# --- the domain's names for the form's inputs --------------------------------------------

_PART = re.compile(r"^(measures|changes)\[(\d+)\](?:\.cycles\[(\d+)\])?(?:\.(\w+))?$")
_BUTTON = re.compile(r"^(add|remove)-(measure|change|cycle)(?:-(\d+))?(?:-(\d+))?$")


def input_id(field: str, where: dict[str, str]) -> str:
    """The id of the input a domain field name is about ("" when there is none)."""
    match = _PART.match(field)
    if not match:
        return field if field in FIELD_ORDER else ""
    kind, i, j, part = match.groups()
    row = f"{kind}[{i}]" + (f".cycles[{j}]" if j is not None else "")
    base = where.get(row, kind)
    if base == kind:
        return kind
    return f"{base}-{part}" if part else base


def message(field: str, said: str) -> str:
    """A domain problem in words: "Measure 1 baseline must be a number"."""
    match = _PART.match(field)
    if match:
        kind, i, j, part = match.groups()
        rows = FIELDS[kind]
        words = f"{rows.row.capitalize()} {int(i) + 1}"
        if j is not None:
            words += f", {CYCLE.row} {int(j) + 1}"
            rows = CYCLE
        if part:
            known = {p.name: p.words for p in rows.parts}
            words += f" {known.get(part, part)}"
        return f"{words} {said}"
    if field in NAMES:
        return f"{NAMES[field]} {said}" if field != "qip" else said.capitalize()
    return f"{field.replace('_', ' ').capitalize()} {said}"


def errors_from(fields: dict[str, str], where: dict[str, str]) -> dict[str, str]:
    """{input id: message} in the order of the form; problems without an input under ""."""
    found: dict[str, list[str]] = {}
    for field, said in fields.items():
        found.setdefault(input_id(field, where), []).append(message(field, said))

    def order(key: str) -> tuple[int, str]:
        head = key.split("-")[0]
        return (FIELD_ORDER.index(head) if head in FIELD_ORDER else len(FIELD_ORDER), key)

    return {key: "; ".join(found[key]) for key in sorted(found, key=order)}
