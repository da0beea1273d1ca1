"""Answering a follow-up: yes with a date, no with a reason, and what is refused."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.follow_up import FollowUp
from domain.values import FollowUpStatus

NINA, SARA, SOUTH = uuid4(), uuid4(), uuid4()


def a_request() -> FollowUp:
    return FollowUp.request(requested_by=NINA, kind="reciprocal_visit",
                            reason="Another visit to see your EBUS list",
                            requested_on="2012-04-02", team_id=SOUTH)


def test_accepting_proposes_a_date_and_keeps_the_message() -> None:
    follow_up = a_request()

    follow_up.accept(by=SARA, proposed_date="2012-05-10", message="Come on a Thursday",
                     answered_on="2012-04-05")

    assert follow_up.status is FollowUpStatus.ACCEPTED
    assert follow_up.proposed_date == date(2012, 5, 10)
    assert follow_up.answers[-1]["message"] == "Come on a Thursday"


def test_accepting_again_moves_the_proposed_date() -> None:
    follow_up = a_request()
    follow_up.accept(by=SARA, proposed_date="2012-05-10", answered_on="2012-04-05")

    follow_up.accept(by=SARA, proposed_date="2012-05-17", answered_on="2012-04-06")

    assert follow_up.proposed_date == date(2012, 5, 17)


def test_a_plain_reply_after_accepting_leaves_it_accepted() -> None:
    follow_up = a_request()
    follow_up.accept(by=SARA, proposed_date="2012-05-10", answered_on="2012-04-05")

    follow_up.answer(by=NINA, message="Thursday is fine", answered_on="2012-04-06")

    assert follow_up.status is FollowUpStatus.ACCEPTED


def test_declining_needs_a_reason_and_ends_the_request() -> None:
    follow_up = a_request()

    follow_up.decline(by=SARA, reason="No staff to host until the autumn",
                      answered_on="2012-04-05")

    assert follow_up.status is FollowUpStatus.DECLINED
    assert follow_up.decline_reason == "No staff to host until the autumn"
    assert follow_up.is_over


def test_declining_without_a_reason_is_refused_naming_the_reason() -> None:
    with pytest.raises(Invalid) as raised:
        a_request().decline(by=SARA, reason="  ", answered_on="2012-04-05")

    assert set(raised.value.fields) == {"reason"}


def test_a_proposed_date_before_the_request_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        a_request().accept(by=SARA, proposed_date="2012-03-01", answered_on="2012-04-05")

    assert set(raised.value.fields) == {"proposed_date"}


def test_a_missing_proposed_date_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        a_request().accept(by=SARA, proposed_date="", answered_on="2012-04-05")

    assert set(raised.value.fields) == {"proposed_date"}


@pytest.mark.parametrize("end", ["close", "decline"])
def test_a_closed_or_declined_request_cannot_be_answered(end: str) -> None:
    follow_up = a_request()
    if end == "close":
        follow_up.close(by=NINA, closed_on="2012-04-03")
    else:
        follow_up.decline(by=SARA, reason="Not this year", answered_on="2012-04-03")

    with pytest.raises(Conflict):
        follow_up.accept(by=SARA, proposed_date="2012-05-10", answered_on="2012-04-05")
    with pytest.raises(Conflict):
        follow_up.decline(by=SARA, reason="No", answered_on="2012-04-05")
    with pytest.raises(Conflict):
        follow_up.answer(by=SARA, message="Sorry", answered_on="2012-04-05")


def test_a_declined_request_can_still_be_closed_by_the_requester() -> None:
    follow_up = a_request()
    follow_up.decline(by=SARA, reason="Not this year", answered_on="2012-04-03")

    follow_up.close(by=NINA, closed_on="2012-04-04")

    assert follow_up.status is FollowUpStatus.CLOSED
