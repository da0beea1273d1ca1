"""Members and teams: the programme and its indicators, registering teams and their
audits, the weekday a team's MDT meets, joining (with the e-mail index that finds a
member by address: domain/ids.py), passwords and profiles.

Invitation links (community/invitations.py) end in ``set_password`` here.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Recording

from community.commands import Commands, Id
from community.passwords import hash_password, password_matches
from config import Settings
from domain.errors import Conflict, NotAllowed, NotFound
from domain.ids import PROGRAMME_ID, EmailIndexEntry, email_index_id, team_id_for
from domain.member import KEEP, Member
from domain.programme import Programme
from domain.team import Team
from domain.values import ContactChannel, Role

# Without a configured secret (tests, a throwaway store) the index is keyed by this;
# `Settings.from_environment` always has the instance's own secret.
UNSET_SECRET = "dev-only-not-secret"


def email_index_id_in(settings: Settings, email: str) -> UUID:
    """The index entry's id for an address in the instance with these settings: keyed
    by a key derived from the instance's secret (with its own label, so the key serves
    nothing else). Changing the secret needs `community upgrade` into a new store."""
    secret = (settings.secret_key or UNSET_SECRET).encode("utf-8")
    key = hmac.new(secret, b"clinical-community member e-mail index", hashlib.sha256).digest()
    return email_index_id(key, email)


class MemberCommands(Commands):
    """Commands on the programme, teams and members."""

    # --- the e-mail index -------------------------------------------------------------

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Every newly joined member is saved with its e-mail index entry, in the same
        transaction, whoever saves it (a command, an import, the synthetic community):
        no member without an entry, and a second member with the same address clashes
        on the entry's id, a conflict."""
        entries = [EmailIndexEntry.claim(entry_id=self.email_index_id(obj.email),
                                         member_id=obj.id)
                   for obj in objs if isinstance(obj, Member) and obj.pending_events
                   and obj.pending_events[0].originator_version == Member.INITIAL_VERSION]
        return super().save(*objs, *entries, **kwargs)

    def email_index_id(self, email: str) -> UUID:
        return email_index_id_in(self.settings, email)

    def member_id_by_email(self, email: str) -> UUID | None:
        """The id of the member with this address, or None."""
        if not isinstance(email, str) or not email.strip():
            return None
        try:
            entry: object = self.repository.get(self.email_index_id(email))
        except AggregateNotFoundError:
            return None
        return entry.member_id if isinstance(entry, EmailIndexEntry) else None

    def member_by_email(self, email: str) -> Member:
        """The member with this address, else NotFound."""
        member_id = self.member_id_by_email(email)
        if member_id is None:
            raise NotFound("no member has this e-mail address")
        return self.member(member_id)

    # --- programme and teams --------------------------------------------------------

    def programme(self) -> Programme:
        return self._get(Programme, PROGRAMME_ID, "programme")

    def has_programme(self) -> bool:
        return PROGRAMME_ID in self.repository

    def start_programme(self, *, name: str, funding_ends_on: date,
                        indicators: Sequence[Mapping[str, Any]] = (),
                        by: UUID | None = None) -> UUID:
        self._organiser(by)
        if self.has_programme():
            raise Conflict("the programme has already been started")
        programme = Programme.start(name=name, funding_ends_on=funding_ends_on)
        for indicator in indicators:
            programme.define_indicator(**indicator)
        self.save(programme)
        return programme.id

    def define_indicator(self, *, by: UUID | None = None, **indicator: Any) -> None:
        """``indicator``: as ``Programme.define_indicator`` takes it (key, name, …)."""
        self._organiser(by)
        programme = self.programme()
        programme.define_indicator(**indicator)
        self.save(programme)

    def register_team(self, *, name: str, trust: str, region: str, latitude: float,
                      longitude: float, caseload: int, by: UUID | None = None) -> UUID:
        self._organiser(by)
        team = Team.register(name=name, trust=trust, region=region, latitude=latitude,
                              longitude=longitude, caseload=caseload)
        if team.id in self.repository:
            raise Conflict(f"a team named {team.name!r} is already registered")
        self.save(team)
        return team.id

    def team_id_named(self, name: str) -> UUID:
        return team_id_for(name)

    def record_audit(self, team_id: Id, *, year: int, results: Mapping[str, float | None],
                     by: UUID | None = None) -> None:
        self._organiser(by)
        team = self.team(team_id)
        team.record_audit(year=year, results=results, indicators=self.programme().indicators)
        self.save(team)

    def set_meeting_day(self, team_id: Id, *, by: UUID | None, day: str) -> None:
        """The weekday a team's MDT meets ("monday" … "friday", "" for not known):
        said by one of its members or an organiser."""
        team = self.team(team_id)
        self._in_teams(by, (team.id,), "only the team's own members can say when its MDT meets")
        team.set_meeting_day(day)
        self.save(team)

    # --- members ----------------------------------------------------------------------

    def join(self, *, email: str, name: str, role: Role, team_id: Id | None = None,
             expertise: Sequence[str] = (), consents_to_contact: bool = True,
             password: str | None = None, is_organiser: bool = False,
             by: UUID | None = None, member_id: UUID | None = None) -> UUID:
        """``member_id``: the new member's id when the caller draws it (the demo, from
        its own random stream); else a random one."""
        self._organiser(by)
        team_uuid = self.team(team_id).id if team_id not in (None, "") else None
        member = Member.join(email=email, name=name, role=role, team_id=team_uuid,
                             expertise=expertise, consents_to_contact=consents_to_contact,
                             password_hash=hash_password(password) if password else None,
                             is_organiser=is_organiser, member_id=member_id)
        if self.member_id_by_email(member.email) is not None or member.id in self.repository:
            raise Conflict(f"{member.email} is already a member")
        self.save(member)
        return member.id

    def set_password(self, member_id: Id, password: str, *,
                     version: int | None = None) -> None:
        """``version``: the member's version the caller saw (an invitation link's), so a
        link used twice at once sets the password only once."""
        member = self.member(member_id)
        self._check_version(member, version)
        member.set_password(hash_password(password))
        self.save(member)

    def authenticate(self, email: str, password: str) -> Member | None:
        """The member with this e-mail and password, or None: never says which was wrong."""
        if not isinstance(email, str) or not isinstance(password, str) or not email.strip():
            return None
        try:
            member = self.member_by_email(email)
        except NotFound:
            password_matches(None, password)  # as long as a known e-mail takes
            return None
        # A member forgotten by another process may still be in this one's aggregate
        # cache with their password hash; the key store knows within its reload time.
        keys = getattr(self.mapper, "keys", None)
        if keys is not None and keys.is_forgotten(member.id):
            password_matches(None, password)
            return None
        return member if password_matches(member.password_hash, password) else None

    def update_profile(self, member_id: Id, *, by: UUID | None, version: int | None = None,
                       role: Role = KEEP, expertise: Sequence[str] = KEEP,
                       consents_to_contact: bool = KEEP, help_with: str = KEEP,
                       clinic_days: Sequence[str] = KEEP,
                       contact_channels: Sequence[ContactChannel] = KEEP,
                       phone: str = KEEP) -> None:
        """Change a member's own profile; a field not given (``KEEP``) stays as it was.
        ``clinic_days``: weekdays, "monday" … "friday"."""
        member = self.member(member_id)
        if by is not None and by != member.id:
            raise NotAllowed("you can change only your own profile")
        self._check_version(member, version)
        member.update_profile(role=role, expertise=expertise,
                              consents_to_contact=consents_to_contact, help_with=help_with,
                              clinic_days=clinic_days, contact_channels=contact_channels,
                              phone=phone)
        self.save(member)
