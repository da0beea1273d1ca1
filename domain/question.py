"""Questions members ask the network, the answers others post, and reports of posts.

Three aggregates, not one:

- ``Question``: what the asker owns (title, body, key areas, tags, what it is attached
  to), who follows it, whom the asker invited, and whether the organisers hid it.
- ``Answer``: its own aggregate with the question's id. Two people answering at once
  append to two new streams, so neither waits for nor clashes with the other, and an
  answer's edits never move the question's version (an asker editing the question
  while someone answers is not a conflict). Accepting is the asker's decision about
  one answer: ``Answer.Accepted``, recorded on the answer once the command has
  checked that the member giving it asked the question. More than one answer may
  help; each is accepted on its own.
- ``Report``: any member's report of a post, with a reason, and the organisers'
  dismissal of it. A report is its own stream so reporting never clashes with the
  author editing. Hiding is the organisers' act on the post itself
  (``Question.Hidden``, ``Answer.Hidden``, reason kept), and closes its reports.

Every edit is an event, so the history of a post is its stream. The limits are
defined here once; the forms, the API schema and the views take them from here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.input_checks import Checker
from domain.values import KeyArea

TITLE_MAX = 150
BODY_MAX = 20_000
TAGS_MAX = 5
TAG_MAX = 40
INVITEES_MAX = 5
REASON_MAX = 1000
# A member may post at most this many questions and answers an hour: enough for a
# busy afternoon of answering, too few for a flood. The command counts from the view.
POSTS_PER_HOUR = 10

TAG = re.compile(r"[a-z0-9][a-z0-9 +/&.-]*")


# --- checks shared by questions and answers -------------------------------------------


def check_key_areas(check: Checker, key_areas: object) -> list[KeyArea]:
    if isinstance(key_areas, (str, KeyArea)):
        key_areas = [key_areas]
    if not isinstance(key_areas, (list, tuple)) or not key_areas:
        check.fail("key_areas", "choose at least one key area")
        return []
    chosen: list[KeyArea] = []
    for value in key_areas:
        area = check.choice("key_areas", KeyArea, value)
        if area not in chosen:
            chosen.append(area)
    return chosen


def check_tags(check: Checker, tags: object) -> list[str]:
    if tags is None or tags == "":
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags):
        check.fail("tags", "must be a list of words")
        return []
    cleaned = list(dict.fromkeys(" ".join(t.split()).lower() for t in tags if t.strip()))
    if len(cleaned) > TAGS_MAX:
        check.fail("tags", f"must be at most {TAGS_MAX} tags")
    elif any(len(t) > TAG_MAX for t in cleaned):
        check.fail("tags", f"must each be at most {TAG_MAX} characters")
    elif any(not TAG.fullmatch(t) for t in cleaned):
        check.fail("tags", "must be words of letters, digits, spaces and + / & . -")
    return cleaned


def check_body(check: Checker, body: object) -> str:
    return check.text("body", body, max_length=BODY_MAX)


def check_reason(check: Checker, reason: object) -> str:
    return check.text("reason", reason, max_length=REASON_MAX)


def check_hiding(hidden: bool, what: str, reason: object, hidden_on: object) -> tuple[str, date]:
    check = Checker()
    reason = check_reason(check, reason)
    day = check.day("hidden_on", hidden_on)
    check.done()
    if hidden:
        raise Conflict(f"this {what} is already hidden")
    return str(reason), day


def check_posting_rate(posts_in_the_last_hour: int, limit: int = POSTS_PER_HOUR) -> None:
    """Refuse a post beyond ``limit`` in an hour, in words the poster can act on."""
    if posts_in_the_last_hour >= limit:
        raise Invalid({"body": f"you have posted {posts_in_the_last_hour} times in the last "
                               f"hour; please wait a while before posting again"})


# --- mentions ----------------------------------------------------------------------------

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_MENTION = re.compile(r"(?<![\w@./])@([a-z][a-z0-9_.-]{0,59})", re.IGNORECASE)


def handle_for(name: str) -> str:
    """A member's @handle from their name: "Siân O'Neill" → "sian.oneill"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = ["".join(c for c in word if c.isalnum()) for word in plain.split()]
    return ".".join(w for w in words if w)


def mentions(text: str) -> list[str]:
    """The handles a text mentions with @name, lower case, first mention first;
    e-mail addresses and code are not mentions."""
    found = _MENTION.findall(_CODE.sub(" ", text or ""))
    return list(dict.fromkeys(m.rstrip(".-").lower() for m in found))


def _newly(mentioned: list[UUID] | None, before: set[UUID], author: UUID) -> list[UUID]:
    """Those an edited text mentions for the first time: each is told once."""
    return [m for m in dict.fromkeys(mentioned or []) if m not in before and m != author]


# --- the aggregates ----------------------------------------------------------------------


class Question(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Asked: ClassVar[type[Aggregate.Event]]
        Edited: ClassVar[type[Aggregate.Event]]
        Followed: ClassVar[type[Aggregate.Event]]
        Unfollowed: ClassVar[type[Aggregate.Event]]
        MembersInvited: ClassVar[type[Aggregate.Event]]
        Hidden: ClassVar[type[Aggregate.Event]]

    @classmethod
    def ask(cls, *, title: object, body: object, key_areas: object, asked_by: UUID,
            asked_on: object, tags: object = None, qip_id: UUID | None = None,
            team_id: UUID | None = None, workshop_id: UUID | None = None,
            mentioned_ids: list[UUID] | None = None) -> Question:
        check = Checker()
        title = check.text("title", title, max_length=TITLE_MAX)
        body = check_body(check, body)
        areas = check_key_areas(check, key_areas)
        tags = check_tags(check, tags)
        asked_on = check.day("asked_on", asked_on)
        check.done()
        return cls(title=title, body=body, key_areas=areas, tags=tags, asked_by=asked_by,
                   asked_on=asked_on, qip_id=qip_id, team_id=team_id, workshop_id=workshop_id,
                   mentioned_ids=[m for m in mentioned_ids or [] if m != asked_by])

    @event("Asked")
    def __init__(self, title: str, body: str, key_areas: list[KeyArea], tags: list[str],
                 asked_by: UUID, asked_on: date, qip_id: UUID | None, team_id: UUID | None,
                 workshop_id: UUID | None, mentioned_ids: list[UUID]) -> None:
        self.title = title
        self.body = body
        self.key_areas = list(key_areas)
        self.tags = list(tags)
        self.asked_by = asked_by
        self.asked_on = asked_on
        self.qip_id = qip_id
        self.team_id = team_id
        self.workshop_id = workshop_id
        self.followers: set[UUID] = {asked_by}
        self.invited: list[UUID] = []
        self.history: list[dict[str, object]] = []
        self.hidden_reason: str | None = None
        self.mentioned: set[UUID] = set(mentioned_ids)
        # The version at which the wording last changed: following, inviting and
        # accepting move the version on but leave the text as an editor saw it.
        self.worded_in = self.version

    @property
    def is_hidden(self) -> bool:
        return self.hidden_reason is not None

    def edit(self, *, by: UUID, title: object, body: object, key_areas: object,
             edited_on: object, tags: object = None,
             mentioned_ids: list[UUID] | None = None) -> bool:
        """The asker's new wording; the old one stays in the history. False: no change.
        ``mentioned_ids``: everyone the new text mentions; the event keeps the new ones."""
        check = Checker()
        title = check.text("title", title, max_length=TITLE_MAX)
        body = check_body(check, body)
        areas = check_key_areas(check, key_areas)
        tags = check_tags(check, tags)
        edited_on = check.day("edited_on", edited_on)
        check.done()
        if self.is_hidden:
            raise Conflict("this question was hidden by the organisers")
        if (title, body, areas, tags) == (self.title, self.body, self.key_areas, self.tags):
            return False
        self._edit(title=title, body=body, key_areas=areas, tags=tags, edited_by=by,
                   edited_on=edited_on,
                   mentioned_ids=_newly(mentioned_ids, self.mentioned, self.asked_by))
        return True

    @event("Edited")
    def _edit(self, title: str, body: str, key_areas: list[KeyArea], tags: list[str],
              edited_by: UUID, edited_on: date, mentioned_ids: list[UUID]) -> None:
        self.history.append({"title": self.title, "body": self.body, "until": edited_on})
        self.title, self.body = title, body
        self.key_areas, self.tags = list(key_areas), list(tags)
        self.mentioned.update(mentioned_ids)
        self.worded_in = self.version + 1  # this event's version: the body runs first

    def follow(self, member_id: UUID) -> bool:
        if member_id in self.followers:
            return False
        self._follow(member_id=member_id)
        return True

    @event("Followed")
    def _follow(self, member_id: UUID) -> None:
        self.followers.add(member_id)

    def unfollow(self, member_id: UUID) -> bool:
        if member_id not in self.followers:
            return False
        self._unfollow(member_id=member_id)
        return True

    @event("Unfollowed")
    def _unfollow(self, member_id: UUID) -> None:
        self.followers.discard(member_id)

    def invite(self, member_ids: object, *, by: UUID, invited_on: object) -> list[UUID]:
        """Ask up to five members in all to answer; returns those newly invited."""
        check = Checker()
        if not isinstance(member_ids, (list, tuple)) or not all(
                isinstance(m, UUID) for m in member_ids):
            check.fail("invite_member_ids", "must be a list of member ids")
            member_ids = []
        invited_on = check.day("invited_on", invited_on)
        new = [m for m in dict.fromkeys(member_ids) if m not in self.invited]
        if self.asked_by in new:
            check.fail("invite_member_ids", "you cannot invite yourself to answer")
        elif len(self.invited) + len(new) > INVITEES_MAX:
            check.fail("invite_member_ids",
                       f"invite at most {INVITEES_MAX} members to answer a question")
        check.done()
        if new:
            self._invite(member_ids=new, invited_by=by, invited_on=invited_on)
        return new

    @event("MembersInvited")
    def _invite(self, member_ids: list[UUID], invited_by: UUID, invited_on: date) -> None:
        self.invited.extend(member_ids)

    def hide(self, *, by: UUID | None, reason: object, hidden_on: object) -> None:
        """The organisers hide it (the command checks who), with the reason kept."""
        reason, day = check_hiding(self.is_hidden, "question", reason, hidden_on)
        self._hide(hidden_by=by, reason=reason, hidden_on=day)

    @event("Hidden")
    def _hide(self, hidden_by: UUID | None, reason: str, hidden_on: date) -> None:
        self.hidden_reason = reason


class Answer(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Posted: ClassVar[type[Aggregate.Event]]
        Edited: ClassVar[type[Aggregate.Event]]
        Accepted: ClassVar[type[Aggregate.Event]]
        Hidden: ClassVar[type[Aggregate.Event]]

    @classmethod
    def post(cls, *, question: Question, body: object, posted_by: UUID, posted_on: object,
             mentioned_ids: list[UUID] | None = None) -> Answer:
        check = Checker()
        body = check_body(check, body)
        posted_on = check.day("posted_on", posted_on)
        check.done()
        if question.is_hidden:
            raise Conflict("this question was hidden by the organisers")
        if posted_on < question.asked_on:
            raise Invalid({"posted_on": "cannot be before the question was asked"})
        return cls(question_id=question.id, body=body, posted_by=posted_by, posted_on=posted_on,
                   mentioned_ids=[m for m in mentioned_ids or [] if m != posted_by])

    @event("Posted")
    def __init__(self, question_id: UUID, body: str, posted_by: UUID, posted_on: date,
                 mentioned_ids: list[UUID]) -> None:
        self.question_id = question_id
        self.body = body
        self.posted_by = posted_by
        self.posted_on = posted_on
        self.history: list[dict[str, object]] = []
        self.accepted = False
        self.hidden_reason: str | None = None
        self.mentioned: set[UUID] = set(mentioned_ids)
        # The version at which the wording last changed: following, inviting and
        # accepting move the version on but leave the text as an editor saw it.
        self.worded_in = self.version

    @property
    def is_hidden(self) -> bool:
        return self.hidden_reason is not None

    def edit(self, *, by: UUID, body: object, edited_on: object,
             mentioned_ids: list[UUID] | None = None) -> bool:
        check = Checker()
        body = check_body(check, body)
        edited_on = check.day("edited_on", edited_on)
        check.done()
        if self.is_hidden:
            raise Conflict("this answer was hidden by the organisers")
        if body == self.body:
            return False
        self._edit(body=body, edited_by=by, edited_on=edited_on,
                   mentioned_ids=_newly(mentioned_ids, self.mentioned, self.posted_by))
        return True

    @event("Edited")
    def _edit(self, body: str, edited_by: UUID, edited_on: date,
              mentioned_ids: list[UUID]) -> None:
        self.history.append({"body": self.body, "until": edited_on})
        self.body = body
        self.mentioned.update(mentioned_ids)
        self.worded_in = self.version + 1  # this event's version: the body runs first

    def accept(self, *, by: UUID, accepted_on: object) -> None:
        """The asker marks this answer as the one that helped (the command checks who)."""
        check = Checker()
        accepted_on = check.day("accepted_on", accepted_on)
        check.done()
        if self.accepted:
            raise Conflict("this answer is already accepted")
        if self.is_hidden:
            raise Conflict("this answer was hidden by the organisers")
        self._accept(accepted_by=by, accepted_on=accepted_on)

    @event("Accepted")
    def _accept(self, accepted_by: UUID, accepted_on: date) -> None:
        self.accepted = True

    def hide(self, *, by: UUID | None, reason: object, hidden_on: object) -> None:
        """The organisers hide it (the command checks who), with the reason kept."""
        reason, day = check_hiding(self.is_hidden, "answer", reason, hidden_on)
        self._hide(hidden_by=by, reason=reason, hidden_on=day)

    @event("Hidden")
    def _hide(self, hidden_by: UUID | None, reason: str, hidden_on: date) -> None:
        self.hidden_reason = reason


class Report(Aggregate):
    """A member's report of a question or an answer, until the organisers act."""

    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Filed: ClassVar[type[Aggregate.Event]]
        Dismissed: ClassVar[type[Aggregate.Event]]

    @classmethod
    def file(cls, *, post_id: UUID, question_id: UUID, reported_by: UUID, reason: object,
             reported_on: object) -> Report:
        check = Checker()
        reason = check_reason(check, reason)
        reported_on = check.day("reported_on", reported_on)
        check.done()
        return cls(post_id=post_id, question_id=question_id, reported_by=reported_by,
                   reason=reason, reported_on=reported_on)

    @event("Filed")
    def __init__(self, post_id: UUID, question_id: UUID, reported_by: UUID, reason: str,
                 reported_on: date) -> None:
        self.post_id = post_id
        self.question_id = question_id
        self.reported_by = reported_by
        self.reason = reason
        self.reported_on = reported_on
        self.dismissed = False

    def dismiss(self, *, by: UUID | None, dismissed_on: object, note: object = "") -> None:
        check = Checker()
        note = check.text("note", note, required=False, max_length=REASON_MAX)
        dismissed_on = check.day("dismissed_on", dismissed_on)
        check.done()
        if self.dismissed:
            raise Conflict("this report is already dismissed")
        self._dismiss(dismissed_by=by, note=note, dismissed_on=dismissed_on)

    @event("Dismissed")
    def _dismiss(self, dismissed_by: UUID | None, note: str, dismissed_on: date) -> None:
        self.dismissed = True
