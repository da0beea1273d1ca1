"""A doorbell for the projection worker on SQLite: a web process rings it after saving
a change, so the worker applies the change at once instead of at its next poll.

On PostgreSQL the insert itself wakes the worker (LISTEN/NOTIFY). SQLite has
nothing like it, so the worker polls every 10 ms, and every command waiting for
its views (read-your-writes) waited half a poll on average before the worker even
looked: a command with the worker ran at 0.20 of a bare save, against 0.55 when it
caught the views up itself (``bench.read_your_writes``).

The bell is a Unix datagram socket in Linux's abstract namespace, named after the
store's file: no file to leave behind, no limit on the store's path, and only the
worker holding the lock binds it. Ringing when no worker listens is a send that
fails, and is ignored. The worker still polls, so a ring that never arrives
(another system, a writer that does not ring, like a one-off CLI command) costs
no more than before. An abstract socket has no file permissions: anyone on the
machine could ring it (a wasted look at the log) or take its name first (the
worker then only polls), and nothing else; the datagram carries no data.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import select
import socket
import sys
import threading

from sqlalchemy import Engine


def address(engine: Engine) -> bytes | None:
    """The bell's name for this store; None where there is none (not SQLite, a store
    in memory, a system without abstract sockets)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    if not sys.platform.startswith("linux"):
        return None
    named = hashlib.sha1(os.path.realpath(database).encode()).hexdigest()
    return b"\0clinical-community-views-" + named.encode()


class Doorbell:
    """The web processes' side: ``ring`` after a change is saved."""

    def __init__(self, engine: Engine) -> None:
        self.address = address(engine)
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()

    def ring(self) -> None:
        if self.address is None:
            return
        with self._lock:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._socket.setblocking(False)
            # No worker listening, or its queue full (so it is awake anyway): no matter.
            with contextlib.suppress(OSError):
                self._socket.sendto(b"!", self.address)

    def close(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None


class Listening:
    """The worker's side: ``wait`` returns when rung or after ``timeout`` seconds."""

    def __init__(self, name: bytes) -> None:
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self._socket.bind(name)
        except OSError:
            self._socket.close()
            raise
        self._socket.setblocking(False)

    @classmethod
    def open(cls, engine: Engine) -> Listening | None:
        """Listen for this store's bell; None when it has none or it cannot be bound
        (then the worker only polls, as it always could)."""
        name = address(engine)
        if name is None:
            return None
        try:
            return cls(name)
        except OSError:
            return None

    def wait(self, timeout: float) -> bool:
        ready, _, _ = select.select([self._socket], [], [], timeout)
        if not ready:
            return False
        # Every ring so far: one catch-up applies all of their changes.
        with contextlib.suppress(BlockingIOError):
            while self._socket.recv(64):
                pass
        return True

    def close(self) -> None:
        self._socket.close()
