"""Workshops and events: the programme's face-to-face workshops (a few people from
most teams, who meet counterparts there), its poorly attended online conferences on
Wednesdays (the day of most lung clinics), the events organisers planned ahead after
the funding ended (on the day the plan page suggests, with registrations and who
came), and a few coming up after the day the demo is loaded, because the events
page judges "coming up" by the real date and would otherwise show only 2010-2013.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from uuid import UUID

from community.demo.contacts import meet_counterpart
from community.demo.data import (
    AFTER_FUNDING,
    COMING_UP,
    EVENT_LINK,
    EVENT_PLACE,
    ONLINE_CONFERENCES,
    PARTICIPANT,
    WORKSHOPS,
    Planned,
)
from community.demo.story import Person, Story
from community.demo.visits import attending
from domain.scheduling import Invitee
from domain.values import Role, WorkshopKind

NOTICE = timedelta(weeks=4)  # as the plan page's default notice


def hold_workshops(story: Story) -> None:
    """Face-to-face days: a few people from most teams, and the facilitators
    make sure people meet their counterparts in other teams."""
    rng = story.rng("workshops")
    helen = story.organisers[0]
    for held in WORKSHOPS:
        teams = [t for t in story.teams if t.active_on(held.held_on) and rng.random() < held.turnout]
        attendees = [m for t in teams for m in attending(rng, t, 1, 3)]
        story.on(held.held_on)
        story.app.hold_workshop(by=helen.id, kind=held.kind, title=held.title,
                                held_on=held.held_on, attendee_ids=[m.id for m in attendees])
        story.count("workshops")
        for _ in range(len(attendees) // 4):
            meet_counterpart(story, rng, rng.choice(attendees), attendees, held.held_on)
    for number, (title, day) in enumerate(ONLINE_CONFERENCES):
        attendees = rng.sample(story.active_members(day), rng.randint(3, 7))
        story.on(day)
        story.app.hold_workshop(by=story.organisers[1 + number % 2].id,
                                kind=WorkshopKind.ONLINE_CONFERENCE, title=title, held_on=day,
                                attendee_ids=[m.id for m in attendees])
        story.count("workshops")


def plan_events(story: Story) -> None:
    """Events planned after the funding ended, registered for and attended; then
    three coming up after the day the demo is loaded, with registrations."""
    rng = story.rng("events")
    story.checkpoint()  # the plan page's suggestions read members' clinic and meeting days
    helen = story.organisers[0]
    for event in AFTER_FUNDING:
        assert event.window_starts is not None
        story.on(event.window_starts - NOTICE)
        day = best_day(story, event.window_starts, event.roles)
        event_id = plan(story, event, day)
        people = register_some(story, rng, event_id, event.roles, day, active_on=day,
                               before=day - timedelta(days=21))
        came = [m for m in people if rng.random() < 0.8]
        came += rng.sample([m for m in invited(story, event.roles, day) if m not in came], 2)
        story.on(day)
        story.app.record_attendance(event_id, by=helen.id, attendee_ids=[m.id for m in came])
    for number, event in enumerate(COMING_UP):
        story.on(story.real_today)
        day = best_day(story, story.real_today + NOTICE + timedelta(weeks=5 * number),
                       event.roles)
        event_id = plan(story, event, day)
        register_some(story, rng, event_id, event.roles, day, active_on=None,
                      before=story.real_today, on=story.real_today)


def best_day(story: Story, start: date, roles: list[Role]) -> date:
    """The plan page's first suggestion in the four weeks from ``start`` that is not a
    Wednesday (the organisers learned that most lung clinics are then, whoever is
    invited) nor in the week between Christmas and New Year."""
    found = story.app.suggest_event_dates(by=story.organisers[0].id, start=start,
                                          roles=roles)
    days = [s.date for s in found.suggestions]
    return next((d for d in days if d.weekday() != 2 and not (
        (d.month, d.day) >= (12, 24) or (d.month, d.day) <= (1, 1))), days[0])


def plan(story: Story, event: Planned, day: date) -> UUID:
    online = event.kind is WorkshopKind.ONLINE_CONFERENCE
    event_id = story.app.plan_event(
        by=story.organisers[0].id, kind=event.kind, title=event.title, starts_on=day,
        starts_at=event.starts_at, duration_minutes=event.minutes, roles=event.roles,
        place="" if online else EVENT_PLACE, link=(event.link or EVENT_LINK) if online else "",
        agenda=event.agenda)
    story.count("planned_events")
    return event_id


def invited(story: Story, roles: list[Role], day: date | None) -> list[Person]:
    """Members of the roles invited, in teams still active on ``day`` (any, for None:
    the demo's own story has no "after 2013")."""
    members = (story.active_members(day) if day
               else [m for t in story.teams for m in t.members])
    return [m for m in members if not roles or m.role in roles]


def register_some(story: Story, rng: Random, event_id: UUID, roles: list[Role],
                  starts_on: date, *, active_on: date | None, before: date,
                  on: date | None = None) -> list[Person]:
    """Invitees free that day register (a few cancel); those with a clinic rarely do.
    The participant registers for the events she is invited to."""
    app = story.app
    people = []
    for member in invited(story, roles, active_on):
        busy = bool(invitee(member).clash_reasons(starts_on))
        if member.email == PARTICIPANT.email or rng.random() < (0.08 if busy else 0.45):
            story.on(on or before - timedelta(days=rng.randint(0, 30)))
            app.register_for_event(event_id, by=member.id)
            people.append(member)
    for member in rng.sample(people, len(people) // 8):
        if member.email != PARTICIPANT.email:
            story.on(on or before)
            app.cancel_registration(event_id, by=member.id)
            people.remove(member)
    return people


def invitee(person: Person) -> Invitee:
    """The member as the plan page weighs them: their clinic days and their team's
    MDT meeting day, as they recorded them."""
    team = person.team
    return Invitee(member_id=str(person.id), role=person.role.value,
                   team_id=str(team.id) if team else "", clinic_days=tuple(person.clinic_days),
                   team_meeting_day=(team.meeting_day or None) if team else None)
