"""A standby projection worker, waiting on the lock, stops cleanly when told to.

The README's production steps say a second worker started by mistake waits for the
lock; stopping it (Ctrl+C, or systemd's SIGTERM) once printed a multi-line traceback
("generator didn't yield") instead of stopping, and exited with an error.
"""

from __future__ import annotations

import threading

from community.worker import follow, worker_lock
from tests.conftest import make_community


def test_a_worker_waiting_for_the_lock_stops_cleanly_when_told_to(database_url: str) -> None:
    app = make_community(database_url)
    holding, standby_stop = threading.Event(), threading.Event()
    outcome: list[BaseException | None] = []

    def standby() -> None:
        try:
            follow(app, standby_stop, idle_poll=0.01)
            outcome.append(None)
        except BaseException as error:  # the test reports it, whatever it is
            outcome.append(error)

    try:
        with worker_lock(app.engine, holding):
            thread = threading.Thread(target=standby)
            thread.start()
            thread.join(timeout=1.5)  # it waits on the lock...
            assert thread.is_alive()
            standby_stop.set()  # ...until told to stop
            thread.join(timeout=10)
        assert not thread.is_alive()
        assert outcome == [None]
    finally:
        standby_stop.set()
        app.close()
