"""The SQLite store on disk (issue 13): it holds every member's name, e-mail and
password hash, so only the account that runs the app may read it.

SQLite only, by nature: a PostgreSQL store is no file of ours (the server keeps its
own files, and who may connect is the server's configuration, not the app's)."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.conftest import make_community


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    app = make_community(f"sqlite:///{instance / 'community.sqlite'}")
    try:
        app.join(email="olive.organiser@example.org", name="Olive Organiser", role="organiser",
                 is_organiser=True, password="correct horse battery")
    finally:
        app.close()

    assert mode(instance) == 0o700
    assert mode(instance / "community.sqlite") == 0o600
    for companion in instance.glob("community.sqlite-*"):  # the WAL and its index
        assert mode(companion) & 0o077 == 0, companion.name


def test_an_existing_folder_keeps_its_mode_but_the_file_is_still_private(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    make_community(f"sqlite:///{shared / 'community.sqlite'}").close()

    assert mode(shared) == 0o755  # not ours to change
    assert mode(shared / "community.sqlite") == 0o600
