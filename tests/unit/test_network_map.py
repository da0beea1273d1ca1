"""The live network as nodes and edges (domain.network_map), on hand-worked histories."""

from __future__ import annotations

from datetime import date

import pytest

from domain.network_activity import Act, ActKind, Tie, TieKind
from domain.network_map import NetworkMap, network_map

AS_OF = date(2012, 3, 31)
# Four teams, one member each, and an organiser without a team.
MEMBERS = {"a": "A", "b": "B", "c": "C", "d": "D", "org": None}
NAMES = {"A": "Team A", "B": "Team B", "C": "Team C", "D": "Team D", "a": "Ann", "b": "Bob",
         "c": "Cat", "d": "Dan", "org": "Olive"}
REGIONS = {"A": "North", "B": "North", "C": "South", "D": "South"}


def tie(first: str, second: str, day: date = date(2012, 3, 1),
        kind: TieKind = TieKind.CONTACT) -> Tie:
    return Tie(first, MEMBERS[first], second, MEMBERS[second], day, kind)


def mapped(ties: list[Tie], acts: tuple[Act, ...] = (), level: str = "team") -> NetworkMap:
    return network_map(ties, acts, AS_OF, level, MEMBERS, ["org"], NAMES, REGIONS)


def test_a_star_of_four_teams_has_half_the_pairs_tied_and_its_centre_as_broker() -> None:
    found = mapped([tie("a", "b"), tie("a", "c"), tie("d", "a")])

    assert found.density == pytest.approx(3 / 6)
    assert (found.components, found.largest_component_share, found.isolates) == (1, 1.0, 0)
    nodes = {n.id: n for n in found.nodes}
    assert (nodes["A"].degree, nodes["A"].betweenness) == (3, 1.0)   # every path runs through A
    assert nodes["B"].degree == 1 and nodes["B"].betweenness == 0.0
    assert found.brokers == ("A",)
    assert (nodes["C"].name, nodes["C"].region) == ("Team C", "South")


def test_a_pairs_ties_add_up_into_one_edge_weighted_by_kind() -> None:
    found = mapped([tie("a", "b"), tie("b", "a", kind=TieKind.VISIT)])

    assert [(e.source, e.target, e.weight) for e in found.edges] == [("A", "B", 4.0)]
    # Reciprocity counts contacts: B's visit does not return A's contact.
    assert found.reciprocity == 0.0


def test_ties_older_than_90_days_or_after_the_date_are_not_on_the_map() -> None:
    found = mapped([tie("a", "b", date(2011, 12, 1)), tie("c", "d", date(2012, 4, 1))])

    assert found.edges == () and found.isolates == 4 and found.density == 0


def test_activity_counts_the_acts_of_the_last_90_days() -> None:
    acts = [Act("a", "A", date(2012, 3, 1), ActKind.CONTACT),
            Act("a", "A", date(2012, 3, 2), ActKind.QUESTION),
            Act("b", "B", date(2011, 11, 1), ActKind.CONTACT)]

    found = mapped([], tuple(acts))

    assert {n.id: n.activity for n in found.nodes} == {"A": 2, "B": 0, "C": 0, "D": 0}


def test_at_member_level_the_organiser_is_a_node_and_removing_her_splits_the_star() -> None:
    found = mapped([tie("org", "a"), tie("org", "b"), tie("org", "c")], level="member")

    nodes = {n.id: n for n in found.nodes}
    assert nodes["org"].degree == 3 and nodes["org"].region is None
    assert nodes["a"].region == "North"
    assert found.brokers == ("org",)
    assert found.fragmentation_without_organisers == 1.0   # no member reaches another
    assert (found.components, found.isolates) == (2, 1)    # the star, and Dan alone
