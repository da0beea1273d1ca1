"""The shared-QIP library: shared plans with their measures and latest progress,
and each team's own drafts (visible to that team only)."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from sqlalchemy import (Column, Connection, Date, DateTime, Float, Integer, MetaData, String,
                        Table, Text, and_, func, or_, select, update)

from domain.qip import Qip
from domain.team import Team
from domain.values import QipStatus
from projections.view import View

metadata = MetaData()
lib_teams = Table(
    "library_teams", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("region", String(80), nullable=False),
)
qips = Table(
    "library_qips", metadata,
    Column("id", String(36), primary_key=True),
    Column("team_id", String(36), nullable=False, index=True),
    Column("owner_id", String(36), nullable=False),
    Column("title", String(200), nullable=False),
    Column("key_area", String(40), nullable=False, index=True),
    Column("aim", Text, nullable=False),
    Column("timeframe", String(200), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("drafted_at", DateTime(timezone=True), nullable=False),
    Column("shared_on", Date),
    Column("last_progress_on", Date),
)
measures = Table(
    "library_measures", metadata,
    Column("qip_id", String(36), primary_key=True),
    Column("name", String(120), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("unit", String(40), nullable=False),
    Column("baseline", Float),
    Column("target", Float),
    Column("direction", String(10), nullable=False),
    Column("latest_value", Float),
    Column("latest_on", Date),
)
progress = Table(
    "library_progress", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("qip_id", String(36), nullable=False, index=True),
    Column("measure", String(120), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("recorded_by", String(36), nullable=False),
)

PLAN_FIELDS = ("title", "key_area", "aim", "timeframe", "owner_id")


def _plan_values(source: dict[str, Any]) -> dict[str, Any]:
    values = {k: source[k] for k in PLAN_FIELDS if k in source}
    if "key_area" in values:
        values["key_area"] = values["key_area"].value
    if "owner_id" in values:
        values["owner_id"] = str(values["owner_id"])
    return values


class Library(View):
    name = "library"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, conn: Connection, notification_id: int) -> None:
        pass

    @apply.register(Team.Registered)
    def team_registered(self, event: Any, conn: Connection, _: int) -> None:
        conn.execute(lib_teams.insert().values(id=str(event.originator_id), name=event.name,
                                               region=event.region))

    @apply.register(Qip.Drafted)
    def qip_drafted(self, event: Any, conn: Connection, _: int) -> None:
        qip_id = str(event.originator_id)
        conn.execute(qips.insert().values(
            id=qip_id, team_id=str(event.team_id), status=QipStatus.DRAFT.value,
            version=event.originator_version, drafted_at=event.timestamp,
            **_plan_values(vars(event))))
        self._set_measures(conn, qip_id, event.measures)

    @apply.register(Qip.Revised)
    def qip_revised(self, event: Any, conn: Connection, _: int) -> None:
        qip_id = str(event.originator_id)
        conn.execute(update(qips).where(qips.c.id == qip_id).values(
            version=event.originator_version, **_plan_values(event.changes)))
        if "measures" in event.changes:
            conn.execute(measures.delete().where(measures.c.qip_id == qip_id))
            self._set_measures(conn, qip_id, event.changes["measures"])

    def _set_measures(self, conn: Connection, qip_id: str, given: list[Any]) -> None:
        for position, m in enumerate(given):
            latest = conn.execute(
                select(progress.c.value, progress.c.recorded_on)
                .where(and_(progress.c.qip_id == qip_id, progress.c.measure == m.name))
                .order_by(progress.c.recorded_on.desc(), progress.c.id.desc()).limit(1)).first()
            conn.execute(measures.insert().values(
                qip_id=qip_id, name=m.name, position=position, unit=m.unit,
                baseline=m.baseline, target=m.target, direction=m.direction.value,
                latest_value=latest.value if latest else None,
                latest_on=latest.recorded_on if latest else None))

    @apply.register(Qip.Shared)
    def qip_shared(self, event: Any, conn: Connection, _: int) -> None:
        conn.execute(update(qips).where(qips.c.id == str(event.originator_id)).values(
            status=QipStatus.SHARED.value, shared_on=event.shared_on,
            version=event.originator_version))

    @apply.register(Qip.ProgressRecorded)
    def progress_recorded(self, event: Any, conn: Connection, _: int) -> None:
        qip_id = str(event.originator_id)
        conn.execute(progress.insert().values(
            qip_id=qip_id, measure=event.measure, recorded_on=event.recorded_on,
            value=event.value, recorded_by=str(event.recorded_by)))
        # Latest means latest date measured, not latest typed in.
        conn.execute(update(measures).where(and_(
            measures.c.qip_id == qip_id, measures.c.name == event.measure,
            or_(measures.c.latest_on.is_(None), measures.c.latest_on <= event.recorded_on)))
            .values(latest_value=event.value, latest_on=event.recorded_on))
        conn.execute(update(qips).where(qips.c.id == qip_id).values(
            version=event.originator_version,
            last_progress_on=func.coalesce(
                func.max(qips.c.last_progress_on, event.recorded_on)
                if conn.dialect.name == "sqlite"
                else func.greatest(qips.c.last_progress_on, event.recorded_on),
                event.recorded_on)))

    # --- queries ---------------------------------------------------------------

    def _visible(self, viewer_team_id: str | None):  # type: ignore[no-untyped-def]
        """Shared plans for everyone; drafts only for their own team."""
        shared = qips.c.status != QipStatus.DRAFT.value
        return or_(shared, qips.c.team_id == viewer_team_id) if viewer_team_id else shared

    def qips(self, *, viewer_team_id: str | None, key_area: str | None = None,
             team_id: str | None = None, status: str | None = None, q: str | None = None,
             limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        query = (select(qips, lib_teams.c.name.label("team"), lib_teams.c.region)
                 .join(lib_teams, lib_teams.c.id == qips.c.team_id)
                 .where(self._visible(viewer_team_id)))
        if key_area:
            query = query.where(qips.c.key_area == key_area)
        if team_id:
            query = query.where(qips.c.team_id == team_id)
        if status:
            query = query.where(qips.c.status == status)
        for word in (q or "").lower().split():
            like = f"%{word}%"
            query = query.where(or_(func.lower(qips.c.title).like(like),
                                    func.lower(qips.c.aim).like(like),
                                    func.lower(lib_teams.c.name).like(like)))
        with self.engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(query.subquery()))
            rows = conn.execute(query.order_by(qips.c.title, qips.c.id)
                                .limit(limit).offset(offset)).all()
            found = [dict(r._mapping) for r in rows]
            by_qip = self._measures(conn, [r["id"] for r in found])
        for qip in found:
            qip["measures"] = by_qip.get(qip["id"], [])
        return found, int(total or 0)

    def _measures(self, conn: Connection, qip_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        if not qip_ids:
            return found
        rows = conn.execute(select(measures).where(measures.c.qip_id.in_(qip_ids))
                            .order_by(measures.c.qip_id, measures.c.position))
        for row in rows:
            item = dict(row._mapping)
            found.setdefault(item.pop("qip_id"), []).append(item)
        return found

    def qip(self, qip_id: str, *, viewer_team_id: str | None) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(qips, lib_teams.c.name.label("team"), lib_teams.c.region)
                .join(lib_teams, lib_teams.c.id == qips.c.team_id)
                .where(and_(qips.c.id == qip_id, self._visible(viewer_team_id)))).first()
            if row is None:
                return None
            found = dict(row._mapping)
            found["measures"] = self._measures(conn, [qip_id]).get(qip_id, [])
            found["progress"] = [dict(p._mapping) for p in conn.execute(
                select(progress.c.measure, progress.c.recorded_on, progress.c.value)
                .where(progress.c.qip_id == qip_id)
                .order_by(progress.c.measure, progress.c.recorded_on, progress.c.id))]
        return found
