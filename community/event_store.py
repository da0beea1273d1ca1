"""The event store: eventsourcing-sqlalchemy's, reading one thing's events and writing
new ones faster.

Every command loads what it changes, and the aggregate cache (``persistence_env`` in
community/application.py) fast-forwards a cached aggregate by reading the events saved
since its version: one small read per load, two or three per change and one per QIP
page. The library builds that read as an ORM query each time and makes an ORM object
of each row, about 0.3 ms on SQLite. The same read as one SQL statement built once,
on a pooled connection, takes about 0.04 ms (issue 14: it was a fifth of the web
process's CPU when recording values under load).

Reads inside a transaction the library has open, and reads it asks for in other shapes
(down to a version, newest first, a few at a time), keep to the library's own code.

New events go in as one INSERT … RETURNING their ids, where the library makes an ORM
object of each and flushes the session to learn them; its table lock (PostgreSQL) and
NOTIFY stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import PersistenceError, StoredEvent
from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.datastore import (
    SQLAlchemyDatastore,
    exception_classes,
    transactions,
)
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Engine, bindparam, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from projections.reading import reading
from projections.write_turns import write_turns

# ``persistence_env`` names this factory as the store's PERSISTENCE_MODULE, and says
# how many connections to keep open (Settings.database_pool_size).
FACTORY_TOPIC = "community.event_store:EventStoreFactory"
POOL_SIZE = "SQLALCHEMY_POOL_SIZE"


class EventRecorder(SQLAlchemyApplicationRecorder):
    """The library's recorder; an aggregate's events after a version are read by a
    statement built once, on a connection of the pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        self._write_turn = write_turns(engine)
        table = self.events_record_cls.__table__
        # Versions start at 1, so "after -1" is every event of the aggregate.
        self._events_after = (
            select(table.c.originator_id, table.c.originator_version, table.c.topic,
                   table.c.state)
            .where(table.c.originator_id == bindparam("originator_id"),
                   table.c.originator_version > bindparam("gt"))
            .order_by(table.c.originator_version))
        # New events and the notification ids they get, in the order given.
        self._insert_returning_ids = insert(table).returning(
            table.c.id, sort_by_parameter_order=True)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any
                      ) -> Sequence[int] | None:
        # On SQLite, the turn to write is handed over when the last writer ends
        # (projections/write_turns.py), not found by SQLite's sleeping retries.
        with self._write_turn():
            return super().insert_events(stored_events, **kwargs)

    def _insert_stored_events(self, session: Session, stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> Sequence[int]:
        """As the library inserts them (the table locked first on PostgreSQL, so ids
        are committed in order; NOTIFY after), by one INSERT … RETURNING instead of an
        ORM object per event and a flush of the session's unit of work: those were
        about a tenth of the web process's Python time recording a value."""
        if not self._has_autoincrementing_ids or not stored_events:
            return super()._insert_stored_events(session, stored_events, **kwargs)
        self._lock_table(session)
        ids = session.execute(self._insert_returning_ids, [
            {"originator_id": e.originator_id, "originator_version": e.originator_version,
             "topic": e.topic, "state": e.state} for e in stored_events]).scalars().all()
        self._notify_channel(session)
        return list(ids)

    def select_events(self, originator_id: UUID | str, gt: int | None = None,
                      lte: int | None = None, desc: bool = False,
                      limit: int | None = None) -> list[StoredEvent]:
        if (lte is not None or desc or limit is not None or _in_transaction()
                or self.datastore.scoped_session is not None
                or self.datastore.access_lock is not None):  # in-memory SQLite: one connection
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        try:
            with reading(engine) as connection:  # PostgreSQL: no BEGIN, no ROLLBACK
                rows = connection.execute(self._events_after, {
                    "originator_id": originator_id, "gt": -1 if gt is None else gt}).all()
        except SQLAlchemyError as error:  # as the library's own reads say it
            raise exception_classes.get(type(error).__name__, PersistenceError)(
                str(error)) from error
        return [StoredEvent(originator_id=row.originator_id,
                            originator_version=row.originator_version, topic=row.topic,
                            state=bytes(row.state) if isinstance(row.state, memoryview)
                            else row.state)
                for row in rows]


def _in_transaction() -> bool:
    try:
        transactions.get()
    except LookupError:
        return False
    return True


class PooledDatastore(SQLAlchemyDatastore):
    """The library's datastore, keeping ``pool_size`` connections open (SQLAlchemy
    keeps 5): under load a web process's threads used more, and each one past the
    pool was opened for one use and closed, on PostgreSQL starting a server process
    whose first statements are its slowest (issue 14: 13 a second under load)."""

    pool_size = 5

    def __init__(self, **kwargs: Any) -> None:
        url = str(kwargs.get("url") or "")
        if url and ":memory:" not in url and "mode=memory" not in url:  # else one connection
            kwargs.setdefault("pool_size", self.pool_size)
        super().__init__(**kwargs)


class EventStoreFactory(SQLAlchemyFactory):
    """eventsourcing-sqlalchemy's persistence, with ``EventRecorder`` and a pool of
    ``POOL_SIZE`` connections."""

    application_recorder_class = EventRecorder

    def __init__(self, env: Environment) -> None:
        size = int(env.get(POOL_SIZE) or PooledDatastore.pool_size)

        class Sized(PooledDatastore):
            pool_size = size

        self.datastore_class = Sized
        super().__init__(env)
