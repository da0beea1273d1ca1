"""The per-account login waits (``web.login_guard``), kept in the store so that every
web process sees the same failures (issue 13): with several gunicorn workers, counts
in each process's memory let a guesser try ten passwords per process.

One row per account that failed recently, keyed by an HMAC of the normalised address
under the instance's secret (the table names nobody), holding the failure times and
the waits earned, in wall-clock seconds. Each change is one transaction; on
PostgreSQL an advisory lock per account serialises two processes' failures for it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Engine, Float, MetaData, String, Table, Text, delete, select, text
from sqlalchemy.engine import Connection

from projections.reading import reading

metadata = MetaData()
waits = Table(
    "login_waits", metadata,
    Column("account", String(64), primary_key=True),
    Column("state", Text, nullable=False),       # JSON: failures, locks, locked_until, …
    Column("last_failure", Float, nullable=False, index=True),
)


class LoginWaits:
    def __init__(self, engine: Engine, secret: str) -> None:
        self.engine = engine
        self._key = hashlib.sha256(b"login-waits:" + secret.encode()).digest()

    def account(self, email: str) -> str:
        return hmac.new(self._key, email.encode(), hashlib.sha256).hexdigest()

    @contextmanager
    def changing(self, account: str) -> Iterator[tuple[Connection, dict[str, Any] | None]]:
        """The account's state inside a transaction that the caller's saves join."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:a))"), {"a": account})
            found = conn.scalar(select(waits.c.state).where(waits.c.account == account))
            yield conn, (json.loads(found) if found else None)

    def read(self, account: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            found = conn.scalar(select(waits.c.state).where(waits.c.account == account))
        return json.loads(found) if found else None

    @staticmethod
    def save(conn: Connection, account: str, state: dict[str, Any]) -> None:
        conn.execute(delete(waits).where(waits.c.account == account))
        conn.execute(waits.insert().values(account=account, state=json.dumps(state),
                                           last_failure=state["last_failure"]))

    @staticmethod
    def drop(conn: Connection, account: str) -> None:
        conn.execute(delete(waits).where(waits.c.account == account))

    def forget_before(self, moment: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(waits).where(waits.c.last_failure < moment))
