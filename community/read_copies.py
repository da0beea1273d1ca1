"""Copies of aggregates for pages to read, one per aggregate version.

A command loads an aggregate as a deep copy of the library's cached one (the
cache is fast-forwarded in place, and a command's changes must never reach it
unsaved). A page only reads: copying a QIP with two years of values for every
view of its page cost about a sixth of the page (issue 14). So pages share one
copy per version: a new version (any saved change) makes a new copy, and the
version is the log's own word on whether a copy is still true.
"""

from __future__ import annotations

from copy import deepcopy
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import LRUCache
from eventsourcing.domain import Aggregate

A = TypeVar("A", bound=Aggregate)


class ReadCopies:
    """The latest version read of each of the ``size`` aggregates read most recently."""

    def __init__(self, size: int = 1000) -> None:
        self._copies: LRUCache[UUID, Aggregate] = LRUCache(maxsize=size)

    def of(self, live: A) -> A:
        """A copy of ``live`` at its version, shared: never change it."""
        try:
            kept = self._copies.get(live.id)
        except KeyError:
            kept = None
        if kept is not None and kept.version == live.version and type(kept) is type(live):
            return kept
        copy = deepcopy(live)
        self._copies.put(live.id, copy)
        return copy
