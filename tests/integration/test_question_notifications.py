"""Who is told about questions and answers, on each real store: invited and mentioned
members, followers of the question, of its key area and of its team, and the answerer
whose answer helped. One mechanism: the notifications view."""

from __future__ import annotations

import pytest

from community import Community
from tests.integration.network import Network, build_network, told

TITLE = "Nurse-led EBUS follow-up?"


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def ask(app: Community, net: Network, **changes: object) -> str:
    given: dict[str, object] = {"by": net.nurse, "title": TITLE, "body": "Anyone?",
                                "key_areas": ["diagnostics"]}
    given.update(changes)
    return str(app.ask_question(**given))  # type: ignore[arg-type]


def test_invited_members_are_asked_to_answer(app: Community, net: Network) -> None:
    asked = ask(app, net, invite_member_ids=[net.other_nurse])

    assert told(app, net.other_nurse) == [
        ("question_invited", f"Nina Nurse asks you to answer “{TITLE}”.")]
    rows, _ = app.views.notifications.for_member(str(net.other_nurse))
    assert rows[0]["link"] == f"/questions/{asked}"
    assert told(app, net.lead) == [] and told(app, net.nurse) == []


def test_a_mentioned_member_is_told_once_even_when_also_following_the_key_area(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[])

    ask(app, net, body="What do you think, @sara.south?")

    assert told(app, net.other_nurse) == [
        ("mentioned", f"Nina Nurse mentioned you in the question “{TITLE}”.")]


def test_followers_of_a_key_area_or_a_team_hear_of_new_questions(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[])
    app.choose_follows(by=net.organiser, key_areas=[], team_ids=[net.north])

    ask(app, net)
    ask(app, net, title="Trials?", key_areas=["clinical_trials"])

    assert told(app, net.other_nurse) == [
        ("question_in_followed", f"New question about diagnostics: “{TITLE}”.")]
    assert sorted(told(app, net.organiser)) == [
        ("question_in_followed", f"New question from a team you follow: “{TITLE}”."),
        ("question_in_followed", "New question from a team you follow: “Trials?”.")]


def test_a_new_answer_tells_the_asker_and_followers_but_not_the_answerer(
        app: Community, net: Network) -> None:
    asked = ask(app, net)
    app.follow_question(asked, by=net.lead)
    app.follow_question(asked, by=net.organiser)
    app.unfollow_question(asked, by=net.organiser)

    app.answer_question(asked, by=net.other_nurse, body="We do, on Tuesdays.")

    expected = [("question_answered", f"Sara South answered “{TITLE}”.")]
    assert told(app, net.nurse) == expected and told(app, net.lead) == expected
    assert told(app, net.other_nurse) == [] and told(app, net.organiser) == []


def test_an_accepted_answer_tells_its_author(app: Community, net: Network) -> None:
    asked = ask(app, net)
    answer = app.answer_question(asked, by=net.other_nurse, body="Yes.")

    app.accept_answer(asked, answer, by=net.nurse)

    assert told(app, net.other_nurse) == [
        ("answer_accepted", f"Your answer to “{TITLE}” was accepted: it helped.")]


def test_question_notifications_come_back_the_same_after_a_rebuild(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.organiser, key_areas=["diagnostics"], team_ids=[])
    asked = ask(app, net, invite_member_ids=[net.other_nurse])
    answer = app.answer_question(asked, by=net.other_nurse, body="Ask @liam.lead too")
    app.accept_answer(asked, answer, by=net.nurse)
    before = {m: told(app, m) for m in (net.nurse, net.lead, net.other_nurse, net.organiser)}

    app.views.rebuild(["notifications"])

    assert {m: told(app, m) for m in before} == before
    assert [k for k, _ in before[net.lead]] == ["mentioned"]


def test_an_edit_tells_only_the_members_it_mentions_for_the_first_time(
        app: Community, net: Network) -> None:
    asked = ask(app, net, body="Any ideas, @sara.south?")
    answer = app.answer_question(asked, by=net.other_nurse, body="Yes.")

    app.edit_question(asked, by=net.nurse, title=TITLE, key_areas=["diagnostics"],
                      body="Any ideas, @sara.south or @liam.lead?")
    app.edit_answer(asked, answer, by=net.other_nurse, body="Yes. @olive.organiser knows more.")

    assert [k for k, _ in told(app, net.other_nurse)] == ["mentioned"]
    assert told(app, net.lead) == [("mentioned", f"Nina Nurse mentioned you in the question "
                                                 f"“{TITLE}”.")]
    assert told(app, net.organiser) == [("mentioned", f"Sara South mentioned you in an answer "
                                                      f"to “{TITLE}”.")]
