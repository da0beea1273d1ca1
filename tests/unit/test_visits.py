"""A peer-review visit: recorded, given feedback, and its areas turned into QIPs."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.values import KeyArea
from domain.visit import Visit, guess_key_area

NORTH, SOUTH, NINA, SARA = uuid4(), uuid4(), uuid4(), uuid4()


def a_visit() -> Visit:
    return Visit.record(host_team_id=NORTH, visiting_team_id=SOUTH, visited_on="2011-10-12",
                        attendee_ids=[NINA, SARA, NINA])


def with_feedback() -> Visit:
    visit = a_visit()
    visit.give_feedback(areas_for_improvement=["Complete the audit data", " ", "Shorter waits"],
                        strengths=["Nurse-led clinic"], data_discussed="NLCA 2010",
                        by=SARA, given_on="2011-10-20")
    return visit


def test_a_visit_records_host_visitor_day_and_who_came_once_each() -> None:
    visit = a_visit()

    assert (visit.host_team_id, visit.visiting_team_id) == (NORTH, SOUTH)
    assert visit.visited_on == date(2011, 10, 12)
    assert visit.attendee_ids == [NINA, SARA]


def test_a_team_cannot_visit_itself() -> None:
    with pytest.raises(Invalid) as raised:
        Visit.record(host_team_id=NORTH, visiting_team_id=NORTH, visited_on="2011-10-12")

    assert set(raised.value.fields) == {"visiting_team_id"}


def test_feedback_keeps_areas_and_strengths_without_blanks() -> None:
    visit = with_feedback()

    assert visit.areas_for_improvement == ["Complete the audit data", "Shorter waits"]
    assert visit.strengths == ["Nurse-led clinic"]
    assert visit.data_discussed == "NLCA 2010"


def test_empty_feedback_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        a_visit().give_feedback(areas_for_improvement=[], strengths=[""], data_discussed="",
                                by=SARA, given_on="2011-10-20")

    assert "areas_for_improvement" in raised.value.fields


def test_an_area_too_long_for_a_qip_title_is_named() -> None:
    with pytest.raises(Invalid) as raised:
        a_visit().give_feedback(areas_for_improvement=["ok", "x" * 201], strengths=[],
                                data_discussed="", by=SARA, given_on="2011-10-20")

    assert set(raised.value.fields) == {"areas_for_improvement[1]"}


def test_a_qip_drafted_from_an_area_is_linked_once() -> None:
    visit = with_feedback()
    qip_id = uuid4()

    visit.qip_drafted_from(area=1, qip_id=qip_id)

    assert visit.drafted_qips == {1: qip_id}
    with pytest.raises(Conflict):
        visit.qip_drafted_from(area=1, qip_id=uuid4())
    with pytest.raises(Invalid):
        visit.qip_drafted_from(area=5, qip_id=uuid4())


def test_feedback_cannot_change_once_a_qip_was_drafted_from_it() -> None:
    visit = with_feedback()
    visit.qip_drafted_from(area=0, qip_id=uuid4())

    with pytest.raises(Conflict):
        visit.give_feedback(areas_for_improvement=["Other"], strengths=[], data_discussed="",
                            by=SARA, given_on="2011-10-21")


def test_the_key_area_is_guessed_from_the_words() -> None:
    assert guess_key_area("Complete the audit data") is KeyArea.DATA_COLLECTION
    assert guess_key_area("Shorter waits for CT-guided biopsy") is KeyArea.PATHWAY_WAITS
    assert guess_key_area("Something else") is KeyArea.MDT_RUNNING
