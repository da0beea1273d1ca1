"""The projection worker's doorbell (community/doorbell.py): a ring wakes the worker
waiting for it; its answer reaches the ringer once the views reach the ringer's change;
a ring nobody hears is harmless; each store on disk or on a server has its own bell."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from community.doorbell import Doorbell, Listening, address


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    return create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")


@pytest.fixture
def bell(store: Engine) -> Iterator[Listening]:
    """The worker's side, listening for the store's bell."""
    listening = Listening.open(store)
    assert listening is not None
    yield listening
    listening.close()


@pytest.fixture
def ringers(store: Engine) -> Iterator[Callable[[], Doorbell]]:
    """Web processes' bells (as many as asked for), closed after the test."""
    made: list[Doorbell] = []

    def ringer() -> Doorbell:
        made.append(Doorbell(store))
        return made[-1]

    yield ringer
    for one in made:
        one.close()


def test_a_ring_wakes_the_worker_at_once(bell: Listening, ringers: Callable[[], Doorbell]) -> None:
    ringer = ringers()
    assert not bell.wait(0.01)  # nobody rang: the wait runs out
    threading.Timer(0.05, ringer.ring).start()
    started = time.monotonic()
    assert bell.wait(60)
    assert time.monotonic() - started < 30  # woken by the ring, not the minute
    ringer.ring()
    ringer.ring()
    assert bell.wait(0)  # two rings waiting: one wake-up...
    assert not bell.wait(0)  # ...takes both


def test_the_worker_answers_each_ringer_once_the_views_reach_its_change(
        bell: Listening, ringers: Callable[[], Doorbell]) -> None:
    early, late = ringers(), ringers()
    assert early.ring(7) and late.ring(9)
    assert bell.wait(0) and bell.waiting
    bell.answer(8)  # the views have reached 8: the change at 7, not the one at 9
    assert early.wait(7, 60)
    assert not late.wait(9, 0.05)
    assert bell.waiting  # still owed an answer...
    bell.answer(9)
    assert late.wait(9, 60)  # ...given once the views are there
    assert not bell.waiting
    assert not early.wait(7, 0.05)  # each ringer is answered once


def test_each_thread_hears_only_the_answers_to_its_own_rings(
        bell: Listening, ringers: Callable[[], Doorbell]) -> None:
    ringer = ringers()  # one per process, shared by the request threads
    answered: dict[str, bool] = {}

    def request(name: str, position: int, ready: threading.Event) -> None:
        assert ringer.ring(position)
        ready.set()
        answered[name] = ringer.wait(position, 2)

    rang = [threading.Event(), threading.Event()]
    threads = [threading.Thread(target=request, args=(name, position, ready))
               for name, position, ready in (("first", 3, rang[0]), ("second", 5, rang[1]))]
    for thread in threads:
        thread.start()
    for ready in rang:
        assert ready.wait(60)
    assert bell.wait(60)
    bell.answer(4)  # the first thread's change only
    for thread in threads:
        thread.join(60)
    assert answered == {"first": True, "second": False}


def test_an_answer_that_is_behind_or_not_from_the_worker_is_no_answer(
        bell: Listening, ringers: Callable[[], Doorbell]) -> None:
    ringer = ringers()
    assert ringer.ring(5)
    bell.wait(0)
    bell.answer(5)
    assert ringer.ring(6)  # an answer to the earlier ring is still queued
    assert not ringer.wait(6, 0.05)  # "5" is behind 6: passed over
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as stranger:
        stranger.bind("")
        stranger.sendto(b"99", ringer._socket().getsockname())
    assert not ringer.wait(6, 0.05)  # says 99, but only the worker may answer
    bell.wait(0)
    bell.answer(6)
    assert ringer.wait(6, 60)


def test_ringing_with_no_worker_listening_does_nothing(ringers: Callable[[], Doorbell]) -> None:
    # No error: the change is saved and the worker polls when it starts; and the
    # ringer knows no answer will come, so it polls too.
    assert not ringers().ring(1)


def test_each_store_file_has_its_own_bell_and_one_worker_listens(tmp_path: Path) -> None:
    one = create_engine(f"sqlite:///{tmp_path / 'one.sqlite'}")
    other = create_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert address(one) != address(other)
    first = Listening.open(one)
    assert first is not None
    try:
        assert Listening.open(one) is None  # taken: a second listener gets none
        ringer = Doorbell(other)
        ringer.ring()
        ringer.close()
        assert not first.wait(0.05)  # another store's ring is not this one's
    finally:
        first.close()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_store_in_memory_has_no_bell(url: str) -> None:
    # Its only process is the one it lives in: no worker elsewhere to ring.
    assert address(create_engine(url)) is None
    assert not Doorbell(create_engine(url)).ring(1)  # a no-op: nobody to answer


def test_a_postgresql_database_has_one_bell_whoever_connects_to_it() -> None:
    def bell(url: str) -> bytes | None:
        return address(create_engine(url))

    one = bell("postgresql+psycopg://web:secret@db.example:5432/community")
    assert one is not None
    assert bell("postgresql+psycopg://worker:other@db.example:5432/community") == one
    assert bell("postgresql+psycopg://web:secret@db.example:5432/another") != one
    assert bell("postgresql+psycopg://web:secret@db.example:5433/community") != one
    assert bell("postgresql+psycopg://web:secret@replica.example:5432/community") != one
