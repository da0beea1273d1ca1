"""Is the network sustaining itself? Four of issue 12's measures, each with its verdict.

Pure functions over lists of ``Act`` and ``Tie`` (domain/network_activity.py), so
each is tested on small hand-built histories; docs/network-health.md gives each
measure's definition, formula and what a reader should conclude.

- ``organic_activity``: member-initiated acts per month (not the organisers' own,
  not replies to their nudges or introductions) on an XmR chart whose limits are
  recalculated from the month after the funding end (``domain.measurement``'s rules,
  the ones every QIP chart uses), and the special causes after the funding end.
- ``dependence``: facilitated against self-initiated contacts per quarter, the share
  of acts the organisers did or prompted, and the network with the organisers
  removed: members and teams cut off, and fragmentation F = 1 − Σ s(s−1) / (n(n−1))
  over the remaining components' sizes s (the share of pairs that can no longer
  reach each other; Borgatti 2006).
- ``absence_factor``: the fewest members, and teams, who together make half the acts
  (CHAOSS's contributor absence factor).
- ``live_network``: ties active in the last ``LAPSE_DAYS``: density, components, the
  largest component's share, isolated teams and members.
- ``responsiveness``: median and 90th percentile days to a first response, and the
  share unanswered after 14 days.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta

import networkx as nx
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from domain.measurement import RULE_SIDE, Variation, phase_starts, xmr_chart
from domain.network_activity import LAPSE_DAYS, Act, ActKind, Tie, TieKind
from domain.network_measures import live_ties
from domain.values import Direction
from domain.wording import plural

# The words for each special-cause rule of domain.measurement.
RULE_WORDS = {
    "above_upper": "above the upper limit",
    "below_lower": "below the lower limit",
    "trend_up": "part of seven or more months rising",
    "trend_down": "part of seven or more months falling",
    "two_in_three_above": "two of three months close to the upper limit",
    "two_in_three_below": "two of three months close to the lower limit",
    "run_above": "part of seven or more months above the mean",
    "run_below": "part of seven or more months below the mean",
}
UNANSWERED_AFTER_DAYS = 14


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of(day: date) -> str:
    return f"{day.year:04d} Q{(day.month - 1) // 3 + 1}"


def _months(first: date, last: date) -> list[date]:
    """The first day of each month from ``first``'s to ``last``'s."""
    found, day = [], first.replace(day=1)
    while day <= last:
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# --- 1. organic activity as an SPC chart ------------------------------------------------

@dataclass(frozen=True)
class MonthCount:
    month: str                 # "2012-04"
    count: int
    special_cause: str | None  # a domain.measurement rule, or None
    after_funding: bool


@dataclass(frozen=True)
class OrganicActivity:
    months: tuple[MonthCount, ...]
    funding_end: date | None
    mean_before: float | None
    mean_after: float | None
    limits_after: tuple[float, float] | None   # (lower, upper) from the funding end
    verdict: str


def organic_activity(acts: Iterable[Act], as_of: date,
                     funding_end: date | None) -> OrganicActivity:
    """Organic acts per calendar month from the first act's month to ``as_of``'s (gaps
    as zeros), read as an XmR chart recalculated from the month after the funding end."""
    counts = Counter(month_of(a.day) for a in acts if a.organic and a.day <= as_of)
    if not counts:
        return OrganicActivity((), funding_end, None, None, None,
                               "No organic activity recorded yet: nothing to chart.")
    first = date.fromisoformat(min(counts) + "-01")
    days = _months(first, as_of)
    values = [float(counts.get(month_of(d), 0)) for d in days]
    after = [funding_end is not None and d > funding_end for d in days]
    if len(values) < 2:
        rows = tuple(MonthCount(month_of(d), int(v), None, a)
                     for d, v, a in zip(days, values, after, strict=True))
        return OrganicActivity(rows, funding_end, values[0], None, None,
                               "One month of activity so far: too little to chart.")
    changes = [funding_end + timedelta(days=1)] if funding_end is not None else []
    starts = phase_starts(days, changes)
    chart = xmr_chart(values, Direction.UP, starts=starts)
    rows = tuple(MonthCount(month_of(d), int(v), rule, a)
                 for d, v, rule, a in zip(days, values, chart.rules, after, strict=True))
    split = starts[0] if starts else None
    before = values[:split] if split is not None else values
    later = values[split:] if split is not None else []
    limits = ((chart.phases[-1].lower, chart.phases[-1].upper)
              if split is not None and len(chart.phases) > 1 else None)
    return OrganicActivity(
        rows, funding_end, statistics.fmean(before) if before else None,
        statistics.fmean(later) if later else None, limits,
        _organic_verdict(rows, chart.variation, funding_end,
                         statistics.fmean(before) if before else None,
                         statistics.fmean(later) if later else None))


def _organic_verdict(rows: Sequence[MonthCount], variation: Sequence[Variation],
                     funding_end: date | None, before: float | None,
                     after: float | None) -> str:
    if funding_end is None:
        return "No funding end is recorded, so activity cannot be compared either side of it."
    if after is None:
        return (f"The funding has not ended yet (it ends {funding_end:%-d %B %Y}); "
                f"members made {before:.1f} acts a month on their own so far.")
    words = [f"Members made {before:.1f} acts a month on their own before the funding "
             f"ended and {after:.1f} a month since"]
    after_rows = [(row, var) for row, var in zip(rows, variation, strict=True)
                  if row.after_funding]
    if all(row.special_cause is None for row, _ in after_rows):
        return (words[0] + ". Since the funding end the months vary only as much as "
                "chance would make them (common cause): no sign of a real rise or fall.")
    # Consecutive months signalling the same way, in time order: "high from April to
    # September 2012 (above the upper limit), then low from October 2012 …".
    spans: list[tuple[Variation, list[MonthCount]]] = []
    for row, var in after_rows:
        if row.special_cause is None:
            if spans and spans[-1][0] is not Variation.COMMON:
                spans.append((Variation.COMMON, []))
            continue
        if not spans or spans[-1][0] is not var:
            spans.append((var, []))
        spans[-1][1].append(row)
    parts = []
    for var, months in spans:
        if var is Variation.COMMON:
            continue
        way = "high" if var is Variation.IMPROVEMENT else "low"
        rules = "; ".join(dict.fromkeys(RULE_WORDS[m.special_cause or ""] for m in months))
        when = (_month_words(months[0].month) if len(months) == 1 else
                f"{_month_words(months[0].month)} to {_month_words(months[-1].month)}")
        parts.append(f"{way} in {when} ({rules})")
    latest = after_rows[-1][1]
    ending = {Variation.COMMON: "The latest month is within the limits (common cause).",
              Variation.IMPROVEMENT: "The latest month is a real rise, not chance.",
              Variation.CONCERN: "The latest month is a real fall, not chance: the network "
                                 "is not sustaining its own activity at the level it had."}
    return (words[0] + ". Against the limits set since the funding end, special cause: "
            + ", then ".join(parts) + ". " + ending[latest])


def _month_words(month: str) -> str:
    return date.fromisoformat(month + "-01").strftime("%B %Y")


def special_cause_side(rule: str | None) -> int:
    """+1 a high or rising signal, −1 a low or falling one, 0 none."""
    return RULE_SIDE.get(rule or "", 0)


# --- 2. dependence on the organisers --------------------------------------------------

@dataclass(frozen=True)
class QuarterContacts:
    quarter: str
    facilitated: int
    self_initiated: int

    @property
    def self_initiated_share(self) -> float | None:
        return _share(self.self_initiated, self.facilitated + self.self_initiated)


@dataclass(frozen=True)
class WithoutOrganisers:
    members: int                         # members with a tie, organisers left out
    teams: int
    members_cut_off: tuple[str, ...]     # connected through the organisers only
    teams_cut_off: tuple[str, ...]
    fragmentation_with: float | None     # over the members, organisers present
    fragmentation_without: float | None


@dataclass(frozen=True)
class Dependence:
    quarters: tuple[QuarterContacts, ...]
    acts: int
    by_organisers: int
    prompted_by_organisers: int          # members' acts in reply to a nudge or introduction
    without_organisers: WithoutOrganisers
    verdict: str

    @property
    def organiser_initiated_share(self) -> float | None:
        return _share(self.by_organisers + self.prompted_by_organisers, self.acts)


def contacts_by_quarter(ties: Iterable[Tie]) -> tuple[QuarterContacts, ...]:
    """Contacts the organisers facilitated against those members made themselves."""
    found: dict[str, list[int]] = {}
    for tie in ties:
        if tie.kind is TieKind.CONTACT:
            row = found.setdefault(quarter_of(tie.day), [0, 0])
            row[0 if tie.facilitated else 1] += 1
    return tuple(QuarterContacts(q, f, s) for q, (f, s) in sorted(found.items()))


def fragmentation(graph: nx.Graph) -> float | None:
    """F = 1 − Σ s(s−1) / (n(n−1)) over the components' sizes s: the share of pairs of
    nodes that cannot reach each other (0: all connected; 1: no one reaches anyone)."""
    n = graph.number_of_nodes()
    if n < 2:
        return None
    reach = sum(len(c) * (len(c) - 1) for c in nx.connected_components(graph))
    return 1 - reach / (n * (n - 1))


def member_graph(ties: Iterable[Tie], nodes: Iterable[str] = ()) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    # Each pair once: an event's attendees make thousands of repeated pairs.
    graph.add_edges_from({(t.first_member_id, t.second_member_id) for t in ties
                          if t.first_member_id != t.second_member_id})
    return graph


def team_graph(ties: Iterable[Tie], nodes: Iterable[str] = ()) -> nx.Graph:
    """Teams linked when members of two different teams share a tie."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from({(t.first_team_id, t.second_team_id) for t in ties
                          if t.first_team_id is not None and t.second_team_id is not None
                          and t.first_team_id != t.second_team_id})
    return graph


def _pairs(ties: Iterable[Tie], leave_out: AbstractSet[str] = frozenset()
           ) -> set[tuple[str, str]]:
    """Each pair of members tied, once, leaving out ties with anyone in ``leave_out``."""
    return {(t.first_member_id, t.second_member_id) for t in ties
            if t.first_member_id != t.second_member_id
            and t.first_member_id not in leave_out and t.second_member_id not in leave_out}


def components(nodes: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Connected components (scipy's sparse-graph labelling): a national network's
    member graph, 100,000 pairs from events, in hundredths of a second, where building
    a networkx graph of it took seconds."""
    index: dict[str, int] = {}
    for n in nodes:
        index.setdefault(n, len(index))
    rows, cols = [], []
    for a, b in pairs:
        rows.append(index.setdefault(a, len(index)))
        cols.append(index.setdefault(b, len(index)))
    if not index:
        return []
    size = len(index)
    graph = coo_matrix(([1] * len(rows), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    found: dict[int, set[str]] = {}
    for name, label in zip(index, labels.tolist(), strict=True):
        found.setdefault(label, set()).add(name)
    return list(found.values())


def without_organisers(ties: Sequence[Tie], organisers: set[str]) -> WithoutOrganisers:
    """The network of these ties with the organisers taken out: the members (and teams)
    who were joined to the main body only through an organiser."""
    pairs = _pairs(ties)
    with_them = components((), pairs)
    members = sorted(m for c in with_them for m in c if m not in organisers)
    without_them = components(members, _pairs(ties, organisers))
    main_with: set[str] = max(with_them, key=len, default=set())
    main_without: set[str] = max(without_them, key=len, default=set())
    if len(main_without) < 2:
        main_without = set()  # a lone member is no main body: everyone is cut off
    cut = [m for m in members if m in main_with and m not in main_without]
    team_of = {}
    for tie in ties:
        team_of[tie.first_member_id] = tie.first_team_id
        team_of[tie.second_member_id] = tie.second_team_id
    # A team is cut off when none of its members stays in the main body.
    teams_with = {team_of[m] for m in main_with if team_of.get(m)}
    teams_without = {team_of[m] for m in main_without if team_of.get(m)}
    teams = {team_of[m] for m in members if team_of.get(m)}
    # Both figures are over the same members (organisers not counted as nodes), so
    # the difference is what the organisers' ties alone hold together.
    return WithoutOrganisers(len(members), len(teams), tuple(cut),
                             tuple(sorted(t for t in teams_with - teams_without if t)),
                             _fragmentation_over(with_them, set(members)),
                             _fragmentation_over(without_them, set(members)))


def _fragmentation_over(parts: Iterable[set[str]], nodes: set[str]) -> float | None:
    """Fragmentation among ``nodes`` given the components (paths may pass through
    nodes outside ``nodes``, such as the organisers)."""
    n = len(nodes)
    if n < 2:
        return None
    reach = sum(s * (s - 1) for s in (len(c & nodes) for c in parts))
    return 1 - reach / (n * (n - 1))


def dependence(acts: Sequence[Act], ties: Sequence[Tie], organisers: set[str]) -> Dependence:
    """How much of the network's life the organisers make or arrange (the period's acts
    and ties), and what falls apart without them."""
    by_organisers = sum(a.by_organiser for a in acts)
    prompted = sum(a.nudged and not a.by_organiser for a in acts)
    quarters = contacts_by_quarter(ties)
    without = without_organisers(ties, organisers)
    return Dependence(quarters, len(acts), by_organisers, prompted, without,
                      _dependence_verdict(quarters, len(acts), by_organisers + prompted,
                                          without))


def _dependence_verdict(quarters: Sequence[QuarterContacts], acts: int, initiated: int,
                        without: WithoutOrganisers) -> str:
    if not acts:
        return "No activity in this period."
    share = initiated / acts
    words = [f"The organisers did or prompted {share:.0%} of the activity"]
    shares = [q.self_initiated_share for q in quarters if q.self_initiated_share is not None]
    if len(shares) >= 2:
        first, last = shares[0], shares[-1]
        if first == last:
            words.append(f"members' self-initiated share of contacts stayed at {last:.0%} "
                         f"from {quarters[0].quarter} to {quarters[-1].quarter}")
        else:
            words.append(f"members' self-initiated share of contacts "
                         f"{'rose' if last > first else 'fell'} from {first:.0%} in "
                         f"{quarters[0].quarter} to {last:.0%} in {quarters[-1].quarter}")
    if without.members:
        cut = len(without.members_cut_off)
        if cut:
            words.append(f"without the organisers {plural(cut, 'member')} and "
                         f"{plural(len(without.teams_cut_off), 'team')} would be cut off "
                         f"from the rest")
        else:
            words.append("without the organisers no one would be cut off from the rest")
    verdict = "; ".join(words) + "."
    if share >= 0.5:
        verdict += " The network leans on its organisers."
    elif share < 0.2:
        verdict += " Members mostly act on their own."
    return verdict


# --- 3. absence factor ------------------------------------------------------------------

@dataclass(frozen=True)
class AbsenceFactor:
    acts: int
    members: tuple[tuple[str, int], ...]  # the fewest members making half the acts, with counts
    teams: tuple[tuple[str, int], ...]    # the same for teams (acts by a team's members)
    verdict: str

    @property
    def member_factor(self) -> int:
        return len(self.members)

    @property
    def team_factor(self) -> int:
        return len(self.teams)


def _fewest_for_half(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    total = sum(counts.values())
    chosen, running = [], 0
    for who, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if running * 2 >= total:
            break
        chosen.append((who, n))
        running += n
    return tuple(chosen)


def absence_factor(acts: Sequence[Act]) -> AbsenceFactor:
    """The fewest members (and teams) who together make at least half the acts, busiest
    first. Organisers count as members; acts without a team count for no team."""
    members = _fewest_for_half(Counter(a.member_id for a in acts))
    teams = _fewest_for_half(Counter(a.team_id for a in acts if a.team_id is not None))
    if not acts:
        verdict = "No activity in this period."
    else:
        verdict = (f"Half the activity comes from {plural(len(members), 'member')} and "
                   f"{plural(len(teams), 'team')}.")
        if len(members) <= 2:
            verdict += (" One or two people carry the network: if they stopped, half of "
                        "what happens would stop with them.")
        elif len(members) <= 5:
            verdict += " A handful of people carry much of the network."
        else:
            verdict += " The work is spread over many people."
    return AbsenceFactor(len(acts), members, teams, verdict)


# --- 5. the live network ----------------------------------------------------------------

@dataclass(frozen=True)
class LiveNetwork:
    since: date
    as_of: date
    ties: int
    team_density: float | None
    member_density: float | None
    team_components: int
    largest_team_component_share: float | None
    isolated_teams: tuple[str, ...]
    isolated_members: tuple[str, ...]
    members: int
    teams: int
    verdict: str


def live_network(ties: Iterable[Tie], as_of: date, members: dict[str, str | None],
                 days: int = LAPSE_DAYS) -> LiveNetwork:
    """The ties of the last ``days`` days as of ``as_of`` among ``members`` (member id →
    team id, None for an organiser without a team). Density is the share of possible
    pairs that have a live tie; the team network links two teams when members of each
    share a tie; components and isolates count every member and team, tied or not."""
    live = live_ties(ties, as_of, days)
    teams = sorted({t for t in members.values() if t is not None})
    tg = team_graph(live, teams)
    tied = {(a, b) for a, b in _pairs(live) if a in members and b in members}
    tied_members = {m for pair in tied for m in pair}
    undirected = {tuple(sorted(pair)) for pair in tied}
    components = list(nx.connected_components(tg))
    largest = max((len(c) for c in components), default=0)
    isolated_teams = tuple(sorted(t for t in teams if tg.degree(t) == 0))
    isolated_members = tuple(sorted(m for m in members if m not in tied_members))
    share = _share(largest, len(teams))
    return LiveNetwork(
        since=as_of - timedelta(days=days), as_of=as_of, ties=len(live),
        team_density=nx.density(tg) if len(teams) > 1 else None,
        member_density=(len(undirected) / (len(members) * (len(members) - 1) / 2)
                        if len(members) > 1 else None),
        team_components=len(components), largest_team_component_share=share,
        isolated_teams=isolated_teams, isolated_members=isolated_members,
        members=len(members), teams=len(teams),
        verdict=_live_verdict(len(teams), len(live), share, len(isolated_teams)))


def _live_verdict(teams: int, ties: int, share: float | None, isolated: int) -> str:
    if not teams:
        return "No teams yet."
    if not ties or share is None:
        return f"No ties in the last {LAPSE_DAYS} days: the network is not live."
    words = (f"In the last {LAPSE_DAYS} days {share:.0%} of teams were joined in one "
             f"network; {plural(isolated, 'team')} had no tie with another team")
    if share >= 0.8:
        return words + ". The network holds together."
    if share >= 0.5:
        return words + ". It holds together, with teams drifting at the edges."
    return words + ". It has broken into pieces."


# --- 9. responsiveness ------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    """A request and its first response (None: none yet)."""
    kind: str
    asked_on: date
    first_response_on: date | None


@dataclass(frozen=True)
class ResponseTimes:
    kind: str
    asked: int
    answered: int
    median_days: float | None
    p90_days: float | None
    unanswered_share: float | None  # of those asked 14 days or more ago
    verdict: str


def percentile_90(days: Sequence[float]) -> float | None:
    """The 90th percentile, as the questions view reports it (inclusive method)."""
    if not days:
        return None
    if len(days) == 1:
        return float(days[0])
    return statistics.quantiles(sorted(days), n=10, method="inclusive")[-1]


KIND_WORDS = {"follow_up": "follow-ups", "introduction": "introductions",
              "question": "questions", "all": "requests"}


def response_times(requests: Sequence[Waiting], as_of: date, kind: str = "all") -> ResponseTimes:
    """Days from asking to the first response (medians, not means: a few slow ones
    would drag a mean), and the share of those asked at least 14 days before ``as_of``
    that had no response within 14 days."""
    chosen = [r for r in requests if kind == "all" or r.kind == kind]
    days = sorted((r.first_response_on - r.asked_on).days for r in chosen
                  if r.first_response_on is not None and r.first_response_on <= as_of)
    due = [r for r in chosen if (as_of - r.asked_on).days >= UNANSWERED_AFTER_DAYS]
    late = [r for r in due if r.first_response_on is None or r.first_response_on > as_of
            or (r.first_response_on - r.asked_on).days > UNANSWERED_AFTER_DAYS]
    median = statistics.median(days) if days else None
    p90 = percentile_90(days)
    share = _share(len(late), len(due))
    what = KIND_WORDS.get(kind, kind)
    if not chosen:
        verdict = f"No {what} asked in this period."
    elif median is None:
        verdict = (f"The one {what[:-1]} asked has had no response yet." if len(chosen) == 1
                   else f"None of the {len(chosen)} {what} asked has had a response yet.")
    else:
        verdict = (f"Half the {what} had a first response within {median:g} days, nine in "
                   f"ten within {p90:g}")
        verdict += (f"; {share:.0%} waited more than {UNANSWERED_AFTER_DAYS} days."
                    if share is not None else ".")
    return ResponseTimes(kind, len(chosen), len(days), median, p90, share, verdict)


def responsiveness(requests: Sequence[Waiting], as_of: date) -> tuple[ResponseTimes, ...]:
    """Response times for follow-ups, introductions, questions, and all together."""
    return tuple(response_times(requests, as_of, kind)
                 for kind in ("follow_up", "introduction", "question", "all"))


# Which act kinds count as which activity, for the page's words.
ACT_WORDS = {ActKind.CONTACT: "contacts", ActKind.VISIT: "visits",
             ActKind.FOLLOW_UP: "follow-ups", ActKind.QIP_WORK: "QIP work",
             ActKind.QUESTION: "questions", ActKind.ANSWER: "answers"}
