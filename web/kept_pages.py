"""What a page reads from the views, kept per process until the views it reads change.

A member's home page asks the views some fifteen small questions (their team, plans,
requests, workshops, new plans in their areas, counterparts, questions they could
answer): ~30 ms of CPU a request on the national community, 15x GET /api/v1/me at
p95 under load (issue 14), yet the answers change only when a page of events reaches
the views. ``kept`` keeps a page's data by what it depends on (the person, the day)
and the log position of every view: one small query finds the positions, and any
event applied anywhere moves one of them, so the data is counted again and is never
older than the views (a person's own change is in the views before their next page,
see ``Community``'s catch-up, so they always see it). ``kept_reading`` keeps an
answer until one of the views it names changes: each view notes the last page with
an event it applies, and how many times it was replayed (projections/runner.py).

Only data read from the views may be kept here, never anything from the session or
the request (the template reads those itself), and the kept data is only read by
the template, never changed. A part of a page drawn from the views alone (the
sustainability dashboard, the same for every organiser) may be kept drawn, as HTML,
when its key names everything else it shows; the page around it (base.html: the
reader's name, their unread count, the form token) is drawn for each request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Event, Lock
from typing import Any, TypeVar

from flask import g, has_request_context

from web.services import community, views

T = TypeVar("T")


class Memo:
    """Answers kept by key, at most ``keep`` of them (the oldest go first), safe to
    share between a process's threads. While one thread makes an answer, the others
    asking for the same key wait for it: after a change every reader of a shared
    page misses at once, and each of a process's threads counted the same figures
    again (issue 14's mixed load: the sustainability API's p95 was 9x /me's)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._found: OrderedDict[Hashable, Any] = OrderedDict()
        self._making: dict[Hashable, Event] = {}
        self._lock = Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, or what it answered for the same key."""
        while True:
            with self._lock:
                if key in self._found:
                    found: T = self._found[key]
                    return found
                making = self._making.get(key)
                if making is None:
                    self._making[key] = Event()
                    break
            # Then the answer is kept, or its maker failed and this thread makes it.
            making.wait()
        try:
            made = make()
            with self._lock:
                self._found[key] = made
                while len(self._found) > self.keep:
                    self._found.popitem(last=False)
            return made
        finally:
            with self._lock:
                self._making.pop(key).set()


# Pages' data are a few kB; a few hundred people browsing at once stay within a few MB.
_kept = Memo(keep=512)


def changes() -> dict[str, tuple[int, int, int]]:
    """Every view's log position, the last page that changed it, and how many times it
    was replayed: read once per request (a QIP page asks for its charts, the questions
    about it and more), and again once the request saves a change, so it sees its own
    (``saved_here`` counts the changes each thread saved). Views that move on during a
    request leave its kept answers newer than their key says, never older: the next
    request misses and reads them again."""
    if not has_request_context():
        return views().changes()
    saves = community().saved_here
    held: tuple[int, dict[str, tuple[int, int, int]]] | None = g.get("view_changes")
    if held is None or held[0] != saves:
        held = (saves, views().changes())
        g.view_changes = held
    return held[1]


def note_changes(found: dict[str, tuple[int, int, int]]) -> None:
    """The views' marks as the request has just read them (web.request_reads reads
    them beside its session), for ``changes`` to answer from."""
    if has_request_context():
        g.view_changes = (community().saved_here, found)


def view_positions() -> tuple[tuple[str, int, int], ...]:
    """Every view's log position and replays, as a key."""
    return tuple((name, at, rebuilt) for name, (at, _, rebuilt) in sorted(changes().items()))


def kept(page: str, key: Hashable, read: Callable[[], T], memo: Memo = _kept) -> T:
    """``read()``, or what it answered for the same page and key while no view moved
    (kept in ``memo``: a kind of page read by many keys keeps its own)."""
    return memo.get((str(views().engine.url), page, key, view_positions()), read)


def kept_reading(memo: Memo, reads: frozenset[str], key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it answered for the same key while none of the views it
    ``reads`` (by name) changed: a view's position moves with every page of events,
    but it notes only the pages with an event it applies, so a contact recorded
    leaves a plan's page and a search's answers kept. A view dropped and replayed
    (``community rebuild``, forgetting a member) reads everything again."""
    at = tuple((name, changed, rebuilt) for name, (_, changed, rebuilt)
               in sorted(changes().items()) if name in reads)
    return memo.get((str(views().engine.url), key, at), read)
