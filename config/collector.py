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

A rebuild (`community rebuild`) also collects its youngest generation less often:
once 50,000 more objects have been made than freed, not 700. Nearly everything a
page of events makes is freed by reference counting as soon as it is done with, so
those collections found next to nothing. Rebuilding the 34k national store (one run
each, events/s): 8,379 as Python starts; 9,031 frozen; 9,552 frozen and collected
less often; 9,704 with no collector at all. Peak memory went from 124 to 126 MiB.
Serving processes keep Python's 700: each of their collections is a pause for every
thread, and fewer, larger ones (up to 50,000 objects, and ten times that in the
next generation) put the pauses into the slowest requests; under load (one run
each) their CPU per write did not fall either: a value on SQLite 5.7 → 6.7 ms of the
server's CPU, on PostgreSQL 7.7 → 8.0.
"""

from __future__ import annotations

import gc

BATCH_YOUNGEST_EVERY = 50_000  # Python's own default is 700


def settle_after_start() -> None:
    """Call once a process has loaded what it serves with, before it serves.
    Collect first, so start-up's own garbage is freed rather than kept forever."""
    gc.collect()
    gc.freeze()


def settle_for_batch_work() -> None:
    """Call once a batch process (a rebuild) has loaded what it works with: as
    ``settle_after_start``, and its youngest objects collected less often."""
    settle_after_start()
    gc.set_threshold(BATCH_YOUNGEST_EVERY, *gc.get_threshold()[1:])
