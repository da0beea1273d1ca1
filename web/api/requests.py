"""Reading a request: JSON bodies with known fields only, and paging parameters."""

from __future__ import annotations

import json
import math
import re
from collections import deque
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

from flask import request
from flask_login import current_user
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from domain.errors import Invalid, NotAllowed
from domain.values import ALL_ENUMS

MAX_PAGE = 200
MAX_OFFSET = 10**9
# No request body the API takes is more than a few levels deep (a series' values[0].date
# is three); anything far deeper is refused before anything walks it recursively.
MAX_DEPTH = 32
DOCUMENT_URI = "urn:clinical-community:api-v1"


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object, checked against its schema in the OpenAPI
    document, so the API takes exactly what it documents, limits included. Unknown
    fields are refused, not ignored, so a typo in a field name is an error the
    caller sees rather than lost data. The domain then checks what only it can know."""
    if not request.is_json:
        raise Invalid({"body": "send a JSON object with Content-Type: application/json"})
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # the parser's own limit, far beyond MAX_DEPTH
        raise Invalid({"body": f"must not be nested more than {MAX_DEPTH} levels deep"}) from None
    if not isinstance(data, dict):
        raise Invalid({"body": "must be a JSON object"})
    problems = _value_problems(data)
    for field, message in _schema_problems(_validator(schema), data).items():
        problems.setdefault(field, message)
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


# --- checking JSON against the OpenAPI document with the jsonschema library -------------

UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number",
              "boolean": "true or false", "array": "a list", "object": "an object",
              "null": "null"}


def is_date(value: str) -> bool:
    """Only the ISO 8601 calendar form, YYYY-MM-DD, that the API answers with."""
    if not DATE_FORM.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# The library's formats (a copy: adding to its own would change every checker),
# but ids only in the ASCII form the API answers with: its "uuid" takes any digits.
FORMATS = FormatChecker(formats=list(FormatChecker.checkers))
FORMATS.checks("uuid")(lambda value: not isinstance(value, str)
                       or bool(UUID_FORM.fullmatch(value)))
_validators: dict[int, tuple[dict[str, Any], Draft202012Validator]] = {}


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    """One validator per request schema, built at its first use (every route module
    has added its part of the document by then) and kept. It validates a ``$ref``
    into the whole document, so the library resolves ``#/components/...``."""
    found = _validators.get(id(schema))
    if found is None or found[0] is not schema:
        from web.api.openapi import DOCUMENT  # the document imports this module

        registry = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(DOCUMENT))
        pointer = _pointer(DOCUMENT["paths"], schema)
        found = (schema, Draft202012Validator({"$ref": DOCUMENT_URI + "#" + quote(pointer)},
                                              registry=registry, format_checker=FORMATS))
        _validators[id(schema)] = found
    return found[1]


def _pointer(paths: dict[str, Any], schema: dict[str, Any]) -> str:
    """Where in the document ``schema`` is the JSON body of an operation."""
    for path, operations in paths.items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if content.get("application/json", {}).get("schema") is schema:
                escaped = path.replace("~", "~0").replace("/", "~1")
                return (f"/paths/{escaped}/{method}/requestBody/content/"
                        "application~1json/schema")
    raise LookupError("a request schema that is not in the OpenAPI document")


def _text_problem(value: str) -> str | None:
    # The event store writes UTF-8 and PostgreSQL refuses NUL in text.
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text"
    return None


def _value_problems(data: dict[str, Any]) -> dict[str, str]:
    """What no schema can say: text no database can store, numbers too large to be
    a float (or Infinity, NaN, which Python's JSON reads); and a body nested too deep
    for anything to walk it recursively. Walked without recursion."""
    problems: dict[str, str] = {}
    todo: deque[tuple[Any, tuple[Any, ...]]] = deque([(data, ())])
    while todo:
        value, path = todo.pop()
        if isinstance(value, (dict, list)) and len(path) >= MAX_DEPTH:
            raise Invalid({"body": f"must not be nested more than {MAX_DEPTH} levels deep"})
        if isinstance(value, dict):
            todo.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            todo.extend((v, (*path, i)) for i, v in enumerate(value))
        elif isinstance(value, str) and (problem := _text_problem(value)):
            problems[_field(path)] = problem
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                finite = math.isfinite(float(value))
            except OverflowError:
                finite = False
            if not finite:
                problems[_field(path)] = "must be a finite number"
    return problems


def _field(path: Any) -> str:
    """A field named as the domain names them: ``title``, ``measures[0].baseline``."""
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else str(step))
    return name or "body"


# The problems first told about a field, when it has several: its kind, then
# whether it is there, then its length, form and range. A rule between fields
# (exactly one of them; at least one besides the version) is told only when every
# field is right in itself.
ORDER = ["type", "enum", "const", "required", "additionalProperties", "minLength",
         "maxLength", "format", "pattern", "minimum", "maximum", "minItems", "maxItems"]
RULES_BETWEEN_FIELDS = {"oneOf", "anyOf", "minProperties"}


def _schema_problems(validator: Draft202012Validator, data: Any) -> dict[str, str]:
    errors = sorted(validator.iter_errors(data),
                    key=lambda e: ORDER.index(e.validator) if e.validator in ORDER else 99)
    told = [e for e in errors if e.validator not in RULES_BETWEEN_FIELDS] or errors
    problems: dict[str, str] = {}
    for error in told:
        for field, message in _in_words(error):
            problems.setdefault(field, message)
    return problems


def _in_words(error: ValidationError) -> Iterator[tuple[str, str]]:
    """The library's error as the fields it names and what a person should change."""
    kind, wanted, value, schema = error.validator, error.validator_value, error.instance, error.schema
    path = list(error.absolute_path)
    field = _field(path)
    if kind == "required":
        yield from ((_field([*path, k]), "is required") for k in wanted if k not in value)
    elif kind == "additionalProperties":
        known = schema.get("properties", {})
        yield from ((_field([*path, k]), "is not a field this request takes")
                    for k in value if k not in known)
    elif kind == "type":
        kinds = [wanted] if isinstance(wanted, str) else wanted
        if value is None and schema.get("minLength"):
            yield field, "is required"
        else:
            yield field, "must be " + " or ".join(TYPE_WORDS[k] for k in kinds)
    elif kind == "enum":
        yield field, "must be one of: " + choices_with_codes(wanted)
    elif kind == "const":
        yield field, "must be " + json.dumps(wanted)
    elif kind == "minLength" or (kind == "pattern" and not value.strip()):
        yield field, "is required"
    elif kind == "maxLength":
        yield field, f"must be at most {wanted} characters"
    elif kind == "format":
        yield field, {"date": "must be a date like 2012-03-31",
                      "uuid": "must be an id like 6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11"}.get(
            wanted, f"must be a {wanted}")
    elif kind == "pattern":
        yield field, "must be " + schema.get("description", "in the documented form")
    elif kind == "minimum":
        yield field, f"must be at least {wanted}"
    elif kind == "maximum":
        yield field, f"must be at most {wanted}"
    elif kind in ("minItems", "maxItems"):
        most = "least" if kind == "minItems" else "most"
        yield field, f"must have at {most} {wanted} {'item' if wanted == 1 else 'items'}"
    elif kind == "minProperties":
        yield field, _too_few_fields(wanted, schema.get("required", []))
    elif kind in RULES_BETWEEN_FIELDS:
        # Named by the first field the alternatives speak of (a follow-up's team_id).
        first = next((k for alt in wanted for k in alt.get("required", [])), None)
        yield (_field([*path, first]) if first else field,
               schema.get("description", "must match exactly one of the documented forms"))
    else:
        yield field, "does not match the API's description of this field"


def _too_few_fields(wanted: int, required: list[str]) -> str:
    more = wanted - len(required)
    fields = "one field" if more == 1 else f"{more} fields"
    if required:
        return f"must give at least {fields} besides {', '.join(required)}"
    return f"must give at least {fields}"


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
