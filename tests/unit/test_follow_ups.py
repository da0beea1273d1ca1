"""Asking for a follow-up, answering it and closing it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.follow_up import FollowUp
from domain.values import FollowUpKind, FollowUpStatus

NINA, SARA, NORTH = uuid4(), uuid4(), uuid4()


def ask(**target: Any) -> FollowUp:
    return FollowUp.request(requested_by=NINA, kind="reciprocal_visit",
                            reason="Another visit to see your EBUS list",
                            requested_on="2012-04-02", **target)


def asked_of_sara() -> FollowUp:
    return ask(member_id=SARA)


@pytest.mark.parametrize("target", [{"team_id": NORTH}, {"member_id": SARA},
                                    {"to_organisers": True}])
def test_a_follow_up_asks_exactly_one_team_member_or_the_organisers(target: dict[str, object]) -> None:
    follow_up = ask(**target)

    assert follow_up.status is FollowUpStatus.REQUESTED
    assert follow_up.kind is FollowUpKind.RECIPROCAL_VISIT
    asked = (follow_up.team_id, follow_up.member_id, follow_up.to_organisers)
    assert sum(1 for a in asked if a) == 1


@pytest.mark.parametrize("target", [{}, {"team_id": NORTH, "member_id": SARA},
                                    {"member_id": SARA, "to_organisers": True},
                                    {"to_organisers": False}])
def test_a_follow_up_with_no_target_or_two_targets_is_refused(target: dict[str, object]) -> None:
    with pytest.raises(Invalid) as raised:
        ask(**target)

    assert set(raised.value.fields) == {"team_id"}
    assert "exactly one" in raised.value.fields["team_id"]


def test_nobody_can_ask_themselves_for_a_follow_up() -> None:
    with pytest.raises(Invalid) as raised:
        ask(member_id=NINA)

    assert set(raised.value.fields) == {"member_id"}


def test_a_request_of_an_unknown_kind_without_reason_names_both() -> None:
    with pytest.raises(Invalid) as raised:
        FollowUp.request(requested_by=NINA, kind="coffee", reason=" ", requested_on="2012-04-02",
                         member_id=SARA)

    assert set(raised.value.fields) == {"kind", "reason"}


def test_answers_are_kept_in_order_and_mark_the_follow_up_answered() -> None:
    follow_up = asked_of_sara()
    follow_up.answer(by=SARA, message="Yes, come in May", answered_on="2012-04-03")
    follow_up.answer(by=SARA, message="Or June", answered_on="2012-04-05")

    assert follow_up.status is FollowUpStatus.ANSWERED
    assert [a["on"] for a in follow_up.answers] == [date(2012, 4, 3), date(2012, 4, 5)]
    assert follow_up.version == 3


def test_an_answer_dated_before_the_request_is_refused() -> None:
    follow_up = asked_of_sara()
    with pytest.raises(Invalid) as raised:
        follow_up.answer(by=SARA, message="Yes", answered_on="2012-04-01")

    assert set(raised.value.fields) == {"answered_on"}
    assert follow_up.answers == []


def test_a_closed_follow_up_cannot_be_answered() -> None:
    follow_up = asked_of_sara()
    follow_up.close(by=NINA, closed_on="2012-04-04")
    with pytest.raises(Conflict):
        follow_up.answer(by=SARA, message="Sorry, late", answered_on="2012-04-05")

    assert follow_up.status is FollowUpStatus.CLOSED and follow_up.answers == []


def test_a_closed_follow_up_cannot_be_closed_again() -> None:
    follow_up = asked_of_sara()
    follow_up.close(by=NINA, closed_on="2012-04-04")
    with pytest.raises(Conflict):
        follow_up.close(by=SARA, closed_on="2012-04-05")

    assert follow_up.closed_on == date(2012, 4, 4) and follow_up.version == 2


def test_an_answered_follow_up_can_be_closed() -> None:
    follow_up = asked_of_sara()
    follow_up.answer(by=SARA, message="Yes", answered_on="2012-04-03")
    follow_up.close(by=NINA, closed_on="2012-04-04")

    assert follow_up.status is FollowUpStatus.CLOSED


def test_closing_on_a_day_that_is_not_a_date_is_refused() -> None:
    follow_up = asked_of_sara()
    with pytest.raises(Invalid) as raised:
        follow_up.close(by=NINA, closed_on="soon")

    assert set(raised.value.fields) == {"closed_on"}
    assert follow_up.status is FollowUpStatus.REQUESTED
