"""Network health on the demo, as an organiser trying it would read it: activity falls
unevenly after the funding end and the verdict says so, the self-initiated share of
contacts rises, and "as of 2012-03-31" shows the network as it stood that day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from community import Community
from projections.network_follow_through import team_actions
from projections.network_health import HealthReport, compute_report

FUNDING_END = date(2012, 3, 31)
LAST_DAY = date(2013, 9, 30)


@pytest.fixture(scope="module")
def demo(demo_community: Community) -> Community:
    """The demo on each store (a copy of the session's load)."""
    return demo_community


@pytest.fixture(scope="module")
def last_day(demo: Community) -> HealthReport:
    return compute_report(demo.views.engine, LAST_DAY, "all")


def test_activity_after_the_funding_end_is_read_as_a_real_fall(last_day: HealthReport) -> None:
    organic = last_day.organic
    assert organic.mean_after is not None and organic.mean_before is not None
    assert organic.mean_after < organic.mean_before / 2
    assert organic.months[-1].special_cause is not None
    assert "The latest month is a real fall" in organic.verdict


def test_members_start_more_of_their_contacts_themselves_as_time_goes_on(
        last_day: HealthReport) -> None:
    quarters = [q for q in last_day.dependence.quarters if q.self_initiated_share is not None]
    early = [q.self_initiated_share for q in quarters[:4]]
    late = [q.self_initiated_share for q in quarters[-4:]]
    assert sum(late) / len(late) > sum(early) / len(early)  # type: ignore[arg-type]
    assert "rose" in last_day.dependence.verdict


def test_as_of_the_funding_end_the_live_network_holds_and_later_it_has_thinned(
        demo: Community, last_day: HealthReport) -> None:
    then = compute_report(demo.views.engine, FUNDING_END, "all")

    assert then.organic.months[-1].month == "2012-03"
    assert then.live.largest_team_component_share > 0.8  # type: ignore[operator]
    assert last_day.live.largest_team_component_share < \
        then.live.largest_team_component_share  # type: ignore[operator]
    assert len(last_day.live.isolated_teams) > len(then.live.isolated_teams)


def test_every_measure_has_something_true_to_say(last_day: HealthReport) -> None:
    assert last_day.absence.member_factor >= 1 and last_day.absence.team_factor >= 1
    follow_ups, introductions, _questions, everything = last_day.responsiveness
    assert follow_ups.median_days is not None and introductions.asked == 5
    assert everything.unanswered_share is not None


def test_ties_brokers_core_and_staying_power_each_say_something_true(
        demo: Community, last_day: HealthReport) -> None:
    """Items 4, 6, 7 and 8 on the demo: contacts mostly cross teams, the core thinned
    after the funding end, members lapse and activity halves, and as of the funding
    end the live network had members who stood between others."""
    then = compute_report(demo.views.engine, FUNDING_END, "all")

    assert last_day.ties_across_teams.index is not None and last_day.ties_across_teams.index > 0
    assert last_day.reciprocity.share is not None and 0 < last_day.reciprocity.share < 1
    assert last_day.same_role.share is not None and last_day.same_role.by_chance is not None
    assert last_day.same_role.share > last_day.same_role.by_chance  # nurses with nurses
    assert last_day.team_brokers.brokers and then.member_brokers.brokers
    assert last_day.core is not None and last_day.core.still_core is not None
    assert len(last_day.core.after.core) < len(last_day.core.before.core)
    assert last_day.staying is not None
    assert last_day.staying.survival.median_months is not None
    assert last_day.staying.half_life.half_life_months is not None
    level = last_day.staying.change.level_change
    assert level is not None and level.value < 0
    assert "the quarter the funding ended in" in last_day.staying.cohorts.verdict


def test_teams_gone_quiet_since_the_funding_end_are_named_with_the_revisits_proposed(
        demo: Community, last_day: HealthReport) -> None:
    """Item 10: most teams fell silent after the funding end; as of it, only a couple
    were dormant and a few falling; the momentum job's revisits are found for them."""
    then = compute_report(demo.views.engine, FUNDING_END, "all")
    dormant = last_day.dormant

    assert len(dormant.dormant) > dormant.teams_counted / 2
    assert "Most of the network has gone quiet" in dormant.verdict
    assert len(then.dormant.dormant) < len(dormant.dormant) and then.dormant.falling
    assert all(t.last_activity is None or t.last_activity <= LAST_DAY - timedelta(weeks=12)
               for t in dormant.dormant)
    assert any(t.paired_team_name for t in dormant.dormant)
    proposed = team_actions(demo.views.engine, {t.team_id for t in dormant.dormant}, LAST_DAY)
    assert proposed


def test_the_nudges_sent_after_the_funding_end_are_set_beside_the_quiet_ones_left_alone(
        last_day: HealthReport) -> None:
    """Item 11: after the funding end the organisers sent about two in three of the
    nudges the momentum job proposed (the demo's ``nudges`` part); the page compares
    those quiet plans and teams with the ones left alone."""
    nudges = last_day.nudges

    assert nudges.nudged > 5 and nudges.not_nudged > 5
    assert nudges.nudged_share is not None and nudges.not_nudged_share is not None
    assert not nudges.verdict.startswith("No nudge has been sent yet")
    assert "within 30 days" in nudges.verdict


def test_newcomers_mostly_come_to_visits_and_events_first(last_day: HealthReport) -> None:
    """Item 12: most members' first 90 days include a visit or an event."""
    new = last_day.newcomers

    assert new.joined > 50
    assert new.visit_or_event > new.made_contact > new.worked_on_qip > 0
    assert new.verdict.startswith(f"Of {new.joined} members who joined, within 90 days")
