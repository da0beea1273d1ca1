"""Killed without warning (SIGKILL), nothing acknowledged is lost and nothing is applied
twice: a server killed in the middle of a burst of writes, and a rebuild killed half
way, leave views that equal a clean rebuild from the log once the views catch up.
Every test runs on a SQLite file and on PostgreSQL, with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from community import Community
from config import Settings
from domain.contact import Contact
from tests import postgres
from tests.api.conftest import ApiClient
from tests.builders import SmallNetwork, small_network
from tests.integration.snapshots import view_tables
from tests.integration.test_processes import positions as view_positions

ROOT = Path(__file__).resolve().parents[2]
SECRET = "kills-test"
WRITERS = 8


def highest_view_position(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT max(position) FROM view_positions")) or 0)
    finally:
        engine.dispose()


@contextmanager
def watching(url: str) -> Iterator[Callable[[], tuple[int, int]]]:
    """A look at (the lowest, the highest view position) as last committed, on one
    connection: a connection of its own per look took long enough on PostgreSQL for
    a rebuild of two pages to finish between two looks."""
    engine = create_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            def look() -> tuple[int, int]:
                low, high = conn.execute(text(
                    "SELECT min(position), max(position) FROM view_positions")).one()
                return int(low or 0), int(high or 0)
            yield look
    finally:
        engine.dispose()


def open_store(url: str) -> Community:
    return Community(Settings(database_url=url, secret_key=SECRET, testing=True))


@pytest.fixture
def store(database_url: str) -> Iterator[tuple[str, SmallNetwork]]:
    app = open_store(database_url)
    try:
        network = small_network(app)
    finally:
        app.close()
    yield database_url, network


def start(url: str, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """``community`` as its own process group, so a kill takes its children too."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMMUNITY_DATABASE_URL": url,
           "COMMUNITY_SECRET_KEY": SECRET, "COMMUNITY_PLAIN_HTTP": "1"}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "community.cli", *args], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def assert_views_equal_a_clean_rebuild(url: str) -> Community:
    app = open_store(url)
    app.views.catch_up()
    caught_up = view_tables(app)
    app.views.rebuild()
    assert view_tables(app) == caught_up
    return app


def test_a_server_killed_mid_burst_loses_no_acknowledged_change_and_doubles_none(
        store: tuple[str, SmallNetwork], tmp_path: Path) -> None:
    url, network = store
    port = postgres._free_port()
    server = start(url, tmp_path / "serve.log", "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
        time.sleep(0.2)
    api = ApiClient(base)
    assert api.log_in("nina.nurse@northshire.nhs.uk").status_code == 200
    acknowledged: list[str] = []
    stop = threading.Event()

    def write(writer: int) -> None:
        session = ApiClient(base)
        session.http.cookies.update(api.http.cookies)
        n = 0
        while not stop.is_set():
            topic = f"Burst {writer}-{n}"
            n += 1
            try:
                answer = session.post("/contacts", {"to_member_id": str(network.other_nurse),
                                                    "topic": topic}, timeout=10)
            except requests.RequestException:
                return  # the server is gone: this answer never came
            if answer.status_code == 201:
                acknowledged.append(topic)

    writers = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in writers:
        thread.start()
    while len(acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    kill(server)
    stop.set()
    for thread in writers:
        thread.join(timeout=30)

    app = assert_views_equal_a_clean_rebuild(url)
    try:
        recorded = [e.topic for e in (app.mapper.to_domain_event(n) for n in
                                      app.recorder.select_notifications(None, 100_000))
                    if isinstance(e, Contact.Made)]
        assert len(acknowledged) >= 20
        assert set(acknowledged) <= set(recorded)          # nothing acknowledged lost
        assert len(recorded) == len(set(recorded))          # nothing written twice
    finally:
        app.close()


def test_a_rebuild_killed_half_way_is_finished_by_the_next_catch_up(
        store: tuple[str, SmallNetwork], tmp_path: Path) -> None:
    url, network = store
    writer = open_store(url)
    try:
        # Three pages' worth of changes (1,000, then 2,000, then the rest), saved a
        # hundred at a time.
        for hundred in range(40):
            writer.save(*(Contact.make(from_member_id=network.lead, to_member_id=network.nurse,
                                       topic=f"Contact {n:04d}", facilitated=False,
                                       made_on=date(2013, 6, 1))
                          for n in range(hundred * 100, hundred * 100 + 100)))
        writer.views.catch_up()
        before = view_tables(writer)
    finally:
        writer.close()
    last = view_positions(url)[1]

    rebuild = start(url, tmp_path / "rebuild.log", "rebuild")
    deadline = time.monotonic() + 120
    # Wait until the views were dropped (positions at 0) and a page was applied to
    # some (on SQLite the views a second process replays stay at 0 until the end).
    seen_reset = False
    with watching(url) as look:
        while time.monotonic() < deadline:
            low, high = look()
            seen_reset = seen_reset or low == 0
            if seen_reset and 0 < high < last:
                break
            if rebuild.poll() is not None:
                pytest.fail("the rebuild ended before it could be killed half way: "
                            + (tmp_path / "rebuild.log").read_text())
            time.sleep(0.002)
        kill(rebuild)
    assert 0 < highest_view_position(url) < last

    app = assert_views_equal_a_clean_rebuild(url)
    try:
        assert view_tables(app) == before
    finally:
        app.close()
