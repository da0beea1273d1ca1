"""Guessing passwords (issue 13): a per-account backoff after failed logins, for the
login page and the API's session alike.

Flask-Limiter (``web.limits``) caps logins per address; this caps them per account, so
guessers spread over many addresses still get ten tries. After ``ALLOWED`` failures
within ``WINDOW`` seconds the account's logins answer 429 for ``LOCK`` seconds, without
checking the password. Attempts during the wait neither count nor lengthen it, so a
guesser cannot keep the real owner out: the wait ends and the right password works.
A guesser who starts again once it ends earns a wait twice as long, up to
``LONGEST_LOCK``; a successful login forgets the account's failures.

Unknown e-mail addresses are counted as known ones are (the same answers either way,
so the guard does not tell who is a member). The app keeps the counts in its store
(``SharedFailedLogins``, table ``login_waits``), so several web processes count them
together; ``FailedLogins`` keeps them in memory (the rules' own tests).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

from community.login_waits import LoginWaits

ALLOWED = 10                # failures…
WINDOW = 15 * 60            # …within this many seconds start a wait
LOCK = 15 * 60              # the first wait, in seconds
LONGEST_LOCK = 2 * 60 * 60  # the waits double up to this
FORGET_AFTER = 24 * 60 * 60  # a day without failures forgets earlier waits
MOST_ACCOUNTS = 100_000     # a spray of made-up addresses cannot fill the memory


@dataclass
class _Account:
    failures: deque[float] = field(default_factory=deque)
    locks: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class FailedLogins:
    """Failed logins per account (a normalised e-mail address), and the waits they earn."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._accounts: dict[str, _Account] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(email: object) -> str:
        return email.strip().lower() if isinstance(email, str) else ""

    def wait_for(self, email: object) -> int:
        """Seconds this account must still wait before a login is checked; 0 for none."""
        with self._lock:
            found = self._accounts.get(self.key(email))
            if found is None:
                return 0
            left = found.locked_until - self.clock()
            return math.ceil(left) if left > 0 else 0

    def failed(self, email: object) -> None:
        now = self.clock()
        with self._lock:
            account = self._accounts.get(self.key(email))
            if account is None:
                if len(self._accounts) >= MOST_ACCOUNTS:
                    self._forget_old(now)
                account = self._accounts[self.key(email)] = _Account()
            _record_failure(account, now)

    def succeeded(self, email: object) -> None:
        with self._lock:
            self._accounts.pop(self.key(email), None)

    def _forget_old(self, now: float) -> None:
        """Drop accounts with no failure in the window and no wait running (or, under
        a flood of made-up addresses, the oldest half)."""
        stale = [k for k, a in self._accounts.items()
                 if now - a.last_failure > WINDOW and a.locked_until <= now]
        if len(stale) < len(self._accounts) // 2:
            by_age = sorted(self._accounts, key=lambda k: self._accounts[k].last_failure)
            stale = by_age[:len(by_age) // 2]
        for k in stale:
            del self._accounts[k]


def _record_failure(account: _Account, now: float) -> None:
    """One more failure: the wait it earns, if it is the ``ALLOWED``th in the window."""
    if now - account.last_failure > FORGET_AFTER:
        account.locks = 0
    account.last_failure = now
    while account.failures and now - account.failures[0] > WINDOW:
        account.failures.popleft()
    account.failures.append(now)
    if len(account.failures) >= ALLOWED:
        account.locks += 1
        account.locked_until = now + min(LOCK * 2 ** (account.locks - 1), LONGEST_LOCK)
        account.failures.clear()


class SharedFailedLogins(FailedLogins):
    """The same rules, with each account's failures kept in the store
    (``community.login_waits``), so every web process counts them together. Wall-clock
    time, as the processes share no monotonic clock."""

    def __init__(self, store: LoginWaits, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.store = store
        self._cleaned = 0.0

    def wait_for(self, email: object) -> int:
        state = self.store.read(self.store.account(self.key(email)))
        left = (state["locked_until"] - self.clock()) if state else 0
        return math.ceil(left) if left > 0 else 0

    def failed(self, email: object) -> None:
        now = self.clock()
        account_key = self.store.account(self.key(email))
        with self.store.changing(account_key) as (conn, state):
            account = _Account(failures=deque(state["failures"]), locks=state["locks"],
                               locked_until=state["locked_until"],
                               last_failure=state["last_failure"]) if state else _Account()
            _record_failure(account, now)
            self.store.save(conn, account_key, {
                "failures": list(account.failures), "locks": account.locks,
                "locked_until": account.locked_until, "last_failure": account.last_failure})
        if now - self._cleaned > WINDOW:  # rows of accounts quiet for a day go
            self._cleaned = now
            self.store.forget_before(now - FORGET_AFTER)

    def succeeded(self, email: object) -> None:
        account_key = self.store.account(self.key(email))
        with self.store.changing(account_key) as (conn, _):
            self.store.drop(conn, account_key)


def failed_logins() -> FailedLogins:
    found: FailedLogins = current_app.extensions["failed_logins"]
    return found


def in_minutes(seconds: int) -> str:
    """'15 minutes', '1 minute', '2 hours': the wait in words, rounded up."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def init_app(app: Flask) -> None:
    """Failures are kept in the store the app serves, so all its processes share them."""
    community = app.extensions.get("community")
    engine = getattr(getattr(community, "views", None), "engine", None)
    app.extensions["failed_logins"] = (
        SharedFailedLogins(LoginWaits(engine, app.config["SECRET_KEY"])) if engine is not None
        else FailedLogins())
