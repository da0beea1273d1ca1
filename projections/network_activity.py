"""The network's acts and ties as dated facts, for the network-health figures (issue 12).

One row per act (a member made a contact, took part in a visit, asked for or
answered a follow-up, worked on a QIP, asked or answered a question) and one per
tie (two members linked by a contact, a visit, an event they both attended, a
follow-up answered, a QIP adopted), each with the day it happened *and the day it
was recorded* (the event's timestamp). "As of D" keeps a row only when it happened
by D and was recorded by D, so a contact typed in next month, dated last month,
does not change what the figures said on the day: an event log can answer that
honestly, a table of totals cannot.

One exception: before the log's first record nothing was recorded at all, so for a
date before it (a history loaded after the fact, as the demo is) "as of" can only
go by the days the events give. ``known_by`` holds that rule for every query.

Who is an organiser, and each member's team, are read when asked (members do not
change team; the organiser flag is set on joining). An act counts as *nudged* when
it was a contact the organisers facilitated (an introduction, a meeting they
arranged), or when its member had been sent one of the organisers' nudges,
revisits or reminders in the ``NUDGE_REPLY_DAYS`` before it.

Longer than most modules, on purpose: the handlers and the "as of" queries share
the tables only this view writes, and the rules that read them (``known_by``, the
nudge window) belong beside the rules that write them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import singledispatchmethod
from itertools import combinations, groupby
from operator import itemgetter
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Date,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
    true,
    update,
)

from domain.contact import Contact
from domain.follow_up import FollowUp
from domain.member import Member
from domain.message import Message
from domain.network_activity import Act, ActKind, Tie, TieKind
from domain.qip import Qip
from domain.question import Answer, Question
from domain.visit import Visit
from domain.workshop import Workshop
from projections.reading import reading
from projections.view import View, Writer, as_id, recall, remember

# A member's act within this many days after the organisers' nudge to them is
# counted as a reply to it, not as the network's own doing.
NUDGE_REPLY_DAYS = 30
# The organisers' momentum messages (domain.momentum's keys); a notification
# e-mail is not a nudge.
NUDGE_KEYS = ("nudge:", "revisit:", "reminder:")

metadata = MetaData()
members = Table(
    "health_members", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("team_id", String(36), index=True),
    Column("is_organiser", Boolean, nullable=False),
    Column("recorded_on", Date, nullable=False),
)
qips = Table(
    "health_qips", metadata,
    Column("qip_id", String(36), primary_key=True),
    Column("team_id", String(36), nullable=False),
    Column("owner_id", String(36), nullable=False),
)
acts = Table(
    "health_acts", metadata,
    Column("notification_id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("member_id", String(36), nullable=False, index=True),
    # Work on a QIP is its team's; other acts are the member's team's.
    Column("qip_id", String(36)),
    Column("kind", String(20), nullable=False),
    Column("facilitated", Boolean, nullable=False),
    Column("day", Date, nullable=False, index=True),
    Column("recorded_on", Date, nullable=False, index=True),
)
ties = Table(
    "health_ties", metadata,
    Column("notification_id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("first_member_id", String(36), nullable=False),
    Column("second_member_id", String(36), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("facilitated", Boolean, nullable=False),
    Column("day", Date, nullable=False, index=True),
    Column("recorded_on", Date, nullable=False, index=True),
)
# Who attended each event: its shared-event ties (everyone with everyone) are made
# when asked, so an event of 150 people is 150 rows, not 11,175.
attendance = Table(
    "health_attendance", metadata,
    Column("notification_id", Integer, primary_key=True, autoincrement=False),
    Column("member_id", String(36), primary_key=True),
    Column("day", Date, nullable=False, index=True),
    Column("recorded_on", Date, nullable=False, index=True),
)
nudges = Table(
    "health_nudges", metadata,
    Column("message_id", String(36), primary_key=True),
    Column("member_id", String(36), nullable=False, index=True),
    Column("sent_on", Date),
    Column("recorded_on", Date),  # when the sending was recorded
)
# What waits for a first response: follow-ups, introductions and questions.
requests = Table(
    "health_requests", metadata,
    Column("request_id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),  # follow_up, introduction or question
    Column("asked_by", String(36), nullable=False),
    Column("asked_on", Date, nullable=False, index=True),
    Column("recorded_on", Date, nullable=False),
    Column("hidden", Boolean, nullable=False),
)
responses = Table(
    "health_responses", metadata,
    Column("notification_id", Integer, primary_key=True, autoincrement=False),
    Column("request_id", String(36), nullable=False, index=True),
    Column("answer_id", String(36), index=True),  # a question's answer, which can be hidden
    Column("responder_id", String(36)),
    Column("responded_on", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("hidden", Boolean, nullable=False),
)

INSERT_MEMBER = members.insert()
INSERT_QIP = qips.insert()
INSERT_ACT = acts.insert()
INSERT_TIE = ties.insert()
INSERT_ATTENDANCE = attendance.insert()
INSERT_NUDGE = nudges.insert()
INSERT_REQUEST = requests.insert()
INSERT_RESPONSE = responses.insert()
NUDGE_SENT = update(nudges).where(nudges.c.message_id == bindparam("m")).values(
    sent_on=bindparam("on"), recorded_on=bindparam("recorded"))
QUESTION_HIDDEN = update(requests).where(requests.c.request_id == bindparam("r")).values(
    hidden=True)
ANSWER_HIDDEN = update(responses).where(responses.c.answer_id == bindparam("a")).values(
    hidden=True)
ASKER = select(requests.c.asked_by).where(requests.c.request_id == bindparam("r"))
OWNER = select(qips.c.owner_id).where(qips.c.qip_id == bindparam("q"))


def _recorded(event: Any) -> date:
    return event.timestamp.date()


class NetworkActivity(View):
    name = "network_activity"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    # --- who is who -------------------------------------------------------------------

    @apply.register(Member.Joined)
    def member_joined(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_MEMBER, {"member_id": str(event.originator_id),
                                 "team_id": as_id(event.team_id),
                                 "is_organiser": bool(event.is_organiser),
                                 "recorded_on": _recorded(event)})

    # --- contacts, visits and events ----------------------------------------------------

    @apply.register(Contact.Made)
    def contact_made(self, event: Any, w: Writer, n: int) -> None:
        # The sender made the contact; one the organisers arranged is theirs to claim.
        self._act(w, n, 0, event, event.from_member_id, ActKind.CONTACT, event.made_on,
                  facilitated=event.facilitated)
        self._tie(w, n, 0, event, event.from_member_id, event.to_member_id, TieKind.CONTACT,
                  event.made_on, facilitated=event.facilitated)

    @apply.register(Visit.Recorded)
    def visit_recorded(self, event: Any, w: Writer, n: int) -> None:
        attendees = list(dict.fromkeys(event.attendee_ids))
        for seq, member_id in enumerate(attendees):
            self._act(w, n, seq, event, member_id, ActKind.VISIT, event.visited_on)
        # Everyone there met everyone else; same-team pairs are dropped at query time
        # only where a measure wants teams.
        self._pairs(w, n, event, attendees, TieKind.VISIT, event.visited_on)

    @apply.register(Workshop.Held)
    @apply.register(Workshop.AttendanceRecorded)  # a planned event, once held
    def workshop_held(self, event: Any, w: Writer, n: int) -> None:
        # Sitting in the same event is a (weak) tie; attending is not an act of its own.
        for member_id in sorted({str(m) for m in event.attendee_ids}):
            w.insert(INSERT_ATTENDANCE, {"notification_id": n, "member_id": member_id,
                                         "day": event.held_on,
                                         "recorded_on": _recorded(event)})

    # --- follow-ups and introductions ------------------------------------------------

    @apply.register(FollowUp.Requested)
    def follow_up_requested(self, event: Any, w: Writer, n: int) -> None:
        self._act(w, n, 0, event, event.requested_by, ActKind.FOLLOW_UP, event.requested_on)
        remember(w, "askers", str(event.originator_id), str(event.requested_by))
        w.insert(INSERT_REQUEST, {
            "request_id": str(event.originator_id),
            "kind": "introduction" if event.about_member_id is not None else "follow_up",
            "asked_by": str(event.requested_by), "asked_on": event.requested_on,
            "recorded_on": _recorded(event), "hidden": False})

    @apply.register(FollowUp.Answered)
    @apply.register(FollowUp.Accepted)
    @apply.register(FollowUp.Declined)
    def follow_up_answered(self, event: Any, w: Writer, n: int) -> None:
        # Any answer (a reply, a yes or a no) is a response, as the follow-ups view counts.
        by = (getattr(event, "answered_by", None) or getattr(event, "accepted_by", None)
              or getattr(event, "declined_by", None))
        w.insert(INSERT_RESPONSE, {"notification_id": n, "request_id": str(event.originator_id),
                                   "answer_id": None, "responder_id": as_id(by),
                                   "responded_on": event.answered_on,
                                   "recorded_on": _recorded(event), "hidden": False})
        if by is None:
            return
        self._act(w, n, 0, event, by, ActKind.FOLLOW_UP, event.answered_on)
        request_id = str(event.originator_id)
        asker = recall(w, "askers", request_id,
                       lambda: w.execute(ASKER, {"r": request_id}).scalar())
        if asker is not None and asker != str(by):
            self._tie(w, n, 0, event, asker, by, TieKind.FOLLOW_UP, event.answered_on)

    # --- QIP work and adoptions -------------------------------------------------------

    @apply.register(Qip.Drafted)
    def qip_drafted(self, event: Any, w: Writer, n: int) -> None:
        qip_id = str(event.originator_id)
        # getattr: plans drafted before who drafted them and when was kept.
        author = getattr(event, "drafted_by", None) or event.owner_id
        w.insert(INSERT_QIP, {"qip_id": qip_id, "team_id": str(event.team_id),
                              "owner_id": str(event.owner_id)})
        remember(w, "owners", qip_id, str(event.owner_id))
        day = getattr(event, "drafted_on", None) or _recorded(event)
        self._act(w, n, 0, event, author, ActKind.QIP_WORK, day, qip_id=qip_id)
        if event.adapted_from is not None:
            adapted = str(event.adapted_from)
            owner = recall(w, "owners", adapted,
                           lambda: w.execute(OWNER, {"q": adapted}).scalar())
            if owner is not None and owner != str(author):
                self._tie(w, n, 0, event, author, owner, TieKind.QIP_ADOPTION, day)

    @apply.register(Qip.Revised)
    def qip_revised(self, event: Any, w: Writer, n: int) -> None:
        by = getattr(event, "revised_by", None)
        if by is not None:
            self._qip_work(w, n, event, by, getattr(event, "revised_on", None) or _recorded(event))

    @apply.register(Qip.Submitted)
    def qip_submitted(self, event: Any, w: Writer, n: int) -> None:
        self._qip_work(w, n, event, event.submitted_by, event.submitted_on)

    @apply.register(Qip.ChangesRequested)
    def qip_reviewed(self, event: Any, w: Writer, n: int) -> None:
        self._qip_work(w, n, event, event.reviewed_by, event.reviewed_on)

    @apply.register(Qip.Shared)
    def qip_shared(self, event: Any, w: Writer, n: int) -> None:
        self._qip_work(w, n, event, event.shared_by, event.shared_on)

    @apply.register(Qip.Completed)
    def qip_completed(self, event: Any, w: Writer, n: int) -> None:
        self._qip_work(w, n, event, event.completed_by, event.completed_on)

    @apply.register(Qip.Stopped)
    def qip_stopped(self, event: Any, w: Writer, n: int) -> None:
        self._qip_work(w, n, event, event.stopped_by, event.stopped_on)

    @apply.register(Qip.ProgressRecorded)
    def progress_recorded(self, event: Any, w: Writer, n: int) -> None:
        # Dated by the value's own date, as the sustainability figures count it.
        self._qip_work(w, n, event, event.recorded_by, event.recorded_on)

    @apply.register(Qip.DocumentAttached)
    def document_attached(self, event: Any, w: Writer, n: int) -> None:
        self._qip_work(w, n, event, event.attached_by, event.attached_on)

    @apply.register(Qip.ChangeMarked)
    def change_marked(self, event: Any, w: Writer, n: int) -> None:
        self._qip_work(w, n, event, event.marked_by, event.changed_on)

    # --- questions and answers ----------------------------------------------------------

    @apply.register(Question.Asked)
    def question_asked(self, event: Any, w: Writer, n: int) -> None:
        self._act(w, n, 0, event, event.asked_by, ActKind.QUESTION, event.asked_on)
        w.insert(INSERT_REQUEST, {"request_id": str(event.originator_id), "kind": "question",
                                  "asked_by": str(event.asked_by), "asked_on": event.asked_on,
                                  "recorded_on": _recorded(event), "hidden": False})

    @apply.register(Question.Hidden)
    def question_hidden(self, event: Any, w: Writer, _: int) -> None:
        w.execute(QUESTION_HIDDEN, {"r": str(event.originator_id)})

    @apply.register(Answer.Posted)
    def answer_posted(self, event: Any, w: Writer, n: int) -> None:
        self._act(w, n, 0, event, event.posted_by, ActKind.ANSWER, event.posted_on)
        w.insert(INSERT_RESPONSE, {"notification_id": n, "request_id": str(event.question_id),
                                   "answer_id": str(event.originator_id),
                                   "responder_id": str(event.posted_by),
                                   "responded_on": event.posted_on,
                                   "recorded_on": _recorded(event), "hidden": False})

    @apply.register(Answer.Hidden)
    def answer_hidden(self, event: Any, w: Writer, _: int) -> None:
        w.execute(ANSWER_HIDDEN, {"a": str(event.originator_id)})

    # --- the organisers' nudges ---------------------------------------------------------

    @apply.register(Message.Proposed)
    def message_proposed(self, event: Any, w: Writer, _: int) -> None:
        if event.key.startswith(NUDGE_KEYS):
            w.insert(INSERT_NUDGE, {"message_id": str(event.originator_id),
                                    "member_id": str(event.to_member_id),
                                    "sent_on": None, "recorded_on": None})

    @apply.register(Message.Sent)
    def message_sent(self, event: Any, w: Writer, _: int) -> None:
        # Not a nudge (a notification e-mail): no row, nothing updated. Held like an
        # insert: a message is sent once, and the last word on it stands.
        w.set_latest(NUDGE_SENT, str(event.originator_id),
                     {"m": str(event.originator_id), "on": event.sent_on,
                      "recorded": _recorded(event)})

    # --- writing ------------------------------------------------------------------------

    def _qip_work(self, w: Writer, n: int, event: Any, by: UUID | None, day: date) -> None:
        if by is not None:
            self._act(w, n, 0, event, by, ActKind.QIP_WORK, day,
                      qip_id=str(event.originator_id))

    @staticmethod
    def _act(w: Writer, n: int, seq: int, event: Any, member_id: UUID | str, kind: ActKind,
             day: date, *, facilitated: bool = False, qip_id: str | None = None) -> None:
        w.insert(INSERT_ACT, {"notification_id": n, "seq": seq, "member_id": str(member_id),
                              "qip_id": qip_id, "kind": kind.value,
                              "facilitated": bool(facilitated), "day": day,
                              "recorded_on": _recorded(event)})

    @staticmethod
    def _tie(w: Writer, n: int, seq: int, event: Any, first: UUID | str, second: UUID | str,
             kind: TieKind, day: date, *, facilitated: bool = False) -> None:
        w.insert(INSERT_TIE, {"notification_id": n, "seq": seq, "first_member_id": str(first),
                              "second_member_id": str(second), "kind": kind.value,
                              "facilitated": bool(facilitated), "day": day,
                              "recorded_on": _recorded(event)})

    def _pairs(self, w: Writer, n: int, event: Any, people: Sequence[UUID], kind: TieKind,
               day: date) -> None:
        for seq, (a, b) in enumerate(combinations(sorted(str(p) for p in people), 2)):
            self._tie(w, n, seq, event, a, b, kind, day)

    # --- queries ------------------------------------------------------------------------

    def log_began_on(self) -> date | None:
        """The day of the earliest record this view holds."""
        with reading(self.engine) as conn:
            return conn.scalar(select(func.min(members.c.recorded_on)))

    def acts_between(self, as_of: date, since: date | None = None) -> list[Act]:
        return acts_between(self.engine, as_of, since)

    def ties_between(self, as_of: date, since: date | None = None) -> list[Tie]:
        return ties_between(self.engine, as_of, since)

    def members_as_of(self, as_of: date) -> list[MemberRow]:
        return members_as_of(self.engine, as_of)

    def requests_as_of(self, as_of: date, since: date | None = None) -> list[Request]:
        return requests_as_of(self.engine, as_of, since)


@dataclass(frozen=True, slots=True)
class MemberRow:
    member_id: str
    team_id: str | None
    is_organiser: bool


@dataclass(frozen=True, slots=True)
class Request:
    """Something that waits for a first response, as known on the as-of date."""
    request_id: str
    kind: str                    # follow_up, introduction or question
    asked_on: date
    first_response_on: date | None


def known_by(engine: Engine, recorded: Any, as_of: date) -> ColumnElement[bool]:
    """Recorded by ``as_of``; before the log's first record, anything (see the module)."""
    with reading(engine) as conn:
        began = conn.scalar(select(func.min(members.c.recorded_on)))
    if began is None or as_of < began:
        return true()
    known: ColumnElement[bool] = recorded <= as_of
    return known


def members_as_of(engine: Engine, as_of: date) -> list[MemberRow]:
    query = (select(members.c.member_id, members.c.team_id, members.c.is_organiser)
             .where(known_by(engine, members.c.recorded_on, as_of))
             .order_by(members.c.member_id))
    with reading(engine) as conn:
        return [MemberRow(*row) for row in conn.execute(query)]


def _nudged_days(engine: Engine, as_of: date) -> dict[str, list[date]]:
    """Member → the days the organisers' nudges to them were sent, as known then."""
    query = (select(nudges.c.member_id, nudges.c.sent_on)
             .where(nudges.c.sent_on.is_not(None), nudges.c.sent_on <= as_of,
                    known_by(engine, nudges.c.recorded_on, as_of)))
    found: dict[str, list[date]] = {}
    with reading(engine) as conn:
        for member_id, sent_on in conn.execute(query):
            found.setdefault(member_id, []).append(sent_on)
    return found


def _replies(days: Iterable[date], day: date) -> bool:
    return any(sent < day <= sent + timedelta(days=NUDGE_REPLY_DAYS) for sent in days)


def acts_between(engine: Engine, as_of: date, since: date | None = None) -> list[Act]:
    """Every act that happened from ``since`` (or the start) to ``as_of`` and was
    recorded by ``as_of``, oldest first."""
    team = func.coalesce(qips.c.team_id, members.c.team_id)
    query = (select(acts.c.member_id, team, acts.c.day, acts.c.kind, members.c.is_organiser,
                    acts.c.facilitated)
             .outerjoin(members, members.c.member_id == acts.c.member_id)
             .outerjoin(qips, qips.c.qip_id == acts.c.qip_id)
             .where(acts.c.day <= as_of, known_by(engine, acts.c.recorded_on, as_of))
             .order_by(acts.c.day, acts.c.notification_id, acts.c.seq))
    if since is not None:
        query = query.where(acts.c.day >= since)
    nudged = _nudged_days(engine, as_of)
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [Act(member_id, team_id, day, ActKind(kind), bool(organiser),
                bool(facilitated) or _replies(nudged.get(member_id, ()), day))
            for member_id, team_id, day, kind, organiser, facilitated in rows]


def ties_between(engine: Engine, as_of: date, since: date | None = None) -> list[Tie]:
    """Every tie formed from ``since`` (or the start) to ``as_of`` and recorded by
    ``as_of``, oldest first, with each member's team. An event's attendees are tied
    each to each (in member id order) here, not in the table."""
    query = (select(ties.c.day, ties.c.notification_id, ties.c.first_member_id,
                    ties.c.second_member_id, ties.c.kind, ties.c.facilitated)
             .where(ties.c.day <= as_of, known_by(engine, ties.c.recorded_on, as_of))
             .order_by(ties.c.day, ties.c.notification_id, ties.c.seq))
    came = (select(attendance.c.day, attendance.c.notification_id, attendance.c.member_id)
            .where(attendance.c.day <= as_of, known_by(engine, attendance.c.recorded_on, as_of))
            .order_by(attendance.c.day, attendance.c.notification_id, attendance.c.member_id))
    if since is not None:
        query = query.where(ties.c.day >= since)
        came = came.where(attendance.c.day >= since)
    with reading(engine) as conn:
        team_of = dict(conn.execute(select(members.c.member_id, members.c.team_id)).tuples().all())
        rows = conn.execute(query).all()
        attended = conn.execute(came).all()

    def recorded() -> Iterator[tuple[date, int, str, str, TieKind, bool]]:
        for day, n, first, second, kind, facilitated in rows:
            yield day, n, first, second, TieKind(kind), bool(facilitated)

    def shared() -> Iterator[tuple[date, int, str, str, TieKind, bool]]:
        for (day, n), people in groupby(attended, key=itemgetter(0, 1)):
            for a, b in combinations([p for _, _, p in people], 2):
                yield day, n, a, b, TieKind.SHARED_EVENT, False

    # Both come ordered by day and event, so merging them keeps that order.
    return [Tie(first, team_of.get(first), second, team_of.get(second), day, kind, facilitated)
            for day, _, first, second, kind, facilitated
            in heapq.merge(recorded(), shared(), key=itemgetter(0, 1))]


def requests_as_of(engine: Engine, as_of: date, since: date | None = None) -> list[Request]:
    """Follow-ups, introductions and questions asked from ``since`` to ``as_of``, each
    with its first response as known on ``as_of``. A question's response is an answer
    from outside the asker's team (the questions view's rule); a follow-up's is any
    answer, a yes or a no (the follow-ups view's rule)."""
    asker_team = members.alias("asker")
    responder_team = members.alias("responder")
    counts = or_(requests.c.kind != "question",
                 and_(responses.c.responder_id != requests.c.asked_by,
                      or_(asker_team.c.team_id.is_(None),
                          responder_team.c.team_id.is_(None),
                          responder_team.c.team_id != asker_team.c.team_id)))
    first = (select(responses.c.request_id, func.min(responses.c.responded_on).label("first_on"))
             .join(requests, requests.c.request_id == responses.c.request_id)
             .outerjoin(asker_team, asker_team.c.member_id == requests.c.asked_by)
             .outerjoin(responder_team, responder_team.c.member_id == responses.c.responder_id)
             .where(responses.c.hidden.is_(False), responses.c.responded_on <= as_of,
                    known_by(engine, responses.c.recorded_on, as_of), counts)
             .group_by(responses.c.request_id).subquery())
    query = (select(requests.c.request_id, requests.c.kind, requests.c.asked_on, first.c.first_on)
             .outerjoin(first, first.c.request_id == requests.c.request_id)
             .where(requests.c.hidden.is_(False), requests.c.asked_on <= as_of,
                    known_by(engine, requests.c.recorded_on, as_of))
             .order_by(requests.c.asked_on, requests.c.request_id))
    if since is not None:
        query = query.where(requests.c.asked_on >= since)
    with reading(engine) as conn:
        return [Request(*row) for row in conn.execute(query)]
