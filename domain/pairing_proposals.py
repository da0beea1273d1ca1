"""Proposing peer-review pairs for every team at once, each pair with its reasons.

ILCOP paired its teams for reciprocal visits on *contrasting* results across the
NLCA headline indicators, but deliberately not 'good with bad', not near
neighbours (teams wanted distance to be frank) and not a large team with a
much smaller one. How a pair is scored, from each team's latest audit:

- A team's *margin* on an indicator is how far its result lies above (+) or
  below (-) the bar: the standard where there is one, else the national figure.
  Margins are compared in *spreads*: the indicator's standard deviation among
  the teams taking part, so an indicator on which teams differ by 4 points
  (resection) counts as much as one on which they differ by 15 (nurse access).
- *Contrast*, what each team can teach the other: on each indicator the team
  with the better result leads by the gap, in spreads. Add up each team's
  leads; the smaller total is the contrast. A team better at everything could
  teach its partner much but learn nothing from it: contrast 0.
- *Standing*: a team's average margin, in spreads (0 is level with the bars).
  The gap between two teams' standings is what 'good with bad' means.
- *Caseload*: how many times one team's new patients a year is the other's;
  each doubling counts one.
- *Distance*: the great-circle distance; beyond the minimum, each further
  100 km counts one (a visit is made each way).

A pair's weight = contrast x contrast weight - standing gap x standing weight
- doublings x caseload weight - (km beyond the minimum / 100) x distance weight.

The limits are hard: a pair that breaks one is never proposed. Among the
pairings that pair as many teams as possible, the one with the greatest total
weight is chosen, over all teams at once (a maximum-weight matching, which the
heaviest-pair-first ``greedy_pairs`` is measured against). The organiser then
accepts, swaps or overrides; nothing here records anything. Each chosen pair's
reasons are put into words by ``domain.pairing_reasons``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import pstdev

import networkx as nx

from domain.counterparts import Indicator
from domain.geography import distance_km
from domain.input_checks import Checker
from domain.pairing_reasons import caseload_reason, contrast_reasons, in_a_list, standing_reason

# The four NLCA headline indicators ILCOP paired its teams on: the default the
# organiser can change (indicators stay data: docs/domain.md, "Indicators").
HEADLINE_INDICATORS = ("histology", "active_treatment", "resection_nsclc", "cns_seen")


@dataclass(frozen=True)
class CandidateTeam:
    id: str
    name: str
    region: str
    latitude: float
    longitude: float
    caseload: int
    results: Mapping[str, float] = field(default_factory=dict, compare=False)  # latest audit


@dataclass(frozen=True)
class Limits:
    """Hard limits: a pair that breaks one is never proposed."""
    min_distance_km: float = 100.0
    max_caseload_ratio: float = 2.0
    max_standing_gap: float = 1.0    # in spreads
    no_repeats: bool = True          # not a pair from an earlier round

    @classmethod
    def checked(cls, raw: Mapping[str, object]) -> Limits:
        """From a form or query: each field given as text or a number, or left out."""
        check, default = Checker(), cls()
        limits = cls(
            min_distance_km=_number(check, raw, "min_distance_km", default.min_distance_km, 0, 1000),
            max_caseload_ratio=_number(check, raw, "max_caseload_ratio",
                                       default.max_caseload_ratio, 1, 100),
            max_standing_gap=_number(check, raw, "max_standing_gap", default.max_standing_gap, 0, 10),
            no_repeats=raw.get("repeats", "avoid") in ("avoid", "", None))
        if raw.get("repeats") not in ("avoid", "allow", "", None):
            check.fail("repeats", "must be avoid or allow")
        check.done()
        return limits


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts; the organiser may change them."""
    contrast: float = 10.0
    standing: float = 5.0
    caseload: float = 5.0
    distance: float = 1.0

    @classmethod
    def checked(cls, raw: Mapping[str, object]) -> Weights:
        check, default = Checker(), cls()
        weights = cls(**{name: _number(check, raw, name, getattr(default, name), 0, 100)
                         for name in ("contrast", "standing", "caseload", "distance")})
        check.done()
        return weights


def _number(check: Checker, raw: Mapping[str, object], name: str, default: float,
            low: float, high: float) -> float:
    value = raw.get(name)
    if value is None or value == "":
        return default
    found = check.number(name, value, low=low, high=high)
    return default if found is None or not math.isfinite(found) else found


@dataclass(frozen=True)
class ProposedPair:
    first: CandidateTeam
    second: CandidateTeam
    weight: float
    distance_km: float
    contrast: float
    standing_gap: float
    caseload_ratio: float
    reasons: tuple[str, ...]

    @property
    def in_words(self) -> str:
        """The pair's figures as a busy organiser reads them: "similar caseloads, 240 km
        apart, each strong where the other is weak" (the raw figures stay available)."""
        size = ("similar caseloads" if self.caseload_ratio <= SIMILAR_CASELOAD_RATIO
                else f"one sees {self.caseload_ratio:.1f} times the other's patients")
        teaching = ("each strong where the other is weak" if self.contrast > 0
                    else "one team ahead on every indicator compared")
        standing = ("level overall" if self.standing_gap < LEVEL_STANDING_GAP
                    else "close in overall standing")
        return f"{size}, {self.distance_km:,.0f} km apart, {teaching}, {standing}"


# Below these, the words say "similar caseloads" and "level overall".
SIMILAR_CASELOAD_RATIO = 1.5
LEVEL_STANDING_GAP = 0.25


@dataclass(frozen=True)
class Unpaired:
    team: CandidateTeam
    reason: str


@dataclass(frozen=True)
class Proposal:
    pairs: tuple[ProposedPair, ...]
    unpaired: tuple[Unpaired, ...]

    @property
    def total_weight(self) -> float:
        return sum(p.weight for p in self.pairs)


def propose_pairs(teams: Iterable[CandidateTeam], indicators: Sequence[Indicator],
                  limits: Limits = Limits(), weights: Weights = Weights(),
                  paired_before: Collection[frozenset[str]] = frozenset()) -> Proposal:
    """The pairing of greatest total weight among those that pair the most teams."""
    scoring = _Scoring(teams, indicators, limits, weights, paired_before)
    graph = _Graph()
    graph.add_nodes_from(range(len(scoring.teams)))
    # Whole hundredths: networkx is exact on integers. Shifting every weight up
    # by the same amount changes no choice among pairings of the same size,
    # and keeps them all positive.
    hundredths = {edge: round(weight * 100) for edge, weight in scoring.allowed.items()}
    lowest = min(hundredths.values(), default=0)
    graph.add_weighted_edges_from((i, j, w - lowest + 1) for (i, j), w in hundredths.items())
    matched = nx.max_weight_matching(graph, maxcardinality=True)
    return scoring.proposal([(min(edge), max(edge)) for edge in matched])


class _Graph(nx.Graph):
    """A graph whose ``graph[node]`` is the plain neighbour dict: the matching only
    reads ``graph[v][w]["weight"]``, and networkx's read-only views around it cost
    a third of its time on 156 teams."""

    def __getitem__(self, node: int) -> dict[int, dict[str, int]]:
        return self._adj[node]


def greedy_pairs(teams: Iterable[CandidateTeam], indicators: Sequence[Indicator],
                 limits: Limits = Limits(), weights: Weights = Weights(),
                 paired_before: Collection[frozenset[str]] = frozenset()) -> Proposal:
    """The baseline: take the heaviest allowed pair, then the heaviest pair of
    the teams left, and so on."""
    scoring = _Scoring(teams, indicators, limits, weights, paired_before)
    taken: set[int] = set()
    chosen = []
    for (i, j), _ in sorted(scoring.allowed.items(), key=lambda item: (-item[1], item[0])):
        if i not in taken and j not in taken:
            taken |= {i, j}
            chosen.append((i, j))
    return scoring.proposal(chosen)


def allowed_pairs(teams: Iterable[CandidateTeam], indicators: Sequence[Indicator],
                  limits: Limits = Limits(), weights: Weights = Weights(),
                  paired_before: Collection[frozenset[str]] = frozenset()
                  ) -> dict[frozenset[str], float]:
    """Every pair of team ids within the limits, with its weight among these teams."""
    scoring = _Scoring(teams, indicators, limits, weights, paired_before)
    return {frozenset((scoring.teams[i].id, scoring.teams[j].id)): weight
            for (i, j), weight in scoring.allowed.items()}


class _Scoring:
    """Every pair of teams within the limits, with its weight; explained in words
    only when it is chosen (on 156 teams the words cost more than the sums)."""

    def __init__(self, teams: Iterable[CandidateTeam], indicators: Sequence[Indicator],
                 limits: Limits, weights: Weights,
                 paired_before: Collection[frozenset[str]]) -> None:
        # Sorted, so equal inputs in any order give the same pairs.
        self.teams = sorted(teams, key=lambda t: (t.name, t.id))
        self.indicators = list(indicators)
        self.limits, self.weights = limits, weights
        values = {i.key: [t.results[i.key] for t in self.teams if i.key in t.results]
                  for i in self.indicators}
        spreads = {key: _spread(found) for key, found in values.items()}
        bars = {i.key: _bar(i, values[i.key]) for i in self.indicators}
        # Margins in spreads, one per indicator in order (None where there is no result).
        self.margins = [tuple((t.results[k] - bars[k]) / spreads[k] if k in t.results else None
                              for k in spreads) for t in self.teams]
        self.standings = [_mean([m for m in margins if m is not None])
                          for margins in self.margins]
        index = {t.id: n for n, t in enumerate(self.teams)}
        self.repeats = {(min(index[a], index[b]), max(index[a], index[b]))
                        for a, b in (tuple(p) for p in paired_before if len(p) == 2)
                        if a in index and b in index}
        self.allowed = dict(self._allowed_pairs())

    def _allowed_pairs(self) -> Iterable[tuple[tuple[int, int], float]]:
        """(i, j), weight of every pair within the limits: the cheap limits first."""
        limits, teams, standings = self.limits, self.teams, self.standings
        for i in range(len(teams)):
            mine = standings[i]
            if mine is None:
                continue
            for j in range(i + 1, len(teams)):
                theirs = standings[j]
                if (theirs is None
                        or _ratio(teams[i], teams[j]) > limits.max_caseload_ratio
                        or abs(mine - theirs) > limits.max_standing_gap
                        or (limits.no_repeats and (i, j) in self.repeats)
                        or self.km(i, j) < limits.min_distance_km):
                    continue
                yield (i, j), self.weight(i, j)

    def standing(self, k: int) -> float:
        """A team's standing, for the teams that have one: only they are ever
        weighed against another team."""
        found = self.standings[k]
        if found is None:
            raise ValueError(f"{self.teams[k].name} has no results to stand on")
        return found

    def km(self, i: int, j: int) -> float:
        return distance_km(self.teams[i], self.teams[j])

    def leads(self, i: int, j: int) -> tuple[list[tuple[float, Indicator]], list[tuple[float, Indicator]]]:
        """Where each team's result is the better one: (by how many spreads, indicator)."""
        mine: list[tuple[float, Indicator]] = []
        theirs: list[tuple[float, Indicator]] = []
        for indicator, a, b in zip(self.indicators, self.margins[i], self.margins[j], strict=True):
            if a is not None and b is not None and a != b:
                (mine if a > b else theirs).append((abs(a - b), indicator))
        return mine, theirs

    def parts(self, i: int, j: int) -> tuple[float, float, float, float]:
        """Contrast, standing gap, caseload ratio and distance of a pair."""
        mine, theirs = self.leads(i, j)
        contrast = min(sum(g for g, _ in mine), sum(g for g, _ in theirs))
        standing_gap = abs(self.standing(i) - self.standing(j))
        return contrast, standing_gap, _ratio(self.teams[i], self.teams[j]), self.km(i, j)

    def weight(self, i: int, j: int) -> float:
        contrast, standing_gap, ratio, km = self.parts(i, j)
        w = self.weights
        return (w.contrast * contrast - w.standing * standing_gap - w.caseload * math.log2(ratio)
                - w.distance * max(0.0, km - self.limits.min_distance_km) / 100)

    def pair(self, i: int, j: int) -> ProposedPair:
        a, b = self.teams[i], self.teams[j]
        contrast, standing_gap, ratio, km = self.parts(i, j)
        reasons = [*contrast_reasons(a, b, *self.leads(i, j)),
                   standing_reason(a, b, self.standing(i), self.standing(j)),
                   caseload_reason(a, b), f"{km:,.0f} km apart ({a.region}; {b.region})"]
        if self.limits.no_repeats and self.repeats:
            reasons.append("Not paired with each other before")
        return ProposedPair(a, b, round(self.allowed[i, j], 2), round(km, 1), round(contrast, 2),
                            round(standing_gap, 2), round(ratio, 2), tuple(reasons))

    def proposal(self, chosen: list[tuple[int, int]]) -> Proposal:
        pairs = sorted((self.pair(i, j) for i, j in chosen),
                       key=lambda p: (-p.weight, p.first.name, p.second.name))
        paired = {k for edge in chosen for k in edge}
        left = [k for k in range(len(self.teams)) if k not in paired]
        unpaired = tuple(Unpaired(self.teams[k], self.why_unpaired(k, len(left))) for k in left)
        return Proposal(tuple(pairs), unpaired)

    # --- why a team is left out -------------------------------------------------

    def breaks(self, i: int, j: int) -> str | None:
        """The first hard limit the pair breaks, in the order the reasons name them."""
        a, b = self.teams[min(i, j)], self.teams[max(i, j)]
        if self.km(i, j) < self.limits.min_distance_km:
            return "distance"
        if _ratio(a, b) > self.limits.max_caseload_ratio:
            return "caseload"
        if abs(self.standing(i) - self.standing(j)) > self.limits.max_standing_gap:
            return "standing"
        if self.limits.no_repeats and (min(i, j), max(i, j)) in self.repeats:
            return "repeat"
        return None

    def why_unpaired(self, k: int, how_many_left: int) -> str:
        if self.standings[k] is None:
            return "no results from its latest audit on the indicators chosen"
        options = [self.teams[j] for j in range(len(self.teams))
                   if (min(j, k), max(j, k)) in self.allowed]
        if options:
            names = in_a_list([t.name for t in options[:3]] + (["others"] if len(options) > 3 else []))
            odd = "odd one out: " if how_many_left == 1 else ""
            return f"{odd}every team it could be paired with ({names}) is paired with another team"
        return "no team " + self._missing_partner(k)

    def _missing_partner(self, k: int) -> str:
        """The limits, in order, up to the first that leaves no partner: "at least
        100 km away and with a caseload within 2 times its own (80 a year)"."""
        others = [j for j in range(len(self.teams)) if j != k and self.standings[j] is not None]
        if not others:
            return "else with results from its latest audit is taking part"
        limits, team = self.limits, self.teams[k]
        phrases = {
            "distance": f"at least {limits.min_distance_km:g} km away",
            "caseload": f"with a caseload within {limits.max_caseload_ratio:g} times its own "
                        f"({team.caseload:,} a year)",
            "standing": f"with an overall standing within {limits.max_standing_gap:g} of its "
                        f"own ({self.standings[k]:+.2f})",
            "repeat": "that it has not been paired with before"}
        order = list(phrases)
        first_broken = [order.index(b) if (b := self.breaks(j, k)) in order else len(order)
                        for j in others]
        said = []
        for step, limit in enumerate(order):
            said.append(phrases[limit])
            if all(broken <= step for broken in first_broken):
                break
        return in_a_list(said)


def _spread(values: list[float]) -> float:
    """The standard deviation between teams; 1 point when they barely differ."""
    spread = pstdev(values) if len(values) > 1 else 0.0
    return spread if spread > 1e-9 else 1.0


def _bar(indicator: Indicator, values: list[float]) -> float:
    """The standard, else the national figure, else the teams' own average."""
    bar = indicator.bar()
    if bar is not None:
        return bar
    return sum(values) / len(values) if values else 0.0


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _ratio(a: CandidateTeam, b: CandidateTeam) -> float:
    small, large = sorted((max(a.caseload, 1), max(b.caseload, 1)))
    return large / small
