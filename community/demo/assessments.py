"""Sustainability self-assessments: on most shared plans two to four members score
the NHS Sustainability Model's ten factors every six months or so while the plan is
active, each starting from the team's shared view with a level of their own either
side; the team's view rises in sustained teams and sags in fading ones.
"""

from __future__ import annotations

from datetime import timedelta
from random import Random

from community.demo.story import DEMO_ENDS_ON, PlannedQip, Story

ASSESSED_SHARE = 0.7  # of the shared plans, scored by their teams


def assess_qips(story: Story, qips: list[PlannedQip]) -> None:
    rng = story.rng("assessments")
    keys = list(story.app.adopt_sustainability_model().factors)
    story.count("sustainability_model")
    for qip in qips:
        if qip.shared_on is not None and rng.random() < ASSESSED_SHARE:
            assess_over_time(story, rng, qip, keys)


def assess_over_time(story: Story, rng: Random, qip: PlannedQip, keys: list[str]) -> None:
    assert qip.shared_on is not None
    team = qip.team
    last = min(qip.ended_on or DEMO_ENDS_ON, team.active_until, DEMO_ENDS_ON)
    day = qip.shared_on + timedelta(days=rng.randint(60, 150))
    shared_view = {key: rng.choice([2, 2, 3, 3, 4]) for key in keys}
    drift = {"sustained": 1, "fading": -1}.get(team.momentum, 0)
    scorers = rng.sample(team.members, min(len(team.members), rng.randint(2, 4)))
    while day < last:
        story.on(day)
        for member in scorers:  # together, at a team meeting
            if rng.random() < 0.8:
                levels = {k: max(1, min(4, shared_view[k] + rng.choice([-1, 0, 0, 0, 1])))
                          for k in keys}
                story.app.assess_sustainability(qip.id, by=member.id, levels=levels,
                                                assessed_on=day)
                story.count("self_assessments")
        for key in rng.sample(keys, 3):
            shared_view[key] = max(1, min(4, shared_view[key] + drift))
        day += timedelta(days=rng.randint(150, 210))
