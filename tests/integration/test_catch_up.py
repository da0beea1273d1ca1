"""Each event reaches each view exactly once: when catch-ups race in threads or
processes, when a page fails half way, and when views are rebuilt from the log.
And two people saving the same plan at once cannot both win.
Every test runs on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event

from community import Community
from domain.errors import Conflict
from projections.library import measures, progress, qips
from tests.conftest import make_community
from tests.integration.network import Network, add_activity, add_crowd, build_network, quiet_community
from tests.integration.snapshots import view_tables
from tests.integration.workers import catch_up_together

CROWD, CONTACTS = 12, 30


@pytest.fixture
def quiet(database_url: str) -> Iterator[Community]:
    """Commands only append events: the views catch up when a test says so."""
    app = quiet_community(database_url)
    yield app
    app.close()


def assert_applied_exactly_once(app: Community, team_sizes: dict[UUID, int],
                                contacts: int) -> None:
    latest = app.recorder.max_notification_id()
    assert set(app.views.positions().values()) == {latest}
    shown = {UUID(t["id"]): t["member_count"] for t in app.views.directory.teams()}
    assert shown == team_sizes
    report = app.views.sustainability.report()
    assert report["before"]["contacts"] + report["after"]["contacts"] == contacts
    listed, total = app.views.directory.members(limit=1000)
    assert total == len(listed) == sum(team_sizes.values()) + 1  # and the organiser


def assert_same_as_a_single_catch_up_from_the_start(app: Community,
                                                    without: tuple[str, ...] = ()) -> None:
    raced = view_tables(app, without=without)
    app.views.rebuild()
    assert view_tables(app, without=without) == raced


# --- racing catch-ups --------------------------------------------------------------


def test_two_threads_catching_up_at_once_apply_each_event_once(quiet: Community) -> None:
    net = build_network(quiet)
    team_sizes = add_crowd(quiet, net, members=CROWD, contacts=CONTACTS)
    quiet.views.batch_size = 4  # many small pages, so the two really interleave
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    read: list[int] = []

    def catch_up() -> None:
        try:
            start.wait(timeout=30)
            read.append(quiet.views.catch_up())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=catch_up) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(read) == 2 and max(read) > 0
    assert_applied_exactly_once(quiet, team_sizes, CONTACTS)
    assert_same_as_a_single_catch_up_from_the_start(quiet)


def test_two_processes_catching_up_at_once_apply_each_event_once(
        quiet: Community, database_url: str) -> None:
    net = build_network(quiet)
    team_sizes = add_crowd(quiet, net, members=CROWD, contacts=CONTACTS)
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(2)
    results = spawn.Queue()
    workers = [spawn.Process(target=catch_up_together, args=(database_url, start, 4, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    results.close()
    results.join_thread()

    assert [kind for kind, _ in outcomes] == ["read", "read"], outcomes
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert_applied_exactly_once(quiet, team_sizes, CONTACTS)
    assert_same_as_a_single_catch_up_from_the_start(quiet)


# --- a page that fails half way -------------------------------------------------------


class HandlerFailed(Exception):
    pass


def fail_on(view: Any, notification_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``view`` fail when it reaches one notification, after all before it."""
    apply = view.apply

    def failing(event: Any, conn: Any, n: int) -> None:
        if n == notification_id:
            raise HandlerFailed(f"{view.name} failed on notification {n}")
        apply(event, conn, n)

    monkeypatch.setattr(view, "apply", failing)


@pytest.mark.parametrize("failing_view", ["directory", "library", "sustainability",
                                          "follow_ups"])
def test_a_page_that_fails_half_way_leaves_no_rows_and_is_applied_once_later(
        quiet: Community, failing_view: str, monkeypatch: pytest.MonkeyPatch) -> None:
    net = build_network(quiet)
    quiet.views.catch_up()
    caught_up = view_tables(quiet)
    positions = quiet.views.positions()
    # One page in which every view has rows to write: a member, a QIP, contacts...
    quiet.join(email="pat.path@southmoor.nhs.uk", name="Pat Path", role="pathologist",
               team_id=net.south)
    add_activity(quiet, net)
    last = quiet.recorder.max_notification_id()
    view = next(v for v in quiet.views.all if v.name == failing_view)
    fail_on(view, last, monkeypatch)

    with pytest.raises(HandlerFailed):
        quiet.views.catch_up()

    assert quiet.views.positions() == positions
    assert view_tables(quiet) == caught_up

    monkeypatch.undo()
    assert quiet.views.catch_up() == last - positions[failing_view]

    assert_applied_exactly_once(quiet, {net.north: 2, net.south: 2, net.east: 0}, 4)
    assert quiet.views.follow_ups.unanswered() == 1
    # A PostgreSQL sequence does not roll back: the failed page used up progress row ids.
    assert_same_as_a_single_catch_up_from_the_start(quiet, without=("library_progress.id",))


# --- rebuilding --------------------------------------------------------------------


def busy_community(app: Community) -> Network:
    net = build_network(app)
    qip = add_activity(app, net)
    app.revise_qip(qip, by=net.nurse, measures=[
        {"name": "Seen by a CNS", "baseline": 61, "target": 85},
        {"name": "Days to biopsy", "baseline": 21, "target": 14, "direction": "down"}])
    app.record_progress(qip, by=net.nurse, measure="Days to biopsy", value=18,
                        recorded_on="2012-06-01")
    app.update_profile(net.lead, by=net.lead, role="oncologist", expertise=["trials"],
                       consents_to_contact=False)
    app.define_indicator(key="cns_seen", name="Seen by a CNS", standard=85)
    asked = app.request_follow_up(by=net.nurse, member_id=net.other_nurse, reason="Call",
                                  requested_on="2012-06-02")
    app.answer_follow_up(asked, by=net.other_nurse, message="Tuesday", answered_on="2012-06-03")
    app.close_follow_up(asked, by=net.nurse, closed_on="2012-06-04")
    return net


def test_rebuilding_every_view_gives_exactly_the_rows_built_one_command_at_a_time(
        app: Community) -> None:
    busy_community(app)
    incremental = view_tables(app)
    latest = app.recorder.max_notification_id()

    assert app.views.rebuild() == latest

    assert view_tables(app) == incremental
    assert set(app.views.positions().values()) == {latest}
    assert app.views.catch_up() == 0 and view_tables(app) == incremental


def test_a_rebuild_decodes_only_the_events_some_view_applies(
        app: Community, monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mail index claims (one per member who joins) are read by no view: skipping
    their decoding must not skip the position past them or any event a view needs."""
    busy_community(app)
    incremental = view_tables(app)
    decoded: list[str] = []
    to_domain_event = app.mapper.to_domain_event

    def decode(stored: Any) -> Any:
        decoded.append(stored.topic)
        return to_domain_event(stored)

    monkeypatch.setattr(app.mapper, "to_domain_event", decode)
    latest = app.recorder.max_notification_id()
    stored_topics = [n.topic for n in app.recorder.select_notifications(start=1, limit=latest)]

    assert app.views.rebuild() == latest

    claims = [t for t in stored_topics if t.endswith("EmailIndexEntry.Claimed")]
    assert claims and not any(t.endswith("EmailIndexEntry.Claimed") for t in decoded)
    assert len(decoded) == len(stored_topics) - len(claims)
    assert view_tables(app) == incremental
    assert set(app.views.positions().values()) == {latest}


def test_rebuilding_one_view_replays_only_that_view_and_gives_the_same_rows(
        app: Community, monkeypatch: pytest.MonkeyPatch) -> None:
    busy_community(app)
    incremental = view_tables(app)
    touched: list[str] = []
    for view in app.views.all:
        if view.name != "library":
            monkeypatch.setattr(view, "apply", lambda *_, name=view.name: touched.append(name))

    app.views.rebuild(["library"])

    assert touched == []
    assert view_tables(app) == incremental


def test_a_view_rebuilt_after_its_tables_were_emptied_comes_back_whole(app: Community) -> None:
    busy_community(app)
    incremental = view_tables(app)

    with app.views.engine.begin() as conn:
        for table in (measures, progress, qips):
            conn.execute(table.delete())

    app.views.rebuild(["library"])

    assert view_tables(app) == incremental


def declared_indexes(app: Community) -> dict[str, set[str]]:
    """Each view table's indexes as the code declares them (not the primary keys)."""
    return {table.name: {str(index.name) for index in table.indexes}
            for view in app.views.all for table in view.metadata.sorted_tables}


def indexes_in_store(app: Community) -> dict[str, set[str]]:
    """Of those, the ones the store has (SQLAlchemy's inspector leaves out SQLite's
    indexes on expressions, so the store's catalogue is read as the start-up reads it)."""
    found = app.views._index_names()
    return {table: names & found.get(table, set())
            for table, names in declared_indexes(app).items()}


def busy_with_indexes(app: Community) -> tuple[Any, dict[str, set[str]]]:
    """A busy community's view rows, and its indexes as a store built one command at a
    time has them (some are PostgreSQL's only)."""
    busy_community(app)
    return view_tables(app), indexes_in_store(app)


def test_a_rebuild_writes_with_only_the_indexes_its_views_look_up_by_and_ends_with_all(
        app: Community) -> None:
    incremental, built = busy_with_indexes(app)
    during: list[dict[str, set[str]]] = []

    app.views.rebuild(progress=lambda _: during.append(indexes_in_store(app)))

    looked_up_by = set().union(*(view.replayed_with for view in app.views.all))
    unique = {str(index.name) for view in app.views.all
              for table in view.metadata.sorted_tables for index in table.indexes
              if index.unique}
    assert looked_up_by  # the library's series are read again while replaying
    assert during and all(
        names == built[table] & (looked_up_by | unique)
        for table, names in during[0].items())
    assert indexes_in_store(app) == built
    assert view_tables(app) == incremental


def test_a_rebuild_that_dies_half_way_leaves_the_next_start_to_build_the_indexes(
        app: Community, database_url: str) -> None:
    incremental, built = busy_with_indexes(app)

    def die(_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        app.views.rebuild(progress=die)
    assert indexes_in_store(app) != built

    again = make_community(database_url)
    try:
        again.views.catch_up()
        assert indexes_in_store(again) == built
        assert view_tables(again) == incremental
    finally:
        again.close()


def test_a_rebuild_ends_well_when_a_process_started_meanwhile_built_the_indexes(
        app: Community, database_url: str) -> None:
    incremental, built = busy_with_indexes(app)

    def another_process_starts(_: int) -> None:
        make_community(database_url).close()  # its start builds what the store lacks

    app.views.rebuild(progress=another_process_starts)

    assert indexes_in_store(app) == built
    assert view_tables(app) == incremental


def test_no_view_looks_rows_up_by_an_index_a_replay_builds_only_at_its_end(
        tmp_path: Path) -> None:
    """A handler that found rows by an index only readers were thought to use would
    scan its table for every event of a replay (``View.replayed_with`` names those it
    needs). SQLite's plans for the statements the replay runs, taken while it runs: a
    lookup (a WHERE) finds its rows by an index; reading a whole table, as some views
    do to keep it in memory, is no lookup."""
    app = make_community(f"sqlite:///{tmp_path / 'store.sqlite'}")
    asked: dict[str, Any] = {}
    scans: set[str] = set()

    def note(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if (re.search(r"\bWHERE\b", statement) and not statement.startswith("EXPLAIN")
                and "view_positions" not in statement and "community_events" not in statement):
            asked.setdefault(statement, parameters[0] if executemany else parameters)

    def plan_what_was_asked(_: int) -> None:
        with app.views.engine.connect() as conn:
            for statement, parameters in asked.items():
                for *_, step in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                     parameters):
                    if step.startswith("SCAN") and " INDEX " not in step:
                        scans.add(f"{step}: {statement}")

    try:
        busy_community(app)
        event.listen(app.views.engine, "before_cursor_execute", note)
        app.views.rebuild(progress=plan_what_was_asked)
    finally:
        event.remove(app.views.engine, "before_cursor_execute", note)
        app.close()

    assert asked and scans == set()


def test_a_page_read_before_a_rebuild_is_not_applied_to_the_rebuilt_view(
        quiet: Community, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A web worker reads a page; the command line resets a view for rebuilding; the
    worker then applies its page. Applied to the emptied view, the page would move its
    position past every earlier event, which the rebuild would then never replay."""
    net = build_network(quiet)
    quiet.views.catch_up()
    add_activity(quiet, net)
    worker = quiet_community(database_url)
    rebuild_replay: list[Any] = []
    read_page = worker.views.read_page
    try:
        def read_then_rebuild_elsewhere(limit: int | None = None) -> Any:
            page = read_page(limit)
            if not rebuild_replay:
                with monkeypatch.context() as paused:  # reset now, replay after the worker
                    paused.setattr(quiet.views, "catch_up", rebuild_replay.append)
                    quiet.views.rebuild(["library"])
            return page

        monkeypatch.setattr(worker.views, "read_page", read_then_rebuild_elsewhere)
        worker.views.catch_up()
        monkeypatch.undo()
        quiet.views.catch_up()  # the rebuild's replay, after the worker's page went in

        assert rebuild_replay == [None]
        titles, _ = quiet.views.library.qips(viewer_team_id=None)
        assert [q["team"] for q in titles] == ["Northshire lung cancer MDT"]
        assert_same_as_a_single_catch_up_from_the_start(quiet)
    finally:
        worker.close()


# --- two people saving the same plan at once -----------------------------------------


def test_the_second_of_two_conflicting_saves_is_refused_and_the_first_revision_kept(
        app: Community, database_url: str) -> None:
    net = build_network(app)
    qip_id = app.draft_qip(by=net.nurse, title="CNS at diagnosis", key_area="cns_access")
    elsewhere = make_community(database_url)  # another web worker on the same store
    try:
        mine, theirs = app.qip(qip_id), elsewhere.qip(qip_id)
        mine.revise(title="Nurse at every diagnosis")
        theirs.revise(title="A CNS for every patient")
        app.save(mine)

        with pytest.raises(Conflict):
            elsewhere.save(theirs)

        stored = elsewhere.qip(qip_id)
        assert (stored.title, stored.version) == ("Nurse at every diagnosis", 2)
        assert [type(e).__name__ for e in app.events.get(qip_id)] == ["Drafted", "Revised"]
        shown = elsewhere.views.library.qip(str(qip_id), viewer_team_id=str(net.north))
        assert shown is not None and (shown["title"], shown["version"]) == (
            "Nurse at every diagnosis", 2)

        stored.revise(title="A CNS for every patient")  # reloaded, the change goes in
        elsewhere.save(stored)
        assert app.qip(qip_id).title == "A CNS for every patient"
    finally:
        elsewhere.close()


def test_a_revision_made_to_a_version_someone_else_has_changed_is_refused(
        app: Community) -> None:
    net = build_network(app)
    qip_id = app.draft_qip(by=net.nurse, title="CNS at diagnosis", key_area="cns_access")
    app.revise_qip(qip_id, by=net.lead, version=1, title="Nurse at every diagnosis")

    with pytest.raises(Conflict):
        app.revise_qip(qip_id, by=net.nurse, version=1, title="A CNS for every patient")

    assert app.qip(qip_id).title == "Nurse at every diagnosis"


def test_each_thread_counts_only_the_changes_it_saved(app: Community) -> None:
    """A request reads the views' marks again once it has saved a change itself
    (web.kept_pages), not each time another request of the process saved one."""
    net = build_network(app)
    before = app.saved_here

    elsewhere = threading.Thread(target=lambda: app.make_contact(
        by=net.nurse, to_member_id=net.lead, topic="Saved by another request"))
    elsewhere.start()
    elsewhere.join()
    after_theirs = app.saved_here
    app.make_contact(by=net.nurse, to_member_id=net.lead, topic="Saved by this one")

    assert (after_theirs, app.saved_here) == (before, before + 1)
