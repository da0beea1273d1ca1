"""The network directory: who is in which team, in which role, with what expertise."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, singledispatchmethod
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)

from domain.member import Member
from domain.programme import Programme
from domain.team import Team
from projections.full_text import PERSON, text_query
from projections.paging import total_of
from projections.reading import reading
from projections.view import View, Writer, as_id

metadata = MetaData()
indicators = Table(
    "directory_indicators", metadata,
    Column("key", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("national", Float),
    Column("standard", Float),
    Column("position", Integer, nullable=False),
)
teams = Table(
    "directory_teams", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False, index=True),
    Column("trust", String(200), nullable=False),
    Column("region", String(80), nullable=False, index=True),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("caseload", Integer, nullable=False),
    Column("latest_audit_year", Integer),
)
audits = Table(
    "directory_audits", metadata,
    Column("team_id", String(36), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("indicator", String(40), primary_key=True),
    Column("value", Float, nullable=False),
)
members = Table(
    "directory_members", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(120), nullable=False, index=True),
    Column("email", String(254), nullable=False),
    Column("role", String(40), nullable=False, index=True),
    Column("team_id", String(36), index=True),
    # Tags kept as ",a,b," so one LIKE finds a whole tag.
    Column("expertise", Text, nullable=False, default=""),
    Column("consents_to_contact", Boolean, nullable=False),
    Column("is_organiser", Boolean, nullable=False),
    Column("can_log_in", Boolean, nullable=False),
    # The profile a member edits; clinic days and channels kept as ",a,b," like tags.
    Column("help_with", Text, nullable=False, default=""),
    Column("clinic_days", String(60), nullable=False, default=""),
    Column("contact_channels", String(60), nullable=False, default=""),
    Column("phone", String(30), nullable=False, default=""),
    # The member aggregate's version after its latest event, for the optimistic
    # concurrency of profile edits: every Member event's handler sets it.
    Column("version", Integer, nullable=False, default=1),
)


def _tags(expertise: list[str]) -> str:
    return "," + ",".join(expertise) + "," if expertise else ""


# Statements built once (see Writer).
UPDATE_INDICATOR = update(indicators).where(indicators.c.key == bindparam("k")).values(
    name=bindparam("name"), national=bindparam("national"), standard=bindparam("standard"))
COUNT_INDICATORS = select(func.count()).select_from(indicators)
# Members' names by id, built once (on every plan page and many more): built per
# call, its cache key cost more than the read.
NAMES = select(members.c.id, members.c.name).where(
    members.c.id.in_(bindparam("ids", expanding=True)))
INSERT_INDICATOR = indicators.insert()
INSERT_TEAM = teams.insert()
DELETE_AUDIT_YEAR = audits.delete().where(and_(audits.c.team_id == bindparam("t"),
                                               audits.c.year == bindparam("y")))
INSERT_AUDIT = audits.insert()
LATEST_AUDIT_YEAR = update(teams).where(teams.c.id == bindparam("t")).values(
    latest_audit_year=case(
        (or_(teams.c.latest_audit_year.is_(None), teams.c.latest_audit_year < bindparam("y")),
         bindparam("y")), else_=teams.c.latest_audit_year))
INSERT_MEMBER = members.insert()
ALLOW_LOGIN = update(members).where(members.c.id == bindparam("m")).values(
    can_log_in=True, version=bindparam("v"))
UPDATE_PROFILE = update(members).where(members.c.id == bindparam("m")).values(
    role=bindparam("role"), expertise=bindparam("expertise"),
    consents_to_contact=bindparam("consents"), help_with=bindparam("help_with"),
    clinic_days=bindparam("clinic_days"), contact_channels=bindparam("channels"),
    phone=bindparam("phone"), version=bindparam("v"))
SET_MEMBER_VERSION = update(members).where(members.c.id == bindparam("m")).values(
    version=bindparam("v"))


class Directory(View):
    name = "directory"
    metadata = metadata

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        # (team id, year) → results, held while a page is applied (see _write_audits).
        self._audits: dict[tuple[str, int], dict[str, Any]] = {}

    def apply_all(self, conn: Connection, page: Iterable[tuple[int, Any]],
                  after: int | None = None) -> None:
        page = list(page)
        self._audits = {}
        super().apply_all(conn, page, after)
        self._write_audits(conn)

    def _write_audits(self, conn: Connection) -> None:
        """The page's audits, each team's year replaced whole, in three statements
        (each executed for many rows): a delete, then an update per audit, between
        the held inserts, made a page one round trip per audit and forced out every
        other held row of these tables. Nothing in the page reads the audits, so
        writing them once the page's other rows are in changes nothing seen."""
        audited, self._audits = self._audits, {}
        if not audited:
            return
        conn.execute(DELETE_AUDIT_YEAR, [{"t": t, "y": y} for t, y in audited])
        rows = [{"team_id": t, "year": y, "indicator": key, "value": value}
                for (t, y), results in audited.items() for key, value in results.items()]
        if rows:
            conn.execute(INSERT_AUDIT, rows)
        conn.execute(LATEST_AUDIT_YEAR, [{"t": t, "y": y} for t, y in audited])

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Programme.IndicatorDefined)
    def indicator_defined(self, event: Any, w: Writer, _: int) -> None:
        row = {"name": event.name, "national": event.national, "standard": event.standard}
        if not w.execute(UPDATE_INDICATOR, {"k": event.key, **row}).rowcount:
            position = w.execute(COUNT_INDICATORS).scalar()
            w.insert(INSERT_INDICATOR, {"key": event.key, "position": position, **row})

    @apply.register(Team.Registered)
    def team_registered(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_TEAM, {
            "id": str(event.originator_id), "name": event.name, "trust": event.trust,
            "region": event.region, "latitude": event.latitude, "longitude": event.longitude,
            "caseload": event.caseload, "latest_audit_year": None})

    @apply.register(Team.AuditRecorded)
    def audit_recorded(self, event: Any, w: Writer, _: int) -> None:
        # Held until the page's end (see _write_audits); a later audit of the same
        # year replaces an earlier one, as the delete did.
        key = (str(event.originator_id), event.year)
        self._audits.pop(key, None)
        self._audits[key] = dict(event.results)

    @apply.register(Member.Joined)
    def member_joined(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_MEMBER, {
            "id": str(event.originator_id), "name": event.name, "email": event.email,
            "role": event.role.value, "team_id": as_id(event.team_id),
            "expertise": _tags(event.expertise), "consents_to_contact": event.consents_to_contact,
            "is_organiser": event.is_organiser, "can_log_in": bool(event.password_hash),
            **_profile(event), "version": event.originator_version})

    @apply.register(Member.PasswordSet)
    def password_set(self, event: Any, w: Writer, _: int) -> None:
        w.execute(ALLOW_LOGIN, {"m": str(event.originator_id), "v": event.originator_version})

    @apply.register(Member.ProfileUpdated)
    def profile_updated(self, event: Any, w: Writer, _: int) -> None:
        profile = _profile(event)
        w.execute(UPDATE_PROFILE, {"m": str(event.originator_id), "role": event.role.value,
                                   "expertise": _tags(event.expertise),
                                   "consents": event.consents_to_contact,
                                   "help_with": profile["help_with"],
                                   "clinic_days": profile["clinic_days"],
                                   "channels": profile["contact_channels"],
                                   "phone": profile["phone"], "v": event.originator_version})

    @apply.register(Member.Event)
    def member_changed(self, event: Any, w: Writer, _: int) -> None:
        """Any other member event: the row shows nothing of it but the new version."""
        w.execute(SET_MEMBER_VERSION, {"m": str(event.originator_id),
                                       "v": event.originator_version})

    # --- queries ---------------------------------------------------------------

    def indicators(self) -> list[dict[str, Any]]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(indicators).order_by(indicators.c.position))
            return [dict(r._mapping) for r in rows]

    def _team_query(self) -> Select[Any]:
        """Teams with their member counts, counted when asked (cheap, and it keeps
        joining a member to a single insert when the view is built). Counted per team
        through the team_id index: a grouped subquery counted all 3,000 members for
        one team's row on every home and team page (issue 14)."""
        count = (select(func.count()).select_from(members)
                 .where(members.c.team_id == teams.c.id).scalar_subquery())
        return select(teams, count.label("member_count"))

    def teams(self) -> list[dict[str, Any]]:
        with reading(self.engine) as conn:
            rows = conn.execute(self._team_query().order_by(teams.c.name)).all()
            results = self._latest_results(conn)
        return [{**r._mapping, "latest_audit": results.get(r.id, {})} for r in rows]

    def team_options(self) -> list[tuple[str, str]]:
        """(id, name) of every team, by name: for filter menus."""
        with reading(self.engine) as conn:
            return [tuple(r) for r in conn.execute(select(teams.c.id, teams.c.name)
                                                   .order_by(teams.c.name))]

    def team(self, team_id: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            row = conn.execute(self._team_query().where(teams.c.id == team_id)).first()
            if row is None:
                return None
            history: dict[int, dict[str, float]] = {}
            for a in conn.execute(select(audits).where(audits.c.team_id == team_id)):
                history.setdefault(a.year, {})[a.indicator] = a.value
        return {**row._mapping, "audits": dict(sorted(history.items())),
                "latest_audit": history.get(row.latest_audit_year, {})}

    def _latest_results(self, conn: Connection) -> dict[str, dict[str, float]]:
        query = select(audits.c.team_id, audits.c.indicator, audits.c.value).join(
            teams, and_(teams.c.id == audits.c.team_id, teams.c.latest_audit_year == audits.c.year))
        latest: dict[str, dict[str, float]] = {}
        for team_id, key, value in conn.execute(query):
            latest.setdefault(team_id, {})[key] = value
        return latest

    @staticmethod
    def _member_query() -> Select[Any]:
        return select(members, teams.c.name.label("team"), teams.c.trust,
                      teams.c.region).outerjoin(teams, teams.c.id == members.c.team_id)

    def member(self, member_id: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            row = conn.execute(_member_by_id(), {"member_id": member_id}).first()
        return _member(row) if row else None

    def members(self, *, role: str | None = None, team_id: str | None = None,
                region: str | None = None, q: str | None = None,
                limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """One page of members matching every filter given, and the total count."""
        conditions = []
        if role:
            conditions.append(members.c.role == role)
        if team_id:
            conditions.append(members.c.team_id == team_id)
        if region:
            conditions.append(members.c.team_id.in_(select(teams.c.id)
                                                    .where(teams.c.region == region)))
        if text := text_query(self.engine, q):
            # The search view's full-text index (projections/full_text.py): each word,
            # or the start of one ("nur"), in the person's name, role, expertise or
            # what they help with, or their team's name, trust or region. Still in
            # name order: people scan a directory by name.
            conditions.append(text.where_all(PERSON, members.c.id, members.c.team_id))
        # Counted and paged over the members alone, and only the page's joined to their
        # teams: SQLite looked up the team of each of the 2,997 people "mdt" finds, for
        # the count and again for the page, 14 ms in all (issue 14).
        counted = select(func.count()).select_from(members).where(*conditions)
        by_name = (members.c.name, members.c.id)
        ids = (select(members.c.id).where(*conditions).order_by(*by_name)
               .limit(limit).offset(offset).subquery())
        page = self._member_query().join(ids, ids.c.id == members.c.id).order_by(*by_name)
        with reading(self.engine) as conn:
            rows = conn.execute(page).all()
            total = total_of(rows, limit, offset, lambda: conn.scalar(counted))
        return [_member(r) for r in rows], total

    def names(self, member_ids: set[str]) -> dict[str, str]:
        if not member_ids:
            return {}
        with reading(self.engine) as conn:
            return dict(conn.execute(NAMES, {"ids": list(member_ids)}).tuples().all())

    def all_names(self) -> list[tuple[str, str]]:
        """(id, name) of every member, for finding who an @mention names."""
        with reading(self.engine) as conn:
            return list(conn.execute(select(members.c.id, members.c.name)
                                     .order_by(members.c.name, members.c.id)).tuples())

    def team_member_ids(self, team_id: str) -> list[str]:
        """The ids of every member of a team (for "the workshops this team attended":
        ``views.network.workshops_of(views.directory.team_member_ids(team_id))``)."""
        with reading(self.engine) as conn:
            return list(conn.scalars(select(members.c.id).where(members.c.team_id == team_id)
                                     .order_by(members.c.id)))

    def team_names(self, team_ids: set[str] | list[str]) -> dict[str, str]:
        """Team id → name, for the teams named (a pairing's partner teams, say)."""
        if not team_ids:
            return {}
        with reading(self.engine) as conn:
            return dict(conn.execute(select(teams.c.id, teams.c.name)
                                     .where(teams.c.id.in_(list(team_ids)))).tuples().all())

    def contactable_members(self) -> list[tuple[str, str, str, str, list[str]]]:
        """(id, name, role, team id, expertise) of every member of a team who agreed
        to be contacted: the people a finder may suggest. Only what ranking needs,
        as plain tuples: at 3,000 members whole rows cost more than the ranking."""
        query = (select(members.c.id, members.c.name, members.c.role, members.c.team_id,
                        members.c.expertise)
                 .where(members.c.consents_to_contact.is_(True),
                        members.c.is_organiser.is_(False), members.c.team_id.is_not(None)))
        with reading(self.engine) as conn:
            return [(i, n, r, t, [tag for tag in e.split(",") if tag])
                    for i, n, r, t, e in conn.execute(query)]

    def members_by_id(self, member_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not member_ids:
            return {}
        with reading(self.engine) as conn:
            rows = conn.execute(self._member_query().where(members.c.id.in_(member_ids)))
            return {r.id: _member(r) for r in rows}

    def regions(self) -> list[str]:
        with reading(self.engine) as conn:
            return list(conn.scalars(select(teams.c.region).distinct().order_by(teams.c.region)))


@cache
def _member_by_id() -> Select[Any]:
    """``Directory.member``'s statement, built once: every request reads the person
    logged in, and most pages read a few more (issue 14)."""
    return Directory._member_query().where(members.c.id == bindparam("member_id"))


def _member(row: Any) -> dict[str, Any]:
    found = dict(row._mapping)
    for listed in ("expertise", "clinic_days", "contact_channels"):
        found[listed] = [t for t in (found.get(listed) or "").split(",") if t]
    return found


def _profile(event: Any) -> dict[str, Any]:
    """The profile fields of a Joined or ProfileUpdated event, as the row keeps them
    (an event recorded before the fields existed has their defaults)."""
    channels = getattr(event, "contact_channels", None) or []
    return {"help_with": getattr(event, "help_with", "") or "",
            "clinic_days": _tags(getattr(event, "clinic_days", None) or []),
            "contact_channels": _tags([c.value for c in channels]),
            "phone": getattr(event, "phone", "") or ""}
