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
so the guard does not tell who is a member). Counts live in this process's memory,
like the limiter's; a deployment with several web processes needs a shared store.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

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
    app.extensions["failed_logins"] = FailedLogins()
