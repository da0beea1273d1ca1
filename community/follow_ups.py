"""Follow-ups: a member asks a team, a member or the organisers for a visit or a call
(or the team their own was paired with), and the people asked accept with a date,
decline, answer, or close it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from community.commands import Commands, Id
from domain.errors import Invalid, NotAllowed
from domain.follow_up import FollowUp
from domain.member import Member
from domain.team import Team
from domain.values import FollowUpKind


class FollowUpCommands(Commands):
    """Commands on follow-ups: requesting one and answering it."""

    def follow_up(self, follow_up_id: Id) -> FollowUp:
        return self._get(FollowUp, follow_up_id, "follow-up")

    def request_follow_up(self, *, by: UUID, reason: str,
                          kind: FollowUpKind = FollowUpKind.CALL, team_id: Id | None = None,
                          member_id: Id | None = None, to_organisers: bool = False,
                          requested_on: date | None = None,
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

    def _follow_up_to_answer(self, follow_up_id: Id, by: UUID,
                             version: int | None) -> FollowUp:
        follow_up = self.follow_up(follow_up_id)
        if not self.can_answer(follow_up, self.member(by)):
            raise NotAllowed("only the people asked can answer this follow-up")
        self._check_version(follow_up, version)
        return follow_up

    def accept_follow_up(self, follow_up_id: Id, *, by: UUID, proposed_date: date | None,
                         message: str = "", answered_on: date | None = None,
                         version: int | None = None) -> None:
        follow_up = self._follow_up_to_answer(follow_up_id, by, version)
        follow_up.accept(by=by, proposed_date=proposed_date, message=message,
                         answered_on=answered_on or self.today())
        self.save(follow_up)

    def decline_follow_up(self, follow_up_id: Id, *, by: UUID, reason: str,
                          answered_on: date | None = None, version: int | None = None) -> None:
        follow_up = self._follow_up_to_answer(follow_up_id, by, version)
        follow_up.decline(by=by, reason=reason, answered_on=answered_on or self.today())
        self.save(follow_up)

    def answer_follow_up(self, follow_up_id: Id, *, by: UUID, message: str,
                         answered_on: date | None = None) -> None:
        follow_up = self._follow_up_to_answer(follow_up_id, by, None)
        follow_up.answer(by=by, message=message, answered_on=answered_on or self.today())
        self.save(follow_up)

    def close_follow_up(self, follow_up_id: Id, *, by: UUID,
                        closed_on: date | None = None) -> None:
        follow_up = self.follow_up(follow_up_id)
        member = self.member(by)
        if follow_up.requested_by != member.id and not self.can_answer(follow_up, member):
            raise NotAllowed("only the requester or the people asked can close this follow-up")
        follow_up.close(by=by, closed_on=closed_on or self.today())
        self.save(follow_up)
