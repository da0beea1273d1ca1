"""Every row of every view table, in a stable order, to compare two ways of
building the views."""

from __future__ import annotations

from typing import Any

from community import Community

Snapshot = dict[str, list[tuple[Any, ...]]]


def view_tables(app: Community, *, without: tuple[str, ...] = ()) -> Snapshot:
    """Each view table's rows, sorted. ``without`` names "table.column"s to leave out."""
    found: Snapshot = {}
    with app.views.engine.connect() as conn:
        for view in app.views.all:
            for table in view.metadata.sorted_tables:
                columns = [c for c in table.columns if f"{table.name}.{c.name}" not in without]
                rows = conn.execute(table.select().with_only_columns(*columns)).all()
                found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found
