"""The organisers' dashboard says how quickly questions to the network get a first
answer from another team: median, 90th percentile and the share left unanswered
after 14 days, with a verdict in plain words, as of the date the page shows; the
CSV has the same for the questions asked each month."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from community import Community
from tests.builders import SmallNetwork
from tests.web.reading import text

ASKED = "2013-01-07"


@pytest.fixture
def five_questions(community: Community, network: SmallNetwork) -> None:
    """Nina (Northshire) asks five questions on 7 January 2013. Sara (Southmoor)
    answers the first the next day, the second after 3 days, the third after 28 days
    (Liam, Nina's team-mate, answered it the same day: that does not count); Liam
    alone answers the fourth; nobody the fifth."""
    community.posts_per_hour = None  # the point is the figures, not the posting limit
    asked = [community.ask_question(by=network.nurse, title=f"Question {n}",
                                    body="How do you run your nurse-led clinic?",
                                    key_areas=["cns_access"], asked_on=ASKED)
             for n in range(1, 6)]
    answers = [(asked[0], network.other_nurse, "2013-01-08"),
               (asked[1], network.other_nurse, "2013-01-10"),
               (asked[2], network.lead, "2013-01-07"),
               (asked[2], network.other_nurse, "2013-02-04"),
               (asked[3], network.lead, "2013-01-08")]
    for question, by, day in answers:
        community.answer_question(question, by=by, body="We do it this way.", posted_on=day)
    # Some activity that month, so the CSV has a row for it.
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="Nurse-led clinics", made_on="2013-01-15")


def figures(page: Any) -> str:
    words = text(page.data)
    start = words.index("Questions: time to a first answer")
    return words[start:words.index("are in the CSV.", start)]


def test_the_page_shows_median_90th_percentile_and_unanswered_after_14_days(
        olive: Any, five_questions) -> None:
    shown = figures(olive.get("/sustainability"))

    assert "Median time to first answer 3 days" in shown
    assert "90th percentile 23 days" in shown
    assert "Unanswered after 14 days 60% (3 of 5 questions)" in shown
    assert "Questions asked 5, 2 with no answer yet" in shown
    assert ("Too many questions are left waiting: 60% had no answer from another team "
            "within 14 days.") in shown


def test_the_figures_are_as_of_the_date_asked_for(olive: Any, five_questions) -> None:
    shown = figures(olive.get("/sustainability?as_of=2013-01-09"))

    assert "As of 9 January 2013." in shown
    assert "Median time to first answer 1 day" in shown  # only the first was answered by then
    assert "Too early to tell: every question was asked in the last 14 days." in shown


def test_without_questions_the_page_says_what_will_show(olive: Any) -> None:
    shown = text(olive.get("/sustainability").data)

    assert "No questions asked. When members ask the network" in shown


def test_the_csv_has_the_answer_times_of_the_questions_asked_each_month(
        olive: Any, five_questions) -> None:
    rows = list(csv.DictReader(io.StringIO(
        olive.get("/sustainability.csv").get_data(as_text=True))))

    january = next(r for r in rows if r["month"] == "2013-01")
    assert january["questions_asked"] == "5"
    assert january["median_days_to_first_answer"] == "3"
    assert january["unanswered_after_14_days"] == "3"
    assert all(r["questions_asked"] == "0" for r in rows if r["month"] != "2013-01")


def test_the_dashboard_drawn_once_shows_an_answer_given_after(
        olive: Any, community: Community, network: SmallNetwork, five_questions) -> None:
    # The dashboard is kept until a view moves on (web/kept_pages.py): read it, answer
    # the question nobody had answered, and the next reading counts that answer.
    assert "Questions asked 5, 2 with no answer yet" in figures(olive.get("/sustainability"))
    fifth = community.views.questions.questions(limit=5)[0]
    waiting = next(q for q in fifth if q["title"] == "Question 5")
    community.answer_question(waiting["id"], by=network.other_nurse, body="Like this.",
                              posted_on="2013-01-09")

    assert "Questions asked 5, 1 with no answer yet" in figures(olive.get("/sustainability"))
