"""Export the event log to a file, and restore it into an empty store.

The event log is the record, so a backup is the log itself: one JSON object per line,
in the log's order, followed by the documents' bytes (they live beside the log, see
``community.documents``), the members' keys for their sealed personal fields (see
``community.personal_data``; so a backup is as personal as the store: keep it as
carefully), and a last line with the count and a SHA-256 of every line before it.
The views are not exported: a restore replays the log into them, so they equal the
originals by construction, and a backup made by an older version restores into the
views of this one.

A restore checks the whole file before writing anything (a changed or cut file is
refused, naming the line) and loads only into a store with no events, so it can never
mix two histories.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import select

from community.application import Community
from community.documents import contents
from community.personal_data import forgotten_members, member_keys

FORMAT = "clinical-community-log/1"
BATCH = 1000

Progress = Callable[[int], None]


class BackupRefused(Exception):
    """The file or the store is not fit for a restore; nothing was written."""


@dataclass(frozen=True)
class BackupSummary:
    events: int
    documents: int
    checksum: str


def _state_field(state: bytes) -> dict[str, str]:
    """Event state is JSON text, kept readable; anything else (a compressed or
    encrypted store) goes as base64."""
    try:
        return {"state": state.decode("utf-8")}
    except UnicodeDecodeError:
        return {"state_base64": base64.b64encode(state).decode("ascii")}


def _lines(app: Community, progress: Progress | None) -> Iterator[dict[str, Any]]:
    yield {"format": FORMAT, "exported_at": datetime.now(UTC).isoformat(timespec="seconds")}
    start = 0
    while True:
        page = app.recorder.select_notifications(start=start, limit=BATCH,
                                                 inclusive_of_start=False)
        if not page:
            break
        for n in page:
            yield {"event": {"originator_id": str(n.originator_id),
                             "originator_version": n.originator_version,
                             "topic": n.topic, **_state_field(n.state)}}
        start = page[-1].id
        if progress:
            progress(len(page))
    with app.engine.connect() as conn:
        rows = conn.execute(select(contents.c.sha256, contents.c.content)
                            .order_by(contents.c.sha256))
        for sha256, content in rows:
            yield {"document": {"sha256": sha256,
                                "content": base64.b64encode(bytes(content)).decode("ascii")}}
        # Members' keys: without them the restored log's personal fields could not be
        # read. Those forgotten stay forgotten (and have no key to export).
        for member_id, key in conn.execute(select(member_keys.c.member_id, member_keys.c.key)
                                           .order_by(member_keys.c.member_id)):
            yield {"key": {"member_id": member_id,
                           "key": base64.b64encode(bytes(key)).decode("ascii")}}
        for member_id, at in conn.execute(select(forgotten_members.c.member_id,
                                                 forgotten_members.c.forgotten_at)
                                          .order_by(forgotten_members.c.member_id)):
            yield {"forgotten": {"member_id": member_id, "at": at.isoformat()}}


def export_log(app: Community, out: IO[str], progress: Progress | None = None) -> BackupSummary:
    """Write the log and the documents to ``out``; returns what was written."""
    digest = hashlib.sha256()
    events = documents = 0
    for line in _lines(app, progress):
        text = json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n"
        digest.update(text.encode("utf-8"))
        out.write(text)
        events += "event" in line
        documents += "document" in line
    checksum = "sha256:" + digest.hexdigest()
    out.write(json.dumps({"end": {"events": events, "documents": documents,
                                  "checksum": checksum}}) + "\n")
    return BackupSummary(events, documents, checksum)


def check_file(lines: IO[str]) -> BackupSummary:
    """Read the whole file and refuse it if it is not an intact export."""
    digest = hashlib.sha256()
    events = documents = 0
    end: dict[str, Any] | None = None
    for number, text in enumerate(lines, start=1):
        if end is not None:
            raise BackupRefused(f"line {number}: there is more after the end line")
        try:
            line = json.loads(text)
        except json.JSONDecodeError:
            raise BackupRefused(f"line {number}: not JSON") from None
        if not isinstance(line, dict):
            raise BackupRefused(f"line {number}: not an object")
        if number == 1 and line.get("format") != FORMAT:
            raise BackupRefused(f"line 1: not a {FORMAT} export")
        if "end" in line:
            end = line["end"]
            continue
        digest.update(text.encode("utf-8"))
        events += "event" in line
        documents += "document" in line
    if end is None:
        raise BackupRefused("the file has no end line: it was cut short")
    checksum = "sha256:" + digest.hexdigest()
    if (end.get("checksum"), end.get("events"), end.get("documents")) != (checksum, events,
                                                                            documents):
        raise BackupRefused("the checksum does not match: the file was changed after export")
    return BackupSummary(events, documents, checksum)


def _stored(event: dict[str, Any]) -> StoredEvent:
    state = (event["state"].encode("utf-8") if "state" in event
             else base64.b64decode(event["state_base64"]))
    return StoredEvent(originator_id=UUID(event["originator_id"]),
                       originator_version=int(event["originator_version"]),
                       topic=event["topic"], state=state)


def restore_log(app: Community, lines: Callable[[], IO[str]],
                progress: Progress | None = None) -> BackupSummary:
    """Load an export into ``app``'s empty store and replay it into the views.

    ``lines`` opens the file afresh: it is read twice, once to check it whole and
    once to load it, so a refused file writes nothing."""
    with lines() as first:
        summary = check_file(first)
    if app.recorder.max_notification_id():
        raise BackupRefused("the store is not empty: a restore loads only into an empty store")
    batch: list[StoredEvent] = []

    def flush() -> None:
        if batch:
            app.recorder.insert_events(batch)
            if progress:
                progress(len(batch))
            batch.clear()

    with lines() as second:
        for text in second:
            line = json.loads(text)
            if "event" in line:
                batch.append(_stored(line["event"]))
                if len(batch) == BATCH:
                    flush()
            elif "document" in line:
                flush()  # documents come after every event
                document = line["document"]
                app.documents.put_bytes(document["sha256"], base64.b64decode(document["content"]))
            elif "key" in line:
                flush()
                app.keys.restore_key(UUID(line["key"]["member_id"]),
                                     base64.b64decode(line["key"]["key"]))
            elif "forgotten" in line:
                flush()
                app.keys.restore_forgotten(UUID(line["forgotten"]["member_id"]),
                                           datetime.fromisoformat(line["forgotten"]["at"]))
    flush()
    app.views.catch_up()
    return summary
