"""A member's account (issue 13): logging out ends every copy of the session cookie,
"log out everywhere", changing the password, a forgotten password reset by a one-time
e-mailed link, and the recent logins to one's own account."""

from __future__ import annotations

import re
import threading
from typing import Any

from tests.builders import PASSWORD, SmallNetwork
from tests.smtp import Mailbox
from tests.web.forms import submit
from tests.web.reading import log_in, log_out, table, text

NINA = "nina.nurse@northshire.nhs.uk"
NEW_PASSWORD = "plums in the larder"


def copy_of(client: Any, web_app: Any) -> Any:
    """A second browser holding a copy of the first one's session cookie."""
    other = web_app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    return other


def rows(html: bytes, css_class: str) -> list[dict[str, str]]:
    """A table's rows as {column heading: cell text}."""
    found = table(html, css_class)
    return [dict(zip(found["head"][0], row, strict=True)) for row in found["body"]]


def logged_in(client: Any) -> bool:
    return client.get("/directory").status_code == 200


def change_password(client: Any, current: str, new: str, again: str | None = None) -> Any:
    return submit(client, client.get("/account/password").data,
                  {"current_password": current, "new_password": new,
                   "confirm_password": new if again is None else again},
                  action="/account/password")


def test_a_cookie_copied_before_logging_out_no_longer_works(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    copied = copy_of(client, web_app)
    assert logged_in(copied)

    log_out(client)

    assert not logged_in(client)
    assert not logged_in(copied)
    assert copied.get("/directory").headers["Location"].startswith("/login")


def test_the_header_leads_to_the_account_page_with_where_one_is_logged_in(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    home = client.get("/directory").data
    assert b'href="/account"' in home

    page = client.get("/account")

    assert page.status_code == 200
    assert f"You log in as {NINA}" in text(page.data)
    sessions = rows(page.data, "account-sessions")
    assert len(sessions) == 1
    assert "(this browser)" in sessions[0]["Logged in"]


def test_log_out_everywhere_ends_the_sessions_of_every_browser(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    elsewhere = web_app.test_client()
    log_in(elsewhere, NINA)
    copied = copy_of(elsewhere, web_app)
    assert len(rows(client.get("/account").data, "account-sessions")) == 2

    answer = submit(client, client.get("/account").data, action="/account/log-out-everywhere")

    assert answer.status_code == 302
    assert "logged out on every device" in text(client.get("/login").data)
    assert not logged_in(client)
    assert not logged_in(elsewhere)
    assert not logged_in(copied)
    assert log_in(client, NINA).status_code == 302  # the password still works


def test_changing_the_password_keeps_this_browser_and_logs_out_the_others(
        client: Any, web_app: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    elsewhere = web_app.test_client()
    log_in(elsewhere, NINA)

    answer = change_password(client, PASSWORD, NEW_PASSWORD)

    assert answer.status_code == 302
    page = text(client.get(answer.headers["Location"]).data)
    assert "Your password has been changed. You were logged out everywhere else (1 other login)." \
        in page
    assert logged_in(client)
    assert not logged_in(elsewhere)
    assert log_in(elsewhere, NINA, password=PASSWORD).status_code == 401
    assert log_in(elsewhere, NINA, password=NEW_PASSWORD).status_code == 302


def test_the_password_form_names_each_problem_beside_its_field(
        client: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)

    wrong = change_password(client, "not my password", NEW_PASSWORD)
    common = change_password(client, PASSWORD, "1234567890")
    short = change_password(client, PASSWORD, "plums")
    mismatched = change_password(client, PASSWORD, NEW_PASSWORD, again="plums in the pantry")
    same = change_password(client, PASSWORD, PASSWORD)

    assert [a.status_code for a in (wrong, common, short, mismatched, same)] == [400] * 5
    assert "Current password is wrong: type the password you log in with now" in text(wrong.data)
    assert 'href="#current_password"' in wrong.data.decode()
    assert "New password is one of the most common passwords" in text(common.data)
    assert "New password must be at least 10 characters" in text(short.data)
    assert "The passwords do not match" in text(mismatched.data)
    assert "New password is the password you have now" in text(same.data)


def test_recent_logins_show_the_member_their_failed_and_successful_logins(
        client: Any, network: SmallNetwork) -> None:
    log_in(client, NINA, password="someone guessing")
    log_in(client, "sara.south@southmoor.nhs.uk", password="not hers either")
    log_in(client, NINA)

    page = client.get("/account/logins")

    logins = rows(page.data, "account-logins")
    assert [r["What happened"] for r in logins] == ["Logged in", "Wrong password"]
    assert all(r["Network address"] == "127.0.0.1" for r in logins)


def test_recent_logins_are_not_shown_to_visitors(client: Any, network: SmallNetwork) -> None:
    assert client.get("/account/logins").status_code == 302
    assert client.get("/account").status_code == 302


def mail_sent(web_app: Any) -> None:
    """Wait for the reset e-mails asked for so far: they are sent after the answer."""
    web_app.extensions["reset_sender"].submit(lambda: None).result(timeout=30)


def reset_link(mailbox: Mailbox) -> str:
    body = mailbox.received[-1].email.get_content()
    found = re.search(r"http://localhost(/account/reset/\S+)", body)
    assert found, body
    return found.group(1)


def ask_for_reset(client: Any, email: str) -> Any:
    login_page = client.get("/login").data
    assert 'href="/account/reset"' in login_page.decode()  # "Forgotten your password?"
    answer = submit(client, client.get("/account/reset").data, {"email": email},
                    action="/account/reset")
    mail_sent(client.application)
    return answer


def test_a_forgotten_password_is_reset_once_by_an_emailed_link(
        client: Any, web_app: Any, network: SmallNetwork, mailbox: Mailbox) -> None:
    stranger = web_app.test_client()
    log_in(stranger, NINA)  # someone who had her password

    answer = ask_for_reset(client, NINA)

    assert answer.status_code == 200
    assert "Check your e-mail" in text(answer.data)
    assert mailbox.received[-1].recipients == [NINA]
    link = reset_link(mailbox)
    page = client.get(link)
    assert "Choose a new password" in text(page.data)
    assert page.headers["Cache-Control"] == "no-store"
    done = submit(client, page.data, {"new_password": NEW_PASSWORD,
                                      "confirm_password": NEW_PASSWORD}, action=link)
    assert done.status_code == 302
    assert "Your password has been reset" in text(client.get("/login").data)
    assert not logged_in(stranger)
    assert log_in(client, NINA, password=NEW_PASSWORD).status_code == 302
    again = client.get(link)
    assert again.status_code == 410
    assert "This link has been used" in text(again.data)


def test_asking_for_a_reset_answers_the_same_for_an_unknown_address(
        client: Any, network: SmallNetwork, mailbox: Mailbox) -> None:
    known = ask_for_reset(client, NINA)
    unknown = ask_for_reset(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 200
    assert text(known.data).replace(NINA, "X") == text(unknown.data).replace(
        "nobody@example.org", "X")
    assert [m.recipients for m in mailbox.received] == [[NINA]]


def test_a_reset_link_refuses_a_common_password_beside_the_field(
        client: Any, network: SmallNetwork, mailbox: Mailbox) -> None:
    ask_for_reset(client, NINA)
    link = reset_link(mailbox)

    refused = submit(client, client.get(link).data, {"new_password": "qwertyuiop",
                                                     "confirm_password": "qwertyuiop"},
                     action=link)

    assert refused.status_code == 400
    assert "New password is one of the most common passwords" in text(refused.data)
    assert log_in(client, NINA).status_code == 302  # the old password still works


def test_a_made_up_reset_link_is_not_valid(client: Any, network: SmallNetwork) -> None:
    answer = client.get("/account/reset/not-a-real-token")

    assert answer.status_code == 404
    assert "This link is not valid" in text(answer.data)


def test_asking_for_a_reset_does_not_wait_for_the_email_to_be_written_and_sent(
        client: Any, web_app: Any, network: SmallNetwork, monkeypatch: Any) -> None:
    # Writing to the outbox and talking to the mail server took time only for members'
    # addresses, so the answer's time told who is a member.
    from community.accounts import ResetLinks

    sending = threading.Event()
    release = threading.Event()

    def slow_send(self: Any, app: Any, email: object, base_url: str) -> None:
        sending.set()
        release.wait(timeout=30)

    monkeypatch.setattr(ResetLinks, "send", slow_send)
    page = client.get("/account/reset").data

    answer = submit(client, page, {"email": NINA}, action="/account/reset")

    assert answer.status_code == 200
    assert sending.wait(timeout=30)  # still sending, and already answered
    release.set()
    mail_sent(web_app)
