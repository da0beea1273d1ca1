"""One-time links that let an invited member set their own password.

An imported member has no password. The organisers send each one a link to
``/invitations/<token>``: the token is signed with the app's secret key and
carries the member's id and the version of their Member aggregate when it was
made. Setting the password changes that version, so the link works once; and it
expires after ``DAYS`` days. Nothing about an invitation is stored: a new link
can be made at any time (``community invite --email ...``), and the old ones
stop working as soon as any of them is used.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from domain.errors import Conflict, DomainError, NotFound
from domain.member import Member

if TYPE_CHECKING:  # the commands build on domain aggregates; this module on them
    from community.members import MemberCommands

DAYS = 14
SALT = "clinical-community.invitation"
PATH = "/invitations/{token}"


class InvitationError(DomainError):
    """The link cannot be used; ``reason`` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


ASK = "Ask an organiser of the community to send you a new link."


@dataclass(frozen=True)
class Invitation:
    member_id: UUID
    email: str
    name: str
    token: str

    def link(self, base_url: str) -> str:
        return base_url.rstrip("/") + PATH.format(token=self.token)


class Invitations:
    """Makes and checks invitation tokens. ``clock`` (seconds since the epoch) is
    for tests that need a link made in the past."""

    def __init__(self, secret_key: str, *, days: float = DAYS,
                 clock: Callable[[], float] = time.time) -> None:
        if not secret_key:
            raise ValueError("invitations need the app's secret key")
        self.days = days

        class Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT, signer=Signer)

    @property
    def max_age(self) -> int:
        return int(self.days * 24 * 3600)

    def invite(self, member: Member) -> Invitation:
        """A link for a member who has not set a password yet."""
        if member.password_hash is not None:
            raise Conflict(f"{member.email} has already set a password")
        token = self.serializer.dumps({"m": str(member.id), "v": member.version})
        return Invitation(member.id, member.email, member.name, token)

    def invite_all(self, app: MemberCommands, member_ids: Iterable[UUID]) -> list[Invitation]:
        return [self.invite(app.member(member_id)) for member_id in member_ids]

    def read(self, token: str) -> tuple[UUID, int]:
        """(member id, member version) from a token that is genuine and not expired."""
        try:
            data = self.serializer.loads(token, max_age=self.max_age)
        except SignatureExpired:
            raise InvitationError(
                "expired", f"This link has expired: links work for {self.days:g} days. "
                           + ASK) from None
        except BadSignature:
            raise InvitationError("invalid", "This link is not valid. Check that you copied "
                                             "the whole link; if it still fails, "
                                  + ASK[0].lower() + ASK[1:]) from None
        try:
            return UUID(data["m"]), int(data["v"])
        except (KeyError, TypeError, ValueError):
            raise InvitationError("invalid", "This link is not valid. " + ASK) from None

    def member_for(self, app: MemberCommands, token: str) -> Member:
        """The member a usable link is for; InvitationError says why it is not usable."""
        member_id, version = self.read(token)
        try:
            member = app.member(member_id)
        except NotFound:
            raise InvitationError("invalid", "This link is not valid. " + ASK) from None
        if member.version != version or member.password_hash is not None:
            raise InvitationError("used", "This link has already been used to set a "
                                          "password. Log in with that password, or "
                                  + ASK[0].lower() + ASK[1:])
        return member

    def accept(self, app: MemberCommands, token: str, password: str) -> Member:
        """Set the invited member's password, once. Returns the member. A second use of
        the link, even at the same moment, is refused: the password is set only on the
        member version the link was made for."""
        member = self.member_for(app, token)
        try:
            app.set_password(member.id, password, version=member.version)
        except Conflict:
            raise InvitationError("used", "This link has already been used to set a "
                                          "password. " + ASK) from None
        return app.member(member.id)
