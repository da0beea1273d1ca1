"""Optimistic concurrency, shared by every command module: the client says which
version of a thing it edited, and a changed thing is a visible conflict (409)."""

from __future__ import annotations

from typing import Any

from domain.errors import Conflict, Invalid


def check_version(aggregate: Any, version: int | None) -> None:
    if version is None:
        return
    if isinstance(version, bool) or not isinstance(version, int):
        raise Invalid({"version": "must be a whole number"})
    if version != aggregate.version:
        raise Conflict(f"this was changed since you loaded it (now version "
                       f"{aggregate.version}, yours {version}); reload and try again")
