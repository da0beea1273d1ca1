"""Sustainability self-assessments: each factor's team score, how far apart the
members are, and the trend, per QIP and assessment date.

Rows hold levels, not scores (one row per member per assessment per factor); the
weights live in their own table and are applied when asked, so an organiser's
correction re-weights every past assessment without replaying anything. A member
who scores twice on one day counts once, with their later answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import singledispatchmethod
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    select,
    update,
)

from domain.sustainability_model import Assessment, SustainabilityModel, team_scores, trend
from projections.reading import reading
from projections.view import View, Writer

metadata = MetaData()
model = Table(
    "self_assessment_model", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("source", Text, nullable=False),
    Column("optimism_threshold", Float, nullable=False),
)
factors = Table(
    "self_assessment_factors", metadata,
    Column("key", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("domain", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("w1", Float, nullable=False),
    Column("w2", Float, nullable=False),
    Column("w3", Float, nullable=False),
    Column("w4", Float, nullable=False),
)
answers = Table(
    "self_assessment_answers", metadata,
    Column("assessment_id", String(36), primary_key=True),
    Column("factor", String(40), primary_key=True),
    Column("qip_id", String(36), nullable=False),
    Column("team_id", String(36), nullable=False),
    Column("member_id", String(36), nullable=False),
    Column("assessed_on", Date, nullable=False),
    Column("level", Integer, nullable=False),
    # Which of two submissions on one day came later.
    Column("notification_id", Integer, nullable=False),
    Index("self_assessment_answers_by_qip", "qip_id", "assessed_on"),
)

INSERT_MODEL = model.insert()
INSERT_FACTOR = factors.insert()
INSERT_ANSWER = answers.insert()
WEIGHTS = update(factors).where(factors.c.key == bindparam("k")).values(
    w1=bindparam("a"), w2=bindparam("b"), w3=bindparam("c"), w4=bindparam("d"))


class SelfAssessments(View):
    name = "self_assessments"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(SustainabilityModel.Adopted)
    def adopted(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_MODEL, {"id": str(event.originator_id), "name": event.name,
                                "source": event.source,
                                "optimism_threshold": event.optimism_threshold})
        for position, factor in enumerate(event.factors):
            w1, w2, w3, w4 = factor["weights"]
            w.insert(INSERT_FACTOR, {"key": factor["key"], "position": position,
                                     "domain": factor["domain"], "name": factor["name"],
                                     "w1": w1, "w2": w2, "w3": w3, "w4": w4})

    @apply.register(SustainabilityModel.WeightsCorrected)
    def weights_corrected(self, event: Any, w: Writer, _: int) -> None:
        for key, (a, b, c, d) in event.weights.items():
            w.execute(WEIGHTS, {"k": key, "a": a, "b": b, "c": c, "d": d})

    @apply.register(Assessment.Made)
    def made(self, event: Any, w: Writer, notification_id: int) -> None:
        shared = {"assessment_id": str(event.originator_id), "qip_id": str(event.qip_id),
                  "team_id": str(event.team_id), "member_id": str(event.assessed_by),
                  "assessed_on": event.assessed_on, "notification_id": notification_id}
        for key, level in event.levels.items():
            w.insert(INSERT_ANSWER, {**shared, "factor": key, "level": level})

    # --- queries -----------------------------------------------------------------

    def model(self) -> dict[str, Any] | None:
        """The model in force, with each factor's weights; None before it is adopted."""
        with reading(self.engine) as conn:
            found = conn.execute(select(model)).first()
            rows = conn.execute(select(factors).order_by(factors.c.position)).all()
        if found is None:
            return None
        listed = [{"key": r.key, "domain": r.domain, "name": r.name,
                   "weights": [r.w1, r.w2, r.w3, r.w4]} for r in rows]
        return {"name": found.name, "source": found.source,
                "optimism_threshold": found.optimism_threshold, "factors": listed,
                "max_total": round(sum(f["weights"][-1] for f in listed), 1)}

    def results(self, qip_id: str) -> dict[str, Any]:
        """Each assessment date of a QIP, oldest first: the team's total and, per
        factor, its score, the spread of members' scores and the trend since the
        date before. ``model`` is None when nobody has scored anything yet."""
        found = self.model()
        by_date = self._answers_by_date(qip_id)
        assessments: list[dict[str, Any]] = []
        if found is not None:
            weights = {f["key"]: f["weights"] for f in found["factors"]}
            for assessed_on, members in by_date.items():
                previous = assessments[-1] if assessments else None
                assessments.append(_assessment(assessed_on, members, weights, found, previous))
        return {"qip_id": qip_id, "model": found, "assessments": assessments,
                "latest": assessments[-1] if assessments else None}

    def _answers_by_date(self, qip_id: str) -> dict[date, list[dict[str, int]]]:
        """{date: [each member's levels]}, a member's later submission on a day winning."""
        query = (select(answers.c.member_id, answers.c.assessed_on, answers.c.assessment_id,
                        answers.c.notification_id, answers.c.factor, answers.c.level)
                 .where(answers.c.qip_id == qip_id)
                 .order_by(answers.c.assessed_on, answers.c.notification_id))
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        latest: dict[tuple[str, date], str] = {}
        for row in rows:  # in submission order: the last one seen is the latest
            latest[(row.member_id, row.assessed_on)] = row.assessment_id
        chosen = set(latest.values())
        levels: dict[date, dict[str, dict[str, int]]] = {}
        for row in rows:
            if row.assessment_id in chosen:
                levels.setdefault(row.assessed_on, {}).setdefault(
                    row.member_id, {})[row.factor] = row.level
        return {day: list(members.values()) for day, members in sorted(levels.items())}

    def member_levels(self, qip_id: str, member_id: str) -> tuple[date | None, dict[str, int]]:
        """A member's latest answers for a QIP (to start their next assessment from)."""
        query = (select(answers.c.assessed_on, answers.c.assessment_id, answers.c.factor,
                        answers.c.level)
                 .where(answers.c.qip_id == qip_id, answers.c.member_id == member_id)
                 .order_by(answers.c.assessed_on.desc(), answers.c.notification_id.desc()))
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        if not rows:
            return None, {}
        newest = rows[0].assessment_id
        return rows[0].assessed_on, {r.factor: r.level for r in rows
                                     if r.assessment_id == newest}


def _assessment(assessed_on: date, members: list[dict[str, int]],
                weights: Mapping[str, list[float]], found: Mapping[str, Any],
                previous: Mapping[str, Any] | None) -> dict[str, Any]:
    names = {f["key"]: f for f in found["factors"]}
    before = {f["key"]: f["score"] for f in previous["factors"]} if previous else {}
    shown = []
    for score in team_scores(weights, members):
        factor = names[score.key]
        shown.append({
            "key": score.key, "name": factor["name"], "domain": factor["domain"],
            "top": factor["weights"][-1], "score": score.score,
            "lowest": score.lowest, "highest": score.highest,
            "lowest_level": score.lowest_level, "highest_level": score.highest_level,
            "answers": score.answers, "disagreement": score.disagreement,
            "trend": trend(before.get(score.key), score.score)})
    total = round(sum(f["score"] for f in shown), 1)
    return {"assessed_on": assessed_on, "members": len(members), "total": total,
            "optimistic": total >= found["optimism_threshold"],
            "trend": trend(previous["total"] if previous else None, total),
            "factors": shown}
