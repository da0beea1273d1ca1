"""What every logged-in request reads first, in one round trip: whether its cookie's
login is still live (community/sign_ins.py) and every view's change marks, by which
the answers a page keeps are found (web/kept_pages.py).

A kept page read nothing else, so these two statements were all of its round trips,
and on PostgreSQL each is a trip to the server and back (issue 14). The marks are
joined to the session's row (0 or 1 row: the key's hash is the primary key), so
every view's row carries it; a logged-out key brings the marks alone.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select

from community.sign_ins import SignIns, key_hash, sessions_table
from projections.reading import reading
from projections.runner import positions
from web.kept_pages import note_changes
from web.services import views

FIRST_READS = (
    select(positions.c.view, positions.c.position, positions.c.changed, positions.c.rebuilt,
           sessions_table.c.member_id, sessions_table.c.started_at, sessions_table.c.ended_at)
    .select_from(positions.outerjoin(
        sessions_table, sessions_table.c.key_hash == bindparam("key_hash"))))


def session_is_live(sign_ins: SignIns, member_id: str, key: object) -> bool:
    """``sign_ins.is_live(member_id, key)``, reading the views' marks for the request
    in the same statement."""
    hashed = key_hash(key)
    if hashed is None:
        return False
    with reading(views().engine) as conn:
        rows = conn.execute(FIRST_READS, {"key_hash": hashed}).all()
    if not rows:  # a store whose views are not set up yet: the session alone
        return sign_ins.is_live(member_id, key)
    note_changes({row.view: (row.position, row.changed, row.rebuilt) for row in rows})
    session = rows[0] if rows[0].member_id is not None else None
    return sign_ins.is_live_row(session, member_id)
