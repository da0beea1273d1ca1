"""Reads outside a transaction (projections/reading.py), on SQLite and PostgreSQL:
no BEGIN and no ROLLBACK around a read on PostgreSQL, and what it reads is what was
committed, as with an ordinary connection."""

from __future__ import annotations

from sqlalchemy import select, update

from projections.reading import reading
from projections.runner import positions
from tests.conftest import make_community


def test_a_read_opens_no_transaction_and_sees_what_is_committed(database_url: str) -> None:
    app = make_community(database_url)
    try:
        engine = app.engine
        with reading(engine) as conn:
            before = dict(conn.execute(
                select(positions.c.view, positions.c.position)).tuples().all())
            assert before
            dbapi = conn.connection.dbapi_connection
            if engine.dialect.name == "postgresql":
                # psycopg: IDLE, not INTRANS: no BEGIN went before the select, and
                # none is left open for the pool to roll back.
                from psycopg import pq

                assert dbapi.info.transaction_status == pq.TransactionStatus.IDLE  # type: ignore[union-attr]
            else:
                assert not dbapi.in_transaction  # type: ignore[union-attr]
            view = next(iter(before))
            with engine.begin() as writer:  # another connection commits meanwhile
                writer.execute(update(positions).where(positions.c.view == view)
                               .values(position=before[view] + 7))
            assert conn.scalar(select(positions.c.position)
                               .where(positions.c.view == view)) == before[view] + 7
        with engine.connect() as ordinary:  # what SQLAlchemy does without it, for contrast
            ordinary.execute(select(positions.c.position).limit(1)).all()
            if engine.dialect.name == "postgresql":
                from psycopg import pq

                assert (ordinary.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
                        == pq.TransactionStatus.INTRANS)
    finally:
        app.close()
