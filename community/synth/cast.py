"""The cast: the programme, three organisers, the teams (with their audit results
and how they fare after the funding end), the members (most join in the first
months, the rest over the funded years and a few after), and the peer-review
pairs. Members join month by month as ``activity`` reaches their month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from community.demo import EXPERTISE, FIRST_NAMES, OTHER_ROLES, SURNAMES, audit_result
from community.demo.data import ROLE_ACTIVITY
from community.passwords import hash_password
from community.synth import Synth, month_start
from config.indicators import default_indicators
from domain.member import Member
from domain.pairing import Pairing
from domain.programme import Programme
from domain.team import Team
from domain.values import Role

PROGRAMME_NAME = "National Lung Cancer Improvement Network (synthetic)"
# Two logins, to try the product at scale (the demo's password).
ORGANISER_EMAIL, PARTICIPANT_EMAIL, PASSWORD = ("organiser@example.org",
                                                "participant@example.org", "community-demo")
REGIONS = ["North East", "North West", "Yorkshire and the Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West"]
TOWN_STARTS = ["Ash", "Brack", "Cal", "Dun", "Elm", "Fern", "Glen", "Hart", "Ivy", "King",
               "Lang", "Mill", "North", "Oak", "Pen", "Queen", "Rother", "Stan", "Thorn",
               "Upton", "Wen", "Yarn"]
TOWN_ENDS = ["ford", "bury", "field", "ham", "ley", "mouth", "wick", "ton", "bridge", "dale"]
# After the funding end: (share of teams, monthly factor of their activity, floor).
MOMENTUM = {"sustained": (0.3, 0.985, 0.45), "fading": (0.5, 0.93, 0.08),
            "dropped": (0.2, 0.75, 0.0)}
CORE = [Role.CLINICAL_LEAD, Role.CNS, Role.CNS, Role.MDT_COORDINATOR]


@dataclass(eq=False)
class Person:
    member: Member
    team: SynthTeam | None  # None: an organiser
    joins: int  # the month (from 0) they join

    @property
    def id(self) -> Any:
        return self.member.id

    @property
    def role(self) -> Role:
        return self.member.role


@dataclass(eq=False)
class SynthTeam:
    team: Team
    momentum: str
    strengths: dict[str, float]
    members: list[Person] = field(default_factory=list)
    partner: SynthTeam | None = None
    pairing: Pairing | None = None

    @property
    def id(self) -> Any:
        return self.team.id

    def activity(self, month: int, funding_months: int) -> float:
        """How busy the team is in ``month``, 1 at its height."""
        if month < funding_months:
            return 0.5 + 0.5 * min(1.0, month / 12)
        _, factor, floor = MOMENTUM[self.momentum]
        return max(floor, factor ** (month - funding_months + 1))


@dataclass
class People:
    programme: Programme
    organisers: list[Person]
    teams: list[SynthTeam]
    keys: list[str]

    @property
    def members(self) -> list[Person]:
        return [*self.organisers, *(m for t in self.teams for m in t.members)]


def towns(count: int) -> list[str]:
    names = [a + b for a in TOWN_STARTS for b in TOWN_ENDS]
    names += [f"{n} {i}" for i in range(2, count // len(names) + 2) for n in names]
    return names[:count]


def assemble(run: Synth) -> People:
    """The programme, organisers and teams on the first day; members wait for their month."""
    rng, options = run.rng("cast"), run.options
    run.on(options.starts_on)
    indicators: list[dict[str, Any]] = default_indicators()
    programme = Programme.start(name=PROGRAMME_NAME, funding_ends_on=options.funding_ends_on)
    for indicator in indicators:
        programme.define_indicator(**indicator)
    run.keep(programme)
    keys = [key for i in indicators if (key := i["key"])]
    organisers = [Person(Member.join(email=ORGANISER_EMAIL if i == 0 else f"organiser{i}@example.org",
                                     name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                                     role=Role.ORGANISER, team_id=None, is_organiser=True,
                                     expertise=["quality improvement"],
                                     password_hash=hash_password(PASSWORD) if i == 0 else None),
                          None, 0) for i in range(3)]
    run.keep(*(o.member for o in organisers))
    momenta = list(MOMENTUM)
    teams = []
    for town in towns(options.teams):
        registered = Team.register(name=f"{town} lung cancer MDT", trust=f"{town} Hospitals NHS Trust",
                             region=rng.choice(REGIONS), latitude=rng.uniform(50.2, 55.5),
                             longitude=rng.uniform(-4.5, 1.5), caseload=rng.randint(80, 650))
        momentum = rng.choices(momenta, [MOMENTUM[m][0] for m in momenta])[0]
        teams.append(SynthTeam(registered, momentum, {key: rng.gauss(0, 0.8) for key in keys}))
    people = People(programme, organisers, teams, keys)
    enrol(run, rng, people, max(0, options.members - len(organisers)))
    for team in teams:
        team.team.set_meeting_day(rng.choice(["monday", "tuesday", "wednesday", "thursday",
                                              "friday"]))
        record_audit(run, rng, people, team, options.starts_on.year - 1)
    pair(rng, people, options.starts_on)
    run.keep(*(t.team for t in teams), *(t.pairing for t in teams if t.pairing))
    return people


def enrol(run: Synth, rng: Random, people: People, count: int) -> None:
    """A lead, two nurses and a co-ordinator in every team (while there are people
    enough); the rest spread over the teams, bigger teams more. Most join early."""
    teams = people.teams
    places = [(t, r) for r in CORE for t in teams][:count]
    others = list(OTHER_ROLES)
    weights = [t.team.caseload for t in teams]
    while len(places) < count:
        places.append((rng.choices(teams, weights)[0],
                       rng.choices(others, list(OTHER_ROLES.values()))[0]))
    funded = run.options.funding_months
    for number, (team, role) in enumerate(places):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        participant = number == len(teams)  # the first team's first nurse
        email = (PARTICIPANT_EMAIL if participant else
                 f"{first}.{last}.{number}@example.nhs.uk".lower().replace("'", "").replace(" ", "-"))
        draw = rng.random()
        joins = (0 if number < len(teams) or participant else rng.randint(0, 3) if draw < 0.6
                 else rng.randint(3, funded - 1) if draw < 0.95
                 else rng.randint(funded, run.options.months - 1))
        run.on(month_start(run.options.starts_on, joins) + timedelta(days=rng.randint(0, 27)))
        member = Member.join(email=email, name=f"{first} {last}", role=role, team_id=team.id,
                             expertise=rng.sample(EXPERTISE[role], rng.randint(1, 3)),
                             consents_to_contact=rng.random() < 0.9,
                             password_hash=hash_password(PASSWORD) if participant else None)
        team.members.append(Person(member, team, joins))
    run.on(run.options.starts_on)


def record_audit(run: Synth, rng: Random, people: People, team: SynthTeam, year: int) -> None:
    """The National Lung Cancer Audit goes on whatever the network does; teams
    that keep going improve a little faster."""
    years = year - run.options.starts_on.year + 1
    gain = {"sustained": 1.2, "fading": 0.9, "dropped": 0.6}[team.momentum]
    team.team.record_audit(year=year, indicators=people.keys, results={
        key: audit_result(rng, key, team.strengths[key], max(0, years), gain)
        for key in people.keys})
    run.keep(team.team)


def pair(rng: Random, people: People, starts_on: date) -> None:
    """Peer-review pairs in the programme's second month (teams far enough apart to
    be frank are the app's own proposal; random pairs will do for load)."""
    order = rng.sample(people.teams, len(people.teams))
    for a, b in zip(order[::2], order[1::2], strict=False):
        a.partner, b.partner = b, a
        a.pairing = b.pairing = Pairing.pair(first_team_id=a.id, second_team_id=b.id,
                                             paired_on=month_start(starts_on, 1))


def activity_weight(person: Person) -> float:
    return ROLE_ACTIVITY.get(person.role, 1.0)
