"""The Community application: every change to the community goes through here."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder
from sqlalchemy import event as sqlalchemy_event

from community import transcodings
from community.documents import DocumentStore
from community.events import EventCommands
from community.momentum import MomentumCommands
from community.notifications import NotificationCommands
from community.outbox import OutboxCommands
from community.pairing import PairingCommands
from community.passwords import hash_password, password_matches
from community.qip_documents import QipDocumentCommands
from community.self_assessment import SelfAssessmentCommands
from community.versions import check_version as _check_version
from community.visits import VisitCommands
from config import Settings
from domain.contact import Contact
from domain.errors import Conflict, Invalid, NotAllowed, NotFound
from domain.follow_up import FollowUp
from domain.ids import PROGRAMME_ID, member_id_for, team_id_for
from domain.member import KEEP, Member
from domain.pairing import Pairing
from domain.programme import Programme
from domain.qip import Qip
from domain.team import Team
from domain.values import QipStatus
from domain.workshop import Workshop
from projections import Views

logger = logging.getLogger(__name__)

REVIEW_DECISIONS = ("accept", "request_changes")


def persistence_env(database_url: str) -> dict[str, str]:
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return {"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": database_url,
            # The library's aggregate cache: a command loads a QIP with two years of
            # values from memory and reads only the events saved since (fast-forward,
            # so other processes' changes are never missed), instead of replaying its
            # whole history from the database every time.
            "AGGREGATE_CACHE_MAXSIZE": "5000"}


class Community(QipDocumentCommands, SelfAssessmentCommands, PairingCommands, VisitCommands,
                EventCommands, OutboxCommands, MomentumCommands, NotificationCommands,
                Application[UUID]):
    """One method per command. ``by`` is the id of the member giving the command;
    ``None`` means the local operator at the command line, who may do anything.
    Members, teams, contacts, QIPs and follow-ups are here; each newer area's
    commands are a mixin in its own module (community/pairing.py, events.py, …)."""

    name = "community"  # the event table is "community_events"

    def __init__(self, settings: Settings | None = None,
                 today: Callable[[], date] = date.today) -> None:
        self.settings = settings or Settings()
        self.today = today
        super().__init__(env=persistence_env(self.settings.database_url))
        engine = self.recorder.datastore.engine  # type: ignore[attr-defined]
        if engine.dialect.name == "sqlite":
            sqlalchemy_event.listen(engine, "connect", _tune_sqlite)
            engine.dispose()  # so every pooled connection gets the settings
        self.views = Views(engine, self.recorder, self.mapper)
        if outdated := self.views.create_tables():
            # A store made by an older version: those views replay the log now,
            # so no page reads a half-empty view.
            logger.warning("views %s changed shape; replaying the log into them",
                           ", ".join(outdated))
            self.views.catch_up()
        self.documents = DocumentStore(engine)
        self.documents.create_tables()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Append atomically; a clash with a concurrent change becomes a Conflict."""
        try:
            recordings = super().save(*objs, **kwargs)
        except IntegrityError as error:
            raise Conflict("someone else changed this at the same time; reload and try again") from error
        if self.settings.catch_up_after_commands:
            try:
                self.views.catch_up()
            except Exception:
                # The change is saved: failing the command now would invite a
                # retry that records it twice. The views catch up on the next
                # command or `community rebuild`; tests want to see the fault.
                if self.settings.testing:
                    raise
                logger.exception("views could not catch up after a saved change")
        return recordings

    def close(self) -> None:
        super().close()
        self.recorder.datastore.engine.dispose()  # type: ignore[attr-defined]

    # --- loading, with not-found in the domain's own words ----------------

    def _get(self, kind: type, aggregate_id: object, what: str) -> Any:
        try:
            found = self.repository.get(aggregate_id if isinstance(aggregate_id, UUID)
                                        else UUID(str(aggregate_id)))
        except (AggregateNotFoundError, ValueError):
            raise NotFound(f"no such {what}") from None
        if not isinstance(found, kind):
            raise NotFound(f"no such {what}")
        return found

    def member(self, member_id: object) -> Member:
        return self._get(Member, member_id, "member")

    def team(self, team_id: object) -> Team:
        return self._get(Team, team_id, "team")

    def qip(self, qip_id: object) -> Qip:
        return self._get(Qip, qip_id, "QIP")

    def follow_up(self, follow_up_id: object) -> FollowUp:
        return self._get(FollowUp, follow_up_id, "follow-up")

    def programme(self) -> Programme:
        return self._get(Programme, PROGRAMME_ID, "programme")

    def has_programme(self) -> bool:
        return PROGRAMME_ID in self.repository

    def _organiser(self, by: UUID | None) -> None:
        if by is not None and not self.member(by).is_organiser:
            raise NotAllowed("only organisers can do this")

    def _in_teams(self, by: UUID | None, team_ids: tuple[UUID, ...], refusal: str) -> None:
        """Members of these teams, and organisers, may; anyone else is refused."""
        if by is None:
            return
        member = self.member(by)
        if not member.is_organiser and member.team_id not in team_ids:
            raise NotAllowed(refusal)

    # --- programme and teams -------------------------------------------------

    def start_programme(self, *, name: str, funding_ends_on: object,
                        indicators: list[Mapping[str, Any]] = (), by: UUID | None = None) -> UUID:
        self._organiser(by)
        if self.has_programme():
            raise Conflict("the programme has already been started")
        programme = Programme.start(name=name, funding_ends_on=funding_ends_on)
        for indicator in indicators:
            programme.define_indicator(**indicator)
        self.save(programme)
        return programme.id

    def define_indicator(self, *, by: UUID | None = None, **indicator: Any) -> None:
        self._organiser(by)
        programme = self.programme()
        programme.define_indicator(**indicator)
        self.save(programme)

    def register_team(self, *, by: UUID | None = None, **details: Any) -> UUID:
        self._organiser(by)
        team = Team.register(**details)
        if team.id in self.repository:
            raise Conflict(f"a team named {team.name!r} is already registered")
        self.save(team)
        return team.id

    def team_id_named(self, name: str) -> UUID:
        return team_id_for(name)

    def record_audit(self, team_id: object, *, year: object, results: Mapping[str, object],
                     by: UUID | None = None) -> None:
        self._organiser(by)
        team = self.team(team_id)
        team.record_audit(year=year, results=results, indicators=self.programme().indicators)
        self.save(team)

    # --- members -----------------------------------------------------------------

    def join(self, *, email: str, name: str, role: object, team_id: object = None,
             expertise: object = (), consents_to_contact: bool = True,
             password: str | None = None, is_organiser: bool = False,
             by: UUID | None = None) -> UUID:
        self._organiser(by)
        team_uuid = self.team(team_id).id if team_id not in (None, "") else None
        member = Member.join(email=email, name=name, role=role, team_id=team_uuid,
                             expertise=expertise, consents_to_contact=consents_to_contact,
                             password_hash=hash_password(password) if password else None,
                             is_organiser=is_organiser)
        if member.id in self.repository:
            raise Conflict(f"{member.email} is already a member")
        self.save(member)
        return member.id

    def set_password(self, member_id: object, password: str, *,
                     version: int | None = None) -> None:
        """``version``: the member's version the caller saw (an invitation link's), so a
        link used twice at once sets the password only once."""
        member = self.member(member_id)
        _check_version(member, version)
        member.set_password(hash_password(password))
        self.save(member)

    def authenticate(self, email: str, password: str) -> Member | None:
        """The member with this e-mail and password, or None: never says which was wrong."""
        if not isinstance(email, str) or not isinstance(password, str) or not email.strip():
            return None
        try:
            member = self.member(member_id_for(email))
        except NotFound:
            return None
        return member if password_matches(member.password_hash, password) else None

    def update_profile(self, member_id: object, *, by: UUID | None, version: int | None = None,
                       role: object = KEEP, expertise: object = KEEP,
                       consents_to_contact: object = KEEP, help_with: object = KEEP,
                       clinic_days: object = KEEP, contact_channels: object = KEEP,
                       phone: object = KEEP) -> None:
        """Change a member's own profile; a field not given stays as it was."""
        member = self.member(member_id)
        if by is not None and by != member.id:
            raise NotAllowed("you can change only your own profile")
        _check_version(member, version)
        member.update_profile(role=role, expertise=expertise,
                              consents_to_contact=consents_to_contact, help_with=help_with,
                              clinic_days=clinic_days, contact_channels=contact_channels,
                              phone=phone)
        self.save(member)

    # --- activity ----------------------------------------------------------------

    def hold_workshop(self, *, by: UUID | None, kind: object, title: str, held_on: object,
                      attendee_ids: list[object] = ()) -> UUID:
        self._organiser(by)
        attendees = [self._existing(Member, a, "attendee_ids", "member").id
                     for a in attendee_ids]
        workshop = Workshop.hold(kind=kind, title=title, held_on=held_on,
                                 attendee_ids=attendees, organiser_id=by or PROGRAMME_ID)
        self.save(workshop)
        return workshop.id

    def pair_teams(self, *, by: UUID | None, first_team_id: object, second_team_id: object,
                   paired_on: object = None, round: int = 1) -> UUID:
        """Pair two teams for reciprocal peer review; a team has one partner a round."""
        self._organiser(by)
        first = self._existing(Team, first_team_id, "first_team_id", "team")
        second = self._existing(Team, second_team_id, "second_team_id", "team")
        pairing = Pairing.pair(first_team_id=first.id, second_team_id=second.id,
                               paired_on=paired_on or self.today(), round=round)
        taken = self.views.network.paired_in_round(pairing.round)
        if busy := [t.name for t in (first, second) if str(t.id) in taken]:
            raise Conflict(f"already paired in round {pairing.round}: {', '.join(busy)}")
        self.save(pairing)
        return pairing.id

    def make_contact(self, *, by: UUID | None, to_member_id: object, topic: str,
                     made_on: object = None, facilitated: bool = False,
                     from_member_id: object = None, channel: object = "email") -> UUID:
        """Record a contact; organisers may record one on behalf of two members."""
        sender = self.member(from_member_id if from_member_id is not None else by)
        if by is not None and sender.id != by:
            self._organiser(by)
        receiver = self._existing(Member, to_member_id, "to_member_id", "member")
        contact = Contact.make(from_member_id=sender.id, to_member_id=receiver.id,
                               topic=topic, facilitated=facilitated, channel=channel,
                               made_on=made_on or self.today())
        self.save(contact)
        return contact.id

    def _existing(self, kind: type, aggregate_id: object, field: str, what: str) -> Any:
        """Load a thing named in the request body: missing is bad input (400), not 404."""
        try:
            return self._get(kind, aggregate_id, what)
        except NotFound:
            raise Invalid({field: f"no such {what}"}) from None

    # --- QIPs ----------------------------------------------------------------------

    def draft_qip(self, *, by: UUID, owner_id: object = None, **plan: Any) -> UUID:
        author = self.member(by)
        if author.team_id is None:
            raise NotAllowed("only members of a team can draft a QIP")
        owner = self._team_member(owner_id, author.team_id) if owner_id is not None else author
        qip = Qip.draft(team_id=author.team_id, owner_id=owner.id, drafted_by=author.id,
                        drafted_on=self.today(), **plan)
        self._check_involved(qip.member_ids, qip.team_id)
        self.save(qip)
        return qip.id

    def adapt_qip(self, qip_id: object, *, by: UUID) -> UUID:
        """"Adapt this QIP for my team": a draft that keeps the link to the original
        (``Qip.adapt`` says what is copied and what the team must make its own)."""
        source = self.qip(qip_id)
        author = self.member(by)
        if author.team_id is None:
            raise NotAllowed("only members of a team can adapt a QIP")
        if source.status not in (QipStatus.ACTIVE, QipStatus.COMPLETED):
            raise Conflict("only a shared QIP (active or completed) can be adapted")
        qip = Qip.adapt(source, team_id=author.team_id, owner_id=author.id,
                        drafted_on=self.today())
        self.save(qip)
        return qip.id

    def _team_member(self, member_id: object, team_id: UUID, field: str = "owner_id") -> Member:
        member = self._existing(Member, member_id, field, "member")
        if member.team_id != team_id:
            raise Invalid({field: "must be a member of the QIP's team"})
        return member

    def _check_involved(self, member_ids: list[UUID], team_id: UUID) -> None:
        for member_id in member_ids:
            self._team_member(member_id, team_id, "member_ids")

    def _qip_for_change(self, qip_id: object, by: UUID | None, version: int | None) -> Qip:
        qip = self.qip(qip_id)
        self._in_teams(by, (qip.team_id,), "only the QIP's own team can change it")
        _check_version(qip, version)
        return qip

    def revise_qip(self, qip_id: object, *, by: UUID | None, version: int | None = None,
                   **changes: Any) -> None:
        qip = self._qip_for_change(qip_id, by, version)
        if changes.get("owner_id") is not None:
            changes["owner_id"] = self._team_member(changes["owner_id"], qip.team_id).id
        qip.revise(by=by, revised_on=self.today(), **changes)
        if "member_ids" in changes:
            self._check_involved(qip.member_ids, qip.team_id)
        self.save(qip)

    def submit_qip(self, qip_id: object, *, by: UUID | None, version: int | None = None,
                   submitted_on: object = None) -> None:
        """The team asks the organisers to review its plan."""
        qip = self._qip_for_change(qip_id, by, version)
        qip.submit(by=by or qip.owner_id, submitted_on=submitted_on or self.today())
        self.save(qip)

    def review_qip(self, qip_id: object, *, by: UUID | None, decision: object,
                   comments: object = None, version: int | None = None,
                   reviewed_on: object = None) -> None:
        """An organiser accepts a submitted QIP (it becomes active and shared) or
        asks for changes, commenting beside the fields."""
        self._organiser(by)
        if decision not in REVIEW_DECISIONS:
            raise Invalid({"decision": "must be one of: Accept, Request changes"})
        qip = self.qip(qip_id)
        _check_version(qip, version)
        qip.review(by=by or PROGRAMME_ID, reviewed_on=reviewed_on or self.today(),
                   accept=decision == "accept", comments=comments)
        self.save(qip)

    def share_qip(self, qip_id: object, *, by: UUID | None = None,
                  shared_on: object = None) -> None:
        """Submitted by ``by`` (or the owner) and accepted at once: for the demo,
        imports of plans the programme already reviewed, and tests. The pages and
        the API go through submit_qip and review_qip."""
        qip = self.qip(qip_id)
        day = shared_on or self.today()
        qip.submit(by=by or qip.owner_id, submitted_on=day)
        qip.review(by=PROGRAMME_ID, reviewed_on=day, accept=True)
        self.save(qip)

    def complete_qip(self, qip_id: object, *, by: UUID | None, version: int | None = None,
                     note: object = "", completed_on: object = None) -> None:
        qip = self._qip_for_change(qip_id, by, version)
        qip.complete(by=by or qip.owner_id, completed_on=completed_on or self.today(), note=note)
        self.save(qip)

    def stop_qip(self, qip_id: object, *, by: UUID | None, reason: object,
                 version: int | None = None, stopped_on: object = None) -> None:
        qip = self._qip_for_change(qip_id, by, version)
        qip.stop(by=by or qip.owner_id, stopped_on=stopped_on or self.today(), reason=reason)
        self.save(qip)

    def record_progress(self, qip_id: object, *, by: UUID | None, measure: object,
                        value: object, recorded_on: object = None) -> None:
        qip = self._qip_for_change(qip_id, by, None)
        qip.record_progress(measure=measure, value=value,
                            recorded_on=recorded_on or self.today(), by=by or qip.owner_id)
        self.save(qip)

    def record_series(self, qip_id: object, *, by: UUID | None, measure: object,
                      values: list[tuple[object, object]]) -> int:
        """Many values of one measure at once (a CSV upload): all or none."""
        qip = self._qip_for_change(qip_id, by, None)
        qip.record_series(measure=measure, values=values, by=by or qip.owner_id,
                          field_prefix="values")
        self.save(qip)
        return len(values)

    def correct_progress(self, qip_id: object, *, by: UUID | None, measure: object,
                         recorded_on: object, value: object, reason: object,
                         version: int | None = None) -> None:
        """The team puts a recorded value right, saying why (``Qip.ValueCorrected``)."""
        qip = self._qip_for_change(qip_id, by, version)
        qip.correct_value(measure=measure, recorded_on=recorded_on, value=value,
                          reason=reason, by=by or qip.owner_id, corrected_on=self.today())
        self.save(qip)

    def withdraw_progress(self, qip_id: object, *, by: UUID | None, measure: object,
                          recorded_on: object, reason: object,
                          version: int | None = None) -> None:
        """The team takes back a value recorded by mistake (``Qip.ValueWithdrawn``)."""
        qip = self._qip_for_change(qip_id, by, version)
        qip.withdraw_value(measure=measure, recorded_on=recorded_on, reason=reason,
                           by=by or qip.owner_id, withdrawn_on=self.today())
        self.save(qip)

    def mark_change(self, qip_id: object, *, by: UUID | None, measure: object,
                    changed_on: object, description: object) -> None:
        """Mark the date a change came in on a measure: its charts recalculate from it."""
        qip = self._qip_for_change(qip_id, by, None)
        qip.mark_change(measure=measure, changed_on=changed_on, description=description,
                        by=by or qip.owner_id)
        self.save(qip)

    def unmark_change(self, qip_id: object, *, by: UUID | None, measure: object,
                      changed_on: object) -> None:
        qip = self._qip_for_change(qip_id, by, None)
        qip.unmark_change(measure=measure, changed_on=changed_on, by=by or qip.owner_id)
        self.save(qip)

    def qip_events(self, qip_id: object) -> list[Any]:
        """Every stored event of one QIP, oldest first: its history."""
        qip = self.qip(qip_id)
        return list(self.events.get(qip.id))

    # --- follow-ups ----------------------------------------------------------------

    def request_follow_up(self, *, by: UUID, reason: str, kind: object = "call",
                          team_id: object = None, member_id: object = None,
                          to_organisers: bool = False, requested_on: object = None,
                          with_paired_team: bool = False) -> UUID:
        """Ask a team, a member or the organisers; ``with_paired_team`` asks the team
        mine was last paired with for peer review."""
        requester = self.member(by)
        if with_paired_team:
            team_id = self.paired_team_of(requester)
        team = (self._existing(Team, team_id, "team_id", "team").id
                if team_id is not None else None)
        member = (self._existing(Member, member_id, "member_id", "member").id
                  if member_id is not None else None)
        follow_up = FollowUp.request(requested_by=requester.id, kind=kind, reason=reason,
                                     requested_on=requested_on or self.today(),
                                     team_id=team, member_id=member, to_organisers=to_organisers)
        self.save(follow_up)
        return follow_up.id

    def request_introduction(self, *, by: UUID, member_id: object, reason: str) -> UUID:
        """Ask the organisers to introduce me to a member of another team: being
        in the community was the users' "licence" to call a stranger."""
        person = self._existing(Member, member_id, "member_id", "member")
        follow_up = FollowUp.request(requested_by=self.member(by).id, kind="introduction",
                                     reason=reason, requested_on=self.today(),
                                     to_organisers=True, about_member_id=person.id)
        self.save(follow_up)
        return follow_up.id

    def complete_introduction(self, follow_up_id: object, *, by: UUID | None, topic: str,
                              made_on: object = None) -> UUID:
        """The organisers made the introduction: a facilitated contact is recorded
        and the request closed, both or neither."""
        self._organiser(by)
        follow_up = self.follow_up(follow_up_id)
        if follow_up.about_member_id is None:
            raise Invalid({"follow_up": "this request does not ask for an introduction"})
        day = made_on or self.today()
        contact = Contact.make(from_member_id=follow_up.requested_by,
                               to_member_id=follow_up.about_member_id, topic=topic,
                               facilitated=True, made_on=day)
        answerer = by or follow_up.requested_by
        follow_up.answer(by=answerer, message=f"Introduced: {contact.topic}", answered_on=day)
        follow_up.close(by=answerer, closed_on=day)
        self.save(contact, follow_up)
        return contact.id

    def paired_team_of(self, member: Member) -> UUID:
        """The team the member's team was paired with in the latest round."""
        if member.team_id is None:
            raise Invalid({"team_id": "you are not in a team, so you have no paired team"})
        partner = self.views.network.latest_partner_of(str(member.team_id))
        if partner is None:
            raise Invalid({"team_id": "your team has not been paired with another team yet"})
        return UUID(partner)

    def can_answer(self, follow_up: FollowUp, member: Member) -> bool:
        return (member.is_organiser or follow_up.member_id == member.id
                or (follow_up.team_id is not None and follow_up.team_id == member.team_id))

    def _follow_up_to_answer(self, follow_up_id: object, by: UUID,
                             version: int | None) -> FollowUp:
        follow_up = self.follow_up(follow_up_id)
        if not self.can_answer(follow_up, self.member(by)):
            raise NotAllowed("only the people asked can answer this follow-up")
        _check_version(follow_up, version)
        return follow_up

    def accept_follow_up(self, follow_up_id: object, *, by: UUID, proposed_date: object,
                         message: str = "", answered_on: object = None,
                         version: int | None = None) -> None:
        follow_up = self._follow_up_to_answer(follow_up_id, by, version)
        follow_up.accept(by=by, proposed_date=proposed_date, message=message,
                         answered_on=answered_on or self.today())
        self.save(follow_up)

    def decline_follow_up(self, follow_up_id: object, *, by: UUID, reason: str,
                          answered_on: object = None, version: int | None = None) -> None:
        follow_up = self._follow_up_to_answer(follow_up_id, by, version)
        follow_up.decline(by=by, reason=reason, answered_on=answered_on or self.today())
        self.save(follow_up)

    def answer_follow_up(self, follow_up_id: object, *, by: UUID, message: str,
                         answered_on: object = None) -> None:
        follow_up = self.follow_up(follow_up_id)
        if not self.can_answer(follow_up, self.member(by)):
            raise NotAllowed("only the people asked can answer this follow-up")
        follow_up.answer(by=by, message=message, answered_on=answered_on or self.today())
        self.save(follow_up)

    def close_follow_up(self, follow_up_id: object, *, by: UUID, closed_on: object = None) -> None:
        follow_up = self.follow_up(follow_up_id)
        member = self.member(by)
        if follow_up.requested_by != member.id and not self.can_answer(follow_up, member):
            raise NotAllowed("only the requester or the people asked can close this follow-up")
        follow_up.close(by=by, closed_on=closed_on or self.today())
        self.save(follow_up)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL with synchronous=NORMAL is durable across crashes of the app and much
    faster than FULL; the busy timeout lets concurrent writers queue, not fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
