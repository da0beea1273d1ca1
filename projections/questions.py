"""Questions and answers as pages and the API read them: each question with its
answers, who follows it, its reports, whether the organisers hid it, and the time
to its first answer.

The sanitised HTML is rendered once, when the event is applied, and stored beside
the Markdown: a question page with twenty answers is read far more often than it
is written, and rendering is the costly part. Every reader then gets the same
HTML. A change to the sanitiser's rules reaches old posts with
``community rebuild --view questions`` (the log holds only the Markdown).

A first answer, for the organisers' figures, is one by someone outside the asker's
own team: a reply by the asker or a team-mate is not the network answering, and
an answer the organisers hid was no answer. Teams
never change for a member, so the view keeps each member's team from their joining.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, singledispatchmethod
from statistics import median, quantiles
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.sql import Select

from domain.markdown_text import render
from domain.member import Member
from domain.question import Answer, Question, Report
from projections.counterparts import shared_key_areas
from projections.paging import total_of
from projections.reading import reading, rows_of
from projections.view import View, Writer, as_id, recall, remember

if TYPE_CHECKING:
    from projections.runner import Views

metadata = MetaData()
questions = Table(
    "questions", metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("key_areas", String(200), nullable=False),  # ",diagnostics,cns_access,"
    Column("tags", String(300), nullable=False),       # ",ebus,nurse-led,"
    Column("qip_id", String(36), index=True),
    Column("team_id", String(36), index=True),
    Column("workshop_id", String(36), index=True),
    Column("asked_by", String(36), nullable=False, index=True),
    Column("asker_team_id", String(36), index=True),
    Column("asked_on", Date, nullable=False),
    Column("posted_at", DateTime, nullable=False),  # when it was recorded, for rate limits
    Column("edited_on", Date),
    Column("edits", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("answer_count", Integer, nullable=False),  # answers not hidden
    Column("accepted_count", Integer, nullable=False),
    Column("first_answered_on", Date),  # by someone outside the asker's team
    Column("invited", Text, nullable=False),  # ",id,id,"
    Column("hidden", Boolean, nullable=False),
    Column("hidden_reason", Text),
    Column("hidden_on", Date),
)
answers = Table(
    "question_answers", metadata,
    Column("id", String(36), primary_key=True),
    Column("question_id", String(36), nullable=False, index=True),
    Column("body", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("posted_by", String(36), nullable=False, index=True),
    Column("posted_on", Date, nullable=False),
    Column("posted_at", DateTime, nullable=False),
    Column("edited_on", Date),
    Column("edits", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("accepted_on", Date),
    Column("counts", Boolean, nullable=False),  # from outside the asker's team
    Column("hidden", Boolean, nullable=False),
    Column("hidden_reason", Text),
    Column("hidden_on", Date),
)
follows = Table(
    "question_follows", metadata,
    Column("question_id", String(36), primary_key=True),
    Column("member_id", String(36), primary_key=True),
    Index("question_follows_by_member", "member_id"),
)
reports = Table(
    "question_reports", metadata,
    Column("id", String(36), primary_key=True),
    Column("post_id", String(36), nullable=False, index=True),
    Column("question_id", String(36), nullable=False),
    Column("reported_by", String(36), nullable=False),
    Column("reason", Text, nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("status", String(20), nullable=False),  # open, dismissed, hidden
    Column("closed_on", Date),
    Column("note", Text),
)
teams_of = Table(
    "question_member_teams", metadata,
    Column("id", String(36), primary_key=True),
    Column("team_id", String(36)),
)

INSERT_QUESTION = questions.insert()
INSERT_ANSWER = answers.insert()
INSERT_FOLLOW = follows.insert()
INSERT_REPORT = reports.insert()
INSERT_MEMBER = teams_of.insert()
TEAMS_OF_ALL = select(teams_of.c.id, teams_of.c.team_id)
ASKER = select(questions.c.asked_by, questions.c.asker_team_id).where(
    questions.c.id == bindparam("q"))
QUESTION_OF = select(answers.c.question_id).where(answers.c.id == bindparam("a"))
FOLLOWERS_OF = select(follows.c.member_id).where(follows.c.question_id == bindparam("q"))
UNFOLLOW = delete(follows).where(follows.c.question_id == bindparam("q"),
                                 follows.c.member_id == bindparam("m"))
EDIT_QUESTION = update(questions).where(questions.c.id == bindparam("q")).values(
    title=bindparam("title"), body=bindparam("body"), body_html=bindparam("html"),
    key_areas=bindparam("areas"), tags=bindparam("tags"), edited_on=bindparam("on"),
    edits=questions.c.edits + 1, version=bindparam("v"))
QUESTION_VERSION = update(questions).where(questions.c.id == bindparam("q")).values(
    version=bindparam("v"))
INVITE = update(questions).where(questions.c.id == bindparam("q")).values(
    invited=questions.c.invited + bindparam("ids"), version=bindparam("v"))
HIDE_QUESTION = update(questions).where(questions.c.id == bindparam("q")).values(
    hidden=True, hidden_reason=bindparam("reason"), hidden_on=bindparam("on"),
    version=bindparam("v"))
ANSWERED = update(questions).where(questions.c.id == bindparam("q")).values(
    answer_count=questions.c.answer_count + 1,
    # First means earliest day answered by someone outside the asker's team.
    first_answered_on=case(
        (and_(bindparam("counts", type_=Boolean),
              or_(questions.c.first_answered_on.is_(None),
                  questions.c.first_answered_on > bindparam("on"))), bindparam("on")),
        else_=questions.c.first_answered_on))
EDIT_ANSWER = update(answers).where(answers.c.id == bindparam("a")).values(
    body=bindparam("body"), body_html=bindparam("html"), edited_on=bindparam("on"),
    edits=answers.c.edits + 1, version=bindparam("v"))
ACCEPT = update(answers).where(answers.c.id == bindparam("a")).values(
    accepted=True, accepted_on=bindparam("on"), version=bindparam("v"))
ACCEPTED_COUNT = update(questions).where(questions.c.id == bindparam("q")).values(
    accepted_count=questions.c.accepted_count + 1)
HIDE_ANSWER = update(answers).where(answers.c.id == bindparam("a")).values(
    hidden=True, hidden_reason=bindparam("reason"), hidden_on=bindparam("on"),
    version=bindparam("v"))
# A hidden answer (spam, abuse) was no answer: the first is the earliest left.
_FIRST_LEFT = (select(func.min(answers.c.posted_on))
               .where(answers.c.question_id == questions.c.id, answers.c.counts.is_(True),
                      answers.c.hidden.is_(False)).scalar_subquery())
ANSWER_HIDDEN = update(questions).where(questions.c.id == bindparam("q")).values(
    answer_count=questions.c.answer_count - 1, first_answered_on=_FIRST_LEFT)
CLOSE_REPORTS = update(reports).where(reports.c.post_id == bindparam("p"),
                                      reports.c.status == "open").values(
    status="hidden", closed_on=bindparam("on"), note=bindparam("note"))
DISMISS = update(reports).where(reports.c.id == bindparam("r")).values(
    status="dismissed", closed_on=bindparam("on"), note=bindparam("note"))

# A report with its question's title and the reported post's text and kind.
_REPORTS = (select(reports, questions.c.title,
                   func.coalesce(answers.c.body, questions.c.body).label("post_body"),
                   case((answers.c.id.is_(None), "question"), else_="answer").label("post_kind"))
            .join(questions, questions.c.id == reports.c.question_id)
            .outerjoin(answers, answers.c.id == reports.c.post_id))


def _pair(row: Any) -> tuple[str, str | None] | None:
    return None if row is None else (row[0], row[1])


def _listed(values: Any) -> str:
    """A list stored as ",a,b," so one value is found with LIKE '%,a,%'."""
    return "," + "".join(f"{getattr(v, 'value', v)}," for v in values)


def _unlisted(stored: str | None) -> list[str]:
    return [v for v in (stored or "").split(",") if v]


def _moment(event: Any) -> datetime:
    """The event's time as naive UTC, which both SQLite and PostgreSQL compare alike."""
    return event.timestamp.replace(tzinfo=None)


def _question(row: Any) -> dict[str, Any]:
    found = dict(row._mapping)
    for listed in ("key_areas", "tags", "invited"):
        found[listed] = _unlisted(found[listed])
    return found


@cache
def _listing(key_area: bool, qip: bool, workshop: bool, team: bool, unanswered: bool
             ) -> tuple[Select[Any], Select[Any]]:
    """The page and the count of ``Questions.questions`` for the filters given, built
    once for each combination with the values as parameters: built per call, their
    cache keys cost more than the reads, on every plan and team page (issue 14)."""
    query = select(questions).where(questions.c.hidden.is_(False))
    if key_area:
        query = query.where(questions.c.key_areas.contains(bindparam("key_area")))
    if qip:
        query = query.where(questions.c.qip_id == bindparam("qip_id"))
    if workshop:
        query = query.where(questions.c.workshop_id == bindparam("workshop_id"))
    if team:
        query = query.where(or_(questions.c.team_id == bindparam("team_id"),
                                questions.c.asker_team_id == bindparam("team_id")))
    order: tuple[Any, ...]
    if unanswered:
        query = query.where(questions.c.answer_count == 0)
        order = (questions.c.asked_on, questions.c.posted_at, questions.c.id)
    else:
        order = (questions.c.asked_on.desc(), questions.c.posted_at.desc(), questions.c.id)
    return (query.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset")),
            select(func.count()).select_from(query.subquery()))


class Questions(View):
    name = "questions"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Member.Joined)
    def member_joined(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_MEMBER, {"id": str(event.originator_id), "team_id": as_id(event.team_id)})
        if "teams" in w.memory:
            w.memory["teams"][str(event.originator_id)] = as_id(event.team_id)

    def _team_of(self, w: Writer, member_id: Any) -> str | None:
        # Every member's team, kept in memory between pages (a few thousand members):
        # a select per question and per answer was most of this view's time.
        teams: dict[str, str | None] | None = w.memory.get("teams")
        if teams is None:
            teams = dict(w.execute(TEAMS_OF_ALL).tuples().all())
            w.memory["teams"] = teams
        return teams.get(str(member_id))

    @apply.register(Question.Asked)
    def asked(self, event: Any, w: Writer, _: int) -> None:
        question_id, asker = str(event.originator_id), str(event.asked_by)
        w.insert(INSERT_QUESTION, {
            "id": question_id, "title": event.title, "body": event.body,
            "body_html": render(event.body), "key_areas": _listed(event.key_areas),
            "tags": _listed(event.tags), "qip_id": as_id(event.qip_id),
            "team_id": as_id(event.team_id), "workshop_id": as_id(event.workshop_id),
            "asked_by": asker, "asker_team_id": self._team_of(w, asker),
            "asked_on": event.asked_on, "posted_at": _moment(event), "edited_on": None,
            "edits": 0, "version": event.originator_version, "answer_count": 0,
            "accepted_count": 0, "first_answered_on": None, "invited": ",",
            "hidden": False, "hidden_reason": None, "hidden_on": None})
        w.insert(INSERT_FOLLOW, {"question_id": question_id, "member_id": asker})
        remember(w, "askers", question_id, (asker, self._team_of(w, asker)))
        remember(w, "followers", question_id, {asker})

    @apply.register(Question.Edited)
    def question_edited(self, event: Any, w: Writer, _: int) -> None:
        w.execute(EDIT_QUESTION, {"q": str(event.originator_id), "title": event.title,
                                  "body": event.body, "html": render(event.body),
                                  "areas": _listed(event.key_areas), "tags": _listed(event.tags),
                                  "on": event.edited_on, "v": event.originator_version})

    def _followers(self, w: Writer, question_id: str) -> set[str]:
        """Who follows a question, kept in memory between pages: a select per
        follow (and the flush of every held row it forced) was a fifth of this view."""
        found: set[str] = recall(w, "followers", question_id, lambda: set(
            w.execute(FOLLOWERS_OF, {"q": question_id}).scalars()))
        return found

    @apply.register(Question.Followed)
    def followed(self, event: Any, w: Writer, _: int) -> None:
        question_id, member_id = str(event.originator_id), str(event.member_id)
        followers = self._followers(w, question_id)
        if member_id not in followers:
            w.insert(INSERT_FOLLOW, {"question_id": question_id, "member_id": member_id})
            followers.add(member_id)
        # Held: a later statement on the questions table sends it first.
        w.set_latest(QUESTION_VERSION, question_id,
                     {"q": question_id, "v": event.originator_version})

    @apply.register(Question.Unfollowed)
    def unfollowed(self, event: Any, w: Writer, _: int) -> None:
        question_id, member_id = str(event.originator_id), str(event.member_id)
        w.execute(UNFOLLOW, {"q": question_id, "m": member_id})
        w.memory.get("followers", {}).get(question_id, set()).discard(member_id)
        w.set_latest(QUESTION_VERSION, question_id,
                     {"q": question_id, "v": event.originator_version})

    @apply.register(Question.MembersInvited)
    def invited(self, event: Any, w: Writer, _: int) -> None:
        w.execute(INVITE, {"q": str(event.originator_id), "v": event.originator_version,
                           "ids": "".join(f"{m}," for m in event.member_ids)})

    @apply.register(Question.Hidden)
    def question_hidden(self, event: Any, w: Writer, _: int) -> None:
        w.execute(HIDE_QUESTION, {"q": str(event.originator_id), "reason": event.reason,
                                  "on": event.hidden_on, "v": event.originator_version})
        w.execute(CLOSE_REPORTS, {"p": str(event.originator_id), "on": event.hidden_on,
                                  "note": event.reason})

    @apply.register(Answer.Posted)
    def answer_posted(self, event: Any, w: Writer, _: int) -> None:
        question_id, poster = str(event.question_id), str(event.posted_by)
        asker = recall(w, "askers", question_id, lambda: _pair(w.execute(ASKER, {"q": question_id})
                                                                .first()))
        outside = asker is not None and poster != asker[0] and (
            asker[1] is None or self._team_of(w, poster) != asker[1])
        w.insert(INSERT_ANSWER, {
            "id": str(event.originator_id), "question_id": question_id, "body": event.body,
            "body_html": render(event.body), "posted_by": poster, "posted_on": event.posted_on,
            "posted_at": _moment(event), "edited_on": None, "edits": 0,
            "version": event.originator_version, "accepted": False, "accepted_on": None,
            "counts": outside, "hidden": False, "hidden_reason": None, "hidden_on": None})
        w.execute(ANSWERED, {"q": question_id, "on": event.posted_on, "counts": outside})

    @apply.register(Answer.Edited)
    def answer_edited(self, event: Any, w: Writer, _: int) -> None:
        w.execute(EDIT_ANSWER, {"a": str(event.originator_id), "body": event.body,
                                "html": render(event.body), "on": event.edited_on,
                                "v": event.originator_version})

    @apply.register(Answer.Accepted)
    def answer_accepted(self, event: Any, w: Writer, _: int) -> None:
        w.execute(ACCEPT, {"a": str(event.originator_id), "on": event.accepted_on,
                           "v": event.originator_version})
        question_id = w.execute(QUESTION_OF, {"a": str(event.originator_id)}).scalar()
        w.execute(ACCEPTED_COUNT, {"q": question_id})

    @apply.register(Answer.Hidden)
    def answer_hidden(self, event: Any, w: Writer, _: int) -> None:
        answer_id = str(event.originator_id)
        w.execute(HIDE_ANSWER, {"a": answer_id, "reason": event.reason, "on": event.hidden_on,
                                "v": event.originator_version})
        w.execute(ANSWER_HIDDEN, {"q": w.execute(QUESTION_OF, {"a": answer_id}).scalar()})
        w.execute(CLOSE_REPORTS, {"p": answer_id, "on": event.hidden_on, "note": event.reason})

    @apply.register(Report.Filed)
    def report_filed(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_REPORT, {
            "id": str(event.originator_id), "post_id": str(event.post_id),
            "question_id": str(event.question_id), "reported_by": str(event.reported_by),
            "reason": event.reason, "reported_on": event.reported_on, "status": "open",
            "closed_on": None, "note": None})

    @apply.register(Report.Dismissed)
    def report_dismissed(self, event: Any, w: Writer, _: int) -> None:
        w.execute(DISMISS, {"r": str(event.originator_id), "on": event.dismissed_on,
                            "note": event.note})

    # --- queries -------------------------------------------------------------------

    def question(self, question_id: str, *, with_hidden_text: bool = False
                 ) -> dict[str, Any] | None:
        """One question with its answers (oldest first) and its followers' ids. The
        text of a hidden post is left out unless ``with_hidden_text`` (organisers)."""
        with reading(self.engine) as conn:
            row = conn.execute(select(questions).where(questions.c.id == question_id)).first()
            if row is None:
                return None
            found = _question(row)
            found["answers"] = [dict(r._mapping) for r in conn.execute(
                select(answers).where(answers.c.question_id == question_id)
                .order_by(answers.c.posted_on, answers.c.posted_at, answers.c.id))]
            found["follower_ids"] = list(conn.scalars(
                select(follows.c.member_id).where(follows.c.question_id == question_id)
                .order_by(follows.c.member_id)))
        if not with_hidden_text:
            for post in (found, *found["answers"]):
                if post["hidden"]:
                    post["body"] = post["body_html"] = ""
        return found

    def answer(self, answer_id: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(answers).where(answers.c.id == answer_id)).first()
        return dict(row._mapping) if row else None

    def questions(self, *, key_area: str | None = None, qip_id: str | None = None,
                  team_id: str | None = None, workshop_id: str | None = None,
                  unanswered: bool = False,
                  limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Questions not hidden, newest first, or oldest first when ``unanswered``
        (the longest waiting lead), and how many there are. ``team_id`` finds those
        attached to the team and those its members asked."""
        query, counted = _listing(bool(key_area), bool(qip_id), bool(workshop_id),
                                  bool(team_id), unanswered)
        given = {"key_area": f",{key_area},", "qip_id": qip_id, "workshop_id": workshop_id,
                 "team_id": team_id, "limit": limit, "offset": offset}
        with reading(self.engine) as conn:
            rows = conn.execute(query, given).all()
            total = total_of(rows, limit, offset, lambda: conn.scalar(counted, given))
        return [_question(r) for r in rows], total

    def unanswered(self, *, key_area: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Questions with no answer yet, the longest waiting first."""
        return self.questions(key_area=key_area, unanswered=True, limit=limit, offset=offset)

    def could_answer(self, member_id: str, team_id: str | None, *, key_areas: set[str],
                     expertise: set[str], limit: int = 10) -> list[dict[str, Any]]:
        """Unanswered questions from outside the member's team in their key areas or
        tagged with their expertise, the longest waiting first."""
        matches = [questions.c.key_areas.contains(f",{a},") for a in sorted(key_areas)]
        matches += [questions.c.tags.contains(f",{t},") for t in sorted(expertise)]
        if not matches:
            return []
        query = select(questions).where(
            questions.c.hidden.is_(False), questions.c.answer_count == 0,
            questions.c.asked_by != member_id, or_(*matches))
        if team_id:
            query = query.where(or_(questions.c.asker_team_id.is_(None),
                                    questions.c.asker_team_id != team_id))
        query = query.order_by(questions.c.asked_on, questions.c.posted_at,
                               questions.c.id).limit(limit)
        with reading(self.engine) as conn:
            return [_question(r) for r in conn.execute(query)]

    def followed_by(self, member_id: str) -> list[str]:
        with reading(self.engine) as conn:
            return list(conn.scalars(select(follows.c.question_id)
                                     .where(follows.c.member_id == member_id)
                                     .order_by(follows.c.question_id)))

    def open_reports(self) -> list[dict[str, Any]]:
        """Reports waiting for the organisers, oldest first, each with the question's
        title and the reported post's text."""
        query = (_REPORTS.where(reports.c.status == "open")
                 .order_by(reports.c.reported_on, reports.c.id))
        with reading(self.engine) as conn:
            return rows_of(conn.execute(query))

    def report(self, report_id: str) -> dict[str, Any] | None:
        """One report, open or closed, as ``open_reports`` shows each."""
        with reading(self.engine) as conn:
            row = conn.execute(_REPORTS.where(reports.c.id == report_id)).first()
        return dict(row._mapping) if row else None

    def posts_since(self, member_id: str, since: datetime) -> int:
        """Questions and answers the member posted after ``since`` (naive UTC)."""
        with reading(self.engine) as conn:
            asked = conn.scalar(select(func.count()).select_from(questions).where(
                questions.c.asked_by == member_id, questions.c.posted_at > since))
            answered = conn.scalar(select(func.count()).select_from(answers).where(
                answers.c.posted_by == member_id, answers.c.posted_at > since))
        return int(asked or 0) + int(answered or 0)

    def answer_times(self, today: date, *, since: date | None = None) -> dict[str, Any]:
        """For the organisers' figures: days from asking to the first answer from
        outside the asker's team (median and 90th percentile), and the share of
        questions (not hidden, asked before ``today``) with no such answer yet; and,
        of those asked at least ``UNANSWERED_AFTER_DAYS`` days before ``today``, the
        share that had none within that many days."""
        return _answer_figures(self._answer_rows(today, since), today)

    def answer_times_by_month(self, today: date) -> dict[str, dict[str, Any]]:
        """``answer_times`` for the questions asked in each month ("2012-04"), answers
        counted up to ``today``: the organisers' CSV has a row a month."""
        by_month: dict[str, list[Any]] = {}
        for row in self._answer_rows(today, None):
            by_month.setdefault(row.asked_on.strftime("%Y-%m"), []).append(row)
        return {month: _answer_figures(rows, today) for month, rows in sorted(by_month.items())}

    def _answer_rows(self, today: date, since: date | None) -> list[Any]:
        query = select(questions.c.asked_on, questions.c.first_answered_on).where(
            questions.c.hidden.is_(False), questions.c.asked_on <= today)
        if since is not None:
            query = query.where(questions.c.asked_on >= since)
        with reading(self.engine) as conn:
            return list(conn.execute(query).all())


# A question with no answer from another team this many days after it was asked has
# been left waiting: the organisers' figure of questions the network let drop.
UNANSWERED_AFTER_DAYS = 14


def _answer_figures(rows: list[Any], today: date) -> dict[str, Any]:
    days = sorted((r.first_answered_on - r.asked_on).days for r in rows
                  if r.first_answered_on is not None and r.first_answered_on <= today)
    waiting = len(rows) - len(days)
    old_enough = [r for r in rows if (today - r.asked_on).days >= UNANSWERED_AFTER_DAYS]
    left = [r for r in old_enough if r.first_answered_on is None
            or (r.first_answered_on - r.asked_on).days > UNANSWERED_AFTER_DAYS
            or r.first_answered_on > today]
    return {"questions": len(rows), "answered": len(days), "unanswered": waiting,
            "unanswered_share": waiting / len(rows) if rows else None,
            "median_days": median(days) if days else None,
            "p90_days": _p90(days),
            "after_days": UNANSWERED_AFTER_DAYS, "asked_before_cutoff": len(old_enough),
            "unanswered_after": len(left),
            "unanswered_after_share": len(left) / len(old_enough) if old_enough else None}


def _p90(days: list[int]) -> float | None:
    if not days:
        return None
    if len(days) == 1:
        return float(days[0])
    return quantiles(days, n=10, method="inclusive")[-1]


def questions_i_could_answer(views: Views, member_id: str, limit: int = 10
                             ) -> list[dict[str, Any]]:
    """For a member's home page: unanswered questions from other teams in the key
    areas their team has shared plans in or that they follow, or tagged with their
    expertise; the longest waiting first."""
    me = views.directory.member(member_id)
    if me is None:
        return []
    followed, _ = views.notifications.follows_of(member_id)
    areas = set(followed) | shared_key_areas(views, me["team_id"])
    return views.questions.could_answer(member_id, me["team_id"], key_areas=areas,
                                        expertise=set(me["expertise"]), limit=limit)
