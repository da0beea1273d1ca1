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
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, inspect, select, update
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
from projections.self_assessments import SelfAssessments
from projections.sustainability import Sustainability
from projections.view import View
from projections.visits import Visits
from projections.workshops import Workshops

metadata = MetaData()
positions = Table(
    "view_positions", metadata,
    Column("view", String(60), primary_key=True),
    Column("position", Integer, nullable=False),
)

Progress = Callable[[int], None]


class Views:
    """All read models, and the one loop that feeds them."""

    def __init__(self, engine: Engine, recorder: ApplicationRecorder, mapper: Mapper,
                 batch_size: int = 1000) -> None:
        self.engine = engine
        self.recorder = recorder
        self.mapper = mapper
        self.batch_size = batch_size
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

    def create_tables(self) -> list[str]:
        """Create what is missing; a view whose tables lack columns this code has
        (a store made by an older version) is dropped and set to replay from the
        start. Returns those views' names: they need a catch-up."""
        metadata.create_all(self.engine)
        # Every table's columns in one reflection: asking table by table took about
        # a second at each start on PostgreSQL, and every test starts an app.
        have = {table: {column["name"] for column in columns} for (_, table), columns
                in inspect(self.engine).get_multi_columns().items()}
        outdated = [view for view in self.all if self._lacks_columns(view, have)]
        with self.engine.begin() as conn:
            for view in outdated:
                view.metadata.drop_all(conn)
                conn.execute(update(positions).where(positions.c.view == view.name)
                             .values(position=0))
        for view in self.all:
            if view in outdated or any(t.name not in have for t in view.metadata.sorted_tables):
                view.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            known = set(conn.scalars(select(positions.c.view)))
            for view in self.all:
                if view.name not in known:
                    conn.execute(positions.insert().values(view=view.name, position=0))
        return [view.name for view in outdated]

    @staticmethod
    def _lacks_columns(view: View, have: dict[str, set[str]]) -> bool:
        return any(set(table.columns.keys()) - have[table.name]
                   for table in view.metadata.sorted_tables if table.name in have)

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(positions.c.view, positions.c.position)).tuples().all())

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every event not yet applied; returns how many were read."""
        start = min(self.positions().values(), default=0)
        read = 0
        while True:
            notifications = self.recorder.select_notifications(
                start=start, limit=self.batch_size, inclusive_of_start=False)
            if not notifications:
                return read
            page = [(n.id, self.mapper.to_domain_event(n)) for n in notifications]
            self._apply_page(page, after=start)
            start = notifications[-1].id
            read += len(notifications)
            if progress:
                progress(len(notifications))

    def _apply_page(self, page: list[tuple[int, Any]], after: int, attempts: int = 5) -> None:
        """Apply a page read after notification ``after`` to each view that has reached it."""
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    # Lock first: the position we read next is then the latest.
                    conn.execute(update(positions).values(position=positions.c.position))
                    current = dict(conn.execute(select(positions.c.view, positions.c.position))
                                   .tuples().all())
                    for view in self.all:
                        done = current.get(view.name, 0)
                        if done < after:
                            # Reset (rebuilt) since this page was read: applying it would
                            # skip the events in between. Its own catch-up replays them.
                            continue
                        fresh = [(n, e) for n, e in page if n > done]
                        if fresh:
                            view.apply_all(conn, fresh, after=done)
                            conn.execute(update(positions)
                                         .where(positions.c.view == view.name)
                                         .values(position=fresh[-1][0]))
                return
            except OperationalError:
                # SQLite under heavy write load can still report "locked"
                # past the busy timeout; the page is retried whole.
                if attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def rebuild(self, names: Iterable[str] | None = None,
                progress: Progress | None = None) -> int:
        """Drop the named views (all by default) and replay the whole log into them."""
        chosen = [v for v in self.all if names is None or v.name in set(names)]
        with self.engine.begin() as conn:
            conn.execute(update(positions).values(position=positions.c.position))
            for view in chosen:
                view.metadata.drop_all(conn)
                view.metadata.create_all(conn)
                conn.execute(update(positions).where(positions.c.view == view.name)
                             .values(position=0))
        return self.catch_up(progress)
