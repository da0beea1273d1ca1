"""Keeps every view up to date with the event log, applying each event exactly once.

Views catch up by reading the notification log after their tracked position,
a page at a time. Each page is applied in one transaction that also moves the
view's position, so a crash leaves a view either before or after the page,
never half way. Two catch-ups racing (threads or processes) serialise on the
position rows: the first statement of each transaction takes the write lock
on them, and the loser re-reads the positions and skips what the winner
applied.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification
from eventsourcing.utils import resolve_topic
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    case,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import OperationalError

from projections.directory import Directory
from projections.follow_ups import FollowUps
from projections.full_text import SearchIndex
from projections.library import Library
from projections.network import Network
from projections.network_activity import NetworkActivity
from projections.notifications import Notifications
from projections.outbox import Outbox
from projections.questions import Questions
from projections.reading import reading
from projections.self_assessments import SelfAssessments
from projections.sustainability import Sustainability
from projections.view import View
from projections.visits import Visits
from projections.workshops import Workshops
from projections.write_turns import write_turns

metadata = MetaData()
positions = Table(
    "view_positions", metadata,
    Column("view", String(60), primary_key=True),
    Column("position", Integer, nullable=False),
    # The last page that held an event the view applies (its position moves with
    # every page, touched or not), and how many times it was dropped and replayed:
    # together they say when what is read from the view may have changed, so an
    # answer kept from it (web.kept_pages) outlives pages that only concern others.
    Column("changed", Integer, nullable=False, server_default="0"),
    Column("rebuilt", Integer, nullable=False, server_default="0"),
)
# Added to a store made before them (create_all adds no column to a table there).
LATER_COLUMNS = {"changed": "INTEGER NOT NULL DEFAULT 0", "rebuilt": "INTEGER NOT NULL DEFAULT 0"}

# A page moves every view that took part in it to its last event, and notes it as
# the last change of those it ``touched``, in one statement.
ADVANCE = (update(positions)
           .where(positions.c.position >= bindparam("after"),
                  positions.c.position < bindparam("last"))
           .values(position=bindparam("last"),
                   changed=case((positions.c.view.in_(bindparam("touched", expanding=True)),
                                 bindparam("last")), else_=positions.c.changed)))
# Built once: every request asks one of them (building them per call was most of
# their CPU on PostgreSQL).
POSITIONS = select(positions.c.view, positions.c.position)
CHANGES = select(positions.c.view, positions.c.position, positions.c.changed,
                 positions.c.rebuilt)
# Dropped to be replayed: what was kept from it is no longer to be trusted.
RESET = (update(positions).where(positions.c.view == bindparam("name"))
         .values(position=0, changed=0, rebuilt=positions.c.rebuilt + 1))
# Taking the write lock on the positions and reading them (``_lock_positions``).
# SQLite has no row locks: a no-op update takes its write lock.
LOCK_POSITIONS = {
    "sqlite": (update(positions).values(position=positions.c.position)
               .returning(positions.c.view, positions.c.position)),
    "postgresql": POSITIONS.with_for_update(),
}

Progress = Callable[[int], None]


class Page(NamedTuple):
    """A page of the log: read after position ``after`` up to ``last`` (``size`` rows),
    and the events in it that some view applies, decoded, with their positions."""
    after: int
    last: int
    size: int
    events: list[tuple[int, Any]]


class Views:
    """All read models, and the one loop that feeds them."""

    def __init__(self, engine: Engine, recorder: ApplicationRecorder, mapper: Mapper,
                 batch_size: int = 1000, only: Iterable[str] | None = None) -> None:
        """``only``: the names of the views this one feeds (all by default); the others'
        positions neither hold its pages back nor move with them (a split rebuild,
        projections/split_rebuild.py, feeds each half of the views so)."""
        self.engine = engine
        self._write_turn = write_turns(engine)  # SQLite: one writer at a time, handed over
        self.recorder = recorder
        self.mapper = mapper
        self.batch_size = batch_size
        # CPU seconds per view (and "read" for reading + decoding the log, "commit"),
        # summed while this is a dict: bench.rebuild sets it to see what grows.
        self.cpu_by_view: dict[str, float] | None = None
        # A long backlog's pages (a rebuild's, a worker's after a pause) grow from
        # ``batch_size`` up to this many times it: one commit per page writes every
        # index page the page touched, and the notifications' random ids touch most
        # of them, so fewer, larger pages write each one fewer times (commits took a
        # seventh of a 100k rebuild's CPU at 1,000 a page, a fourteenth at 4,000).
        self.backlog_growth = 4
        self._applied_topics: dict[str, bool] = {}  # see ``_note_topic``
        # The event store's table (the recorder's own, so names and types agree).
        assert isinstance(recorder, SQLAlchemyApplicationRecorder)
        self._events: Table = recorder.events_record_cls.__table__
        # Built once: building it was a tenth of a one-event catch-up (issue 14).
        lowest_of = select(func.coalesce(func.min(positions.c.position), 0))
        self._advance = ADVANCE
        self._lock = dict(LOCK_POSITIONS)
        if only is not None:
            fed = positions.c.view.in_(sorted(only))
            lowest_of, self._advance = lowest_of.where(fed), ADVANCE.where(fed)
            # PostgreSQL: only these views' rows, so two such runners write at once.
            self._lock["postgresql"] = POSITIONS.where(fed).with_for_update()
        lowest = lowest_of.scalar_subquery()
        events = self._events
        self._page_after_lowest = (
            select(lowest.label("after"), events.c.id, events.c.originator_id,
                   events.c.originator_version, events.c.topic, events.c.state)
            .where(events.c.id > lowest).order_by(events.c.id)
            .limit(bindparam("limit", type_=Integer)))
        self.directory = Directory(engine)
        self.library = Library(engine)
        self.sustainability = Sustainability(engine)
        self.follow_ups = FollowUps(engine)
        self.network = Network(engine)
        self.outbox = Outbox(engine)
        self.self_assessments = SelfAssessments(engine)
        self.workshops = Workshops(engine)
        self.visits = Visits(engine)
        self.notifications = Notifications(engine)
        self.search_index = SearchIndex(engine)
        self.questions = Questions(engine)
        self.network_activity = NetworkActivity(engine)
        self.all: tuple[View, ...] = (self.directory, self.library, self.sustainability,
                                      self.follow_ups, self.network, self.outbox,
                                      self.self_assessments,
                                      self.workshops,
                                      self.visits,
                                      self.notifications,
                                      self.search_index,
                                      self.questions,
                                      self.network_activity)
        if only is not None:
            self.all = tuple(view for view in self.all if view.name in set(only))

    def create_tables(self) -> list[str]:
        """Create what is missing; a view whose tables lack columns this code has,
        or that has applied events yet lacks one of its tables (a store made by an
        older version), is dropped and set to replay from the start. Returns those
        views' names: they need a catch-up."""
        metadata.create_all(self.engine)
        # Every table's columns in one reflection: asking table by table took about
        # a second at each start on PostgreSQL, and every test starts an app.
        have = {table: {column["name"] for column in columns} for (_, table), columns
                in inspect(self.engine).get_multi_columns().items()}
        for name in LATER_COLUMNS:
            if name not in have[positions.name]:
                self._add_column(name)
        with reading(self.engine) as conn:
            applied = {name for name, at in conn.execute(
                select(positions.c.view, positions.c.position)) if at}
        outdated = [view for view in self.all if self._lacks_columns(view, have)
                    or (view.name in applied and self._lacks_tables(view, have))]
        with self.engine.begin() as conn:
            for view in outdated:
                view.metadata.drop_all(conn)
                conn.execute(RESET, {"name": view.name})
        for view in self.all:
            if view in outdated or any(t.name not in have for t in view.metadata.sorted_tables):
                view.metadata.create_all(self.engine)
        self._create_missing_indexes(outdated, have)
        with self.engine.begin() as conn:
            known = set(conn.scalars(select(positions.c.view)))
            for view in self.all:
                if view.name not in known:
                    conn.execute(positions.insert().values(view=view.name, position=0))
        return [view.name for view in outdated]

    def _add_column(self, name: str) -> None:
        """Add a column to ``view_positions`` in a store made before it. Another process
        opening the same old store may add it first: PostgreSQL is asked IF NOT EXISTS,
        and SQLite's "duplicate column" then means it is there."""
        guard = "IF NOT EXISTS " if self.engine.dialect.name == "postgresql" else ""
        try:
            with self.engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {positions.name} ADD COLUMN {guard}{name} "
                                  f"{LATER_COLUMNS[name]}"))
        except OperationalError as error:
            if "duplicate column" not in str(error):
                raise

    def _create_missing_indexes(self, outdated: list[View], have: dict[str, set[str]]) -> None:
        """Add the indexes this code declares that a kept table lacks: ``create_all``
        adds indexes only with a new table, so a store made before an index was
        declared (``sustainability_participants_by_team``) would never get it.
        Tables just made (new, or dropped as outdated) have theirs already."""
        kept = [table for view in self.all if view not in outdated
                for table in view.metadata.sorted_tables if table.name in have]
        indexed = self._index_names()
        with self.engine.begin() as conn:
            for table in kept:
                for index in table.indexes:
                    if index.name not in indexed.get(table.name, set()):
                        index.create(conn)

    def _index_names(self) -> dict[str, set[str]]:
        """Each table's index names. SQLite: one read of its catalogue (reflection asks
        two PRAGMAs per index, ~10 ms at every start, and every test starts an app);
        elsewhere one reflection for every table, as for the columns."""
        if self.engine.dialect.name == "sqlite":
            names: dict[str, set[str]] = {}
            with reading(self.engine) as conn:
                for table, name in conn.execute(text(
                        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'")):
                    names.setdefault(table, set()).add(name)
            return names
        return {table: {str(index["name"]) for index in indexes} for (_, table), indexes
                in inspect(self.engine).get_multi_indexes().items()}

    @staticmethod
    def _lacks_tables(view: View, have: dict[str, set[str]]) -> bool:
        return any(table.name not in have for table in view.metadata.sorted_tables)

    @staticmethod
    def _lacks_columns(view: View, have: dict[str, set[str]]) -> bool:
        return any(set(table.columns.keys()) - have[table.name]
                   for table in view.metadata.sorted_tables if table.name in have)

    def positions(self) -> dict[str, int]:
        with reading(self.engine) as conn:
            return dict(conn.execute(POSITIONS).tuples().all())

    def changes(self) -> dict[str, tuple[int, int, int]]:
        """Each view's (position, last change, replays): what an answer kept from the
        view is keyed by (web.kept_pages), read in one statement."""
        with reading(self.engine) as conn:
            return {view: (at, changed, rebuilt)
                    for view, at, changed, rebuilt in conn.execute(CHANGES).tuples()}

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every event not yet applied; returns how many were read.

        A command's catch-up is on the request's path (read-your-writes), so each
        page costs as few round trips as the database allows: one statement reads
        the page after the lowest position, one locks the positions and reads them
        again, the views write, and one statement moves every position. A page
        shorter than asked for is the log's end: no last, empty read. After a full
        page the next is twice as long, up to ``backlog_growth`` times ``batch_size``."""
        read, limit = 0, self.batch_size
        while True:
            cpu = self.cpu_by_view
            started = time.process_time() if cpu is not None else 0.0
            page = self.read_page(limit)
            if cpu is not None:
                cpu["read"] = cpu.get("read", 0.0) + time.process_time() - started
            if not page.size:
                return read
            self._apply_page(page.events, after=page.after, last=page.last)
            read += page.size
            if progress:
                progress(page.size)
            if page.size < limit:
                return read
            limit = min(2 * limit, self.backlog_growth * self.batch_size)

    def read_page(self, limit: int | None = None) -> Page:
        """The events after the lowest view position (a page of up to ``batch_size``),
        with that position, in one statement: the position and the events are read
        together, so asking where the views are costs no round trip of its own.
        Events no view applies are counted and not decoded (an eighth of the national
        store: e-mail index claims, notification settings started)."""
        with reading(self.engine) as conn:
            rows = conn.execute(self._page_after_lowest, {"limit": limit or self.batch_size}).all()
        if not rows:
            return Page(0, 0, 0, [])
        to_domain_event = self.mapper.to_domain_event
        applied = self._applied_topics
        # A view whose ``apply`` a test replaced sees every event (``View.applies``).
        every = any("apply" in vars(view) for view in self.all)
        events = [(row.id, to_domain_event(Notification(
            id=row.id, originator_id=row.originator_id,
            originator_version=row.originator_version, topic=row.topic,
            state=bytes(row.state) if isinstance(row.state, memoryview) else row.state)))
            for row in rows
            if every or applied.get(row.topic) or (row.topic not in applied
                                          and self._note_topic(row.topic))]
        return Page(rows[0].after, rows[-1].id, len(rows), events)

    def _note_topic(self, topic: str) -> bool:
        """Whether some view applies events of this topic (kept: topics are few). A
        topic that does not resolve is decoded, so the mapper's error is what shows."""
        try:
            kind = resolve_topic(topic)
        except Exception:  # the decoding below reports it
            applies = True
        else:
            applies = any(view.applies(kind) for view in self.all)
        self._applied_topics[topic] = applies
        return applies

    def _lock_positions(self, conn: Connection) -> dict[str, int]:
        """Take the write lock on the position rows and read them, in one statement.
        PostgreSQL locks the rows with FOR UPDATE (no new row versions to vacuum);
        SQLite has no row locks, so a no-op update takes its write lock."""
        return dict(conn.execute(self._lock[conn.dialect.name]).tuples().all())

    def _apply_page(self, page: list[tuple[int, Any]], after: int, last: int,
                    attempts: int = 5) -> None:
        """Apply a page read after notification ``after``, up to ``last``, to each view
        that has reached it (the page holds only events some view applies)."""
        for attempt in range(attempts):
            try:
                # SQLite: wait for the turn to write (projections/write_turns.py), then
                # lock first: the positions read with the lock are the latest.
                with self._write_turn(), self.engine.begin() as conn:
                    current = self._lock_positions(conn)
                    touched: list[str] = []
                    for view in self.all:
                        done = current.get(view.name, 0)
                        if done < after:
                            # Reset (rebuilt) since this page was read: applying it would
                            # skip the events in between. Its own catch-up replays them.
                            continue
                        # Most often the view is where the page starts: the page as it
                        # is (a copy per view per page cost as much as a small view).
                        fresh = (page if not page or done < page[0][0]
                                 else [(n, e) for n, e in page if n > done])
                        if fresh:
                            self._timed_apply(view, conn, fresh, done)
                            if view.changed_by(fresh):
                                touched.append(view.name)
                    # Every view that took part (at or past ``after``) is now at ``last``
                    # (or past it already): one statement for all of them.
                    conn.execute(self._advance, {"after": after, "last": last, "touched": touched})
                    committing = time.process_time()
                if self.cpu_by_view is not None:
                    self.cpu_by_view["commit"] = (self.cpu_by_view.get("commit", 0.0)
                                                  + time.process_time() - committing)
                return
            except OperationalError:
                # SQLite under heavy write load can still report "locked"
                # past the busy timeout; the page is retried whole.
                if attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def _timed_apply(self, view: View, conn: Connection, fresh: list[tuple[int, Any]],
                     done: int) -> None:
        cpu = self.cpu_by_view
        if cpu is None:
            view.apply_all(conn, fresh, after=done)
            return
        started = time.process_time()
        view.apply_all(conn, fresh, after=done)
        cpu[view.name] = cpu.get(view.name, 0.0) + time.process_time() - started

    def rebuild(self, names: Iterable[str] | None = None,
                progress: Progress | None = None, split: bool = False) -> int:
        """Drop the named views (all by default) and replay the whole log into them.
        ``split``: with two CPUs, replay about half the views in a second process
        (projections/split_rebuild.py): for a process of its own, as ``community
        rebuild``; it forks, which a threaded web process must not."""
        chosen = [v for v in self.all if names is None or v.name in set(names)]
        if split:
            # Here, not at the top: split_rebuild builds on this module.
            from projections.split_rebuild import rebuild_split
            return rebuild_split(self, chosen, progress)
        later = self.reset_for_replay(chosen)
        read = self.catch_up(progress)
        build(self.engine, later)
        return read

    def reset_for_replay(self, chosen: list[View]) -> list[Index]:
        """Empty the chosen views and set them to replay from the start; returns the
        indexes to build once they have (``tables_for_replay``). Should this process
        die before then, the next start's ``create_tables`` builds what is missing
        (``_create_missing_indexes``)."""
        later: list[Index] = []
        with self.engine.begin() as conn:
            conn.execute(update(positions).values(position=positions.c.position))
            for view in chosen:
                view.metadata.drop_all(conn)
                later += tables_for_replay(conn, view)
                conn.execute(RESET, {"name": view.name})
        return later


def build(engine: Engine, indexes: list[Index]) -> None:
    """Build indexes a replay left out; a process started meanwhile may have built
    some already (``create_tables``), hence ``checkfirst``."""
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn, checkfirst=True)


def tables_for_replay(conn: Connection, view: View) -> list[Index]:
    """Create a view's tables for a replay, with only its unique indexes and those its
    handlers find rows by (``View.replayed_with``); returns the rest, to build at the
    end: one sorted pass per index instead of a random insert into each for every row."""
    view.metadata.create_all(conn)
    later = built_after_replay(view)
    for index in later:
        index.drop(conn)
    return later


def built_after_replay(view: View) -> list[Index]:
    """A view's indexes that only readers use: neither unique (upserts need those) nor
    one its handlers find rows by."""
    return [index for table in view.metadata.sorted_tables for index in table.indexes
            if not index.unique and index.name not in view.replayed_with]
