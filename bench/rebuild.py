"""How close is rebuilding every view to the speed of just reading the log?

Baseline: read every notification and deserialise it into a domain event
(select + decode), in one process. Measured: what ``community rebuild`` does,
``views.rebuild(split=True)``: the same reading (each process decodes only the
events its views apply), plus applying each event to every view and writing rows,
with about half the views in a second process when it may use two CPUs
(projections/split_rebuild.py; on SQLite and on PostgreSQL). Both run several times on the same store; medians
are reported, and the figure to quote is the ratio. The CPU rates count both
processes' CPU.

    python -m bench.rebuild [--runs 5] [--extra 20000] [--database-url URL]
    python -m bench.rebuild --existing --database-url URL   # e.g. after `community synth`
    python -m bench.rebuild --existing --database-url URL --json   # one JSON line

It also prints the peak resident memory of the larger of the two processes:
the rebuild keeps a page and bounded lookups in memory, so this should hardly
grow with the log (compare a store ten times larger).

Other benchmarks (``bench.load``) get the figures with ``national(url)``: it runs
this module in a process of its own, so the peak memory is the rebuild's alone,
and returns ``Figures``, whose ``lines()`` print as this module does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from random import Random

from community import Community
from community.demo import load_demo
from config import Settings
from config.collector import settle_for_batch_work
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


def cpu_timed(work: Callable[[], int]) -> tuple[float, float, int]:
    """Wall and CPU seconds (this process's and its ended children's: a split
    rebuild's second process), and the count: on a shared machine the CPU rate is
    the steadier figure (others' work does not stretch it)."""
    started, cpu = time.perf_counter(), _cpu_with_children()
    count = work()
    return time.perf_counter() - started, _cpu_with_children() - cpu, count


def _cpu_with_children() -> float:
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class Figures:
    """One store's rebuild against its raw read (medians of ``runs``)."""

    store: str  # "sqlite" or "postgresql"
    events: int
    runs: int
    read_rate: float  # events/s, select + deserialise
    rebuild_rate: float  # events/s, every view from nothing
    peak_mib: float  # peak resident memory of the larger of the rebuild's processes
    read_cpu_rate: float = 0.0  # the same, per second of this process's CPU
    rebuild_cpu_rate: float = 0.0
    # CPU microseconds per event in each view ("read": reading and decoding the log,
    # "commit": ending each page's transaction), from the last run: a view whose
    # figure grows between a small and a large store has work that grows with the log.
    cpu_us_per_event: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.rebuild_rate / self.read_rate if self.read_rate else 0.0

    @property
    def rebuild_seconds(self) -> float:
        return self.events / self.rebuild_rate if self.rebuild_rate else 0.0

    def lines(self) -> list[str]:
        runs = f"(median of {self.runs})"
        return [f"store: {self.store}, events: {self.events:,}",
                f"raw read (select + deserialise): {self.read_rate:>10,.0f} events/s {runs}",
                f"rebuild all views:               {self.rebuild_rate:>10,.0f} events/s {runs}"
                f", {self.rebuild_seconds:,.1f} s",
                f"rebuild / raw read ratio:        {self.ratio:>10.2f}",
                f"the same per CPU second:          {self.rebuild_cpu_rate:>10,.0f} / "
                f"{self.read_cpu_rate:,.0f} events/s = "
                f"{self.rebuild_cpu_rate / max(self.read_cpu_rate, 1e-9):.2f}",
                f"peak resident memory:            {self.peak_mib:>10,.0f} MiB",
                "CPU per event (µs), last run:",
                *(f"  {name:<24} {us:>8.1f}" for name, us in
                  sorted(self.cpu_us_per_event.items(), key=lambda kv: -kv[1]))]


def measure(app: Community, store: str, runs: int) -> Figures:
    reads, rebuilds, read_cpu, rebuild_cpu = [], [], [], []
    events = 0
    per_view: dict[str, float] = {}
    for _ in range(runs):
        seconds, cpu, events = cpu_timed(lambda: read_log(app))
        reads.append(events / seconds)
        read_cpu.append(events / max(cpu, 1e-9))
        per_view = app.views.cpu_by_view = {}
        seconds, cpu, count = cpu_timed(lambda: app.views.rebuild(split=True))
        app.views.cpu_by_view = None
        rebuilds.append(count / seconds)
        rebuild_cpu.append(count / max(cpu, 1e-9))
    # ru_maxrss is in KiB on Linux; for children, the largest one's.
    peak = max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return Figures(store, events, runs, statistics.median(reads), statistics.median(rebuilds),
                   peak, statistics.median(read_cpu), statistics.median(rebuild_cpu),
                   {name: round(seconds * 1e6 / max(events, 1), 1)
                    for name, seconds in per_view.items()})


def national(database_url: str, runs: int = 1, env: dict[str, str] | None = None) -> Figures:
    """The rebuild figures of an existing store (e.g. the load benchmark's national
    community), measured in a fresh process so its peak memory is the rebuild's own.
    Raises CalledProcessError, with the child's error output, when it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.rebuild", "--existing", "--json", "--runs", str(runs),
         "--database-url", database_url],
        env={**os.environ, **(env or {})}, capture_output=True, text=True, check=True)
    return Figures(**json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--extra", type=int, default=20_000,
                        help="synthetic contacts added after the demo")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--existing", action="store_true",
                        help="measure the store at --database-url as it is, loading nothing")
    parser.add_argument("--json", action="store_true",
                        help="print the figures as one JSON object (for bench.load)")
    args = parser.parse_args()
    if args.existing and not args.database_url:
        parser.error("--existing needs --database-url")
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = Community(Settings(database_url=url, catch_up_after_commands=False))
    if not args.existing:
        load_demo(app)
        app.views.catch_up()
        add_contacts(app, args.extra)
    settle_for_batch_work()  # as `community rebuild` does, for the read and the rebuild alike
    found = measure(app, url.split("://")[0].split("+")[0], args.runs)
    app.close()
    print(json.dumps(asdict(found)) if args.json else "\n".join(found.lines()))


if __name__ == "__main__":
    main()
