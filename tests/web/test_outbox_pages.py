"""The organisers' outbox pages: review the e-mails proposed to members, reword or
discard them, and send them through a real (local) SMTP server."""

from __future__ import annotations

import re
from typing import Any

from community import Community
from tests.builders import SmallNetwork
from tests.smtp import Mailbox, free_port, mail_through
from tests.web.forms import form_on, submit
from tests.web.reading import links, table, text


def propose(community: Community, member: Any, key: str = "nudge:qip:north:2013-06-01",
            subject: str = "How is your CNS QIP going?") -> str:
    message_id, _ = community.propose_message(
        key=key, to_member_id=member, subject=subject,
        body="Dear Nina,\n\nNo progress has been reported for three months.\nCan we help?",
        reason="No progress reported for 90 days")
    return str(message_id)


def send(client: Any, how: str, ids: tuple[str, ...] = (), page: Any = None) -> Any:
    """Tick the e-mails ``ids`` in the outbox and press "Send selected"; or follow "Send
    all proposed" to the page that says what will happen, and press its button. ``page``
    is that page (the outbox, or the "Send all" confirmation) opened earlier: another
    tab, say."""
    if how == "all":
        page = page or client.get(send_all_link(client.get("/organise/outbox").data))
        return submit(client, page.data, action="/organise/outbox/send", button="send",
                      follow_redirects=True)
    page = page or client.get("/organise/outbox")
    return submit(client, page.data, {"send": how, "message_id": list(ids)},
                  action="/organise/outbox/send", follow_redirects=True)


def send_all_link(outbox: bytes) -> str:
    [href] = [href for label, href in links(outbox).items()
              if label.startswith("Send all proposed")]
    return href


def test_the_outbox_is_for_organisers_only(client: Any, nina: Any, network, community) -> None:
    message_id = propose(community, network.nurse)

    assert nina.get("/organise/outbox").status_code == 403
    assert nina.get(f"/organise/outbox/{message_id}").status_code == 403
    # Nina is never shown these forms: forged posts with the fields the organisers' have.
    token = form_on(nina.get("/directory").data, "/logout").data({})["csrf_token"]
    refused = nina.post("/organise/outbox/send", data={"csrf_token": token, "send": "all"})
    assert refused.status_code == 403
    assert nina.post("/organise/outbox/momentum", data={"csrf_token": token}).status_code == 403
    assert "Outbox" not in text(nina.get("/directory").data)


def test_an_empty_outbox_says_so(olive: Any) -> None:
    page = olive.get("/organise/outbox")

    assert page.status_code == 200
    assert "The outbox is empty." in text(page.data)
    assert "Outbox" in text(olive.get("/organise").data)  # in the organisers' hub


def test_the_outbox_lists_waiting_e_mails_first_with_recipient_subject_and_why(
        olive: Any, network: SmallNetwork, community: Community, mailbox: Mailbox) -> None:
    sent = propose(community, network.other_nurse, key="a", subject="Your EBUS list")
    community.send_messages(by=None, ids=[sent])
    propose(community, network.nurse)

    page = olive.get("/organise/outbox")

    found = table(page.data, "outbox")
    assert found["head"] == [["Select", "To", "Subject", "Why", "Status", "Date"]]
    assert [row[1:5] for row in found["body"]] == [
        ["Nina Nurse", "How is your CNS QIP going?", "No progress reported for 90 days",
         "Waiting for you"],
        ["Sara South", "Your EBUS list", "No progress reported for 90 days", "Sent"]]
    assert "Send all proposed (1)" in text(page.data)
    assert "E-mail is not set up" not in text(page.data)


def test_sending_the_selected_e_mail_sends_only_that_one_and_says_so(
        olive: Any, network: SmallNetwork, community: Community, mailbox: Mailbox) -> None:
    to_nina = propose(community, network.nurse)
    propose(community, network.other_nurse, key="b")

    done = send(olive, "selected", (to_nina,))

    assert "1 sent." in text(done.data)
    assert [r.recipients for r in mailbox.received] == [["nina.nurse@northshire.nhs.uk"]]
    earlier = olive.get(send_all_link(olive.get("/organise/outbox").data))
    again = send(olive, "all")
    assert "1 sent." in text(again.data) and len(mailbox.received) == 2
    assert "Send all proposed" not in text(again.data)  # nothing left to press
    # The confirmation opened earlier lists what waited then: it sends none of it twice.
    assert "0 sent, 1 skipped (already sent, discarded or being sent by someone else)." in text(
        send(olive, "all", page=earlier).data)


def test_sending_with_nothing_selected_asks_for_a_choice(olive: Any, network, community,
                                                          mailbox) -> None:
    propose(community, network.nurse)

    assert "Select at least one e-mail to send." in text(send(olive, "selected").data)
    assert mailbox.received == []


def test_when_the_mail_server_is_down_the_page_says_what_failed(
        olive: Any, network: SmallNetwork, community: Community) -> None:
    mail_through(community, free_port())
    message_id = propose(community, network.nurse)

    done = send(olive, "all")

    seen = text(done.data)
    assert "There is a problem" in seen
    assert re.search(r"0 sent, 1 failed: the mail server at 127\.0\.0\.1:\d+ could not be "
                     r"reached", seen)
    preview = text(olive.get(f"/organise/outbox/{message_id}").data)
    assert "Why it failed" in preview and "could not be reached" in preview


def test_without_a_mail_server_the_page_warns_and_sending_is_refused(
        olive: Any, network: SmallNetwork, community: Community) -> None:
    propose(community, network.nurse)

    assert "E-mail is not set up" in text(olive.get("/organise/outbox").data)
    done = send(olive, "all")
    assert "E-mail cannot be sent: no mail (SMTP) server is set up" in text(done.data)
    assert community.views.outbox.counts()["proposed"] == 1


def test_the_preview_shows_the_e_mail_and_saving_changes_rewords_it(
        olive: Any, network: SmallNetwork, community: Community) -> None:
    message_id = propose(community, network.nurse)
    page = olive.get(f"/organise/outbox/{message_id}")
    seen = text(page.data)
    assert "To Nina Nurse <nina.nurse@northshire.nhs.uk>" in seen
    assert "No progress has been reported for three months. Can we help?" in seen

    saved = submit(olive, page.data, {"subject": "Your QIP", "body": "Dear Nina, how is it going?"},
                   action=f"/organise/outbox/{message_id}/edit", follow_redirects=True)

    assert "Your changes to the e-mail are saved." in text(saved.data)
    assert community.message(message_id).subject == "Your QIP"


def test_saving_over_someone_elses_change_is_a_409_that_keeps_what_you_typed(
        olive: Any, network: SmallNetwork, community: Community) -> None:
    message_id = propose(community, network.nurse)
    page = olive.get(f"/organise/outbox/{message_id}")  # version 1
    community.edit_message(message_id, by=network.organiser, subject="Changed elsewhere")

    stale = submit(olive, page.data, {"subject": "My words", "body": "My body"},
                   action=f"/organise/outbox/{message_id}/edit")

    assert stale.status_code == 409
    seen = text(stale.data)
    assert "This e-mail was changed by someone else since you opened it" in seen
    assert 'value="My words"' in stale.data.decode()
    assert community.message(message_id).subject == "Changed elsewhere"


def test_a_blank_subject_is_refused_and_named(olive: Any, network, community) -> None:
    message_id = propose(community, network.nurse)
    page = olive.get(f"/organise/outbox/{message_id}")

    refused = submit(olive, page.data, {"subject": " ", "body": "x"},
                     action=f"/organise/outbox/{message_id}/edit")

    assert refused.status_code == 400
    assert "The subject is required" in text(refused.data)


def test_discarding_an_e_mail_means_it_is_never_sent(
        olive: Any, network: SmallNetwork, community: Community, mailbox: Mailbox) -> None:
    message_id = propose(community, network.nurse)
    page = olive.get(f"/organise/outbox/{message_id}")
    earlier = olive.get(send_all_link(olive.get("/organise/outbox").data))

    done = submit(olive, page.data, {"reason": "Spoke to her yesterday"},
                  action=f"/organise/outbox/{message_id}/discard", follow_redirects=True)

    assert "The e-mail to Nina Nurse was discarded; it will not be sent." in text(done.data)
    # The confirmation opened earlier lists what waited then: it sends none of it twice.
    assert "0 sent, 1 skipped (already sent, discarded or being sent by someone else)." in text(
        send(olive, "all", page=earlier).data)
    assert mailbox.received == []
    preview = text(olive.get(f"/organise/outbox/{message_id}").data)
    assert "Why it was discarded Spoke to her yesterday" in preview
    assert "Discard this e-mail" not in preview


def test_a_sent_e_mail_cannot_be_changed_or_discarded(
        olive: Any, network: SmallNetwork, community: Community, mailbox: Mailbox) -> None:
    message_id = propose(community, network.nurse)
    page = olive.get(f"/organise/outbox/{message_id}")
    community.send_messages(by=None)

    # The page was opened before the e-mail went: its forms are still there to press.
    late = submit(olive, page.data, {"subject": "Late", "body": "x"},
                  action=f"/organise/outbox/{message_id}/edit")
    assert late.status_code == 409
    assert "This e-mail is already sent, so it can no longer be changed." in text(late.data)
    refused = submit(olive, page.data, action=f"/organise/outbox/{message_id}/discard",
                     follow_redirects=True)
    assert "The e-mail was not discarded: this message is sent" in text(refused.data)


def test_the_organiser_runs_the_momentum_check_from_the_outbox_and_twice_changes_nothing(
        olive: Any, community: Community, network: SmallNetwork) -> None:
    qip = community.draft_qip(by=network.nurse, title="CNS at diagnosis", key_area="cns_access",
                              aim="From 61% to 80% seen by a CNS by March 2013",
                              timeframe="2012 to 2013",
                              measures=[{"name": "Seen", "baseline": 61, "target": 80}])
    community.share_qip(qip, shared_on="2012-06-01")  # a year before the tests' today

    def press(client: Any) -> Any:
        return submit(client, client.get("/organise/outbox").data,
                      action="/organise/outbox/momentum", follow_redirects=True)

    first, second = text(press(olive).data), text(press(olive).data)

    assert "proposed 3 new actions (1 nudge, 2 revisits)" in first
    assert "proposed 0 new actions; 3 already in the outbox" in second
    assert "How is “CNS at diagnosis” going?" in second


def test_the_address_of_a_member_who_did_not_agree_to_be_contacted_is_hidden(
        olive: Any, community: Community, network: SmallNetwork) -> None:
    # Issue 13: the outbox showed what the directory hides from organisers too.
    community.update_profile(network.nurse, by=None, consents_to_contact=False)
    hidden = text(olive.get(f"/organise/outbox/{propose(community, network.nurse)}").data)
    shown = text(olive.get(f"/organise/outbox/{propose(community, network.other_nurse, key='k2')}").data)

    assert "nina.nurse@northshire.nhs.uk" not in hidden
    assert "Nina Nurse (address hidden: not agreed to be contacted)" in hidden
    assert "Sara South <sara.south@southmoor.nhs.uk>" in shown
