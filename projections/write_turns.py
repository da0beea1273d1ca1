"""Whose turn it is to write to a SQLite store, handed over the moment it ends.

SQLite lets one transaction write at a time. Another writer, in another process,
waits in SQLite's busy handler, which sleeps and tries again: 1, 2, 5, 10, 15, 20,
25 ms and on. A projection worker applying a page holds the write lock for a few
milliseconds per event, and a web request saving a change behind it slept past
the lock's release more often than not. Under load (16 clients recording values,
two web processes and the worker), saving the change took 17.5 ms at the median
and 91 ms at the 95th percentile, and its insert needed under 1 ms of it (issue 14).

So the two busy writers, the event store's inserts (community/event_store.py) and
the views' pages (projections/runner.py), take turns on a file lock beside the
store first. The kernel wakes a waiter as soon as the lock is let go. Other writers
(sign-ins, idempotency keys, the network-health figures) are rare and still queue in
SQLite's busy handler, which stays as the safety net. PostgreSQL locks rows and
wakes its waiters itself: there a turn is nothing.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine


class WriteTurns:
    """Turns to write on one SQLite file, for every thread of this process and every
    other process using the same file. A thread already holding the turn may ask
    again (nested) and goes straight on."""

    def __init__(self, lock_file: Path) -> None:
        self.lock_file = lock_file
        self._pid = 0  # the process that opened ``_fd``
        self._fd = -1
        self._threads = threading.Lock()
        self._held = threading.local()

    def _open(self) -> tuple[int, threading.Lock]:
        # flock belongs to an open file, so a process forked from this one (gunicorn's
        # workers) opens its own; and one thread of a process at a time takes it.
        if self._pid != os.getpid():
            self._fd = os.open(self.lock_file, os.O_CREAT | os.O_RDWR, 0o600)
            self._threads = threading.Lock()
            self._pid = os.getpid()
        return self._fd, self._threads

    @contextmanager
    def turn(self) -> Iterator[None]:
        if getattr(self._held, "pid", None) == os.getpid():
            yield
            return
        fd, threads = self._open()
        with threads:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._held.pid = os.getpid()
            try:
                yield
            finally:
                self._held.pid = None
                fcntl.flock(fd, fcntl.LOCK_UN)


_TURNS: dict[Path, WriteTurns] = {}
_TURNS_LOCK = threading.Lock()


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite store kept in a file (resolved); None for any other store
    (PostgreSQL, SQLite in memory or named by a URI)."""
    database = engine.url.database
    if (engine.dialect.name != "sqlite" or not database or database == ":memory:"
            or database.startswith("file:")):
        return None
    return Path(database).resolve()


def write_turns(engine: Engine) -> Callable[[], AbstractContextManager[None]]:
    """What to write inside so that this thread has the store's turn: ``with
    turn():``. One ``WriteTurns`` per SQLite file in a process; nothing elsewhere."""
    path = sqlite_file(engine)
    if path is None:
        return nullcontext
    with _TURNS_LOCK:
        turns = _TURNS.setdefault(path, WriteTurns(path.with_name(path.name + ".write-turn")))
    return turns.turn
