"""The event store reads an aggregate's events with a statement of its own
(community/event_store.py): it must read what the library's own query reads, and a
process must still see what another process saved since it last loaded a thing."""

from __future__ import annotations

from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder

from community import Community
from community.event_store import EventRecorder
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
