"""Notifications: what each member is told about, fanned out from events that already exist.

Not a second source of truth: every row comes from an event in the log (a
review, a shared plan, an answered follow-up, an introduction, a planned
event), so a rebuild gives the same rows with the same ids. What a member
has read and which kinds they want by e-mail are the member's own events
(``NotificationSettings.Read``, ``NotificationSettings.EmailChoicesMade``, see
domain/member.py for why they are not ``Member`` events), replayed here too.

To know whom to tell, the view keeps its own small copies of who is in which
team with which role, each QIP's team and title, and who asked each follow-up,
and remembers them between pages (see ``View.memory``).

A planned event tells every member (or every member of the roles invited):
about a thousand rows each, three quarters of the view and of its rebuild
(issue 14). So it is stored once, as a broadcast with its invited roles, and
its audience is resolved when read: the members who had joined before it and
held an invited role then (``notification_past_roles`` keeps the roles members
held before a change). Its id for a member is still uuid5 of event and member,
computed when read, so ids in ``Read`` events already in the log keep working.
What a member has read is one table of ids (``notification_reads``), theirs
and broadcasts' alike.

A new question tells everyone who follows one of its key areas or its teams:
one row per follower was 83% of the view's rows on a ten-year national store
(595,472 of 715,537 at 200,000 events) and its cost per event grew with the log,
as follows accumulate. So it is stored once too (``notification_questions_told``,
with its topics: ``area:<key area>``, ``team:<id>``), and each member's follows are
kept as periods of log positions (``notification_follow_topics``): a member was told
of a question when they followed one of its topics at its position. Its id and
text for a member are computed when read, as for broadcasts.

Why one module over 400 lines: the tables, the fan-out rules and the queries of
one read model change together.
"""

from __future__ import annotations

import hashlib
from bisect import insort
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache, singledispatchmethod
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import BindParameter

from domain.contact import Contact
from domain.follow_up import FollowUp
from domain.member import Member, NotificationKind, NotificationSettings
from domain.qip import Qip
from domain.question import Answer, Question
from domain.values import KeyArea
from domain.workshop import Workshop
from projections.reading import reading, rows_of
from projections.view import View, Writer, as_id, recall, remember

metadata = MetaData()
notifications = Table(
    "notifications", metadata,
    Column("id", String(36), primary_key=True),
    Column("member_id", String(36), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("text", Text, nullable=False),
    Column("link", String(300), nullable=False),
    Column("created", Date, nullable=False),
    Column("position", Integer, nullable=False),  # the event's place in the log: newest first
    Index("notifications_by_member", "member_id", "created"),
)
# What each member has read: ids of their own rows and of broadcasts told to them.
reads = Table(
    "notification_reads", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("id", String(36), primary_key=True),
)
# A notification to many (a planned event), stored once; see the module's docstring.
broadcasts = Table(
    "notification_broadcasts", metadata,
    Column("key", String(80), primary_key=True),  # "event's originator id:version"
    Column("kind", String(30), nullable=False),
    Column("text", Text, nullable=False),
    Column("link", String(300), nullable=False),
    Column("created", Date, nullable=False),
    Column("position", Integer, nullable=False, index=True),
    Column("everyone", Boolean, nullable=False),  # else only the roles listed below
)
broadcast_roles = Table(
    "notification_broadcast_roles", metadata,
    Column("key", String(80), primary_key=True),
    Column("role", String(40), primary_key=True),
)
# The role a member held before each change, and between which log positions.
past_roles = Table(
    "notification_past_roles", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("since", Integer, primary_key=True),
    Column("until", Integer, nullable=False),
    Column("role", String(40), nullable=False),
)
people = Table(
    "notification_members", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(40), nullable=False),
    Column("team_id", String(36), index=True),
    Column("is_organiser", Boolean, nullable=False),
    Column("role_since", Integer, nullable=False),  # the log position the role holds from
    Column("email_kinds", String(200), nullable=False),  # ",plan_shared,event_planned,"
    Column("email_since", Date),  # e-mails only for what happened since the member chose
)
plans = Table(
    "notification_qips", metadata,
    Column("id", String(36), primary_key=True),
    Column("team_id", String(36), nullable=False),
    Column("title", String(200), nullable=False),
)
requests = Table(
    "notification_follow_ups", metadata,
    Column("id", String(36), primary_key=True),
    Column("requested_by", String(36), nullable=False),
    Column("kind", String(30), nullable=False),
)
# Questions and answers: enough to say whom to tell about a new question or answer.
asked = Table(
    "notification_questions", metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("asked_by", String(36), nullable=False),
)
question_followers = Table(
    "notification_question_followers", metadata,
    Column("question_id", String(36), primary_key=True),
    Column("member_id", String(36), primary_key=True),
)
answered = Table(
    "notification_answers", metadata,
    Column("id", String(36), primary_key=True),
    Column("question_id", String(36), nullable=False),
    Column("posted_by", String(36), nullable=False),
)
# A new question, stored once (see the module's docstring), and what it is about.
questions_told = Table(
    "notification_questions_told", metadata,
    Column("key", String(80), primary_key=True),  # "event's originator id:version"
    Column("title", String(200), nullable=False),
    Column("link", String(300), nullable=False),
    Column("created", Date, nullable=False),
    # The question's place in the log: it names the question in the tables below.
    Column("position", Integer, nullable=False, unique=True),
)
question_topics = Table(
    "notification_question_topics", metadata,
    Column("topic", String(60), primary_key=True),  # "area:diagnostics", "team:<id>"
    Column("position", Integer, primary_key=True),
    Column("created", Date, nullable=False),
    # A member's questions, period by period, with the day that orders them, read from
    # the index alone (``_newest_questions``: half the time of reading the table).
    Index("notification_question_topics_newest", "topic", "position", "created"),
)
# Who is not told of a question however they follow: the asker and those mentioned
# (told by a row of their own).
question_left_out = Table(
    "notification_question_left_out", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("position", Integer, primary_key=True),
)
# What each member followed, from one choice (``since``) to the next (``until``).
follow_topics = Table(
    "notification_follow_topics", metadata,
    Column("member_id", String(36), primary_key=True),
    Column("topic", String(60), primary_key=True),
    Column("since", Integer, primary_key=True),
    Column("until", Integer, nullable=False),
)
STILL = 2**31 - 1  # ``until`` of what a member follows now (an Integer on both stores)

# Any fixed namespace would do: the ids must only come out the same on every rebuild.
NAMESPACE = uuid5(NAMESPACE_URL, "clinical-community:notifications")
INSERT = notifications.insert()
INSERT_PERSON = people.insert()
INSERT_PLAN = plans.insert()
INSERT_REQUEST = requests.insert()
ROLE = update(people).where(people.c.id == bindparam("m")).values(
    role=bindparam("role"), role_since=bindparam("since"))
INSERT_PAST_ROLE = past_roles.insert()
INSERT_BROADCAST = broadcasts.insert()
INSERT_BROADCAST_ROLE = broadcast_roles.insert()
# A read recorded twice (replaying a log with a repeated id) is one read.
INSERT_READ = {"sqlite": sqlite.insert(reads).on_conflict_do_nothing(),
               "postgresql": postgresql.insert(reads).on_conflict_do_nothing()}
TITLE = update(plans).where(plans.c.id == bindparam("q")).values(title=bindparam("title"))
CHOICES = update(people).where(people.c.id == bindparam("m")).values(
    email_kinds=bindparam("kinds"), email_since=bindparam("since"))
EVERYONE_KNOWN = select(people.c.id, people.c.name, people.c.role, people.c.team_id,
                        people.c.is_organiser, people.c.role_since)
PLAN = select(plans.c.team_id, plans.c.title).where(plans.c.id == bindparam("q"))
REQUEST = select(requests.c.requested_by, requests.c.kind).where(requests.c.id == bindparam("f"))

INSERT_QUESTION = asked.insert()
INSERT_FOLLOWER = question_followers.insert()
INSERT_ANSWER = answered.insert()
QUESTION_TITLE = update(asked).where(asked.c.id == bindparam("q")).values(
    title=bindparam("title"))
QUESTION = select(asked.c.title, asked.c.asked_by).where(asked.c.id == bindparam("q"))
FOLLOWERS = select(question_followers.c.member_id).where(
    question_followers.c.question_id == bindparam("q")).order_by(question_followers.c.member_id)
IS_FOLLOWER = select(question_followers.c.member_id).where(
    question_followers.c.question_id == bindparam("q"),
    question_followers.c.member_id == bindparam("m"))
UNFOLLOW = delete(question_followers).where(question_followers.c.question_id == bindparam("q"),
                                            question_followers.c.member_id == bindparam("m"))
ANSWER = select(answered.c.question_id, answered.c.posted_by).where(
    answered.c.id == bindparam("a"))
INSERT_QUESTION_TOLD = questions_told.insert()
INSERT_QUESTION_TOPIC = question_topics.insert()
INSERT_LEFT_OUT = question_left_out.insert()
INSERT_FOLLOW_TOPIC = follow_topics.insert()
LAST_QUESTION = select(func.max(questions_told.c.position))
STOP_FOLLOWING = (update(follow_topics)
                  .where(follow_topics.c.member_id == bindparam("m"),
                         follow_topics.c.until == STILL)
                  .values(until=bindparam("n")))

REQUEST_WORDS = {"reciprocal_visit": "another reciprocal visit",
                 "facilitator_visit": "a facilitator visit", "introduction": "an introduction",
                 "call": "a call"}


_SEEDED = hashlib.sha1(NAMESPACE.bytes)  # uuid5's hash, its namespace already fed in


def notification_id(event: Any, member_id: str) -> str:
    """The same event told to the same member is the same notification, rebuild after rebuild.

    It is ``str(uuid5(NAMESPACE, name))``, computed without building a UUID: one
    event can tell thousands of members, and uuid5 itself cost a tenth of a rebuild."""
    return _told_id(_key(event), member_id)


def _key(event: Any) -> str:
    return f"{event.originator_id}:{event.originator_version}"


def _told_id(key: str, member_id: str) -> str:
    digest = _SEEDED.copy()
    digest.update(f"{key}:{member_id}".encode())
    raw = bytearray(digest.digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _role(value: Any) -> str:
    return getattr(value, "value", value)


def _tuple(row: Any) -> Any:
    return None if row is None else tuple(row)


class Notifications(View):
    name = "notifications"
    metadata = metadata

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        # Member id -> (the last question's position, questions told): see unread_count.
        self._questions_counted: dict[str, tuple[int | None, int]] = {}

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    def _tell(self, w: Writer, event: Any, position: int, member_ids: Any, kind: str,
              text: str, link: str, created: Any) -> None:
        day, key = _day(created), _key(event)  # the event's part of every id, made once
        for member_id in dict.fromkeys(member_ids):
            w.insert(INSERT, {"id": _told_id(key, member_id), "member_id": member_id,
                              "kind": kind, "text": text, "link": link,
                              "created": day, "position": position})

    # --- who is who, kept in memory between pages (a few thousand members) ------------

    def _people(self, w: Writer) -> dict[str, list[Any]]:
        """Member id → [name, role, team id, is organiser, role since], in the order they joined."""
        known: dict[str, list[Any]] | None = w.memory.get("people")
        if known is None:
            known = {r.id: [r.name, r.role, r.team_id, r.is_organiser, r.role_since]
                     for r in w.execute(EVERYONE_KNOWN)}
            w.memory["people"] = known
        return known

    def _team(self, w: Writer, team_id: str) -> list[str]:
        teams: dict[str, list[str]] | None = w.memory.get("teams")
        if teams is None:
            teams = {}
            for member_id, person in sorted(self._people(w).items()):
                teams.setdefault(person[2], []).append(member_id)
            w.memory["teams"] = teams
        return teams.get(team_id, [])

    @apply.register(Member.Joined)
    def member_joined(self, event: Any, w: Writer, n: int) -> None:
        member_id, role = str(event.originator_id), _role(event.role)
        w.insert(INSERT_PERSON, {"id": member_id, "name": event.name,
                                 "role": role, "team_id": as_id(event.team_id),
                                 "is_organiser": bool(event.is_organiser),
                                 "role_since": n, "email_kinds": ",", "email_since": None})
        if "people" in w.memory:
            w.memory["people"][member_id] = [event.name, role, as_id(event.team_id),
                                             bool(event.is_organiser), n]
        # The lists made from them stay in id order, as the selects they replace were.
        if "teams" in w.memory:
            insort(w.memory["teams"].setdefault(as_id(event.team_id), []), member_id)

    @apply.register(Member.ProfileUpdated)
    def profile_updated(self, event: Any, w: Writer, n: int) -> None:
        member_id, role = str(event.originator_id), _role(event.role)
        person = self._people(w).get(member_id)
        if person is None or person[1] == role:
            return
        # Broadcasts before the change were told to the role held then.
        w.insert(INSERT_PAST_ROLE, {"member_id": member_id, "since": person[4], "until": n,
                                    "role": person[1]})
        w.set_latest(ROLE, member_id, {"m": member_id, "role": role, "since": n})
        person[1], person[4] = role, n

    @apply.register(NotificationSettings.EmailChoicesMade)
    def emails_chosen(self, event: Any, w: Writer, _: int) -> None:
        w.execute(CHOICES, {"m": str(event.member_id), "since": event.chosen_on,
                            "kinds": "," + "".join(f"{k}," for k in event.kinds)})

    @apply.register(NotificationSettings.Read)
    def notifications_read(self, event: Any, w: Writer, _: int) -> None:
        # Callers pass only the member's own unread ids (domain/member.py), so
        # every id here is one told to this member, in a row of theirs or a broadcast.
        member_id, statement = str(event.member_id), INSERT_READ[w.dialect]
        for told in event.ids:
            w.set_latest(statement, (member_id, str(told)), {"member_id": member_id,
                                                             "id": str(told)})

    @apply.register(Qip.Drafted)
    def qip_drafted(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        w.insert(INSERT_PLAN, {"id": qip_id, "team_id": str(event.team_id),
                               "title": event.title})
        remember(w, "plans", qip_id, (str(event.team_id), event.title))

    @apply.register(Qip.Revised)
    def qip_revised(self, event: Any, w: Writer, _: int) -> None:
        if "title" in event.changes:
            qip_id = str(event.originator_id)
            w.set_latest(TITLE, qip_id, {"q": qip_id, "title": event.changes["title"]})
            plan = w.memory.get("plans", {}).get(qip_id)
            if plan:
                remember(w, "plans", qip_id, (plan[0], event.changes["title"]))

    @apply.register(FollowUp.Requested)
    def follow_up_requested(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_REQUEST, {"id": str(event.originator_id),
                                  "requested_by": str(event.requested_by),
                                  "kind": _role(event.kind)})
        remember(w, "requests", str(event.originator_id),
                 (str(event.requested_by), _role(event.kind)))

    # --- what members are told -----------------------------------------------------

    def _team_of_plan(self, w: Writer, event: Any) -> tuple[list[str], str]:
        qip_id = str(event.originator_id)
        found = recall(w, "plans", qip_id, lambda: _tuple(w.execute(PLAN, {"q": qip_id}).first()))
        if found is None:
            return [], ""
        return self._team(w, found[0]), found[1]

    @apply.register(Qip.ChangesRequested)
    def changes_requested(self, event: Any, w: Writer, n: int) -> None:
        team, title = self._team_of_plan(w, event)
        self._tell(w, event, n, team, "changes_requested",
                   f"The organisers asked for changes to “{title}”: see their comments "
                   "beside the plan.", f"/qips/{event.originator_id}", event.reviewed_on)

    @apply.register(Qip.Shared)
    def shared(self, event: Any, w: Writer, n: int) -> None:
        team, title = self._team_of_plan(w, event)
        self._tell(w, event, n, team, "plan_shared",
                   f"“{title}” was accepted: it is active and shared in the QIP library.",
                   f"/qips/{event.originator_id}", event.shared_on)

    @apply.register(FollowUp.Accepted)
    def follow_up_accepted(self, event: Any, w: Writer, n: int) -> None:
        self._answered(w, event, n, f"was accepted, for {_long(event.proposed_date)}.")

    @apply.register(FollowUp.Declined)
    def follow_up_declined(self, event: Any, w: Writer, n: int) -> None:
        self._answered(w, event, n, f"was declined: {event.reason}")

    def _answered(self, w: Writer, event: Any, n: int, outcome: str) -> None:
        request_id = str(event.originator_id)
        found = recall(w, "requests", request_id,
                       lambda: _tuple(w.execute(REQUEST, {"f": request_id}).first()))
        if found is None:
            return
        requested_by, kind = found
        what = REQUEST_WORDS.get(kind, "a follow-up")
        self._tell(w, event, n, [requested_by], "follow_up_answered",
                   f"Your request for {what} {outcome}", f"/follow-ups/{event.originator_id}",
                   event.answered_on)

    @apply.register(Contact.Made)
    def contact_made(self, event: Any, w: Writer, n: int) -> None:
        if not event.facilitated:  # only the organisers' introductions are news to both
            return
        one, other = str(event.from_member_id), str(event.to_member_id)
        people = self._people(w)
        found = {m: people[m] for m in (one, other) if m in people}
        if any(person[3] for person in found.values()):
            return  # an organiser in touch with a member themself: no one was introduced
        names = {member_id: person[0] for member_id, person in found.items()}
        for member_id, them in ((one, other), (other, one)):
            self._tell(w, event, n, [member_id], "introduction_made",
                       f"The organisers introduced you to {names.get(them, 'a member')}: "
                       f"{event.topic}", f"/members/{them}", event.made_on)

    @apply.register(Workshop.Planned)
    def event_planned(self, event: Any, w: Writer, n: int) -> None:
        # Invited roles, when the plan names them; none named means everyone.
        roles = {_role(r) for r in (getattr(event, "roles", None) or ())}
        key = _key(event)
        w.insert(INSERT_BROADCAST, {
            "key": key, "kind": "event_planned",
            "text": f"New event: {event.title}, on {_long(event.starts_on)}.",
            "link": f"/events/{event.originator_id}",
            "created": _day(getattr(event, "planned_on", None) or event.timestamp),
            "position": n, "everyone": not roles})
        for role in sorted(roles):
            w.insert(INSERT_BROADCAST_ROLE, {"key": key, "role": role})

    # --- questions and answers -----------------------------------------------------

    def _name(self, w: Writer, member_id: Any) -> str:
        found = self._people(w).get(str(member_id))
        return found[0] if found else "A member"

    def _question(self, w: Writer, question_id: str) -> tuple[str, str] | None:
        """(title, asked by) of a question, or None."""
        found: tuple[str, str] | None = recall(
            w, "questions", question_id,
            lambda: _tuple(w.execute(QUESTION, {"q": question_id}).first()))
        return found

    def _answer(self, w: Writer, answer_id: str) -> tuple[str, str] | None:
        """(question id, posted by) of an answer, or None."""
        found: tuple[str, str] | None = recall(
            w, "answers", answer_id,
            lambda: _tuple(w.execute(ANSWER, {"a": answer_id}).first()))
        return found

    def _followers(self, w: Writer, question_id: str) -> list[str]:
        found: list[str] = recall(
            w, "followers", question_id,
            lambda: list(w.execute(FOLLOWERS, {"q": question_id}).scalars()))
        return found

    @apply.register(Question.Asked)
    def question_asked(self, event: Any, w: Writer, n: int) -> None:
        question_id, asker = str(event.originator_id), str(event.asked_by)
        w.insert(INSERT_QUESTION, {"id": question_id, "title": event.title, "asked_by": asker})
        w.insert(INSERT_FOLLOWER, {"question_id": question_id, "member_id": asker})
        remember(w, "questions", question_id, (event.title, asker))
        remember(w, "followers", question_id, [asker])
        link, name = f"/questions/{question_id}", self._name(w, asker)
        mentioned = [str(m) for m in event.mentioned_ids]
        self._tell(w, event, n, mentioned, "mentioned",
                   f"{name} mentioned you in the question “{event.title}”.", link, event.asked_on)
        # Members who follow one of its key areas, the team it is for, or the asker's
        # team: told when read (``_questions_told_to``), all but these.
        asker_person = self._people(w).get(asker)
        asker_team = asker_person[2] if asker_person else None
        day = _day(event.asked_on)
        w.insert(INSERT_QUESTION_TOLD, {"key": _key(event), "title": event.title,
                                        "link": link, "created": day, "position": n})
        for member_id in sorted({asker, *mentioned}):
            w.insert(INSERT_LEFT_OUT, {"member_id": member_id, "position": n})
        areas = {f"area:{getattr(a, 'value', a)}" for a in event.key_areas}
        teams = {f"team:{t}" for t in (as_id(event.team_id), asker_team) if t}
        for topic in sorted(areas | teams):
            w.insert(INSERT_QUESTION_TOPIC, {"topic": topic, "position": n, "created": day})

    @apply.register(Question.Edited)
    def question_edited(self, event: Any, w: Writer, n: int) -> None:
        question_id = str(event.originator_id)
        w.set_latest(QUESTION_TITLE, question_id, {"q": question_id, "title": event.title})
        found = w.memory.get("questions", {}).get(question_id)
        if found:
            remember(w, "questions", question_id, (event.title, found[1]))
        self._tell(w, event, n, [str(m) for m in event.mentioned_ids], "mentioned",
                   f"{self._name(w, event.edited_by)} mentioned you in the question "
                   f"“{event.title}”.", f"/questions/{event.originator_id}", event.edited_on)

    @apply.register(Answer.Edited)
    def answer_edited(self, event: Any, w: Writer, n: int) -> None:
        if not event.mentioned_ids:
            return
        found = self._answer(w, str(event.originator_id))
        question = found and self._question(w, found[0])
        if not found or not question:
            return
        self._tell(w, event, n, [str(m) for m in event.mentioned_ids], "mentioned",
                   f"{self._name(w, event.edited_by)} mentioned you in an answer to "
                   f"“{question[0]}”.",
                   f"/questions/{found[0]}#answer-{event.originator_id}",
                   event.edited_on)

    @apply.register(Question.Followed)
    def question_followed(self, event: Any, w: Writer, _: int) -> None:
        question_id, member_id = str(event.originator_id), str(event.member_id)
        followers = self._followers(w, question_id)
        if member_id not in followers:
            w.insert(INSERT_FOLLOWER, {"question_id": question_id, "member_id": member_id})
            remember(w, "followers", question_id, sorted([*followers, member_id]))

    @apply.register(Question.Unfollowed)
    def question_unfollowed(self, event: Any, w: Writer, _: int) -> None:
        question_id, member_id = str(event.originator_id), str(event.member_id)
        w.execute(UNFOLLOW, {"q": question_id, "m": member_id})
        w.memory.get("followers", {}).pop(question_id, None)

    @apply.register(Question.MembersInvited)
    def members_invited(self, event: Any, w: Writer, n: int) -> None:
        found = self._question(w, str(event.originator_id))
        if found is None:
            return
        self._tell(w, event, n, [str(m) for m in event.member_ids], "question_invited",
                   f"{self._name(w, event.invited_by)} asks you to answer “{found[0]}”.",
                   f"/questions/{event.originator_id}", event.invited_on)

    @apply.register(Answer.Posted)
    def answer_posted(self, event: Any, w: Writer, n: int) -> None:
        question_id, poster = str(event.question_id), str(event.posted_by)
        w.insert(INSERT_ANSWER, {"id": str(event.originator_id), "question_id": question_id,
                                 "posted_by": poster})
        remember(w, "answers", str(event.originator_id), (question_id, poster))
        found = self._question(w, question_id)
        if found is None:
            return
        link = f"/questions/{question_id}#answer-{event.originator_id}"
        name = self._name(w, poster)
        mentioned = [str(m) for m in event.mentioned_ids]
        self._tell(w, event, n, mentioned, "mentioned",
                   f"{name} mentioned you in an answer to “{found[0]}”.", link, event.posted_on)
        followers = [m for m in self._followers(w, question_id)
                     if m != poster and m not in mentioned]
        self._tell(w, event, n, followers, "question_answered",
                   f"{name} answered “{found[0]}”.", link, event.posted_on)

    @apply.register(Answer.Accepted)
    def answer_accepted(self, event: Any, w: Writer, n: int) -> None:
        found = self._answer(w, str(event.originator_id))
        if found is None:
            return
        question = self._question(w, found[0])
        title = question[0] if question else "a question"
        self._tell(w, event, n, [found[1]], "answer_accepted",
                   f"Your answer to “{title}” was accepted: it helped.",
                   f"/questions/{found[0]}#answer-{event.originator_id}",
                   event.accepted_on)

    @apply.register(NotificationSettings.FollowsChosen)
    def follows_chosen(self, event: Any, w: Writer, n: int) -> None:
        member_id = str(event.member_id)
        # What they followed until now ends here; what they chose starts.
        w.execute(STOP_FOLLOWING, {"m": member_id, "n": n})
        topics = {*(f"area:{getattr(a, 'value', a)}" for a in event.key_areas),
                  *(f"team:{t}" for t in event.team_ids)}
        for topic in sorted(topics):
            w.insert(INSERT_FOLLOW_TOPIC, {"member_id": member_id, "topic": topic,
                                           "since": n, "until": STILL})

    # --- queries -------------------------------------------------------------------

    def for_member(self, member_id: str, *, limit: int = 20,
                   offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """A member's notifications, newest first, and how many there are: their
        own rows, the broadcasts and the questions told to them, merged (the first
        ``offset + limit`` of each are enough to make the page)."""
        with reading(self.engine) as conn:
            own = conn.execute(_own(member_id).order_by(*NEWEST).limit(offset + limit)).all()
            told = conn.execute(_broadcasts_told(member_id)
                                .order_by(broadcasts.c.created.desc(),
                                          broadcasts.c.position.desc())
                                .limit(offset + limit)).all()
            newest_questions = _newest_questions(conn, member_id, offset + limit)
            questions = conn.execute(_questions_told_to(member_id).where(
                questions_told.c.position.in_(newest_questions))).all() if newest_questions else []
            last_question = conn.scalar(LAST_QUESTION)
            total = (conn.scalar(select(func.count()).select_from(notifications)
                                 .where(notifications.c.member_id == member_id)) or 0
                     ) + _count_told(conn, member_id) + self._questions_told_count(
                         conn, member_id, last_question)
            rows = ([dict(r._mapping) for r in own] + _as_rows(conn, member_id, told)
                    + _question_rows(conn, member_id, questions))
        rows.sort(key=lambda r: (r["created"], r["position"]), reverse=True)
        return rows[offset:offset + limit], int(total or 0)

    def one(self, member_id: str, notification_id: str) -> dict[str, Any] | None:
        """One of the member's notifications; another member's is not found."""
        with reading(self.engine) as conn:
            row = conn.execute(_own(member_id).where(
                notifications.c.id == notification_id)).first()
            if row is not None:
                return dict(row._mapping)
            told = [r for r in conn.execute(_broadcasts_told(member_id)).all()
                    if _told_id(r.key, member_id) == notification_id]
            found = _as_rows(conn, member_id, told)
            if not found:
                questions = [r for r in conn.execute(_questions_told_to(member_id)).all()
                             if _told_id(r.key, member_id) == notification_id]
                found = _question_rows(conn, member_id, questions)
        return found[0] if found else None

    def unread_count(self, member_id: str) -> int:
        """Everything told to the member less what they read (reads name only ids
        told to them: see ``notifications_read``); a few indexed counts."""
        with reading(self.engine) as conn:
            own, told, read, last_question = conn.execute(
                _unread_counts(), {"member_id": member_id}).one()
            asked = self._questions_told_count(conn, member_id, last_question)
        return max(0, int(own or 0) + int(told or 0) + asked - int(read or 0))

    def _questions_told_count(self, conn: Connection, member_id: str,
                              last_question: int | None) -> int:
        """How many questions were told to the member. That changes only when a
        question is asked (follows chosen later tell only of later questions), so it
        is counted again only when the last question's position has moved."""
        kept = self._questions_counted.get(member_id)
        if kept is not None and kept[0] == last_question:
            return kept[1]
        asked = _count_questions_told(conn, member_id) if last_question else 0
        if len(self._questions_counted) >= 20_000:  # a bound, however many members
            self._questions_counted.clear()
        self._questions_counted[member_id] = (last_question, asked)
        return asked

    def unread_ids(self, member_id: str, among: list[str] | None = None) -> list[str]:
        """The member's unread notifications (of ``among``, when given): others'
        ids, and ones already read, are never recorded as read again."""
        return self.unread_ids_of([member_id], among=among).get(member_id, [])

    def unread_ids_of(self, member_ids: list[str], among: list[str] | None = None
                      ) -> dict[str, list[str]]:
        """Each member's unread notification ids, in id order (members with none
        are left out)."""
        found: dict[str, list[str]] = {}
        wanted = None if among is None else set(among)
        with reading(self.engine) as conn:
            for member_id in member_ids:
                read = set(conn.scalars(select(reads.c.id).where(reads.c.member_id == member_id)))
                ids = [*conn.scalars(select(notifications.c.id).where(
                           notifications.c.member_id == member_id)),
                       *(_told_id(key, member_id) for key in conn.scalars(
                           select(broadcasts.c.key).where(_told_to(member_id)))),
                       *(_told_id(key, member_id) for key in set(conn.scalars(
                           select(_questions_told_to(member_id).subquery().c.key))))]
                unread = sorted(i for i in ids if i not in read
                                and (wanted is None or i in wanted))
                if unread:
                    found[member_id] = unread
        return found

    def follows_of(self, member_id: str) -> tuple[list[str], list[str]]:
        """The key areas and the team ids the member follows now."""
        with reading(self.engine) as conn:
            topics = conn.scalars(select(follow_topics.c.topic).where(
                follow_topics.c.member_id == member_id, follow_topics.c.until == STILL)
                .order_by(follow_topics.c.topic)).all()
        return ([t.removeprefix("area:") for t in topics if t.startswith("area:")],
                [t.removeprefix("team:") for t in topics if t.startswith("team:")])

    def email_choices(self, member_id: str) -> list[str]:
        with reading(self.engine) as conn:
            kinds = conn.scalar(select(people.c.email_kinds).where(people.c.id == member_id))
        return [k for k in (kinds or "").split(",") if k]

    def to_email(self) -> list[dict[str, Any]]:
        """Unread notifications of the kinds their member chose to get by e-mail,
        from the day they chose; oldest first."""
        chosen = people.c.email_kinds.contains("," + notifications.c.kind + ",")
        query = (select(*notifications.c, reads.c.id.is_not(None).label("read"))
                 .select_from(notifications.join(people, people.c.id == notifications.c.member_id)
                              .outerjoin(reads, _read_join()))
                 .where(chosen, reads.c.id.is_(None),
                        notifications.c.created >= people.c.email_since))
        with reading(self.engine) as conn:
            rows = rows_of(conn.execute(query))
            # Broadcasts, for the few members who chose e-mails at all.
            for member_id, kinds, since in conn.execute(
                    select(people.c.id, people.c.email_kinds, people.c.email_since)
                    .where(people.c.email_since.is_not(None), people.c.email_kinds != ",")):
                told = conn.execute(_broadcasts_told(member_id).where(
                    broadcasts.c.created >= since,
                    literal(kinds).contains("," + broadcasts.c.kind + ","))).all()
                rows += [r for r in _as_rows(conn, member_id, told) if not r["read"]]
                if f",{QUESTION_KIND}," in kinds:
                    questions = conn.execute(_questions_told_to(member_id).where(
                        questions_told.c.created >= since)).all()
                    rows += [r for r in _question_rows(conn, member_id, questions)
                             if not r["read"]]
        rows.sort(key=lambda r: (r["created"], r["position"], r["id"]))
        return rows


NEWEST = (notifications.c.created.desc(), notifications.c.position.desc(), notifications.c.id)


def _read_join() -> Any:
    return (reads.c.member_id == notifications.c.member_id) & (reads.c.id == notifications.c.id)


def _own_rows() -> Any:
    """A notification row with its read state."""
    return (select(*notifications.c, reads.c.id.is_not(None).label("read"))
            .select_from(notifications.outerjoin(reads, _read_join())))


def _own(member_id: str) -> Any:
    return _own_rows().where(notifications.c.member_id == member_id)


def _told_to(member_id: str | BindParameter[str]) -> Any:
    """Broadcasts the member was told: made after they joined, to everyone or to
    the role they held at the time."""
    def invited(role: Any) -> Any:
        return or_(broadcasts.c.everyone,
                   select(broadcast_roles.c.key)
                   .where(broadcast_roles.c.key == broadcasts.c.key,
                          broadcast_roles.c.role == role)
                   .correlate_except(broadcast_roles).exists())
    now = (select(people.c.id)
           .where(people.c.id == member_id, broadcasts.c.position > people.c.role_since,
                  invited(people.c.role))
           .correlate_except(people).exists())
    before = (select(past_roles.c.member_id)
              .where(past_roles.c.member_id == member_id,
                     broadcasts.c.position > past_roles.c.since,
                     broadcasts.c.position <= past_roles.c.until, invited(past_roles.c.role))
              .correlate_except(past_roles).exists())
    return or_(now, before)


def _broadcasts_told(member_id: str) -> Any:
    return select(broadcasts).where(_told_to(member_id))


def _count_told(conn: Connection, member_id: str) -> int:
    return int(conn.scalar(select(func.count()).select_from(broadcasts)
                           .where(_told_to(member_id))) or 0)


@cache
def _unread_counts() -> Any:
    """``unread_count``'s counts and the last question's position in one statement,
    built once: every page's header asks it, and building the broadcasts' correlated
    test anew each time (and its cache key) took a tenth of a QIP page's CPU (issue 14)."""
    member: BindParameter[str] = bindparam("member_id")
    own = (select(func.count()).select_from(notifications)
           .where(notifications.c.member_id == member).scalar_subquery())
    told = (select(func.count()).select_from(broadcasts)
            .where(_told_to(member)).scalar_subquery())
    read = (select(func.count()).select_from(reads)
            .where(reads.c.member_id == member).scalar_subquery())
    return select(own, told, read, LAST_QUESTION.scalar_subquery())


def _read_among(conn: Connection, member_id: str, ids: Sequence[str]) -> set[str]:
    """Which of these ids, told to the member, they have read."""
    return set(conn.scalars(select(reads.c.id).where(reads.c.member_id == member_id,
                                                     reads.c.id.in_(ids)))) if ids else set()


def _as_rows(conn: Connection, member_id: str, told: Sequence[Any]) -> list[dict[str, Any]]:
    """Broadcast rows as the member's own notifications: their id and read state."""
    ids = [_told_id(r.key, member_id) for r in told]
    read = _read_among(conn, member_id, ids)
    return [{"id": told_id, "member_id": member_id, "kind": r.kind, "text": r.text,
             "link": r.link, "created": r.created, "position": r.position,
             "read": told_id in read} for told_id, r in zip(ids, told, strict=True)]


QUESTION_KIND = NotificationKind.QUESTION_FOLLOWED.value


def _followed_questions(member_id: str | BindParameter[str]) -> Any:
    """Each topic the member followed, joined to the questions about it asked while
    they followed it (between their choice and their next), less those they were
    left out of."""
    return (select().select_from(
        follow_topics.join(question_topics,
                           and_(question_topics.c.topic == follow_topics.c.topic,
                                question_topics.c.position > follow_topics.c.since,
                                question_topics.c.position < follow_topics.c.until)))
        .where(follow_topics.c.member_id == member_id,
               ~exists().where(question_left_out.c.member_id == member_id,
                               question_left_out.c.position == question_topics.c.position)))


def _questions_told_to(member_id: str | BindParameter[str]) -> Any:
    """The questions told to a member, a row for each of their topics it is about."""
    return (_followed_questions(member_id)
            .add_columns(questions_told, question_topics.c.topic)
            .join(questions_told, questions_told.c.position == question_topics.c.position))


def _newest_questions(conn: Connection, member_id: str, how_many: int) -> list[int]:
    """The positions of the newest ``how_many`` questions told to the member. One
    query: each period they followed a topic seeks its questions in the topic's index,
    then all are sorted. Newest is by the day asked and then position, as every
    notification is; a day asked need not follow the log's order (questions can be
    recorded late), so no index of a topic can give a period's newest without walking
    past its later questions (that was 4× slower than a row for each follower)."""
    return [row.position for row in conn.execute(_newest_questions_told(),
                                                 {"m": member_id, "n": how_many})]


def _count_questions_told(conn: Connection, member_id: str) -> int:
    return int(conn.scalar(_questions_told_count(), {"m": member_id}) or 0)


# Built once (their Python objects took as long as the queries: issue 14).
@cache
def _newest_questions_told() -> Any:
    return (_followed_questions(bindparam("m"))
            .add_columns(question_topics.c.created, question_topics.c.position)
            .distinct()  # a question about two topics they follow is one notification
            .order_by(question_topics.c.created.desc(), question_topics.c.position.desc())
            .limit(bindparam("n")))


@cache
def _questions_told_count() -> Any:
    return _followed_questions(bindparam("m")).add_columns(
        func.count(distinct(question_topics.c.position)))


def _question_rows(conn: Connection, member_id: str, told: Sequence[Any]
                   ) -> list[dict[str, Any]]:
    """Questions told (a row per matching topic) as the member's own notifications:
    one each, about the first of their key areas it is in, else from a team they follow."""
    topics: dict[str, set[str]] = {}
    first: dict[str, Any] = {}
    for row in told:
        topics.setdefault(row.key, set()).add(row.topic)
        first.setdefault(row.key, row)
    ids = {key: _told_id(key, member_id) for key in first}
    read = _read_among(conn, member_id, list(ids.values()))
    rows = []
    for key, row in first.items():
        areas = sorted(t.removeprefix("area:") for t in topics[key] if t.startswith("area:"))
        text = (f"New question about {KeyArea(areas[0]).label.lower()}: “{row.title}”."
                if areas else f"New question from a team you follow: “{row.title}”.")
        rows.append({"id": ids[key], "member_id": member_id, "kind": QUESTION_KIND,
                     "text": text, "link": row.link, "created": row.created,
                     "position": row.position, "read": ids[key] in read})
    return rows
