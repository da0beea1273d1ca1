"""A store made by an older version: views whose tables lack new columns, or that
lack a new table, are rebuilt when the application opens it, so pulling new code
never breaks a page."""

from __future__ import annotations

from sqlalchemy import inspect, text

from community import Community
from tests.conftest import make_community
from tests.integration.network import build_network, draft_ready_qip


def test_a_view_missing_a_column_is_replayed_when_the_store_is_opened(app: Community,
                                                                      database_url: str) -> None:
    net = build_network(app)
    qip = draft_ready_qip(app, net.nurse)
    with app.views.engine.begin() as conn:  # what an older version's table looked like
        conn.execute(text("ALTER TABLE library_qips DROP COLUMN enablers"))

    reopened = make_community(database_url)
    try:
        found = reopened.views.library.qip(str(qip), viewer_team_id=str(net.north))
        untouched = reopened.views.positions()
    finally:
        reopened.close()

    assert found is not None and found["enablers"] == "" and found["title"]
    assert len(set(untouched.values())) == 1  # every view caught up to the same event


def test_an_index_missing_from_a_kept_table_is_added_when_the_store_is_opened(
        app: Community, database_url: str) -> None:
    build_network(app)
    postgresql = app.views.engine.dialect.name == "postgresql"
    with app.views.engine.begin() as conn:  # a store made before the indexes were declared
        conn.execute(text("DROP INDEX sustainability_participants_by_team"))
        if postgresql:  # names as words, none dropped (PostgreSQL only)
            conn.execute(text("DROP INDEX search_documents_names"))
    before = app.views.positions()

    reopened = make_community(database_url)
    try:
        found = inspect(reopened.views.engine)
        participants = {index["name"] for index in found.get_indexes("sustainability_participants")}
        documents = {index["name"] for index in found.get_indexes("search_documents")}
        after = reopened.views.positions()
    finally:
        reopened.close()

    assert "sustainability_participants_by_team" in participants
    assert ("search_documents_names" in documents) is postgresql
    assert after == before  # an index alone replays nothing


def test_view_positions_without_change_marks_get_them_and_replay_nothing(
        app: Community, database_url: str) -> None:
    net = build_network(app)
    before = app.views.positions()
    with app.views.engine.begin() as conn:  # a store made before views noted their changes
        conn.execute(text("ALTER TABLE view_positions DROP COLUMN changed"))
        conn.execute(text("ALTER TABLE view_positions DROP COLUMN rebuilt"))

    reopened = make_community(database_url)
    try:
        after = reopened.views.changes()
        # Another process opening the same old store added them first: no error.
        for name in ("changed", "rebuilt"):
            reopened.views._add_column(name)
        reopened.make_contact(by=net.nurse, to_member_id=net.other_nurse, topic="upgrading")
        moved = reopened.views.changes()
    finally:
        reopened.close()

    assert {view: at for view, (at, _, _) in after.items()} == before  # nothing replayed
    assert {(changed, rebuilt) for _, changed, rebuilt in after.values()} == {(0, 0)}
    # The contact changed the network, and left the library as it was.
    assert moved["network"][1] == moved["network"][0] > 0 and moved["library"][1] == 0


def test_a_view_missing_a_table_is_replayed_when_the_store_is_opened(app: Community,
                                                                     database_url: str) -> None:
    net = build_network(app)
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[])
    with app.views.engine.begin() as conn:  # a store made before follows were periods
        conn.execute(text("DROP TABLE notification_follow_topics"))

    reopened = make_community(database_url)
    try:
        follows = reopened.views.notifications.follows_of(str(net.other_nurse))
        untouched = reopened.views.positions()
    finally:
        reopened.close()

    assert follows == (["diagnostics"], [])
    assert len(set(untouched.values())) == 1
