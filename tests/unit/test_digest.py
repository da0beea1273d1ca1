"""What a member's digest says, from a crafted history of the views' rows: the new in
its period, in her key areas and questions she follows, and nothing when she chose
never or nothing is new."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from community.digest import (
    Period,
    Reader,
    UnsubscribeLinkError,
    UnsubscribeLinks,
    compose_digest,
    message_key,
    period_for,
)
from domain.errors import Invalid
from domain.member import DigestFrequency, NotificationSettings
from tests.tokens import tampered

NINA, SARA, OLIVE = "n1", "s1", "o1"
NORTH, SOUTH = "team-north", "team-south"
TODAY = date(2013, 9, 30)  # a Monday: the weekly digest covers 23 to 29 September
WEEK = period_for(DigestFrequency.WEEKLY, TODAY)
SITE = "https://community.example.org"


def reader(frequency: DigestFrequency = DigestFrequency.WEEKLY, **changes: Any) -> Reader:
    given: dict[str, Any] = {"id": NINA, "name": "Nina Nurse", "role": "lung_cancer_nurse_specialist",
                             "team_id": NORTH, "frequency": frequency,
                             "key_areas": frozenset({"diagnostics"})}
    given.update(changes)
    return Reader(**given)


def answer(title: str, posted_on: date, *, by: str = SARA,
           followers: tuple[str, ...] = (NINA,)) -> dict[str, Any]:
    return {"id": f"a-{title}", "question_id": f"q-{title}", "title": title, "posted_by": by,
            "posted_on": posted_on, "follower_ids": list(followers)}


def question(title: str, asked_on: date) -> dict[str, Any]:
    return {"id": f"q-{title}", "title": title, "asked_on": asked_on}


def qip(title: str, key_area: str = "diagnostics", team_id: str = SOUTH,
        **more: Any) -> dict[str, Any]:
    return {"id": f"p-{title}", "title": title, "key_area": key_area, "team_id": team_id,
            "team": "Southmoor MDT", **more}


def compose(who: Reader | None = None, period: Period = WEEK, **rows: Any) -> Any:
    given: dict[str, Any] = {"answers": [], "could_answer": [], "shared": [], "improved": [],
                             "events": [], "names": {SARA: "Sara South"}}
    given.update(rows)
    return compose_digest(who or reader(), period, base_url=SITE + "/",
                          unsubscribe_url=f"{SITE}/digest/unsubscribe/TOKEN", today=TODAY,
                          **given)


def test_a_weekly_digest_covers_the_iso_week_ending_on_or_before_the_day() -> None:
    assert (WEEK.start, WEEK.end, WEEK.key) == (date(2013, 9, 23), date(2013, 9, 29), "2013-W39")
    sunday = period_for(DigestFrequency.WEEKLY, date(2013, 9, 29))
    assert (sunday.start, sunday.end) == (date(2013, 9, 23), date(2013, 9, 29))
    wednesday = period_for(DigestFrequency.WEEKLY, date(2013, 10, 2))
    assert wednesday.key == "2013-W39"
    day = period_for(DigestFrequency.DAILY, TODAY)
    assert (day.start, day.end, day.key) == (TODAY, TODAY, "2013-09-30")
    assert message_key(NINA, WEEK) == "digest:n1:2013-W39"


def test_a_followed_question_answered_this_week_appears_with_its_link() -> None:
    digest = compose(answers=[answer("EBUS follow-up?", date(2013, 9, 25))])

    assert "Sara South answered “EBUS follow-up?” on 25 September 2013" in digest.body
    assert f"{SITE}/questions/q-EBUS follow-up?#answer-a-EBUS follow-up?" in digest.body
    assert digest.subject == ("Clinical Community: your weekly digest, "
                              "23 September 2013 to 29 September 2013")
    assert digest.body.startswith("Hello Nina Nurse,")


def test_an_old_answer_her_own_answer_and_one_to_an_unfollowed_question_do_not() -> None:
    digest = compose(answers=[answer("Old", date(2013, 9, 20)),
                              answer("Mine", date(2013, 9, 24), by=NINA),
                              answer("Not followed", date(2013, 9, 24), followers=(OLIVE,)),
                              answer("New", date(2013, 9, 26))])

    assert "“New”" in digest.body
    assert "“Old”" not in digest.body and "“Mine”" not in digest.body
    assert "Not followed" not in digest.body
    assert digest.items == 1


def test_an_unanswered_question_in_her_key_area_appears_new_ones_first() -> None:
    digest = compose(could_answer=[question("Waiting long", date(2013, 8, 1)),
                                   question("Asked this week", date(2013, 9, 24))])

    section = digest.body.split("Questions you could answer")[1]
    assert section.index("Asked this week") < section.index("Waiting long")
    assert "waiting 60 days for an answer" in section
    assert f"{SITE}/questions/q-Asked this week" in section


def test_questions_that_only_waited_longer_are_no_news_on_their_own() -> None:
    assert compose(could_answer=[question("Waiting long", date(2013, 8, 1))]) is None


def test_a_new_and_an_improved_qip_in_her_key_areas_appear_but_not_her_teams_or_other_areas(
        ) -> None:
    digest = compose(
        shared=[qip("Rapid EBUS", shared_on=date(2013, 9, 24)),
                qip("Trials for all", key_area="clinical_trials", shared_on=date(2013, 9, 24)),
                qip("Our own plan", team_id=NORTH, shared_on=date(2013, 9, 24)),
                qip("Shared in spring", shared_on=date(2013, 4, 1))],
        improved=[qip("Straight to CT", improving=["Days to CT"])])

    assert "“Rapid EBUS” by Southmoor MDT (Diagnostics): new in the library" in digest.body
    assert "“Straight to CT” by Southmoor MDT (Diagnostics): improving: Days to CT" in digest.body
    assert f"{SITE}/qips/p-Straight to CT" in digest.body
    for absent in ("Trials for all", "Our own plan", "Shared in spring"):
        assert absent not in digest.body
    assert digest.items == 2


def test_events_in_the_next_four_weeks_ride_along_for_the_roles_invited() -> None:
    events = [{"id": "e1", "title": "Online conference", "starts_on": date(2013, 10, 10),
               "roles": []},
              {"id": "e2", "title": "Surgeons only", "starts_on": date(2013, 10, 11),
               "roles": ["thoracic_surgeon"]},
              {"id": "e3", "title": "Next year", "starts_on": date(2014, 3, 1), "roles": []}]

    assert compose(events=events) is None  # an event alone is no news
    digest = compose(events=events, answers=[answer("New", date(2013, 9, 26))])
    assert "Online conference, on 10 October 2013\n  " + SITE + "/events/e1" in digest.body
    assert "Surgeons only" not in digest.body and "Next year" not in digest.body


def test_every_digest_ends_with_the_unsubscribe_link_and_the_settings_page() -> None:
    digest = compose(answers=[answer("New", date(2013, 9, 26))])

    assert digest.body.endswith(f"one click: {SITE}/digest/unsubscribe/TOKEN")
    assert f"{SITE}/notifications/settings" in digest.body


def test_a_member_who_chose_never_gets_nothing() -> None:
    assert compose(reader(DigestFrequency.NEVER),
                   answers=[answer("New", date(2013, 9, 26))]) is None


def test_a_daily_digest_holds_that_day_only() -> None:
    day = period_for(DigestFrequency.DAILY, date(2013, 9, 26))
    digest = compose(reader(DigestFrequency.DAILY), day,
                     answers=[answer("Today", date(2013, 9, 26)),
                              answer("Yesterday", date(2013, 9, 25))])

    assert "“Today”" in digest.body and "Yesterday" not in digest.body
    assert digest.subject.endswith("your daily digest, 26 September 2013")
    assert "You get this digest every day." in digest.body


def test_the_digest_choice_is_weekly_until_chosen_and_the_same_again_records_nothing() -> None:
    settings = NotificationSettings.start(uuid4())
    assert settings.digest is DigestFrequency.WEEKLY

    assert settings.choose_digest("daily", chosen_on=TODAY)
    assert not settings.choose_digest(DigestFrequency.DAILY, chosen_on=TODAY)
    assert settings.digest is DigestFrequency.DAILY
    assert [type(e).__name__ for e in settings.collect_events()] == ["Started", "DigestChosen"]
    with pytest.raises(Invalid) as refused:
        settings.choose_digest("hourly", chosen_on=TODAY)
    assert "frequency" in refused.value.fields


def test_an_unsubscribe_token_names_its_member_and_a_changed_one_is_refused() -> None:
    links = UnsubscribeLinks("secret")
    token = links.token("6f1c8c2e-3a8e-4a6b-9a57-3c1f0e8d2b11", WEEK)

    assert str(links.member_id(token)) == "6f1c8c2e-3a8e-4a6b-9a57-3c1f0e8d2b11"
    for bad in (tampered(token), "not-a-token", UnsubscribeLinks("other").token("x", WEEK)):
        with pytest.raises(UnsubscribeLinkError):
            links.member_id(bad)
