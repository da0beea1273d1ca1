"""A member's request for a follow-up: another visit, an introduction, a call."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.input_checks import Checker
from domain.values import FollowUpKind, FollowUpStatus


class FollowUp(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Requested: ClassVar[type[Aggregate.Event]]
        Answered: ClassVar[type[Aggregate.Event]]
        Accepted: ClassVar[type[Aggregate.Event]]
        Declined: ClassVar[type[Aggregate.Event]]
        Closed: ClassVar[type[Aggregate.Event]]

    @classmethod
    def request(cls, *, requested_by: UUID, kind: object, reason: str, requested_on: object,
                team_id: UUID | None = None, member_id: UUID | None = None,
                to_organisers: bool = False, about_member_id: UUID | None = None) -> FollowUp:
        """Ask a team, a member or the organisers. ``about_member_id`` names the
        person an introduction is wanted to."""
        check = Checker()
        kind = check.choice("kind", FollowUpKind, kind)
        reason = check.text("reason", reason, max_length=2000)
        requested_on = check.day("requested_on", requested_on)
        if sum((team_id is not None, member_id is not None, bool(to_organisers))) != 1:
            check.fail("team_id", "ask exactly one of: a team, a member, or the organisers")
        if member_id is not None and member_id == requested_by:
            check.fail("member_id", "you cannot ask yourself for a follow-up")
        if about_member_id is not None and about_member_id == requested_by:
            check.fail("about_member_id", "you cannot ask to be introduced to yourself")
        check.done()
        return cls(requested_by=requested_by, kind=kind, reason=reason,
                   requested_on=requested_on, team_id=team_id, member_id=member_id,
                   to_organisers=bool(to_organisers), about_member_id=about_member_id)

    @event("Requested")
    def __init__(self, requested_by: UUID, kind: FollowUpKind, reason: str,
                 requested_on: date, team_id: UUID | None, member_id: UUID | None,
                 to_organisers: bool, about_member_id: UUID | None = None) -> None:
        self.requested_by = requested_by
        self.kind = kind
        self.reason = reason
        self.requested_on = requested_on
        self.team_id = team_id
        self.member_id = member_id
        self.to_organisers = to_organisers
        self.about_member_id = about_member_id
        self.status = FollowUpStatus.REQUESTED
        self.answers: list[dict[str, object]] = []
        self.proposed_date: date | None = None
        self.decline_reason = ""

    def answer(self, *, by: UUID, message: str, answered_on: object) -> None:
        """A plain reply: neither yes nor no (and how old requests were answered)."""
        check = Checker()
        message = check.text("message", message, max_length=2000)
        answered_on = check.day("answered_on", answered_on)
        check.done()
        self._check_open(answered_on)
        self._answer(answered_by=by, message=message, answered_on=answered_on)

    @event("Answered")
    def _answer(self, answered_by: UUID, message: str, answered_on: date) -> None:
        if self.status is FollowUpStatus.REQUESTED:
            self.status = FollowUpStatus.ANSWERED
        self.answers.append({"by": answered_by, "message": message, "on": answered_on})

    def accept(self, *, by: UUID, proposed_date: object, message: str = "",
               answered_on: object) -> None:
        """Yes, with a date proposed for the visit or call; accepting again moves the date."""
        check = Checker()
        proposed = check.day("proposed_date", proposed_date)
        message = check.text("message", message, required=False, max_length=2000)
        answered_on = check.day("answered_on", answered_on)
        check.done()
        self._check_open(answered_on)
        if proposed < self.requested_on:
            raise Invalid({"proposed_date": "cannot be before the request"})
        self._accept(accepted_by=by, proposed_date=proposed, message=message,
                     answered_on=answered_on)

    @event("Accepted")
    def _accept(self, accepted_by: UUID, proposed_date: date, message: str,
                answered_on: date) -> None:
        self.status = FollowUpStatus.ACCEPTED
        self.proposed_date = proposed_date
        self.answers.append({"by": accepted_by, "message": message, "on": answered_on,
                             "accepted": True, "proposed_date": proposed_date})

    def decline(self, *, by: UUID, reason: str, answered_on: object) -> None:
        """No, and why: the request stays visible to the requester, but is over."""
        check = Checker()
        reason = check.text("reason", reason, max_length=2000)
        answered_on = check.day("answered_on", answered_on)
        check.done()
        self._check_open(answered_on)
        self._decline(declined_by=by, reason=reason, answered_on=answered_on)

    @event("Declined")
    def _decline(self, declined_by: UUID, reason: str, answered_on: date) -> None:
        self.status = FollowUpStatus.DECLINED
        self.decline_reason = reason
        self.answers.append({"by": declined_by, "message": reason, "on": answered_on,
                             "declined": True})

    @property
    def is_over(self) -> bool:
        """Closed or declined: nothing more can be answered."""
        return self.status in (FollowUpStatus.CLOSED, FollowUpStatus.DECLINED)

    def _check_open(self, answered_on: date) -> None:
        if self.is_over:
            raise Conflict(f"this follow-up is {self.status.value}")
        if answered_on < self.requested_on:
            raise Invalid({"answered_on": "cannot be before the request"})

    def close(self, *, by: UUID, closed_on: object) -> None:
        check = Checker()
        closed_on = check.day("closed_on", closed_on)
        check.done()
        if self.status is FollowUpStatus.CLOSED:
            raise Conflict("this follow-up is already closed")
        if closed_on < self.requested_on:
            raise Invalid({"closed_on": "cannot be before the request"})
        self._close(closed_by=by, closed_on=closed_on)

    @event("Closed")
    def _close(self, closed_by: UUID, closed_on: date) -> None:
        self.status = FollowUpStatus.CLOSED
        self.closed_on = closed_on
