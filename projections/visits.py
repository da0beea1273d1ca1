"""Peer-review visits as the two teams read them: who came, the feedback, and
which areas for improvement became draft QIPs."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)

from domain.visit import Visit
from projections.paging import total_of
from projections.reading import reading
from projections.view import View, Writer, as_id

metadata = MetaData()
visits = Table(
    "visits", metadata,
    Column("id", String(36), primary_key=True),
    Column("host_team_id", String(36), nullable=False, index=True),
    Column("visiting_team_id", String(36), nullable=False, index=True),
    Column("visited_on", Date, nullable=False),
    Column("pairing_id", String(36)),
    Column("attendee_ids", Text, nullable=False),  # space-separated ids
    Column("data_discussed", Text, nullable=False),
    Column("feedback_on", Date),
    Column("version", Integer, nullable=False),
)
# One row per area for improvement ("improvement") or strength, in the order given.
visit_points = Table(
    "visit_points", metadata,
    Column("visit_id", String(36), primary_key=True),
    Column("kind", String(12), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("qip_id", String(36)),
)

INSERT = visits.insert()
INSERT_POINT = visit_points.insert()
FEEDBACK = update(visits).where(visits.c.id == bindparam("f")).values(
    data_discussed=bindparam("data"), feedback_on=bindparam("on"), version=bindparam("v"))
FORGET_POINTS = delete(visit_points).where(visit_points.c.visit_id == bindparam("f"))
LINKED = update(visit_points).where(
    (visit_points.c.visit_id == bindparam("f")) & (visit_points.c.kind == "improvement")
    & (visit_points.c.position == bindparam("area"))).values(qip_id=bindparam("qip"))
VERSION = update(visits).where(visits.c.id == bindparam("f")).values(version=bindparam("v"))


class Visits(View):
    name = "visits"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Visit.Recorded)
    def recorded(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT, {
            "id": str(event.originator_id), "host_team_id": str(event.host_team_id),
            "visiting_team_id": str(event.visiting_team_id), "visited_on": event.visited_on,
            "pairing_id": as_id(event.pairing_id),
            "attendee_ids": " ".join(str(a) for a in event.attendee_ids),
            "data_discussed": "", "feedback_on": None, "version": event.originator_version})

    @apply.register(Visit.FeedbackGiven)
    def feedback_given(self, event: Any, w: Writer, _: int) -> None:
        visit_id = str(event.originator_id)
        w.execute(FEEDBACK, {"f": visit_id, "data": event.data_discussed,
                             "on": event.given_on, "v": event.originator_version})
        w.execute(FORGET_POINTS, {"f": visit_id})
        for kind, texts in (("improvement", event.areas_for_improvement),
                            ("strength", event.strengths)):
            for position, text in enumerate(texts):
                w.insert(INSERT_POINT, {"visit_id": visit_id, "kind": kind,
                                        "position": position, "text": text, "qip_id": None})

    @apply.register(Visit.QipDrafted)
    def qip_drafted(self, event: Any, w: Writer, _: int) -> None:
        visit_id = str(event.originator_id)
        w.execute(LINKED, {"f": visit_id, "area": event.area, "qip": str(event.qip_id)})
        w.execute(VERSION, {"f": visit_id, "v": event.originator_version})

    # --- queries -----------------------------------------------------------------

    def for_team(self, team_id: str | None, *, everything: bool = False) -> list[dict[str, Any]]:
        """Visits the team hosted or made (organisers: all), newest first."""
        query = select(visits).order_by(visits.c.visited_on.desc(), visits.c.id)
        if not everything:
            query = query.where(or_(visits.c.host_team_id == team_id,
                                    visits.c.visiting_team_id == team_id))
        with reading(self.engine) as conn:
            return [self._shown(r._mapping) for r in conn.execute(query)]

    def page_for_team(self, team_id: str | None, *, everything: bool = False, limit: int,
                      offset: int) -> tuple[list[dict[str, Any]], int]:
        """One page of ``for_team``, and how many there are (issue 13: a page never
        lists without end)."""
        query = select(visits)
        if not everything:
            query = query.where(or_(visits.c.host_team_id == team_id,
                                    visits.c.visiting_team_id == team_id))
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(visits.c.visited_on.desc(), visits.c.id)
                                .limit(limit).offset(offset)).all()
            return [self._shown(r._mapping) for r in rows], total_of(
                rows, limit, offset,
                lambda: conn.scalar(select(func.count()).select_from(query.subquery())))

    def one(self, visit_id: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(visits).where(visits.c.id == visit_id)).first()
            if row is None:
                return None
            points = conn.execute(select(visit_points).where(visit_points.c.visit_id == visit_id)
                                  .order_by(visit_points.c.kind, visit_points.c.position)).all()
        shown = self._shown(row._mapping)
        shown["areas_for_improvement"] = [dict(p._mapping) for p in points
                                          if p.kind == "improvement"]
        shown["strengths"] = [p.text for p in points if p.kind == "strength"]
        return shown

    def from_qip(self, qip_id: str) -> dict[str, Any] | None:
        """The visit whose feedback a QIP was drafted from, if one was."""
        with reading(self.engine) as conn:
            row = conn.execute(select(visit_points.c.visit_id, visit_points.c.text)
                               .where(visit_points.c.qip_id == qip_id)).first()
        return dict(row._mapping) if row else None

    @staticmethod
    def _shown(row: Any) -> dict[str, Any]:
        shown = dict(row)
        shown["attendee_ids"] = shown["attendee_ids"].split()
        return shown
