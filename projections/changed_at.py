"""When a view last changed what a kept answer is made of.

A view's position moves on with every page of events, whether the page touched
it or not, so it says little about whether an answer read from it is still
right. Every view's last change is noted beside its position (``view_positions``,
projections/runner.py). A part of a view that changes far less often than the view
(the key areas teams share plans in, which the counterpart ranking keeps, issue 14)
notes, in a one-row table, the notification id of the latest page that changed it:
an answer kept with that number stays right until the number moves.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, select

from projections.reading import reading


def changes_table(name: str, metadata: MetaData) -> Table:
    return Table(name, metadata,
                 Column("id", Integer, primary_key=True, autoincrement=False),
                 Column("at", Integer, nullable=False))


def note_change(conn: Connection, table: Table, at: int) -> None:
    """Record that the page ending at notification ``at`` changed the view. The
    runner applies pages one at a time under its lock, so delete-then-insert
    cannot race another writer."""
    conn.execute(table.delete())
    conn.execute(table.insert().values(id=1, at=at))


def changed_at(engine: Engine | Connection, table: Table) -> int:
    """The notification id of the view's latest change (0 when none is noted)."""
    query = select(table.c.at).where(table.c.id == 1)
    if isinstance(engine, Connection):
        return engine.scalar(query) or 0
    with reading(engine) as conn:
        return conn.scalar(query) or 0
