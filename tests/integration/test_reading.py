"""Reads outside a transaction (projections/reading.py), on SQLite and PostgreSQL:
no BEGIN and no ROLLBACK around a read on PostgreSQL, and what it reads is what was
committed, as with an ordinary connection."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from community import Community
from config import Settings
from projections.reading import reading
from projections.runner import positions
from tests.builders import small_network
from tests.conftest import make_community, new_store


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


def test_postgresql_keeps_the_statements_it_repeats_prepared(
        request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Commands and reads end without a ROLLBACK (which makes psycopg forget every
    prepared statement), so what a process runs again and again stays prepared on
    its connection: the event insert, the views' lock, loading a member."""
    url = new_store(request, "postgresql", tmp_path)
    # One connection kept, so every command and read below runs on it.
    app = Community(Settings(database_url=url, secret_key="test", testing=True,
                             database_pool_size=1), today=lambda: date(2013, 6, 1))
    try:
        net = small_network(app)
        for day in range(1, 8):
            app.make_contact(by=net.nurse, to_member_id=net.other_nurse, topic="Clinics",
                             made_on=f"2013-05-0{day}")
        with reading(app.engine) as conn:
            prepared = " ".join(conn.scalars(text("SELECT statement FROM pg_prepared_statements")))
        assert "INSERT INTO community_events" in prepared
        assert "FROM view_positions FOR UPDATE" in prepared
        assert "WHERE community_events.originator_id" in prepared  # loading a member
    finally:
        app.close()
