"""The network-health figures, kept in a table so that no page waits for them.

Computing a report takes seconds on a national community (betweenness, the survival
fit, the time series), so every computed report and map is kept in
``network_health_kept``, keyed by (kind, "as of" date, period or level), with the
``network_activity`` view's log position it was counted at. A table and not only
memory: several web processes (and the projection worker) share it.

- A settled date (on or after the log's first record and before its latest recorded
  day) can never change: whatever is recorded from now on is recorded after it (the
  "as of" rule of ``projections.network_activity``). It is computed once.
- Any other date (today, or a history loaded before the log began, as the demo's
  is) is served at once from the latest kept report, with its position and time so
  the page can say how current it is, and recomputed in the background by
  ``refresh_network_health``: one refresh at a time in a process, and a row claimed
  for a few minutes so that two processes do not count the same figures at once.
- A report never computed is computed in the request that first asks for it (and
  only once if several ask together).

The body is a pickle of the frozen dataclasses (``HealthReport``, ``KeptMap``): the
table is a cache this code alone writes and can always throw away and rebuild from
the log; a ``FORMAT`` that no longer matches, or a body that no longer loads, is
counted again.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from projections.network_activity import acts as health_acts
from projections.network_activity import members as health_members
from projections.reading import reading
from projections.runner import positions

log = logging.getLogger(__name__)

# Change when HealthReport, NetworkMap or KeptMap change shape: older rows are ignored.
FORMAT = "2026-12-03"
CLAIM_FOR = timedelta(minutes=5)  # a process that died while counting frees its claim

metadata = MetaData()
kept = Table(
    "network_health_kept", metadata,
    Column("kind", String(10), primary_key=True),      # "report" or "map"
    Column("as_of", Date, primary_key=True),
    Column("variant", String(20), primary_key=True),   # the report's period, the map's level
    Column("position", Integer, nullable=False),       # the view's log position counted to
    Column("counted_at", DateTime, nullable=False),    # when it was counted (UTC)
    Column("format", String(20), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("claimed_at", DateTime),                    # being counted again since (UTC)
)

Compute = Callable[[Engine, date, str], Any]


@dataclass(frozen=True)
class Kept:
    """A kept value and how current it is."""
    value: Any
    position: int
    counted_at: datetime          # UTC
    changes_since: int            # records in the log after ``position``
    settled: bool                 # the date can no longer change

    @property
    def current(self) -> bool:
        return self.settled or self.changes_since == 0


_COMPUTERS: dict[str, Compute] = {}
_ready: set[str] = set()
_ready_lock = threading.Lock()
# Values already loaded in this process: (url, kind, as_of, variant) → (position,
# counted_at, value), so a page asked again does not unpickle again.
_memo: dict[tuple[str, str, date, str], tuple[int, datetime, Any]] = {}
MEMO = 64
# Single flight in this process: one lock per key being computed in a request, one
# refresh at a time.
_in_flight: dict[tuple[str, str, date, str], threading.Lock] = {}
_flight_lock = threading.Lock()
_refreshing = threading.Lock()
_again = threading.Event()
# Keys a request found behind the log, for the next refresh to count (besides today's).
_wanted: set[tuple[str, str, date, str]] = set()


def register(kind: str, compute: Compute) -> None:
    """How to count a kind of figures (projections.network_health and network_map
    register theirs when imported)."""
    _COMPUTERS[kind] = compute


def ensure_table(engine: Engine) -> None:
    url = str(engine.url)
    if url in _ready:
        return
    with _ready_lock:
        metadata.create_all(engine)
        _ready.add(url)


def view_position(engine: Engine) -> int:
    with reading(engine) as conn:
        return conn.scalar(select(positions.c.position)
                           .where(positions.c.view == "network_activity")) or 0


def settled(engine: Engine, as_of: date, now_at: int | None = None) -> bool:
    """Whether nothing recorded from now on can change the figures as of the date
    (asked again only when the log has moved on: ``now_at``, the view's position
    when the caller has just read it)."""
    url = str(engine.url)
    if now_at is None:
        now_at = view_position(engine)
    known = _settled.get((url, as_of))
    if known is not None and known[0] == now_at:
        return known[1]
    answer = _settled_now(engine, as_of)
    if len(_settled) > MEMO:
        _settled.clear()
    _settled[(url, as_of)] = (now_at, answer)
    return answer


_settled: dict[tuple[str, date], tuple[int, bool]] = {}


def _settled_now(engine: Engine, as_of: date) -> bool:
    with reading(engine) as conn:
        began = conn.scalar(select(func.min(health_members.c.recorded_on)))
        latest = conn.scalar(select(func.max(health_acts.c.recorded_on)))
    return began is not None and latest is not None and began <= as_of < latest


# Stores whose projection worker counts today's figures again after each catch-up
# (`community worker`). A web process then leaves today's rows to it: counting in
# the web process held the GIL for seconds at a time while every request waited
# (the sustainability API's p95 reached 17 s in the load benchmark).
_worker_counts: set[str] = set()


def leave_todays_figures_to_the_worker(engine: Engine) -> None:
    _worker_counts.add(str(engine.url))


def kept_value(engine: Engine, kind: str, as_of: date, variant: str, *,
               in_background: bool = True) -> Kept:
    """The figures of a kind for the date and variant: kept ones at once, counted again
    in the background when the log has moved on (``in_background=False``: counted again
    now, for a one-off command or a test that must see the latest)."""
    ensure_table(engine)
    key = (str(engine.url), kind, as_of, variant)
    now_at, found = _position_and_row(engine, key)
    if found is None:
        return _count_once(engine, key, now_at)
    position, counted_at = found
    fixed = settled(engine, as_of, now_at)
    if position < now_at and not fixed:
        if not in_background:
            return _count_once(engine, key, now_at, at_least=now_at)
        if not (as_of >= date.today() and str(engine.url) in _worker_counts):
            _wanted.add(key)
            start_refresh(engine)
    value = _load(engine, key, position, counted_at)
    if value is None:  # another format, or a body that no longer loads
        return _count_once(engine, key, now_at, at_least=position + 1)
    return Kept(value, position, counted_at, max(now_at - position, 0), fixed)


def _row(engine: Engine, key: tuple[str, str, date, str]) -> tuple[int, datetime] | None:
    with reading(engine) as conn:
        row = conn.execute(KEPT_ROW, _key_params(key)).first()
    return None if row is None else (row[0], row[1])


def _position_and_row(engine: Engine, key: tuple[str, str, date, str]
                      ) -> tuple[int, tuple[int, datetime] | None]:
    """The view's position and the kept row's, in one query (every page and answer
    asks both)."""
    with reading(engine) as conn:
        row = conn.execute(POSITION_AND_ROW, _key_params(key)).first()
    if row is None:  # nothing kept yet: the position alone
        return view_position(engine), None
    return row[0] or 0, (row[1], row[2])


def _key_params(key: tuple[str, str, date, str]) -> dict[str, Any]:
    _, kind, as_of, variant = key
    return {"kind": kind, "as_of": as_of, "variant": variant}


# Built once (every page and answer asks): the kept row for a key, and the view's
# position beside it.
KEPT_ROW = select(kept.c.position, kept.c.counted_at).where(
    kept.c.kind == bindparam("kind"), kept.c.as_of == bindparam("as_of"),
    kept.c.variant == bindparam("variant"), kept.c.format == FORMAT)
_found = KEPT_ROW.subquery()
POSITION_AND_ROW = select(
    select(positions.c.position).where(positions.c.view == "network_activity")
    .scalar_subquery(), _found.c.position, _found.c.counted_at)


def _load(engine: Engine, key: tuple[str, str, date, str], position: int,
          counted_at: datetime) -> Any:
    memo = _memo.get(key)
    if memo is not None and memo[:2] == (position, counted_at):
        return memo[2]
    _, kind, as_of, variant = key
    with reading(engine) as conn:
        body = conn.scalar(select(kept.c.body).where(
            kept.c.kind == kind, kept.c.as_of == as_of, kept.c.variant == variant,
            kept.c.format == FORMAT, kept.c.position == position))
    if body is None:
        return None
    try:
        value = pickle.loads(body)  # only this module writes the table (see above)
    except Exception:  # a class that changed without FORMAT changing: count again
        log.warning("network health: a kept %s no longer loads; counting it again", kind)
        return None
    _remember(key, position, counted_at, value)
    return value


def _remember(key: tuple[str, str, date, str], position: int, counted_at: datetime,
              value: Any) -> None:
    _memo[key] = (position, counted_at, value)
    while len(_memo) > MEMO:
        _memo.pop(next(iter(_memo)))


def _count_once(engine: Engine, key: tuple[str, str, date, str], now_at: int,
                at_least: int = 0) -> Kept:
    """Count the figures in this request; a second request for the same key waits for
    the first rather than counting them too. Figures kept at ``at_least`` or later
    (counted by another request or process while this one waited) are taken as they
    are."""
    with _flight_lock:
        lock = _in_flight.setdefault(key, threading.Lock())
    with lock:
        found = _row(engine, key)
        if found is not None and found[0] >= at_least:
            value = _load(engine, key, *found)
            if value is not None:
                return Kept(value, found[0], found[1], max(now_at - found[0], 0),
                            settled(engine, key[2]))
        position, counted_at, value = count(engine, key)
    return Kept(value, position, counted_at, max(view_position(engine) - position, 0),
                settled(engine, key[2]))


def same_date_values(engine: Engine, kind: str, as_of: date) -> list[Any]:
    """The values of a kind for the date already loaded in this process and counted at
    the view's present position (another period's report shares its brokers)."""
    url, now_at = str(engine.url), view_position(engine)
    return [value for (u, k, day, _), (position, _, value) in list(_memo.items())
            if (u, k, day) == (url, kind, as_of) and position == now_at]


def count(engine: Engine, key: tuple[str, str, date, str]) -> tuple[int, datetime, Any]:
    """Count the figures for a key now and keep them (the position read first, so that
    anything recorded while counting makes them stale, not lost)."""
    _, kind, as_of, variant = key
    position = view_position(engine)
    value = _COMPUTERS[kind](engine, as_of, variant)
    counted_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    row = {"position": position, "counted_at": counted_at, "format": FORMAT, "body": body,
           "claimed_at": None}
    where = and_(kept.c.kind == kind, kept.c.as_of == as_of, kept.c.variant == variant)
    with engine.begin() as conn:
        # Never replace figures counted at a later position by another process.
        done = conn.execute(update(kept).where(where, or_(kept.c.position <= position,
                                                          kept.c.format != FORMAT))
                            .values(**row)).rowcount
        if not done and conn.scalar(select(func.count()).select_from(kept).where(where)) == 0:
            try:
                with conn.begin_nested():
                    conn.execute(kept.insert().values(kind=kind, as_of=as_of,
                                                      variant=variant, **row))
            except IntegrityError:  # another process inserted it first: theirs stands
                pass
        elif not done:  # a later count stands: free the claim this one held
            conn.execute(update(kept).where(where).values(claimed_at=None))
    _remember(key, position, counted_at, value)
    return position, counted_at, value


# --- counting again in the background --------------------------------------------------


def refresh_network_health(engine: Engine) -> int:
    """Count again the kept reports and maps that the log has moved past, whose date is
    not settled, and that are today's or were asked for (see ``_refresh_once``);
    returns how many were counted. Safe to call from any thread or
    process (a projection worker may call it after each catch-up): one refresh at a
    time per process, and each row claimed first so that processes share the work."""
    ensure_table(engine)
    warm_imports()
    if not _refreshing.acquire(blocking=False):
        _again.set()  # the refresh under way counts again when it is done
        return 0
    counted = 0
    try:
        while True:
            _again.clear()
            counted += _refresh_once(engine)
            if not _again.is_set():
                return counted
    finally:
        _refreshing.release()


def _refresh_once(engine: Engine) -> int:
    """Count again the kept rows behind the log that a request here asked for, and
    those of dates on or after the latest recorded day (today's: what a worker keeps
    fresh). Others (old open dates, such as the demo's) wait until someone asks."""
    url, now_at = str(engine.url), view_position(engine)
    asked = {k for k in _wanted if k[0] == url}
    _wanted.difference_update(asked)
    with reading(engine) as conn:
        latest = conn.scalar(select(func.max(health_acts.c.recorded_on)))
        stale = conn.execute(select(kept.c.kind, kept.c.as_of, kept.c.variant)
                             .where(kept.c.position < now_at)
                             .order_by(kept.c.as_of.desc(), kept.c.kind, kept.c.variant)
                             ).tuples().all()
    counted = 0
    for kind, as_of, variant in stale:
        current = latest is None or as_of >= latest
        if kind not in _COMPUTERS or not (current or (url, kind, as_of, variant) in asked):
            continue
        if settled(engine, as_of) or not _claim(engine, kind, as_of, variant):
            continue
        try:
            count(engine, (str(engine.url), kind, as_of, variant))
            counted += 1
        except Exception:
            log.exception("network health: counting %s as of %s (%s) failed", kind, as_of,
                          variant)
            _unclaim(engine, kind, as_of, variant)
    return counted


def _claim(engine: Engine, kind: str, as_of: date, variant: str) -> bool:
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        return bool(conn.execute(
            update(kept).where(kept.c.kind == kind, kept.c.as_of == as_of,
                               kept.c.variant == variant,
                               or_(kept.c.claimed_at.is_(None),
                                   kept.c.claimed_at < now - CLAIM_FOR))
            .values(claimed_at=now)).rowcount)


def _unclaim(engine: Engine, kind: str, as_of: date, variant: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(kept).where(kept.c.kind == kind, kept.c.as_of == as_of,
                                        kept.c.variant == variant).values(claimed_at=None))


_background: dict[threading.Thread, Engine] = {}  # refreshes under way, by thread


def start_refresh(engine: Engine) -> threading.Thread:
    """``refresh_network_health`` in a background thread (the request goes on)."""
    return start_in_background(engine, refresh_network_health, "network-health-refresh")


def start_in_background(engine: Engine, work: Callable[[Engine], Any],
                        name: str) -> threading.Thread:
    """``work(engine)`` in a background thread that ``finish_refreshes`` waits for:
    every thread that reads or writes through the engine must go through here (the
    web app's warm-up too), or it may outlive the app's close."""
    thread = threading.Thread(target=_quietly, args=(engine, work, name),
                              name=name, daemon=True)
    _background[thread] = engine
    thread.start()
    return thread


def _quietly(engine: Engine, work: Callable[[Engine], Any], name: str) -> None:
    try:
        work(engine)
    except Exception:  # a background thread has no one to tell but the log
        log.exception("network health: %s failed", name)
    finally:
        _background.pop(threading.current_thread(), None)


def finish_refreshes(engine: Engine, timeout: float = 30.0) -> None:
    """Wait for this engine's background threads, before it is disposed: one still
    running then checks connections out of a pool nobody closes any more (on
    PostgreSQL, open sessions left to the garbage collector, an error in whichever
    test the collector happens to run in). Asked again until none is left, as a
    warm-up starts a refresh of its own."""
    deadline = time.monotonic() + timeout
    while waiting := [thread for thread, used in list(_background.items())
                      if used is engine and thread is not threading.current_thread()]:
        if time.monotonic() >= deadline:
            log.warning("network health: closing while %s still run",
                        ", ".join(thread.name for thread in waiting))
            return
        waiting[0].join(max(deadline - time.monotonic(), 0))


def warm_imports() -> None:
    """Import the heavy libraries the figures use (about 4 s in a fresh process), so
    that a background thread pays for them and not a request."""
    import igraph  # noqa: F401
    import lifelines  # noqa: F401
    import scipy.optimize  # noqa: F401
    import statsmodels.api  # noqa: F401


def forget_kept(engine: Engine) -> None:
    """Drop every kept report and map: they hold names as they were when counted, and a
    member was just forgotten (``community.erasure``). They are counted again as asked."""
    ensure_table(engine)
    with engine.begin() as conn:
        conn.execute(kept.delete())
    _memo.clear()
    _settled.clear()
