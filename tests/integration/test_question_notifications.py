"""Who is told about questions and answers, on each real store: invited and mentioned
members, followers of the question, of its key area and of its team, and the answerer
whose answer helped. One mechanism: the notifications view."""

from __future__ import annotations

from datetime import timedelta

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


def test_a_member_hears_of_the_questions_asked_while_they_followed_their_topic(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[])
    ask(app, net, title="Asked while she followed diagnostics")
    app.choose_follows(by=net.other_nurse, key_areas=["clinical_trials"], team_ids=[])
    ask(app, net, title="Diagnostics, after she stopped")
    ask(app, net, title="Trials, while she follows them", key_areas=["clinical_trials"])
    app.choose_follows(by=net.other_nurse, key_areas=[], team_ids=[])
    ask(app, net, title="Trials, after she stopped", key_areas=["clinical_trials"])
    app.choose_follows(by=net.organiser, key_areas=[], team_ids=[net.north])  # only now

    assert told(app, net.other_nurse) == [
        ("question_in_followed",
         "New question about clinical trials: “Trials, while she follows them”."),
        ("question_in_followed",
         "New question about diagnostics: “Asked while she followed diagnostics”.")]
    assert told(app, net.organiser) == []


def test_a_question_about_a_followed_key_area_and_a_followed_team_is_told_once(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics", "clinical_trials"],
                       team_ids=[net.north])
    ask(app, net, key_areas=["diagnostics", "clinical_trials"])

    # About the first of her key areas it is in (by their ids: clinical_trials first).
    assert told(app, net.other_nurse) == [
        ("question_in_followed", f"New question about clinical trials: “{TITLE}”.")]
    assert app.views.notifications.unread_count(str(net.other_nurse)) == 1


def test_a_question_told_to_many_is_read_by_each_on_their_own_and_survives_a_rebuild(
        app: Community, net: Network) -> None:
    for member in (net.other_nurse, net.organiser):
        app.choose_follows(by=member, key_areas=["diagnostics"], team_ids=[])
    ask(app, net)
    views = app.views.notifications
    [hers] = views.unread_ids(str(net.other_nurse))
    [theirs] = views.unread_ids(str(net.organiser))
    assert hers != theirs  # each member's copy has its own id

    assert app.read_notifications(by=net.other_nurse, ids=[hers, theirs]) == 1
    app.views.rebuild(["notifications"])

    assert views.unread_count(str(net.other_nurse)) == 0
    assert views.unread_count(str(net.organiser)) == 1
    assert views.one(str(net.other_nurse), hers)["read"] is True
    assert views.one(str(net.organiser), hers) is None
    assert views.one(str(net.organiser), theirs)["text"] == (
        f"New question about diagnostics: “{TITLE}”.")


def test_a_followed_question_goes_by_email_to_a_member_who_chose_it(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[])
    app.choose_notification_emails(by=net.other_nurse, kinds=["question_in_followed"])
    ask(app, net)

    assert app.notify_by_email().proposed == 1
    rows, _ = app.views.outbox.listing(limit=10)
    assert [(r["to_name"], r["subject"]) for r in rows] == [
        ("Sara South", f"Clinical Community: New question about diagnostics: “{TITLE}”.")]


def test_the_unread_count_follows_each_new_question_and_each_read(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[])
    views = app.views.notifications
    ask(app, net)
    assert views.unread_count(str(net.other_nurse)) == 1
    app.read_notifications(by=net.other_nurse)
    assert views.unread_count(str(net.other_nurse)) == 0
    ask(app, net, title="And another?")
    ask(app, net, title="Not hers", key_areas=["clinical_trials"])
    assert views.unread_count(str(net.other_nurse)) == 1
    rows, total = views.for_member(str(net.other_nurse), limit=1)
    assert total == 2 and [r["text"] for r in rows] == [
        "New question about diagnostics: “And another?”."]


def test_questions_told_are_newest_by_the_day_asked_and_each_is_on_one_page(
        app: Community, net: Network) -> None:
    app.choose_follows(by=net.other_nurse, key_areas=["diagnostics"], team_ids=[net.north])
    today = app.today()
    for days_ago, title in ((3, "Three days ago"), (1, "Yesterday"), (9, "Recorded late"),
                            (2, "Two days ago")):
        ask(app, net, title=title, asked_on=today - timedelta(days=days_ago))
    views = app.views.notifications

    pages = [views.for_member(str(net.other_nurse), limit=2, offset=offset)
             for offset in (0, 2)]

    assert [[r["text"] for r in rows] for rows, _ in pages] == [
        ["New question about diagnostics: “Yesterday”.",
         "New question about diagnostics: “Two days ago”."],
        ["New question about diagnostics: “Three days ago”.",
         "New question about diagnostics: “Recorded late”."]]
    assert [total for _, total in pages] == [4, 4]
