"""The audit trail: who did what, and when, read straight from the event log.

The log already records every change with its time, so the trail is a reading of
it, newest first, not a second record that could disagree. Each entry names the
kind of record and what happened to it (from the event's class), the member who did
it where the event says (its ``by`` or ``…_by`` field; a member's own changes to
their profile are theirs), and the record it happened to. It never shows what the
event carries beyond that (no names, contact details or free text), so the trail
can be read without exposing what members wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from community.application import Community
from domain.contact import Contact
from domain.follow_up import FollowUp
from domain.member import Member, NotificationSettings
from domain.message import Message
from domain.pairing import Pairing
from domain.programme import Programme
from domain.qip import Qip
from domain.question import Answer, Question, Report
from domain.sustainability_model import Assessment, SustainabilityModel
from domain.team import Team
from domain.visit import Visit
from domain.workshop import Workshop

# How far back one page may look for entries of a chosen kind before it stops and
# offers "older": a page never reads the whole log.
WINDOW = 2000
MAX_WINDOWS = 10


class Record(StrEnum):
    """The kinds of record, in the organisers' words."""

    MEMBER = "member"
    TEAM = "team"
    QIP = "qip"
    EVENT = "event"
    VISIT = "visit"
    PAIRING = "pairing"
    CONTACT = "contact"
    FOLLOW_UP = "follow_up"
    QUESTION = "question"
    ANSWER = "answer"
    REPORT = "report"
    OUTBOX = "outbox"
    SELF_ASSESSMENT = "self_assessment"
    SETTINGS = "settings"
    PROGRAMME = "programme"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Record.MEMBER: "Member", Record.TEAM: "Team", Record.QIP: "QIP",
           Record.EVENT: "Event", Record.VISIT: "Peer-review visit", Record.PAIRING: "Pairing",
           Record.CONTACT: "Contact", Record.FOLLOW_UP: "Follow-up",
           Record.QUESTION: "Question", Record.ANSWER: "Answer", Record.REPORT: "Report",
           Record.OUTBOX: "Outbox message", Record.SELF_ASSESSMENT: "Self-assessment",
           Record.SETTINGS: "Notification settings", Record.PROGRAMME: "Programme"}

AGGREGATES: dict[Record, tuple[type[Aggregate], ...]] = {
    Record.MEMBER: (Member,), Record.TEAM: (Team,), Record.QIP: (Qip,),
    Record.EVENT: (Workshop,), Record.VISIT: (Visit,), Record.PAIRING: (Pairing,),
    Record.CONTACT: (Contact,), Record.FOLLOW_UP: (FollowUp,),
    Record.QUESTION: (Question,), Record.ANSWER: (Answer,), Record.REPORT: (Report,),
    Record.OUTBOX: (Message,), Record.SELF_ASSESSMENT: (Assessment, SustainabilityModel),
    Record.SETTINGS: (NotificationSettings,), Record.PROGRAMME: (Programme,),
}


def _event_classes(aggregate: type[Aggregate]) -> Iterator[type]:
    for value in vars(aggregate).values():
        if isinstance(value, type) and issubclass(value, Aggregate.Event):
            yield value


def topics_of(record: Record) -> list[str]:
    return sorted(get_topic(cls) for aggregate in AGGREGATES[record]
                  for cls in _event_classes(aggregate))


# "All" leaves out notification settings: members reading their notifications are
# most of a busy log and change nothing anyone audits; they can still be chosen.
EVERYDAY = sorted(topic for record in Record if record is not Record.SETTINGS
                  for topic in topics_of(record))

_RECORD_OF_TOPIC = {topic: record for record in Record for topic in topics_of(record)}


@dataclass(frozen=True)
class Entry:
    position: int
    at: datetime
    record: Record | None
    record_id: UUID
    what: str          # "Value recorded"
    by: UUID | None    # who did it, where the event says


@dataclass(frozen=True)
class TrailPage:
    entries: list[Entry]
    older: int | None  # read entries before this position for the next page
    searched_to: int   # the oldest position this page looked at


def _words(class_name: str) -> str:
    """``ValueCorrected`` → "Value corrected"."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+", class_name)
    return " ".join([words[0], *(w if w.isupper() and len(w) > 1 else w.lower()
                                 for w in words[1:])]) if words else class_name


def _actor(record: Record | None, event: Any) -> UUID | None:
    fields = vars(event)
    if isinstance(fields.get("by"), UUID):
        return fields["by"]
    for name, value in fields.items():
        if name.endswith("_by") and isinstance(value, UUID):
            return value
    if record is Record.CONTACT and isinstance(fields.get("from_member_id"), UUID):
        return fields["from_member_id"]
    if record is Record.MEMBER:
        return event.originator_id  # a member's own joining and profile changes
    if isinstance(fields.get("member_id"), UUID):
        return fields["member_id"]  # e.g. settings started for their member
    return None


def trail(app: Community, *, before: int | None = None, record: Record | None = None,
          limit: int = 50) -> TrailPage:
    """Up to ``limit`` entries before position ``before`` (the newest when None),
    newest first, of one kind of record or all."""
    top = (app.recorder.max_notification_id() or 0) if before is None else before - 1
    topics = topics_of(record) if record else EVERYDAY
    found: list[Entry] = []
    stop = top
    window = max(4 * limit, 100)  # most pages fill from the first, small read
    for _ in range(MAX_WINDOWS):
        if stop < 1 or len(found) >= limit:
            break
        start = max(1, stop - window + 1)
        window = min(2 * window, WINDOW)
        notifications = app.recorder.select_notifications(
            start=start, stop=stop, limit=WINDOW, topics=topics)
        for n in reversed(notifications):
            if len(found) == limit:
                break
            event = app.mapper.to_domain_event(n)
            assert isinstance(event, Aggregate.Event)  # every event we store is one
            kind = _RECORD_OF_TOPIC.get(n.topic)
            found.append(Entry(position=n.id, at=event.timestamp, record=kind,
                               record_id=event.originator_id,
                               what=_words(type(event).__qualname__.rsplit(".", 1)[-1]),
                               by=_actor(kind, event)))
        stop = start - 1 if len(found) < limit else found[-1].position - 1
    older = stop + 1 if stop >= 1 else None
    return TrailPage(entries=found, older=older, searched_to=max(stop + 1, 1))
