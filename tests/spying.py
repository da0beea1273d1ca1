"""Watching what a test's page asks of the views, without changing the answers."""

from __future__ import annotations

from typing import Any


def spy(monkeypatch: Any, owner: object, name: str) -> list[Any]:
    """Each call's first argument to ``owner.name`` from now on, the real method still
    answering: a test then says how often a page read something (kept or read again)."""
    calls: list[Any] = []
    real = getattr(owner, name)

    def recording(first: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls
