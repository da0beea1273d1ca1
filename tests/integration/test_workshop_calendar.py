"""Event times, invited roles, suggested dates and the registrations behind a member's
calendar feed, on each real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from community import Community
from domain.errors import Invalid
from domain.values import Role
from tests.builders import SmallNetwork, small_network

TODAY = date(2013, 6, 1)  # the tests' Community.today (a Saturday)


@pytest.fixture
def network(app: Community) -> SmallNetwork:
    return small_network(app)


def plan(app: Community, network: SmallNetwork, **changes: Any) -> str:
    return str(app.plan_event(by=network.organiser, **{
        "kind": "online_conference", "title": "Nurse-led follow-up clinics",
        "starts_on": "2013-07-04", "starts_at": "14:00", "duration_minutes": 90,
        "link": "https://meet.example.nhs.uk/ilcop", **changes}))


def test_the_workshops_view_shows_the_time_length_and_invited_roles(
        app: Community, network: SmallNetwork) -> None:
    event_id = plan(app, network, roles=["lung_cancer_nurse_specialist", "mdt_coordinator"])

    row = app.views.workshops.workshop(event_id)

    assert row is not None
    assert (row["starts_at"], row["duration_minutes"]) == ("14:00", 90)
    assert row["roles"] == ["lung_cancer_nurse_specialist", "mdt_coordinator"]


def test_a_workshop_for_everyone_lists_no_roles(app: Community, network: SmallNetwork) -> None:
    row = app.views.workshops.workshop(plan(app, network))

    assert row is not None and row["roles"] == []


def test_a_cancelled_registration_drops_out_of_the_members_workshops(
        app: Community, network: SmallNetwork) -> None:
    kept = plan(app, network, title="Kept", starts_on="2013-07-10")
    dropped = plan(app, network, title="Dropped", starts_on="2013-07-05")
    app.register_for_event(kept, by=network.nurse)
    app.register_for_event(dropped, by=network.nurse)
    app.cancel_registration(dropped, by=network.nurse)

    mine = app.views.workshops.registered_workshops(str(network.nurse))

    assert [e["title"] for e in mine] == ["Kept"]
    assert app.views.workshops.registered_workshops(str(network.other_nurse)) == []


def test_past_workshops_come_a_page_at_a_time_with_the_total(
        app: Community, network: SmallNetwork) -> None:
    for n in range(5):
        app.hold_workshop(by=network.organiser, kind="national_workshop", title=f"Held {n}",
                          held_on=f"2012-0{n + 1}-10", attendee_ids=[])

    first, total = app.views.workshops.past_page(TODAY, limit=2, offset=0)
    last, _ = app.views.workshops.past_page(TODAY, limit=2, offset=4)

    assert total == 5
    assert [e["title"] for e in first] == ["Held 4", "Held 3"]
    assert [e["title"] for e in last] == ["Held 0"]


def test_dates_are_suggested_four_weeks_ahead_unless_told_otherwise(
        app: Community, network: SmallNetwork) -> None:
    found = app.suggest_event_dates(by=network.organiser)
    sooner = app.suggest_event_dates(by=network.organiser, notice_weeks=1)

    assert found.start == TODAY + timedelta(weeks=4)
    assert min(s.date for s in found.suggestions) == date(2013, 7, 1)  # the Monday after
    assert sooner.start == TODAY + timedelta(weeks=1)
    assert all(s.date > TODAY + timedelta(days=1) for s in sooner.suggestions)


def test_the_late_summer_bank_holiday_is_left_out_and_named(
        app: Community, network: SmallNetwork) -> None:
    found = app.suggest_event_dates(by=network.organiser, start="2013-08-19",
                                    end="2013-08-30")

    assert date(2013, 8, 26) not in {s.date for s in found.suggestions}
    assert len(found.suggestions) == 9
    assert found.bank_holidays == {date(2013, 8, 26): "Late Summer Bank Holiday"}


def test_dates_are_weighed_for_the_invited_roles_only(
        app: Community, network: SmallNetwork) -> None:
    app.update_profile(network.nurse, by=network.nurse, clinic_days=["wednesday"])
    app.update_profile(network.lead, by=network.lead, clinic_days=["thursday"])

    nurses = app.suggest_event_dates(by=network.organiser, start="2013-07-01",
                                     end="2013-07-05", roles=["lung_cancer_nurse_specialist"])
    both = app.suggest_event_dates(by=network.organiser, start="2013-07-01", end="2013-07-05",
                                   roles=["lung_cancer_nurse_specialist", "clinical_lead"])

    assert nurses.invited == 2 and nurses.roles == [Role.CNS]
    thursday = next(s for s in nurses.suggestions if s.date == date(2013, 7, 4))
    assert thursday.clashes == 0
    assert both.invited == 3
    assert next(s for s in both.suggestions if s.date == date(2013, 7, 4)).clashes == 1


def test_a_bad_notice_period_is_refused_naming_the_field(
        app: Community, network: SmallNetwork) -> None:
    with pytest.raises(Invalid) as refused:
        app.suggest_event_dates(by=network.organiser, notice_weeks="soon")

    assert set(refused.value.fields) == {"notice_weeks"}
