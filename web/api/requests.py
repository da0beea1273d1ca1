"""Reading a request: JSON bodies with known fields only, and paging parameters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from flask_login import current_user

from domain.errors import Invalid, NotAllowed

MAX_PAGE = 200


def json_body(allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, Any]:
    """The request's JSON object. Unknown fields are refused, not ignored, so a
    typo in a field name is an error the caller sees rather than lost data."""
    if not request.is_json:
        raise Invalid({"body": "send a JSON object with Content-Type: application/json"})
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid({"body": "must be a JSON object"})
    problems = {name: "is not a field this request takes" for name in data if name not in allowed}
    problems.update({name: "is required" for name in required if data.get(name) in (None, "")})
    if problems:
        raise Invalid(problems)
    return data


def page_args() -> tuple[int, int]:
    problems = {}
    values = {}
    for name, default, low, high in (("limit", 50, 1, MAX_PAGE), ("offset", 0, 0, 10**9)):
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
    value = request.args.get(name, "").strip()
    return value or None


def require_organiser() -> None:
    if not current_user.is_organiser:
        raise NotAllowed("only organisers can do this")
