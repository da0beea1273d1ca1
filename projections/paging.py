"""How many rows a listing has in all, told from the page of them just read."""

from __future__ import annotations

from collections.abc import Callable, Sized


def total_of(page: Sized, limit: int, offset: int, count: Callable[[], int | None]) -> int:
    """A page that is not full ends the list, so it says how many there are; ``count``
    (a second query over the same rows) runs only after a full page, or one past the
    end. Most lists on a team's or a plan's page fit on one, and each count was a
    statement of its own on every such page (issue 14)."""
    if len(page) < limit and (len(page) or not offset):
        return offset + len(page)
    return int(count() or 0)
