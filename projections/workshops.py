"""Workshops and online conferences members can come to, planned or held: who
registered, who attended, their materials; and each team's MDT meeting day, which
scheduling avoids.

The view's stored names (its ``events_*`` tables and its position row ``events``) date
from when the feature was called "events" and stay: renamed, the runner would replay the
view into new tables, but leave the old tables behind and the old position row, whose
lag would make every catch-up reread the log from there."""

from __future__ import annotations

from datetime import date
from functools import singledispatchmethod
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    func,
    select,
    update,
)

from domain.team import Team
from domain.workshop import Workshop
from projections.reading import reading
from projections.view import View, Writer

metadata = MetaData()
workshops = Table(
    "events_workshops", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("starts_on", Date, nullable=False, index=True),
    Column("place", String(300), nullable=False, default=""),
    Column("link", String(300), nullable=False, default=""),
    Column("agenda", Text, nullable=False, default=""),
    Column("starts_at", String(5), nullable=False, default=""),  # "14:00"; "" not known
    Column("duration_minutes", Integer, nullable=False, default=0),
    Column("roles", Text, nullable=False, default=""),  # invited, space-separated; "" all
    Column("organiser_id", String(36), nullable=False),
    Column("planned", Boolean, nullable=False),  # False: recorded after the fact
    Column("held", Boolean, nullable=False),
)
registrations = Table(
    "events_registrations", metadata,
    Column("workshop_id", String(36), primary_key=True),
    Column("member_id", String(36), primary_key=True, index=True),
    Column("registered_on", Date, nullable=False),
)
attendance = Table(
    "events_attendance", metadata,
    Column("workshop_id", String(36), primary_key=True),
    Column("member_id", String(36), primary_key=True),
)
materials = Table(
    "events_materials", metadata,
    Column("document_id", String(36), primary_key=True),
    Column("workshop_id", String(36), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("content_type", String(120), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("attached_on", Date, nullable=False),
)
meeting_days = Table(
    "events_team_meeting_days", metadata,
    Column("team_id", String(36), primary_key=True),
    Column("day", String(10), nullable=False),
)

INSERT_WORKSHOP = workshops.insert()
INSERT_REGISTRATION = registrations.insert()
DELETE_REGISTRATION = registrations.delete().where(and_(
    registrations.c.workshop_id == bindparam("w"), registrations.c.member_id == bindparam("m")))
INSERT_ATTENDANCE = attendance.insert()
MARK_HELD = update(workshops).where(workshops.c.id == bindparam("w")).values(held=True)
INSERT_MATERIAL = materials.insert()
DELETE_MEETING_DAY = meeting_days.delete().where(meeting_days.c.team_id == bindparam("t"))
INSERT_MEETING_DAY = meeting_days.insert()


class Workshops(View):
    name = "events"  # the stored name: see the module's docstring
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Workshop.Planned)
    def planned(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_WORKSHOP, {
            "id": str(event.originator_id), "kind": event.kind.value, "title": event.title,
            "starts_on": event.starts_on, "place": event.place, "link": event.link,
            "agenda": event.agenda, "organiser_id": str(event.organiser_id),
            "starts_at": event.starts_at, "duration_minutes": event.duration_minutes,
            "roles": " ".join(getattr(r, "value", r) for r in event.roles),
            "planned": True, "held": False})

    @apply.register(Workshop.Held)
    def held(self, event: Any, w: Writer, _: int) -> None:
        workshop_id = str(event.originator_id)
        w.insert(INSERT_WORKSHOP, {
            "id": workshop_id, "kind": event.kind.value, "title": event.title,
            "starts_on": event.held_on, "place": "", "link": "", "agenda": "",
            "starts_at": "", "duration_minutes": 0, "roles": "",
            "organiser_id": str(event.organiser_id), "planned": False, "held": True})
        self._attended(w, workshop_id, event.attendee_ids)

    @apply.register(Workshop.Registered)
    def registered(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_REGISTRATION, {"workshop_id": str(event.originator_id),
                                       "member_id": str(event.member_id),
                                       "registered_on": event.registered_on})

    @apply.register(Workshop.RegistrationCancelled)
    def cancelled(self, event: Any, w: Writer, _: int) -> None:
        w.execute(DELETE_REGISTRATION, {"w": str(event.originator_id),
                                        "m": str(event.member_id)})

    @apply.register(Workshop.AttendanceRecorded)
    def attendance_recorded(self, event: Any, w: Writer, _: int) -> None:
        workshop_id = str(event.originator_id)
        w.set_latest(MARK_HELD, workshop_id, {"w": workshop_id})
        self._attended(w, workshop_id, event.attendee_ids)

    @apply.register(Workshop.MaterialAttached)
    def material_attached(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_MATERIAL, {
            "document_id": event.document_id, "workshop_id": str(event.originator_id),
            "title": event.title, "name": event.name, "content_type": event.content_type,
            "size": event.size, "sha256": event.sha256, "attached_on": event.attached_on})

    @apply.register(Team.MeetingDaySet)
    def meeting_day_set(self, event: Any, w: Writer, _: int) -> None:
        team_id = str(event.originator_id)
        w.execute(DELETE_MEETING_DAY, {"t": team_id})
        if event.day:
            w.insert(INSERT_MEETING_DAY, {"team_id": team_id, "day": event.day})

    @staticmethod
    def _attended(w: Writer, workshop_id: str, member_ids: Any) -> None:
        for member_id in sorted({str(m) for m in member_ids}):
            w.insert(INSERT_ATTENDANCE, {"workshop_id": workshop_id, "member_id": member_id})

    # --- queries -----------------------------------------------------------------

    def _listing(self) -> Select[Any]:
        counted = (select(registrations.c.workshop_id, func.count().label("registered"))
                   .group_by(registrations.c.workshop_id).subquery())
        came = (select(attendance.c.workshop_id, func.count().label("attended"))
                .group_by(attendance.c.workshop_id).subquery())
        return (select(workshops, func.coalesce(counted.c.registered, 0).label("registered"),
                       func.coalesce(came.c.attended, 0).label("attended"))
                .outerjoin(counted, counted.c.workshop_id == workshops.c.id)
                .outerjoin(came, came.c.workshop_id == workshops.c.id))

    def upcoming(self, today: date) -> list[dict[str, Any]]:
        """Workshops still to come (today's included), soonest first."""
        query = (self._listing().where(workshops.c.starts_on >= today,
                                       workshops.c.held.is_(False))
                 .order_by(workshops.c.starts_on, workshops.c.title))
        return self._rows(query)

    def past(self, today: date, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Workshops held or whose date has passed, latest first."""
        query = (self._listing().where(self._is_past(today))
                 .order_by(workshops.c.starts_on.desc(), workshops.c.title, workshops.c.id)
                 .limit(limit).offset(offset))
        return self._rows(query)

    def past_page(self, today: date, *, limit: int, offset: int
                  ) -> tuple[list[dict[str, Any]], int]:
        """One page of ``past`` and how many past workshops there are in all."""
        with reading(self.engine) as conn:
            total = conn.scalar(select(func.count()).select_from(workshops)
                                .where(self._is_past(today))) or 0
        return self.past(today, limit=limit, offset=offset), total

    @staticmethod
    def _is_past(today: date) -> Any:
        return (workshops.c.starts_on < today) | workshops.c.held.is_(True)

    def registered_workshops(self, member_id: str) -> list[dict[str, Any]]:
        """The workshops a member is registered for (a cancelled one is not), by date."""
        mine = select(registrations.c.workshop_id).where(registrations.c.member_id == member_id)
        return self._rows(self._listing().where(workshops.c.id.in_(mine))
                          .order_by(workshops.c.starts_on, workshops.c.title))

    def workshop(self, workshop_id: str) -> dict[str, Any] | None:
        found = self._rows(self._listing().where(workshops.c.id == workshop_id))
        return found[0] if found else None

    def _rows(self, query: Any) -> list[dict[str, Any]]:
        with reading(self.engine) as conn:
            return [_invited(dict(r._mapping)) for r in conn.execute(query)]

    def registered_ids(self, workshop_id: str) -> list[str]:
        with reading(self.engine) as conn:
            return list(conn.scalars(select(registrations.c.member_id)
                                     .where(registrations.c.workshop_id == workshop_id)
                                     .order_by(registrations.c.registered_on,
                                               registrations.c.member_id)))

    def attendee_ids(self, workshop_id: str) -> list[str]:
        with reading(self.engine) as conn:
            return list(conn.scalars(select(attendance.c.member_id)
                                     .where(attendance.c.workshop_id == workshop_id)
                                     .order_by(attendance.c.member_id)))

    def registered_for(self, member_id: str) -> set[str]:
        """The workshops this member is registered for."""
        with reading(self.engine) as conn:
            return set(conn.scalars(select(registrations.c.workshop_id)
                                    .where(registrations.c.member_id == member_id)))

    def materials(self, workshop_id: str) -> list[dict[str, Any]]:
        return self._rows(select(materials).where(materials.c.workshop_id == workshop_id)
                          .order_by(materials.c.attached_on, materials.c.title))

    def material(self, workshop_id: str, document_id: str) -> dict[str, Any] | None:
        found = self._rows(select(materials).where(materials.c.workshop_id == workshop_id,
                                                   materials.c.document_id == document_id))
        return found[0] if found else None

    def meeting_days(self) -> dict[str, str]:
        """Team id → the weekday its MDT meets, for the teams that said."""
        with reading(self.engine) as conn:
            return dict(conn.execute(select(meeting_days.c.team_id, meeting_days.c.day))
                        .tuples().all())


def _invited(row: dict[str, Any]) -> dict[str, Any]:
    """The stored "nurse lead" string as a list of role values (materials have none)."""
    if "roles" in row:
        row["roles"] = row["roles"].split()
    return row


def people_of(views: Any, workshop_id: str) -> dict[str, list[dict[str, Any]]]:
    """The members registered for and attending a workshop, from the directory
    (name, role, team), each list by name."""
    registered = views.workshops.registered_ids(workshop_id)
    came = views.workshops.attendee_ids(workshop_id)
    found = views.directory.members_by_id(sorted(set(registered) | set(came)))

    def named(ids: list[str]) -> list[dict[str, Any]]:
        return sorted((found[i] for i in ids if i in found), key=lambda m: (m["name"], m["id"]))

    return {"registered": named(registered), "attended": named(came)}


def turnout_by(people: dict[str, list[dict[str, Any]]], key: str) -> list[dict[str, Any]]:
    """Registered and attended counts per ``role`` or ``team``, most attended first."""
    rows: dict[str, dict[str, Any]] = {}
    for what in ("registered", "attended"):
        for member in people[what]:
            group = member.get(key) or ("Organisers" if key == "team" else "")
            row = rows.setdefault(group, {key: group, "registered": 0, "attended": 0})
            row[what] += 1
    return sorted(rows.values(), key=lambda r: (-r["attended"], -r["registered"], r[key]))
