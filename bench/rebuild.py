"""How close is rebuilding every view to the speed of just reading the log?

Baseline: read every notification and deserialise it into a domain event
(select + decode), the least any rebuild must do. Measured: ``views.rebuild()``
(the same reading, plus applying each event to every view and writing rows).
Both run several times on the same store in the same process; medians are
reported, and the figure to quote is the ratio.

    python -m bench.rebuild [--runs 5] [--extra 20000] [--database-url URL]
    python -m bench.rebuild --existing --database-url URL   # e.g. after `community synth`

It also prints the process's peak resident memory: the rebuild keeps a page
and bounded lookups in memory, so this should hardly grow with the log
(compare a store ten times larger).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from random import Random

from community import Community
from community.demo import load_demo
from config import Settings
from domain.contact import Contact


def read_log(app: Community, batch: int = 1000) -> int:
    count, start = 0, 0
    while notes := app.recorder.select_notifications(start=start, limit=batch,
                                                     inclusive_of_start=False):
        for note in notes:
            app.mapper.to_domain_event(note)
        count += len(notes)
        start = notes[-1].id
    return count


def add_contacts(app: Community, how_many: int, seed: int = 7) -> None:
    """Pad the log with contacts between demo members, to see the rate at scale."""
    rng = Random(seed)
    members = [m["id"] for m in app.views.directory.members(limit=10_000)[0]]
    batch = []
    for i in range(how_many):
        a, b = rng.sample(members, 2)
        batch.append(Contact.make(from_member_id=a, to_member_id=b, topic="benchmark",
                                  facilitated=False,
                                  made_on=date(2012, 4, 1) + timedelta(days=i % 500)))
        if len(batch) == 500:
            app.save(*batch)
            batch = []
    if batch:
        app.save(*batch)


def timed(work: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    count = work()
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--extra", type=int, default=20_000,
                        help="synthetic contacts added after the demo")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--existing", action="store_true",
                        help="measure the store at --database-url as it is, loading nothing")
    args = parser.parse_args()
    if args.existing and not args.database_url:
        parser.error("--existing needs --database-url")
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = Community(Settings(database_url=url, catch_up_after_commands=False))
    if not args.existing:
        load_demo(app)
        app.views.catch_up()
        add_contacts(app, args.extra)
    print(f"store: {url.split('://')[0]}, events: {app.recorder.max_notification_id()}")

    reads, rebuilds = [], []
    for _ in range(args.runs):
        seconds, count = timed(lambda: read_log(app))
        reads.append(count / seconds)
        seconds, count = timed(lambda: app.views.rebuild())
        rebuilds.append(count / seconds)
    read_rate, rebuild_rate = statistics.median(reads), statistics.median(rebuilds)
    print(f"raw read (select + deserialise): {read_rate:>10,.0f} events/s (median of {args.runs})")
    print(f"rebuild all views:               {rebuild_rate:>10,.0f} events/s (median of {args.runs})")
    print(f"rebuild / raw read ratio:        {rebuild_rate / read_rate:>10.2f}")
    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory:            {peak:>10,.0f} MiB")


if __name__ == "__main__":
    main()
