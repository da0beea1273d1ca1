"""``community upgrade --from URL --to URL``: copy a store into a new, empty one in
today's shape, by replaying its events, never by editing them in place.

What changes on the way (issue 13, "ids that say nothing"):

- every member gets a new random id (a store made before this had ``uuid5`` of the
  member's e-mail address, so anyone could confirm a guessed address from an id);
  every reference to the old id, as a UUID or inside text (a message's key, a dict
  keyed by id), names the new one;
- an aggregate whose id is derived from its created event (``create_id``: a member's
  notification settings, an outbox message's key) gets the id derived from the
  rewritten event, so it is found again the way the code looks it up;
- each member gets their e-mail index entry (keyed by the target's secret), right
  after their ``Joined`` event and with its time; entries in the source (a store
  already in this shape, upgraded to change the secret) are left behind and made anew.

Every other event is copied as it was, in the same order, with the same topic,
version and time. Documents' bytes (outside the log) are copied too, and the views
are built in the target from its log. The source is only read. The target must be
empty: an upgrade never mixes two stores. Work is done on the stored JSON, so no
event class is involved and an event of a class that has since changed is copied
unchanged for its upcaster to read.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, Notification, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from sqlalchemy import select

from community.application import Community, persistence_env
from community.documents import Upload, contents
from community.personal_data import KeyStore, member_keys, open_json, seal_json
from domain.ids import EmailIndexEntry
from domain.member import Member

PAGE = 1000  # events read, and written, at a time
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JOINED = get_topic(Member.Joined)
INDEX_ENTRY = get_topic(EmailIndexEntry)


class UpgradeError(Exception):
    """The upgrade cannot start: said in words, nothing written."""


@dataclass
class Upgraded:
    events_read: int = 0
    events_written: int = 0
    members: int = 0
    renamed: int = 0  # aggregates with a new id (members and what derives from them)
    documents: int = 0


class _Source(Application[UUID]):
    """The source store's log, read with no views or commands: opening it as a
    ``Community`` would add view tables to it."""

    name = "community"  # the same events table as Community's


def upgrade(source_url: str, target: Community,
            new_id: Callable[[], UUID] = uuid4) -> Upgraded:
    """Copy the store at ``source_url`` into the empty ``target``, in today's shape.
    ``new_id``: where members' new ids come from (tests may fix them)."""
    if target.recorder.max_notification_id():
        raise UpgradeError("the target store already has events: upgrade into an empty store")
    if source_url == target.settings.database_url:
        raise UpgradeError("the target must be a new store, not the source itself")
    source = _Source(env=persistence_env(source_url))
    try:
        if not source.recorder.max_notification_id():
            raise UpgradeError("the source store has no events")
        ids = _new_member_ids(source, new_id)
        done = Upgraded(members=len(ids))
        _copy_events(source, target, ids, done)
        done.documents = _copy_documents(source, target)
    finally:
        source.close()
        # The library's close leaves the engine's pool open (Community.close disposes
        # its own): a PostgreSQL source would keep a connection until collected.
        recorder: Any = source.recorder
        recorder.datastore.engine.dispose()
    target.views.catch_up()
    return done


def _notifications(source: Application[UUID]) -> Iterator[Notification]:
    start: int | None = None
    while page := source.recorder.select_notifications(start, PAGE, inclusive_of_start=False):
        yield from page
        start = page[-1].id


def _new_member_ids(source: Application[UUID], new_id: Callable[[], UUID]) -> dict[UUID, UUID]:
    """Old member id → new random id, for every member who ever joined."""
    return {UUID(str(n.originator_id)): new_id() for n in _notifications(source)
            if n.topic == JOINED}


def _copy_events(source: Application[UUID], target: Community, ids: dict[UUID, UUID],
                 done: Upgraded) -> None:
    source_keys = _keys_of(source)
    renames: dict[UUID, UUID] = dict(ids)
    texts = {str(old): str(new) for old, new in renames.items()}
    batch: list[StoredEvent] = []
    for notification in _notifications(source):
        done.events_read += 1
        state = _unpack(source.mapper, notification.state)
        if notification.topic.startswith(INDEX_ENTRY + "."):
            continue  # made anew below, keyed by the target's secret
        old_id = UUID(str(notification.originator_id))
        # Sealed personal fields (community.personal_data) are opened with the source's
        # keys, rewritten like the rest, and sealed again for the member's new id.
        state = open_json(notification.topic, old_id, state, source_keys)
        state = _rewrite(state, renames, texts)
        if notification.originator_version == 1 and old_id not in renames and (
                derived := _derived_id(target.mapper, state, old_id)) is not None:
            renames[old_id], texts[str(old_id)] = derived, str(derived)
        new_id = renames.get(old_id, old_id)
        if notification.topic == JOINED:
            index_entry = _index_entry(target, state, new_id)
        batch.append(StoredEvent(originator_id=new_id,
                                 originator_version=notification.originator_version,
                                 topic=notification.topic,
                                 state=_pack(target.mapper,
                                             seal_json(notification.topic, new_id, state,
                                                       target.keys))))
        if notification.topic == JOINED:
            batch.append(index_entry)
        if len(batch) >= PAGE:
            _write(target, batch, done)
    _write(target, batch, done)
    done.renamed = len(renames)


def _keys_of(source: Application[UUID]) -> KeyStore | None:
    """The source's member keys, when it has sealed fields (a store of this shape)."""
    recorder: Any = source.recorder  # the SQLAlchemy recorder, which has the engine
    engine = recorder.datastore.engine
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, member_keys.name):
            return None
    return KeyStore(engine)


def _write(target: Community, batch: list[StoredEvent], done: Upgraded) -> None:
    if batch:
        target.recorder.insert_events(batch)
        done.events_written += len(batch)
        batch.clear()


def _unpack(mapper: Mapper[UUID], stored: bytes) -> dict[str, Any]:
    """An event's stored state as plain JSON (custom types stay in their
    ``{"_type_", "_data_"}`` form, so nothing needs decoding)."""
    if mapper.cipher:
        stored = mapper.cipher.decrypt(stored)
    if mapper.compressor:
        stored = mapper.compressor.decompress(stored)
    state: dict[str, Any] = json.loads(stored)
    return state


def _pack(mapper: Mapper[UUID], state: dict[str, Any]) -> bytes:
    stored = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if mapper.compressor:
        stored = mapper.compressor.compress(stored)
    if mapper.cipher:
        stored = mapper.cipher.encrypt(stored)
    return stored


def _rewrite(value: Any, renames: dict[UUID, UUID], texts: dict[str, str]) -> Any:
    """``value`` with every renamed id replaced: UUIDs (stored as hex) and ids
    written inside text, keys of objects included."""
    if isinstance(value, dict):
        if value.get("_type_") == "uuid_hex" and isinstance(value.get("_data_"), str):
            old = UUID(value["_data_"])
            return {"_type_": "uuid_hex", "_data_": renames.get(old, old).hex}
        return {_rewrite(k, renames, texts): _rewrite(v, renames, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, renames, texts) for v in value]
    if isinstance(value, str) and "-" in value:
        return UUID_TEXT.sub(lambda found: texts.get(found.group(), found.group()), value)
    return value


def _derived_id(mapper: Mapper[UUID], state: dict[str, Any], old_id: UUID) -> UUID | None:
    """The new id of an aggregate whose class derives its id from its created event
    (``create_id``), when the rewritten event gives another; else None (it stays)."""
    topic = state.get("originator_topic")
    if not isinstance(topic, str):
        return None
    aggregate = resolve_topic(topic)
    if "create_id" not in vars(aggregate):
        return None
    names = list(inspect.signature(aggregate.create_id).parameters)
    if not names or not set(names) <= set(state):
        return None
    created = mapper.transcoder.decode(
        json.dumps({name: state[name] for name in names}).encode("utf-8"))
    new = aggregate.create_id(**created)
    return new if isinstance(new, UUID) and new != old_id else None


def _index_entry(target: Community, joined: dict[str, Any], member_id: UUID) -> StoredEvent:
    """The member's e-mail index entry, keyed by the target's secret, at the time
    they joined (so the log stays in time order)."""
    entry = EmailIndexEntry.claim(entry_id=target.email_index_id(joined["email"]),
                                  member_id=member_id)
    stored = target.mapper.to_stored_event(entry.collect_events()[0])
    state = _unpack(target.mapper, stored.state)
    state["timestamp"] = joined["timestamp"]
    return StoredEvent(originator_id=stored.originator_id, originator_version=1,
                       topic=stored.topic, state=_pack(target.mapper, state))


def _copy_documents(source: Application[UUID], target: Community) -> int:
    """Documents' bytes live outside the log, by hash: copied as they are."""
    recorder: Any = source.recorder  # the SQLAlchemy recorder, which has the engine
    engine = recorder.datastore.engine
    copied = 0
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, contents.name):
            return 0
        for sha256, data in conn.execute(select(contents.c.sha256, contents.c.content)):
            target.documents.put(Upload(name="", content_type="", size=len(data),
                                        sha256=sha256), bytes(data))
            copied += 1
    return copied
