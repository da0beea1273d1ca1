"""The projection worker: one process that keeps every view up to date with the log.

Without it (tests, one-off commands) each command catches the views up itself,
inside the request. With it (``COMMUNITY_VIEWS_WORKER=1``, which ``community serve``
sets when it starts one), the web processes only append events and then wait,
for read-your-writes, until the views have reached the position of the change
they made (``wait_for``), and the worker is the only one applying events:

- it follows the log live: on PostgreSQL it LISTENs on the channel the event
  store NOTIFYs after every insert (eventsourcing-sqlalchemy sends it); on SQLite,
  which has no notifications, the web processes ring its doorbell after each save
  (community/doorbell.py), and it polls the log every few milliseconds besides
  (a cheap indexed query) for changes made by anything that does not ring;
- it answers each ring (on either store, from web processes on its machine) once
  its views have reached the change, so the request waiting for it goes on at once;
- it holds a lock so a second worker waits instead of doing the same work twice:
  a PostgreSQL advisory lock (per database, released when its connection ends),
  or on SQLite an exclusive ``flock`` on a file beside the store (released by the
  kernel when the process dies, even by SIGKILL);
- it applies events with ``Views.catch_up``, whose pages commit with their
  positions, so killing it at any moment loses nothing and doubles nothing: the
  next worker resumes after the last committed page.

The runner (projections/runner.py) is used only through its public
``catch_up`` and ``positions``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Engine, text

from community.doorbell import Doorbell, Listening
from community.doorbell import address as doorbell_address
from domain.errors import DomainError
from domain.wording import plural
from projections import Views
from projections.reading import reading

if TYPE_CHECKING:
    from community.application import Community

logger = logging.getLogger(__name__)

# The advisory lock's two keys (any fixed pair unused by others in the database).
LOCK_KEYS = (0x43434F4D, 14)  # "CCOM", issue 14
# How long a request that rang waits for the worker's answer before it reads the views'
# positions itself. The answer comes once the views are there, so this bounds only the
# wait for an answer lost on the way; at 10 ms, a write under load read the positions
# 0.87 to 1.24 times on average in three runs (the worker's pages then take tens of
# ms), a statement each.
ANSWER_WAIT = 0.05


class ViewsBehind(DomainError):
    """The change is saved, but the views did not reach it in time (a 503)."""


# --- read-your-writes: where the views are ------------------------------------------

def log_position(views: Views) -> int:
    """The position of the last event in the log (0 when empty)."""
    return views.recorder.max_notification_id() or 0


def lags(views: Views) -> dict[str, int]:
    """How many events each view is behind the log."""
    last = log_position(views)
    return {name: max(last - at, 0) for name, at in sorted(views.positions().items())}


def wait_for(views: Views, position: int, timeout: float, bell: Doorbell | None = None) -> None:
    """Return once every view has applied the log up to ``position``; after
    ``timeout`` seconds raise ``ViewsBehind``, saying the change itself is saved.
    With a ``bell``, ring the worker first and wait for its answer."""
    deadline = time.monotonic() + timeout
    heard = bell is not None and bell.ring(position)
    pause = 0.001
    while True:
        # The worker answers once its views are there (about a page's time); reading
        # the positions is the fallback for an answer that never comes.
        if heard and bell is not None and bell.wait(
                position, min(ANSWER_WAIT, max(deadline - time.monotonic(), 0.0))):
            return
        reached = min(views.positions().values(), default=position)
        if reached >= position:
            return
        if time.monotonic() >= deadline:
            raise ViewsBehind(
                f"your change is saved, but the pages have not caught up with it yet "
                f"(the views are {plural(position - reached, 'change')} behind after {timeout:g} s; "
                f"is the projection worker running?). Reload in a moment: do not send "
                f"the change again")
        if not heard:
            time.sleep(pause)
            # Short pauses: a position read is one indexed row set, and every
            # millisecond slept past the worker's commit is the request's latency.
            pause = min(pause * 2, 0.01)


# --- the lock that makes one worker the only one -------------------------------------

def _lock_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise RuntimeError("a projection worker needs a store in a file or on a server")
    return Path(database).with_name(Path(database).name + ".worker-lock")


@contextmanager
def worker_lock(engine: Engine, stop: threading.Event, retry: float = 1.0) -> Iterator[Any]:
    """Hold the worker's lock while inside; wait (politely, stoppable) for it first.
    On PostgreSQL yields the psycopg connection that holds it, for LISTEN."""
    waited = False
    if engine.dialect.name == "postgresql":
        pooled = engine.raw_connection()
        conn = pooled.driver_connection
        assert conn is not None
        pooled.detach()  # our own: the lock lives as long as this connection
        conn.autocommit = True
        try:
            while not conn.execute("SELECT pg_try_advisory_lock(%s, %s)", LOCK_KEYS).fetchone()[0]:
                if not waited:
                    logger.info("another projection worker holds the lock; waiting for it")
                    waited = True
                if stop.wait(retry):
                    # Stopped while waiting: yield nothing held (a @contextmanager must
                    # yield once); the caller sees ``stop`` set and leaves at once.
                    yield None
                    return
            yield conn
        finally:
            conn.close()  # ends the session, so the lock goes with it
        return
    with open(_lock_file(engine), "a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    logger.info("another projection worker holds the lock; waiting for it")
                    waited = True
                if stop.wait(retry):
                    yield None  # stopped while waiting, as above
                    return
        try:
            yield None
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def worker_running(engine: Engine) -> bool:
    """Whether some process holds the worker's lock now (for /readyz)."""
    if engine.dialect.name == "postgresql":
        with reading(engine) as conn:
            return bool(conn.scalar(text(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database() "
                "AND l.classid = :a AND l.objid = :b AND l.objsubid = 2"),
                {"a": LOCK_KEYS[0], "b": LOCK_KEYS[1]}))
    try:
        path = _lock_file(engine)
    except RuntimeError:
        return False
    if not path.exists():
        return False
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


# --- the follower ------------------------------------------------------------------

class _Stopping(Exception):
    """Raised between pages of a long catch-up when the worker is asked to stop."""


def follow(app: Community, stop: threading.Event, idle_poll: float = 0.01,
           parent: int | None = None) -> None:
    """Follow the log until ``stop`` is set (or ``parent``, a process id, is gone)."""
    views = app.views

    def orphaned() -> bool:
        return parent is not None and os.getppid() != parent

    with worker_lock(app.engine, stop) as listener:
        if stop.is_set():
            return
        if listener is not None:
            # LISTEN before the first catch-up: a change made in between is queued.
            recorder = app.recorder
            assert isinstance(recorder, SQLAlchemyApplicationRecorder)
            listener.execute(f"LISTEN {recorder.channel_name}")
        # Only the worker holding the lock listens for the doorbell.
        bell = Listening.open(app.engine)
        if bell is None and doorbell_address(app.engine) is not None:
            logger.warning("the worker's doorbell is taken by another process: "
                           + ("polling only" if listener is None else "requests poll"))

        def between_pages(_read: int) -> None:
            if stop.is_set():
                raise _Stopping
            if bell is not None:
                _answer(bell, views)

        logger.info("projection worker following the log",
                    extra={"store": app.engine.dialect.name, "position": log_position(views),
                           "doorbell": bell is not None})
        try:
            _follow(app, stop, listener, bell, idle_poll, orphaned, between_pages)
        finally:
            if bell is not None:
                bell.close()
    logger.info("projection worker stopped")


def _follow(app: Community, stop: threading.Event, listener: Any, bell: Listening | None,
            idle_poll: float, orphaned: Callable[[], bool],
            between_pages: Callable[[int], None]) -> None:
    views = app.views
    failures = 0
    while not stop.is_set() and not orphaned():
        started = time.perf_counter()
        try:
            read = views.catch_up(between_pages)
            failures = 0
        except _Stopping:
            break
        except Exception:
            # The database went away or a view failed: nothing half-applied
            # (pages commit whole); try again, backing off, rather than die.
            failures += 1
            logger.exception("views could not catch up; retrying")
            stop.wait(min(0.5 * 2 ** failures, 30))
            continue
        if bell is not None:
            _answer(bell, views)  # rung for a change an earlier page applied
        if read:
            _recount_network_health(app)
            if logger.isEnabledFor(logging.DEBUG):  # the position costs a round trip
                logger.debug("applied events", extra={
                    "events": read, "seconds": round(time.perf_counter() - started, 3),
                    "position": min(views.positions().values(), default=0)})
            continue
        if listener is not None:
            # Wake on the next NOTIFY; a second at most, to notice ``stop``.
            for _ in listener.notifies(timeout=1.0, stop_after=1):
                pass
        elif bell is not None:
            bell.wait(idle_poll)  # rung: a change is saved; else poll as before
        else:
            stop.wait(idle_poll)


def _answer(bell: Listening, views: Views) -> None:
    """Tell the requests waiting for the changes applied so far (those that rang
    before this page was committed, or while it was applied) that they can go on."""
    bell.wait(0)
    if bell.waiting:
        bell.answer(min(views.positions().values(), default=0))


_last_recount = 0.0
RECOUNT_EVERY = 10.0  # seconds: the network-health figures take seconds to count


def _recount_network_health(app: Community) -> None:
    """Count today's network-health figures again in the background, so the web
    processes serve them at once instead of counting them beside their requests.
    One thread at a time (``refresh_network_health`` is single-flight and counts
    again if asked while busy), and not more often than every few seconds."""
    global _last_recount
    if time.monotonic() - _last_recount < RECOUNT_EVERY:
        return
    _last_recount = time.monotonic()
    from projections.network_health_kept import start_refresh

    start_refresh(app.engine)  # tracked, so closing the app waits for it


class FollowerProcess:
    """``community worker`` as a child of ``community serve`` (SQLite's one-command
    set-up), started again if it ever exits, until ``stop``."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self._stopping = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._watcher = threading.Thread(target=self._keep_alive, daemon=True)

    def start(self) -> None:
        self._process = subprocess.Popen(self.command)
        self._watcher.start()

    def _keep_alive(self) -> None:
        while not self._stopping.wait(1.0):
            if self._process is not None and (code := self._process.poll()) is not None:
                logger.warning("the projection worker exited; starting it again",
                               extra={"exit_code": code})
                self._process = subprocess.Popen(self.command)

    def stop(self) -> None:
        self._stopping.set()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=30)
