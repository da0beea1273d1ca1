"""The people: the programme, its core team, thirty lung cancer MDTs with their
members, their National Lung Cancer Audit results for 2009-2012, and the days they
are busy (members' clinic days, teams' MDT meeting days).

Each team is good at some things and weak at others; how it fares after the funding
end (its momentum) decides how long it stays active. The participant's team is weak
on nurse access, where others are strong, so her counterparts have something to teach.
"""

from __future__ import annotations

import math
from datetime import date
from random import Random
from typing import Any
from uuid import UUID

from community.demo.data import (
    AUDIT_MODEL,
    CLINIC_DAYS,
    EXPERTISE,
    FIRST_NAMES,
    MEETING_DAYS,
    MOMENTUM,
    ORGANISERS,
    OTHER_ROLES,
    PARTICIPANT,
    PARTICIPANT_TOWN,
    SURNAMES,
    TEAMS,
    AuditModel,
)
from community.demo.story import (
    AUDIT_YEARS,
    DEMO_ENDS_ON,
    FUNDING_ENDS_ON,
    PROGRAMME_NAME,
    PROGRAMME_STARTS_ON,
    DemoTeam,
    Person,
    Story,
    add_months,
    month_end,
    pick_weighted,
)
from domain.values import Role

DEMO_PASSWORD = "community-demo"
ORGANISER_EMAIL = ORGANISERS[0].email
PARTICIPANT_EMAIL = PARTICIPANT.email


def start(story: Story, indicators: list[dict[str, Any]]) -> None:
    """The programme, its core team, the teams and their members, and the 2009 audit
    the organisers paired teams on (later years come with ``record_later_audits``)."""
    app = story.app
    story.on(PROGRAMME_STARTS_ON)
    app.start_programme(name=PROGRAMME_NAME, funding_ends_on=FUNDING_ENDS_ON,
                        indicators=[dict(i) for i in indicators])
    story.count("programme")
    story.indicators = indicators
    rng = story.rng("people")
    # Members' ids are random, so they say nothing about anyone; drawn from a stream
    # of their own, so the same seed gives the same members and the people stream
    # draws as it did before ids were random.
    ids = story.rng("member-ids")
    enrol_organisers(story, ids)
    register_teams(story, rng, [i["key"] for i in indicators])
    enrol_members(story, rng, ids)
    record_audits(story, AUDIT_YEARS[:1])


def new_member_id(ids: Random) -> UUID:
    """A random (version 4) id from the demo's own stream."""
    return UUID(int=ids.getrandbits(128), version=4)


def enrol_organisers(story: Story, ids: Random) -> None:
    # Only the two demo logins get a password: hashing is slow on purpose.
    for login in ORGANISERS:
        password = DEMO_PASSWORD if login.email == ORGANISER_EMAIL else None
        member_id = story.app.join(email=login.email, name=login.name, role=Role.ORGANISER,
                                   expertise=login.expertise, password=password,
                                   is_organiser=True, member_id=new_member_id(ids))
        story.organisers.append(Person(member_id, login.name, login.email, Role.ORGANISER,
                                       None))
        story.count("members")


def register_teams(story: Story, rng: Random, keys: list[str]) -> None:
    momenta = assign_momentum(rng)
    results = story.rng("audits")
    for row, momentum in zip(TEAMS, momenta, strict=True):
        name = f"{row.town} lung cancer MDT"
        team_id = story.app.register_team(name=name, trust=row.trust, region=row.region,
                                          latitude=row.latitude, longitude=row.longitude,
                                          caseload=row.caseload)
        team = DemoTeam(id=team_id, name=name, slug=trust_slug(row.trust), region=row.region,
                        caseload=row.caseload, momentum=momentum,
                        active_until=active_until(rng, momentum),
                        profile=team_profile(rng, keys, nurses_weak=row.town == PARTICIPANT_TOWN))
        team.audits = audits(results, team, keys)
        story.teams.append(team)
        story.count("teams")


def assign_momentum(rng: Random) -> list[str]:
    """The participant's team keeps going (she has something to see); one team drops out."""
    pool = [name for name, (count, _) in MOMENTUM.items() if name != "disengaged"
            for _ in range(count)]
    rng.shuffle(pool)
    towns = [row.town for row in TEAMS]
    dropout = rng.choice([t for t in towns if t != PARTICIPANT_TOWN])
    return ["sustained" if town == PARTICIPANT_TOWN else "disengaged" if town == dropout
            else pool.pop() for town in towns]


def active_until(rng: Random, momentum: str) -> date:
    if momentum == "sustained":
        return DEMO_ENDS_ON
    if momentum == "disengaged":
        return date(2011, 4, 30)  # after its peer-review visits, before any QIP
    months = rng.randint(4, 10) if momentum == "fading" else rng.randint(0, 2)
    return month_end(add_months(FUNDING_ENDS_ON, months))


def team_profile(rng: Random, keys: list[str], *, nurses_weak: bool) -> dict[str, float]:
    """Each team is good at some things and weak at others, not good or bad overall."""
    profile = {key: rng.gauss(0, 0.6) for key in keys}
    picked = rng.sample(keys, 4)
    for key in picked[:2]:
        profile[key] += 1.2
    for key in picked[2:]:
        profile[key] -= 1.3
    # Both nurse-access results rest on the same thing, enough nurse specialists: a
    # team good at one is mostly good at the other.
    if {"cns_seen", "cns_at_diagnosis"} <= set(profile):
        profile["cns_at_diagnosis"] = 0.7 * profile["cns_seen"] + 0.3 * profile["cns_at_diagnosis"]
    if nurses_weak:
        profile["cns_seen"], profile["cns_at_diagnosis"] = -2.2, -2.0
    return profile


def audits(rng: Random, team: DemoTeam, keys: list[str]) -> dict[int, dict[str, float]]:
    gain = MOMENTUM[team.momentum][1] * rng.uniform(0.8, 1.2)
    return {year: {key: audit_result(rng, key, team.profile[key], years, gain) for key in keys}
            for years, year in enumerate(AUDIT_YEARS)}


def record_audits(story: Story, years: tuple[int, ...]) -> None:
    """The year's results of every team, as the organisers enter them."""
    for team in story.teams:
        for year in years:
            story.app.record_audit(team.id, year=year, results=team.audits[year], by=None)


def record_later_audits(story: Story) -> None:
    record_audits(story, AUDIT_YEARS[1:])


def audit_result(rng: Random, key: str, strength: float, years: int, gain: float) -> float:
    model = AUDIT_MODEL.get(key, AuditModel(70.0, 8.0, 1.0, 0.0, 100.0))
    value = (model.typical + strength * model.spread + model.yearly_gain * gain * years
             + rng.gauss(0, model.spread * 0.2))
    return round(within(value, model.lowest, model.highest), 1)


def within(value: float, low: float, high: float, room: float = 4.0) -> float:
    """Results bunch up near a limit rather than sit on it year after year."""
    if value > high - room:
        return high - room * math.exp(-(value - (high - room)) / room)
    if value < low + room:
        return low + room * math.exp(-(low + room - value) / room)
    return value


def trust_slug(trust: str) -> str:
    """The e-mail domain's first part, e.g. 'Northshire Hospitals NHS Foundation Trust'
    gives northshire-hospitals."""
    skip = {"nhs", "trust", "foundation", "and", "of", "the"}
    return "-".join(w.lower() for w in trust.split() if w.lower() not in skip)


# --- members -------------------------------------------------------------------------


def enrol_members(story: Story, rng: Random, ids: Random) -> None:
    taken = {login.name for login in [*ORGANISERS, PARTICIPANT]}
    for team in story.teams:
        for role in team_roles(rng, team.caseload):
            if team.name == f"{PARTICIPANT_TOWN} lung cancer MDT" and role is Role.CNS:
                name, email, expertise = PARTICIPANT.name, PARTICIPANT.email, PARTICIPANT.expertise
                consents, password = True, DEMO_PASSWORD
            else:
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                while f"{first} {last}" in taken:  # one name, one person: e-mails stay unique
                    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                name = f"{first} {last}"
                taken.add(name)
                local = f"{first}.{last}".lower().replace("'", "").replace(" ", "-")
                email = f"{local}@{team.slug}.nhs.uk"
                expertise = rng.sample(EXPERTISE[role], rng.randint(1, 3))
                consents, password = rng.random() < 0.9, None
            member_id = story.app.join(email=email, name=name, role=role, team_id=team.id,
                                       expertise=expertise, consents_to_contact=consents,
                                       password=password, member_id=new_member_id(ids))
            team.members.append(Person(member_id, name, email, role, team, consents))
            story.count("members")


def team_roles(rng: Random, caseload: int) -> list[Role]:
    """3-6 members: bigger teams sent more people. Every team has a lead and a nurse."""
    size = min(6, 3 + (caseload >= 200) + (caseload >= 400) + rng.choice([0, 0, 1]))
    roles = [Role.CLINICAL_LEAD, Role.CNS]
    if rng.random() < 0.9:
        roles.append(Role.MDT_COORDINATOR)
    others = dict(OTHER_ROLES)
    while len(roles) < size:
        role = rng.choices(list(others), weights=list(others.values()))[0]
        roles.append(role)
        del others[role]
    return roles


def give_clinic_and_meeting_days(story: Story) -> None:
    """Each team's MDT meeting day, and each clinician's clinic days (said by
    themselves on their profile), so the plan page's clashes mean something."""
    rng = story.rng("calendar")
    for team in story.teams:
        day, = pick_weighted(rng, [d for d, _ in MEETING_DAYS], [w for _, w in MEETING_DAYS], 1)
        story.app.set_meeting_day(team.id, by=team.members[0].id, day=day)
        team.meeting_day = day
        for member in team.members:
            if choices := CLINIC_DAYS.get(member.role):
                days = pick_weighted(rng, [d for d, _ in choices], [w for _, w in choices],
                                     rng.choice([1, 1, 2]))
                member.clinic_days = sorted(set(days))
                story.app.update_profile(member.id, by=member.id, clinic_days=member.clinic_days)
