"""What every view has: a name, its tables, handlers named after the events,
and a writer that sends each page's rows to the database in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from operator import itemgetter
from typing import Any, ClassVar

from sqlalchemy import Connection, Engine, MetaData, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.sql.util import find_tables

# Statement → the tables it reads or writes (statements are module constants, so
# this stays small; it is emptied if a view builds statements per event).
_TABLES: dict[Any, frozenset[str]] = {}


def tables_of(statement: Any) -> frozenset[str]:
    """The names of the tables a statement touches; empty when it cannot be told
    (text SQL), which the writer treats as "touches everything"."""
    found = _TABLES.get(statement)
    if found is None:
        try:
            found = frozenset(t.name for t in find_tables(statement, include_crud=True)
                              if isinstance(t, Table))
        except Exception:  # not a Core construct (text, a string): assume everything
            found = frozenset()
        if len(_TABLES) > 2000:
            _TABLES.clear()
        _TABLES[statement] = found
    return found


_COMPILED: dict[tuple[Any, frozenset[str]], tuple[str, tuple[str, ...], list[Any]]] = {}


def _compiled_insert(statement: Any, conn: Connection, row: dict[str, Any]
                     ) -> tuple[str, tuple[str, ...], list[Any]]:
    """An insert's SQL for SQLite, its parameters' order and their bind processors;
    "" when the compiled statement needs a parameter the rows do not have."""
    keys = frozenset(row)
    found = _COMPILED.get((statement, keys))
    if found is None:
        compiled = statement.compile(dialect=conn.dialect, column_keys=list(row))
        order = tuple(compiled.positiontup or ())
        if not order or not set(order) <= keys:
            found = ("", (), [])
        else:
            processors = compiled._bind_processors  # SQLAlchemy's own, per bind name
            found = (str(compiled), order,
                     [_faster(compiled.binds[k].type, conn, processors.get(k)) for k in order])
        if len(_COMPILED) > 500:
            _COMPILED.clear()
        _COMPILED[(statement, keys)] = found
    return found


def _faster(type_: Any, conn: Connection, processor: Any) -> Any:
    """SQLite's DATE processor formats each date with ``%`` and a dict of its parts,
    which was a twentieth of a rebuild's CPU (py-spy, 34k national store, issue 14).
    ``date.isoformat`` writes the same text, a third of the time (a datetime's date
    part too, as SQLAlchemy's does)."""
    impl = type_.dialect_impl(conn.dialect)
    if (processor is not None and isinstance(impl, sqlite.DATE)
            and impl._storage_format == _SQLITE_DATE_TEXT):
        return _date_text
    return processor


_SQLITE_DATE_TEXT = sqlite.DATE()._storage_format


def _date_text(value: date | None) -> str | None:
    return None if value is None else date.isoformat(value)


class Writer:
    """The statements of one page of events, sent in as few round trips as possible.

    Rows to insert are held and sent together (one executemany per table);
    "set to the latest" updates are held too, the last one per key winning.
    Any other statement first sends what is held for the tables it touches,
    so the database always sees each table's changes in the order the events
    asked for them (held rows of other tables can wait: view tables have no
    foreign keys, and the only triggers, full-text ones, write tables that no
    handler reads). Sending everything before every lookup made a page one
    round trip per event again. Statements are built once per module with
    bind parameters: building them per event cost eight times more than
    running them.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        self._inserts: dict[Any, list[dict[str, Any]]] = {}
        self._latest: dict[tuple[Any, Any], dict[str, Any]] = {}
        self.memory: dict[str, Any] = {}  # the view's lookups kept between pages

    def insert(self, statement: Any, row: dict[str, Any]) -> None:
        self._inserts.setdefault(statement, []).append(row)

    def set_latest(self, statement: Any, key: Any, params: dict[str, Any]) -> None:
        """An update whose later calls for the same key replace earlier ones."""
        self._latest[(statement, key)] = params

    def forget_latest(self, statement: Any, key: Any) -> None:
        """Drop a held "set to the latest" update (one that turned out to be moot)."""
        self._latest.pop((statement, key), None)

    def execute(self, statement: Any, params: Any = None) -> CursorResult[Any]:
        if self._inserts or self._latest:
            touched = tables_of(statement)
            if touched:
                self._flush_tables(touched)
            else:
                self.flush()
        return self.conn.execute(statement, params)

    def _flush_tables(self, touched: frozenset[str]) -> None:
        """Send what is held for these tables only, in the order ``flush`` would."""
        inserts = [s for s in self._inserts if s.table.name in touched]
        latest = [k for k in self._latest if k[0].table.name in touched]
        for statement in inserts:
            self._send_inserts(statement, self._inserts.pop(statement))
        by_statement: dict[Any, list[dict[str, Any]]] = {}
        for key in latest:
            by_statement.setdefault(key[0], []).append(self._latest.pop(key))
        for statement, rows in by_statement.items():
            self.conn.execute(statement, rows)

    def _send_inserts(self, statement: Any, rows: list[dict[str, Any]]) -> None:
        """One executemany. On SQLite the rows go straight to the driver, each
        value through its column's bind processor (dates, booleans): SQLAlchemy's
        own executemany builds every row's parameters again, which cost as much as
        SQLite's insert itself on the notifications' tens of thousands of rows.
        One row goes so too: a command's catch-up inserts a row or two per view,
        and SQLAlchemy's execute of one (and the compile of a dialect's insert,
        which it never caches) was most of a view's share of it. Statements it
        cannot do so (a column default to fill, rows of different shapes) go the
        ordinary way."""
        if self.dialect == "sqlite":
            sql, order, processors = _compiled_insert(statement, self.conn, rows[0])
            if sql:
                get = itemgetter(*order)
                converted = [(i, p) for i, p in enumerate(processors) if p is not None]
                try:
                    if len(order) == 1:
                        params: list[Any] = [(get(row),) for row in rows]
                    else:
                        params = [get(row) for row in rows]
                    if converted:
                        params = [list(values) for values in params]
                        for values in params:
                            for i, process in converted:
                                values[i] = process(values[i])
                except KeyError:  # a row without a value the first one had
                    pass
                else:
                    # The driver's own cursor, in this connection's transaction.
                    cursor = self.conn.connection.cursor()
                    try:
                        cursor.executemany(sql, params)
                    finally:
                        cursor.close()
                    return
        self.conn.execute(statement, rows)

    def flush(self) -> None:
        inserts, latest = self._inserts, self._latest
        self._inserts, self._latest = {}, {}
        for statement, rows in inserts.items():
            self._send_inserts(statement, rows)
        by_statement: dict[Any, list[dict[str, Any]]] = {}
        for (statement, _), params in latest.items():
            by_statement.setdefault(statement, []).append(params)
        for statement, rows in by_statement.items():
            self.conn.execute(statement, rows)


class View:
    name: str = ""
    metadata: MetaData
    # The indexes its handlers find rows by. A replay (``Views.rebuild``) keeps only
    # these (and unique ones, which upserts need) while it writes, and builds the
    # rest, which only readers use, once at its end: one sorted pass per index
    # instead of a random insert into each for every row.
    replayed_with: ClassVar[frozenset[str]] = frozenset()
    _handler_cache: ClassVar[dict[type, Any]]  # each view class its own (see _handlers)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # What a view chooses to remember between pages (see ``memory``), and the
        # log position it is true at: None until a page has been applied here.
        self._memory: dict[str, Any] = {}
        self._memory_at: int | None = None

    def memory(self, after: int | None) -> dict[str, Any]:
        """Lookups a view keeps in memory from page to page instead of selecting
        them per event. They are true only at the position this process last
        applied: when the page starts anywhere else (another process applied the
        pages in between, a rebuild reset the view, or the last transaction was
        rolled back) they are forgotten, and the view reloads what it needs."""
        if after is None or after != self._memory_at:
            self._memory = {}
        self._memory_at = None  # until this page is applied whole
        return self._memory

    def apply_all(self, conn: Connection, page: Iterable[tuple[int, Any]],
                  after: int | None = None) -> None:
        page = list(page)
        writer = Writer(conn)
        writer.memory = self.memory(after)
        if "apply" in vars(self):  # replaced on this one view (tests inject faults so)
            for notification_id, event in page:
                self.apply(event, writer, notification_id)
        else:
            handlers = self._handlers()
            for notification_id, event in page:
                kind = type(event)
                if kind not in handlers:
                    handlers[kind] = self._handler_for(kind)
                handler = handlers[kind]
                if handler is not None:
                    handler(self, event, writer, notification_id)
        writer.flush()
        if page:
            self._memory_at = page[-1][0]

    def changed_by(self, page: list[tuple[int, Any]]) -> bool:
        """Whether applying the page may have changed what this view holds: it has an
        event the view applies."""
        return any(self.applies(type(event)) for _, event in page)

    def applies(self, kind: type) -> bool:
        """Whether this view applies events of this class (a view whose ``apply`` a
        test replaced: every event)."""
        if "apply" in vars(self):
            return True
        handlers = self._handlers()
        if kind not in handlers:
            handlers[kind] = self._handler_for(kind)
        return handlers[kind] is not None

    @classmethod
    def _handlers(cls) -> dict[type, Any]:
        """Event class → handler, looked up once per class: going through the
        singledispatchmethod descriptor for each event cost a sixth of a rebuild."""
        if "_handler_cache" not in cls.__dict__:
            cls._handler_cache = {}
        return cls._handler_cache

    @classmethod
    def _handler_for(cls, kind: type) -> Any:
        dispatcher = cls.__dict__["apply"].dispatcher
        handler = dispatcher.dispatch(kind)
        return None if handler is dispatcher.dispatch(object) else handler

    # Each view declares its own ``apply = singledispatchmethod(...)`` and
    # registers one handler per event it reads: a dispatcher shared through
    # this base class would hand every view every other view's handlers.
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        raise NotImplementedError


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def as_id(value: Any) -> str | None:
    return None if value is None else str(value)


MISSING = object()


def recall(w: Writer, lookup: str, key: Any, load: Any, limit: int = 5000) -> Any:
    """A lookup kept in the view's memory between pages, loaded (``load()``, a
    select) on a miss. At most ``limit`` entries are kept per lookup, so memory
    stays flat however long the log: past that, the lookup starts afresh."""
    kept = w.memory.setdefault(lookup, {})
    found = kept.get(key, MISSING)
    if found is MISSING:
        found = load()
        remember(w, lookup, key, found, limit)
    return found


def remember(w: Writer, lookup: str, key: Any, value: Any, limit: int = 5000) -> None:
    """Keep what a handler just wrote, so the next event reads it from memory."""
    kept = w.memory.setdefault(lookup, {})
    if len(kept) >= limit and key not in kept:
        kept.clear()
    kept[key] = value
