"""Answers kept for the API's ``Idempotency-Key`` header (issue 13: a retried POST
whose answer was lost wrote twice).

A member's key is claimed before the request runs (a unique row, so two copies of
the same request sent at once cannot both run), the successful answer is kept with
it, and a refused or failed request gives the key back so it can be retried. The
fingerprint (method, path and body) tells a true retry from a key used again for
something else. Kept answers are forgotten after ``KEEP_FOR`` (a day): a retry comes
within seconds or minutes. This is not a view: nothing rebuilds it from the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from projections.reading import reading

KEEP_FOR = timedelta(days=1)

metadata = MetaData()
answers = Table(
    "api_idempotent_answers", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=True),  # None while the first request runs
    Column("content_type", String(100), nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Kept:
    """What a claim found: nothing (``fresh``: go ahead), or the key in use."""

    fresh: bool = False
    same_request: bool = False
    status: int | None = None   # None: the first request is still running
    content_type: str = ""
    body: bytes = b""


class IdempotentAnswers:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, member_id: str, key: str, fingerprint: str) -> Kept:
        now = datetime.now(UTC)
        where = (answers.c.member_id == member_id) & (answers.c.key == key)
        with self.engine.begin() as conn:
            conn.execute(delete(answers).where(where, answers.c.claimed_at < now - KEEP_FOR))
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(answers).values(member_id=member_id, key=key,
                                                    fingerprint=fingerprint, claimed_at=now))
            return Kept(fresh=True)
        except IntegrityError:
            pass
        with reading(self.engine) as conn:
            row = conn.execute(select(answers).where(where)).first()
        if row is None:  # given back between the two statements: claim again
            return self.claim(member_id, key, fingerprint)
        return Kept(same_request=row.fingerprint == fingerprint, status=row.status,
                    content_type=row.content_type or "", body=bytes(row.body or b""))

    def keep(self, member_id: str, key: str, status: int, content_type: str,
             body: bytes) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(answers)
                         .where(answers.c.member_id == member_id, answers.c.key == key)
                         .values(status=status, content_type=content_type, body=body))

    def give_back(self, member_id: str, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(answers).where(answers.c.member_id == member_id,
                                               answers.c.key == key,
                                               answers.c.status.is_(None)))
