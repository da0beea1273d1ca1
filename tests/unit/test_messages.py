"""An e-mail in the outbox: proposed, reworded, discarded, claimed by a send run,
sent or failed; never sent twice, never changed once it may have gone."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.message import Message, message_id_for
from domain.values import MessageStatus

NINA, OLIVE = uuid4(), uuid4()
KEY = "nudge:qip:1234:2013-06-01"
DAY = date(2013, 6, 1)


def proposed(**changes: Any) -> Message:
    details: dict[str, Any] = {"key": KEY, "to_member_id": NINA, "to_email": "nina.nurse@northshire.nhs.uk",
               "to_name": "Nina Nurse", "subject": "How is your QIP going?",
               "body": "Dear Nina,\n\nIt has been three months since ...",
               "reason": "No progress reported for 90 days", "proposed_on": "2013-06-01"}
    return Message.propose(**{**details, **changes})


def claimed() -> Message:
    message = proposed()
    message.claim(by=OLIVE)
    return message


def sent() -> Message:
    message = claimed()
    message.mark_sent(sent_on=DAY)
    return message


def discarded() -> Message:
    message = proposed()
    message.discard(by=OLIVE, reason="Spoke to her yesterday", discarded_on=DAY)
    return message


def test_the_same_action_proposed_twice_is_the_same_message() -> None:
    assert proposed().id == proposed(subject="Other words").id == message_id_for(KEY)
    assert proposed().id != proposed(key="nudge:qip:1234:2013-07-01").id


def test_a_proposed_message_waits_for_an_organiser() -> None:
    message = proposed()

    assert message.status is MessageStatus.PROPOSED
    assert (message.to_email, message.subject, message.sent_on) == (
        "nina.nurse@northshire.nhs.uk", "How is your QIP going?", None)


def test_a_proposal_names_every_problem_at_once() -> None:
    with pytest.raises(Invalid) as raised:
        proposed(to_email="not an address", subject="", body=" ", proposed_on="June")

    assert set(raised.value.fields) == {"to_email", "subject", "body", "proposed_on"}


@pytest.mark.parametrize("field", ["subject", "to_name", "to_email", "key"])
def test_a_header_with_a_line_break_is_refused(field: str) -> None:
    with pytest.raises(Invalid) as raised:
        proposed(**{field: "nina@x.nhs.uk\r\nBcc: everyone@example.org"})

    assert raised.value.fields[field] == "must be on one line"


def test_an_organiser_may_reword_a_message_before_it_goes() -> None:
    message = proposed()
    message.edit(by=OLIVE, subject="Your CNS QIP", body=None)

    assert message.subject == "Your CNS QIP"
    assert message.body.startswith("Dear Nina")
    assert message.version == 2


@pytest.mark.parametrize("state", [claimed, sent, discarded])
def test_a_message_that_is_going_gone_or_discarded_cannot_be_reworded(state) -> None:
    message = state()

    with pytest.raises(Conflict):
        message.edit(by=OLIVE, subject="Too late")


@pytest.mark.parametrize("state", [sent, discarded])
def test_a_sent_or_discarded_message_cannot_be_sent(state) -> None:
    message = state()

    with pytest.raises(Conflict) as raised:
        message.claim(by=OLIVE)
    assert raised.value.message in {"this message has already been sent",
                                    "this message was discarded"}


def test_a_message_being_sent_cannot_be_claimed_by_another_run() -> None:
    with pytest.raises(Conflict, match="being sent"):
        claimed().claim(by=OLIVE)


def test_a_message_being_sent_cannot_be_discarded_because_it_may_have_gone() -> None:
    with pytest.raises(Conflict):
        claimed().discard(by=OLIVE, reason="", discarded_on=DAY)


def test_a_sent_message_says_when() -> None:
    message = sent()

    assert (message.status, message.sent_on, message.error) == (MessageStatus.SENT, DAY, None)


def test_a_failed_message_keeps_the_error_and_may_be_tried_again() -> None:
    message = claimed()
    message.mark_failed(error="the mail server could not be reached", failed_on=DAY)
    assert (message.status, message.error) == (
        MessageStatus.FAILED, "the mail server could not be reached")

    message.claim(by=OLIVE)
    message.mark_sent(sent_on=DAY)
    assert (message.status, message.error) == (MessageStatus.SENT, None)


def test_a_failed_message_may_be_reworded_or_discarded() -> None:
    message = claimed()
    message.mark_failed(error="550 no such user", failed_on=DAY)
    message.edit(by=OLIVE, subject="Second try")
    message.discard(by=OLIVE, reason="Wrong address", discarded_on=DAY)

    assert message.status is MessageStatus.DISCARDED
    assert message.discard_reason == "Wrong address"


def test_only_a_message_being_sent_is_marked_sent_or_failed() -> None:
    with pytest.raises(Conflict):
        proposed().mark_sent(sent_on=DAY)
    with pytest.raises(Conflict):
        sent().mark_failed(error="late", failed_on=DAY)
