"""The outbox against a real SMTP server (aiosmtpd) on each real store: proposed
once, sent once, even when two send runs race; failures shown and retried."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from community import Community
from community.outbox import SendReport
from domain.errors import Conflict, NotAllowed
from domain.message import Message
from tests.builders import SmallNetwork, small_network
from tests.conftest import make_community
from tests.smtp import Mailbox, free_port, running_mailbox

NINA_EMAIL = "nina.nurse@northshire.nhs.uk"


def mailing_to(port: int, url: str) -> Community:
    """A Community on ``url`` that sends through the SMTP server on ``port``."""
    app = make_community(url)
    app.settings = replace(app.settings, smtp_host="127.0.0.1", smtp_port=port,
                           smtp_from="organisers@ilcop.example.org")
    return app


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with running_mailbox() as mailbox:
        yield mailbox


@pytest.fixture
def app(database_url: str, mailbox: Mailbox) -> Iterator[Community]:
    community = mailing_to(mailbox.port, database_url)
    yield community
    community.close()


@pytest.fixture
def network(app: Community) -> SmallNetwork:
    return small_network(app)


def nudge(app: Community, member: Any, key: str = "nudge:qip:north-cns:2013-06-01",
          **changes: Any) -> tuple[Any, bool]:
    return app.propose_message(**{
        "key": key, "to_member_id": member, "subject": "How is your CNS QIP going?",
        "body": "Dear Nina,\n\nNo progress has been reported for three months.",
        "reason": "No progress reported for 90 days", **changes})


def test_proposing_the_same_action_twice_queues_one_message(app, network) -> None:
    first = nudge(app, network.nurse)
    again = nudge(app, network.nurse, subject="Other words")

    assert first == (first[0], True) and again == (first[0], False)
    assert app.message(first[0]).version == 1
    rows, total = app.views.outbox.listing()
    assert total == 1
    assert (rows[0]["to_email"], rows[0]["to_name"], rows[0]["subject"], rows[0]["status"]) == (
        NINA_EMAIL, "Nina Nurse", "How is your CNS QIP going?", "proposed")


def test_sending_delivers_exactly_one_email_with_the_right_headers(app, network, mailbox) -> None:
    message_id, _ = nudge(app, network.nurse)

    report = app.send_messages(by=network.organiser)

    assert report.sent == [message_id] and report.summary() == "1 sent"
    [got] = mailbox.received
    assert got.recipients == [NINA_EMAIL]
    assert got.email["To"] == f"Nina Nurse <{NINA_EMAIL}>"
    assert got.email["From"] == "organisers@ilcop.example.org"
    assert got.email["Subject"] == "How is your CNS QIP going?"
    assert got.email["Message-ID"] == f"<{message_id}@clinical-community>"
    assert "No progress has been reported" in got.email.get_content()
    row = app.views.outbox.one(str(message_id))
    assert (row["status"], row["sent_on"], row["error"]) == ("sent", date(2013, 6, 1), None)


def test_sending_again_delivers_nothing_more(app, network, mailbox) -> None:
    message_id, _ = nudge(app, network.nurse)
    app.send_messages(by=network.organiser)

    again = app.send_messages(by=network.organiser)
    chosen = app.send_messages(by=network.organiser, ids=[str(message_id)])

    assert again.summary() == "There was nothing to send."
    assert (chosen.sent, chosen.skipped) == ([], [message_id])
    assert len(mailbox.received) == 1


def test_two_send_runs_racing_deliver_each_message_once(
        app, network, mailbox, database_url, monkeypatch) -> None:
    ids = [nudge(app, network.nurse, key=f"nudge:{n}")[0] for n in range(3)]
    other = mailing_to(mailbox.port, database_url)  # a second worker on the same store
    # Both runs load each message before either saves its claim: every claim races.
    both_loaded = threading.Barrier(2, timeout=20)
    claim = Message.claim
    monkeypatch.setattr(Message, "claim",
                        lambda self, *, by: (both_loaded.wait(), claim(self, by=by)))
    reports: list[SendReport] = []
    failures: list[BaseException] = []

    def send(runner: Community) -> None:
        try:
            reports.append(runner.send_messages(by=None, ids=list(ids)))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=send, args=(r,)) for r in (app, other)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        other.close()

    assert failures == []
    assert sorted(m for r in reports for m in r.sent) == sorted(ids)
    assert sorted(m for r in reports for m in r.skipped) == sorted(ids)
    assert sorted(mailbox.message_ids()) == sorted(f"<{m}@clinical-community>" for m in ids)
    assert app.views.outbox.counts()["sent"] == 3


def test_a_server_that_is_down_fails_the_message_and_a_retry_later_sends_it(
        database_url) -> None:
    port = free_port()
    app = mailing_to(port, database_url)
    try:
        network = small_network(app)
        message_id, _ = nudge(app, network.nurse)

        down = app.send_messages(by=network.organiser)
        assert down.sent == [] and [m for m, _ in down.failed] == [message_id]
        assert down.summary().startswith("0 sent, 1 failed: the mail server at 127.0.0.1:")
        row = app.views.outbox.one(str(message_id))
        assert row["status"] == "failed" and "could not be reached" in row["error"]

        with running_mailbox(port) as mailbox:
            later = app.send_messages(by=network.organiser)
        assert later.sent == [message_id] and len(mailbox.received) == 1
        row = app.views.outbox.one(str(message_id))
        assert (row["status"], row["error"]) == ("sent", None)
    finally:
        app.close()


def test_a_refused_recipient_fails_that_message_and_the_others_still_go(
        app, network, mailbox) -> None:
    mailbox.refuse.add(NINA_EMAIL)
    to_nina, _ = nudge(app, network.nurse)
    to_sara, _ = nudge(app, network.other_nurse, key="nudge:qip:south:2013-06-01")

    report = app.send_messages(by=network.organiser)

    assert report.sent == [to_sara] and [m for m, _ in report.failed] == [to_nina]
    assert "550 5.1.1 no such mailbox here" in report.summary()
    assert [r.recipients for r in mailbox.received] == [["sara.south@southmoor.nhs.uk"]]


def test_without_an_smtp_server_sending_is_refused_and_nothing_changes(database_url) -> None:
    app = make_community(database_url)  # no COMMUNITY_SMTP_HOST
    try:
        network = small_network(app)
        message_id, _ = nudge(app, network.nurse)

        with pytest.raises(Conflict, match=r"no mail \(SMTP\) server is set up.*"
                                           "COMMUNITY_SMTP_HOST"):
            app.send_messages(by=network.organiser)
        assert app.message(message_id).version == 1
        assert app.views.outbox.counts()["proposed"] == 1
    finally:
        app.close()


def test_only_organisers_propose_edit_discard_or_send(app, network) -> None:
    message_id, _ = nudge(app, network.nurse)

    for command in (lambda: nudge(app, network.lead, by=network.nurse),
                    lambda: app.edit_message(message_id, by=network.nurse, subject="Hi"),
                    lambda: app.discard_message(message_id, by=network.nurse),
                    lambda: app.send_messages(by=network.nurse)):
        with pytest.raises(NotAllowed):
            command()


def test_the_outbox_view_rebuilds_to_the_same_rows(app, network) -> None:
    nudge(app, network.nurse)  # to be sent
    app.send_messages(by=network.organiser)
    edited, _ = nudge(app, network.other_nurse, key="b")
    app.edit_message(edited, by=network.organiser, version=1, body="New words")
    dropped, _ = nudge(app, network.lead, key="c")
    app.discard_message(dropped, by=network.organiser, reason="Spoke to him")
    before = app.views.outbox.listing()

    app.views.rebuild(["outbox"])

    assert app.views.outbox.listing() == before
    assert [r["status"] for r in before[0]] == ["proposed", "sent", "discarded"]
    assert app.views.outbox.counts() == {"proposed": 1, "failed": 0, "sending": 0,
                                         "sent": 1, "discarded": 1}
