"""Who the network's ties connect, who holds it together, and who carries it (issue 12,
items 4, 6 and 7; docs/network-health.md gives each formula and how to read it).

Pure functions over the ``Act`` and ``Tie`` lists of ``domain.network_activity``, with
member and team facts passed in as plain mappings (``region_of`` a team, ``role_of`` a
member, ``name_of`` either). Each returns a small frozen result holding the figures and a
verdict in plain words; too little data gives a "not enough data" verdict and empty
figures, never an exception.

- Ties across teams: ``e_i_index`` (per quarter, by team or by region),
  ``team_reciprocity``, ``same_role_ties``.
- Brokers: ``team_brokers`` and ``member_brokers``, betweenness on the live network
  with 1/weight as length (igraph: networkx took seconds on a national network).
- Core, regular and casual members: ``core_members``.

Acts by organisers are left out of the activity measures: the question is whether the
network lives without its core team. igraph is imported inside the
functions, so importing the domain stays fast.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from domain.network_activity import LAPSE_DAYS, Act, Tie, TieKind

NOT_ENOUGH = "Not enough data to say yet"
CONTACTS: tuple[TieKind, ...] = (TieKind.CONTACT,)


# ----- periods ---------------------------------------------------------------------------

def quarter_of(day: date) -> str:
    """The calendar quarter a day falls in, as people write it: ``2012 Q2`` (the one
    form on pages, CSV and API alike; ``domain.network_health.quarter_of`` too)."""
    return f"{day.year:04d} Q{(day.month - 1) // 3 + 1}"


def percent(share: float) -> str:
    return f"{round(100 * share)}%"


def _named(ids: Iterable[str], name_of: Mapping[str, str] | None) -> list[str]:
    return [(name_of or {}).get(i, i) for i in ids]


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# ----- 4. ties across teams ----------------------------------------------------------------

@dataclass(frozen=True)
class EIQuarter:
    quarter: str
    internal: int
    external: int
    index: float  # (external − internal) / (external + internal), −1 … +1


@dataclass(frozen=True)
class EIIndex:
    across: str                      # "teams" or "regions"
    quarters: tuple[EIQuarter, ...]  # only quarters with at least one tie counted
    internal: int
    external: int
    index: float | None              # over all the ties; None without any
    verdict: str


def _ei(external: int, internal: int) -> float:
    return (external - internal) / (external + internal)


def e_i_index(ties: Iterable[Tie], region_of: Mapping[str, str] | None = None,
              kinds: Collection[TieKind] = CONTACTS) -> EIIndex:
    """Krackhardt and Stern's E–I index of ties per quarter: across teams, or across
    regions when ``region_of`` (team id → region) is given. Ties with a member outside
    any team (or a team of unknown region) cannot be called internal or external and
    are left out."""
    def group(team_id: str | None) -> str | None:
        if team_id is None or region_of is None:
            return team_id
        return region_of.get(team_id)

    across = "teams" if region_of is None else "regions"
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for tie in ties:
        first, second = group(tie.first_team_id), group(tie.second_team_id)
        if tie.kind in kinds and first is not None and second is not None:
            counts[quarter_of(tie.day)]["internal" if first == second else "external"] += 1
    quarters = tuple(EIQuarter(q, c["internal"], c["external"], _ei(c["external"], c["internal"]))
                     for q, c in sorted(counts.items()))
    internal = sum(q.internal for q in quarters)
    external = sum(q.external for q in quarters)
    if not quarters:
        return EIIndex(across, (), 0, 0, None, f"{NOT_ENOUGH}: no contacts between members "
                                              f"whose {across} are known.")
    index = _ei(external, internal)
    latest = quarters[-1]
    verdict = (f"{external} of {external + internal} contacts ({percent(external / (external + internal))}) "
               f"crossed {across} (E–I index {index:+.2f}: −1 all within, +1 all across); "
               f"in {latest.quarter}, {latest.external} of {latest.external + latest.internal} "
               f"(E–I {latest.index:+.2f}).")
    return EIIndex(across, quarters, internal, external, index, verdict)


@dataclass(frozen=True)
class Reciprocity:
    directed_pairs: int                   # ordered pairs of teams (A, B): a member of A contacted one of B
    mutual_pairs: int                     # of those, how many B returned
    share: float | None                   # mutual / directed, as networkx.reciprocity
    one_way: tuple[tuple[str, str], ...]  # (from team, to team) never returned
    verdict: str


def team_reciprocity(ties: Iterable[Tie], kinds: Collection[TieKind] = CONTACTS) -> Reciprocity:
    """The share of team-to-team contacts that were returned: a tie's first member is
    the one who made it, so A → B is returned when someone in B also contacted A."""
    pairs = {(t.first_team_id, t.second_team_id) for t in ties
             if t.kind in kinds and t.first_team_id and t.second_team_id
             and t.first_team_id != t.second_team_id}
    if not pairs:
        return Reciprocity(0, 0, None, (), f"{NOT_ENOUGH}: no team has contacted another.")
    mutual = sum(1 for a, b in pairs if (b, a) in pairs)
    one_way = tuple(sorted((a, b) for a, b in pairs if (b, a) not in pairs))
    share = mutual / len(pairs)
    verdict = (f"{percent(share)} of the links from one team to another were returned "
               f"({mutual} of {len(pairs)}); "
               + ("most contact flows one way." if share < 0.5 else "most teams give as well as take."))
    return Reciprocity(len(pairs), mutual, share, one_way, verdict)


@dataclass(frozen=True)
class SameRoleTies:
    cross_team: int                       # ties across teams where both members' roles are known
    same_role: int
    share: float | None                   # same_role / cross_team
    by_chance: float | None               # the share expected if roles mixed at random
    by_role: tuple[tuple[str, int], ...]  # same-role ties across teams, most first
    verdict: str


def same_role_ties(ties: Iterable[Tie], role_of: Mapping[str, str],
                   kinds: Collection[TieKind] = CONTACTS) -> SameRoleTies:
    """Of the ties across teams, the share between members of the same role (the ILCOP
    "nurses with nurses" effect), beside the share that random mixing would give:
    the sum over roles of (the role's share of the ties' ends)²."""
    ends: Counter[str] = Counter()
    same: Counter[str] = Counter()
    cross = 0
    for t in ties:
        first, second = role_of.get(t.first_member_id), role_of.get(t.second_member_id)
        if (t.kind not in kinds or first is None or second is None or t.first_team_id is None
                or t.second_team_id is None or t.first_team_id == t.second_team_id):
            continue
        cross += 1
        ends.update((first, second))
        if first == second:
            same[first] += 1
    if not cross:
        return SameRoleTies(0, 0, None, None, (), f"{NOT_ENOUGH}: no contacts across teams "
                                                  "between members whose roles are known.")
    share = sum(same.values()) / cross
    chance = sum((n / (2 * cross)) ** 2 for n in ends.values())
    by_role = tuple(sorted(same.items(), key=lambda rn: (-rn[1], rn[0])))
    most = f"; most often {by_role[0][0]}s with {by_role[0][0]}s" if by_role else ""
    compared = "more than" if share > chance else "no more than"
    verdict = (f"{percent(share)} of the contacts across teams were between people in the same role "
               f"({compared} the {percent(chance)} that chance would give){most}.")
    return SameRoleTies(cross, sum(same.values()), share, chance, by_role, verdict)


# ----- 6. brokers ------------------------------------------------------------------------

@dataclass(frozen=True)
class Broker:
    id: str
    betweenness: float             # normalised: the share of shortest paths between others through it
    last_activity: date | None


@dataclass(frozen=True)
class Brokers:
    level: str                     # "team" or "member"
    as_of: date
    nodes: int                     # in the live network
    brokers: tuple[Broker, ...]    # highest betweenness first, only those above 0
    verdict: str


def live_ties(ties: Iterable[Tie], as_of: date, days: int = LAPSE_DAYS) -> list[Tie]:
    """The ties of the last ``days`` (``LAPSE_DAYS``) up to and including ``as_of``: the
    one definition of the live network, which ``domain.network_health`` uses too."""
    since = as_of - timedelta(days=days)
    return [t for t in ties if since < t.day <= as_of]


def _lengths(pairs: Iterable[tuple[str, str, float]]) -> dict[tuple[str, str], float]:
    """Sum the weights of the ties between each pair of nodes and turn them into
    lengths: a strong tie is a short path, so betweenness counts it first."""
    weight: dict[tuple[str, str], float] = defaultdict(float)
    for a, b, w in pairs:
        if a != b:
            weight[(min(a, b), max(a, b))] += w
    return {pair: 1 / w for pair, w in weight.items()}


def _last_days(acts: Iterable[Act], ties: Iterable[Tie], as_of: date,
               key: Callable[[Act], str | None],
               ends: Callable[[Tie], tuple[str | None, str | None]]) -> dict[str, date]:
    last: dict[str, date] = {}
    for act in acts:
        k = key(act)
        if k is not None and act.day <= as_of:
            last[k] = max(act.day, last.get(k, act.day))
    for tie in ties:
        for k in ends(tie):
            if k is not None and tie.day <= as_of:
                last[k] = max(tie.day, last.get(k, tie.day))
    return last


def _brokers(level: str, as_of: date, nodes: int, scores: Mapping[str, float],
             last: Mapping[str, date], top: int, name_of: Mapping[str, str] | None) -> Brokers:
    ranked = sorted(((s, i) for i, s in scores.items() if s > 0), key=lambda si: (-si[0], si[1]))
    found = tuple(Broker(i, s, last.get(i)) for s, i in ranked[:top])
    if nodes < 3:
        return Brokers(level, as_of, nodes, (), f"{NOT_ENOUGH}: the live network has fewer than "
                                                f"three {level}s.")
    if not found:
        return Brokers(level, as_of, nodes, (), f"No {level} stands between others in the live "
                                                "network: each is linked directly or not at all.")
    names = _named((b.id for b in found), name_of)
    quiet = [n for b, n in zip(found, names, strict=True)
             if b.last_activity is None or (as_of - b.last_activity).days > LAPSE_DAYS // 2]
    verdict = (f"The live network leans most on {_listed(names)}: "
               f"{percent(found[0].betweenness)} of the shortest links between other {level}s "
               f"run through {names[0]}.")
    if quiet:
        verdict += f" Back up {_listed(quiet)}: quiet for over {LAPSE_DAYS // 2} days."
    return Brokers(level, as_of, nodes, found, verdict)


def team_brokers(ties: Iterable[Tie], acts: Iterable[Act], as_of: date, top: int = 5,
                 name_of: Mapping[str, str] | None = None) -> Brokers:
    """The teams with the highest betweenness on the live network of teams, each with
    the day of its last act or tie. igraph, as for members: networkx took 10 to 16 s
    on a national network's 200 teams, tied almost each to each by events, igraph well
    under one (the unit tests check the two agree)."""
    ties = list(ties)
    live = live_ties(ties, as_of)
    scores = betweenness((t.first_team_id, t.second_team_id, t.weight) for t in live
                         if t.first_team_id and t.second_team_id)
    last = _last_days(acts, ties, as_of, lambda a: a.team_id,
                      lambda t: (t.first_team_id, t.second_team_id))
    return _brokers("team", as_of, len(scores), scores, last, top, name_of)


def member_betweenness(ties: Iterable[Tie]) -> dict[str, float]:
    """Normalised betweenness of each member over the given ties (igraph)."""
    return betweenness((t.first_member_id, t.second_member_id, t.weight) for t in ties)


def betweenness(edges: Iterable[tuple[str, str, float]]) -> dict[str, float]:
    """Normalised betweenness of each node over weighted edges (igraph; the weights of
    the same pair summed, 1/weight as length), scaled as networkx scales it:
    2 / ((n − 1)(n − 2)) for an undirected graph. A node tied only to itself (two
    members of one team) is a node, with 0."""
    import igraph

    edges = list(edges)
    lengths = _lengths(edges)
    nodes = sorted({k for a, b, _ in edges for k in (a, b)})
    if len(nodes) < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {m: i for i, m in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in lengths])
    raw = graph.betweenness(weights=list(lengths.values()), directed=False)
    scale = 2 / ((len(nodes) - 1) * (len(nodes) - 2))
    return {m: raw[i] * scale for m, i in index.items()}


def member_brokers(ties: Iterable[Tie], acts: Iterable[Act], as_of: date, top: int = 10,
                   name_of: Mapping[str, str] | None = None) -> Brokers:
    """The members with the highest betweenness on the live network of members (igraph),
    each with the day of their last act or tie."""
    ties = list(ties)
    live = live_ties(ties, as_of)
    scores = member_betweenness(live)
    last = _last_days(acts, ties, as_of, lambda a: a.member_id,
                      lambda t: (t.first_member_id, t.second_member_id))
    return _brokers("member", as_of, len(scores), scores, last, top, name_of)


# ----- 7. core, regular and casual members -----------------------------------------------

CORE_SHARE, REGULAR_SHARE = 0.80, 0.95


@dataclass(frozen=True)
class Tiers:
    period: str                    # a quarter, or "before" / "after" the funding end
    acts: int
    core: tuple[str, ...]          # the fewest, busiest members who together did 80% of the acts
    regular: tuple[str, ...]       # the next 15%
    casual: tuple[str, ...]        # the last 5%


def tiers(period: str, acts: Iterable[Act]) -> Tiers:
    """Split the members who acted into core, regular and casual: rank by acts (ties in
    count by id, so the split is reproducible); a member is core while the share done by
    those ranked above them is under 80%, regular while it is under 95%."""
    counts = Counter(a.member_id for a in acts if not a.by_organiser)
    total = sum(counts.values())
    split: dict[str, list[str]] = {"core": [], "regular": [], "casual": []}
    done = 0
    for member, n in sorted(counts.items(), key=lambda mn: (-mn[1], mn[0])):
        if done < CORE_SHARE * total:
            tier = "core"
        else:
            tier = "regular" if done < REGULAR_SHARE * total else "casual"
        split[tier].append(member)
        done += n
    return Tiers(period, total, tuple(split["core"]), tuple(split["regular"]), tuple(split["casual"]))


@dataclass(frozen=True)
class CoreMembers:
    quarters: tuple[Tiers, ...]
    before: Tiers                  # all acts up to the funding end
    after: Tiers                   # all acts after it, up to as_of
    still_core: float | None       # share of the core before who are core after
    became: tuple[tuple[str, int], ...]  # where the core before went: core/regular/casual/gone
    verdict: str


def core_members(acts: Iterable[Act], funding_end: date, as_of: date) -> CoreMembers:
    """Core, regular and casual members per quarter, and how much of the core before the
    funding end is still core after it (acts after ``as_of`` ignored)."""
    mine = [a for a in acts if a.day <= as_of and not a.by_organiser]
    by_quarter: dict[str, list[Act]] = defaultdict(list)
    for a in mine:
        by_quarter[quarter_of(a.day)].append(a)
    quarters = tuple(tiers(q, by_quarter[q]) for q in sorted(by_quarter))
    before = tiers("before", (a for a in mine if a.day <= funding_end))
    after = tiers("after", (a for a in mine if a.day > funding_end))
    if not before.core:
        return CoreMembers(quarters, before, after, None, (),
                           f"{NOT_ENOUGH}: no member acted before the funding end.")
    place = {m: t for t in ("core", "regular", "casual") for m in getattr(after, t)}
    went = Counter(place.get(m, "gone") for m in before.core)
    became = tuple((t, went[t]) for t in ("core", "regular", "casual", "gone"))
    still = went["core"] / len(before.core)
    verdict = (f"Before the funding end {len(before.core)} members did 80% of the activity; "
               f"{went['core']} of them ({percent(still)}) are still core after it")
    if after.acts:
        verdict += (f", where {len(after.core)} members do 80%; {went['gone']} of the old core "
                    "did nothing after it.")
    else:
        verdict += ": nobody has acted since the funding end."
    return CoreMembers(quarters, before, after, still, became, verdict)
