"""The live network as nodes, weighted edges and its measures: what the network map
and ``GET /api/v1/network`` show (issue 12, "Pictures" and "API").

One pure function, ``network_map``, over the ``Act`` and ``Tie`` lists as known on the
date. Every figure comes from the measures already defined once elsewhere
(``domain.network_measures`` for live ties, betweenness, the E–I index, reciprocity
and brokers; ``domain.network_health`` for the live network's density, components
and isolates, and fragmentation without the organisers); this module only puts them
together per node, at the level of teams or of members.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.network_activity import LAPSE_DAYS, Act, Tie
from domain.network_health import components, live_network, without_organisers
from domain.network_measures import (
    betweenness,
    e_i_index,
    live_ties,
    member_brokers,
    team_brokers,
    team_reciprocity,
)

LEVELS = ("team", "member")


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    region: str | None
    activity: int          # acts in the last LAPSE_DAYS to the date
    degree: int            # other nodes it has a live tie with
    betweenness: float     # normalised, 1/weight as length (network_measures.betweenness)


@dataclass(frozen=True)
class Edge:
    source: str            # the smaller id of the pair, so each pair appears once
    target: str
    weight: float          # the summed weights (TIE_WEIGHTS) of the pair's live ties


@dataclass(frozen=True)
class NetworkMap:
    as_of: date
    level: str
    nodes: tuple[Node, ...]        # sorted by id, every team (or member) known on the date
    edges: tuple[Edge, ...]        # sorted by (source, target)
    density: float | None
    components: int
    largest_component_share: float | None
    isolates: int
    reciprocity: float | None      # between teams, of the live contacts
    e_i_index: float | None        # across teams, of the live contacts
    fragmentation_without_organisers: float | None
    brokers: tuple[str, ...]       # node ids, highest betweenness first: the top five
                                   # teams or ten members, as the health page names


def network_map(ties: Iterable[Tie], acts: Iterable[Act], as_of: date, level: str,
                members: Mapping[str, str | None], organisers: Iterable[str],
                names: Mapping[str, str], region_of: Mapping[str, str]) -> NetworkMap:
    """The live network (ties of the last ``LAPSE_DAYS`` to ``as_of``) of teams or of
    members. ``members``: member id → team id (None: an organiser without a team), as
    known on the date; ``names`` names teams and members; ``region_of`` a team's region
    (a member's is their team's). Reciprocity and the E–I index are between teams at
    either level: they are defined on teams."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    ties, acts = list(ties), [a for a in acts if a.day <= as_of]
    live = live_ties(ties, as_of)
    recent = {a for a in acts if (as_of - a.day).days < LAPSE_DAYS}
    health = live_network(ties, as_of, dict(members))
    if level == "team":
        ids = sorted({t for t in members.values() if t is not None})
        pairs = [(t.first_team_id, t.second_team_id, t.weight) for t in live
                 if t.first_team_id and t.second_team_id]
        activity = Counter(a.team_id for a in recent if a.team_id)
        brokers = team_brokers(ties, acts, as_of)
        density, parts = health.team_density, health.team_components
        share, isolates = health.largest_team_component_share, len(health.isolated_teams)
    else:
        ids = sorted(members)
        pairs = [(t.first_member_id, t.second_member_id, t.weight) for t in live]
        activity = Counter(a.member_id for a in recent)
        brokers = member_brokers(ties, acts, as_of)
        found = components(ids, ((a, b) for a, b, _ in pairs
                                  if a != b and a in members and b in members))
        density, parts = health.member_density, len(found)
        share = max(len(c) for c in found) / len(ids) if ids else None
        isolates = len(health.isolated_members)
    known = set(ids)
    edges = _edges((a, b, w) for a, b, w in pairs if a in known and b in known)
    scores = betweenness((e.source, e.target, e.weight) for e in edges)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    nodes = tuple(Node(i, names.get(i, i), _region(i, level, members, region_of),
                       activity.get(i, 0), len(neighbours[i]), scores.get(i, 0.0))
                  for i in ids)
    return NetworkMap(
        as_of=as_of, level=level, nodes=nodes, edges=edges, density=density,
        components=parts, largest_component_share=share, isolates=isolates,
        reciprocity=team_reciprocity(live).share, e_i_index=e_i_index(live).index,
        fragmentation_without_organisers=without_organisers(
            live, set(organisers)).fragmentation_without,
        brokers=tuple(b.id for b in brokers.brokers if b.id in known))


def _edges(pairs: Iterable[tuple[str, str, float]]) -> tuple[Edge, ...]:
    """One edge per pair of different nodes, its weight the sum of the pair's ties."""
    weight: dict[tuple[str, str], float] = defaultdict(float)
    for a, b, w in pairs:
        if a != b:
            weight[(min(a, b), max(a, b))] += w
    return tuple(Edge(a, b, w) for (a, b), w in sorted(weight.items()))


def _region(node: str, level: str, members: Mapping[str, str | None],
            region_of: Mapping[str, str]) -> str | None:
    team = node if level == "team" else members.get(node)
    return None if team is None else region_of.get(team)


def regions(nodes: Sequence[Node]) -> list[str]:
    """The regions on a map, in order, for its colours and legend."""
    return sorted({n.region for n in nodes if n.region})
