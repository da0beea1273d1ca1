"""The year after the funding end in questions and answers: members ask the network
(data/questions.json: the words; this part: who, when and what happens next), and
members of other teams whose roles cover the question's key areas answer, some the
same day, some weeks later; about half the askers accept an answer that helped, and
about a fifth of the questions are never answered. A few askers invite people to
answer, a few members follow questions and key areas, one asker adds to their
question, and one report of an answer is dismissed by the organisers.

The participant login is left questions in her key areas that nobody has answered
(one of them invites her), and follows a question whose latest answer comes in the
demo's last fortnight, so her home page and her digest have something true to show.

Everything is drawn first, then done in date order through ``Community`` commands on
the story's clock (an answer is never recorded before its question). Posting limits
are for people at a keyboard, not for a year told in one run: the part lifts them
while it runs, as ``community/questions.py`` allows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from random import Random
from typing import Any
from uuid import UUID

from community.demo.data import DATA, ORGANISERS, PARTICIPANT, ROLE_AREAS
from community.demo.story import (
    DEMO_ENDS_ON,
    FUNDING_ENDS_ON,
    Person,
    Story,
    weekday_on_or_after,
)
from domain.values import KeyArea, Role

QUESTIONS: list[dict[str, Any]] = json.loads(
    (DATA / "questions.json").read_text(encoding="utf-8"))["questions"]
YEAR_AFTER = 360  # days after the funding end in which questions are asked
ACCEPTED_SHARE = 0.55  # of answered questions, the asker accepts an answer
FOLLOWED_SHARE = 0.2  # of questions, someone else follows it
CLOSED = {(12, 25), (12, 26), (1, 1)}  # (month, day): days no question is asked
# Members who follow key areas, by role, with the areas (the participant: her own).
AREA_FOLLOWS = [(Role.MDT_COORDINATOR, [KeyArea.DATA_COLLECTION]),
                (Role.RESPIRATORY_PHYSICIAN, [KeyArea.DIAGNOSTICS])]

Step = tuple[date, int, Callable[[], None]]


class Timeline:
    """What happens, drawn ahead: done in date order (then in the order drawn)."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.steps: list[Step] = []
        self.ids: dict[int, UUID] = {}  # question number → its id, once asked

    def at(self, day: date, act: Callable[[], None]) -> None:
        self.steps.append((min(day, DEMO_ENDS_ON), len(self.steps), act))

    def run(self) -> None:
        for day, _, act in sorted(self.steps, key=lambda s: (s[0], s[1])):
            self.story.on(day)
            act()


def ask_and_answer(story: Story) -> None:
    """The year of questions and answers, told through the app's commands."""
    app = story.app
    limit = app.posts_per_hour
    app.posts_per_hour = None
    try:
        rng = story.rng("questions")
        timeline = Timeline(story)
        _follow_key_areas(story, rng, timeline)
        for number, spec in enumerate(QUESTIONS):
            _draw_question(story, rng, timeline, number, spec)
        timeline.run()
    finally:
        app.posts_per_hour = limit


# --- drawing ---------------------------------------------------------------------------


def _participant(story: Story) -> Person | None:
    return next((m for m in story.members if m.email == PARTICIPANT.email), None)


def _asked_on(rng: Random, spec: dict[str, Any]) -> date:
    if "when" in spec:
        year, month = (int(part) for part in spec["when"].split("-"))
        day = date(year, month, 1) + timedelta(days=rng.randint(0, 20))
    else:
        day = FUNDING_ENDS_ON + timedelta(days=1 + rng.randint(0, YEAR_AFTER))
    day = weekday_on_or_after(day)
    while (day.month, day.day) in CLOSED:  # nobody asks on Christmas Day
        day = weekday_on_or_after(day + timedelta(days=1))
    return day


def _first_answer_after(rng: Random) -> int:
    """Days to the first answer: some the same day or the next, some after weeks."""
    draw = rng.random()
    if draw < 0.4:
        return rng.randint(0, 1)
    if draw < 0.75:
        return rng.randint(2, 10)
    return rng.randint(14, 56)


def _candidates(story: Story, day: date, roles: Sequence[str], key_areas: Sequence[str],
                leave_out: set[UUID], other_than: Person | None = None) -> list[Person]:
    """Members of active teams (not ``other_than``'s) in one of ``roles``, or failing
    that, in a role whose key areas meet the question's; never the participant, whose
    answers are hers to give in the app."""
    wanted = {Role(r) for r in roles}
    areas = {KeyArea(a) for a in key_areas}
    pool = [m for m in story.active_members(day)
            if m.id not in leave_out and m.email != PARTICIPANT.email
            and (other_than is None or m.team is not other_than.team)]
    in_role = [m for m in pool if m.role in wanted]
    return in_role or [m for m in pool if areas & set(ROLE_AREAS.get(m.role, []))]


def _draw_question(story: Story, rng: Random, timeline: Timeline, number: int,
                   spec: dict[str, Any]) -> None:
    app = story.app
    participant = _participant(story)
    asked_on = _asked_on(rng, spec)
    theirs = story.participants_team() if spec.get("for_participant") else None
    askers = [m for m in _candidates(story, asked_on, spec["asker"], spec["key_areas"], set())
              if m.team is not theirs]
    if not askers:
        return
    asker = rng.choice(askers)
    key_areas, tags = spec["key_areas"], spec.get("tags", [])

    # Who answers, and when.
    answers: list[tuple[date, Person, str]] = []
    day = asked_on + timedelta(days=_first_answer_after(rng))
    late = spec.get("participant_follows") and participant is not None
    for index, answer in enumerate(spec["answers"]):
        if late and index == len(spec["answers"]) - 1:
            day = max(day, weekday_on_or_after(DEMO_ENDS_ON - timedelta(days=rng.randint(5, 12))))
        pool = _candidates(story, day, answer["by"], key_areas,
                           {asker.id, *(p.id for _, p, _ in answers)}, other_than=asker)
        if pool:
            answers.append((day, rng.choice(pool), answer["body"]))
        day += timedelta(days=rng.randint(1, 20))

    invited: list[Person] = []
    if spec.get("invite_participant") and participant is not None:
        invited.append(participant)
    if spec.get("invite") or invited:
        invited += [p for _, p, _ in answers[:1]]
        others = _candidates(story, asked_on, spec["answers"][0]["by"] if spec["answers"]
                             else spec["asker"], key_areas,
                             {asker.id, *(p.id for _, p, _ in answers)}, other_than=asker)
        invited += rng.sample(others, min(1, len(others)))

    def ask() -> None:
        timeline.ids[number] = app.ask_question(
            by=asker.id, title=spec["title"], body=spec["body"], key_areas=key_areas,
            tags=tags, invite_member_ids=[p.id for p in invited])
        story.count("questions")

    timeline.at(asked_on, ask)

    if "edit" in spec:
        def edit() -> None:
            app.edit_question(timeline.ids[number], by=asker.id, title=spec["title"],
                              body=spec["body"] + spec["edit"], key_areas=key_areas, tags=tags)
        timeline.at(asked_on + timedelta(days=rng.randint(1, 3)), edit)

    answer_ids: dict[int, UUID] = {}
    for index, (day, person, body) in enumerate(answers):
        def post(index: int = index, person: Person = person, body: str = body) -> None:
            answer_ids[index] = app.answer_question(timeline.ids[number], by=person.id,
                                                    body=body)
            story.count("answers")
        timeline.at(day, post)

    if late and participant is not None and answers:
        # She follows it after the earlier answers, before the last one comes in.
        before_last = answers[-2][0] if len(answers) > 1 else asked_on
        timeline.at(min(before_last + timedelta(days=rng.randint(2, 5)),
                        answers[-1][0] - timedelta(days=1)),
                    lambda: _follow(app, timeline, number, participant.id))
    elif rng.random() < FOLLOWED_SHARE:
        followers = _candidates(story, asked_on, spec["asker"], key_areas, {asker.id})
        if followers:
            follower = rng.choice(followers)
            timeline.at(asked_on + timedelta(days=rng.randint(0, 3)),
                        lambda: _follow(app, timeline, number, follower.id))

    if answers and not late and rng.random() < ACCEPTED_SHARE:
        chosen = rng.randrange(len(answers))
        accepted_on = answers[chosen][0] + timedelta(days=rng.randint(0, 6))
        timeline.at(accepted_on, lambda: app.accept_answer(
            timeline.ids[number], answer_ids[chosen], by=asker.id))

    report = spec.get("report")
    if report and len(answers) > report["answer"]:
        _draw_report(story, rng, timeline, number, answer_ids, answers[report["answer"]],
                     report)


def _follow(app: Any, timeline: Timeline, number: int, member_id: UUID) -> None:
    app.follow_question(timeline.ids[number], by=member_id)


def _draw_report(story: Story, rng: Random, timeline: Timeline, number: int,
                 answer_ids: dict[int, UUID], answer: tuple[date, Person, str],
                 report: dict[str, Any]) -> None:
    """A member reports an answer; an organiser reads it and dismisses the report."""
    app = story.app
    posted_on, author, _ = answer
    reported_on = posted_on + timedelta(days=rng.randint(1, 8))
    reporters = _candidates(story, reported_on, report["by"], [], {author.id},
                            other_than=author)
    organiser = next((m for m in story.organisers if m.email == ORGANISERS[0].email), None)
    if not reporters or organiser is None:
        return
    reporter = rng.choice(reporters)
    found: dict[str, UUID] = {}

    def file() -> None:
        found["report"] = app.report_post(timeline.ids[number], by=reporter.id,
                                          reason=report["reason"],
                                          answer_id=answer_ids[report["answer"]])
        story.count("reports")

    def dismiss() -> None:
        app.dismiss_report(found["report"], by=organiser.id, note=report["note"])

    timeline.at(reported_on, file)
    timeline.at(reported_on + timedelta(days=rng.randint(2, 6)), dismiss)


def _follow_key_areas(story: Story, rng: Random, timeline: Timeline) -> None:
    """Soon after the funding end, a few members follow key areas to hear of new
    questions in them: the participant her own, and two others theirs."""
    day = weekday_on_or_after(FUNDING_ENDS_ON + timedelta(days=14))
    chosen: list[tuple[Person, list[KeyArea]]] = []
    participant = _participant(story)
    if participant is not None:
        chosen.append((participant, [KeyArea.CNS_ACCESS]))
    for role, areas in AREA_FOLLOWS:
        people = [m for m in story.active_members(day)
                  if m.role is role and m.email != PARTICIPANT.email]
        if people:
            chosen.append((rng.choice(people), areas))
    for person, areas in chosen:
        def follow(person: Person = person, areas: list[KeyArea] = areas) -> None:
            story.app.choose_follows(by=person.id, key_areas=[a.value for a in areas],
                                     team_ids=[])
        timeline.at(day, follow)
