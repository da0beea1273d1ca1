"""The Community application: every change to the community goes through here.

``Community`` only wires things together: the event store (persistence and
transcodings), the views, the document store. Its commands come from one class per
area, each typed against ``community.commands.Commands``; ``docs/architecture.md``
("Adding a command end to end") says where a new one goes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Mapper
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Engine
from sqlalchemy import event as sqlalchemy_event

from community import idempotency, login_waits, sign_ins, transcodings
from community.contacts import ContactCommands
from community.digest import DigestCommands
from community.documents import DocumentStore
from community.doorbell import Doorbell
from community.erasure import ErasureCommands
from community.event_store import FACTORY_TOPIC, POOL_SIZE
from community.follow_ups import FollowUpCommands
from community.imports import ImportCommands
from community.members import MemberCommands
from community.momentum import MomentumCommands
from community.notifications import NotificationCommands
from community.outbox import OutboxCommands
from community.pairing import PairingCommands
from community.personal_data import KeyStore, SealingMapper
from community.qips import QipCommands
from community.questions import QuestionCommands
from community.read_copies import ReadCopies
from community.self_assessment import SelfAssessmentCommands
from community.visits import VisitCommands
from community.workshops import WorkshopCommands
from config import Settings
from projections import Views
from projections.network_health_kept import leave_todays_figures_to_the_worker

logger = logging.getLogger(__name__)


def persistence_env(database_url: str, pool_size: int = 20) -> dict[str, str]:
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        _private_sqlite_file(Path(database_url.removeprefix("sqlite:///")))
    return {"PERSISTENCE_MODULE": FACTORY_TOPIC, "SQLALCHEMY_URL": database_url,
            # The library's aggregate cache: a command loads a QIP with two years of
            # values from memory and reads only the events saved since (fast-forward,
            # so other processes' changes are never missed), instead of replaying its
            # whole history from the database every time.
            "AGGREGATE_CACHE_MAXSIZE": "5000",
            POOL_SIZE: str(pool_size)}  # connections kept (community/event_store.py)


def _private_sqlite_file(path: Path) -> None:
    """The store holds names, e-mails and password hashes (issue 13: it was created
    world-readable): a folder we create is the owner's only (0700), and the file is
    created 0600 before SQLite opens it (SQLite gives its WAL files the file's mode).
    An existing folder is left as it is."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


class Community(MemberCommands, ContactCommands, FollowUpCommands, QipCommands,
                SelfAssessmentCommands, PairingCommands, VisitCommands, WorkshopCommands,
                MomentumCommands, QuestionCommands, DigestCommands, NotificationCommands, OutboxCommands,
                ImportCommands, ErasureCommands):
    """One method per command, from the area classes above."""

    name = "community"  # the event table is "community_events"

    def __init__(self, settings: Settings | None = None,
                 today: Callable[[], date] = date.today) -> None:
        self.settings = settings or Settings()
        self.today = today
        self._read_copies = ReadCopies()
        super().__init__(env=persistence_env(self.settings.database_url,
                                             self.settings.database_pool_size))
        engine = self.engine
        if engine.dialect.name == "sqlite":
            sqlalchemy_event.listen(engine, "connect", _tune_sqlite)
            engine.dispose()  # so every pooled connection gets the settings
        # Personal fields are sealed with a key per member (community/personal_data.py);
        # the keys live in their own table, so forgetting never edits the log.
        assert isinstance(self.mapper, SealingMapper)
        self.mapper.keys = KeyStore(engine)
        self.mapper.keys.create_tables()
        self.views = Views(engine, self.recorder, self.mapper)
        self.doorbell = Doorbell(engine)  # rung after each save when a worker applies it
        if self.settings.views_worker:
            leave_todays_figures_to_the_worker(engine)
        if (outdated := self.views.create_tables()) and not self.settings.views_worker:
            # A store made by an older version: those views replay the log now,
            # so no page reads a half-empty view.
            logger.warning("views %s changed shape; replaying the log into them",
                           ", ".join(outdated))
            self.views.catch_up()
        elif outdated:
            # The projection worker replays them; /readyz says 503 until it has, and a
            # web process is not held at start (where gunicorn would time it out).
            logger.warning("views %s changed shape; the projection worker replays them",
                           ", ".join(outdated))
        self.documents = DocumentStore(engine)
        self.documents.create_tables()
        # The records the web app keeps beside the log (sign-ins, the API's answers to
        # repeated requests, waits after wrong passwords), made here with the rest so the
        # one process that opens the store first (`community serve`, gunicorn's master:
        # gunicorn.conf.py) makes every table: web processes starting together on a new
        # store raced to create them, and gunicorn stopped when one lost.
        for tables in (sign_ins.metadata, idempotency.metadata, login_waits.metadata):
            tables.create_all(engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine of the event store, which the views share."""
        recorder = self.recorder
        assert isinstance(recorder, SQLAlchemyApplicationRecorder)
        engine = recorder.datastore.engine
        assert isinstance(engine, Engine)
        return engine

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(),
                                   mapper_class=SealingMapper)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)

    def close(self) -> None:
        from projections.network_health_kept import finish_refreshes

        finish_refreshes(self.engine)  # they use the pool dispose() closes
        self.doorbell.close()
        super().close()
        self.engine.dispose()


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL with synchronous=NORMAL is durable across crashes of the app and much
    faster than FULL; the busy timeout lets concurrent writers queue, not fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
