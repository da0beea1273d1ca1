"""The network's ties: contacts between members, who attended which workshop,
and which teams were paired for peer review."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    case,
    func,
    or_,
    select,
    union,
)

from domain.contact import Contact
from domain.counterparts import History
from domain.pairing import Pairing
from domain.workshop import Workshop
from projections.paging import total_of
from projections.reading import reading, rows_of
from projections.view import View, Writer

metadata = MetaData()
contacts = Table(
    "network_contacts", metadata,
    Column("id", String(36), primary_key=True),
    Column("from_member_id", String(36), nullable=False, index=True),
    Column("to_member_id", String(36), nullable=False, index=True),
    Column("topic", String(200), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("facilitated", Boolean, nullable=False),
    Column("made_on", Date, nullable=False),
)
workshops = Table(
    "network_workshops", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("held_on", Date, nullable=False),
)
attendance = Table(
    "network_attendance", metadata,
    Column("workshop_id", String(36), primary_key=True),
    Column("member_id", String(36), primary_key=True, index=True),
)
pairings = Table(
    "network_pairings", metadata,
    Column("id", String(36), primary_key=True),
    Column("round", Integer, nullable=False),
    Column("first_team_id", String(36), nullable=False, index=True),
    Column("second_team_id", String(36), nullable=False, index=True),
    Column("paired_on", Date, nullable=False),
)

INSERT_CONTACT = contacts.insert()
INSERT_WORKSHOP = workshops.insert()
INSERT_ATTENDANCE = attendance.insert()
INSERT_PAIRING = pairings.insert()

# A member's past as the counterpart ranking reads it (Network.history_of).
CONTACTED = union(select(contacts.c.to_member_id).where(contacts.c.from_member_id == bindparam("m")),
                  select(contacts.c.from_member_id).where(contacts.c.to_member_id == bindparam("m")))
PARTNER_TEAMS = (select(case((pairings.c.first_team_id == bindparam("t"), pairings.c.second_team_id),
                             else_=pairings.c.first_team_id))
                 .where(or_(pairings.c.first_team_id == bindparam("t"),
                            pairings.c.second_team_id == bindparam("t"))))
_together = attendance.alias("together")
MET_AT_WORKSHOPS = (select(attendance.c.member_id, workshops.c.title, workshops.c.held_on)
                    .join(workshops, workshops.c.id == attendance.c.workshop_id)
                    .where(attendance.c.workshop_id.in_(select(_together.c.workshop_id)
                                                        .where(_together.c.member_id == bindparam("m"))),
                           attendance.c.member_id != bindparam("m"))
                    .order_by(workshops.c.held_on))


class Network(View):
    name = "network"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Contact.Made)
    def contact_made(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_CONTACT, {
            "id": str(event.originator_id), "from_member_id": str(event.from_member_id),
            "to_member_id": str(event.to_member_id), "topic": event.topic,
            "channel": event.channel.value, "facilitated": event.facilitated,
            "made_on": event.made_on})

    @apply.register(Workshop.Held)
    @apply.register(Workshop.AttendanceRecorded)  # a planned event, once held
    def workshop_held(self, event: Any, w: Writer, _: int) -> None:
        workshop_id = str(event.originator_id)
        w.insert(INSERT_WORKSHOP, {"id": workshop_id, "kind": event.kind.value,
                                   "title": event.title, "held_on": event.held_on})
        for member_id in event.attendee_ids:
            w.insert(INSERT_ATTENDANCE, {"workshop_id": workshop_id, "member_id": str(member_id)})

    @apply.register(Pairing.Made)
    def pairing_made(self, event: Any, w: Writer, _: int) -> None:
        first, second = (str(t) for t in event.team_ids)
        w.insert(INSERT_PAIRING, {"id": str(event.originator_id), "round": event.round,
                                  "first_team_id": first, "second_team_id": second,
                                  "paired_on": event.paired_on})

    # --- queries -----------------------------------------------------------------

    def contacts_of(self, member_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """A member's contacts either way, newest first."""
        query = (select(contacts).where(or_(contacts.c.from_member_id == member_id,
                                            contacts.c.to_member_id == member_id))
                 .order_by(contacts.c.made_on.desc(), contacts.c.id).limit(limit))
        with reading(self.engine) as conn:
            return rows_of(conn.execute(query))

    def contacts_page(self, member_id: str, *, limit: int, offset: int
                      ) -> tuple[list[dict[str, Any]], int]:
        """One page of a member's contacts either way, newest first, and how many there
        are (issue 13: the history stopped at 200 with no way to the rest)."""
        mine = or_(contacts.c.from_member_id == member_id, contacts.c.to_member_id == member_id)
        query = (select(contacts).where(mine)
                 .order_by(contacts.c.made_on.desc(), contacts.c.id).limit(limit).offset(offset))
        with reading(self.engine) as conn:
            rows = rows_of(conn.execute(query))
            return rows, total_of(rows, limit, offset, lambda: conn.scalar(
                select(func.count()).select_from(contacts).where(mine)))

    def workshops_of(self, member_ids: list[str]) -> list[dict[str, Any]]:
        """Workshops any of these members attended, newest first."""
        if not member_ids:
            return []
        query = (select(workshops, func.count(attendance.c.member_id).label("from_these"))
                 .join(attendance, attendance.c.workshop_id == workshops.c.id)
                 .where(attendance.c.member_id.in_(member_ids))
                 .group_by(*workshops.c).order_by(workshops.c.held_on.desc(), workshops.c.id))
        with reading(self.engine) as conn:
            return rows_of(conn.execute(query))

    def history_of(self, member_id: str, team_id: str) -> History:
        """What the counterpart ranking knows of a member's past: everyone they have been
        in contact with, whoever started it; the teams theirs was paired with; and member
        id → the latest workshop they attended together. Three prepared statements on
        one connection, where a first ranking of each member took four, each building
        its statement and checking a connection out: about a fifth of a first ranking's
        CPU on PostgreSQL (issue 14)."""
        with reading(self.engine) as conn:
            contacted = frozenset(conn.scalars(CONTACTED, {"m": member_id}))
            paired = frozenset(conn.scalars(PARTNER_TEAMS, {"t": team_id}))
            met = {m: f"{title} ({held_on:%B %Y})"
                   for m, title, held_on in conn.execute(MET_AT_WORKSHOPS, {"m": member_id})}
        return History(contacted=contacted, paired_team_ids=paired, workshops_with=met)

    def partners_of(self, team_id: str) -> list[dict[str, Any]]:
        """The teams this team was paired with, latest round first."""
        query = (select(pairings).where(or_(pairings.c.first_team_id == team_id,
                                            pairings.c.second_team_id == team_id))
                 .order_by(pairings.c.round.desc()))
        with reading(self.engine) as conn:
            rows = rows_of(conn.execute(query))
        for row in rows:
            row["partner_team_id"] = (row["second_team_id"] if row["first_team_id"] == team_id
                                      else row["first_team_id"])
        return rows

    def latest_partner_of(self, team_id: str | None) -> str | None:
        """The team this team was paired with in its latest round, if any."""
        partners = self.partners_of(team_id) if team_id else []
        return partners[0]["partner_team_id"] if partners else None

    def paired_in_round(self, round: int) -> set[str]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(pairings.c.first_team_id, pairings.c.second_team_id)
                                .where(pairings.c.round == round)).all()
        return {t for row in rows for t in row}
