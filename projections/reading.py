"""A connection for reads, outside any transaction.

On PostgreSQL a connection used without one (SQLAlchemy's ``engine.connect()``) still
runs each read in a transaction: psycopg sends BEGIN before the first statement, and
the pool sends ROLLBACK when the connection goes back. That is two more round trips
per read, and a page makes ten to twenty reads: on this machine a one-row read took
400 µs with them and 220 µs without (``AUTOCOMMIT``), a quarter less of the web
process's CPU besides. Each statement of a read sees the committed data as it starts
either way (PostgreSQL's default, READ COMMITTED), so reading outside a transaction
changes nothing a page shows. Writes keep their transactions (``engine.begin()``).

It also keeps PostgreSQL's prepared statements: psycopg prepares a statement that a
connection has run five times, so the server parses and plans it once, but forgets
every one at a ROLLBACK. With a ROLLBACK after each read they were prepared again and
again, and were turned off; with none, a web process's repeated reads and writes are
prepared once per connection (the server's CPU per contact recorded fell from 4.3 to
2.4 ms; issue 14). ``tests/integration/test_reading.py`` checks they stay prepared.

SQLite's driver opens no transaction for a select, and leaving its own mode costs a
PRAGMA, so a read there is an ordinary connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Result


def reading(engine: Engine) -> Connection:
    """A connection for one or more reads (use it in a ``with`` block); it must not write."""
    conn = engine.connect()
    if conn.dialect.name == "sqlite":
        return conn
    return conn.execution_options(isolation_level="AUTOCOMMIT")


def rows_of(result: Result[Any]) -> list[dict[str, Any]]:
    """Each row of a read as a dict of its columns. ``dict(row._mapping)`` builds a
    mapping object per row first: twice the time, on reads of hundreds of rows.
    The rows are fetched in one call (``all``): iterating a result asks the driver
    for one row at a time, and reading a plan's 650 values so took 0.82–0.98 ms of
    CPU on psycopg, against 0.43–0.65 at once."""
    columns = list(result.keys())
    return [dict(zip(columns, row, strict=True)) for row in result.all()]
