"""QIPs over the years: plans drafted on what a team is weak at (some adapted from
another team's shared plan), vague drafts revised, reviews that ask for changes,
shared plans with the work the team tried, monthly values (improving with a step,
flat, or a little then nothing; a few corrected, some change dates marked), the
team's sustainability self-assessments every six months, and endings: completed
when the planned months are done, stopped when the team falls quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from community.demo.data import (
    CHANGE_IDEAS,
    CORRECTIONS,
    INDICATOR_AREAS,
    LESSONS,
    MEASURE_COMMENT,
    OWNERS,
    QIP_PLANS,
    STOP_REASONS,
    VAGUE_AIMS,
    QipPlan,
)
from community.demo.progress import progress_series
from community.self_assessment import default_model
from community.synth import Synth
from community.synth.cast import People, Person, SynthTeam
from domain.qip import Qip, target_key
from domain.sustainability_model import Assessment, SustainabilityModel
from domain.values import Direction, KeyArea, Obstacle


@dataclass(eq=False)
class Plan:
    """A shared QIP while its values come in."""

    qip: Qip
    team: SynthTeam
    owner: Person
    shared_month: int
    series: dict[str, list[float]]  # the values to come, by measure
    pattern: str
    shift_at: int
    assessed: bool
    recorded: list[date] = field(default_factory=list)


class Plans:
    def __init__(self, run: Synth, people: People) -> None:
        self.run, self.people = run, people
        self.rng = run.rng("qips")
        self.values = run.rng("values")
        self.scores = run.rng("assessments")
        self.running: list[Plan] = []
        self.shared: dict[KeyArea, list[Qip]] = {}  # to adapt, by key area
        self.model: SustainabilityModel | None = None

    # --- a new plan ---------------------------------------------------------------

    def draft(self, team: SynthTeam, month: int, day: date, joined: list[Person]) -> None:
        rng, run = self.rng, self.run
        area = self.choose_area(team)
        owner = next((rng.choice(c) for r in OWNERS[area]
                      if (c := [m for m in joined if m.role is r])), rng.choice(joined))
        sources = [q for q in self.shared.get(area, []) if q.team_id != team.id]
        measures = []
        if sources and rng.random() < 0.15:
            source = rng.choice(sources)
            qip = Qip.adapt(source, team_id=team.id, owner_id=owner.id, drafted_on=day)
            measures = [{"name": m.name, "unit": m.unit, "baseline": float(rng.randint(30, 60)),
                         "target": m.target, "direction": m.direction.value}
                        for m in source.measures]
            timeframe = f"{day:%B %Y} to {day + timedelta(days=365):%B %Y}"
            aim = (f"{source.title}: from our own {measures[0]['baseline']:g} to "
                   f"{measures[0]['target']:g} by {day + timedelta(days=365):%B %Y}")
            # Words the same as the original's are this team's own too.
            same = [k for k, v in [("aim", aim), ("timeframe", timeframe)]
                    if v == getattr(source, k)]
            qip.revise(by=owner.id, revised_on=run.on(day + timedelta(days=7)), aim=aim,
                       timeframe=timeframe, measures=measures,
                       keep=[target_key(m.name) for m in source.measures] + same)
        else:
            plan = rng.choice([p for p in QIP_PLANS if p.area is area])
            measures = concrete(rng, plan)
            deadline = day + timedelta(days=rng.choice([270, 365, 450]))
            aim = plan.aim.format(b=f"{measures[0]['baseline']:g}",
                                  t=f"{measures[0]['target']:g}", by=f"{deadline:%B %Y}")
            timeframe = f"{day:%B %Y} to {deadline:%B %Y}"
            if rng.random() < 0.4:  # vague first, revised a week later
                qip = Qip.draft(team_id=team.id, owner_id=owner.id, title=plan.title,
                                key_area=area, drafted_on=day, aim=VAGUE_AIMS[area],
                                measures=[{**m, "target": None} for m in measures])
                qip.revise(by=owner.id, revised_on=run.on(day + timedelta(days=7)), aim=aim,
                           timeframe=timeframe, measures=measures)
            else:
                qip = Qip.draft(team_id=team.id, owner_id=owner.id, title=plan.title,
                                key_area=area, drafted_on=day, aim=aim, timeframe=timeframe,
                                measures=measures)
        run.keep(qip)
        if rng.random() < 0.15:
            return  # never submitted
        self.review(qip, owner, day + timedelta(days=14), month, team, joined)

    def choose_area(self, team: SynthTeam) -> KeyArea:
        """Teams work on what they are weak at."""
        weights = dict.fromkeys(KeyArea, 1.0)
        for key, strength in team.strengths.items():
            if strength < -0.5 and key in INDICATOR_AREAS:
                weights[INDICATOR_AREAS[key]] += 2 * -strength
        areas = [a for a in weights if any(p.area is a for p in QIP_PLANS)]
        return self.rng.choices(areas, [weights[a] for a in areas])[0]

    def review(self, qip: Qip, owner: Person, day: date, month: int, team: SynthTeam,
               joined: list[Person]) -> None:
        rng, run = self.rng, self.run
        reviewer = rng.choice(self.people.organisers).id
        qip.submit(by=owner.id, submitted_on=run.on(day))
        if rng.random() < 0.3:
            qip.review(by=reviewer, reviewed_on=run.on(day + timedelta(days=7)), accept=False,
                       comments={"measures": MEASURE_COMMENT})
            day += timedelta(days=14)
            qip.revise(by=owner.id, revised_on=run.on(day), measures=[
                {"name": m.name, "unit": m.unit, "baseline": m.baseline, "target": m.target,
                 "direction": m.direction.value,
                 "definition": f"{m.name}: patients in the month, of all diagnosed that month"}
                for m in qip.measures])
            qip.submit(by=owner.id, submitted_on=day)
        shared_on = run.on(day + timedelta(days=7))
        qip.review(by=reviewer, reviewed_on=shared_on, accept=True)
        if rng.random() < 0.5:  # what the team tried, a few weeks in
            ideas = CHANGE_IDEAS.get(KeyArea(qip.key_area), [])
            chosen = rng.sample(ideas, min(len(ideas), rng.randint(1, 2)))
            qip.revise(by=owner.id, revised_on=run.on(shared_on + timedelta(days=21)),
                       changes=[{"title": c.title, "cycles": [{
                           "plan": c.plan, "happened": c.happened, "learned": c.learned}]}
                           for c in chosen],
                       obstacles=rng.sample(list(Obstacle), 1), lessons=rng.choice(LESSONS))
        run.keep(qip)
        self.shared.setdefault(KeyArea(qip.key_area), []).append(qip)
        pattern = rng.choices(["improving", "flat", "stalled"],
                              {"sustained": [6, 3, 1], "fading": [3, 4, 3],
                               "dropped": [1, 4, 5]}[team.momentum])[0]
        months = {"improving": rng.randint(12, 24), "flat": rng.randint(8, 18),
                  "stalled": rng.randint(5, 9)}[pattern]
        shift_at = rng.randint(3, 6)
        tracked = qip.measures[:1] + [m for m in qip.measures[1:] if rng.random() < 0.6]
        series = {m.name: progress_series(rng, m, months, pattern, shift_at) for m in tracked
                  if m.baseline is not None and m.target is not None}
        self.running.append(Plan(qip, team, owner, month, series, pattern, shift_at,
                                 assessed=rng.random() < 0.6))

    # --- each month ---------------------------------------------------------------

    def month(self, month: int, first: date, joined: dict[SynthTeam, list[Person]]) -> None:
        """Values of the running plans, their self-assessments, and their endings."""
        still = []
        for plan in self.running:
            activity = plan.team.activity(month, self.run.options.funding_months)
            if month > plan.shared_month and self.values.random() < activity:
                self.record(plan, first)
            if plan.assessed and (month - plan.shared_month) % 6 == 3:
                self.assess(plan, first, joined.get(plan.team, []), activity)
            if self.end(plan, first, activity):
                self.run.keep(plan.qip)
            else:
                still.append(plan)
        self.running = still

    def record(self, plan: Plan, first: date) -> None:
        rng, run, qip = self.values, self.run, plan.qip
        index = len(plan.recorded)
        day = run.on(first + timedelta(days=rng.randint(0, 9)))
        by = plan.owner.id if rng.random() < 0.8 else rng.choice(plan.team.members).id
        for name, values in plan.series.items():
            if index < len(values):
                qip.record_progress(measure=name, recorded_on=day, value=values[index], by=by)
        plan.recorded.append(day)
        if index >= 3 and rng.random() < 0.03:  # a slip put right
            earlier = plan.recorded[index - 2]
            name = next(iter(plan.series))
            value = qip.value_on(name, earlier)
            if value is not None:
                step = rng.choice([-2, -1, 1, 2])
                if value["value"] + step < 0:
                    step = -step  # a recount never goes below nothing
                qip.correct_value(measure=name, recorded_on=earlier, by=plan.owner.id,
                                  value=value["value"] + step,
                                  reason=rng.choice(CORRECTIONS), corrected_on=day)
        if plan.pattern == "improving" and index == plan.shift_at + 3 and rng.random() < 0.4:
            qip.mark_change(measure=next(iter(plan.series)), by=plan.owner.id,
                            changed_on=plan.recorded[plan.shift_at],
                            description="The new way of working started")
        run.keep(qip)

    def assess(self, plan: Plan, first: date, joined: list[Person], activity: float) -> None:
        rng, run = self.scores, self.run
        if self.model is None:
            self.model = default_model()
            run.keep(self.model)
        model = self.model
        keys = list(model.factors)
        day = run.on(first + timedelta(days=rng.randint(10, 20)))
        for member in rng.sample(joined, min(len(joined), rng.randint(2, 3))):
            if rng.random() < activity:
                run.keep(Assessment.make(model=model, qip_id=plan.qip.id,
                                         team_id=plan.team.id, assessed_by=member.id,
                                         levels={k: rng.randint(1, 4) for k in keys},
                                         assessed_on=day))

    def end(self, plan: Plan, first: date, activity: float) -> bool:
        rng, run, qip = self.rng, self.run, plan.qip
        day = run.on(first + timedelta(days=20))
        months = len(next(iter(plan.series.values()), []))
        if len(plan.recorded) >= months:
            if rng.random() < 0.7:
                qip.complete(by=plan.owner.id, completed_on=day,
                             note="Target reached; the new way of working is now routine.")
            return True  # completed, or left as it was
        if activity < 0.3 and rng.random() < 0.1:
            qip.stop(by=plan.owner.id, stopped_on=day, reason=rng.choice(STOP_REASONS))
            return True
        return False


def concrete(rng: Random, plan: QipPlan) -> list[dict[str, Any]]:
    """The plan's measures with a baseline and a target of this team's."""
    found = []
    for m in plan.measures:
        low, high = (50, 75) if isinstance(m.baseline, str) else m.baseline
        baseline = float(rng.randint(int(low), int(high)))
        step = m.change * rng.uniform(0.8, 1.3)
        up = m.direction is Direction.UP
        target = min(100.0, baseline + step) if up and m.unit == "%" else (
            baseline + step if up else max(1.0, baseline - step))
        found.append({"name": m.name, "unit": m.unit, "baseline": baseline,
                      "target": float(round(target)), "direction": m.direction.value})
    return found
