"""Guessing passwords through the login page (issue 13): 300 wrong passwords for one
account once got 300 plain 401s and the right one still worked. Now an account asks
to wait after ten failures in 15 minutes, for a while only, and one address cannot
try more than a few dozen logins a minute."""

from __future__ import annotations

from typing import Any

from tests.builders import PASSWORD, SmallNetwork
from tests.web.reading import log_in, text

NINA = "nina.nurse@northshire.nhs.uk"


class Clock:
    """The failed-login guard's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def clocked(web_app: Any) -> Clock:
    clock = Clock()
    web_app.extensions["failed_logins"].clock = clock
    return clock


def test_after_ten_wrong_passwords_the_account_asks_to_wait_even_with_the_right_one(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    clocked(web_app)
    answers = [log_in(client, NINA, password=f"guess number {n}").status_code
               for n in range(10)]
    assert answers == [401] * 10

    refused = log_in(client, NINA, password=PASSWORD)

    assert refused.status_code == 429
    # Flask-Limiter restates the header in whole seconds from its own clock.
    assert 15 * 60 - 5 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Too many wrong passwords for this account. Try again in 15 minutes." \
        in text(refused.data)
    assert client.get("/directory").status_code == 302  # not logged in


def test_the_owner_gets_in_once_the_wait_is_over(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    clock = clocked(web_app)
    for n in range(10):
        log_in(client, NINA, password=f"guess number {n}")
    clock.now += 15 * 60 + 1

    assert log_in(client, NINA, password=PASSWORD).status_code == 302


def test_guesses_while_the_account_waits_do_not_make_the_wait_longer(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    clock = clocked(web_app)
    for n in range(10):
        log_in(client, NINA, password=f"guess number {n}")
    for _ in range(5):
        clock.now += 60
        assert log_in(client, NINA, password="still guessing").status_code == 429
    clock.now += 10 * 60 + 1

    assert log_in(client, NINA, password=PASSWORD).status_code == 302


def test_an_unknown_email_is_answered_as_a_known_one_wait_included(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    clocked(web_app)
    answers = [log_in(client, "nobody@example.org", password=f"guess {n}").status_code
               for n in range(11)]

    assert answers == [401] * 10 + [429]


def test_one_address_cannot_try_more_than_thirty_logins_a_minute(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    answers = [log_in(client, f"someone{n}@example.org", password="a guess at it").status_code
               for n in range(31)]

    assert answers[:30] == [401] * 30
    assert answers[30] == 429


def test_the_address_wait_is_a_page_saying_how_long_with_retry_after(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    for n in range(30):
        log_in(client, f"someone{n}@example.org", password="a guess at it")

    refused = log_in(client, NINA)

    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    page = text(refused.data)
    assert "Too many tries: please wait" in page
    assert "Too many log-in attempts from your network. Try again in a minute." in page


def test_an_unknown_email_costs_a_password_hash_as_a_known_one_does(
        community: Any, network: SmallNetwork, monkeypatch: Any) -> None:
    # An unknown e-mail answered in 7 ms and a known one in 157 ms, so who is a member
    # could be told from the time alone.
    from community import passwords

    checked: list[str] = []
    real = passwords.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    assert community.authenticate(NINA, "not the password") is None
    assert community.authenticate("nobody@example.org", "not the password") is None

    assert checked == [passwords.HASH_METHOD, passwords.HASH_METHOD]


def test_failures_through_two_web_processes_count_together(
        client: Any, web_app: Any, community: Any, network: SmallNetwork) -> None:
    from web import create_app

    other = create_app(community.settings, community=community)  # a second gunicorn worker
    other_client = other.test_client()
    for n in range(5):
        log_in(client, NINA, password=f"guess number {n}")
        log_in(other_client, NINA, password=f"other guess {n}")

    assert log_in(client, NINA, password=PASSWORD).status_code == 429
    assert log_in(other_client, NINA, password=PASSWORD).status_code == 429
