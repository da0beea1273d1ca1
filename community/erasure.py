"""Forgetting a member, and giving a member everything held about them.

Forgetting destroys the member's key (``community.personal_data``): their name,
address, phone, profile text and password, and what they wrote to or about others,
become a former member's placeholders wherever they are read, while every event
stays, so every aggregate and view rebuilds and every figure stays the same. The
views are then rebuilt, because they hold copies of what the events said.

The right of access: every event that names the member, read back as JSON, with
their profile as it stands.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.application import LRUCache

from community.commands import Commands, Id
from community.personal_data import KeyStore, SealingMapper
from community.read_copies import ReadCopies
from community.sign_ins import Ended, SignIns
from domain.errors import Invalid
from domain.member import NotificationSettings
from projections.network_health_kept import forget_kept

PAGE = 1000


@dataclass(frozen=True)
class Forgotten:
    member_id: UUID
    events_replayed: int


def _plain(value: Any) -> Any:
    """An event's value as JSON: ids and dates as text, choices as their value."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _names(value: Any, member_id: UUID) -> bool:
    if value == member_id:
        return True
    if isinstance(value, list | tuple | set):
        return any(_names(v, member_id) for v in value)
    if isinstance(value, dict):
        return any(_names(v, member_id) for v in value.values())
    return False


class ErasureCommands(Commands):
    @property
    def keys(self) -> KeyStore:
        mapper = self.mapper
        assert isinstance(mapper, SealingMapper) and mapper.keys is not None
        return mapper.keys

    def forget_member(self, member_id: Id, *, by: UUID | None) -> Forgotten:
        """Destroy the member's key, then rebuild the views from the log."""
        self._organiser(by, "only organisers can forget a member")
        member = self.member(member_id)
        if by is not None and by == member.id:
            raise Invalid({"member_id": "ask another organiser to forget you"})
        if not self.keys.forget(member.id):
            raise Invalid({"member_id": "this member was already forgotten"})
        # Every copy of their session cookie stops working at once.
        SignIns(self.views.engine).end_all(member.id, Ended.FORGOTTEN)
        # Aggregates held in memory still carry what they read before.
        cache = self.repository.cache
        if isinstance(cache, LRUCache):
            self.repository.cache = LRUCache(maxsize=cache.maxsize)
        self._read_copies = ReadCopies()  # the pages' copies of them too
        replayed = self.views.rebuild()
        forget_kept(self.views.engine)  # network-health figures kept with names in them
        return Forgotten(member.id, replayed)

    def is_forgotten(self, member_id: UUID) -> bool:
        return self.keys.is_forgotten(member_id)

    def everything_about(self, member_id: Id) -> dict[str, Any]:
        """The right of access: the profile, and every event naming the member."""
        member = self.member(member_id)
        settings = NotificationSettings.create_id(member.id)
        events: list[dict[str, Any]] = []
        start = 0
        while page := self.recorder.select_notifications(start=start, limit=PAGE,
                                                         inclusive_of_start=False):
            for n in page:
                event = self.mapper.to_domain_event(n)
                state = vars(event)
                if event.originator_id in (member.id, settings) or _names(state, member.id):
                    fields = {k: _plain(v) for k, v in state.items()
                              if k not in ("originator_id", "originator_version",
                                           "originator_topic")}
                    events.append({"what": n.topic.rsplit(":", 1)[-1],
                                   "record": str(event.originator_id),
                                   "version": event.originator_version, **fields})
            start = page[-1].id
        profile = {k: _plain(v) for k, v in vars(member).items()
                   if not k.startswith("_") and k != "password_hash"}
        profile["has_password"] = bool(member.password_hash)
        return {"member": profile, "events": events}
