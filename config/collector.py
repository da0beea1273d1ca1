"""Long-running processes keep what they made while starting out of the garbage
collector's way.

Python's cyclic collector now and then walks every object it tracks, holding the
GIL: every thread of the process waits. A web process holds about 310,000 such
objects once the app is loaded (modules, SQLAlchemy's tables and compiled
statements, Jinja's templates), almost none of them ever garbage. Walking them
took 165 ms of every full collection, a pause for all eight threads of a gunicorn
worker at once (issue 14). ``gc.freeze()`` moves them to a generation the
collector never walks (a full collection then took 24 ms); reference counting
still frees them as before. The Python documentation recommends it for processes
like these (``gc.freeze``).
"""

from __future__ import annotations

import gc


def settle_after_start() -> None:
    """Call once a process has loaded what it serves with, before it serves.
    Collect first, so start-up's own garbage is freed rather than kept forever."""
    gc.collect()
    gc.freeze()
