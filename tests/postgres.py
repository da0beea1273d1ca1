"""A throwaway PostgreSQL server for the tests, started from Debian's binaries.

initdb and pg_ctl refuse to run as root, so when the tests run as root the
server runs as the ``postgres`` user, in a temporary folder it owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> dict[str, Any]:
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres"}


@contextmanager
def running_server() -> Iterator[str]:
    """Start a server on a free loopback port; yield its SQLAlchemy URL; stop it."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL binaries not found (apt-get install postgresql)")
    folder = tempfile.mkdtemp(prefix="community-pg-")
    user = _as_server_user()
    if user:
        shutil.chown(folder, "postgres", "postgres")
    data = os.path.join(folder, "data")
    port = _free_port()
    run: dict[str, Any] = {"check": True, "capture_output": True, **user}
    subprocess.run([f"{bin_dir}/initdb", "-D", data, "-A", "trust", "-E", "UTF8",
                    "-U", "postgres", "--no-sync"], **run)
    subprocess.run([f"{bin_dir}/pg_ctl", "-D", data, "-l", os.path.join(folder, "log"), "-w",
                    "-o", f"-F -c synchronous_commit=off -c listen_addresses=127.0.0.1 "
                          f"-p {port} -k {folder}", "start"], **run)
    try:
        _wait_for(port)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
                       capture_output=True, **user)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"PostgreSQL did not start on port {port}")


def fresh_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new database on the server, so each test starts clean: empty, or a copy of
    ``template`` (a database nobody is connected to)."""
    import psycopg

    dsn = server_url.replace("postgresql+psycopg://", "postgresql://")
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
