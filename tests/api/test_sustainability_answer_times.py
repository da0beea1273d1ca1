"""GET /api/v1/sustainability also says how quickly questions get a first answer from
another team, as of the same day as the rest of the report."""

from __future__ import annotations

from typing import Any

import pytest

from community import Community
from tests.api.conftest import ApiClient, json_of
from tests.builders import SmallNetwork


@pytest.fixture
def answered(community: Community, network: SmallNetwork) -> None:
    """Nina asks two questions on 7 January 2013: Sara (another team) answers one after
    3 days; Liam, Nina's team-mate, answers the other, which does not count."""
    community.posts_per_hour = None
    first, second = (community.ask_question(by=network.nurse, title=title,
                                            body="How do you do it?", key_areas=["cns_access"],
                                            asked_on="2013-01-07")
                     for title in ("Results clinics", "Covering leave"))
    community.answer_question(first, by=network.other_nurse, body="Like this.",
                              posted_on="2013-01-10")
    community.answer_question(second, by=network.lead, body="Ask me at lunch.",
                              posted_on="2013-01-07")


def test_the_report_has_the_answer_times_with_the_share_unanswered_after_14_days(
        organiser: ApiClient, answered: None) -> None:
    times = json_of(organiser.get("/sustainability"), 200)["answer_times"]

    assert times["questions"] == 2 and times["answered"] == 1
    assert times["median_days"] == 3 and times["p90_days"] == 3
    assert times["after_days"] == 14
    assert (times["unanswered_after"], times["unanswered_after_share"]) == (1, 0.5)


def test_as_of_a_day_counts_only_what_happened_by_then(organiser: ApiClient,
                                                       answered: Any) -> None:
    times = json_of(organiser.get("/sustainability", params={"as_of": "2013-01-08"}),
                    200)["answer_times"]

    assert (times["questions"], times["answered"], times["median_days"]) == (2, 0, None)
    assert times["unanswered_after_share"] is None  # asked a day before: too early to say
