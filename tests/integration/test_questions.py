"""Questions and answers on each real store: asking, answering, editing one's own
posts, accepting, following, moderating, and what the questions view then shows."""

from __future__ import annotations

from datetime import date

import pytest

from community import Community
from domain.errors import Conflict, Invalid, NotAllowed, NotFound
from domain.question import POSTS_PER_HOUR
from projections.questions import questions_i_could_answer
from projections.search import search_questions
from tests.integration.network import Network, build_network, draft_ready_qip

EBUS = "Has anyone got a nurse-led EBUS follow-up clinic running?"


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def ask(app: Community, net: Network, **changes: object) -> str:
    given: dict[str, object] = {"by": net.nurse, "title": EBUS, "key_areas": ["diagnostics"],
                                "body": "We start one in **April**. <script>alert(1)</script>",
                                "tags": ["ebus"]}
    given.update(changes)
    return str(app.ask_question(**given))  # type: ignore[arg-type]


def test_an_asked_question_shows_its_safe_html_and_the_asker_follows_it(
        app: Community, net: Network) -> None:
    question = app.views.questions.question(ask(app, net))

    assert question is not None
    assert question["title"] == EBUS
    assert "<strong>April</strong>" in question["body_html"]
    assert "<script" not in question["body_html"]
    assert question["key_areas"] == ["diagnostics"] and question["tags"] == ["ebus"]
    assert question["follower_ids"] == [str(net.nurse)] and question["answers"] == []


def test_a_question_with_bad_input_is_refused_by_field_and_nothing_is_saved(
        app: Community, net: Network) -> None:
    with pytest.raises(Invalid) as refused:
        ask(app, net, title="", key_areas=["astrology"])

    assert set(refused.value.fields) == {"title", "key_areas"}
    assert app.views.questions.questions()[1] == 0


def test_a_question_attaches_to_a_qip_only_when_the_asker_can_see_it(
        app: Community, net: Network) -> None:
    draft = draft_ready_qip(app, net.nurse)

    with pytest.raises(Invalid) as refused:
        ask(app, net, by=net.other_nurse, qip_id=draft)
    asked = ask(app, net, qip_id=draft)

    assert refused.value.fields == {"qip_id": "no such QIP"}
    assert [q["id"] for q in app.views.questions.questions(qip_id=str(draft))[0]] == [asked]


def test_a_question_attached_to_a_missing_team_or_event_names_the_field(
        app: Community, net: Network) -> None:
    with pytest.raises(Invalid) as team:
        ask(app, net, team_id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(Invalid) as event:
        ask(app, net, workshop_id="not-an-id")

    assert team.value.fields == {"team_id": "no such team"}
    assert event.value.fields == {"workshop_id": "no such event"}


def test_invitees_are_recorded_and_at_most_five(app: Community, net: Network) -> None:
    asked = ask(app, net, invite_member_ids=[net.other_nurse, str(net.lead)])

    with pytest.raises(Invalid) as refused:
        ask(app, net, invite_member_ids=[net.nurse])

    assert app.views.questions.question(asked)["invited"] == [str(net.other_nurse), str(net.lead)]
    assert refused.value.fields == {"invite_member_ids": "you cannot invite yourself to answer"}


def test_an_answer_appears_under_its_question_and_counts_as_a_first_answer(
        app: Community, net: Network) -> None:
    asked = ask(app, net)

    answer = app.answer_question(asked, by=net.other_nurse, body="Yes, on [Tuesdays]"
                                 "(javascript:alert(1)).", posted_on=date(2013, 6, 4))
    question = app.views.questions.question(asked)

    assert [a["id"] for a in question["answers"]] == [str(answer)]
    assert "href" not in question["answers"][0]["body_html"]
    assert question["answer_count"] == 1 and question["first_answered_on"] == date(2013, 6, 4)


def test_a_reply_from_the_askers_own_team_is_not_a_first_answer(
        app: Community, net: Network) -> None:
    asked = ask(app, net)

    app.answer_question(asked, by=net.lead, body="We could ask Sara.")
    app.answer_question(asked, by=net.nurse, body="Thanks, I will.")

    question = app.views.questions.question(asked)
    assert question["answer_count"] == 2 and question["first_answered_on"] is None
    figures = app.views.questions.answer_times(date(2013, 6, 30))
    assert figures["unanswered"] == 1 and figures["median_days"] is None


def test_answer_times_give_the_median_and_ninetieth_percentile(
        app: Community, net: Network) -> None:
    for days in (1, 3, 10):
        asked = ask(app, net, asked_on=date(2013, 5, 1))
        app.answer_question(asked, by=net.other_nurse, body="Yes",
                            posted_on=date(2013, 5, 1 + days))
    ask(app, net, asked_on=date(2013, 5, 20))

    figures = app.views.questions.answer_times(date(2013, 6, 1))

    assert figures["median_days"] == 3 and figures["unanswered_share"] == 0.25
    assert figures["p90_days"] == pytest.approx(8.6)


def test_members_edit_only_their_own_posts_and_the_history_is_kept(
        app: Community, net: Network) -> None:
    asked = ask(app, net)
    answer = app.answer_question(asked, by=net.other_nurse, body="Yes")

    with pytest.raises(NotAllowed):
        app.edit_question(asked, by=net.other_nurse, title="Mine now", body="x",
                          key_areas=["diagnostics"])
    with pytest.raises(NotAllowed):
        app.edit_answer(asked, answer, by=net.nurse, body="No")
    app.edit_answer(asked, answer, by=net.other_nurse, body="Yes, on Tuesdays")
    app.edit_question(asked, by=net.nurse, title="EBUS follow-up led by nurses?",
                      body="Starting in May.", key_areas=["diagnostics"], version=1)

    question = app.views.questions.question(asked)
    assert question["title"] == "EBUS follow-up led by nurses?" and question["edits"] == 1
    assert question["answers"][0]["body"] == "Yes, on Tuesdays"
    assert [h["body"] for h in app.answer_of(app.question(asked), answer).history] == ["Yes"]


def test_an_edit_from_a_stale_page_is_a_conflict(app: Community, net: Network) -> None:
    asked = ask(app, net)  # the asker opens the edit page in two tabs, at version 1
    app.edit_question(asked, by=net.nurse, title="First tab", body="First",
                      key_areas=["diagnostics"], version=1)

    with pytest.raises(Conflict):
        app.edit_question(asked, by=net.nurse, title="Second tab", body="Second",
                          key_areas=["diagnostics"], version=1)
    assert app.views.questions.question(asked)["title"] == "First tab"


def test_only_the_asker_accepts_an_answer(app: Community, net: Network) -> None:
    asked = ask(app, net)
    answer = app.answer_question(asked, by=net.other_nurse, body="Yes")

    with pytest.raises(NotAllowed):
        app.accept_answer(asked, answer, by=net.other_nurse)
    app.accept_answer(asked, answer, by=net.nurse)

    question = app.views.questions.question(asked)
    assert question["answers"][0]["accepted"] and question["accepted_count"] == 1


def test_an_answer_to_another_question_is_not_found_under_this_one(
        app: Community, net: Network) -> None:
    first, second = ask(app, net), ask(app, net, title="Another")
    answer = app.answer_question(first, by=net.other_nurse, body="Yes")

    with pytest.raises(NotFound):
        app.accept_answer(second, answer, by=net.nurse)


def test_following_and_unfollowing_a_question(app: Community, net: Network) -> None:
    asked = ask(app, net)

    assert app.follow_question(asked, by=net.other_nurse)
    assert not app.follow_question(asked, by=net.other_nurse)
    assert app.views.questions.followed_by(str(net.other_nurse)) == [asked]
    assert app.unfollow_question(asked, by=net.other_nurse)
    assert app.views.questions.followed_by(str(net.other_nurse)) == []


def test_a_report_waits_for_the_organisers_until_they_hide_the_post(
        app: Community, net: Network) -> None:
    asked = ask(app, net)
    answer = app.answer_question(asked, by=net.other_nurse, body="Buy my course!")
    app.report_post(asked, answer_id=answer, by=net.nurse, reason="Advertising")

    reports = app.views.questions.open_reports()
    assert [(r["post_kind"], r["post_body"], r["reason"]) for r in reports] == [
        ("answer", "Buy my course!", "Advertising")]
    with pytest.raises(NotAllowed):
        app.hide_post(asked, answer_id=answer, by=net.nurse, reason="Spam")
    app.hide_post(asked, answer_id=answer, by=net.organiser, reason="Advertising")

    question = app.views.questions.question(asked)
    assert app.views.questions.open_reports() == []
    assert question["answers"][0]["hidden_reason"] == "Advertising"
    assert question["answers"][0]["body_html"] == "" and question["answer_count"] == 0
    with pytest.raises(Conflict):
        app.edit_answer(asked, answer, by=net.other_nurse, body="Sorry")


def test_an_organiser_dismisses_a_report_and_the_post_stays(app: Community, net: Network) -> None:
    asked = ask(app, net)
    report = app.report_post(asked, by=net.other_nurse, reason="Off topic")

    with pytest.raises(NotAllowed):
        app.dismiss_report(report, by=net.other_nurse)
    app.dismiss_report(report, by=net.organiser, note="It is on topic")

    assert app.views.questions.open_reports() == []
    assert not app.views.questions.question(asked)["hidden"]


def test_a_hidden_question_leaves_the_lists(app: Community, net: Network) -> None:
    asked = ask(app, net)
    app.hide_post(asked, by=net.organiser, reason="Abusive")

    assert app.views.questions.questions()[1] == 0
    assert app.views.questions.question(asked)["hidden_reason"] == "Abusive"
    with pytest.raises(Conflict):
        app.answer_question(asked, by=net.other_nurse, body="Yes")


def test_every_page_of_the_list_says_how_many_questions_there_are(
        app: Community, net: Network) -> None:
    titles = [ask(app, net, title=f"Question {n}", asked_on=date(2013, 1, n)) for n in (1, 2, 3)]
    ask(app, net, title="On another plan's key area", key_areas=["clinical_trials"])
    listed = app.views.questions.questions

    pages = {(limit, offset): listed(key_area="diagnostics", limit=limit, offset=offset)
             for limit, offset in ((2, 0), (5, 0), (2, 2), (2, 4), (3, 0))}

    assert {at: total for at, (_, total) in pages.items()} == dict.fromkeys(pages, 3)
    assert [r["id"] for r in pages[(2, 2)][0]] == [titles[0]]  # newest first
    assert pages[(2, 4)][0] == [] and len(pages[(5, 0)][0]) == 3


def test_unanswered_lists_the_longest_waiting_first_by_key_area(
        app: Community, net: Network) -> None:
    old = ask(app, net, title="Old", asked_on=date(2013, 1, 1))
    new = ask(app, net, title="New", asked_on=date(2013, 5, 1))
    ask(app, net, title="Trials", key_areas=["clinical_trials"], asked_on=date(2012, 1, 1))
    answered = ask(app, net, title="Answered", asked_on=date(2012, 6, 1))
    app.answer_question(answered, by=net.other_nurse, body="Yes")

    rows, total = app.views.questions.unanswered(key_area="diagnostics")

    assert [r["id"] for r in rows] == [old, new] and total == 2


def test_questions_a_member_could_answer_match_their_key_areas_or_expertise(
        app: Community, net: Network) -> None:
    ebus = ask(app, net, tags=["ebus"], key_areas=["data_collection"])
    ask(app, net, title="Own team", tags=["trials"], key_areas=["clinical_trials"],
        by=net.lead)

    found = app.views.questions.could_answer(str(net.other_nurse), str(net.south),
                                             key_areas=set(), expertise={"ebus"})
    theirs = app.views.questions.could_answer(str(net.nurse), str(net.north),
                                              key_areas={"clinical_trials"}, expertise=set())

    assert [q["id"] for q in found] == [ebus]
    assert theirs == []  # asked in Nina's own team


def test_questions_for_a_team_are_those_attached_to_it_and_asked_in_it(
        app: Community, net: Network) -> None:
    in_north = ask(app, net)
    to_south = ask(app, net, by=net.organiser, team_id=net.south)

    assert [q["id"] for q in app.views.questions.questions(team_id=str(net.north))[0]] == [in_north]
    assert [q["id"] for q in app.views.questions.questions(team_id=str(net.south))[0]] == [to_south]


def test_posting_beyond_the_hourly_limit_is_refused(app: Community, net: Network) -> None:
    asked = ask(app, net)
    for n in range(POSTS_PER_HOUR - 1):
        app.answer_question(asked, by=net.other_nurse, body=f"Answer {n}")
    app.answer_question(asked, by=net.other_nurse, body="One more")

    with pytest.raises(Invalid) as refused:
        app.answer_question(asked, by=net.other_nurse, body="And another")

    assert "wait" in refused.value.fields["body"]
    app.answer_question(asked, by=net.lead, body="Someone else may still answer")


def test_suggested_answerers_are_from_other_teams_with_reasons(
        app: Community, net: Network) -> None:
    asked = ask(app, net, tags=["ebus"])

    suggested = app.suggested_answerers(asked)

    assert [m["id"] for m in suggested] == [str(net.other_nurse)]
    assert "Shares your interest in ebus, nurse-led clinics" in suggested[0]["reasons"]


def test_mentions_name_members_by_their_handle(app: Community, net: Network) -> None:
    assert app.mentioned("Ask @sara.south or @nobody") == [net.other_nurse]


def found(app: Community, q: str, **kwargs: object) -> list[str]:
    return [item["title"] for item in search_questions(app.views, q, **kwargs).items or []]


def test_search_finds_a_question_by_its_words_stemmed_and_by_its_answers(
        app: Community, net: Network) -> None:
    asked = ask(app, net, title="Follow-up clinics after EBUS", body="Who runs them?")
    ask(app, net, title="Trial recruitment", body="Which trials?", key_areas=["clinical_trials"])
    answer = app.answer_question(asked, by=net.other_nurse, body="Our radiographers do it.")

    assert found(app, "follow-up clinic") == ["Follow-up clinics after EBUS"]
    assert found(app, "radiographer") == ["Follow-up clinics after EBUS"]
    assert found(app, "trials", key_area="diagnostics") == []

    app.edit_answer(asked, answer, by=net.other_nurse, body="Our nurses do it.")
    assert found(app, "radiographer") == []


def test_hidden_posts_are_not_found(app: Community, net: Network) -> None:
    asked = ask(app, net, title="EBUS clinics")
    spam = ask(app, net, title="Cheap EBUS scopes")
    answer = app.answer_question(asked, by=net.other_nurse, body="Buy scopes from us")
    app.hide_post(spam, by=net.organiser, reason="Advertising")
    app.hide_post(asked, answer_id=answer, by=net.organiser, reason="Advertising")

    assert found(app, "EBUS") == ["EBUS clinics"]
    assert found(app, "scopes") == []


def test_the_question_search_survives_a_rebuild(app: Community, net: Network) -> None:
    asked = ask(app, net, title="EBUS clinics")
    app.answer_question(asked, by=net.other_nurse, body="Radiographers run ours")

    app.views.rebuild(["search", "questions"])

    assert found(app, "radiographers") == ["EBUS clinics"]


def test_questions_i_could_answer_follow_my_key_areas_and_expertise(
        app: Community, net: Network) -> None:
    trials = ask(app, net, title="Trials?", key_areas=["clinical_trials"], tags=[])
    ebus = ask(app, net, title="EBUS?", key_areas=["diagnostics"], tags=["ebus"])
    ask(app, net, title="Data?", key_areas=["data_collection"], tags=[])

    before = questions_i_could_answer(app.views, str(net.other_nurse))
    app.choose_follows(by=net.other_nurse, key_areas=["clinical_trials"], team_ids=[])
    after = questions_i_could_answer(app.views, str(net.other_nurse))

    assert [q["id"] for q in before] == [ebus]
    assert [q["id"] for q in after] == [trials, ebus]
    assert app.views.notifications.follows_of(str(net.other_nurse)) == (["clinical_trials"], [])


def test_a_hidden_answer_no_longer_counts_as_the_first_answer(
        app: Community, net: Network) -> None:
    asked = ask(app, net, asked_on=date(2013, 5, 1))
    spam = app.answer_question(asked, by=net.other_nurse, body="Buy!", posted_on=date(2013, 5, 2))
    app.answer_question(asked, by=net.organiser, body="Try Southmoor.", posted_on=date(2013, 5, 6))

    app.hide_post(asked, answer_id=spam, by=net.organiser, reason="Advertising")

    assert app.views.questions.question(asked)["first_answered_on"] == date(2013, 5, 6)
    assert app.views.questions.answer_times(date(2013, 6, 1))["median_days"] == 5


def test_suggestions_leave_out_those_already_invited_and_work_for_an_organiser(
        app: Community, net: Network) -> None:
    invited = ask(app, net, tags=["ebus"], invite_member_ids=[net.other_nurse])
    by_organiser = ask(app, net, by=net.organiser, tags=["ebus"])

    assert app.suggested_answerers(invited) == []
    assert [m["id"] for m in app.suggested_answerers(by_organiser)] == [str(net.other_nurse)]


def test_the_asker_accepting_does_not_turn_the_answerers_edit_into_a_conflict(
        app: Community, net: Network) -> None:
    question_id = ask(app, net)
    answer_id = app.answer_question(question_id, by=net.other_nurse, body="We do, since 2011.")
    loaded = app.views.questions.question(question_id)["answers"][0]["version"]
    app.accept_answer(question_id, answer_id, by=net.nurse)
    assert app.edit_answer(question_id, answer_id, by=net.other_nurse,
                           body="We do, since 2011: two sessions a week.", version=loaded)
    answer = app.views.questions.question(question_id)["answers"][0]
    assert "two sessions a week" in answer["body_html"] and answer["accepted"]
