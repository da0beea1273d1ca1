"""Rate limits on the routes a flood would come through (posting, logging in).

Flask-Limiter counts requests per logged-in member (or per address when nobody
is logged in) and answers 429 through ``web.errors``. The domain keeps its own
limit on posts per hour (``domain.question.POSTS_PER_HOUR``), so a flood is
refused with a clear message even past a restart; this layer stops bursts
before they cost a command, including refused ones.

Counts live in process memory by default (one `community serve` process); a
deployment with several web processes sets ``COMMUNITY_RATELIMIT_STORAGE_URI`` (a
storage URI of the limits library, e.g. ``redis://host:6379``) so they share them.
The per-account login waits (``web.login_guard``) are always shared, in the store.
"""

from __future__ import annotations

import os

from flask import Flask, request
from flask_limiter import Limiter
from flask_login import current_user

# At most this many posts (questions, answers, edits, reports) a minute from one
# member: far above anyone typing, far below a script.
POSTING = "20 per minute"


# At most this many logins a minute from one address (issue 13), whoever they are for;
# a trust's staff behind one address stay well under it. web/login_guard.py adds the
# per-account wait.
LOGGING_IN = "30 per minute"


def by_address() -> str:
    return f"address:{request.remote_addr or 'unknown'}"


def who_is_asking() -> str:
    if current_user.is_authenticated:
        return f"member:{current_user.get_id()}"
    return f"address:{request.remote_addr or 'unknown'}"


limiter = Limiter(key_func=who_is_asking, default_limits=[],
                  storage_uri=os.environ.get("COMMUNITY_RATELIMIT_STORAGE_URI") or "memory://")


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    # The limiter is one object per process and its in-memory counts outlive an app:
    # a new app (one per process when serving, one per test) starts from none, so a
    # test posting as a member another test used is not refused for that one's posts.
    limiter.reset()
