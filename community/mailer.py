"""Delivering outbox e-mail over SMTP, as the settings say (``COMMUNITY_SMTP_*``)."""

from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from types import TracebackType

from config import Settings
from domain.errors import Conflict
from domain.message import Message

NOT_CONFIGURED = ("e-mail cannot be sent: no mail (SMTP) server is set up. Set "
                  "COMMUNITY_SMTP_HOST (and COMMUNITY_SMTP_PORT if it is not 25) and restart.")
TIMEOUT_SECONDS = 20
# The right-hand side of every Message-ID: fixed, so a retry after changing the
# sender address still carries the same id and a receiving server can drop it.
MESSAGE_ID_DOMAIN = "clinical-community"


# A digest (community/digest.py) ends with its one-click unsubscribe link. Mail
# clients show their own "Unsubscribe" for it when the headers name it (RFC 2369),
# and post to it without opening a page when List-Unsubscribe-Post says so (RFC 8058).
# Read from the body, not stored beside it, so an e-mail the organisers reworded
# without the link does not promise one.
ONE_CLICK = re.compile(r"(https?://\S+/digest/unsubscribe/[\w.-]+)\s*\Z")


class DeliveryFailed(Exception):
    """The mail server could not be reached, or would not take the e-mail."""


def compose(message: Message, sender: str) -> EmailMessage:
    """The e-mail for one outbox message; its Message-ID comes from the message's id."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = formataddr((message.to_name, message.to_email))
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = f"<{message.id}@{MESSAGE_ID_DOMAIN}>"
    if link := ONE_CLICK.search(message.body):
        email["List-Unsubscribe"] = f"<{link.group(1)}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body)
    return email


class Mailer:
    """One SMTP connection for a send run: opened at the first e-mail, and opened
    again after a failure, so one bad e-mail does not stop the others."""

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise Conflict(NOT_CONFIGURED)
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def send(self, message: Message) -> None:
        try:
            email = compose(message, self.settings.smtp_from)
            self._connection().send_message(email, from_addr=self.settings.smtp_from,
                                            to_addrs=[message.to_email])
        except (smtplib.SMTPException, OSError, ValueError) as error:
            self.close()
            raise DeliveryFailed(self._describe(error)) from error

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            s = self.settings
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_SECONDS)
            try:
                if s.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_username:
                    smtp.login(s.smtp_username, s.smtp_password)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def _describe(self, error: Exception) -> str:
        server = f"{self.settings.smtp_host}:{self.settings.smtp_port}"
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            refused = "; ".join(f"{to}: {code} {_text(reply)}"
                                for to, (code, reply) in error.recipients.items())
            return f"the mail server at {server} refused the recipient ({refused})"
        if isinstance(error, smtplib.SMTPResponseException):
            return (f"the mail server at {server} refused it: "
                    f"{error.smtp_code} {_text(error.smtp_error)}")
        if isinstance(error, (smtplib.SMTPException, OSError)):
            return f"the mail server at {server} could not be reached: {error}"
        return f"the e-mail could not be written: {error}"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
