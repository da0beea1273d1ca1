"""Who is logged in where, and every login tried (issue 13). Two tables outside the
event log: they record access, not changes to the community, and a member's sign-ins
must be endable and forgettable without editing the log.

- ``member_sessions``: one row per login. The browser's session cookie carries a random
  key; only its SHA-256 is stored, so someone who reads the database cannot use a row.
  A request counts as logged in only while its row is live (not ended, and younger than
  ``SESSION_DAYS``), so logging out, changing the password or "log out everywhere"
  ends every copy of a cookie, wherever it was copied to.
- ``login_audit``: each login and failed login: when, for which member (none when the
  e-mail address is not a member's), how it went, and from which address and browser.
  A member sees their own (the "Recent logins" page); rows older than ``AUDIT_DAYS``
  are deleted as new ones arrive.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from projections.reading import reading

SESSION_DAYS = 31      # as long as Flask's session cookie lives
AUDIT_DAYS = 365       # a year of logins is enough to spot a stranger; older ones go
RECENT = 20            # the logins a member's page shows
BROWSER_LENGTH = 200   # a User-Agent is cut to this

metadata = MetaData()
sessions_table = Table(
    "member_sessions", metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("member_id", String(36), nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("address", String(64), nullable=False),
    Column("browser", String(BROWSER_LENGTH), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("ended_why", String(40)),
)
audit_table = Table(
    "login_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("member_id", String(36)),
    Column("outcome", String(20), nullable=False),
    Column("address", String(64), nullable=False),
    Column("browser", String(BROWSER_LENGTH), nullable=False),
    Index("login_audit_member_at", "member_id", "at"),
    Index("login_audit_at", "at"),  # the year-old rows deleted as new ones arrive
)


class Outcome(Enum):
    """How a login went, in the words the member's page uses."""

    LOGGED_IN = "logged in"
    WRONG_PASSWORD = "wrong password"
    WAITING = "asked to wait"  # refused unchecked: too many wrong passwords before

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]


class Ended(Enum):
    """Why a session ended."""

    LOGGED_OUT = "logged out"
    EVERYWHERE = "logged out everywhere"
    PASSWORD_CHANGED = "password changed"
    PASSWORD_RESET = "password reset"
    FORGOTTEN = "member forgotten"


@dataclass(frozen=True)
class Login:
    at: datetime
    outcome: Outcome
    address: str
    browser: str


@dataclass(frozen=True)
class Session:
    started_at: datetime
    address: str
    browser: str
    is_this_one: bool


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_hash(key: object) -> str | None:
    """What a session's row is found by: its cookie key's hash (None: no key)."""
    return _hash(key) if isinstance(key, str) and key else None


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Every request asks whether its cookie is a live session: built once, not per request.
LIVE = (select(sessions_table.c.member_id, sessions_table.c.started_at,
               sessions_table.c.ended_at)
        .where(sessions_table.c.key_hash == bindparam("key_hash")))


class SignIns:
    """The two tables. ``clock`` is for tests that need a login made long ago."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = _now) -> None:
        self.engine = engine
        self.clock = clock

    # --- sessions ------------------------------------------------------------------------

    def start(self, member_id: UUID | str, *, address: str, browser: str) -> str:
        """A new live session for the member; the key for their cookie."""
        key = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(insert(sessions_table).values(
                key_hash=_hash(key), member_id=str(member_id), started_at=self.clock(),
                address=address[:64], browser=browser[:BROWSER_LENGTH]))
        return key

    def is_live(self, member_id: UUID | str, key: object) -> bool:
        """Whether a cookie's key is a live session of this member."""
        hashed = key_hash(key)
        if hashed is None:
            return False
        with reading(self.engine) as connection:
            row = connection.execute(LIVE, {"key_hash": hashed}).first()
        return self.is_live_row(row, member_id)

    def is_live_row(self, row: Any, member_id: UUID | str) -> bool:
        """Whether ``row`` (LIVE's columns, read by ``key_hash``; None: no row) is a live
        session of this member (web.request_reads reads it beside the views' marks)."""
        return (row is not None and row.member_id == str(member_id) and row.ended_at is None
                and _aware(row.started_at) > self.clock() - timedelta(days=SESSION_DAYS))

    def end(self, key: object, why: Ended) -> None:
        if isinstance(key, str) and key:
            self._end(sessions_table.c.key_hash == _hash(key), why)

    def end_all(self, member_id: UUID | str, why: Ended, *, keep: object = None) -> int:
        """End every live session of the member but ``keep`` (a key); how many ended."""
        where = sessions_table.c.member_id == str(member_id)
        if isinstance(keep, str) and keep:
            where = where & (sessions_table.c.key_hash != _hash(keep))
        return self._end(where, why)

    def _end(self, where: ColumnElement[bool], why: Ended) -> int:
        with self.engine.begin() as connection:
            done = connection.execute(
                update(sessions_table)
                .where(where, sessions_table.c.ended_at.is_(None))
                .values(ended_at=self.clock(), ended_why=why.value))
        return int(done.rowcount or 0)

    def live(self, member_id: UUID | str, this_key: object = None) -> list[Session]:
        """The member's live sessions, newest first."""
        this = _hash(this_key) if isinstance(this_key, str) and this_key else ""
        since = self.clock() - timedelta(days=SESSION_DAYS)
        with reading(self.engine) as connection:
            rows = connection.execute(
                select(sessions_table)
                .where(sessions_table.c.member_id == str(member_id),
                       sessions_table.c.ended_at.is_(None),
                       sessions_table.c.started_at > since)
                .order_by(sessions_table.c.started_at.desc())).all()
        return [Session(_aware(r.started_at), r.address, r.browser, r.key_hash == this)
                for r in rows]

    # --- the login audit -----------------------------------------------------------------

    def record(self, outcome: Outcome, member_id: UUID | str | None, *, address: str,
               browser: str) -> None:
        now = self.clock()
        with self.engine.begin() as connection:
            connection.execute(insert(audit_table).values(
                at=now, member_id=str(member_id) if member_id else None,
                outcome=outcome.name, address=address[:64], browser=browser[:BROWSER_LENGTH]))
            connection.execute(delete(audit_table).where(
                audit_table.c.at < now - timedelta(days=AUDIT_DAYS)))

    def recent(self, member_id: UUID | str, limit: int = RECENT) -> list[Login]:
        """The member's latest logins and failed logins, newest first."""
        with reading(self.engine) as connection:
            rows = connection.execute(
                select(audit_table).where(audit_table.c.member_id == str(member_id))
                .order_by(audit_table.c.at.desc(), audit_table.c.id.desc())
                .limit(limit)).all()
        return [Login(_aware(r.at), Outcome[r.outcome], r.address, r.browser) for r in rows]

    def count(self, outcome: Outcome) -> int:
        """How many logins went this way (for operators and tests)."""
        with reading(self.engine) as connection:
            found = connection.execute(select(func.count()).select_from(audit_table)
                                       .where(audit_table.c.outcome == outcome.name)).scalar()
        return int(found or 0)
