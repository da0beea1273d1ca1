"""Questions and answers as stories: asking, editing with history, inviting, following,
accepting, hiding and reporting, and the limits named by field."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.member import NotificationSettings
from domain.question import (
    INVITEES_MAX,
    POSTS_PER_HOUR,
    TITLE_MAX,
    Answer,
    Question,
    Report,
    check_posting_rate,
    handle_for,
    mentions,
)
from domain.values import KeyArea

NINA, SARA = uuid4(), uuid4()


def a_question(**changes: object) -> Question:
    given: dict[str, object] = {
        "title": "Has anyone got a nurse-led EBUS follow-up clinic running?",
        "body": "We are starting one in April.", "key_areas": ["diagnostics"],
        "tags": ["EBUS", "nurse-led"], "asked_by": NINA, "asked_on": "2012-06-01"}
    given.update(changes)
    return Question.ask(**given)  # type: ignore[arg-type]


def test_an_asked_question_has_its_key_areas_tags_and_asker_following_it() -> None:
    question = a_question()

    assert question.key_areas == [KeyArea.DIAGNOSTICS]
    assert question.tags == ["ebus", "nurse-led"]
    assert question.followers == {NINA}


def test_every_problem_with_a_question_is_named_by_its_field() -> None:
    with pytest.raises(Invalid) as refused:
        a_question(title="x" * (TITLE_MAX + 1), body="", key_areas=[],
                   tags=["a", "b", "c", "d", "e", "f"])

    assert refused.value.fields == {
        "title": f"must be at most {TITLE_MAX} characters", "body": "is required",
        "key_areas": "choose at least one key area", "tags": "must be at most 5 tags"}


def test_an_unknown_key_area_is_refused_by_name() -> None:
    with pytest.raises(Invalid) as refused:
        a_question(key_areas=["astrology"])

    assert "key_areas" in refused.value.fields


def test_an_edit_keeps_the_earlier_wording_in_the_history() -> None:
    question = a_question()

    changed = question.edit(by=NINA, title="EBUS follow-up clinics led by nurses?",
                            body="Starting in May now.", key_areas=["diagnostics"],
                            tags=["ebus"], edited_on="2012-06-02")

    assert changed and question.title == "EBUS follow-up clinics led by nurses?"
    assert question.history[0]["title"] == "Has anyone got a nurse-led EBUS follow-up clinic running?"


def test_an_edit_that_changes_nothing_records_nothing() -> None:
    question = a_question()
    question.collect_events()

    assert not question.edit(by=NINA, title=question.title, body=question.body,
                             key_areas=["diagnostics"], tags=["ebus", "nurse-led"],
                             edited_on="2012-06-02")
    assert question.collect_events() == []


def test_following_twice_records_one_follow_and_unfollowing_removes_it() -> None:
    question = a_question()

    assert question.follow(SARA) and not question.follow(SARA)
    assert question.unfollow(SARA) and SARA not in question.followers


def test_at_most_five_members_can_be_invited_to_answer() -> None:
    question = a_question()
    question.invite([uuid4() for _ in range(3)], by=NINA, invited_on="2012-06-01")

    with pytest.raises(Invalid) as refused:
        question.invite([uuid4() for _ in range(3)], by=NINA, invited_on="2012-06-01")

    assert refused.value.fields == {
        "invite_member_ids": f"invite at most {INVITEES_MAX} members to answer a question"}


def test_the_asker_cannot_invite_themself() -> None:
    with pytest.raises(Invalid) as refused:
        a_question().invite([NINA], by=NINA, invited_on="2012-06-01")

    assert "invite_member_ids" in refused.value.fields


def test_an_answer_belongs_to_its_question_and_can_be_accepted_once() -> None:
    question = a_question()
    answer = Answer.post(question=question, body="We do, on Tuesdays.", posted_by=SARA,
                         posted_on="2012-06-02")

    answer.accept(by=NINA, accepted_on="2012-06-03")

    assert answer.question_id == question.id and answer.accepted
    with pytest.raises(Conflict):
        answer.accept(by=NINA, accepted_on="2012-06-03")


def test_an_answer_cannot_predate_its_question() -> None:
    with pytest.raises(Invalid) as refused:
        Answer.post(question=a_question(), body="Yes", posted_by=SARA, posted_on="2012-05-01")

    assert refused.value.fields == {"posted_on": "cannot be before the question was asked"}


def test_a_hidden_question_takes_no_answers_and_no_edits() -> None:
    question = a_question()
    question.hide(by=SARA, reason="Posted twice", hidden_on="2012-06-02")

    assert question.hidden_reason == "Posted twice"
    with pytest.raises(Conflict):
        Answer.post(question=question, body="Yes", posted_by=SARA, posted_on="2012-06-02")
    with pytest.raises(Conflict):
        question.edit(by=NINA, title="New", body="New", key_areas=["diagnostics"],
                      edited_on="2012-06-03")


def test_hiding_needs_a_reason() -> None:
    with pytest.raises(Invalid) as refused:
        a_question().hide(by=SARA, reason=" ", hidden_on="2012-06-02")

    assert refused.value.fields == {"reason": "is required"}


def test_a_report_needs_a_reason_and_is_dismissed_once() -> None:
    question = a_question()
    with pytest.raises(Invalid):
        Report.file(post_id=question.id, question_id=question.id, reported_by=SARA, reason="",
                    reported_on="2012-06-02")
    report = Report.file(post_id=question.id, question_id=question.id, reported_by=SARA,
                         reason="Advertising", reported_on="2012-06-02")

    report.dismiss(by=NINA, dismissed_on="2012-06-03")

    assert report.dismissed
    with pytest.raises(Conflict):
        report.dismiss(by=NINA, dismissed_on="2012-06-03")


def test_mentions_are_the_handles_after_at_signs_not_emails_or_code() -> None:
    text = ("Ask @sara.jones and @Tom_B. Mail nina@northshire.nhs.uk, not `@code`; "
            "@sara.jones again.")

    assert mentions(text) == ["sara.jones", "tom_b"]


def test_a_members_handle_is_their_name_in_plain_lower_case() -> None:
    assert handle_for("Siân O'Neill") == "sian.oneill"
    assert handle_for("Dr  Tom Brown") == "dr.tom.brown"


def test_posting_beyond_the_hourly_limit_is_refused() -> None:
    check_posting_rate(POSTS_PER_HOUR - 1)

    with pytest.raises(Invalid) as refused:
        check_posting_rate(POSTS_PER_HOUR)

    assert "wait" in refused.value.fields["body"]


def test_a_member_follows_key_areas_and_teams_as_a_whole_choice() -> None:
    settings = NotificationSettings.start(NINA)
    team = uuid4()

    assert settings.choose_follows(key_areas=["cns_access", "diagnostics"], team_ids=[team])
    assert not settings.choose_follows(key_areas=["diagnostics", "cns_access"], team_ids=[team])
    assert settings.key_areas == [KeyArea.CNS_ACCESS, KeyArea.DIAGNOSTICS]
    with pytest.raises(Invalid) as refused:
        settings.choose_follows(key_areas=["astrology"], team_ids=[])
    assert "key_areas" in refused.value.fields


def test_following_or_accepting_in_between_does_not_make_an_edit_a_conflict() -> None:
    asker, follower = uuid4(), uuid4()
    question = Question.ask(title="EBUS follow-up clinics?", body="Who runs one?",
                            key_areas=[KeyArea.DIAGNOSTICS], asked_by=asker,
                            asked_on=date(2013, 1, 1))
    loaded = question.version
    question.follow(follower)
    assert question.version > loaded and question.worded_in <= loaded
    question.edit(by=asker, title="Nurse-led EBUS follow-up?", body="Who runs one?",
                  key_areas=[KeyArea.DIAGNOSTICS], edited_on=date(2013, 1, 2))
    assert question.worded_in == question.version  # an edit moves the wording on
