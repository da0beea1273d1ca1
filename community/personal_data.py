"""Personal data sealed with a key per member, so a member can be forgotten without
editing the event log (crypto-shredding, for UK GDPR's right to erasure).

The event log is never edited, yet a member may ask to be forgotten. So the personal
fields of an event (a member's name, e-mail address, phone, what they wrote about
themselves, their password hash, and the free text they wrote to or about other
people: a contact's topic, a follow-up's reason or reply, an outbox e-mail) are
stored sealed with AES-GCM under a key that belongs to one member. The keys live in
their own table, outside the log. Forgetting a member destroys their key: the
events stay, every aggregate and view still rebuilds and every count stays the same,
but the sealed fields read as a former member's placeholders ("Former member",
"removed").

The sealing happens in the mapper, where events become stored records and back, so
the domain never sees it: ``SealingMapper.to_stored_event`` seals, and
``to_domain_event`` opens or, when the key is gone, puts the placeholder in.
A store written before sealing existed reads as it always did (nothing in it is
sealed); ``community upgrade`` replays such a store into a sealed one.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from projections.reading import reading

SEALED = "__sealed__"
FORMER_MEMBER = "Former member"
REMOVED = "removed"

metadata = MetaData()
member_keys = Table(
    "member_keys", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
# Who was forgotten and when: a key is never made again for them, and their
# placeholders are shown without a lookup.
forgotten_members = Table(
    "forgotten_members", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("forgotten_at", DateTime(timezone=True), nullable=False),
)


def _former_email(member_id: UUID) -> str:
    """Unique per member, so nothing that expects distinct addresses breaks, and
    never deliverable (.invalid is reserved by RFC 2606)."""
    return f"former-member-{member_id.hex[:12]}@forgotten.invalid"


@dataclass(frozen=True)
class Seal:
    """Which fields of an event are personal, and whose key seals them.

    ``whose`` names the field holding the member id, or is None for the event's
    own aggregate (a member's events about themself)."""

    fields: tuple[str, ...]
    whose: str | None
    placeholders: dict[str, Callable[[UUID], Any]]


def _removed(_: UUID) -> str:
    return REMOVED


def _former_name(_: UUID) -> str:
    return FORMER_MEMBER


def _no_password(_: UUID) -> None:
    return None


def _empty(_: UUID) -> str:
    return ""


_MEMBER = Seal(("email", "name", "phone", "help_with", "password_hash"), None,
               {"email": _former_email, "name": _former_name, "phone": _empty,
                "help_with": _empty, "password_hash": _no_password})

# Topic prefixes (an aggregate's events) and exact topics, to what is sealed.
SEALS_BY_PREFIX: dict[str, Seal] = {"domain.member:Member.": _MEMBER}
SEALS: dict[str, Seal] = {
    "domain.contact:Contact.Made": Seal(("topic",), "from_member_id", {"topic": _removed}),
    "domain.follow_up:FollowUp.Requested": Seal(("reason",), "requested_by",
                                                 {"reason": _removed}),
    "domain.follow_up:FollowUp.Answered": Seal(("message",), "answered_by",
                                                {"message": _removed}),
    "domain.follow_up:FollowUp.Accepted": Seal(("message",), "accepted_by",
                                                {"message": _removed}),
    "domain.follow_up:FollowUp.Declined": Seal(("reason",), "declined_by",
                                                {"reason": _removed}),
    "domain.message:Message.Proposed": Seal(
        ("to_email", "to_name", "body"), "to_member_id",
        {"to_email": _former_email, "to_name": _former_name, "body": _removed}),
    "domain.message:Message.Edited": Seal(("subject", "body"), "to_member_id",
                                           {"subject": _removed, "body": _removed}),
}


def seal_for(topic: str) -> Seal | None:
    if topic in SEALS:
        return SEALS[topic]
    for prefix, seal in SEALS_BY_PREFIX.items():
        if topic.startswith(prefix):
            return seal
    return None


class KeyStore:
    """Each member's key, created on first use, kept in memory for reading.

    The cache is reloaded whole when it misses (a rebuild reads thousands of
    members' events: one query, not one each) and at least every ``ttl`` seconds,
    so another process's forgetting is honoured within that time."""

    def __init__(self, engine: Engine, ttl: float = 30.0) -> None:
        self.engine = engine
        self.ttl = ttl
        self._keys: dict[UUID, bytes] = {}
        self._forgotten: set[UUID] = set()
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def create_tables(self) -> None:
        metadata.create_all(self.engine)

    def _load(self) -> None:
        with reading(self.engine) as conn:
            keys = {UUID(m): bytes(k) for m, k in conn.execute(
                select(member_keys.c.member_id, member_keys.c.key))}
            gone = {UUID(m) for m in conn.scalars(select(forgotten_members.c.member_id))}
        self._keys, self._forgotten, self._loaded_at = keys, gone, time.monotonic()

    def key(self, member_id: UUID) -> bytes | None:
        """The member's key, or None when they were forgotten (or never had one)."""
        with self._lock:
            if time.monotonic() - self._loaded_at > self.ttl:
                self._load()
            if member_id in self._keys or member_id in self._forgotten:
                return self._keys.get(member_id)
        return self._fetch(member_id, make=False)

    def key_to_seal(self, member_id: UUID) -> bytes | None:
        """The member's key, made now if they have none; None once forgotten."""
        return self.key(member_id) or self._fetch(member_id, make=True)

    def _fetch(self, member_id: UUID, *, make: bool) -> bytes | None:
        """One member's key from the table (made when ``make``), never a full reload:
        a synth or an import adds thousands of members."""
        wanted = str(member_id)
        with self.engine.begin() as conn:
            if conn.execute(select(forgotten_members.c.member_id)
                            .where(forgotten_members.c.member_id == wanted)).first():
                with self._lock:
                    self._forgotten.add(member_id)
                return None
            found = conn.execute(select(member_keys.c.key)
                                 .where(member_keys.c.member_id == wanted)).scalar()
            if found is None and make:
                found = AESGCM.generate_key(bit_length=256)
                try:
                    with conn.begin_nested():
                        conn.execute(insert(member_keys).values(
                            member_id=wanted, key=found, created_at=datetime.now(UTC)))
                except IntegrityError:  # another process made it first: use theirs
                    found = conn.execute(select(member_keys.c.key)
                                         .where(member_keys.c.member_id == wanted)).scalar()
        if found is None:
            return None
        with self._lock:
            self._keys[member_id] = bytes(found)
        return bytes(found)

    def make_keys(self, member_ids: list[UUID]) -> None:
        """Keys for many new members in one transaction (a synth or an import adds
        thousands: one ``_fetch`` each, two transactions apiece, cost as much as
        saving all their events). Forgotten members get none; existing keys stay."""
        wanted = {str(m): m for m in member_ids if m not in self._keys}
        ids = list(wanted)
        found: dict[str, bytes] = {}
        try:
            with self.engine.begin() as conn:
                for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
                    chunk = ids[start:start + 500]
                    found.update((m, bytes(k)) for m, k in conn.execute(
                        select(member_keys.c.member_id, member_keys.c.key)
                        .where(member_keys.c.member_id.in_(chunk))))
                    for gone in conn.scalars(select(forgotten_members.c.member_id)
                                             .where(forgotten_members.c.member_id.in_(chunk))):
                        self._forgotten.add(wanted.pop(gone))
                made = {m: AESGCM.generate_key(bit_length=256) for m in wanted if m not in found}
                if made:
                    now = datetime.now(UTC)
                    conn.execute(insert(member_keys), [
                        {"member_id": m, "key": k, "created_at": now} for m, k in made.items()])
        except IntegrityError:  # another process made some first: one at a time, theirs kept
            for one in wanted.values():
                self._fetch(one, make=True)
            return
        with self._lock:
            for text, key in {**found, **made}.items():
                self._keys[wanted[text]] = key

    def forget(self, member_id: UUID) -> bool:
        """Destroy the member's key; False when they were already forgotten."""
        with self.engine.begin() as conn:
            if conn.execute(select(forgotten_members.c.member_id)
                            .where(forgotten_members.c.member_id == str(member_id))).first():
                return False
            conn.execute(delete(member_keys).where(member_keys.c.member_id == str(member_id)))
            conn.execute(insert(forgotten_members).values(member_id=str(member_id),
                                                          forgotten_at=datetime.now(UTC)))
        with self._lock:
            self._load()
        return True

    def restore_key(self, member_id: UUID, key: bytes) -> None:
        """A key from a backup (``community restore``, into an empty store)."""
        with self.engine.begin() as conn:
            conn.execute(insert(member_keys).values(member_id=str(member_id), key=key,
                                                    created_at=datetime.now(UTC)))
        self._loaded_at = 0.0

    def restore_forgotten(self, member_id: UUID, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(forgotten_members).values(member_id=str(member_id),
                                                          forgotten_at=at))
        self._loaded_at = 0.0

    def is_forgotten(self, member_id: UUID) -> bool:
        self.key(member_id)
        return member_id in self._forgotten


@lru_cache(maxsize=10_000)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)  # its key schedule is worth keeping between events


def seal_bytes(key: bytes, owner: UUID, plain: bytes) -> dict[str, str]:
    """``plain`` sealed for ``owner`` (the owner's id is bound in as associated data,
    so a sealed field copied to another member's event does not open)."""
    nonce = os.urandom(12)
    box = _aead(key).encrypt(nonce, plain, owner.bytes)
    return {SEALED: base64.b64encode(nonce + box).decode("ascii")}


def open_bytes(key: bytes, owner: UUID, sealed: dict[str, str]) -> bytes:
    raw = base64.b64decode(sealed[SEALED])
    return _aead(key).decrypt(raw[:12], raw[12:], owner.bytes)


def _json_owner(seal: Seal, originator_id: UUID, state: dict[str, Any]) -> UUID | None:
    if seal.whose is None:
        return originator_id
    value = state.get(seal.whose)
    if isinstance(value, dict) and value.get("_type_") == "uuid_hex":
        return UUID(value["_data_"])
    return None


def open_json(topic: str, originator_id: UUID, state: dict[str, Any],
              keys: KeyStore | None) -> dict[str, Any]:
    """A stored event's JSON state with its sealed fields opened (placeholders for a
    forgotten member), for work on the stored JSON such as ``community upgrade``."""
    seal = seal_for(topic)
    owner = _json_owner(seal, originator_id, state) if seal else None
    if seal is None or owner is None:
        return state
    opened = dict(state)
    for field in seal.fields:
        value = opened.get(field)
        if isinstance(value, dict) and SEALED in value:
            key = keys.key(owner) if keys else None
            opened[field] = (json.loads(open_bytes(key, owner, value))["v"] if key
                             else seal.placeholders[field](owner))
    return opened


def seal_json(topic: str, originator_id: UUID, state: dict[str, Any],
              keys: KeyStore) -> dict[str, Any]:
    """The inverse of ``open_json``: a plain stored state with its personal fields
    sealed under their owner's key (made if they have none)."""
    seal = seal_for(topic)
    owner = _json_owner(seal, originator_id, state) if seal else None
    if seal is None or owner is None:
        return state
    key = keys.key_to_seal(owner)
    sealed = dict(state)
    for field in seal.fields:
        value = sealed.get(field)
        if value in (None, "", []) or (isinstance(value, dict) and SEALED in value):
            continue
        sealed[field] = (seal_bytes(key, owner, json.dumps({"v": value}).encode("utf-8"))
                         if key else seal.placeholders[field](owner))
    return sealed


class SealingMapper(Mapper[UUID]):
    """The library's mapper, with personal fields sealed per member (see above).

    ``keys`` is set once the store's engine exists; until then (and for stores
    opened only to read the old way) nothing is sealed."""

    keys: KeyStore | None = None

    def _owner(self, seal: Seal, originator_id: UUID, state: dict[str, Any]) -> UUID | None:
        owner = originator_id if seal.whose is None else state.get(seal.whose)
        return owner if isinstance(owner, UUID) else None

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        seal = seal_for(get_topic(type(domain_event)))
        state = vars(domain_event)
        owner = self._owner(seal, domain_event.originator_id, state) if seal else None
        if seal is None or owner is None or self.keys is None:
            return super().to_stored_event(domain_event)
        key = self.keys.key_to_seal(owner)
        sealed = dict(state)
        for field in seal.fields:
            value = sealed.get(field)
            if value in (None, "", [], ()):
                continue  # nothing personal to protect
            if key is None:
                sealed[field] = seal.placeholders[field](owner)  # forgotten: keep nothing
                continue
            sealed[field] = seal_bytes(key, owner, self.transcoder.encode({"v": value}))
        copy = object.__new__(type(domain_event))
        object.__setattr__(copy, "__dict__", sealed)
        return super().to_stored_event(copy)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        event = super().to_domain_event(stored_event)
        seal = seal_for(stored_event.topic)
        if seal is None:
            return event
        state = vars(event)
        owner = self._owner(seal, event.originator_id, state)
        for field in seal.fields:
            value = state.get(field)
            if not (isinstance(value, dict) and SEALED in value) or owner is None:
                continue
            key = self.keys.key(owner) if self.keys else None
            if key is None:
                state[field] = seal.placeholders[field](owner)
                continue
            state[field] = self.transcoder.decode(open_bytes(key, owner, value))["v"]
        return event
