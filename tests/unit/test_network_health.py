"""Issue 12's measures 1, 2, 3, 5 and 9 on small hand-worked histories."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.network_activity import Act, ActKind, Tie, TieKind
from domain.network_health import (
    Waiting,
    absence_factor,
    contacts_by_quarter,
    dependence,
    fragmentation,
    live_network,
    member_graph,
    organic_activity,
    response_times,
    without_organisers,
)

FUNDING_END = date(2012, 3, 31)


def act(member: str, day: date, team: str | None = "north", *, kind: ActKind = ActKind.CONTACT,
        organiser: bool = False, nudged: bool = False) -> Act:
    return Act(member, team, day, kind, by_organiser=organiser, nudged=nudged)


def tie(a: str, b: str, day: date = date(2012, 6, 1), teams: tuple[str | None, str | None] = (
        None, None), *, kind: TieKind = TieKind.CONTACT, facilitated: bool = False) -> Tie:
    return Tie(a, teams[0], b, teams[1], day, kind, facilitated)


def monthly(counts: list[int], start: date = date(2010, 1, 1)) -> list[Act]:
    found, day = [], start
    for count in counts:
        found += [act(f"m{i}", day) for i in range(count)]
        day = (day + timedelta(days=32)).replace(day=1)
    return found


# --- organic activity -------------------------------------------------------------------


def test_the_organisers_own_acts_and_replies_to_their_nudges_are_not_organic() -> None:
    acts = [act("nina", date(2012, 1, 5)), act("olive", date(2012, 1, 6), organiser=True),
            act("sara", date(2012, 1, 7), nudged=True), act("nina", date(2012, 2, 1))]

    chart = organic_activity(acts, date(2012, 2, 28), FUNDING_END)

    assert [(m.month, m.count) for m in chart.months] == [("2012-01", 1), ("2012-02", 1)]


def test_months_without_activity_are_charted_as_zero_up_to_the_as_of_month() -> None:
    chart = organic_activity(monthly([3, 0, 2]), date(2010, 5, 10), FUNDING_END)

    assert [m.count for m in chart.months] == [3, 0, 2, 0, 0]


def test_a_fall_after_the_funding_end_is_named_as_special_cause_against_the_new_limits() -> None:
    # 27 steady months to March 2012, then a steady after-period with one collapse.
    before = [20, 22, 19, 21, 20, 23, 18, 21, 20, 22, 19, 21, 20, 22, 21, 19, 20, 22, 21,
              20, 19, 21, 22, 20, 21, 19, 20]
    after = [12, 13, 11, 12, 13, 12, 11, 12, 0, 12, 13, 12]
    chart = organic_activity(monthly(before + after), date(2013, 3, 31), FUNDING_END)

    collapse = next(m for m in chart.months if m.month == "2012-12")
    assert collapse.after_funding and collapse.special_cause == "below_lower"
    assert chart.mean_before == pytest.approx(sum(before) / len(before))
    assert chart.mean_after == pytest.approx(sum(after) / len(after))
    assert "low in December 2012 (below the lower limit)" in chart.verdict
    assert chart.verdict.endswith("The latest month is within the limits (common cause).")


def test_steady_months_after_the_funding_end_are_common_cause() -> None:
    chart = organic_activity(monthly([10, 12, 11, 10, 12, 11] * 5), date(2012, 6, 30),
                             FUNDING_END)

    assert all(m.special_cause is None for m in chart.months if m.after_funding)
    assert "common cause" in chart.verdict


def test_no_acts_say_so() -> None:
    assert organic_activity([], date(2012, 1, 1), FUNDING_END).verdict.startswith("No organic")


# --- dependence ---------------------------------------------------------------------------


def test_fragmentation_of_a_star_is_one_once_its_hub_organiser_is_removed() -> None:
    star = [tie("olive", leaf, teams=(None, team)) for leaf, team in
            (("a", "north"), ("b", "south"), ("c", "east"), ("d", "west"))]

    found = without_organisers(star, {"olive"})

    assert found.fragmentation_with == 0
    assert found.fragmentation_without == 1
    assert found.members_cut_off == ("a", "b", "c", "d")
    assert found.teams_cut_off == ("east", "north", "south", "west")


def test_fragmentation_counts_the_pairs_that_cannot_reach_each_other() -> None:
    # Components of 3 and 2 among 5 nodes: 1 - (3·2 + 2·1) / (5·4) = 0.6
    graph = member_graph([tie("a", "b"), tie("b", "c"), tie("d", "e")])
    assert fragmentation(graph) == pytest.approx(0.6)


def test_a_network_that_holds_together_without_its_organisers_loses_no_one() -> None:
    ring = [tie("a", "b"), tie("b", "c"), tie("c", "a"), tie("olive", "a")]
    found = without_organisers(ring, {"olive"})
    assert found.members_cut_off == () and found.fragmentation_without == 0


def test_contacts_are_split_into_facilitated_and_self_initiated_per_quarter() -> None:
    ties = [tie("a", "b", date(2012, 1, 5), facilitated=True),
            tie("a", "c", date(2012, 2, 5)), tie("b", "c", date(2012, 4, 5)),
            tie("a", "b", date(2012, 4, 6), kind=TieKind.VISIT)]

    quarters = contacts_by_quarter(ties)

    assert [(q.quarter, q.facilitated, q.self_initiated) for q in quarters] == [
        ("2012 Q1", 1, 1), ("2012 Q2", 0, 1)]
    assert quarters[0].self_initiated_share == 0.5


def test_the_organisers_share_counts_their_acts_and_the_acts_they_prompted() -> None:
    acts = [act("olive", date(2012, 1, 1), None, organiser=True),
            act("nina", date(2012, 1, 2), nudged=True), act("nina", date(2012, 1, 3)),
            act("sara", date(2012, 1, 4))]

    found = dependence(acts, [], {"olive"})

    assert (found.by_organisers, found.prompted_by_organisers) == (1, 1)
    assert found.organiser_initiated_share == 0.5
    assert "50% of the activity" in found.verdict


# --- absence factor -------------------------------------------------------------------------


def test_one_member_doing_60_percent_is_an_absence_factor_of_one() -> None:
    acts = ([act("nina", date(2012, 1, i), "north") for i in range(1, 7)]
            + [act("sara", date(2012, 1, 1), "south"), act("sara", date(2012, 1, 2), "south"),
               act("liam", date(2012, 1, 3), "north"), act("tom", date(2012, 1, 4), "east")])

    found = absence_factor(acts)

    assert found.member_factor == 1 and found.members == (("nina", 6),)
    assert found.team_factor == 1 and found.teams == (("north", 7),)
    assert "One or two people carry the network" in found.verdict


def test_activity_spread_evenly_needs_half_the_members_to_make_half_of_it() -> None:
    acts = [act(f"m{i}", date(2012, 1, 1), f"t{i}") for i in range(10)]
    found = absence_factor(acts)
    assert found.member_factor == 5 and found.team_factor == 5


# --- the live network -----------------------------------------------------------------------


def test_the_live_network_keeps_ties_of_the_last_90_days_only() -> None:
    as_of = date(2013, 1, 1)
    members = {"a": "north", "b": "south", "c": "east", "d": "west", "olive": None}
    ties = [tie("a", "b", as_of - timedelta(days=10), ("north", "south")),
            tie("b", "c", as_of - timedelta(days=89), ("south", "east")),
            tie("c", "d", as_of - timedelta(days=90), ("east", "west")),   # lapsed
            tie("a", "olive", as_of + timedelta(days=1), ("north", None))]  # not yet

    live = live_network(ties, as_of, members)

    assert live.ties == 2
    # Four teams, two of their six pairs tied.
    assert live.team_density == pytest.approx(2 / 6)
    assert live.team_components == 2 and live.largest_team_component_share == 0.75
    assert live.isolated_teams == ("west",)
    assert live.isolated_members == ("d", "olive")


def test_ties_within_a_team_do_not_join_teams() -> None:
    live = live_network([tie("a", "b", date(2013, 1, 1), ("north", "north"))],
                        date(2013, 1, 2), {"a": "north", "b": "north", "c": "south"})
    assert live.team_density == 0 and live.isolated_teams == ("north", "south")
    assert live.isolated_members == ("c",)


# --- responsiveness --------------------------------------------------------------------------


def test_response_times_are_medians_and_90th_percentiles_with_the_late_share() -> None:
    asked = date(2013, 1, 1)
    requests = [Waiting("follow_up", asked, asked + timedelta(days=d)) for d in (1, 2, 3, 4, 30)]
    requests += [Waiting("follow_up", asked, None),                    # never answered
                 Waiting("follow_up", date(2013, 3, 25), None),        # asked too lately to judge
                 Waiting("question", asked, asked + timedelta(days=5))]

    found = response_times(requests, date(2013, 4, 1), "follow_up")

    assert (found.asked, found.answered) == (7, 5)
    assert found.median_days == 3
    assert found.p90_days == pytest.approx(19.6)   # 4 + 0.6 × (30 − 4)
    # Of the six asked 14 days or more ago, the 30-day one and the unanswered one.
    assert found.unanswered_share == pytest.approx(2 / 6)
    assert "within 3 days" in found.verdict


def test_a_response_recorded_after_the_as_of_date_does_not_count_yet() -> None:
    asked = date(2013, 1, 1)
    found = response_times([Waiting("question", asked, date(2013, 2, 1))], date(2013, 1, 20),
                           "question")
    assert found.answered == 0 and found.unanswered_share == 1
