"""Shared fixtures: a real event store on a SQLite file and on PostgreSQL,
the web app, a live HTTP server, and a logged-in client."""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from community import Community, passwords
from config import Settings
from tests import postgres

# The hook makes a skip a failure unless ALLOW_SKIPS=1 (outside CI): tests/skips.py.
from tests.skips import ALLOW_SKIPS, IN_CI, pytest_runtest_makereport  # noqa: F401
from tests.smtp import Mailbox, mail_through, running_mailbox

_databases = itertools.count()


def pytest_report_header(config: Any) -> str:
    where = postgres.binaries() or "not found"
    return f"PostgreSQL binaries: {where}; CI={IN_CI}; skips allowed: {ALLOW_SKIPS}"


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at its cheapest cost: the real cost (about 0.1 s a hash) was most of
    the suite's set-up time, and no test is about hash strength. Logging in
    still checks each password for real: a hash names its own parameters."""
    monkeypatch.setattr(passwords, "HASH_METHOD", "scrypt:1024:8:1")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One PostgreSQL server for the session. Missing binaries skip only where skips
    are allowed (ALLOW_SKIPS=1 outside CI; see pytest_runtest_makereport)."""
    if postgres.binaries() is None:
        message = "PostgreSQL binaries not found: apt-get install postgresql"
        if not ALLOW_SKIPS:
            pytest.fail(message)
        pytest.skip(message)
    with postgres.running_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """A database holding what a fresh Community creates (event, key, document and view
    tables, each view at position 0), made once per session: each PostgreSQL test
    copies it (CREATE DATABASE ... TEMPLATE) rather than creating some 60 tables."""
    name = f"community_template_{os.getpid()}"
    make_community(postgres.fresh_database(postgres_server, name)).close()
    return name


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'community.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on both real stores."""
    return new_store(request, request.param, tmp_path)


def new_store(request: pytest.FixtureRequest, store: str, tmp_path: Path) -> str:
    """A fresh store of the kind named (``sqlite`` or ``postgresql``) for one test."""
    if store == "sqlite":
        target = tmp_path / "community.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    server = request.getfixturevalue("postgres_server")
    return postgres.fresh_database(server, f"test_{os.getpid()}_{next(_databases)}",
                                   template=request.getfixturevalue("postgres_template"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding what a fresh Community creates, made once per session:
    copying it (0.05 s) beats creating some 60 tables per test (0.4-0.8 s measured
    on the shared machine), as postgres_template does for PostgreSQL."""
    path = tmp_path_factory.mktemp("template") / "community.sqlite"
    make_community(f"sqlite:///{path}").close()
    return path


def another_store(database_url: str, request: pytest.FixtureRequest, tmp_path: Path,
                  name: str) -> str:
    """A new empty store of the same kind as ``database_url``."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / f'{name}.sqlite'}"
    return postgres.fresh_database(request.getfixturevalue("postgres_server"),
                                   database_url.rsplit("/", 1)[1] + f"_{name}")


def make_community(url: str) -> Community:
    return Community(Settings(database_url=url, secret_key="test", testing=True),
                     today=lambda: date(2013, 6, 1))


@pytest.fixture
def community(database_url: str) -> Iterator[Community]:
    """The application on each real store: every page, API and browser test runs
    on a SQLite file and on PostgreSQL (issue 14)."""
    app = make_community(database_url)
    yield app
    app.close()


@pytest.fixture
def web_app(community: Community) -> Iterator[Any]:
    from web import create_app

    app = create_app(community.settings, community=community)
    yield app
    # Reset e-mails are written after the answer, on the app's own thread
    # (web/account.py): finished here, before the store closes under them.
    if (sender := app.extensions.get("reset_sender")) is not None:
        sender.shutdown(wait=True)


@pytest.fixture
def client(web_app: Any) -> Any:
    return web_app.test_client()


class Answering:
    """The app, counting the requests it is still answering.

    The server's request threads are not joined when it shuts down, so a request
    the browser had still in flight at a test's end could hold a PostgreSQL
    connection past ``Community.close()``; the garbage collector found it open
    later and failed whichever test was running then (a ResourceWarning)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.answering = 0
        self.changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.changed:
            self.answering += 1
        try:
            answer = self.app(environ, start_response)
            try:
                return list(answer)  # the whole answer made here, its connections returned
            finally:
                if hasattr(answer, "close"):
                    answer.close()
        finally:
            with self.changed:
                self.answering -= 1
                self.changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.answering == 0, timeout)


@pytest.fixture
def live_server(web_app: Any) -> Iterator[str]:
    """The app on a real HTTP server on a free loopback port."""
    app = Answering(web_app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Poll for shutdown every 0.05 s, not the default 0.5 s: that half second
    # after each of hundreds of tests doubled the suite's run time.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    assert app.wait_until_idle(30), "a request was still being answered 30 s after the test"


@pytest.fixture
def mailbox(community: Community) -> Iterator[Mailbox]:
    """A real SMTP server on a loopback port, and the app's mailer pointed at it."""
    with running_mailbox() as found:
        mail_through(community, found.port)
        yield found


@dataclass
class DemoTemplate:
    """The demo community loaded once per session (per xdist worker) on one store: a
    SQLite file or a PostgreSQL database nobody stays connected to, copied per module
    that reads or writes it (the demo on PostgreSQL takes minutes to load)."""

    store: str
    source: str  # the SQLite file, or the PostgreSQL database's name
    server: str  # the PostgreSQL server's URL ("" for SQLite)
    summary: dict[str, int]
    steps: list[int] = field(default_factory=list)


def open_demo_store(url: str) -> Community:
    """How the demo tests open a store: the demo's own clock (the day it is loaded)."""
    return Community(Settings(database_url=url))


def load_demo_template(request: pytest.FixtureRequest, store: str, folder: Path,
                       opener: Callable[[str], Community] = open_demo_store) -> DemoTemplate:
    """Load the demo once into a new store of the kind named, opened by ``opener`` (the
    settings its readers will use: the e-mail index is keyed by the secret, and the
    demo dates what comes up by the app's today), and close it."""
    from community.demo import load_demo

    if store == "sqlite":
        source = str(folder / "demo.sqlite")
        server, url = "", f"sqlite:///{source}"
    else:
        server = request.getfixturevalue("postgres_server")
        source = f"demo_template_{os.getpid()}_{next(_databases)}"
        url = postgres.fresh_database(server, source,
                                      template=request.getfixturevalue("postgres_template"))
    app = opener(url)
    steps: list[int] = []
    try:
        summary = load_demo(app, seed=2012, progress=steps.append)
    finally:
        app.close()  # a PostgreSQL template must have no one connected
    return DemoTemplate(store, source, server, summary, steps)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def demo_template(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    return load_demo_template(request, request.param, tmp_path_factory.mktemp("demo-template"))


def copy_of_demo(template: DemoTemplate, folder: Path) -> str:
    """A store of one's own holding the demo, to read or change."""
    if template.store == "sqlite":
        target = folder / "demo.sqlite"
        shutil.copyfile(template.source, target)
        return f"sqlite:///{target}"
    return postgres.fresh_database(template.server, f"demo_{os.getpid()}_{next(_databases)}",
                                   template=template.source)


@pytest.fixture(scope="module")
def demo_community(demo_template: DemoTemplate,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Community]:
    """The demo on each store, shared by a module's tests (copied from the template)."""
    app = open_demo_store(copy_of_demo(demo_template, tmp_path_factory.mktemp("demo")))
    yield app
    app.close()
