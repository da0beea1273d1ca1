"""Contacts: people meeting their counterparts on workshop days and visits, and the
everyday contacts between them, which grow while the programme runs and decay once
the money stops. Early on the organisers arrange most of them; later people find
each other: the same role in another team ("very important to speak to other
nurses"), their paired team, teams working on the same change, teams strong where
theirs is weak ("why are you getting confirmation rates so high?").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from random import Random

from community.demo.data import (
    AREA_TOPICS,
    ORGANISER_TOPICS,
    PAIR_TOPICS,
    ROLE_ACTIVITY,
    ROLE_AREAS,
    STRENGTH_QUESTIONS,
)
from community.demo.story import (
    DEMO_ENDS_ON,
    FUNDING_ENDS_ON,
    PROGRAMME_STARTS_ON,
    Person,
    Story,
    add_months,
    months_between,
    weekday_on_or_after,
)
from domain.values import Role

Found = tuple[Person, str] | None


def make_contact(story: Story, sender: Person, receiver: Person, topic: str, day: date, *,
                 facilitated: bool) -> None:
    """The sender records the contact they made (by e-mail, the form's default)."""
    story.app.make_contact(by=sender.id, to_member_id=receiver.id, topic=topic, made_on=day,
                           facilitated=facilitated)
    story.count("contacts")


def meet_counterpart(story: Story, rng: Random, member: Person, present: Sequence[Person],
                     day: date, topics: Sequence[str] | None = None) -> None:
    """An arranged meeting on the day: the same role in another team if possible."""
    others = [m for m in present if m.team is not member.team and m.consents_to_contact]
    if not others:
        return
    same_role = [m for m in others if m.role is member.role]
    other = rng.choice(same_role or others)
    topic = rng.choice(list(topics) if topics else area_topics(member.role))
    make_contact(story, member, other, topic, day, facilitated=True)


def area_topics(role: Role) -> list[str]:
    return [topic for area in ROLE_AREAS[role] for topic in AREA_TOPICS[area]]


# --- everyday contacts ----------------------------------------------------------------


def make_everyday_contacts(story: Story) -> None:
    rng = story.rng("contacts")
    month = date(2010, 2, 1)
    while month <= DEMO_ENDS_ON:
        for _ in range(contacts_in(rng, month)):
            day = weekday_on_or_after(month.replace(day=rng.randint(1, 28)))
            everyday_contact(story, rng, day)
        month = add_months(month, 1)


def contacts_in(rng: Random, month: date) -> int:
    """The network grows during the programme, then decays once the money stops."""
    if month <= FUNDING_ENDS_ON:
        expected = 4 + 6 * months_between(PROGRAMME_STARTS_ON, month) / 27
    else:
        expected = 9 * 0.82 ** months_between(FUNDING_ENDS_ON, month)
    return max(0, round(rng.gauss(expected, math.sqrt(expected))))


def everyday_contact(story: Story, rng: Random, day: date) -> None:
    if rng.random() < (0.1 if day <= FUNDING_ENDS_ON else 0.02):
        organiser_contact(story, rng, day)
        return
    people = story.active_members(day)
    sender = rng.choices(people, weights=[ROLE_ACTIVITY[m.role] for m in people])[0]
    kind = rng.choices(list(FINDERS), weights=[35, 20, 25, 15, 5])[0]
    found = FINDERS[kind](story, rng, sender, day) or same_role(story, rng, sender, day)
    if found is None:
        return
    receiver, topic = found
    # Organisers put people in other teams in touch, all the more where one is strong.
    facilitated = (kind != "colleague"
                   and rng.random() < facilitated_share(day) + (0.2 if kind == "strength" else 0))
    make_contact(story, sender, receiver, topic, day, facilitated=facilitated)


def facilitated_share(day: date) -> float:
    """Mostly arranged by the organisers early on; self-initiated later; hardly any after."""
    if day > FUNDING_ENDS_ON:
        return 0.05
    return 0.75 - 0.45 * months_between(PROGRAMME_STARTS_ON, day) / 27


def organiser_contact(story: Story, rng: Random, day: date) -> None:
    # After the funding end only the programme lead is still around, now and then.
    organisers = story.organisers if day <= FUNDING_ENDS_ON else story.organisers[:1]
    organiser = rng.choice(organisers)
    member = rng.choice(story.active_members(day))
    sender, receiver = (organiser, member) if rng.random() < 0.7 else (member, organiser)
    make_contact(story, sender, receiver, rng.choice(ORGANISER_TOPICS), day,
                 facilitated=sender is organiser)


def reachable(members: list[Person], day: date) -> list[Person]:
    return [m for m in members
            if m.consents_to_contact and m.team is not None and m.team.active_on(day)]


def same_role(story: Story, rng: Random, sender: Person, day: date) -> Found:
    """'Very important to speak to other nurses.'"""
    peers = reachable([m for t in story.teams if t is not sender.team
                       for m in t.with_role(sender.role)], day)
    if not peers:
        return None
    return rng.choice(peers), rng.choice(area_topics(sender.role))


def partner(story: Story, rng: Random, sender: Person, day: date) -> Found:
    team = sender.team.partner if sender.team else None
    people = reachable(team.members, day) if team else []
    if not people:
        return None
    same = [m for m in people if m.role is sender.role]
    return rng.choice(same or people), rng.choice(PAIR_TOPICS + area_topics(sender.role))


def same_area(story: Story, rng: Random, sender: Person, day: date) -> Found:
    """Teams working on the same change find each other through their QIPs."""
    mine = sender.team
    started = [q for q in mine.qips if q.drafted_on <= day] if mine else []
    if not started:
        return None
    qip = rng.choice(started)
    candidates = [q for t in story.teams if t is not mine for q in t.qips
                  if q.drafted_on <= day and q.key_area is qip.key_area
                  and reachable(t.members, day)]
    if not candidates:
        return None
    theirs = rng.choice(candidates)
    people = reachable(theirs.team.members, day)
    receiver = theirs.owner if theirs.owner in people else rng.choice(people)
    topic = rng.choice([f"your QIP: {theirs.title.lower()}",
                        rng.choice(AREA_TOPICS[qip.key_area])])
    return receiver, topic


def strength(story: Story, rng: Random, sender: Person, day: date) -> Found:
    """'Why are you getting confirmation rates so high?'"""
    mine = sender.team
    if mine is None:
        return None
    key = min(mine.profile, key=lambda k: mine.profile[k])
    if key not in STRENGTH_QUESTIONS:
        return None
    best = sorted((t for t in story.teams if t is not mine and t.active_on(day)),
                  key=lambda t: -(t.latest(key) or 0))[:4]
    people = reachable([m for t in best for m in t.members], day)
    if not people:
        return None
    same = [m for m in people if m.role is sender.role]
    return rng.choice(same or people), STRENGTH_QUESTIONS[key]


def colleague(story: Story, rng: Random, sender: Person, day: date) -> Found:
    people = [m for m in sender.team.members if m is not sender] if sender.team else []
    if not people:
        return None
    return rng.choice(people), rng.choice(area_topics(sender.role))


FINDERS: dict[str, Callable[[Story, Random, Person, date], Found]] = {
    "same_role": same_role, "partner": partner, "same_area": same_area,
    "strength": strength, "colleague": colleague,
}
