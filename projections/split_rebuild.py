"""A rebuild on two cores: about half the views replayed by a second process.

A rebuild's CPU is mostly the views' own Python: on the national store, reading
and decoding the log was a fifth of it (issue 14). So a second process, forked
from this one (it has the views, the mapper and the members' keys already),
replays the views in ``ASIDE`` while this process replays the others. Each feeds
its views through ``Views(..., only=names)``: its pages wait for and move only its
own views' positions, and it decodes only the events its own views apply.

On PostgreSQL both write the store's tables; each locks only its own views'
position rows, so neither waits for the other. SQLite lets one transaction write at
a time, and a view holds the write lock while its handlers run, so two processes
writing the store would only take turns: there the second process writes its views
into a file of its own beside the store, reading the log from the store, and when
both are done this process copies their rows in, in one transaction that also
moves their positions.

Which views go aside (``ASIDE``) balances the two processes' CPU, per view as
``bench.rebuild`` prints it; none has triggers (the search view's full-text ones
would fire as the rows are copied in, so it stays here). A view's handlers read only
its own tables: on SQLite the second process sees the store's tables of the same
names too, and ``tests/integration/test_split_rebuild.py`` checks both ways give the
same rows.

The split is a speed-up, never a requirement: when the second process fails, this
process replays what it left after its own views (on SQLite, all of it: its views
are still at position 0 in the store).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, create_engine, event, update

from projections.runner import (
    LOCK_POSITIONS,
    Progress,
    Views,
    build,
    built_after_replay,
    positions,
    tables_for_replay,
)
from projections.view import View
from projections.write_turns import sqlite_file

logger = logging.getLogger(__name__)

# CPU µs per event on the 34k national store in one process (bench.rebuild, 5
# December 2026): aside, notifications 9.5, questions 8.9, network activity 7.4 and
# library 4.6 (30.4); here search 9.2, sustainability 8.9, directory 3.6, network 2.6
# and five small ones (28.4), besides emptying the store's views and the copy. The
# views aside hold 104k of that store's 233k view rows: sustainability, the most,
# stays here, so there is less to copy.
ASIDE = frozenset({"notifications", "questions", "library", "network_activity"})


def rebuild_split(views: Views, chosen: list[View], progress: Progress | None) -> int:
    """``Views.rebuild`` of the chosen views, split where it helps: a SQLite file or
    PostgreSQL, two CPUs for this process, and chosen views on both sides. Returns how
    many events this process read. Each process builds its own views' later indexes
    (``built_after_replay``) once it has replayed them."""
    aside = [view for view in chosen if view.name in ASIDE]
    here = [view for view in chosen if view.name not in ASIDE]
    store = sqlite_file(views.engine)
    in_store = views.engine.dialect.name == "postgresql"
    if ((store is None and not in_store) or not aside or not here
            or len(os.sched_getaffinity(0)) < 2):
        return views.rebuild([view.name for view in chosen], progress)
    scratch = None if store is None else store.with_name(store.name + ".replaying")
    if scratch is not None:
        _remove(scratch)
    # PostgreSQL: the second process writes the store's own tables (each runner locks
    # only its views' positions), so they are emptied first. SQLite: it needs nothing
    # of the store but the log, so it starts first, while this process empties the
    # store's views (a tenth of the whole on the national store).
    later = views.reset_for_replay(chosen) if in_store else []
    context = multiprocessing.get_context("fork")
    answers, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_replay_aside, daemon=True,
        args=(views, [view.name for view in aside], store, scratch, sending, os.getpid()))
    child.start()
    sending.close()
    try:
        if not in_store:
            later = views.reset_for_replay(chosen)
        ours = Views(views.engine, views.recorder, views.mapper, views.batch_size,
                     only=[view.name for view in here])
        ours.cpu_by_view = views.cpu_by_view
        read = ours.catch_up(progress)
        build(views.engine, [index for view in here for index in built_after_replay(view)])
        try:
            reached, cpu = answers.recv()
        except EOFError:  # it ended without an answer
            reached, cpu = None, {}
        child.join()
        if reached is None or child.exitcode:
            logger.warning("the second rebuild process failed (exit code %s); "
                           "replaying %s here", child.exitcode,
                           ", ".join(view.name for view in aside))
        else:
            if scratch is not None:
                _copy_in(views, scratch, aside, reached)
            if views.cpu_by_view is not None:
                for name, seconds in cpu.items():
                    views.cpu_by_view[name] = views.cpu_by_view.get(name, 0.0) + seconds
    finally:
        if child.is_alive():
            child.terminate()
            child.join()
        answers.close()
        if scratch is not None:
            _remove(scratch)
    # What the log gained meanwhile, and the views aside if their process failed
    # (then their later indexes too).
    read += views.catch_up(progress)
    build(views.engine, later)
    return read


def _replay_aside(views: Views, names: list[str], store: Path | None, scratch: Path | None,
                  answer: Any, parent: int) -> None:
    """In the second process: replay the named views (into ``scratch`` on SQLite, into
    the store on PostgreSQL) and send back where each got to (position, last change)
    and the CPU each took."""
    # The pooled connections are the parent's: this process opens its own
    # (SQLAlchemy's advice for a fork).
    views.engine.dispose(close=False)
    engine = views.engine
    if scratch is not None and store is not None:
        engine = _scratch_engine(store, scratch, names, views)
    aside = Views(engine, views.recorder, views.mapper, views.batch_size, only=names)
    aside.cpu_by_view = {} if views.cpu_by_view is not None else None

    def parent_alive(_: int) -> None:
        if os.getppid() != parent:  # the rebuild was stopped: nobody waits for this
            if scratch is not None:
                _remove(scratch)
            raise SystemExit(1)

    aside.catch_up(parent_alive)
    build(engine, [index for view in aside.all for index in built_after_replay(view)])
    reached = {name: (at, changed) for name, (at, changed, _) in aside.changes().items()}
    answer.send((reached, aside.cpu_by_view or {}))
    answer.close()
    engine.dispose()


def _scratch_engine(store: Path, scratch: Path, names: list[str], views: Views) -> Engine:
    """A file of its own beside the store for the views aside, each at position 0."""
    # It holds what the views hold, names included: the owner's only, as the store.
    os.close(os.open(scratch, os.O_CREAT | os.O_WRONLY, 0o600))
    engine = create_engine(f"sqlite:///{scratch}")
    event.listen(engine, "connect", lambda dbapi, _: _open_scratch(dbapi, store))
    with engine.begin() as conn:
        positions.create(conn)
        for view in views.all:
            if view.name in names:
                tables_for_replay(conn, view)
        conn.execute(positions.insert(), [{"view": name, "position": 0} for name in names])
    return engine


def _open_scratch(dbapi: Any, store: Path) -> None:
    """The scratch file is thrown away after the copy: nothing to journal or sync.
    The store is attached for reading its log (SQLite finds a table by name in the
    scratch file first, then in the store)."""
    cursor = dbapi.cursor()
    cursor.execute("PRAGMA journal_mode = OFF")
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.execute("ATTACH DATABASE ? AS log", (str(store),))
    cursor.close()


_SET_REACHED = (update(positions).where(positions.c.view == bindparam("name"))
                .values(position=bindparam("at"), changed=bindparam("last_change")))


def _copy_in(views: Views, scratch: Path, aside: list[View],
             reached: dict[str, tuple[int, int]]) -> None:
    """Copy the views replayed aside into the store and move their positions, in one
    transaction: a process that stops half way leaves them at 0, to be replayed.
    The store's tables get every index first, while empty, as the scratch file's
    have: SQLite then copies each table and index in its order (its "transfer
    optimisation"), not row by row into indexes at random places."""
    build(views.engine, [index for view in aside for index in built_after_replay(view)])
    with views._write_turn(), views.engine.connect() as conn:
        # ATTACH cannot run inside a transaction; SQLite's driver begins one only
        # before the first write (the positions' lock below).
        conn.exec_driver_sql("ATTACH DATABASE ? AS replayed", (str(scratch),))
        try:
            current = dict(conn.execute(LOCK_POSITIONS["sqlite"]).tuples().all())
            # A view another process (a projection worker) has begun to replay in the
            # store meanwhile is left to it: its tables are no longer empty.
            untouched = [view for view in aside if current.get(view.name) == 0]
            for view in untouched:
                for table in view.metadata.sorted_tables:
                    _copy_table(conn, table.name)
            if untouched:
                conn.execute(_SET_REACHED, [
                    {"name": view.name, "at": reached[view.name][0],
                     "last_change": reached[view.name][1]} for view in untouched])
            conn.commit()
        finally:
            conn.rollback()
            conn.exec_driver_sql("DETACH DATABASE replayed")


def _copy_table(conn: Connection, table: str) -> None:
    # The transfer optimisation needs ``SELECT *`` and no column list: both tables
    # were made from the same metadata in this rebuild, so their columns agree.
    conn.exec_driver_sql(f'INSERT INTO main."{table}" SELECT * FROM replayed."{table}"')


def _remove(scratch: Path) -> None:
    """The scratch file and what SQLite and the write turns leave beside it."""
    for path in scratch.parent.glob(scratch.name + "*"):
        path.unlink(missing_ok=True)
