"""The projection worker's doorbell and its answer: a web process rings after saving a
change, and the worker answers once its views have reached the change, so the request
waiting for them (read-your-writes) goes on at once instead of at its next look.

The ring also wakes the worker on SQLite, which has no notifications: the worker
polled every 10 ms, and every command waiting for its views waited half a poll on
average before the worker even looked (a command with the worker ran at 0.20 of a
bare save, against 0.55 when it caught the views up itself: ``bench.read_your_writes``).
On PostgreSQL the insert itself wakes the worker (LISTEN/NOTIFY). With the ring alone,
the waiting request still read the views' positions after 1, 3, 7, 17… ms, and the
worker's page of one event, about 1.3 ms on SQLite, ended between two reads: 0.47 of a
bare save. With the answer: 0.52 to 0.55.

The bell is a Unix datagram socket in Linux's abstract namespace, named after the
store (the SQLite file; the PostgreSQL server's host, port and database as the URL
names them): no file to leave behind, and only the worker holding the lock binds it.
A ring carries the position the ringer waits for and comes from the ringing thread's
own socket (autobound, so the kernel names it); the worker answers each ringer with
the position its views have reached, once that is at or past the one asked for.
Ringing when no worker listens on this machine (it runs on another, or not at all) is
a send that fails: the ringer then reads the positions as before. The worker and the
waiting requests still look at the store besides, so a ring or an answer that never
arrives (a writer that does not ring, like a one-off CLI command) costs little more
than before. An abstract socket has no file permissions: anyone on the machine could
ring (a wasted look at the log) or take the bell's name first (the worker then only
polls, and the taker could answer for it: a request would go on before its views had
its change), and nothing else; an answer is believed only from the bell's name.
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

# The most ringers the worker keeps waiting for a position it has not reached: a
# real one is answered within a page or two, so more is someone ringing for nothing.
MOST_WAITING = 10_000


def address(engine: Engine) -> bytes | None:
    """The bell's name for this store; None where there is none (a store in memory, a
    system without abstract sockets)."""
    url = engine.url
    if not sys.platform.startswith("linux") or not url.database or url.database == ":memory:":
        return None
    if engine.dialect.name == "sqlite":
        store = os.path.realpath(url.database)
    else:
        # The server's database, as this machine's processes name it (the same
        # URL in the environment): processes on other machines never share a name.
        store = f"{engine.dialect.name}://{url.host or ''}:{url.port or ''}/{url.database}"
    named = hashlib.sha1(store.encode()).hexdigest()
    return b"\0clinical-community-views-" + named.encode()


def _datagram_socket(name: bytes | str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        sock.bind(name)  # "" autobinds: the kernel picks a free abstract name
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class Doorbell:
    """The web processes' side: ``ring`` after a change is saved, then ``wait`` for
    the worker's answer. Each thread rings from a socket of its own, so the answer
    reaches the request that waits for it."""

    def __init__(self, engine: Engine) -> None:
        self.address = address(engine)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def _socket(self) -> socket.socket:
        # Keyed by the process too: a socket made before a fork is the parent's.
        mine: tuple[int, socket.socket] | None = getattr(self._local, "socket", None)
        if mine is None or mine[0] != os.getpid():
            mine = (os.getpid(), _datagram_socket(""))
            self._local.socket = mine
            with self._lock:
                self._sockets.append(mine[1])
        return mine[1]

    def ring(self, position: int = 0) -> bool:
        """Wake the worker, asking to hear when its views reach ``position``;
        False when no worker listens (or none can be asked), so nobody will answer."""
        if self.address is None:
            return False
        try:
            self._socket().sendto(str(position).encode(), self.address)
        except OSError:
            return False  # no worker listening, or its queue full: it polls anyway
        return True

    def wait(self, position: int, timeout: float) -> bool:
        """Whether the worker answered, within ``timeout`` seconds, that its views
        reached ``position`` (answers to this thread's earlier rings that are behind
        it are passed over)."""
        sock = self._socket()
        if not select.select([sock], [], [], timeout)[0]:
            return False
        answered = False
        with contextlib.suppress(BlockingIOError):
            while True:
                data, sender = sock.recvfrom(32)
                # Only the worker holds the bell's name: an answer from elsewhere is no answer.
                answered = answered or (sender == self.address and data.isdigit()
                                        and int(data) >= position)
        return answered

    def close(self) -> None:
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()
        self._local = threading.local()


class Listening:
    """The worker's side: ``wait`` returns when rung or after ``timeout`` seconds;
    ``answer`` tells each ringer whose change the views have reached."""

    def __init__(self, name: bytes) -> None:
        self._socket = _datagram_socket(name)
        self._waiting: dict[str | bytes, int] = {}  # ringer: the position it waits for

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

    @property
    def waiting(self) -> bool:
        """Whether someone rang and has not been answered yet."""
        return bool(self._waiting)

    def wait(self, timeout: float) -> bool:
        """Whether anyone rang, within ``timeout`` seconds (0: has anyone rung?)."""
        if not select.select([self._socket], [], [], timeout)[0]:
            return False
        # Every ring so far: one catch-up applies all of their changes.
        with contextlib.suppress(BlockingIOError):
            while True:
                data, ringer = self._socket.recvfrom(32)
                if ringer and data.isdigit():
                    self._waiting[ringer] = max(int(data), self._waiting.get(ringer, 0))
        if len(self._waiting) > MOST_WAITING:
            self._waiting.clear()
        return True

    def answer(self, reached: int) -> None:
        """Tell every ringer waiting for ``reached`` or before that the views are there."""
        told = str(reached).encode()
        for ringer, position in list(self._waiting.items()):
            if position <= reached:
                del self._waiting[ringer]
                # Gone (its process ended) or its queue full: it polls anyway.
                with contextlib.suppress(OSError):
                    self._socket.sendto(told, ringer)

    def close(self) -> None:
        self._socket.close()
