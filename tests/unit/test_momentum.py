"""Which quiet plans, teams and requests get an action, and that each has one key."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.momentum import QuietQip, QuietTeam, Thresholds, WaitingRequest, propose

AS_OF = date(2013, 6, 3)


def qip(weeks_quiet: int, qip_id: str = "q1") -> QuietQip:
    return QuietQip(qip_id, "CNS at diagnosis", "owner", "Nina Nurse", "Northshire",
                    AS_OF - timedelta(weeks=weeks_quiet))


def team(weeks_quiet: int) -> QuietTeam:
    return QuietTeam("t1", "Southmoor", "lead", "Liam Lead", AS_OF - timedelta(weeks=weeks_quiet))


def request(weeks_waiting: int, paired: bool = True) -> WaitingRequest:
    return WaitingRequest("f1", "reciprocal_visit", AS_OF - timedelta(weeks=weeks_waiting),
                          "Nina Nurse", "Northshire", "Southmoor", "lead", "Liam Lead", paired)


def kinds(**facts: list[Any]) -> list[str]:
    given = {"qips": [], "teams": [], "requests": [], **facts}
    return [a.kind for a in propose(AS_OF, Thresholds(), **given)]


def test_a_qip_quiet_for_the_threshold_gets_a_nudge_and_at_twice_it_a_revisit() -> None:
    assert kinds(qips=[qip(7)]) == []
    assert kinds(qips=[qip(8)]) == ["nudge"]
    assert kinds(qips=[qip(16)]) == ["nudge", "revisit"]


def test_a_quiet_team_is_offered_a_revisit_after_its_threshold() -> None:
    assert kinds(teams=[team(11)]) == []
    assert kinds(teams=[team(12)]) == ["revisit"]


def test_an_unanswered_request_gets_a_reminder_that_says_the_teams_are_paired() -> None:
    [action] = propose(AS_OF, Thresholds(), [], [], [request(3)])

    assert kinds(requests=[request(2)]) == []
    assert action.kind == "reminder" and action.to_member_id == "lead"
    assert "between paired teams" in action.reason
    assert "peer-review partner" in action.body and "Nina Nurse" in action.subject


def test_the_key_changes_only_when_the_quiet_begins_again() -> None:
    first = propose(AS_OF, Thresholds(), [qip(9)], [], [])
    same_quiet = QuietQip("q1", "CNS at diagnosis", "owner", "Nina Nurse", "Northshire",
                          AS_OF - timedelta(weeks=9))
    a_week_later = propose(AS_OF + timedelta(weeks=1), Thresholds(), [same_quiet], [], [])
    # New progress recorded, then quiet again: a new silence, a new action.
    after_new_progress = propose(AS_OF + timedelta(weeks=12), Thresholds(), [qip(1)], [], [])

    assert first[0].key == a_week_later[0].key == f"nudge:qip:q1:{AS_OF - timedelta(weeks=9)}"
    assert after_new_progress[0].key != first[0].key


def test_thresholds_are_the_organisers_to_set() -> None:
    lenient = Thresholds(qip_weeks=20, team_weeks=30, follow_up_weeks=6)

    assert propose(AS_OF, lenient, [qip(16)], [team(25)], [request(5)]) == []
