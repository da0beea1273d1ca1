"""The facts the momentum job judges, read from the views' tables as of a date.

Not a view of its own: it records nothing, it only joins what the library,
sustainability, follow-up, network and directory views already hold.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, and_, func, or_, select

from domain.momentum import QuietQip, QuietTeam, WaitingRequest
from domain.values import QipStatus, Role
from projections.directory import members, teams
from projections.follow_ups import follow_ups
from projections.library import progress, qips
from projections.network import pairings
from projections.reading import reading
from projections.sustainability import participants


def quiet_qips(engine: Engine, as_of: date) -> list[QuietQip]:
    """Active QIPs with the day their last value was recorded (or they were shared)."""
    last = (select(progress.c.qip_id, func.max(progress.c.recorded_on).label("last_on"))
            .where(progress.c.recorded_on <= as_of).group_by(progress.c.qip_id).subquery())
    query = (select(qips.c.id, qips.c.title, qips.c.owner_id, qips.c.shared_on, last.c.last_on,
                    members.c.name.label("owner_name"), teams.c.name.label("team_name"))
             .outerjoin(last, last.c.qip_id == qips.c.id)
             .join(members, members.c.id == qips.c.owner_id)
             .join(teams, teams.c.id == qips.c.team_id)
             .where(qips.c.status == QipStatus.ACTIVE.value, qips.c.shared_on <= as_of))
    with reading(engine) as conn:
        return [QuietQip(r.id, r.title, r.owner_id, r.owner_name, r.team_name,
                         max(d for d in (r.last_on, r.shared_on) if d is not None))
                for r in conn.execute(query)]


def _contacts(engine: Engine) -> dict[str, tuple[str, str]]:
    """Each team's person to write to: its clinical lead, else its first member by name."""
    found: dict[str, tuple[str, str]] = {}
    query = (select(members.c.team_id, members.c.id, members.c.name, members.c.role)
             .where(members.c.team_id.is_not(None))
             .order_by(members.c.team_id, members.c.role != Role.CLINICAL_LEAD.value,
                       members.c.name, members.c.id))
    with reading(engine) as conn:
        for team_id, member_id, name, _ in conn.execute(query):
            found.setdefault(team_id, (member_id, name))
    return found


def team_last_active(engine: Engine, as_of: date) -> list[tuple[str, str, date]]:
    """(team id, name, day of its last activity up to ``as_of``) for each team with
    members that was active once, by the team each fact counts for.

    One index seek per team (``sustainability_participants_by_team``): grouping
    every fact of the log by team took two thirds of the organisers' home page on
    the national community (issue 14)."""
    last = (select(func.max(participants.c.happened_on))
            .where(participants.c.team_id == teams.c.id, participants.c.happened_on <= as_of)
            .scalar_subquery())
    has_members = select(members.c.id).where(members.c.team_id == teams.c.id).exists()
    query = select(teams.c.id, teams.c.name, last).where(has_members)
    with reading(engine) as conn:
        return [(team_id, name, last_on) for team_id, name, last_on in conn.execute(query)
                if last_on is not None]


def quiet_teams(engine: Engine, as_of: date) -> list[QuietTeam]:
    """Teams that were active once, with the day of their last activity."""
    contacts = _contacts(engine)
    return [QuietTeam(team_id, name, *contacts[team_id], last_on)
            for team_id, name, last_on in team_last_active(engine, as_of)
            if team_id in contacts]


def waiting_requests(engine: Engine, as_of: date) -> list[WaitingRequest]:
    """Follow-ups asked of a team, unanswered and open as of the date."""
    waiting = and_(follow_ups.c.team_id.is_not(None), follow_ups.c.requested_on <= as_of,
                   or_(follow_ups.c.first_answered_on.is_(None),
                       follow_ups.c.first_answered_on > as_of),
                   or_(follow_ups.c.closed_on.is_(None), follow_ups.c.closed_on > as_of))
    query = (select(follow_ups.c.id, follow_ups.c.kind, follow_ups.c.requested_on,
                    follow_ups.c.team_id, members.c.name, members.c.team_id.label("from_team"))
             .join(members, members.c.id == follow_ups.c.requested_by).where(waiting))
    contacts = _contacts(engine)
    with reading(engine) as conn:
        names = dict(conn.execute(select(teams.c.id, teams.c.name)).tuples().all())
        paired = {frozenset(p) for p in conn.execute(
            select(pairings.c.first_team_id, pairings.c.second_team_id)
            .where(pairings.c.paired_on <= as_of))}
        rows = conn.execute(query).all()
    return [WaitingRequest(r.id, r.kind, r.requested_on, r.name,
                           names.get(r.from_team, "the organisers"), names[r.team_id],
                           *contacts[r.team_id], frozenset((r.from_team, r.team_id)) in paired)
            for r in rows if r.team_id in names and r.team_id in contacts]
