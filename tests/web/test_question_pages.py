"""Question pages: asking (and the refusals beside the fields), inviting people who
could answer, answering, editing one's own posts, accepting, following, reporting,
and the organisers hiding a reported post. Every form is posted with the field names
the rendered page has (tests/web/forms.py).

Over 400 lines: one feature's pages, in the order a member meets them, sharing the few
helpers at the top (asking, answering, finding a post's id on the page)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.builders import SmallNetwork
from tests.web.conftest import NINA, OLIVE, SARA
from tests.web.forms import submit
from tests.web.reading import log_in, log_out, text
from web.limits import POSTING, limiter

EBUS = "Has anyone got a nurse-led EBUS follow-up clinic running?"


@pytest.fixture(autouse=True)
def fresh_rate_limits(web_app: Any) -> Iterator[None]:
    """The limiter counts in process memory and members' ids are the same in every
    test (made from their e-mail), so each test starts with no posts counted."""
    limiter.reset()
    yield
    limiter.reset()


def as_member(client: Any, email: str) -> Any:
    log_out(client)
    assert log_in(client, email).status_code == 302
    return client


def ask(client: Any, address: str = "/questions/new", **values: Any) -> Any:
    given = {"title": EBUS, "body": "We start one in **April**.", "key_areas": ["diagnostics"],
             "tags": "ebus, nurse-led clinics"}
    given.update(values)
    return submit(client, client.get(address).data, given, action="/questions/new")


def asked_id(response: Any) -> str:
    found = re.search(r"/questions/([0-9a-f-]{36})/invite", response.headers["Location"])
    assert found, response.headers["Location"]
    return found.group(1)


def answer(client: Any, question_id: str, body: str) -> Any:
    page = client.get(f"/questions/{question_id}").data
    return submit(client, page, {"body": body}, action=f"/questions/{question_id}/answers")


def answer_id_on(page: bytes) -> str:
    found = re.findall(r'id="answer-([0-9a-f-]{36})"', page.decode())
    assert found
    return found[0]


def test_the_list_says_how_to_start_when_nobody_has_asked_yet(nina: Any) -> None:
    page = nina.get("/questions")

    assert page.status_code == 200
    assert "Nobody has asked the network a question yet" in text(page.data)
    assert "Ask the first question" in text(page.data)


def test_nina_asks_a_question_and_it_is_listed_with_its_key_area_team_and_no_answers(
        nina: Any) -> None:
    asked = ask(nina)

    assert asked.status_code == 302
    listed = text(nina.get("/questions").data)
    assert EBUS in listed
    assert "Diagnostics" in listed and "Northshire lung cancer MDT" in listed
    assert "0 answers Unanswered" in listed
    thread = text(nina.get(f"/questions/{asked_id(asked)}").data)
    assert "We start one in April." in thread
    assert "Tags: ebus, nurse-led clinics" in thread


def test_a_question_without_a_title_or_key_area_is_refused_beside_each_field(
        nina: Any) -> None:
    refused = ask(nina, title="", key_areas=None)

    assert refused.status_code == 400
    words = text(refused.data)
    assert "There is a problem" in words
    assert words.count("Your question in one sentence is required") == 2  # summary, field
    assert words.count("Choose at least one key area") == 2
    assert nina.get("/questions").data.count(b"question-row") == 0


def test_a_title_over_the_limit_is_refused_saying_how_long_it_was(nina: Any) -> None:
    refused = ask(nina, title="x" * 151)

    assert refused.status_code == 400
    assert ("Your question in one sentence must be at most 150 characters (yours has 151)"
            in text(refused.data))


def test_a_megabyte_body_is_refused_with_a_clear_message_and_nothing_is_saved(
        nina: Any) -> None:
    refused = ask(nina, body="a" * 1_000_000)

    assert refused.status_code == 400
    assert "Details must be at most 20000 characters (yours has 1,000,000)" in text(refused.data)
    assert "Nobody has asked the network a question yet" in text(nina.get("/questions").data)


def test_a_script_tag_an_event_handler_and_a_javascript_link_are_shown_harmless(
        nina: Any) -> None:
    body = ('<script>alert("x")</script> <img src=x onerror="alert(1)"> '
            '[click me](javascript:alert(2)) and [the audit](https://www.rcplondon.ac.uk/)')
    question_id = asked_id(ask(nina, body=body))

    page = nina.get(f"/questions/{question_id}").data.decode()
    post = page.split('<div class="post-body">')[1].split("</div>")[0]
    assert "<script" not in post and "<img" not in post
    assert 'href="javascript' not in post
    assert re.search(r"<[^>]*\bonerror=", post) is None  # no tag carries a handler
    assert '<a href="https://www.rcplondon.ac.uk/" rel="nofollow noopener">the audit</a>' in post
    assert "&lt;script&gt;" in post  # shown as the text that was typed


def test_asking_from_a_team_page_attaches_the_question_and_lists_it_there(
        nina: Any, network: SmallNetwork) -> None:
    team_page = nina.get(f"/teams/{network.south}").data
    link = re.search(r'href="(/questions/new\?[^"]+)"[^>]*>Ask this team', team_page.decode())
    assert link, "the team page links to asking it"

    asked = ask(nina, link.group(1).replace("&amp;", "&"))

    assert asked.status_code == 302
    assert EBUS in text(nina.get(f"/teams/{network.south}").data)
    assert "Southmoor lung cancer MDT" in text(nina.get(f"/questions/{asked_id(asked)}").data)


def test_after_asking_nina_invites_a_suggested_member_who_is_told(
        nina: Any, network: SmallNetwork) -> None:
    invite_page = nina.get(ask(nina).headers["Location"])
    assert "Sara South" in text(invite_page.data)
    assert "Why:" in text(invite_page.data)

    sent = submit(nina, invite_page.data, {"member_ids": [str(network.other_nurse)]},
                  having="member_ids")

    assert sent.status_code == 302
    assert "We told 1 person about your question." in text(nina.get(sent.headers["Location"]).data)
    sara = as_member(nina, SARA)
    assert f"Nina Nurse asks you to answer “{EBUS}”" in text(sara.get("/notifications").data)


def test_inviting_nobody_says_to_tick_someone_or_skip(nina: Any) -> None:
    invite_page = nina.get(ask(nina).headers["Location"])

    refused = submit(nina, invite_page.data, {}, having="member_ids")

    assert refused.status_code == 400
    assert "Tick the people you would like to invite, or skip this step" in text(refused.data)
    assert "Skip this step and see your question" in text(refused.data)


def test_sara_answers_nina_accepts_and_the_answer_is_first_and_marked(
        nina: Any, network: SmallNetwork) -> None:
    question_id = asked_id(ask(nina))
    sara = as_member(nina, SARA)
    assert answer(sara, question_id, "Ours runs on Tuesdays.").status_code == 302
    thread = sara.get(f"/questions/{question_id}").data
    assert b"This answered my question" not in thread  # Sara did not ask

    nina = as_member(sara, NINA)
    thread = nina.get(f"/questions/{question_id}").data
    accepted = submit(nina, thread, action=f"/questions/{question_id}/answers/"
                                           f"{answer_id_on(thread)}/accept")

    assert accepted.status_code == 302
    words = text(nina.get(f"/questions/{question_id}").data)
    assert "1 answer Accepted answer Sara South (Southmoor lung cancer MDT)" in words
    assert "Accepted" in text(nina.get("/questions").data)


def test_only_the_asker_may_accept_an_answer(nina: Any) -> None:
    question_id = asked_id(ask(nina))
    sara = as_member(nina, SARA)
    answer(sara, question_id, "Ours runs on Tuesdays.")
    nina = as_member(sara, NINA)
    ninas_page = nina.get(f"/questions/{question_id}").data  # with the accept button
    answer_id = answer_id_on(ninas_page)

    sara = as_member(nina, SARA)  # in the same browser, Sara presses Nina's old button
    refused = submit(sara, ninas_page,
                     action=f"/questions/{question_id}/answers/{answer_id}/accept")

    assert refused.status_code == 403
    assert "Accepted answer" not in text(sara.get(f"/questions/{question_id}").data)


def test_an_empty_answer_is_refused_beside_the_box(nina: Any) -> None:
    question_id = asked_id(ask(nina))

    refused = answer(nina, question_id, "   ")

    assert refused.status_code == 400
    assert text(refused.data).count("Your answer is required") == 2


def test_nina_edits_her_question_and_everyone_sees_it_was_edited_with_the_old_version(
        nina: Any) -> None:
    question_id = asked_id(ask(nina))
    form = nina.get(f"/questions/{question_id}/edit").data

    saved = submit(nina, form, {"body": "We start one in **May** now."},
                   action=f"/questions/{question_id}/edit")

    assert saved.status_code == 302
    words = text(as_member(nina, SARA).get(f"/questions/{question_id}").data)
    assert "We start one in May now." in words
    assert "Edited 1 June 2013" in words and "We start one in April." in words


def test_only_the_author_may_edit_a_question_or_an_answer(nina: Any) -> None:
    question_id = asked_id(ask(nina))
    answer(nina, question_id, "We will report back.")
    answer_id = answer_id_on(nina.get(f"/questions/{question_id}").data)
    sara = as_member(nina, SARA)

    thread = sara.get(f"/questions/{question_id}").data
    assert b"Edit your question" not in thread and b"Edit your answer" not in thread
    assert sara.get(f"/questions/{question_id}/edit").status_code == 403
    assert sara.get(f"/questions/{question_id}/answers/{answer_id}/edit").status_code == 403


def test_a_stale_edit_is_a_visible_conflict_that_keeps_what_was_typed(nina: Any) -> None:
    question_id = asked_id(ask(nina))
    answer(nina, question_id, "First version.")
    answer_id = answer_id_on(nina.get(f"/questions/{question_id}").data)
    address = f"/questions/{question_id}/answers/{answer_id}/edit"
    opened_first = nina.get(address).data
    opened_second = nina.get(address).data
    assert submit(nina, opened_second, {"body": "Second version."},
                  action=address).status_code == 302

    stale = submit(nina, opened_first, {"body": "My late change."}, action=address)

    assert stale.status_code == 409
    assert "Someone saved a change to this after you opened the form" in text(stale.data)
    assert "My late change." in stale.data.decode()
    assert "Second version." in text(nina.get(f"/questions/{question_id}").data)


def test_following_and_unfollowing_a_question(nina: Any) -> None:
    question_id = asked_id(ask(nina))
    sara = as_member(nina, SARA)
    thread = sara.get(f"/questions/{question_id}").data

    followed = submit(sara, thread, action=f"/questions/{question_id}/follow")
    assert "You follow this question" in text(sara.get(followed.headers["Location"]).data)
    unfollowed = submit(sara, sara.get(f"/questions/{question_id}").data,
                        action=f"/questions/{question_id}/follow")

    assert "Follow this question" in text(sara.get(unfollowed.headers["Location"]).data)


def test_a_report_needs_a_reason_and_the_organiser_hides_the_post_for_everyone(
        nina: Any) -> None:
    question_id = asked_id(ask(nina))
    answer(nina, question_id, "Buy cheap pills at example.com")
    answer_id = answer_id_on(nina.get(f"/questions/{question_id}").data)
    sara = as_member(nina, SARA)
    report_page = sara.get(f"/questions/{question_id}/answers/{answer_id}/report").data
    refused = submit(sara, report_page, {"reason": ""}, having="reason")
    assert refused.status_code == 400
    assert "Why are you reporting this? is required" in text(refused.data)
    assert submit(sara, report_page, {"reason": "An advert"}, having="reason").status_code == 302

    olive = as_member(sara, OLIVE)
    assert "1 report waiting" in text(olive.get("/organise").data)
    reports = olive.get("/organise/reports").data
    assert "An advert" in text(reports) and "Buy cheap pills" in text(reports)
    hidden = submit(olive, reports, {f"hide-{_report_id(reports)}-reason": "Advertising"},
                    action=f"/organise/reports/{_report_id(reports)}/hide")

    assert hidden.status_code == 302
    assert "No reports are waiting" in text(olive.get("/organise/reports").data)
    words = text(as_member(olive, SARA).get(f"/questions/{question_id}").data)
    assert "Hidden by the organisers" in words
    assert "cheap pills" not in words


def _report_id(page: bytes) -> str:
    found = re.search(r'id="report-([0-9a-f-]{36})"', page.decode())
    assert found
    return found.group(1)


def reported(nina: Any, reason: str) -> tuple[Any, str, bytes, str]:
    """Nina asks, Sara reports the question, Olive opens the reports page."""
    question_id = asked_id(ask(nina))
    sara = as_member(nina, SARA)
    submit(sara, sara.get(f"/questions/{question_id}/report").data, {"reason": reason},
           having="reason")
    olive = as_member(sara, OLIVE)
    reports = olive.get("/organise/reports").data
    return olive, question_id, reports, _report_id(reports)


def test_hiding_without_a_reason_is_refused_beside_the_box(nina: Any) -> None:
    olive, _, reports, report_id = reported(nina, "Rude")

    refused = submit(olive, reports, {f"hide-{report_id}-reason": ""},
                     action=f"/organise/reports/{report_id}/hide")

    assert refused.status_code == 400
    assert text(refused.data).count("Why are you hiding it? is required") == 2


def test_the_organiser_dismisses_a_report_and_the_post_stays(nina: Any) -> None:
    olive, question_id, reports, report_id = reported(nina, "Off topic")

    dismissed = submit(olive, reports, {f"dismiss-{report_id}-note": "It is on topic"},
                       action=f"/organise/reports/{report_id}/dismiss")

    assert dismissed.status_code == 302
    assert "No reports are waiting" in text(olive.get("/organise/reports").data)
    assert "We start one in April." in text(olive.get(f"/questions/{question_id}").data)


def test_members_cannot_see_the_reports_page(nina: Any) -> None:
    assert nina.get("/organise/reports").status_code == 403


def test_a_logged_out_visitor_is_sent_to_log_in_and_sees_nothing_of_the_questions(
        nina: Any) -> None:
    question_id = asked_id(ask(nina))
    log_out(nina)

    for address in ("/questions", f"/questions/{question_id}", "/questions/new"):
        page = nina.get(address)
        assert page.status_code == 302 and "/login" in page.headers["Location"]
        assert EBUS.encode() not in page.data and b"Nina" not in page.data


def test_choosing_key_areas_and_teams_to_follow(nina: Any, network: SmallNetwork) -> None:
    page = nina.get("/questions/follows").data

    saved = submit(nina, page, {"key_areas": ["diagnostics", "cns_access"],
                                "team_ids": [str(network.south)]},
                   action="/questions/follows")

    assert saved.status_code == 302
    again = nina.get("/questions/follows").data.decode()
    for value in ("diagnostics", "cns_access", str(network.south)):
        assert re.search(rf'value="{value}"[^>]*checked', again), value


def test_the_home_page_shows_questions_nina_could_answer(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.ask_question(by=network.other_nurse, title="How do you run a CNS clinic?",
                           body="Any tips?", key_areas=["cns_access"],
                           tags=["nurse-led clinics"])

    home = text(nina.get("/").data)

    assert "Questions you could answer" in home
    assert "How do you run a CNS clinic?" in home


def test_more_posts_a_minute_than_the_limit_are_refused_with_too_many_requests(
        nina: Any) -> None:
    question_id = asked_id(ask(nina))
    allowed = int(POSTING.split()[0])
    thread = nina.get(f"/questions/{question_id}").data

    answers = [submit(nina, thread, action=f"/questions/{question_id}/follow").status_code
               for _ in range(allowed + 1)]

    assert answers[:allowed] == [302] * allowed
    assert answers[allowed] == 429


def test_too_many_tags_are_refused_in_words_beside_the_tags(nina: Any) -> None:
    refused = ask(nina, tags="a, b, c, d, e, f")

    assert refused.status_code == 400
    assert text(refused.data).count("Tags must be at most 5 tags") == 2


def test_asking_about_another_teams_draft_qip_says_so_above_the_form(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    draft = community.draft_qip(by=network.other_nurse, title="Secret southern plan",
                                key_area="clinical_trials")

    refused = ask(nina, f"/questions/new?qip_id={draft}")

    assert refused.status_code == 400
    assert "The QIP this question is about: no such QIP" in text(refused.data)
    assert "Secret southern plan" not in text(refused.data)


def test_the_asker_sees_whom_she_invited(nina: Any, network: SmallNetwork) -> None:
    invite_page = nina.get(ask(nina).headers["Location"])
    sent = submit(nina, invite_page.data, {"member_ids": [str(network.other_nurse)]},
                  having="member_ids")

    assert "You invited Sara South to answer." in text(nina.get(sent.headers["Location"]).data)
    assert "You invited" not in text(as_member(nina, SARA).get(sent.headers["Location"]).data)


def test_a_question_asked_from_an_event_page_is_listed_on_it(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    workshop_id = community.hold_workshop(by=None, kind="national_workshop",
                                          title="National workshop", held_on="2011-03-02",
                                          attendee_ids=[network.nurse])
    event_page = nina.get(f"/events/{workshop_id}").data.decode()
    assert "Nobody has asked a question about this yet." in text(event_page)
    link = re.search(r'href="(/questions/new\?[^"]+)"[^>]*>Ask a question about this event',
                     event_page)
    assert link, "the event page links to asking about it"

    asked = ask(nina, link.group(1).replace("&amp;", "&"))

    assert asked.status_code == 302
    assert EBUS in text(nina.get(f"/events/{workshop_id}").data)


def test_asking_the_team_that_ran_a_qip_attaches_the_question_to_it(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(
        by=network.other_nurse, title="Nurse-led EBUS clinic", key_area="diagnostics",
        aim="Cut the wait from EBUS to results from 10 to 5 days by March 2012.",
        timeframe="October 2011 to March 2012",
        measures=[{"name": "Days to results", "unit": "days", "baseline": 10, "target": 5,
                   "direction": "down"}])
    community.share_qip(qip_id, shared_on="2012-01-01")
    qip_page = nina.get(f"/qips/{qip_id}").data.decode()
    assert "Nobody has asked a question about this yet." in text(qip_page)
    link = re.search(r'href="(/questions/new\?[^"]+)"[^>]*>Ask the team that ran this', qip_page)
    assert link, "the QIP page links to asking its team"

    asked = ask(nina, link.group(1).replace("&amp;", "&"))

    assert asked.status_code == 302
    assert EBUS in text(nina.get(f"/qips/{qip_id}").data)
    thread = text(nina.get(f"/questions/{asked_id(asked)}").data)
    assert "About the QIP Nurse-led EBUS clinic of Southmoor lung cancer MDT" in thread
