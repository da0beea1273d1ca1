"""Choosing a date for an event: the one that clashes with fewest clinics and MDT meetings."""

from __future__ import annotations

from datetime import date

import pytest

from domain.scheduling import (
    CLINIC_DAY,
    DEFAULT_SHOW_UP_RATE,
    MDT_MEETING,
    Invitee,
    candidate_dates,
    suggest_dates,
)

MON, TUE, WED, THU, FRI = (date(2013, 7, d) for d in range(1, 6))  # 1 July 2013 was a Monday


def nurse(n: int, *clinic_days: str, meeting: str | None = None, team: str = "north") -> Invitee:
    return Invitee(member_id=f"m{n}", role="lung_cancer_nurse_specialist", team_id=team,
                   clinic_days=tuple(clinic_days), team_meeting_day=meeting)


def test_the_date_with_the_fewest_clinic_clashes_is_picked() -> None:
    invitees = [nurse(1, "wednesday"), nurse(2, "wednesday", "monday"), nurse(3, "tuesday")]

    best = suggest_dates([MON, TUE, WED, THU], invitees)[0]

    assert best.date == THU
    assert best.clashes == 0


def test_wednesday_clinics_push_wednesday_to_the_bottom() -> None:
    invitees = [nurse(n, "wednesday") for n in range(5)] + [nurse(9, "monday")]

    ranked = suggest_dates([MON, WED, FRI], invitees)

    assert [s.date for s in ranked] == [FRI, MON, WED]
    assert [s.clashes for s in ranked] == [0, 1, 5]


def test_the_team_mdt_meeting_day_counts_as_a_clash() -> None:
    invitees = [nurse(1, meeting="tuesday"), nurse(2, meeting="tuesday"), nurse(3)]

    by_day = {s.date: s for s in suggest_dates([TUE, THU], invitees)}

    assert by_day[TUE].clashes == 2
    assert by_day[TUE].clash_reasons == {MDT_MEETING: 2}
    assert by_day[THU].clashes == 0


def test_a_member_with_a_clinic_and_the_mdt_on_one_day_clashes_once_for_both_reasons() -> None:
    ranked = suggest_dates([FRI], [nurse(1, "friday", meeting="friday")])

    assert ranked[0].clashes == 1
    assert ranked[0].clash_reasons == {CLINIC_DAY: 1, MDT_MEETING: 1}


def test_ties_go_to_the_earliest_date() -> None:
    ranked = suggest_dates([FRI, TUE, THU], [nurse(1, "monday")])

    assert [s.date for s in ranked] == [TUE, THU, FRI]


def test_expected_turnout_is_the_free_invitees_times_the_show_up_rate() -> None:
    invitees = [nurse(n, "wednesday") for n in range(4)] + [nurse(n) for n in range(4, 10)]

    by_day = {s.date: s for s in suggest_dates([WED, THU], invitees, show_up_rate=0.5)}

    assert by_day[THU].expected_turnout == 5.0
    assert by_day[WED].expected_turnout == 3.0
    assert by_day[WED].free == 6


def test_the_default_show_up_rate_is_an_assumption_of_sixty_percent() -> None:
    assert DEFAULT_SHOW_UP_RATE == 0.6
    assert suggest_dates([MON], [nurse(n) for n in range(10)])[0].expected_turnout == 6.0


def test_a_show_up_rate_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError):
        suggest_dates([MON], [], show_up_rate=1.5)


def test_candidates_are_working_days_without_bank_holidays() -> None:
    days = candidate_dates(date(2013, 8, 23), date(2013, 8, 30), bank_holidays=[date(2013, 8, 26)])

    assert days == [date(2013, 8, 23), date(2013, 8, 27), date(2013, 8, 28), date(2013, 8, 29),
                    date(2013, 8, 30)]


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        candidate_dates(FRI, MON)
