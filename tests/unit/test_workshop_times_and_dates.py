"""When an event is: its start time and length, the roles invited, the dates suggested
(no weekends, no bank holidays in England), and how the time reads on a page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import Invalid
from domain.scheduling import candidate_dates, england_bank_holidays
from domain.values import Role
from domain.workshop import Workshop, local_times
from tests.unit.test_stored_events import community_mapper
from web.workshop_calendar import clock, duration_text, roles_text, when_text


def conference(**changes: Any) -> Workshop:
    details = {"kind": "online_conference", "title": "Nurse-led follow-up clinics",
               "starts_on": "2012-03-14", "link": "https://meet.example.nhs.uk/ilcop",
               "organiser_id": uuid4(), "starts_at": "14:00", "duration_minutes": 120}
    return Workshop.plan(**{**details, **changes})


# --- suggested dates ------------------------------------------------------------------------

def test_the_diamond_jubilee_bank_holidays_are_never_suggested() -> None:
    # Monday 4 and Tuesday 5 June 2012: the spring bank holiday moved, plus the Jubilee.
    days = candidate_dates(date(2012, 6, 1), date(2012, 6, 8))

    assert days == [date(2012, 6, 1), date(2012, 6, 6), date(2012, 6, 7), date(2012, 6, 8)]


def test_christmas_and_boxing_day_are_never_suggested_and_nor_are_weekends() -> None:
    days = candidate_dates(date(2012, 12, 21), date(2012, 12, 31))

    assert days == [date(2012, 12, 21), date(2012, 12, 24), date(2012, 12, 27),
                    date(2012, 12, 28), date(2012, 12, 31)]


def test_a_substitute_day_for_christmas_at_a_weekend_is_a_bank_holiday_too() -> None:
    # Christmas 2010 fell on a Saturday: Monday 27 and Tuesday 28 December were off.
    found = england_bank_holidays(date(2010, 12, 20), date(2010, 12, 31))
    assert {date(2010, 12, 27), date(2010, 12, 28)} <= set(found)
    assert date(2010, 12, 28) not in candidate_dates(date(2010, 12, 20), date(2010, 12, 31))


def test_the_bank_holidays_left_out_are_named() -> None:
    found = england_bank_holidays(date(2012, 6, 1), date(2012, 6, 30))

    assert "Jubilee" in found[date(2012, 6, 5)]
    assert list(found) == [date(2012, 6, 4), date(2012, 6, 5)]


def test_scotlands_own_bank_holiday_is_a_working_day_in_england() -> None:
    # St Andrew's Day (30 November 2012, a Friday) is a holiday in Scotland only.
    assert date(2012, 11, 30) in candidate_dates(date(2012, 11, 26), date(2012, 11, 30))


def test_given_closed_days_replace_englands() -> None:
    assert candidate_dates(date(2012, 6, 4), date(2012, 6, 5), bank_holidays=[]) == [
        date(2012, 6, 4), date(2012, 6, 5)]


# --- start time, length, invited roles ----------------------------------------------------

def test_a_planned_workshop_keeps_its_start_time_length_and_invited_roles() -> None:
    event = conference(roles=["mdt_coordinator", "lung_cancer_nurse_specialist"])

    assert (event.starts_at, event.duration_minutes) == ("14:00", 120)
    assert event.roles == [Role.CNS, Role.MDT_COORDINATOR]  # in the order roles are listed
    assert not event.invites_everyone


def test_no_roles_chosen_means_everyone_is_invited() -> None:
    assert conference().invites_everyone


@pytest.mark.parametrize(("field", "value", "message"), [
    ("starts_at", "2pm", "must be a time like 14:00"),
    ("starts_at", "25:00", "must be a time like 14:00"),
    ("starts_at", "", "is required"),
    ("duration_minutes", 5, "must be at least 15"),
    ("duration_minutes", 2000, "must be at most 720"),
    ("duration_minutes", "ninety", "must be a number"),
    ("roles", ["surgeon"], "must be one of"),
    ("roles", "lung_cancer_nurse_specialist", "must be a list of roles"),
    ("roles", ["organiser"], "organisers run the event"),
])
def test_a_bad_time_length_or_role_is_refused_naming_the_field(
        field: str, value: object, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        conference(**{field: value})

    assert message in refused.value.fields[field]


def test_a_workshop_stored_before_times_and_roles_were_kept_reads_back_with_defaults() -> None:
    mapper = community_mapper()
    stored = mapper.to_stored_event(conference(roles=["oncologist"]).collect_events()[0])
    old_state = mapper.transcoder.decode(stored.state)
    for added in ("starts_at", "duration_minutes", "roles"):
        del old_state[added]
    old = stored.__class__(originator_id=stored.originator_id,
                           originator_version=stored.originator_version, topic=stored.topic,
                           state=mapper.transcoder.encode(old_state))

    event = mapper.to_domain_event(old)
    workshop = event.mutate(None)

    assert (event.starts_at, event.duration_minutes, tuple(event.roles)) == ("", 0, ())
    assert workshop.invites_everyone and workshop.title == "Nurse-led follow-up clinics"
    assert local_times(workshop.starts_on, workshop.starts_at, workshop.duration_minutes) is None


# --- UK time --------------------------------------------------------------------------------

def test_times_are_uk_time_gmt_in_winter_and_bst_in_summer() -> None:
    winter = local_times(date(2012, 3, 14), "14:00", 120)
    summer = local_times(date(2012, 7, 4), "14:00", 90)

    assert winter is not None and summer is not None
    assert winter[0].utcoffset() == timedelta(0)
    assert winter[1].astimezone(UTC) == datetime(2012, 3, 14, 16, tzinfo=UTC)
    assert summer[0].astimezone(UTC) == datetime(2012, 7, 4, 13, tzinfo=UTC)
    assert summer[1].hour == 15 and summer[1].minute == 30


def test_a_page_says_the_day_and_the_times_in_words() -> None:
    row = {"starts_on": date(2012, 3, 14), "starts_at": "14:00", "duration_minutes": 120}

    assert when_text(row) == "Wednesday 14 March 2012, 2pm to 4pm"
    assert when_text({**row, "starts_at": "11:30", "duration_minutes": 30}) == (
        "Wednesday 14 March 2012, 11:30am to midday")
    assert when_text({**row, "starts_at": "", "duration_minutes": 0}) == "Wednesday 14 March 2012"


def test_lengths_and_invited_roles_read_in_words() -> None:
    assert [duration_text(m) for m in (30, 60, 90, 120)] == [
        "30 minutes", "1 hour", "1 hour 30 minutes", "2 hours"]
    assert roles_text([]) == "Everyone"
    assert roles_text(["lung_cancer_nurse_specialist", "mdt_coordinator"]) == (
        "Lung cancer nurse specialist and MDT co-ordinator")
    assert clock(datetime(2012, 1, 1, 9, 5)) == "9:05am"
