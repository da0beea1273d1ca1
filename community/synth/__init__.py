"""A synthetic national community of any size, for benchmarks and for trying the
product at scale: ``community synth`` (and ``bench.directory``, which times the
directory on it).

Default: 156 lung cancer MDTs (every one in England), 3,000 members, 200,000
events over ten years. The first years are the funded programme (activity grows
as members join); after the funding end teams keep going, fade or drop out, so
the monthly activity decays. Every kind of event the app records is in the mix:
members joining and their profiles, audits, pairings and peer-review visits with
feedback, workshops and planned events with registrations and attendance,
contacts (some facilitated), follow-ups and introductions, QIPs drafted, reviewed,
shared, adapted by other teams, with monthly values, corrections, change marks and
endings, sustainability self-assessments, questions and answers, notification
choices and notifications read.

How: the domain's own factories and methods build the aggregates (so every rule of
the domain holds), and the app's own ``save`` stores them a month at a time, many
aggregates at once; the views (the notifications among them) follow the log as
they do for commands, caught up every quarter. That is some fifty times faster
than a command per change (each loads its aggregates and saves alone). For a very
large store ``views=False`` (``--no-views``) writes only the events, leaving the
views to ``community rebuild``: at 100,000 events the views' catching up was two
thirds of synth's CPU time.

Deterministic: the same options give the same events (topics, ids, dates). Each
part draws from its own ``Random(f"{seed}-{part}")``; new aggregates' ids are
``uuid5`` of the seed, the part and a count (not ``uuid4``), and events carry the
synthetic day as their timestamp, so answer times and "as of" figures read as if
the ten years had happened.

The target total (``events``) is met within a few per cent: every month has a
share of it in proportion to how active the community is that month, and new
activities are drawn until the month's share is made (values of running plans,
visits and audits first).

The parts: ``cast`` (the programme, teams, members, pairings, audits) and
``activity`` (everything people do, month by month).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any
from uuid import UUID, uuid5

import eventsourcing.domain as es_domain

from community.application import Community
from domain.ids import NAMESPACE
from domain.member import Member

BATCH = 500  # aggregates a transaction
CATCH_UP_MONTHS = 3  # the views catch up (and members read their notifications) quarterly


@dataclass(frozen=True)
class Options:
    teams: int = 156
    members: int = 3000
    events: int = 200_000
    years: int = 10
    seed: int = 14
    starts_on: date = date(2010, 1, 1)

    @property
    def months(self) -> int:
        return 12 * self.years

    @property
    def funding_months(self) -> int:
        """The funded programme: about a third of the years, at least one."""
        return max(12, round(self.months * 0.35))

    @property
    def funding_ends_on(self) -> date:
        return month_start(self.starts_on, self.funding_months) - timedelta(days=1)

    @property
    def ends_on(self) -> date:
        return month_start(self.starts_on, self.months) - timedelta(days=1)


def month_start(start: date, months: int) -> date:
    month0 = start.month - 1 + months
    return date(start.year + month0 // 12, month0 % 12 + 1, 1)


@dataclass
class Summary:
    options: Options
    events: int
    seconds: float
    kinds: Counter[str]  # events by kind, e.g. "Contact.Made"
    cpu_seconds: float = 0.0  # this process's, which a shared machine does not inflate

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else float("inf")

    def table(self) -> str:
        """The mix of event kinds, most frequent first, as a Markdown table."""
        lines = ["| event | count | share |", "|---|---:|---:|"]
        for kind, count in self.kinds.most_common():
            lines.append(f"| {kind} | {count:,} | {100 * count / max(1, self.events):.1f}% |")
        return "\n".join(lines)


class Synth:
    """The run: the options, the synthetic day, the aggregates waiting to be saved,
    and how many events of each kind were made."""

    def __init__(self, app: Community, options: Options,
                 progress: Callable[[int], None] | None = None, views: bool = True) -> None:
        self.app = app
        self.views = views  # follow the log with the views (else they wait for a rebuild)
        self.options = options
        self.progress = progress
        self.day = options.starts_on
        self.part = "cast"
        self.kinds: Counter[str] = Counter()
        self.made = 0  # events made so far, saved or waiting
        self._ids: Counter[str] = Counter()
        self._seconds = 0  # orders the events of one day
        self._waiting: dict[UUID, Any] = {}
        self._counted: dict[UUID, int] = {}

    def rng(self, part: str) -> Random:
        return Random(f"{self.options.seed}-{part}")

    # --- what the domain asks the library for: an id, the time ----------------------

    def new_id(self) -> UUID:
        self._ids[self.part] += 1
        return uuid5(NAMESPACE, f"synth:{self.options.seed}:{self.part}:{self._ids[self.part]}")

    def now(self) -> datetime:
        self._seconds += 1
        return (datetime(self.day.year, self.day.month, self.day.day, 8, tzinfo=UTC)
                + timedelta(seconds=self._seconds % 36_000))

    def on(self, day: date) -> date:
        if day != self.day:
            self.day, self._seconds = day, 0
        return day

    # --- saving -------------------------------------------------------------------

    def keep(self, *aggregates: Any) -> None:
        """These aggregates have new events to save with the month."""
        for aggregate in aggregates:
            before = self._counted.get(aggregate.id, 0)
            pending = aggregate.pending_events
            for event in pending[before:]:
                self.kinds[type(event).__qualname__] += 1
            self.made += len(pending) - before
            if before == 0 and isinstance(aggregate, Member) and pending \
                    and pending[0].originator_version == 1:
                # The app's save adds a new member's e-mail index entry (community/
                # members.py): counted here so the summary says what the store holds.
                self.kinds["EmailIndexEntry.Claimed"] += 1
                self.made += 1
            self._counted[aggregate.id] = len(pending)
            self._waiting.setdefault(aggregate.id, aggregate)

    def flush(self) -> None:
        """Save what waits, in the order first changed, through the app's own save."""
        waiting = list(self._waiting.values())
        count = sum(self._counted.values())
        self._waiting, self._counted = {}, {}
        keys = getattr(self.app.mapper, "keys", None)
        if keys is not None:  # new members' keys in one go, not a transaction each
            keys.make_keys([a.id for a in waiting if isinstance(a, Member) and a.pending_events
                            and a.pending_events[0].originator_version == 1])
        for start in range(0, len(waiting), BATCH):
            self.app.save(*waiting[start:start + BATCH])
        if self.progress is not None and count:
            self.progress(count)


@contextmanager
def synthetic_clock(run: Synth) -> Iterator[Synth]:
    """New aggregates get ids from the run's parts and events the run's day as their
    time: the library reads both from module globals of ``eventsourcing.domain``,
    so they are swapped here for the run and put back after it. The app's clock
    (``Community.today``) reads the day too, and views catch up at the run's
    checkpoints rather than after each save."""
    app = run.app
    was = es_domain.uuid4, es_domain.datetime_now_with_tzinfo, app.today, app.settings
    es_domain.uuid4 = run.new_id
    es_domain.datetime_now_with_tzinfo = run.now
    app.today = lambda: run.day
    app.settings = replace(app.settings, catch_up_after_commands=False)
    try:
        yield run
    finally:
        es_domain.uuid4, es_domain.datetime_now_with_tzinfo, app.today, app.settings = was


def synthesise(app: Community, options: Options | None = None,
               progress: Callable[[int], None] | None = None, views: bool = True) -> Summary:
    """Tell the synthetic community into an empty store; what it made, and how fast.

    ``views=False``: only the events (about half the time at a million, where the
    views' catching up is the rest); the views are left for ``community rebuild``,
    and members read no notifications, since they read what the views hold."""
    from community.synth import activity, cast

    options = options or Options()
    if app.recorder.max_notification_id():
        raise ValueError("the synthetic community loads only into an empty store")
    run = Synth(app, options, progress, views)
    started, cpu = time.perf_counter(), time.process_time()
    with synthetic_clock(run):
        people = cast.assemble(run)
        activity.live(run, people)
        run.flush()
        if views:
            app.views.catch_up()
    return Summary(options, run.made, time.perf_counter() - started, run.kinds,
                   time.process_time() - cpu)
