"""Who should I talk to? Ranking people in other teams, with the reasons in plain words.

Participants looked for their occupational counterparts ("very important to
speak to other nurses"), for teams doing well where theirs struggles ("why are
you getting confirmation rates so high?") and for teams making the same
change. Every suggestion carries the reasons that earned its place, so the
ranking can be read and trusted, not just obeyed.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum

from domain.geography import distance_km
from domain.values import KeyArea, Role

# What each kind of reason is worth. Same role leads, as the users asked;
# a strength where my team is weak comes next, then the same change.
SAME_ROLE = 40
STRENGTH = 15          # per indicator, up to STRENGTH_CAP
STRENGTH_IN_MY_FIELD = 30  # an indicator the seeker's own role moves
STRENGTH_CAP = 60
SAME_KEY_AREA = 10     # per key area both teams have QIPs in
SHARED_TAG = 8         # per expertise tag in common
PAIRED_TEAM = 10
PAST_CONTACT = 5
SAME_WORKSHOP = 5
DISTANCE_BONUS = 20    # at most, for the preferred distance
STRONG_MARGIN = 10     # points above mine for "well above"


# Which audit indicators each role's own work moves most: a nurse asking about
# CNS contact rates learns most from a team that does well on them.
# Indicators an organiser adds later simply count at the ordinary weight.
ROLE_INDICATORS: dict[str, frozenset[str]] = {
    "lung_cancer_nurse_specialist": frozenset({"cns_seen", "cns_at_diagnosis"}),
    "mdt_coordinator": frozenset({"data_completeness", "mdt_discussed"}),
    "it_lead": frozenset({"data_completeness"}),
    "pathologist": frozenset({"histology"}),
    "radiologist": frozenset({"ct_before_bronch"}),
    "respiratory_physician": frozenset({"histology", "ct_before_bronch"}),
    "thoracic_surgeon": frozenset({"resection_nsclc"}),
    "oncologist": frozenset({"active_treatment", "sclc_chemo"}),
    "clinical_lead": frozenset({"mdt_discussed", "histology", "active_treatment"}),
}


class DistancePreference(Enum):
    ANY = "any"
    NEAR = "near"      # for a visit that is easy to make
    FAR = "far"        # peers far away speak more frankly, the report found


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    national: float | None
    standard: float | None

    def bar(self) -> float | None:
        """The level a team should reach: the standard, else the national figure."""
        return self.standard if self.standard is not None else self.national


@dataclass(frozen=True)
class TeamProfile:
    id: str
    name: str
    region: str
    latitude: float
    longitude: float
    results: Mapping[str, float] = field(default_factory=dict)   # latest audit year
    key_areas: frozenset[str] = frozenset()                      # of its QIPs


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    team_id: str
    expertise: frozenset[str] = frozenset()


@dataclass(frozen=True)
class History:
    """What the seeker already shares with others."""
    contacted: frozenset[str] = frozenset()                     # member ids
    paired_team_ids: frozenset[str] = frozenset()
    workshops_with: Mapping[str, str] = field(default_factory=dict)  # member id → workshop title


@dataclass(frozen=True)
class Suggestion:
    person: Person
    score: int
    reasons: tuple[str, ...]
    distance_km: float


def weaknesses(team: TeamProfile, indicators: Iterable[Indicator]) -> list[Indicator]:
    """Indicators where the team is below the standard (or the national figure)."""
    return [i for i in indicators
            if i.key in team.results and (bar := i.bar()) is not None and team.results[i.key] < bar]


def strengths_over(mine: TeamProfile, theirs: TeamProfile,
                   weak: list[Indicator]) -> list[tuple[str, str]]:
    """(indicator key, reason), one per indicator where their team is well above
    the bar and above mine."""
    found = []
    for indicator in weak:
        value = theirs.results.get(indicator.key)
        bar = indicator.bar()
        if value is None or bar is None:
            continue
        if value >= bar and value >= mine.results[indicator.key] + STRONG_MARGIN:
            found.append((indicator.key,
                          f"Their team does well on “{indicator.name}”: {value:g}% "
                          f"(your team {mine.results[indicator.key]:g}%, "
                          f"{'standard' if indicator.standard is not None else 'national'} "
                          f"{bar:g}%)"))
    return found


def _distance_points(km: float, preference: DistancePreference) -> int:
    if preference is DistancePreference.NEAR:
        return round(DISTANCE_BONUS * max(0.0, 1 - km / 200))
    if preference is DistancePreference.FAR:
        return round(DISTANCE_BONUS * min(1.0, km / 300))
    return 0


@dataclass(frozen=True)
class Pool:
    """The people who may be suggested, grouped by team and role, with each team's
    interests together: enough to bound the best score anyone in a group can reach
    before scoring them one by one."""
    by_team: Mapping[str, Mapping[str, tuple[Person, ...]]]  # team id → role → people
    tags: Mapping[str, frozenset[str]]                       # team id → its people's tags

    @classmethod
    def of(cls, people: Iterable[Person]) -> Pool:
        if isinstance(people, Pool):
            return people
        grouped: dict[str, dict[str, list[Person]]] = {}
        tags: dict[str, set[str]] = {}
        for person in people:
            grouped.setdefault(person.team_id, {}).setdefault(person.role, []).append(person)
            tags.setdefault(person.team_id, set()).update(person.expertise)
        return cls({team: {role: tuple(found) for role, found in roles.items()}
                    for team, roles in grouped.items()},
                   {team: frozenset(found) for team, found in tags.items()})

    def __iter__(self) -> Iterator[Person]:
        for roles in self.by_team.values():
            for people in roles.values():
                yield from people


def rank_counterparts(me: Person, candidates: Iterable[Person], teams: Mapping[str, TeamProfile],
                      indicators: Iterable[Indicator], history: History = History(),
                      preference: DistancePreference = DistancePreference.ANY,
                      limit: int = 20) -> list[Suggestion]:
    """People in other teams, best first, each with the reasons for its place.

    ``candidates`` may be a ``Pool`` kept between calls. Exact, yet it scores only
    the groups (a team's people in one role) whose best possible score can still
    reach the shown places: scoring 3,000 people one by one was most of a home
    page's time on the national community (issue 14)."""
    if limit <= 0:
        return []
    pool = Pool.of(candidates)
    my_team = teams[me.team_id]
    weak = weaknesses(my_team, list(indicators))
    my_field = ROLE_INDICATORS.get(me.role, frozenset())
    per_team: dict[str, tuple[int, list[str], float]] = {}
    for team in teams.values():
        if team.id == me.team_id:
            continue
        score, reasons = 0, []
        strong = strengths_over(my_team, team, weak)
        # The strengths that matter to the seeker's own work come first.
        strong.sort(key=lambda found: found[0] not in my_field)
        score += min(STRENGTH_CAP, sum(STRENGTH_IN_MY_FIELD if key in my_field else STRENGTH
                                       for key, _ in strong))
        reasons += [reason for _, reason in strong]
        for area in sorted(my_team.key_areas & team.key_areas):
            score += SAME_KEY_AREA
            reasons.append(f"Their team is also working on {KeyArea(area).label.lower()}")
        if team.id in history.paired_team_ids:
            score += PAIRED_TEAM
            reasons.append("Their team is your peer-review pair")
        per_team[team.id] = (score, reasons, distance_km(my_team, team))

    # Each group's best possible score: its team's points and distance, the same
    # role if it is the seeker's, every tag the seeker shares with anyone in the
    # team, a past contact and a workshop together.
    groups = []
    for team_id, (team_score, _, km) in per_team.items():
        roles = pool.by_team.get(team_id)
        if not roles:
            continue
        ceiling = (team_score + _distance_points(km, preference) + PAST_CONTACT + SAME_WORKSHOP
                   + SHARED_TAG * len(me.expertise & pool.tags.get(team_id, frozenset())))
        for role, people in roles.items():
            groups.append((ceiling + (SAME_ROLE if role == me.role else 0), team_id, people))
    groups.sort(key=lambda g: -g[0])

    # Score a group's people only while it can still reach the shown places (a tie
    # on the last one can still win on distance or name, so only a lower ceiling stops).
    best: list[tuple[int, float, str, str, Person, float]] = []
    for ceiling, team_id, people in groups:
        if len(best) >= limit and ceiling < -best[limit - 1][0]:
            break
        team_score, _, km = per_team[team_id]
        tie = km if preference is DistancePreference.NEAR else (
            -km if preference is DistancePreference.FAR else 0)
        points = team_score + _distance_points(km, preference)
        for person in people:
            if person.id == me.id:
                continue
            score = (points + (SAME_ROLE if person.role == me.role else 0)
                     + SHARED_TAG * len(me.expertise & person.expertise)
                     + (PAST_CONTACT if person.id in history.contacted else 0)
                     + (SAME_WORKSHOP if person.id in history.workshops_with else 0))
            insort(best, (-score, tie, person.name, person.id, person, km), key=lambda s: s[:4])
        del best[limit:]
    return [Suggestion(person, -negative, _reasons(me, person, per_team[person.team_id][1],
                                                   teams[person.team_id], km, history), km)
            for negative, _, _, _, person, km in best]


def _reasons(me: Person, person: Person, team_reasons: list[str], team: TeamProfile,
             km: float, history: History) -> tuple[str, ...]:
    reasons = []
    if person.role == me.role:
        reasons.append(f"Same role as you: {Role(me.role).label}")
    reasons += team_reasons
    shared = sorted(me.expertise & person.expertise)
    if shared:
        reasons.append("Shares your interest in " + ", ".join(shared))
    if person.id in history.contacted:
        reasons.append("You have been in contact before")
    if person.id in history.workshops_with:
        reasons.append(f"You were both at {history.workshops_with[person.id]}")
    reasons.append(f"{team.name}, {team.region}: {km:,.0f} km away")
    return tuple(reasons)


def rank_answerers(asker: Person, key_areas: frozenset[str], tags: frozenset[str],
                   candidates: Iterable[Person], teams: Mapping[str, TeamProfile],
                   indicators: Iterable[Indicator], leave_out: frozenset[str] = frozenset(),
                   limit: int = 5) -> list[Suggestion]:
    """Who could answer a question: the counterpart ranking, seen from the asker,
    with the question's key areas standing for their team's and its tags added to
    their interests. People in the asker's own team and in ``leave_out`` (already
    invited) are not suggested: the question is for the network.

    An asker with no team (an organiser) gets people whose team works on the
    question's key areas or who share its tags."""
    wanted = [p for p in candidates if p.id not in leave_out]
    if asker.team_id in teams:
        mine = teams[asker.team_id]
        as_asked = {**teams, mine.id: TeamProfile(
            id=mine.id, name=mine.name, region=mine.region, latitude=mine.latitude,
            longitude=mine.longitude, results=mine.results, key_areas=key_areas)}
        seeker = Person(id=asker.id, name=asker.name, role=asker.role, team_id=asker.team_id,
                        expertise=asker.expertise | tags)
        return rank_counterparts(seeker, wanted, as_asked, indicators, limit=limit)
    scored = []
    for person in wanted:
        team = teams.get(person.team_id)
        areas = sorted(key_areas & team.key_areas) if team else []
        shared = sorted(tags & person.expertise)
        score = SAME_KEY_AREA * len(areas) + SHARED_TAG * len(shared)
        if score:
            reasons = [f"Their team is also working on {KeyArea(a).label.lower()}" for a in areas]
            if shared:
                reasons.append("Shares the question's interest in " + ", ".join(shared))
            scored.append((-score, person.name, person.id, person, tuple(reasons)))
    scored.sort(key=lambda s: s[:3])
    return [Suggestion(person, -negative, reasons, 0.0)
            for negative, _, _, person, reasons in scored[:limit]]
