"""Follow-ups and introductions: teams ask their paired team for another visit, the
organisers for a facilitator's visit or an introduction, and members of other teams
for a call. Two in three are asked while the programme runs; after the funding end
fewer are answered, and the organisers can no longer visit. Some members ask the
organisers to introduce them to someone in a team strong where theirs is weak:
most are introduced, the latest still wait in the organisers' queue.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any
from uuid import UUID

from community.demo.contacts import same_role
from community.demo.data import (
    ANSWERS,
    DECLINED_CALL,
    FOLLOW_UP_PLAN,
    FOLLOW_UP_REASONS,
    INTRODUCTION_REASONS,
    LATE_ORGANISER_ANSWER,
    STRENGTH_QUESTIONS,
)
from community.demo.story import (
    DEMO_ENDS_ON,
    FUNDING_ENDS_ON,
    Person,
    Story,
    weekday_on_or_after,
)
from domain.values import FollowUpKind

# (asked on, introduced after how many days, None: still waiting)
INTRODUCTIONS = [(date(2011, 5, 10), 9), (date(2011, 11, 22), 6), (date(2012, 9, 4), 15),
                 (date(2013, 8, 27), None), (date(2013, 9, 17), None)]


def request_follow_ups(story: Story) -> None:
    rng = story.rng("follow-ups")
    for kind, count, addressed in FOLLOW_UP_PLAN:
        for _ in range(count):
            follow_up(story, rng, kind, addressed)


def follow_up(story: Story, rng: Random, kind: FollowUpKind, addressed: str) -> None:
    day = follow_up_day(rng)
    requester = rng.choice([m for t in story.teams if t.active_on(day) for m in t.core()])
    mine = requester.team
    assert mine is not None
    target: dict[str, Any] = {"to_organisers": True}
    answerers = story.organisers[:1] if day > FUNDING_ENDS_ON else story.organisers
    if addressed == "team" and mine.partner is not None:
        target, answerers = {"team_id": mine.partner.id}, mine.partner.core()
    elif addressed == "member":
        found = same_role(story, rng, requester, day)
        if found is None:
            return
        target, answerers = {"member_id": found[0].id}, [found[0]]
    story.on(day)
    follow_up_id = story.app.request_follow_up(by=requester.id, kind=kind, requested_on=day,
                                               reason=rng.choice(FOLLOW_UP_REASONS[kind]),
                                               **target)
    story.count("follow_ups")
    settle(story, rng, follow_up_id, kind, day, requester, answerers)


def follow_up_day(rng: Random) -> date:
    """Two in three during the programme; the rest thinning out after the funding end."""
    if rng.random() < 0.65:
        first = date(2010, 10, 1)
        day = first + timedelta(days=rng.randint(0, (FUNDING_ENDS_ON - first).days))
    else:
        day = FUNDING_ENDS_ON + timedelta(days=1 + int(rng.triangular(0, 455, 0)))
    return weekday_on_or_after(day)


def settle(story: Story, rng: Random, follow_up_id: UUID, kind: FollowUpKind, asked_on: date,
           requester: Person, answerers: list[Person]) -> None:
    """Answered (by someone asked), then often closed; or left hanging, sometimes given
    up on. Visits are mostly accepted with a date, a few calls declined."""
    app = story.app
    answered_on = asked_on + timedelta(days=rng.randint(2, 30))
    live = [m for m in answerers if m.team is None or m.team.active_on(answered_on)]
    chance = 0.75 if asked_on <= FUNDING_ENDS_ON else 0.4
    if live and answered_on <= DEMO_ENDS_ON and rng.random() < chance:
        answerer = rng.choice(live)
        text = answer_text(story, kind, requester, answerer, asked_on)
        story.on(answered_on)
        declined = False
        if kind in (FollowUpKind.RECIPROCAL_VISIT, FollowUpKind.FACILITATOR_VISIT) \
                and rng.random() < 0.7:
            app.accept_follow_up(follow_up_id, by=answerer.id, message=text,
                                 answered_on=answered_on,
                                 proposed_date=answered_on + timedelta(weeks=rng.randint(2, 6)))
        elif kind is FollowUpKind.CALL and rng.random() < 0.5:
            app.decline_follow_up(follow_up_id, by=answerer.id, reason=DECLINED_CALL,
                                  answered_on=answered_on)
            declined = True
        else:
            app.answer_follow_up(follow_up_id, by=answerer.id, message=text,
                                 answered_on=answered_on)
        if rng.random() < 0.5:
            closer = rng.choice([requester, answerer])
            closed_on = answered_on + timedelta(weeks=rng.randint(2, 8))
            if not declined:  # a refusal is left for the requester to see
                close(story, follow_up_id, closer, closed_on)
    elif rng.random() < 0.3:
        close(story, follow_up_id, requester, asked_on + timedelta(weeks=rng.randint(6, 10)))


def close(story: Story, follow_up_id: UUID, member: Person, day: date) -> None:
    if day <= DEMO_ENDS_ON:
        story.on(day)
        story.app.close_follow_up(follow_up_id, by=member.id, closed_on=day)


def answer_text(story: Story, kind: FollowUpKind, requester: Person, answerer: Person,
                asked_on: date) -> str:
    if answerer.is_organiser and asked_on > FUNDING_ENDS_ON:
        return LATE_ORGANISER_ANSWER
    mine = requester.team
    assert mine is not None
    weakest = min(mine.profile, key=lambda k: mine.profile[k])
    strongest = max((t for t in story.teams if t is not mine),
                    key=lambda t: t.latest(weakest) or 0)
    return ANSWERS[kind].format(team=strongest.name)


# --- introductions ---------------------------------------------------------------------------


def ask_for_introductions(story: Story) -> None:
    """Members ask the organisers to introduce them to someone strong where their
    team is weak; the organisers introduce them (a facilitated contact is recorded)."""
    rng = story.rng("introductions")
    helen = story.organisers[0]
    for asked_on, after in INTRODUCTIONS:
        requester = rng.choice([m for t in story.teams if t.active_on(asked_on)
                                for m in t.core()])
        mine = requester.team
        assert mine is not None
        weakest = min((k for k in mine.profile if k in STRENGTH_QUESTIONS),
                      key=lambda k: mine.profile[k])
        best = max((t for t in story.teams if t is not mine and t.active_on(asked_on)),
                   key=lambda t: t.latest(weakest) or 0)
        people = [m for m in best.members if m.consents_to_contact]
        person = next((m for m in people if m.role is requester.role), None) \
            or rng.choice(people or best.members)
        story.on(asked_on)
        follow_up_id = story.app.request_introduction(by=requester.id, member_id=person.id,
                                                      reason=rng.choice(INTRODUCTION_REASONS))
        story.count("follow_ups")
        if after is not None:
            made_on = weekday_on_or_after(asked_on + timedelta(days=after))
            story.on(made_on)
            story.app.complete_introduction(follow_up_id, by=helen.id, made_on=made_on,
                                            topic=STRENGTH_QUESTIONS[weakest])
            story.count("contacts")
