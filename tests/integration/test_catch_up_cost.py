"""What a command's read-your-writes catch-up costs the database (issue 14: a command
with its catch-up at least half as fast as a bare save). Each statement is a round
trip on PostgreSQL, so the runner's own part is a fixed few, however many views:
one read of the page with the lowest position, one lock of the positions, one move
of every position, and no empty read to find the log's end.
Every test runs on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from community import Community
from tests.integration.network import build_network, quiet_community


@pytest.fixture
def quiet(database_url: str) -> Iterator[Community]:
    app = quiet_community(database_url)
    yield app
    app.close()


def statements_of(app: Community, work: Any) -> list[str]:
    """The SQL statements the database was sent while ``work()`` ran."""
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(app.engine, "before_cursor_execute", note)
    try:
        work()
    finally:
        event.remove(app.engine, "before_cursor_execute", note)
    return sent


def test_catching_up_one_command_reads_the_log_once_and_moves_every_position_at_once(
        quiet: Community) -> None:
    net = build_network(quiet)
    quiet.views.catch_up()
    quiet.make_contact(by=net.nurse, from_member_id=net.nurse, to_member_id=net.other_nurse,
                       topic="Nurse-led follow-up clinic")

    sent = statements_of(quiet, quiet.views.catch_up)

    log_reads = [s for s in sent if "FROM community_events" in s]
    position_writes = [s for s in sent if s.startswith("UPDATE view_positions")]
    position_statements = [s for s in sent if "view_positions" in s]
    assert len(log_reads) == 1
    # SQLite takes its write lock with a no-op update; PostgreSQL with FOR UPDATE.
    assert len(position_writes) == (2 if quiet.engine.dialect.name == "sqlite" else 1)
    assert len(position_statements) == 3
    latest = quiet.recorder.max_notification_id()
    assert set(quiet.views.positions().values()) == {latest}
    assert [c["topic"] for c in quiet.views.network.contacts_of(str(net.nurse))] == [
        "Nurse-led follow-up clinic"]


def test_catching_up_with_nothing_new_reads_once_and_writes_nothing(quiet: Community) -> None:
    build_network(quiet)
    quiet.views.catch_up()

    sent = statements_of(quiet, quiet.views.catch_up)

    assert len(sent) == 1 and "FROM community_events" in sent[0]


def test_catching_up_a_change_that_counts_no_activity_leaves_the_sustainability_roll_ups_alone(
        quiet: Community) -> None:
    net = build_network(quiet)
    quiet.views.catch_up()
    quiet.record_audit(net.north, year=2012, results={"cns_seen": 70.0})

    audit_sent = statements_of(quiet, quiet.views.catch_up)

    quiet.make_contact(by=net.nurse, from_member_id=net.nurse, to_member_id=net.other_nurse,
                       topic="Nurse-led follow-up clinic")
    contact_sent = statements_of(quiet, quiet.views.catch_up)
    assert not [s for s in audit_sent if "sustainability_" in s]
    # A contact is activity: its month is added to the roll-ups.
    assert [s for s in contact_sent if "INTO sustainability_kind_months" in s]
