"""What the digest e-mail (``community digest``, community/digest.py) reads for a
period, from the tables the questions, library and outbox views already keep.

Not a view of its own (like ``projections.home``): it records nothing, so it needs
no replay and adds no tables. The queries run once per digest run, for everyone;
community/digest.py then picks each member's share in Python.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from projections.library import lib_teams, progress, qips
from projections.outbox import outbox_messages
from projections.questions import answers, follows, questions
from projections.reading import reading, rows_of


def answers_posted(engine: Engine, start: date, end: date) -> list[dict[str, Any]]:
    """Answers posted from ``start`` to ``end`` (both included) to questions the
    organisers have not hidden, each with its question's title and followers' ids;
    oldest first. A hidden answer is left out: it is no news."""
    query = (select(answers.c.id, answers.c.question_id, answers.c.posted_by,
                    answers.c.posted_on, questions.c.title)
             .join(questions, questions.c.id == answers.c.question_id)
             .where(answers.c.posted_on >= start, answers.c.posted_on <= end,
                    answers.c.hidden.is_(False), questions.c.hidden.is_(False))
             .order_by(answers.c.posted_on, answers.c.posted_at, answers.c.id))
    with reading(engine) as conn:
        found = rows_of(conn.execute(query))
        asked = sorted({r["question_id"] for r in found})
        followers: dict[str, list[str]] = {}
        for at in range(0, len(asked), 500):  # bound the IN list
            for question_id, member_id in conn.execute(
                    select(follows.c.question_id, follows.c.member_id)
                    .where(follows.c.question_id.in_(asked[at:at + 500]))):
                followers.setdefault(question_id, []).append(member_id)
    for row in found:
        row["follower_ids"] = sorted(followers.get(row["question_id"], []))
    return found


def qips_shared(engine: Engine, start: date, end: date) -> list[dict[str, Any]]:
    """QIPs shared in the library from ``start`` to ``end``, newest first, with their team's name."""
    query = (select(qips.c.id, qips.c.title, qips.c.key_area, qips.c.team_id,
                    qips.c.shared_on, lib_teams.c.name.label("team"))
             .join(lib_teams, lib_teams.c.id == qips.c.team_id)
             .where(qips.c.shared_on >= start, qips.c.shared_on <= end)
             .order_by(qips.c.shared_on.desc(), qips.c.title, qips.c.id))
    with reading(engine) as conn:
        return rows_of(conn.execute(query))


def qips_with_values(engine: Engine, start: date, end: date) -> set[str]:
    """The shared QIPs that have a value measured from ``start`` to ``end``."""
    query = (select(progress.c.qip_id).distinct()
             .join(qips, qips.c.id == progress.c.qip_id)
             .where(progress.c.recorded_on >= start, progress.c.recorded_on <= end,
                    qips.c.shared_on.is_not(None)))
    with reading(engine) as conn:
        return set(conn.scalars(query))


def messages_there(engine: Engine, message_ids: list[str]) -> set[str]:
    """Which of these outbox messages exist already (a digest put there by an earlier run)."""
    found: set[str] = set()
    with reading(engine) as conn:
        for at in range(0, len(message_ids), 500):
            found |= set(conn.scalars(select(outbox_messages.c.id).where(
                outbox_messages.c.id.in_(message_ids[at:at + 500]))))
    return found
