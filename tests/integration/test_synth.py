"""`community synth`: a synthetic national community, small here, on both stores."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from community import Community
from community.synth import Options, Summary, synthesise
from tests.conftest import another_store, make_community
from tests.integration.snapshots import view_tables

SMALL = Options(teams=8, members=120, events=3000, years=3, seed=5)


def the_log(app: Community) -> list[Any]:
    notes = app.recorder.select_notifications(start=1, limit=1_000_000)
    return [app.mapper.to_domain_event(n) for n in notes]


def test_the_same_options_make_the_same_events(app: Community, database_url: str,
                                                request: pytest.FixtureRequest,
                                                tmp_path: Path) -> None:
    synthesise(app, SMALL)
    again = make_community(another_store(database_url, request, tmp_path, "again"))
    try:
        synthesise(again, SMALL)
        second = [(type(e).__qualname__, e.originator_id, e.originator_version)
                  for e in the_log(again)]
    finally:
        again.close()

    first = [(type(e).__qualname__, e.originator_id, e.originator_version)
             for e in the_log(app)]
    assert first == second


def test_another_seed_makes_another_community(app: Community, database_url: str,
                                              request: pytest.FixtureRequest,
                                              tmp_path: Path) -> None:
    synthesise(app, SMALL)
    other = make_community(another_store(database_url, request, tmp_path, "other"))
    try:
        synthesise(other, Options(**{**SMALL.__dict__, "seed": 6}))
        theirs = {e.originator_id for e in the_log(other)}
    finally:
        other.close()

    assert {e.originator_id for e in the_log(app)} != theirs


def test_it_makes_about_the_events_asked_for_with_every_kind_in_the_mix(
        app: Community) -> None:
    summary = synthesise(app, SMALL)

    made = app.recorder.max_notification_id()
    assert made == summary.events == sum(summary.kinds.values())
    assert abs(made - SMALL.events) <= 0.05 * SMALL.events
    kinds = summary.kinds
    assert kinds["Member.Joined"] == SMALL.members
    assert kinds["Team.Registered"] == SMALL.teams
    assert kinds["Contact.Made"] > 0.2 * made  # the everyday activity
    for kind in ["Team.AuditRecorded", "Member.ProfileUpdated", "Pairing.Made",
                 "Visit.Recorded", "Visit.FeedbackGiven", "Workshop.Held", "Workshop.Planned",
                 "Workshop.Registered", "Workshop.AttendanceRecorded", "FollowUp.Requested",
                 "FollowUp.Answered", "FollowUp.Closed", "Qip.Drafted", "Qip.Submitted",
                 "Qip.ChangesRequested", "Qip.Shared", "Qip.ProgressRecorded",
                 "Qip.Completed", "Assessment.Made", "Question.Asked", "Answer.Posted",
                 "Answer.Accepted", "NotificationSettings.Read"]:
        assert kinds[kind] > 0, kind
    facilitated = sum(e.facilitated for e in the_log(app) if type(e).__qualname__ == "Contact.Made")
    assert 0 < facilitated < kinds["Contact.Made"]


def test_the_directory_and_library_show_the_synthetic_community(app: Community) -> None:
    synthesise(app, SMALL)

    assert len(app.views.directory.teams()) == SMALL.teams
    _, members = app.views.directory.members(limit=1)
    assert members == SMALL.members
    _, shared = app.views.library.qips(viewer_team_id=None, limit=1)
    assert shared > 0


def test_every_view_rebuilds_to_what_it_followed_while_synthesising(app: Community) -> None:
    synthesise(app, SMALL)
    followed = view_tables(app)

    app.views.rebuild()

    assert view_tables(app) == followed


def test_activity_decays_after_the_funding_end(app: Community) -> None:
    options = Options(**{**SMALL.__dict__, "years": 5, "events": 4000})
    synthesise(app, options)

    per_month = monthly_activity(the_log(app))
    funded = [per_month[m] for m in months(date(2010, 7, 1), options.funding_ends_on)]
    last_year = [per_month[m] for m in months(date(options.ends_on.year, 1, 1), options.ends_on)]
    assert sum(last_year) / len(last_year) < 0.6 * sum(funded) / len(funded)


def monthly_activity(events: list[Any]) -> Counter[tuple[int, int]]:
    """Contacts made and values recorded, by the month they are dated."""
    found: Counter[tuple[int, int]] = Counter()
    for event in events:
        day = getattr(event, "made_on", None) or getattr(event, "recorded_on", None)
        if isinstance(day, date):
            found[(day.year, day.month)] += 1
    return found


def months(first: date, last: date) -> list[tuple[int, int]]:
    found, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def test_the_summary_table_lists_each_kind_with_its_share() -> None:
    summary = Summary(SMALL, 4, 2.0, Counter({"Contact.Made": 3, "Qip.Drafted": 1}))

    assert summary.rate == 2.0
    assert summary.table().splitlines()[2] == "| Contact.Made | 3 | 75.0% |"


def test_without_views_only_the_events_are_written_and_a_rebuild_shows_them(
        app: Community) -> None:
    summary = synthesise(app, SMALL, views=False)

    assert app.recorder.max_notification_id() == summary.events
    assert set(app.views.positions().values()) == {0}
    assert summary.kinds["NotificationSettings.Read"] == 0  # they read what views hold
    app.views.catch_up()
    assert len(app.views.directory.teams()) == SMALL.teams
    assert app.views.directory.members(limit=1)[1] == SMALL.members
