"""Questions and answers: asking the network, answering, editing one's own posts,
accepting the answer that helped, following, inviting, and moderation (any member
reports, organisers hide or dismiss).

Posting is limited to ``domain.question.POSTS_PER_HOUR`` questions and answers a
member an hour, counted from the questions view (which the command has just caught
up): the rule is the domain's, the count is what was recorded. The operator at the
command line (``by=None``) and the demo, which records years in one run, set
``posts_per_hour = None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from community.commands import Id
from community.notifications import NotificationCommands
from domain.errors import Invalid, NotAllowed, NotFound
from domain.member import Member
from domain.qip import Qip
from domain.question import (
    POSTS_PER_HOUR,
    Answer,
    Question,
    Report,
    check_posting_rate,
    handle_for,
    mentions,
)
from domain.team import Team
from domain.values import KeyArea
from domain.workshop import Workshop
from projections.counterparts import answerers_for


class QuestionCommands(NotificationCommands):
    """Commands on questions, answers and reports, and a member's follows (kept on
    the member's notification settings, which ``NotificationCommands`` loads)."""

    posts_per_hour: int | None = POSTS_PER_HOUR

    def question(self, question_id: Id) -> Question:
        return self._get(Question, question_id, "question")

    def answer_of(self, question: Question, answer_id: Id) -> Answer:
        answer = self._get(Answer, answer_id, "answer")
        if answer.question_id != question.id:
            raise NotFound("no such answer")
        return answer

    # --- posting -----------------------------------------------------------------------

    def ask_question(self, *, by: UUID, title: str, body: str,
                     key_areas: Sequence[KeyArea | str], tags: Sequence[str] = (),
                     qip_id: Id | None = None, team_id: Id | None = None,
                     workshop_id: Id | None = None,
                     invite_member_ids: Sequence[Id] = (), asked_on: date | None = None) -> UUID:
        """Ask; the question may be attached to a QIP the asker can see, a team or an
        event, and up to five members invited to answer it."""
        asker = self.member(by)
        self._check_rate(asker)
        qip = (self._existing(Qip, qip_id, "qip_id", "QIP") if qip_id is not None else None)
        if qip is not None and qip.shared_on is None and not asker.is_organiser \
                and qip.team_id != asker.team_id:
            raise Invalid({"qip_id": "no such QIP"})  # a draft of another team is unseen
        team = self._existing(Team, team_id, "team_id", "team") if team_id is not None else None
        workshop = (self._existing(Workshop, workshop_id, "workshop_id", "event")
                    if workshop_id is not None else None)
        invitees = self._answer_invitees(invite_member_ids)
        day = asked_on or self.today()
        question = Question.ask(title=title, body=body, key_areas=list(key_areas),
                                tags=list(tags), asked_by=asker.id, asked_on=day,
                                qip_id=qip.id if qip else None, team_id=team.id if team else None,
                                workshop_id=workshop.id if workshop else None,
                                mentioned_ids=self.mentioned(body))
        if invitees:
            question.invite(invitees, by=asker.id, invited_on=day)
        self.save(question)
        return question.id

    def answer_question(self, question_id: Id, *, by: UUID, body: str,
                        posted_on: date | None = None) -> UUID:
        """Post an answer: its own stream, so answers given at once never clash."""
        question = self.question(question_id)
        member = self.member(by)
        self._check_rate(member)
        answer = Answer.post(question=question, body=body, posted_by=member.id,
                             posted_on=posted_on or self.today(),
                             mentioned_ids=self.mentioned(body))
        self.save(answer)
        return answer.id

    def invite_to_answer(self, question_id: Id, *, by: UUID,
                         member_ids: Sequence[Id]) -> list[UUID]:
        """The asker invites more members (five in all); returns those newly invited."""
        question = self.question(question_id)
        self._asker(question, by, "only the person who asked can invite people to answer")
        new = question.invite(self._answer_invitees(member_ids), by=by, invited_on=self.today())
        if new:
            self.save(question)
        return new

    def edit_question(self, question_id: Id, *, by: UUID, title: str, body: str,
                      key_areas: Sequence[KeyArea | str], tags: Sequence[str] = (),
                      version: int | None = None, edited_on: date | None = None) -> bool:
        question = self.question(question_id)
        self._asker(question, by, "only the person who asked can edit this question")
        self._check_wording(question, version)
        if not question.edit(by=by, title=title, body=body, key_areas=list(key_areas),
                             tags=list(tags), edited_on=edited_on or self.today(),
                             mentioned_ids=self.mentioned(body)):
            return False
        self.save(question)
        return True

    def edit_answer(self, question_id: Id, answer_id: Id, *, by: UUID, body: str,
                    version: int | None = None, edited_on: date | None = None) -> bool:
        answer = self.answer_of(self.question(question_id), answer_id)
        if answer.posted_by != by:
            raise NotAllowed("only the person who answered can edit this answer")
        self._check_wording(answer, version)
        if not answer.edit(by=by, body=body, edited_on=edited_on or self.today(),
                           mentioned_ids=self.mentioned(body)):
            return False
        self.save(answer)
        return True

    def accept_answer(self, question_id: Id, answer_id: Id, *, by: UUID,
                      accepted_on: date | None = None) -> None:
        """The asker marks an answer as the one that helped."""
        question = self.question(question_id)
        self._asker(question, by, "only the person who asked can accept an answer")
        answer = self.answer_of(question, answer_id)
        answer.accept(by=by, accepted_on=accepted_on or self.today())
        self.save(answer)

    # --- following ---------------------------------------------------------------------

    def follow_question(self, question_id: Id, *, by: UUID) -> bool:
        question = self.question(question_id)
        if not question.follow(self.member(by).id):
            return False
        self.save(question)
        return True

    def unfollow_question(self, question_id: Id, *, by: UUID) -> bool:
        question = self.question(question_id)
        if not question.unfollow(self.member(by).id):
            return False
        self.save(question)
        return True

    def choose_follows(self, *, by: UUID, key_areas: Sequence[KeyArea | str],
                       team_ids: Sequence[Id]) -> bool:
        """The key areas and teams a member follows, as a whole; False: unchanged."""
        settings = self.notification_settings(by)
        teams = [self._existing(Team, t, "team_ids", "team").id for t in team_ids]
        if not settings.choose_follows(key_areas=list(key_areas), team_ids=teams):
            return False
        self.save(settings)
        return True

    # --- moderation --------------------------------------------------------------------

    def report_post(self, question_id: Id, *, by: UUID, reason: str,
                    answer_id: Id | None = None, reported_on: date | None = None) -> UUID:
        """Any member reports a question (or one of its answers) to the organisers."""
        question = self.question(question_id)
        post = self.answer_of(question, answer_id) if answer_id is not None else question
        report = Report.file(post_id=post.id, question_id=question.id,
                             reported_by=self.member(by).id, reason=reason,
                             reported_on=reported_on or self.today())
        self.save(report)
        return report.id

    def hide_post(self, question_id: Id, *, by: UUID | None, reason: str,
                  answer_id: Id | None = None, hidden_on: date | None = None) -> None:
        """Organisers hide a question or an answer; the reason is kept and shown."""
        self._organiser(by, "only organisers can hide posts")
        question = self.question(question_id)
        post = self.answer_of(question, answer_id) if answer_id is not None else question
        post.hide(by=by, reason=reason, hidden_on=hidden_on or self.today())
        self.save(post)

    def dismiss_report(self, report_id: Id, *, by: UUID | None, note: str = "",
                       dismissed_on: date | None = None) -> None:
        self._organiser(by, "only organisers can dismiss reports")
        report = self._get(Report, report_id, "report")
        report.dismiss(by=by, note=note, dismissed_on=dismissed_on or self.today())
        self.save(report)

    # --- who could answer ----------------------------------------------------------------

    def suggested_answerers(self, question_id: Id, limit: int = 5) -> list[dict[str, Any]]:
        """Up to five members outside the asker's team whose expertise, role and team
        results match the question: directory rows with ``reasons``."""
        question = self.question(question_id)
        already = {question.asked_by, *question.invited}
        return answerers_for(self.views, str(question.asked_by),
                             key_areas={a.value for a in question.key_areas},
                             tags=set(question.tags), leave_out={str(m) for m in already},
                             limit=limit)

    # --- helpers -----------------------------------------------------------------------

    def mentioned(self, text: str) -> list[UUID]:
        """Members named by @handle in a text (``domain.question.handle_for``)."""
        handles = set(mentions(text))
        if not handles:
            return []
        found = []
        for member_id, name in self.views.directory.all_names():
            if handle_for(name) in handles:
                found.append(UUID(member_id))
        return found

    def _answer_invitees(self, member_ids: Sequence[Id]) -> list[UUID]:
        if isinstance(member_ids, str) or not isinstance(member_ids, (list, tuple)):
            raise Invalid({"invite_member_ids": "must be a list of member ids"})
        return [self._existing(Member, m, "invite_member_ids", "member").id
                for m in member_ids]

    def _check_wording(self, post: Question | Answer, version: int | None) -> None:
        """An edit conflicts only when the words changed since the editor loaded them:
        someone following the question or the asker accepting the answer in between
        moves the version on, and must not turn the editor's save into a 409."""
        if (isinstance(version, int) and not isinstance(version, bool)
                and post.worded_in <= version <= post.version):
            return
        self._check_version(post, version)

    def _asker(self, question: Question, by: UUID, refusal: str) -> None:
        if question.asked_by != by:
            raise NotAllowed(refusal)

    def _check_rate(self, member: Member) -> None:
        if self.posts_per_hour is None:
            return
        an_hour_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
        check_posting_rate(self.views.questions.posts_since(str(member.id), an_hour_ago),
                           self.posts_per_hour)
