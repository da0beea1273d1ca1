"""Closing the app ends everything it started: a web app outside tests starts a
network-health warm-up in the background, and ``Community.close()`` waits for it, so
no thread goes on using the store and no PostgreSQL connection is left open for the
garbage collector (which psycopg warns about, failing whichever test it happened in)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from sqlalchemy import create_engine, text

from tests.builders import small_network
from tests.conftest import make_community


def connections_to(database_url: str) -> int:
    """Sessions open on the database, other than the one asking."""
    server = create_engine(database_url.rsplit("/", 1)[0] + "/postgres")
    try:
        with server.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"
                                    " AND pid <> pg_backend_pid()"),
                               {"name": database_url.rsplit("/", 1)[1]}) or 0
    finally:
        server.dispose()


def test_closing_the_app_while_it_warms_up_waits_for_it_and_leaves_no_connection_open(
        database_url: str) -> None:
    from web import create_app

    app = make_community(database_url)
    small_network(app)
    create_app(replace(app.settings, testing=False), community=app)  # starts the warm-up

    app.close()

    assert not [t.name for t in threading.enumerate() if t.name.startswith("network-health")]
    if database_url.startswith("postgresql"):
        deadline = time.monotonic() + 10  # a closed session leaves the server's list soon after
        while (open_now := connections_to(database_url)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert open_now == 0
