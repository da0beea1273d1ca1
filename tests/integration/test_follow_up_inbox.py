"""Follow-ups on each real store: the paired team's inbox, answers, response times."""

from __future__ import annotations

from datetime import date

from community import Community
from tests.builders import small_network


def test_a_request_to_the_paired_team_is_answered_and_timed(app: Community) -> None:
    network = small_network(app)
    app.pair_teams(by=None, first_team_id=network.north, second_team_id=network.south,
                   paired_on="2011-01-10")
    visit = app.request_follow_up(by=network.nurse, with_paired_team=True,
                                  kind="reciprocal_visit", reason="Again",
                                  requested_on="2013-05-01")
    call = app.request_follow_up(by=network.nurse, to_organisers=True, kind="call",
                                 reason="A call", requested_on="2013-05-10")
    declined = app.request_follow_up(by=network.lead, team_id=network.south, kind="call",
                                     reason="Data", requested_on="2013-05-02")

    inbox = app.views.follow_ups.asked_of(str(network.other_nurse), str(network.south))
    assert {r["id"] for r in inbox} == {str(visit), str(declined)}
    app.accept_follow_up(visit, by=network.other_nurse, proposed_date="2013-07-04",
                         message="Thursday", answered_on="2013-05-05")
    app.answer_follow_up(visit, by=network.other_nurse, message="Or Friday",
                         answered_on="2013-05-06")
    app.decline_follow_up(declined, by=network.other_nurse, reason="No time",
                          answered_on="2013-05-03")

    row = app.views.follow_ups.one(str(visit))
    assert (row["status"], row["proposed_date"], row["answer_count"]) == (
        "accepted", date(2013, 7, 4), 2)
    assert row["first_answered_on"] == date(2013, 5, 5)
    report = app.views.follow_ups.response_times(date(2013, 6, 1))
    assert [r["days_to_first_response"] for r in report["answered"]] == [4, 1]
    assert report["median_days"] == 2.5
    assert [(r["id"], r["age_days"]) for r in report["unanswered"]] == [(str(call), 22)]
    mine = app.views.follow_ups.requested_by(str(network.lead))
    assert mine[0]["status"] == "declined" and mine[0]["decline_reason"] == "No time"
    assert app.views.follow_ups.unanswered() == 1
    assert app.views.follow_ups.asked_of(str(network.organiser), None, organiser=True)[0]["id"] \
        == str(call)
