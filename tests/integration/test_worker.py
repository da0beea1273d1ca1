"""The projection worker in one process, on SQLite and PostgreSQL: commands wait for
it to reach their change; without it they say the change is saved but not shown yet;
only one worker holds the lock; /healthz and /readyz say where the views are.
(tests/integration/test_processes.py runs the same with real processes.)"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from community import Community, doorbell
from community.worker import ViewsBehind, follow, lags, log_position, worker_lock, worker_running
from tests.api.conftest import ApiClient, error_of
from tests.builders import SmallNetwork, small_network
from tests.conftest import make_community

# Deadlines for things that do happen, however loaded the machine: each wait ends as
# soon as its condition holds, so a generous deadline costs nothing when all is well.
DEADLINE = 120.0


def until(condition: Callable[[], bool], what: str, seconds: float = DEADLINE) -> None:
    """Wait for ``condition`` (polled), failing with ``what`` at the deadline."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still waiting after {seconds:.0f} s: {what}"
        time.sleep(0.02)


def with_network(url: str) -> SmallNetwork:
    app = make_community(url)
    try:
        return small_network(app)
    finally:
        app.close()


def record_contact(web: Community, network: SmallNetwork, topic: str) -> None:
    web.make_contact(by=network.nurse, to_member_id=network.other_nurse, topic=topic)


def contacts_shown(web: Community, network: SmallNetwork) -> list[str]:
    """The topics of the nurse's contacts as the directory shows them (no catch-up)."""
    rows, total = web.views.network.contacts_page(str(network.nurse), limit=10, offset=0)
    assert total == len(rows)
    return [row["topic"] for row in rows]


def worker_mode(url: str, wait: float, **settings: object) -> Community:
    """A web process's Community when a projection worker runs."""
    base = make_community(url)
    base.close()
    return Community(replace(base.settings, views_worker=True, views_wait_seconds=wait,
                             **settings), today=lambda: date(2013, 6, 1))


@contextmanager
def a_worker(url: str, idle_poll: float = 0.005) -> Iterator[Community]:
    """`community worker`'s loop in a thread, on its own Community (yielded)."""
    app = make_community(url)
    stop = threading.Event()
    thread = threading.Thread(target=follow, args=(app, stop), kwargs={"idle_poll": idle_poll})
    thread.start()
    try:
        yield app
    finally:
        stop.set()
        app.doorbell.ring()  # on SQLite, so a long idle poll notices the stop at once
        thread.join(timeout=DEADLINE)
        app.close()
    assert not thread.is_alive(), "the worker did not stop"


def listening(app: Community) -> bool:
    """Whether the worker is following the log, woken by changes: its doorbell is
    taken (binding it fails), which it does after taking the lock and, on
    PostgreSQL, LISTENing."""
    name = doorbell.address(app.engine)
    if name is None:
        return worker_running(app.engine)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(name)
        except OSError:
            return True
    return False


def test_a_change_wakes_the_worker_though_it_would_look_by_itself_only_every_minute(
        database_url: str) -> None:
    # SQLite: the command rings the worker's doorbell; PostgreSQL: the insert NOTIFYs.
    network = with_network(database_url)
    web = worker_mode(database_url, wait=30)  # a worker not woken would be 60 s away
    try:
        with a_worker(database_url, idle_poll=60) as worker:
            until(lambda: listening(worker), "the worker to follow the log")
            record_contact(web, network, "Rang the bell")
        assert contacts_shown(web, network) == ["Rang the bell"]
    finally:
        web.close()


def test_the_worker_answers_a_ring_once_its_views_have_the_change(database_url: str) -> None:
    # On SQLite the worker looks by itself only every minute, and a ringer waits for
    # its answer two: only the ring brings it. (On PostgreSQL the insert wakes it.)
    network = with_network(database_url)
    web = worker_mode(database_url, wait=DEADLINE)
    saved = replace(web.settings, catch_up_after_commands=False)  # saves, rings nothing
    writer = Community(saved, today=lambda: date(2013, 6, 1))
    ringer = doorbell.Doorbell(web.engine)
    try:
        with a_worker(database_url, idle_poll=60) as worker:
            until(lambda: listening(worker), "the worker to follow the log")
            record_contact(writer, network, "Saved, not yet shown")
            position = log_position(web.views)
            assert ringer.ring(position)  # the worker listens...
            assert ringer.wait(position, DEADLINE)  # ...and answers once its views are there
            assert min(web.views.positions().values()) >= position
            assert contacts_shown(web, network) == ["Saved, not yet shown"]
            assert ringer.ring(position + 1)  # a change not made yet: no answer...
            assert not ringer.wait(position + 1, 0.2)
            record_contact(web, network, "Rang and answered")  # ...until it is
            assert ringer.wait(position + 1, DEADLINE)
    finally:
        ringer.close()
        writer.close()
        web.close()


def test_a_worker_whose_doorbell_another_process_took_still_follows_the_log(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # SQLite's alone: there the bell is all that wakes the worker. Someone else holds its name.
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    network = with_network(url)
    web = worker_mode(url, wait=DEADLINE)
    taken = doorbell.Listening.open(web.engine)
    assert taken is not None
    try:
        with caplog.at_level(logging.WARNING, logger="community.worker"), a_worker(url):
            record_contact(web, network, "Found by polling")
            assert contacts_shown(web, network) == ["Found by polling"]
        assert "doorbell is taken by another process: polling only" in caplog.text
        assert taken.wait(0)  # the web process rang: whoever holds the name heard it
    finally:
        taken.close()
        web.close()


def test_a_command_returns_once_the_worker_has_applied_its_change(database_url: str) -> None:
    network = with_network(database_url)
    web = worker_mode(database_url, wait=DEADLINE)  # returns as soon as the worker is there
    try:
        with a_worker(database_url):
            record_contact(web, network, "EBUS waiting times")
            # Read at once, with no catch-up of its own: the worker got there first.
            shown = contacts_shown(web, network)
        assert shown == ["EBUS waiting times"]
    finally:
        web.close()


def test_without_a_worker_the_change_is_saved_and_shown_once_a_worker_starts(
        database_url: str) -> None:
    network = with_network(database_url)
    web = worker_mode(database_url, wait=0.2)
    try:
        with pytest.raises(ViewsBehind, match=r"your change is saved.* are 1 change behind after"):
            record_contact(web, network, "Saved while no worker ran")
        assert set(lags(web.views).values()) == {1}
        with a_worker(database_url):
            until(lambda: not max(lags(web.views).values()), "the worker to apply the change")
        assert contacts_shown(web, network) == ["Saved while no worker ran"]
    finally:
        web.close()


def test_a_second_worker_waits_until_the_first_lets_go_of_the_lock(database_url: str) -> None:
    app = make_community(database_url)
    first_stop, second_stop = threading.Event(), threading.Event()
    second_has_it = threading.Event()

    def second() -> None:
        with worker_lock(app.engine, second_stop, retry=0.02):
            if not second_stop.is_set():
                second_has_it.set()
                second_stop.wait(DEADLINE)

    try:
        assert not worker_running(app.engine)
        with worker_lock(app.engine, first_stop):
            assert worker_running(app.engine)
            thread = threading.Thread(target=second)
            thread.start()
            assert not second_has_it.wait(0.5)  # a wait for something that must not happen
        assert second_has_it.wait(DEADLINE)
        second_stop.set()
        thread.join(timeout=DEADLINE)
        assert not thread.is_alive()
        assert not worker_running(app.engine)
    finally:
        second_stop.set()
        app.close()


@contextmanager
def served(community: Community) -> Iterator[str]:
    from web import create_app

    server = make_server("127.0.0.1", 0, create_app(community.settings, community=community),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=DEADLINE)


def test_the_api_answers_503_when_the_views_lag_a_change_and_readyz_reports_the_lag(
        database_url: str) -> None:
    network = with_network(database_url)
    web = worker_mode(database_url, wait=0.2, ready_max_lag=0)
    try:
        with served(web) as server:
            assert requests.get(f"{server}/healthz", timeout=DEADLINE).json() == {"status": "ok"}
            ready = requests.get(f"{server}/readyz", timeout=DEADLINE)
            assert ready.status_code == 200
            assert ready.json()["ready"] is True and ready.json()["worker_running"] is False
            assert set(ready.json()["views"]) == {v.name for v in web.views.all}

            nina = ApiClient(server)
            assert nina.log_in("nina.nurse@northshire.nhs.uk").status_code == 200
            answer = nina.post("/contacts", {"to_member_id": str(network.other_nurse),
                                             "topic": "EBUS waiting times"})
            error = error_of(answer, 503)
            assert error["code"] == "views_behind"
            assert "saved" in error["message"] and "do not send" in error["message"]
            assert answer.headers["Retry-After"] == "2"

            behind = requests.get(f"{server}/readyz", timeout=DEADLINE)
            assert behind.status_code == 503
            assert behind.json()["ready"] is False
            assert {v["lag"] for v in behind.json()["views"].values()} == {1}

            with a_worker(database_url):
                until(lambda: requests.get(f"{server}/readyz", timeout=DEADLINE).status_code
                      == 200, "/readyz to answer 200 once the worker caught up")
                assert nina.get("/contacts").json()["total"] == 1
    finally:
        web.close()


def test_readyz_answers_503_when_views_lag_and_no_worker_is_there_to_catch_them_up(
        database_url: str) -> None:
    from web import create_app

    network = with_network(database_url)
    web = worker_mode(database_url, wait=0.2)  # the default lag allowed: 1,000 changes
    try:
        client = create_app(web.settings, community=web).test_client()
        assert client.get("/readyz").status_code == 200  # nothing to apply: ready
        with pytest.raises(ViewsBehind):
            web.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                             topic="Saved while the worker was stopped")

        stalled = client.get("/readyz")
        assert stalled.status_code == 503
        assert stalled.json["ready"] is False and stalled.json["worker_running"] is False
        assert stalled.json["status"] == "no projection worker is running while the views lag"

        with a_worker(database_url):
            until(lambda: client.get("/readyz").status_code == 200,
                  "/readyz to answer 200 once the worker caught up")
            assert "status" not in client.get("/readyz").json
    finally:
        web.close()
