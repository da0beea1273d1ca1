"""A member's own account (issue 13): changing the password, and resetting a forgotten
one by a one-time link sent through the outbox.

A reset link is signed with the app's secret key and carries the member's id and the
version of their Member aggregate when it was made, like an invitation link
(community/invitations.py): setting the password changes that version, so a link works
once, and only for ``RESET_MINUTES``. Nothing about a reset is stored but the e-mail
in the outbox, which is sent at once when a mail server is set up (otherwise an
organiser sends it from the outbox).

Asking for a link answers the same whether or not the address is a member's, so the
form does not tell who is a member.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from community.passwords import check_new_password, password_matches
from domain.errors import Conflict, DomainError, Invalid, NotFound
from domain.member import Member

if TYPE_CHECKING:  # a Community: the member and outbox commands together
    from community import Community

RESET_MINUTES = 60
SALT = "clinical-community.password-reset"
PATH = "/account/reset/{token}"


def member_with_email(app: Community, email: object) -> Member | None:
    """The member with this e-mail address, or None. The one place this module finds a
    member by address: it follows however ``community.members`` looks addresses up."""
    if not isinstance(email, str) or not email.strip():
        return None
    try:
        return app.member_by_email(email)
    except (NotFound, Invalid):
        return None


def change_password(app: Community, member_id: UUID, *, current: str, new: str) -> None:
    """Set a new password for a member who knows the current one. Errors name the
    form's fields: ``current_password`` and ``new_password``."""
    member = app.member(member_id)
    if not password_matches(member.password_hash, current):
        raise Invalid({"current_password": "is wrong: type the password you log in with now"})
    check_new_password(new, "new_password")
    if password_matches(member.password_hash, new):
        raise Invalid({"new_password": "is the password you have now: choose a new one"})
    app.set_password(member.id, new, version=member.version)


class ResetError(DomainError):
    """The link cannot be used; ``reason`` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


ASK_AGAIN = "Ask for a new link from the log-in page (\u201cForgotten your password?\u201d)."


class ResetLinks:
    """Makes, sends and checks password-reset links. ``clock`` (seconds since the
    epoch) is for tests that need a link made in the past."""

    def __init__(self, secret_key: str, *, minutes: float = RESET_MINUTES,
                 clock: Callable[[], float] = time.time) -> None:
        if not secret_key:
            raise ValueError("reset links need the app's secret key")
        self.minutes = minutes
        self.clock = clock

        class Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT, signer=Signer)

    def token(self, member: Member) -> str:
        return self.serializer.dumps({"m": str(member.id), "v": member.version})

    def send(self, app: Community, email: object, base_url: str) -> UUID | None:
        """Put a reset e-mail for the member with this address in the outbox and send it
        if a mail server is set up; the message's id, or None for an unknown address."""
        member = member_with_email(app, email)
        if member is None:
            return None
        token = self.token(member)
        link = base_url.rstrip("/") + PATH.format(token=token)
        message_id, _ = app.propose_message(
            # A new key for each request (the link's own timestamp), so asking again
            # sends a new e-mail rather than finding the first.
            key=f"password-reset:{member.id}:{member.version}:{int(self.clock())}",
            to_member_id=member.id,
            subject="Reset your Clinical Community password",
            body=(f"Dear {member.name},\n\nSomeone, we hope you, asked to reset your "
                  f"Clinical Community password. To choose a new one, open this link "
                  f"within {self.minutes:g} minutes:\n\n{link}\n\nThe link works once. "
                  f"If you did not ask, you can ignore this e-mail: your password stays "
                  f"as it is.\n"),
            reason="The member asked for a password reset link on the log-in page.")
        if app.settings.smtp_host:
            app.send_messages(by=None, ids=[message_id])  # a failure stays in the outbox
        return message_id

    def member_for(self, app: Community, token: str) -> Member:
        """The member a usable link is for; ResetError says why it is not usable."""
        try:
            data = self.serializer.loads(token, max_age=int(self.minutes * 60))
            member_id, version = UUID(data["m"]), int(data["v"])
        except SignatureExpired:
            raise ResetError("expired", f"This link has expired: links work for "
                                        f"{self.minutes:g} minutes. " + ASK_AGAIN) from None
        except (BadSignature, KeyError, TypeError, ValueError):
            raise ResetError("invalid", "This link is not valid. Check that you copied the "
                                        "whole link. " + ASK_AGAIN) from None
        try:
            member = app.member(member_id)
        except NotFound:
            raise ResetError("invalid", "This link is not valid. " + ASK_AGAIN) from None
        if member.version != version:
            raise ResetError("used", "This link has already been used, or your account "
                                     "changed since it was sent. " + ASK_AGAIN)
        return member

    def reset(self, app: Community, token: str, password: str) -> Member:
        """Set the new password, once: a second use of the link, even at the same
        moment, is refused (the password is set only on the version the link was for).
        Errors about the password name the form's ``new_password`` field."""
        member = self.member_for(app, token)
        check_new_password(password, "new_password")
        try:
            app.set_password(member.id, password, version=member.version)
        except Conflict:
            raise ResetError("used", "This link has already been used. " + ASK_AGAIN) from None
        return app.member(member.id)
