"""Ties across teams, brokers, and core members: worked by hand on small networks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.network_activity import Act, ActKind, Tie, TieKind
from domain.network_measures import (
    core_members,
    e_i_index,
    member_betweenness,
    member_brokers,
    quarter_of,
    same_role_ties,
    team_brokers,
    team_reciprocity,
)

AS_OF = date(2012, 12, 31)
FUNDING_END = date(2012, 3, 31)


def contact(a: str, b: str, day: date = date(2012, 5, 1), kind: TieKind = TieKind.CONTACT) -> Tie:
    """A tie from member ``a`` to member ``b``; a member ``x1`` is in team ``x``."""
    return Tie(a, a[0], b, b[0], day, kind)


def act(member: str, day: date, by_organiser: bool = False) -> Act:
    return Act(member, member[0], day, ActKind.CONTACT, by_organiser=by_organiser)


def test_quarters_are_named_as_people_write_them() -> None:
    assert [quarter_of(date(2012, m, 1)) for m in (1, 3, 4, 12)] == \
        ["2012 Q1", "2012 Q1", "2012 Q2", "2012 Q4"]


def test_contacts_all_within_teams_have_an_e_i_index_of_minus_one() -> None:
    result = e_i_index([contact("a1", "a2"), contact("b1", "b2")])
    assert result.index == -1
    assert (result.internal, result.external) == (2, 0)
    assert "0 of 2 contacts" in result.verdict


def test_the_e_i_index_is_worked_per_quarter_and_across_regions() -> None:
    ties = [contact("a1", "b1", date(2012, 2, 1)), contact("a1", "a2", date(2012, 2, 2)),
            contact("a1", "b1", date(2012, 5, 1)), contact("a1", "c1", date(2012, 5, 2)),
            contact("a1", "b1", date(2012, 5, 3), kind=TieKind.VISIT)]   # visits are not contacts
    by_team = e_i_index(ties)
    assert [(q.quarter, q.index) for q in by_team.quarters] == [("2012 Q1", 0.0), ("2012 Q2", 1.0)]
    assert by_team.index == pytest.approx((3 - 1) / 4)
    by_region = e_i_index(ties, region_of={"a": "North", "b": "North", "c": "South"})
    assert (by_region.internal, by_region.external) == (3, 1)
    assert by_region.index == pytest.approx(-0.5)


def test_no_contacts_give_no_e_i_index_and_say_so() -> None:
    result = e_i_index([Tie("o1", None, "a1", "a", AS_OF, TieKind.CONTACT)])
    assert result.index is None and "Not enough data" in result.verdict


def test_reciprocity_counts_the_team_pairs_that_returned_a_contact() -> None:
    result = team_reciprocity([contact("a1", "b1"), contact("b2", "a1"), contact("a1", "c1"),
                               contact("a1", "a2")])
    assert (result.directed_pairs, result.mutual_pairs) == (3, 2)
    assert result.share == pytest.approx(2 / 3)
    assert result.one_way == (("a", "c"),)
    assert team_reciprocity([]).share is None


def test_same_role_ties_across_teams_are_set_beside_chance() -> None:
    roles = {"a1": "nurse", "b1": "nurse", "a2": "surgeon", "b2": "nurse", "c1": "surgeon"}
    ties = [contact("a1", "b1"), contact("a2", "b2"), contact("a2", "c1"),
            contact("b1", "b2")]  # within team b: not counted
    result = same_role_ties(ties, roles)
    assert (result.cross_team, result.same_role) == (3, 2)
    assert result.by_role == (("nurse", 1), ("surgeon", 1))
    # ends: 3 nurses and 3 surgeons of 6, so chance gives ½² + ½² = ½
    assert result.by_chance == pytest.approx(0.5)
    assert "67%" in result.verdict and "more than the 50%" in result.verdict
    assert same_role_ties([], roles).share is None


def test_the_middle_team_of_a_path_is_the_broker() -> None:
    ties = [contact("a1", "b1", date(2012, 12, 1)), contact("b1", "c1", date(2012, 12, 2))]
    acts = [act("b1", date(2012, 12, 20))]
    result = team_brokers(ties, acts, AS_OF, name_of={"b": "Bayside"})
    assert [(b.id, b.betweenness, b.last_activity) for b in result.brokers] == \
        [("b", 1.0, date(2012, 12, 20))]
    assert "Bayside" in result.verdict and "Back up" not in result.verdict


def test_the_middle_member_of_a_path_is_the_broker_and_a_quiet_one_needs_backing_up() -> None:
    ties = [contact("a1", "b1", date(2012, 12, 1)), contact("b1", "c1", date(2012, 10, 15))]
    result = member_brokers(ties, [], AS_OF)
    assert [(b.id, b.betweenness, b.last_activity) for b in result.brokers] == \
        [("b1", 1.0, date(2012, 12, 1))]
    quiet = member_brokers([contact("a1", "b1", date(2012, 10, 10)),
                            contact("b1", "c1", date(2012, 10, 15))], [], AS_OF)
    assert "Back up b1" in quiet.verdict


def test_betweenness_takes_the_strong_tie_as_the_short_path() -> None:
    # a–b–c by visits (strong, length ⅓ each) beats the direct contact a–c (length 1)
    ties = [contact("a1", "b1", kind=TieKind.VISIT), contact("b1", "c1", kind=TieKind.VISIT),
            contact("a1", "c1")]
    assert member_betweenness(ties)["b1"] == 1.0
    assert member_betweenness([contact("a1", "b1"), contact("a1", "c1")] * 2
                              + [contact("b1", "c1", kind=TieKind.SHARED_EVENT)])["a1"] == 1.0


def test_member_and_team_betweenness_agree_with_networkx_on_the_same_graph() -> None:
    import networkx as nx

    ties = [contact(a, b, kind=kind) for a, b, kind in [
        ("a1", "b1", TieKind.VISIT), ("b1", "c1", TieKind.CONTACT), ("c1", "d1", TieKind.SHARED_EVENT),
        ("a1", "d1", TieKind.CONTACT), ("b1", "e1", TieKind.QIP_ADOPTION), ("e1", "d1", TieKind.CONTACT)]]
    graph = nx.Graph()
    graph.add_weighted_edges_from(((t.first_member_id, t.second_member_id, 1 / t.weight) for t in ties),
                                  weight="length")
    expected = nx.betweenness_centrality(graph, weight="length")
    assert member_betweenness(ties) == pytest.approx(expected)
    # Teams go through the same igraph computation: its scores are networkx's too.
    teams = {b.id: b.betweenness for b in team_brokers(ties, [], date(2012, 5, 1), top=10).brokers}
    assert teams == pytest.approx({m[0]: s for m, s in expected.items() if s > 0})


def test_old_ties_and_tiny_networks_have_no_brokers() -> None:
    old = [contact("a1", "b1", AS_OF - timedelta(days=200)), contact("b1", "c1", AS_OF - timedelta(days=200))]
    assert team_brokers(old, [], AS_OF).brokers == ()
    assert "Not enough data" in team_brokers(old, [], AS_OF).verdict
    assert "Not enough data" in member_brokers([], [], AS_OF).verdict
    triangle = [contact("a1", "b1", date(2012, 12, 1)), contact("b1", "c1", date(2012, 12, 1)),
                contact("a1", "c1", date(2012, 12, 1))]
    assert "No member stands between" in member_brokers(triangle, [], AS_OF).verdict


def test_core_members_do_eighty_percent_regulars_the_next_fifteen_casuals_the_rest() -> None:
    day = date(2012, 1, 10)
    acts = ([act("a1", day)] * 16 + [act("b1", day)] * 4 + [act("c1", day)] * 3
            + [act("d1", day)] * 1 + [act("o1", day, by_organiser=True)] * 50)
    # 24 member acts: a1 starts at 0, b1 at 16 (67%) → core; c1 at 20 (83%) → regular;
    # d1 at 23 (96%) → casual. The organiser's acts are not the network's.
    result = core_members(acts, FUNDING_END, AS_OF)
    (quarter,) = result.quarters
    assert (quarter.period, quarter.acts) == ("2012 Q1", 24)
    assert (quarter.core, quarter.regular, quarter.casual) == (("a1", "b1"), ("c1",), ("d1",))


def test_how_much_of_the_core_before_the_funding_end_is_still_core_after_it() -> None:
    before, after = date(2012, 2, 1), date(2012, 6, 1)
    acts = ([act("a1", before)] * 5 + [act("b1", before)] * 5 + [act("c1", before)]
            + [act("a1", after)] * 5 + [act("c1", after)] * 5 + [act("b1", after)]
            + [act("a1", date(2013, 2, 1))] * 9)  # after as_of: ignored
    result = core_members(acts, FUNDING_END, AS_OF)
    assert result.before.core == ("a1", "b1") and result.after.core == ("a1", "c1")
    assert result.still_core == 0.5
    assert dict(result.became) == {"core": 1, "regular": 1, "casual": 0, "gone": 0}
    assert "2 members did 80%" in result.verdict and "1 of them (50%)" in result.verdict


def test_core_members_without_activity_say_there_is_not_enough_data() -> None:
    result = core_members([], FUNDING_END, AS_OF)
    assert result.still_core is None and result.quarters == ()
    assert "Not enough data" in result.verdict
    nobody_after = core_members([act("a1", date(2012, 1, 5))], FUNDING_END, AS_OF)
    assert nobody_after.still_core == 0 and "nobody has acted since" in nobody_after.verdict
