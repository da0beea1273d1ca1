"""Ids: random for members, derived from natural keys for what holds nothing personal.

A member's id is random (``uuid4``) and says nothing about them: anyone may see it in
a URL or an event without learning, or being able to confirm, an e-mail address.
Finding a member by e-mail goes through the e-mail index (``EmailIndexEntry``):
one small aggregate per address whose id is a keyed hash (HMAC-SHA256 with a key
only the instance holds) of the normalised address, naming the member. Saved in the
same transaction as the member, so a second registration of the same address
clashes on the entry's id and is refused as a conflict, as it was when the member's
own id came from the address.

A team's id is still derived from its name (a team's name is public), and the
programme's is fixed.
"""

from __future__ import annotations

import hashlib
import hmac
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

NAMESPACE = UUID("6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_name(name: str) -> str:
    return " ".join(name.split()).lower()


def email_index_id(key: bytes, email: str) -> UUID:
    """The id of the index entry for an address: HMAC-SHA256 under the instance's
    ``key``, cut to a UUID. Without the key no one can tell which address an entry
    stands for, or compute an entry from a guessed address."""
    digest = hmac.new(key, normalise_email(email).encode("utf-8"), hashlib.sha256).digest()
    return UUID(bytes=digest[:16], version=4)


class EmailIndexEntry(Aggregate):
    """One address of the e-mail index: the member who registered it. It holds no
    address (its id is the keyed hash of one), so the log shows no address here."""

    @classmethod
    def claim(cls, *, entry_id: UUID, member_id: UUID) -> EmailIndexEntry:
        return cls(id=entry_id, member_id=member_id)

    @event("Claimed")
    def __init__(self, id: UUID, member_id: UUID) -> None:
        self.member_id = member_id


def team_id_for(name: str) -> UUID:
    return uuid5(NAMESPACE, "team:" + normalise_name(name))


PROGRAMME_ID = uuid5(NAMESPACE, "programme")
