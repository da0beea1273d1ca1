"""What every view has: a name, its tables, and handlers named after the events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, MetaData


class View:
    name: str = ""
    metadata: MetaData

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def apply_all(self, conn: Connection, page: Iterable[tuple[int, Any]]) -> None:
        for notification_id, event in page:
            self.apply(event, conn, notification_id)

    # Each view declares its own ``apply = singledispatchmethod(...)`` and
    # registers one handler per event it reads: a dispatcher shared through
    # this base class would hand every view every other view's handlers.
    def apply(self, event: Any, conn: Connection, notification_id: int) -> None:
        raise NotImplementedError


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def as_id(value: Any) -> str | None:
    return None if value is None else str(value)
