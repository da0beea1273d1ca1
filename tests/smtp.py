"""A real SMTP server for tests (aiosmtpd) on a loopback port, keeping what it gets."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def mail_through(community: Any, port: int) -> None:
    """Point a running Community's mailer at a local server."""
    community.settings = replace(community.settings, smtp_host="127.0.0.1", smtp_port=port)


def free_port() -> int:
    """A port nothing listens on (for now): aiosmtpd cannot be told port 0."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    recipients: list[str]
    email: EmailMessage


@dataclass
class Mailbox:
    """What the server was sent. Recipients in ``refuse`` get a 550 at RCPT."""

    port: int
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        email = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), email))
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        return [r.email["Message-ID"] for r in self.received]


@contextmanager
def running_mailbox(port: int | None = None) -> Iterator[Mailbox]:
    mailbox = Mailbox(port or free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
