"""What does read-your-writes cost a command? (issue 14: at least 50% of a bare save.)

Records the same contacts, one command at a time, three ways on one store, in one run:

- bare: the command's ``save`` alone, views not touched (the baseline);
- inline: the command then catches every view up itself (tests, one-off CLI);
- worker: a ``community worker`` process applies the events and the command waits
  until the views reach its change (``COMMUNITY_VIEWS_WORKER=1``, production).

Prints commands/s for each and the ratio to bare, medians of ``--runs``.

    python -m bench.read_your_writes --database-url sqlite:////tmp/national-34k-copy.sqlite
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from community import Community
from community.worker import lags
from config import Settings
from projections.directory import members

ROOT = Path(__file__).resolve().parent.parent


def two_members(app: Community) -> tuple[str, str]:
    with app.engine.connect() as conn:
        found = [str(m) for m in conn.scalars(select(members.c.id).limit(2))]
    return found[0], found[1]


def record(app: Community, count: int, label: str) -> float:
    """Commands per second for ``count`` contacts made one at a time."""
    sender, receiver = two_members(app)
    started = time.perf_counter()
    for n in range(count):
        app.make_contact(by=None, from_member_id=sender, to_member_id=receiver,
                         topic=f"{label} {n}")
    return count / (time.perf_counter() - started)


def caught_up(app: Community, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while max(lags(app.views).values(), default=0) and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True,
                        help="a store with members (e.g. a copy of the national one)")
    parser.add_argument("--count", type=int, default=200, help="commands per run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    settings = Settings(database_url=args.database_url, secret_key="bench")
    app = Community(settings)
    app.views.catch_up()
    modes = {
        "bare": replace(settings, catch_up_after_commands=False),
        "inline": settings,
        "worker": replace(settings, views_worker=True, views_wait_seconds=60),
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMMUNITY_DATABASE_URL": args.database_url,
           "COMMUNITY_SECRET_KEY": "bench", "COMMUNITY_LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen([sys.executable, "-m", "community.cli", "worker"], env=env)
    rates: dict[str, list[float]] = {mode: [] for mode in modes}
    try:
        for run in range(args.runs):
            for mode, chosen in modes.items():
                app.settings = chosen
                rates[mode].append(record(app, args.count, f"{mode} run {run}"))
                caught_up(app)  # the next mode starts with the views at the log's end
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        app.close()
    bare = statistics.median(rates["bare"])
    print(f"{args.count} contacts a run, {args.runs} runs, {app.engine.dialect.name}; medians:")
    for mode, found in rates.items():
        rate = statistics.median(found)
        print(f"  {mode:<7} {rate:8.1f} commands/s   {rate / bare:5.2f} of bare")


if __name__ == "__main__":
    main()
