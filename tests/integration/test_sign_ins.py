"""Session records and the login audit (community/sign_ins.py) on SQLite and PostgreSQL:
what makes a copied cookie stop working, and what a member's "Recent logins" reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from community import Community
from community.sign_ins import SESSION_DAYS, Ended, Outcome, SignIns


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def records(app: Community) -> tuple[SignIns, Clock]:
    clock = Clock()
    found = SignIns(app.engine, clock=clock)
    return found, clock


def test_a_session_is_live_for_its_member_until_it_ends(app: Community) -> None:
    sign_ins, _ = records(app)
    nina, sara = uuid4(), uuid4()
    key = sign_ins.start(nina, address="10.0.0.1", browser="Firefox/120")

    assert sign_ins.is_live(nina, key)
    assert not sign_ins.is_live(sara, key)  # a key is no use with another member's id
    assert not sign_ins.is_live(nina, "made-up key")

    sign_ins.end(key, Ended.LOGGED_OUT)

    assert not sign_ins.is_live(nina, key)


def test_only_a_hash_of_the_cookie_key_is_stored(app: Community) -> None:
    sign_ins, _ = records(app)
    key = sign_ins.start(uuid4(), address="10.0.0.1", browser="")

    with app.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT key_hash FROM member_sessions").scalar()

    assert stored != key and key not in str(stored)


def test_a_session_lapses_after_the_cookie_would_have(app: Community) -> None:
    sign_ins, clock = records(app)
    nina = uuid4()
    key = sign_ins.start(nina, address="10.0.0.1", browser="")

    clock.now += timedelta(days=SESSION_DAYS, seconds=1)

    assert not sign_ins.is_live(nina, key)
    assert sign_ins.live(nina) == []


def test_ending_all_but_this_one_keeps_only_this_one(app: Community) -> None:
    sign_ins, clock = records(app)
    nina, sara = uuid4(), uuid4()
    here = sign_ins.start(nina, address="10.0.0.1", browser="Firefox/120")
    clock.now += timedelta(minutes=5)
    there = sign_ins.start(nina, address="10.0.0.2", browser="Chrome/120")
    hers = sign_ins.start(sara, address="10.0.0.3", browser="")

    ended = sign_ins.end_all(nina, Ended.PASSWORD_CHANGED, keep=here)

    assert ended == 1
    assert sign_ins.is_live(nina, here) and not sign_ins.is_live(nina, there)
    assert sign_ins.is_live(sara, hers)
    assert [(s.address, s.is_this_one) for s in sign_ins.live(nina, here)] == [
        ("10.0.0.1", True)]


def test_recent_logins_are_the_members_own_newest_first(app: Community) -> None:
    sign_ins, clock = records(app)
    nina = uuid4()
    sign_ins.record(Outcome.WRONG_PASSWORD, nina, address="10.9.9.9", browser="curl/8")
    clock.now += timedelta(minutes=1)
    sign_ins.record(Outcome.WRONG_PASSWORD, None, address="10.9.9.9", browser="curl/8")
    clock.now += timedelta(minutes=1)
    sign_ins.record(Outcome.LOGGED_IN, nina, address="10.0.0.1", browser="Firefox/120")

    recent = sign_ins.recent(nina)

    assert [(r.outcome, r.address) for r in recent] == [
        (Outcome.LOGGED_IN, "10.0.0.1"), (Outcome.WRONG_PASSWORD, "10.9.9.9")]
    assert recent[0].at == clock.now
    assert sign_ins.count(Outcome.WRONG_PASSWORD) == 2


def test_logins_older_than_a_year_are_forgotten(app: Community) -> None:
    sign_ins, clock = records(app)
    nina = uuid4()
    sign_ins.record(Outcome.LOGGED_IN, nina, address="10.0.0.1", browser="")

    clock.now += timedelta(days=366)
    sign_ins.record(Outcome.LOGGED_IN, nina, address="10.0.0.2", browser="")

    assert [r.address for r in sign_ins.recent(nina)] == ["10.0.0.2"]
