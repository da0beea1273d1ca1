"""Reading a request: JSON bodies with known fields only, and paging parameters."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from flask import request
from flask_login import current_user

from domain.errors import Invalid, NotAllowed
from domain.values import ALL_ENUMS

MAX_PAGE = 200
MAX_OFFSET = 10**9


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object, checked against its schema in the OpenAPI
    document, so the API takes exactly what it documents. Unknown fields are
    refused, not ignored, so a typo in a field name is an error the caller sees
    rather than lost data. The domain then checks what only it can know."""
    if not request.is_json:
        raise Invalid({"body": "send a JSON object with Content-Type: application/json"})
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid({"body": "must be a JSON object"})
    problems = problems_with(schema, data, "")
    if problems:
        raise Invalid(problems)
    return _whole_numbers(schema, data)


def _whole_numbers(schema: dict[str, Any], value: Any) -> Any:
    """JSON Schema counts 35.0 as an integer; the commands want the int 35."""
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    if isinstance(value, float) and "integer" in kinds and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_numbers(schema.get("items", {}), item) for item in value]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {k: _whole_numbers(properties.get(k, {}), v) for k, v in value.items()}
    return value


# --- checking JSON against the (small) part of JSON Schema the document uses ------------

UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number",
              "boolean": "true or false", "array": "a list", "object": "an object",
              "null": "null"}


def _has_type(kind: str, value: Any) -> bool:
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "integer":  # 35.0 is an integer to JSON Schema
        return (isinstance(value, int) and not isinstance(value, bool)
                or isinstance(value, float) and value.is_integer())
    return isinstance(value, {"string": str, "boolean": bool, "array": list, "object": dict,
                              "null": type(None)}[kind])


def is_date(value: str) -> bool:
    """Only the ISO 8601 calendar form, YYYY-MM-DD, that the API answers with."""
    if not DATE_FORM.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _text_problem(value: str) -> str | None:
    # The event store writes UTF-8 and PostgreSQL refuses NUL in text.
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text"
    return None


def choices_with_codes(codes: list[Any]) -> str:
    """The choices in people's words, each followed by the code the API takes:
    "Reciprocal visit (reciprocal_visit), Call (call)". Codes of no labelled list
    (numbers, filters only the API has) are given as they are."""
    wanted = set(map(str, codes))
    for kind in ALL_ENUMS:
        labels = {m.value: m.label for m in kind}
        if wanted <= set(labels):
            return ", ".join(f"{labels[str(c)]} ({c})" for c in codes)
    return ", ".join(map(str, codes))


def problems_with(schema: dict[str, Any], value: Any, where: str) -> dict[str, str]:
    """Each field that breaks the schema, named as the domain names them:
    ``title``, ``measures[0].baseline``."""
    field = where or "body"
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    if kinds and not any(_has_type(k, value) for k in kinds):
        if value is None and "null" not in kinds:
            return {field: "is required"} if schema.get("minLength") else {
                field: f"must be {TYPE_WORDS[kinds[0]]}"}
        return {field: "must be " + " or ".join(TYPE_WORDS[k] for k in kinds)}
    if "enum" in schema and value not in schema["enum"]:
        return {field: "must be one of: " + choices_with_codes(schema["enum"])}
    if isinstance(value, str):
        return _string_problems(schema, value, field)
    if _has_type("number", value):
        return _number_problems(schema, value, field)
    if isinstance(value, list):
        problems: dict[str, str] = {}
        for i, item in enumerate(value):
            problems.update(problems_with(schema.get("items", {}), item, f"{where}[{i}]"))
        return problems
    if isinstance(value, dict):
        return _object_problems(schema, value, where)
    return {}


def _string_problems(schema: dict[str, Any], value: str, field: str) -> dict[str, str]:
    if problem := _text_problem(value):
        return {field: problem}
    if len(value) < schema.get("minLength", 0):
        return {field: "is required"}
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return {field: f"must be at most {schema['maxLength']} characters"}
    if schema.get("format") == "date" and not is_date(value):
        return {field: "must be a date like 2012-03-31"}
    if schema.get("format") == "uuid" and not UUID_FORM.fullmatch(value):
        return {field: "must be an id like 6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11"}
    if "pattern" in schema and not re.search(schema["pattern"], value):
        if not value.strip():
            return {field: "is required"}
        return {field: "must be " + schema.get("description", "in the documented form")}
    return {}


def _number_problems(schema: dict[str, Any], value: float, field: str) -> dict[str, str]:
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        return {field: "must be a finite number"}
    if "minimum" in schema and value < schema["minimum"]:
        return {field: f"must be at least {schema['minimum']}"}
    if "maximum" in schema and value > schema["maximum"]:
        return {field: f"must be at most {schema['maximum']}"}
    return {}


def _object_problems(schema: dict[str, Any], value: dict[str, Any], where: str) -> dict[str, str]:
    def name(key: str) -> str:
        return f"{where}.{key}" if where else key

    properties = schema.get("properties", {})
    problems: dict[str, str] = {}
    if schema.get("additionalProperties") is False:
        problems.update({name(k): "is not a field this request takes"
                         for k in value if k not in properties})
    problems.update({name(k): "is required" for k in schema.get("required", [])
                     if k not in value})
    for key, item in value.items():
        if key in properties:
            problems.update(problems_with(properties[key], item, name(key)))
    return problems


def page_args() -> tuple[int, int]:
    problems = {}
    values = {}
    for name, default, low, high in (("limit", 50, 1, MAX_PAGE), ("offset", 0, 0, MAX_OFFSET)):
        raw = request.args.get(name, default)
        try:
            values[name] = int(raw)
            if not low <= values[name] <= high:
                raise ValueError
        except (TypeError, ValueError):
            problems[name] = f"must be a whole number from {low} to {high}"
    if problems:
        raise Invalid(problems)
    return values["limit"], values["offset"]


def paged(key: str, items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {key: items, "total": total, "limit": limit, "offset": offset}


def text_arg(name: str) -> str | None:
    """A free-text filter; empty means no filter."""
    value = request.args.get(name, "")
    if problem := _text_problem(value):
        raise Invalid({name: problem})
    return value.strip() or None


def choice_arg(name: str, choices: Any, what: str) -> str | None:
    """A filter that must be one of ``choices`` (an enum); empty means no filter."""
    value = request.args.get(name, "")
    if value == "":
        return None
    if value not in {c.value for c in choices}:
        raise Invalid({name: f"is not a known {what}"})
    return value


def date_arg(name: str) -> date | None:
    """A YYYY-MM-DD date; empty means none."""
    value = request.args.get(name, "")
    if value == "":
        return None
    if not is_date(value):
        raise Invalid({name: "must be a date like 2013-03-31"})
    return date.fromisoformat(value)


def require_organiser() -> None:
    if not current_user.is_organiser:
        raise NotAllowed("only organisers can do this")
