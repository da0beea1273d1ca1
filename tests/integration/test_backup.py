"""Export then restore: the log and documents come back whole, the views rebuilt from
them equal the originals, and a changed file or a store with data is refused with
nothing written. Every test runs on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest

from community import Community
from community.backup import BackupRefused, export_log, restore_log
from tests.conftest import another_store, make_community
from tests.integration.network import add_activity, add_crowd, build_network
from tests.integration.snapshots import view_tables

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def empty(database_url: str, request: pytest.FixtureRequest,
          tmp_path: Path) -> Iterator[Community]:
    """A second, empty store of the same kind to restore into."""
    restored = make_community(another_store(database_url, request, tmp_path, "restored"))
    yield restored
    restored.close()


def lived_in(app: Community) -> UUID:
    """Teams, members, contacts, a workshop, a shared QIP with values, and a document."""
    net = build_network(app)
    add_crowd(app, net, members=6, contacts=10)
    qip = add_activity(app, net)
    app.attach_document(qip, by=net.nurse, filename="Business case.pdf", data=PDF,
                        kind="business_case", title="Business case 2013")
    return qip


def exported(app: Community) -> str:
    out = io.StringIO()
    export_log(app, out)
    return out.getvalue()


def opener(text: str) -> Callable[[], io.StringIO]:
    return lambda: io.StringIO(text)


def test_a_restore_gives_the_same_log_documents_and_views(app: Community,
                                                           empty: Community) -> None:
    qip = lived_in(app)
    text = exported(app)

    summary = restore_log(empty, opener(text))

    assert summary.events == app.recorder.max_notification_id()
    original = app.recorder.select_notifications(start=None, limit=10_000)
    restored = empty.recorder.select_notifications(start=None, limit=10_000)
    assert [(n.originator_id, n.originator_version, n.topic, n.state) for n in restored] == \
        [(n.originator_id, n.originator_version, n.topic, n.state) for n in original]
    [document] = app.qip(qip).documents
    assert empty.documents.get(document["sha256"]) == PDF
    assert view_tables(empty) == view_tables(app)


def test_a_changed_file_is_refused_and_nothing_is_written(app: Community,
                                                          empty: Community) -> None:
    lived_in(app)
    text = exported(app).replace("Northshire lung cancer MDT", "Northshire MDT")

    with pytest.raises(BackupRefused, match="checksum"):
        restore_log(empty, opener(text))

    assert empty.recorder.max_notification_id() is None


def test_a_file_cut_short_is_refused(app: Community, empty: Community) -> None:
    lived_in(app)
    lines = exported(app).splitlines(keepends=True)

    with pytest.raises(BackupRefused, match="cut short"):
        restore_log(empty, opener("".join(lines[:-5])))

    assert empty.recorder.max_notification_id() is None


def test_a_restore_into_a_store_with_data_is_refused(app: Community, empty: Community) -> None:
    lived_in(app)
    text = exported(app)
    build_network(empty)
    before = empty.recorder.max_notification_id()

    with pytest.raises(BackupRefused, match="not empty"):
        restore_log(empty, opener(text))

    assert empty.recorder.max_notification_id() == before


def test_the_export_ends_with_its_count_and_checksum(app: Community) -> None:
    lived_in(app)
    *body, end = exported(app).splitlines()

    summary = json.loads(end)["end"]
    assert summary["events"] == app.recorder.max_notification_id()
    assert summary["documents"] == 1
    assert summary["checksum"].startswith("sha256:")
    assert json.loads(body[0])["format"] == "clinical-community-log/1"


def test_the_commands_export_then_restore_and_refuse_a_changed_file(
        database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from community.cli import main

    source = make_community(database_url)
    lived_in(source)
    source.close()
    file = tmp_path / "backup.jsonl"
    runner = CliRunner()

    made = runner.invoke(main, ["export", str(file)], env={"COMMUNITY_DATABASE_URL": database_url})
    again = runner.invoke(main, ["export", str(file)], env={"COMMUNITY_DATABASE_URL": database_url})
    changed = tmp_path / "changed.jsonl"
    changed.write_text(file.read_text().replace("Northshire lung cancer MDT", "Northshire MDT"))
    into = {"COMMUNITY_DATABASE_URL": another_store(database_url, request, tmp_path, "into")}
    refused = runner.invoke(main, ["restore", str(changed)], env=into)
    restored = runner.invoke(main, ["restore", str(file)], env=into)

    assert made.exit_code == 0 and "Exported" in made.output
    assert file.stat().st_mode & 0o777 == 0o600
    assert again.exit_code == 1 and "never overwrites" in again.output
    assert refused.exit_code == 1 and "nothing restored" in refused.output
    assert restored.exit_code == 0 and "the views are rebuilt" in restored.output
