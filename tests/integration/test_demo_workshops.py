"""The demo's events: clinic days and MDT meeting days that make the plan page's clashes
mean something, events planned and attended after the funding ended, and a few coming
up after the day the demo is loaded (the events page judges "coming up" by that day)."""

from __future__ import annotations

from collections import Counter

import pytest

from community import Community
from community.demo import ORGANISER_EMAIL, PARTICIPANT_EMAIL
from domain.member import WEEKDAYS


@pytest.fixture(scope="module")
def app(demo_community: Community) -> Community:
    """The demo on each store (a copy of the session's load)."""
    return demo_community


def test_nurses_mostly_hold_their_clinics_on_wednesdays(app: Community) -> None:
    nurses, _ = app.views.directory.members(role="lung_cancer_nurse_specialist", limit=1000)
    days = Counter(d for n in nurses for d in n["clinic_days"])

    assert days.most_common(1)[0][0] == "wednesday"
    assert all(n["clinic_days"] for n in nurses)


def test_every_team_says_when_its_mdt_meets(app: Community) -> None:
    meeting = app.views.workshops.meeting_days()

    assert len(meeting) == 30 and set(meeting.values()) <= set(WEEKDAYS)


def test_the_plan_page_finds_wednesdays_worst_for_nurses(app: Community) -> None:
    found = app.suggest_event_dates(by=app.member_id_by_email(ORGANISER_EMAIL),
                                    roles=["lung_cancer_nurse_specialist"])

    worst = found.suggestions[-1]
    assert worst.date.weekday() == 2 and worst.clash_reasons["clinic_day"] > 0
    assert found.suggestions[0].clashes < worst.clashes


def test_workshops_planned_after_the_funding_ended_were_registered_for_and_attended(
        app: Community) -> None:
    past = [e for e in app.views.workshops.past(app.today()) if e["planned"]]

    assert len(past) == 3
    assert all(e["held"] and e["registered"] > 0 and e["attended"] > 0 for e in past)
    assert all(e["starts_at"] and e["duration_minutes"] for e in past)
    assert all(e["starts_on"].weekday() != 2 for e in past)  # not on clinic Wednesdays


def test_a_few_workshops_are_coming_up_and_the_participant_is_registered_for_one(
        app: Community) -> None:
    upcoming = app.views.workshops.upcoming(app.today())
    mine = {e["title"] for e in app.views.workshops.registered_workshops(
        str(app.member_id_by_email(PARTICIPANT_EMAIL)))}

    assert len(upcoming) == 3
    assert all(e["starts_on"] > app.today() and e["registered"] > 0 for e in upcoming)
    assert "Online conference: run charts for your QIP measures" in mine
