"""The production shape with real processes on PostgreSQL: two gunicorn web servers
and one projection worker (`community worker`), started as the README says.

A contact recorded through one web server shows through the other; with the worker
killed (SIGKILL) a change is saved but the answer says the pages are behind; and a
worker killed again in the middle of catching up, then started once more, leaves
every change applied exactly once. And several web processes started together on a
new store (SQLite under `community serve`, PostgreSQL under gunicorn) all boot.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from community import Community
from config import Settings
from domain.contact import Contact
from tests import postgres
from tests.api.conftest import ApiClient, error_of
from tests.builders import SmallNetwork, small_network

ROOT = Path(__file__).resolve().parents[2]


class Processes:
    """Starts the app's processes with one environment; stops each by its own pid."""

    def __init__(self, url: str, logs: Path) -> None:
        self.logs = logs
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "COMMUNITY_DATABASE_URL": url,
                    "COMMUNITY_SECRET_KEY": "processes-test", "COMMUNITY_PLAIN_HTTP": "1",
                    "COMMUNITY_VIEWS_WORKER": "1", "COMMUNITY_VIEWS_WAIT_SECONDS": "2",
                    "COMMUNITY_WEB_WORKERS": "1", "COMMUNITY_WEB_THREADS": "4"}
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115  # the child writes to it
        process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**self.env, **env},
                                   stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.started.append(process)
        return process

    def web(self, name: str, **env: str) -> str:
        port = postgres._free_port()
        # As the README's production section runs it: gunicorn, settings from the environment.
        self.start(name, "-m", "gunicorn", "web:create_app()", COMMUNITY_BIND=f"127.0.0.1:{port}",
                   **env)
        return f"http://127.0.0.1:{port}"

    def worker(self) -> subprocess.Popen[bytes]:
        return self.start("worker", "-m", "community.cli", "worker")

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def wait_for_log(self, name: str, words: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while words not in self.log(name):
            assert time.monotonic() < deadline, self.log(name)
            time.sleep(0.1)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def ready(server: str, seconds: float = 120) -> dict[str, Any]:
    """Wait until the server answers /readyz with 200; its body."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            answer = requests.get(f"{server}/readyz", timeout=30)
            if answer.status_code == 200 and max(
                    v["lag"] for v in answer.json()["views"].values()) == 0:
                return dict(answer.json())
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or still starting on a busy machine
        time.sleep(0.2)
    raise AssertionError(f"{server} not ready after {seconds} s")


def positions(url: str) -> tuple[int, int]:
    """(the lowest view position, the log's last position), read from the store."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            low = conn.scalar(text("SELECT min(position) FROM view_positions"))
            last = conn.scalar(text("SELECT max(id) FROM community_events"))
        return int(low or 0), int(last or 0)
    finally:
        engine.dispose()


@pytest.fixture
def store(postgres_server: str) -> Iterator[tuple[str, SmallNetwork]]:
    url = postgres.fresh_database(postgres_server, f"processes_{os.getpid()}")
    app = Community(Settings(database_url=url, secret_key="processes-test", testing=True))
    try:
        network = small_network(app)
    finally:
        app.close()
    yield url, network


@pytest.fixture
def processes(store: tuple[str, SmallNetwork], tmp_path: Path) -> Iterator[Processes]:
    running = Processes(store[0], tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


def client(server: str, email: str) -> ApiClient:
    api = ApiClient(server)
    assert api.log_in(email).status_code == 200
    return api


def all_topics(api: ApiClient) -> list[str]:
    topics: list[str] = []
    while True:
        page = api.get("/contacts", params={"limit": 100, "offset": len(topics)}).json()
        topics += [c["topic"] for c in page["contacts"]]
        if len(topics) >= page["total"] or not page["contacts"]:
            return topics


def test_two_web_servers_and_one_worker_show_each_change_once_even_when_the_worker_is_killed(
        store: tuple[str, SmallNetwork], processes: Processes) -> None:
    url, network = store
    worker = processes.worker()
    first, second = processes.web("web-1"), processes.web("web-2")
    ready(first)
    ready(second)
    processes.wait_for_log("worker", "projection worker following the log")
    readiness = requests.get(f"{first}/readyz", timeout=30).json()
    assert readiness["views_updated_by"] == "worker" and readiness["worker_running"] is True
    assert requests.get(f"{second}/healthz", timeout=5).json() == {"status": "ok"}

    # Recorded through one server, read back at once through the other.
    nina_on_first = client(first, "nina.nurse@northshire.nhs.uk")
    nina_on_second = client(second, "nina.nurse@northshire.nhs.uk")
    made = nina_on_first.post("/contacts", {"to_member_id": str(network.other_nurse),
                                            "topic": "EBUS waiting times"})
    assert made.status_code == 201, made.text
    assert all_topics(nina_on_second) == ["EBUS waiting times"]

    # A second worker waits for the first's lock rather than applying events too.
    standby = processes.start("standby", "-m", "community.cli", "worker")
    processes.wait_for_log("standby", "another projection worker holds the lock")
    standby.terminate()
    standby.wait(timeout=30)

    # Without a worker the change is saved, and the answer says the pages lag it.
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    behind = nina_on_first.post("/contacts", {"to_member_id": str(network.other_nurse),
                                              "topic": "Saved while the worker was down"})
    error = error_of(behind, 503)
    assert error["code"] == "views_behind" and "saved" in error["message"]
    assert behind.headers["Retry-After"] == "2"
    not_ready = requests.get(f"{second}/readyz", timeout=5)
    assert not_ready.json()["worker_running"] is False

    # More than a page (1,000) of changes while it is down; a new worker is killed
    # once it has committed the first page, part way through them.
    writer = Community(Settings(database_url=url, secret_key="processes-test",
                                catch_up_after_commands=False))
    try:
        # Saved a hundred at a time (as `community synth` does): quicker to write, and
        # the worker's pages are the same events either way.
        for hundred in range(12):
            writer.save(*(Contact.make(from_member_id=network.lead, to_member_id=network.nurse,
                                       topic=f"Batch contact {n:04d}", facilitated=False,
                                       made_on=date(2013, 6, 1))
                          for n in range(hundred * 100, hundred * 100 + 100)))
    finally:
        writer.close()
    start, last = positions(url)
    started = time.monotonic()
    killed_part_way = processes.worker()
    deadline = time.monotonic() + 120
    while positions(url)[0] == start and time.monotonic() < deadline:
        time.sleep(0.01)
    killed_part_way.send_signal(signal.SIGKILL)
    killed_part_way.wait(timeout=30)
    assert positions(url)[0] > start, processes.log("worker")

    processes.worker()
    ready(first)
    print(f"1,200 changes applied by two workers in {time.monotonic() - started:.1f} s")
    assert positions(url) == (last, last)
    # Nina's history: her two contacts and the 1,200 made to her, each exactly once.
    topics = all_topics(nina_on_second)
    assert len(topics) == len(set(topics)) == 1202
    assert set(topics) == {"EBUS waiting times", "Saved while the worker was down",
                           *(f"Batch contact {n:04d}" for n in range(1200))}


def test_every_process_logs_one_json_object_per_line(
        store: tuple[str, SmallNetwork], processes: Processes) -> None:
    import json

    processes.worker()
    server = processes.web("web")
    ready(server)
    requests.get(f"{server}/healthz", timeout=5)
    time.sleep(0.5)
    for name in ("worker", "web"):
        lines = [line for line in processes.log(name).splitlines() if line.strip()]
        assert lines, name
        for line in lines:
            entry = json.loads(line)
            assert {"time", "level", "logger", "message"} <= set(entry), line
    served = [entry for entry in (json.loads(line) for line in processes.log("web").splitlines()
                                  if line.strip())
              if '"GET /healthz' in entry["message"]]
    assert served, processes.log("web")
    # The request's parts are fields of their own, for a log collector to filter on.
    assert served[0]["logger"] == "gunicorn.access"
    assert {k: served[0][k] for k in ("method", "path", "status")} == \
        {"method": "GET", "path": "/healthz", "status": 200}
    assert served[0]["bytes"] > 0 and served[0]["ms"] >= 0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_several_web_processes_start_together_on_a_new_store(
        kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    # Nothing has opened this store: every table is made once, before the web
    # processes start (by `community serve`, or gunicorn's master), not raced for by
    # three processes (one lost, and gunicorn stopped: "Worker failed to boot").
    running: Processes
    if kind == "sqlite":
        running = Processes(f"sqlite:///{tmp_path / 'new.sqlite'}", tmp_path)
        port = postgres._free_port()
        running.start("web", "-m", "community.cli", "serve", "--port", str(port),
                      "--workers", "3")
        server = f"http://127.0.0.1:{port}"
    else:
        url = postgres.fresh_database(request.getfixturevalue("postgres_server"),
                                      f"new_store_{os.getpid()}")
        running = Processes(url, tmp_path)
        server = running.web("web", COMMUNITY_WEB_WORKERS="3")
    try:
        ready(server)
        answers = {requests.get(f"{server}/healthz", timeout=5).status_code for _ in range(9)}
    finally:
        running.stop_all()

    log = running.log("web")
    assert answers == {200}
    assert log.count("Booting worker") == 3 and "Worker failed to boot" not in log, log
