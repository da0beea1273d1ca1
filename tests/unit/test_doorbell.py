"""The projection worker's doorbell (community/doorbell.py): a ring wakes the worker
waiting for it; a ring nobody hears is harmless; only SQLite files have a bell."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from community.doorbell import Doorbell, Listening, address


def test_a_ring_wakes_the_worker_at_once(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    bell = Listening.open(engine)
    assert bell is not None
    ringer = Doorbell(engine)
    try:
        assert not bell.wait(0.01)  # nobody rang: the wait runs out
        threading.Timer(0.05, ringer.ring).start()
        started = time.monotonic()
        assert bell.wait(60)
        assert time.monotonic() - started < 30  # woken by the ring, not the minute
        ringer.ring()
        ringer.ring()
        assert bell.wait(0)  # two rings waiting: one wake-up...
        assert not bell.wait(0)  # ...takes both
    finally:
        ringer.close()
        bell.close()


def test_ringing_with_no_worker_listening_does_nothing(tmp_path: Path) -> None:
    ringer = Doorbell(create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    ringer.ring()  # no error: the change is saved and the worker polls when it starts
    ringer.close()


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


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:",
                                 "postgresql+psycopg://u@localhost/db"])
def test_stores_with_other_ways_to_wake_the_worker_have_no_bell(url: str) -> None:
    assert address(create_engine(url)) is None
    Doorbell(create_engine(url)).ring()  # a no-op
