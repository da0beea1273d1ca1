"""The event store reads an aggregate's events with a statement of its own
(community/event_store.py): it must read what the library's own query reads, and a
process must still see what another process saved since it last loaded a thing. It
keeps open the connections a process's threads share."""

from __future__ import annotations

from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import event

from community import Community
from community.event_store import EventRecorder
from config import Settings
from tests.builders import small_network
from tests.conftest import make_community


def test_it_reads_what_the_librarys_query_reads(app: Community) -> None:
    net = small_network(app)
    app.update_profile(net.nurse, by=net.nurse, expertise=["ebus"])
    app.update_profile(net.nurse, by=net.nurse, help_with="Setting up a clinic")
    recorder = app.recorder
    assert isinstance(recorder, EventRecorder)

    def library(**kwargs: int) -> list[object]:
        return list(SQLAlchemyApplicationRecorder.select_events(recorder, net.nurse, **kwargs))

    everything = recorder.select_events(net.nurse)
    assert [e.originator_version for e in everything] == [1, 2, 3]
    assert everything == library()
    assert recorder.select_events(net.nurse, gt=1) == library(gt=1)
    assert recorder.select_events(net.nurse, gt=3) == []
    # Other shapes are the library's own.
    assert recorder.select_events(net.nurse, desc=True, limit=1) == library(gt=2)


def test_a_change_saved_elsewhere_shows_in_the_next_load(app: Community,
                                                        database_url: str) -> None:
    net = small_network(app)
    assert app.member(net.nurse).expertise == ["nurse-led clinics"]  # now cached here
    elsewhere = make_community(database_url)  # another web process on the same store
    try:
        elsewhere.update_profile(net.nurse, by=net.nurse, expertise=["ebus", "clinics"])
    finally:
        elsewhere.close()

    nurse = app.member(net.nurse)
    assert nurse.expertise == ["clinics", "ebus"]  # kept sorted
    assert nurse.version == 2


def test_the_connections_its_threads_share_are_kept_open(database_url: str) -> None:
    app = Community(Settings(database_url=database_url, secret_key="test", testing=True,
                             database_pool_size=12))
    try:
        opened: list[object] = []
        event.listen(app.engine, "connect", lambda connection, _: opened.append(connection))
        for _ in range(2):  # ten requests at once, twice
            held = [app.engine.connect() for _ in range(10)]
            for connection in held:
                connection.close()
        # The second ten found the first ten's connections kept (5 were, before).
        assert len(opened) <= 10
        assert app.engine.pool.size() == 12  # type: ignore[attr-defined]
    finally:
        app.close()
