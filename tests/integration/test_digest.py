"""``community digest`` on each real store: one digest per subscribed member with
something new, none for those who chose never, nothing twice when run again, and
the unsubscribe link in each one stops the next."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from community import Community
from community.digest import UnsubscribeLinkError
from domain.member import DigestFrequency
from tests.integration.network import Network, build_network
from tests.smtp import mail_through, running_mailbox
from tests.tokens import tampered

MONDAY = date(2013, 6, 3)  # the weekly digest covers 27 May to 2 June 2013
SITE = "https://community.example.org"


@pytest.fixture
def net(app: Community) -> Network:
    """Nina asks two diagnostics questions; Sara answers the first; Sara and Olive (an
    organiser with no team) follow diagnostics; Liam follows the first but chose never."""
    net = build_network(app)
    first = app.ask_question(by=net.nurse, title="Nurse-led EBUS follow-up?", body="Anyone?",
                             key_areas=["diagnostics"], asked_on=date(2013, 5, 28))
    app.ask_question(by=net.nurse, title="Same-day CT?", body="How?",
                     key_areas=["diagnostics"], asked_on=date(2013, 5, 30))
    app.answer_question(first, by=net.other_nurse, body="We do, on Tuesdays.",
                        posted_on=date(2013, 5, 29))
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[])
    app.choose_follows(by=net.organiser, key_areas=["diagnostics"], team_ids=[])
    app.follow_question(first, by=net.lead)
    app.choose_digest(by=net.lead, frequency="never")
    return net


def digests(app: Community) -> dict[str, dict[str, Any]]:
    rows, _ = app.views.outbox.listing(limit=200)
    return {r["to_member_id"]: r for r in rows if r["key"].startswith("digest:")}


def test_run_twice_puts_one_digest_per_subscribed_member_and_none_for_never(
        app: Community, net: Network) -> None:
    first = app.send_digests(today=MONDAY, base_url=SITE)
    second = app.send_digests(today=MONDAY, base_url=SITE)

    found = digests(app)
    assert sorted(found) == sorted(str(m) for m in (net.nurse, net.other_nurse, net.organiser))
    assert (first.added, first.already, first.never) == (3, 0, 1)
    assert (second.added, second.already, second.never) == (0, 3, 1)
    assert first.summary().startswith("Digests: put 3 in the outbox;")
    assert str(net.lead) not in found


def test_each_member_reads_what_is_new_for_them_with_links(app: Community,
                                                           net: Network) -> None:
    app.send_digests(today=MONDAY, base_url=SITE)
    found = digests(app)

    nina = found[str(net.nurse)]
    assert nina["subject"] == ("Clinical Community: your weekly digest, "
                               "27 May 2013 to 2 June 2013")
    assert "Sara South answered “Nurse-led EBUS follow-up?” on 29 May 2013" in nina["body"]
    assert "Same-day CT?" not in nina["body"]  # her own question is not hers to answer
    sara = found[str(net.other_nurse)]["body"]
    assert "Questions you could answer" in sara and "“Same-day CT?”" in sara
    assert re.search(rf"{SITE}/questions/[0-9a-f-]{{36}}", sara)
    assert "Same-day CT?" in found[str(net.organiser)]["body"]


def test_a_member_with_nothing_new_gets_no_email_and_is_counted(app: Community,
                                                                net: Network) -> None:
    report = app.send_digests(today=date(2013, 7, 1), base_url=SITE)

    assert report.added == 0 and report.nothing_new == 3
    assert digests(app) == {}


def test_the_unsubscribe_link_works_once_and_the_next_run_leaves_her_out(
        app: Community, net: Network) -> None:
    app.send_digests(today=MONDAY, base_url=SITE)
    body = digests(app)[str(net.other_nurse)]["body"]
    link = re.search(rf"{SITE}/digest/unsubscribe/(\S+)$", body)
    assert link is not None
    token = link.group(1)

    assert app.digest_choice_for_link(token) is DigestFrequency.WEEKLY
    assert app.unsubscribe_by_link(token) is True
    assert app.unsubscribe_by_link(token) is False
    assert app.notification_settings(net.other_nurse).digest is DigestFrequency.NEVER
    with pytest.raises(UnsubscribeLinkError):
        app.unsubscribe_by_link(tampered(token))

    app.answer_question(app.views.questions.questions(key_area="diagnostics")[0][0]["id"],
                        by=net.lead, body="Try a hot clinic.", posted_on=date(2013, 6, 5))
    later = app.send_digests(today=date(2013, 6, 10), base_url=SITE)
    assert later.never == 2
    assert str(net.other_nurse) not in {r["to_member_id"] for r in app.views.outbox.listing(
        limit=200)[0] if r["key"].endswith("2013-W23")}


def test_a_daily_member_gets_that_days_news(app: Community, net: Network) -> None:
    app.choose_digest(by=net.nurse, frequency=DigestFrequency.DAILY)

    quiet = app.send_digests(today=MONDAY, base_url=SITE)
    busy = app.send_digests(today=date(2013, 5, 29), base_url=SITE)

    keys = sorted(r["key"] for r in digests(app).values())
    assert f"digest:{net.nurse}:2013-05-29" in keys
    assert quiet.nothing_new >= 1 and busy.added >= 1


def test_a_sent_digest_names_its_one_click_link_in_the_headers(app: Community,
                                                               net: Network) -> None:
    app.send_digests(today=MONDAY, base_url=SITE)
    ninas = digests(app)[str(net.nurse)]

    with running_mailbox() as mailbox:
        mail_through(app, mailbox.port)
        assert len(app.send_messages(by=None, ids=[ninas["id"]]).sent) == 1

    [received] = mailbox.received
    link = ninas["body"].rsplit(" ", 1)[1]
    assert received.email["List-Unsubscribe"] == f"<{link}>"
    assert received.email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
