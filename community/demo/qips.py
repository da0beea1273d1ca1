"""QIPs and their reviews: about seventy plans from twenty-nine teams (three from the
keenest, two from most, none from the team that dropped out), each on what the team
is weak at. A first draft is up to standard, or vague until the organisers' review
asks for something specific; shared plans gain the changes the team tested, and end
completed (some after moving a missed target to the result, the drift the organisers
saw) or stopped. Two teams weak on nurse access adapt the participant's plan.

Progress, corrections, change marks and documents are community/demo/progress.py;
self-assessments community/demo/assessments.py. The story runs them between
``write_qips`` and ``end_qips``, while the plans are still active.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from random import Random
from typing import Any

from community.demo.data import (
    CHANGE_IDEAS,
    DRAFT_CHANCE,
    INDICATOR_AREAS,
    LESSONS,
    MEASURE_COMMENT,
    NURSE_AT_DIAGNOSIS,
    OWNERS,
    PARTICIPANT,
    QIP_PLANS,
    STOP_REASONS,
    VAGUE_AIMS,
    QipPlan,
)
from community.demo.story import (
    DEMO_ENDS_ON,
    DemoTeam,
    Person,
    PlannedQip,
    Story,
    add_months,
    month_end,
    number_text,
    pick_weighted,
    weekday_on_or_after,
)
from domain.qip import target_key
from domain.values import Direction, KeyArea, Obstacle, ReviewDecision, Role


def write_qips(story: Story) -> None:
    """About seventy QIPs from 29 teams: three from the keenest, two from most, none from the dropout."""
    rng = story.rng("qips")
    engaged = [t for t in story.teams if t.momentum != "disengaged"]
    fading = [t for t in engaged if t.momentum == "fading"]
    keen = {id(t) for t in engaged if t.momentum == "sustained"}
    keen |= {id(t) for t in rng.sample(fading, 4)}
    for team in engaged:
        for number, plan in enumerate(choose_plans(rng, team, 3 if id(team) in keen else 2)):
            write_qip(story, rng, team, plan, number)


def is_participants(team: DemoTeam) -> bool:
    return any(m.email == PARTICIPANT.email for m in team.members)


def choose_plans(rng: Random, team: DemoTeam, count: int) -> list[QipPlan]:
    """Teams work on what they are weak at, as the peer-review visit showed them."""
    weights = dict.fromkeys(KeyArea, 1.0)
    for key, strength in team.profile.items():
        if strength < -0.5 and key in INDICATOR_AREAS:
            weights[INDICATOR_AREAS[key]] += 2 * -strength
    first = []
    if is_participants(team):
        first = [NURSE_AT_DIAGNOSIS]  # her own QIP, where her team is weakest
        del weights[KeyArea.CNS_ACCESS]
    areas = pick_weighted(rng, list(weights), list(weights.values()), count - len(first))
    return first + [plan_for(rng, team, area) for area in areas]


def plan_for(rng: Random, team: DemoTeam, area: KeyArea) -> QipPlan:
    """No team sets out to improve an audit result it is already strong on."""
    options = [p for p in QIP_PLANS if p.area is area]
    suitable = [p for p in options if all(team.profile.get(m.baseline, 0) < 0.3
                                          for m in p.measures if isinstance(m.baseline, str))]
    return rng.choice(suitable or options)


def write_qip(story: Story, rng: Random, team: DemoTeam, plan: QipPlan, number: int) -> None:
    app = story.app
    drafted_on = (team.visits[-1] + timedelta(weeks=rng.randint(3, 10))
                  + timedelta(days=30 * number * rng.randint(3, 7)))
    owner = owner_for(rng, team, plan.area)
    revised = rng.random() < 0.45
    shared_on = weekday_on_or_after(drafted_on + timedelta(weeks=rng.randint(5, 10) if revised
                                                           else rng.randint(1, 4)))
    # Six months of data before the team falls quiet, or it never gets shared.
    latest_share = min(date(2012, 12, 31), month_end(add_months(team.active_until, -6)))
    shared = shared_on <= latest_share and rng.random() > DRAFT_CHANCE[team.momentum]
    pattern, months = None, None
    if plan is NURSE_AT_DIAGNOSIS and is_participants(team):
        # The participant login owns a shared QIP with two years of data and a shift.
        # She saw the organisers ask for changes, then accept it (her notifications).
        owner, shared = team.with_role(Role.CNS)[0], shared_on <= latest_share
        pattern, months, revised = "improving", 24, True
    measures = concrete_measures(rng, team, plan)
    deadline = month_end(add_months(shared_on, rng.choice([9, 12, 15, 18])))
    aim = plan.aim.format(b=number_text(measures[0]["baseline"]),
                          t=number_text(measures[0]["target"]), by=f"{deadline:%B %Y}")
    timeframe = f"{shared_on:%B %Y} to {deadline:%B %Y}"
    # A first draft is either up to standard, or vague until the organisers' review.
    story.on(drafted_on)
    if shared and not revised:
        qip_id = app.draft_qip(by=owner.id, title=plan.title, key_area=plan.area, aim=aim,
                               timeframe=timeframe, measures=measures)
    else:
        qip_id = app.draft_qip(by=owner.id, title=plan.title, key_area=plan.area,
                               aim=VAGUE_AIMS[plan.area],
                               measures=[{**m, "target": None} for m in measures])
        story.on(drafted_on + timedelta(weeks=1))
        if revised and shared:
            app.revise_qip(qip_id, by=owner.id, aim=aim, timeframe=timeframe, measures=measures)
        elif revised:  # still no time frame or target: not yet up to standard
            app.revise_qip(qip_id, by=owner.id, aim=aim)
    story.count("qips")
    planned = PlannedQip(qip_id, team, owner, plan.title, plan.area, drafted_on)
    team.qips.append(planned)
    # Its own stream, so the review and the work leave the rest of the QIPs as they were.
    own = story.rng(f"qip-{team.slug}-{number}")
    if shared:
        planned.shared_on, planned.deadline = shared_on, deadline
        planned.pattern, planned.months = pattern, months
        review(story, planned, shared_on, changes_first=revised)
        plan_the_work(story, own, planned)
    elif revised and own.random() < 0.4:
        # Finished off but never reviewed: the organisers' queue after the funding ended.
        story.on(shared_on - timedelta(days=7))
        app.revise_qip(qip_id, by=owner.id, timeframe=timeframe, measures=measures)
        story.on(weekday_on_or_after(shared_on))
        app.submit_qip(qip_id, by=owner.id, submitted_on=story.day)


def review(story: Story, qip: PlannedQip, shared_on: date, *, changes_first: bool) -> None:
    """Submitted a week or two before it is shared; a revised plan was sent back once."""
    app, reviewer, owner = story.app, story.organisers[0].id, qip.owner.id
    if changes_first:
        app.submit_qip(qip.id, by=owner, submitted_on=shared_on - timedelta(days=21))
        app.review_qip(qip.id, by=reviewer, decision=ReviewDecision.REQUEST_CHANGES,
                       comments={"measures": MEASURE_COMMENT},
                       reviewed_on=shared_on - timedelta(days=14))
        defined = [replace(m, definition=f"{m.name}: patients in the month, out of all "
                           "patients with a lung cancer diagnosis that month")
                   for m in app.qip(qip.id).measures]
        story.on(shared_on - timedelta(days=10))
        app.revise_qip(qip.id, by=owner, measures=defined)
    app.submit_qip(qip.id, by=owner, submitted_on=shared_on - timedelta(days=7))
    app.review_qip(qip.id, by=reviewer, decision=ReviewDecision.ACCEPT, reviewed_on=shared_on)


def plan_the_work(story: Story, own: Random, qip: PlannedQip) -> None:
    """What the team tried, met and learned, added a few weeks into the plan."""
    assert qip.shared_on is not None
    ideas = CHANGE_IDEAS.get(qip.key_area, [])
    chosen = own.sample(ideas, min(len(ideas), own.randint(1, 2)))
    changes = [{"title": c.title, "cycles": [{"plan": c.plan, "happened": c.happened,
                                              "learned": c.learned}]} for c in chosen]
    obstacles = own.sample(list(Obstacle), own.randint(1, 2))
    enablers = [o for o in own.sample(list(Obstacle), 2) if o not in obstacles][:1]
    story.on(qip.shared_on + timedelta(days=21))
    story.app.revise_qip(qip.id, by=qip.owner.id, changes=changes, obstacles=obstacles,
                         enablers=enablers, lessons=own.choice(LESSONS),
                         obstacle_notes="Cover for annual leave was the hardest part."
                         if Obstacle.STAFFING in obstacles else "")


def owner_for(rng: Random, team: DemoTeam, area: KeyArea) -> Person:
    for role in OWNERS[area]:
        if candidates := team.with_role(role):
            return rng.choice(candidates)
    return team.with_role(Role.CLINICAL_LEAD)[0]


def concrete_measures(rng: Random, team: DemoTeam, plan: QipPlan) -> list[dict[str, Any]]:
    found = []
    for m in plan.measures:
        if isinstance(m.baseline, str):
            baseline = float(round(team.audits[2010].get(m.baseline, 60.0)))
        else:
            baseline = float(rng.randint(int(m.baseline[0]), int(m.baseline[1])))
        step = m.change * rng.uniform(0.8, 1.3)
        up = m.direction is Direction.UP
        target = baseline + step if up else baseline - step
        if m.unit == "%":
            target = min(100.0, max(target, baseline + 2)) if up else max(2.0, target)
        target = float(max(1, round(target)))
        found.append({"name": m.name, "unit": m.unit, "baseline": baseline, "target": target,
                      "direction": m.direction.value})
    return found


# --- endings -------------------------------------------------------------------------------


def plan_endings(story: Story) -> None:
    """How each shared plan ends, decided once its values are in (so that its
    self-assessments stop when it does): fading teams stop some; plans that ran to
    their deadline are completed."""
    rng = story.rng("endings")
    for qip in story.qips:
        if qip.shared_on is None or qip.deadline is None:
            continue
        last = max((p["date"] for p in story.app.qip(qip.id).progress), default=qip.shared_on)
        if qip.team.momentum == "fading" and rng.random() < 0.5:
            qip.ending, qip.ended_on = "stopped", last + timedelta(days=40)
            qip.end_note = rng.choice(STOP_REASONS)
        elif last >= qip.deadline and rng.random() < 0.7:
            qip.ending, qip.ended_on = "completed", last + timedelta(days=20)
        if qip.ended_on is not None and qip.ended_on > DEMO_ENDS_ON:
            qip.ending, qip.ended_on = "", None


def end_qips(story: Story) -> None:
    """Plans stopped, and plans completed: some honestly, some after moving a missed
    target to the result (the drift the organisers saw: "oversold against the
    original aim"), which the QIP's history shows beside the plan as first shared."""
    for qip in story.qips:
        if qip.ended_on is None:
            continue
        if qip.ending == "stopped":
            story.on(qip.ended_on)
            story.app.stop_qip(qip.id, by=qip.owner.id, reason=qip.end_note,
                               stopped_on=qip.ended_on)
        else:
            complete(story, qip)


def complete(story: Story, qip: PlannedQip) -> None:
    app = story.app
    found = app.qip(qip.id)
    first = found.measures[0]
    values = [p["value"] for p in found.progress if p["measure"] == first.name]
    latest = values[-1] if values else first.target
    assert latest is not None and first.target is not None
    met = latest >= first.target if first.direction is Direction.UP else latest <= first.target
    if met:
        note = "We met the aim and the new way of working is now routine."
    else:
        moved = replace(first, target=float(round(latest)))
        if moved != first:  # missed by less than the rounding: nothing to move
            assert qip.ended_on is not None
            story.on(qip.ended_on - timedelta(days=10))
            app.revise_qip(qip.id, by=qip.owner.id, measures=[moved, *found.measures[1:]])
        note = "Target reached; the new way of working is now routine."
    assert qip.ended_on is not None
    story.on(qip.ended_on)
    app.complete_qip(qip.id, by=qip.owner.id, note=note, completed_on=qip.ended_on)


# --- adoption ---------------------------------------------------------------------------------


def adapt_participants_qip(story: Story) -> list[PlannedQip]:
    """Two teams weak on nurse access adapt the participant's QIP; one makes it its
    own, has it reviewed and reports a year's values (by the progress part)."""
    rng = story.rng("adoption")
    home = story.participants_team()
    source = next((q for q in home.qips if q.shared_on is not None), None)
    if source is None or source.shared_on is None:
        return []
    weak = sorted((t for t in story.teams if t is not home and t is not home.partner
                   and t.qips and t.profile.get("cns_seen", 0) < 0),
                  key=lambda t: (t.profile.get("cns_seen", 0), t.slug))[:2]
    shared = []
    for number, team in enumerate(weak):
        owner = owner_for(rng, team, source.key_area)
        drafted_on = weekday_on_or_after(source.shared_on + timedelta(days=60 + 30 * number))
        story.on(drafted_on)
        qip_id = story.app.adapt_qip(source.id, by=owner.id)
        story.count("qips")
        qip = PlannedQip(qip_id, team, owner, source.title, source.key_area, drafted_on)
        team.qips.append(qip)
        if number == 0:
            make_adapted_plan_own(story, qip, float(round(team.audits[2010].get("cns_seen", 55.0))))
            qip.shared_on = weekday_on_or_after(drafted_on + timedelta(days=30))
            qip.deadline = month_end(add_months(drafted_on, 12))
            qip.pattern, qip.months = "improving", 12
            review(story, qip, qip.shared_on, changes_first=False)
            shared.append(qip)
    return shared


def make_adapted_plan_own(story: Story, qip: PlannedQip, baseline: float) -> None:
    """The adapting team's own baseline (its audit), aim and dates; it keeps the
    original's target where that is still a gain for it, as a team aiming for the
    same standard would, and sets its own higher one where it already does better."""
    copied = story.app.qip(qip.id).measures
    deadline = month_end(add_months(qip.drafted_on, 12))
    measures = [replace(m, baseline=baseline,
                        target=max(m.target or 0.0, min(95.0, baseline + 15)))
                for m in copied]
    aim = NURSE_AT_DIAGNOSIS.aim.format(b=number_text(baseline),
                                        t=number_text(measures[0].target or 0.0),
                                        by=f"{deadline:%B %Y}")
    story.on(qip.drafted_on + timedelta(days=7))
    story.app.revise_qip(qip.id, by=qip.owner.id, aim=aim,
                         timeframe=f"{qip.drafted_on:%B %Y} to {deadline:%B %Y}",
                         measures=measures,
                         keep=[target_key(m.name) for m, was in zip(measures, copied, strict=True)
                               if m.target == was.target])
