"""The QIP plan form: what it shows (from a ``Qip``), what it sends (to the domain), and
the domain's field names ("measures[0].baseline") turned into the form's input ids.

The repeatable parts (measures, changes and their PDSA cycles) are numbered inputs,
``measures-0-name`` or ``changes-1-cycles-0-plan``; blank rows are left out, so each
part the domain names is mapped back to the row the person typed it in. Rows are added
and removed by buttons that post the form back (``row_button``), without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from domain.qip import Qip
from domain.values import Direction

MEASURE_PARTS = ("name", "definition", "unit", "baseline", "target", "direction")
CYCLE_PARTS = ("plan", "happened", "learned")
MAX_CHANGES = 30          # the domain's limit
FIELD_ORDER = ("", "title", "key_area", "aim", "timeframe", "owner_id", "member_ids",
               "changes", "measures", "obstacles", "obstacle_notes", "enablers",
               "enabler_notes", "lessons")
NAMES = {"title": "Title", "key_area": "Key area", "aim": "Aim", "timeframe": "Time frame",
         "owner_id": "Owner", "member_ids": "Members involved", "changes": "Changes to test",
         "measures": "Measures", "obstacles": "Obstacles", "enablers": "Enablers",
         "obstacle_notes": "Notes on obstacles", "enabler_notes": "Notes on enablers",
         "lessons": "Lessons learned", "qip": "The plan"}
PART_NAMES = {"name": "name", "definition": "definition", "unit": "unit",
              "baseline": "baseline", "target": "target", "direction": "direction",
              "title": "title", "plan": "plan", "happened": "what happened",
              "learned": "what was learned"}


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def values_of(qip: Qip) -> dict[str, Any]:
    """What the form shows for a saved plan: strings, and lists for checkboxes and rows."""
    return {
        "title": qip.title, "key_area": qip.key_area.value, "aim": qip.aim,
        "timeframe": qip.timeframe, "owner_id": str(qip.owner_id),
        "member_ids": [str(m) for m in qip.member_ids],
        "measures": [{"name": m.name, "definition": m.definition, "unit": m.unit,
                      "baseline": _number(m.baseline), "target": _number(m.target),
                      "direction": m.direction.value} for m in qip.measures],
        "changes": [{"title": c["title"], "cycles": [dict(cycle) for cycle in c["cycles"]]}
                    for c in qip.changes],
        "obstacles": [o.value for o in qip.obstacles], "obstacle_notes": qip.obstacle_notes,
        "enablers": [e.value for e in qip.enablers], "enabler_notes": qip.enabler_notes,
        "lessons": qip.lessons, "keep": [],
    }


def blank_values(owner_id: str) -> dict[str, Any]:
    return {"title": "", "key_area": "", "aim": "", "timeframe": "", "owner_id": owner_id,
            "member_ids": [], "measures": [], "changes": [], "obstacles": [],
            "obstacle_notes": "", "enablers": [], "enabler_notes": "", "lessons": "",
            "keep": []}


def _rows(form: MultiDict[str, str], prefix: str) -> list[int]:
    """The row numbers of one repeatable part, from 0 to the last the form sent."""
    found = {int(n) for n in re.findall(rf"(?m)^{re.escape(prefix)}-(\d+)-",
                                        "\n".join(form.keys()))}
    found = {n for n in found if n < 100}
    return list(range(max(found) + 1)) if found else []  # gaps kept: ids stay row numbers


def values_from(form: MultiDict[str, str]) -> dict[str, Any]:
    """What the person typed, kept whole (blank rows too) to show again if refused."""
    measures = [{part: form.get(f"measures-{i}-{part}", "").strip() for part in MEASURE_PARTS}
                for i in _rows(form, "measures")]
    changes = []
    for i in _rows(form, "changes"):
        cycles = [{part: form.get(f"changes-{i}-cycles-{j}-{part}", "").strip()
                   for part in CYCLE_PARTS} for j in _rows(form, f"changes-{i}-cycles")]
        changes.append({"title": form.get(f"changes-{i}-title", "").strip(), "cycles": cycles})
    return {
        "title": form.get("title", "").strip(), "key_area": form.get("key_area", ""),
        "aim": form.get("aim", "").strip(), "timeframe": form.get("timeframe", "").strip(),
        "owner_id": form.get("owner_id", ""), "member_ids": form.getlist("member_ids"),
        "measures": measures, "changes": changes,
        "obstacles": form.getlist("obstacles"),
        "obstacle_notes": form.get("obstacle_notes", "").strip(),
        "enablers": form.getlist("enablers"),
        "enabler_notes": form.get("enabler_notes", "").strip(),
        "lessons": form.get("lessons", "").strip(),
        # Parts copied from an adapted plan that the team ticked to keep as its own.
        "keep": form.getlist("keep"),
    }


def _filled(row: dict[str, str], parts: tuple[str, ...]) -> bool:
    return any(row.get(part) for part in parts)


def plan_from(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The plan to send to the domain, blank rows left out, and where each sent row came
    from: {"measures[0]": "measures-2", "changes[0].cycles[1]": "changes-0-cycles-3"}."""
    where: dict[str, str] = {}
    measures = []
    for i, row in enumerate(values["measures"]):
        if _filled(row, ("name", "definition", "unit", "baseline", "target")):
            where[f"measures[{len(measures)}]"] = f"measures-{i}"
            measures.append({**row, "direction": row.get("direction") or Direction.UP.value})
    changes = []
    for i, change in enumerate(values["changes"]):
        cycles = []
        for j, cycle in enumerate(change["cycles"]):
            if _filled(cycle, CYCLE_PARTS):
                where[f"changes[{len(changes)}].cycles[{len(cycles)}]"] = \
                    f"changes-{i}-cycles-{j}"
                cycles.append(cycle)
        if change["title"] or cycles:
            where[f"changes[{len(changes)}]"] = f"changes-{i}"
            changes.append({"title": change["title"], "cycles": cycles})
    plan = {"title": values["title"], "key_area": values["key_area"], "aim": values["aim"],
            "timeframe": values["timeframe"], "measures": measures, "changes": changes,
            "member_ids": values["member_ids"], "obstacles": values["obstacles"],
            "obstacle_notes": values["obstacle_notes"], "enablers": values["enablers"],
            "enabler_notes": values["enabler_notes"], "lessons": values["lessons"]}
    return plan, where


_PART = re.compile(r"^(measures|changes)\[(\d+)\](?:\.cycles\[(\d+)\])?(?:\.(\w+))?$")


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
        words = f"{'Measure' if kind == 'measures' else 'Change'} {int(i) + 1}"
        if j is not None:
            words += f", PDSA cycle {int(j) + 1}"
        if part:
            words += f" {PART_NAMES.get(part, part)}"
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


def _blank_measure() -> dict[str, str]:
    return dict.fromkeys(MEASURE_PARTS, "")


def _blank_cycle() -> dict[str, str]:
    return dict.fromkeys(CYCLE_PARTS, "")


def rows_to_show(values: dict[str, Any], refused: bool = False) -> dict[str, Any]:
    """The plan's own rows, or one blank row where it has none (a measure, a change, a
    PDSA cycle under each change); more come with the form's "Add" buttons. A refused
    form, or one re-shown after an "Add" or "Remove", comes back row for row as it was
    sent, so each problem's link finds its input."""
    if refused:
        return values
    changes = [{"title": c["title"], "cycles": list(c["cycles"]) or [_blank_cycle()]}
               for c in values["changes"]]
    return {**values, "measures": list(values["measures"]) or [_blank_measure()],
            "changes": changes or [{"title": "", "cycles": [_blank_cycle()]}]}


_BUTTON = re.compile(r"^(add|remove)-(measure|change|cycle)(?:-(\d+))?(?:-(\d+))?$")


def row_button(form: MultiDict[str, str], values: dict[str, Any]
               ) -> tuple[dict[str, Any], str] | None:
    """When an "Add a measure", "Add a change", "Add a PDSA cycle" or "Remove" button was
    pressed (named ``add-measure``, ``remove-change-2``, ``add-cycle-0``,
    ``remove-cycle-0-1``): what the person typed with that row added or removed, and
    the id of the input to put them in (a new row's first input, or its part heading).
    The form is shown again, unsaved, so it works without JavaScript."""
    pressed = next((m for m in map(_BUTTON.match, form.keys()) if m), None)
    if pressed is None:
        return None
    act, kind, first, second = pressed.groups()
    i = int(first) if first is not None else None
    j = int(second) if second is not None else None
    measures = list(values["measures"])
    changes = [{"title": c["title"], "cycles": list(c["cycles"])} for c in values["changes"]]
    focus = "measures" if kind == "measure" else "changes"
    if act == "add" and kind == "measure":
        measures.append(_blank_measure())
        focus = f"measures-{len(measures) - 1}-name"
    elif act == "add" and kind == "change" and len(changes) < MAX_CHANGES:
        changes.append({"title": "", "cycles": [_blank_cycle()]})
        focus = f"changes-{len(changes) - 1}-title"
    elif act == "add" and kind == "cycle" and i is not None and i < len(changes) \
            and len(changes[i]["cycles"]) < MAX_CHANGES:
        changes[i]["cycles"].append(_blank_cycle())
        focus = f"changes-{i}-cycles-{len(changes[i]['cycles']) - 1}-plan"
    elif act == "remove" and kind == "measure" and i is not None and i < len(measures):
        del measures[i]
    elif act == "remove" and kind == "change" and i is not None and i < len(changes):
        del changes[i]
    elif act == "remove" and kind == "cycle" and i is not None and j is not None \
            and i < len(changes) and j < len(changes[i]["cycles"]):
        del changes[i]["cycles"][j]
        focus = f"changes-{i}"
    return {**values, "measures": measures, "changes": changes}, focus
