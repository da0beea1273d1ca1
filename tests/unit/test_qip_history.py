"""A QIP's history: the plan as first shared beside the plan now, and drift."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.qip import Qip
from domain.qip_history import history

TEAM, OWNER, ORGANISER = uuid4(), uuid4(), uuid4()
SEEN = {"name": "Seen by a CNS", "unit": "%", "baseline": 61, "target": 80}


def shared_plan() -> Qip:
    qip = Qip.draft(team_id=TEAM, owner_id=OWNER, title="CNS at diagnosis",
                    key_area="cns_access", drafted_on="2012-01-10",
                    aim="From 61% to 80% of patients seen by a CNS by March 2013",
                    timeframe="2012 to 2013", measures=[SEEN])
    qip.submit(by=OWNER, submitted_on="2012-01-20")
    qip.review(by=ORGANISER, reviewed_on="2012-01-25", accept=False,
               comments={"aim": "Say which patients"})
    qip.revise(by=OWNER, revised_on="2012-01-28",
               aim="From 61% to 80% of newly diagnosed patients seen by a CNS by March 2013")
    qip.submit(by=OWNER, submitted_on="2012-01-30")
    qip.review(by=ORGANISER, reviewed_on="2012-02-01", accept=True)
    return qip


def test_the_history_keeps_the_original_aim_after_a_revision_of_an_active_plan() -> None:
    qip = shared_plan()
    qip.revise(by=OWNER, revised_on="2012-09-01", aim="70% of patients seen by March 2014")
    found = history(qip.collect_events())

    assert found.original["aim"].startswith("From 61% to 80% of newly diagnosed")
    assert found.current["aim"] == "70% of patients seen by March 2014"
    assert found.original_label == "as first shared, 1 February 2012"
    assert found.drifted == ("aim",)


def test_each_entry_says_when_who_and_what_with_the_review_comments() -> None:
    found = history(shared_plan().collect_events())

    assert [(e.on, e.what) for e in found.entries] == [
        (date(2012, 1, 10), "Drafted"),
        (date(2012, 1, 20), "Submitted for review"),
        (date(2012, 1, 25), "Changes requested"),
        (date(2012, 1, 28), "Revised the aim"),
        (date(2012, 1, 30), "Submitted for review"),
        (date(2012, 2, 1), "Accepted and shared in the library"),
    ]
    assert found.entries[2].by == ORGANISER
    assert found.entries[2].comments == {"aim": "Say which patients"}
    assert found.entries[3].by == OWNER
    assert found.entries[3].changes[0].before.startswith("From 61% to 80% of patients")


def test_a_target_lowered_to_meet_the_results_shows_as_oversold() -> None:
    qip = shared_plan()
    for month, value in [(3, 66), (4, 70), (5, 71)]:
        qip.record_progress(measure="Seen by a CNS", recorded_on=f"2012-0{month}-01",
                            value=value, by=OWNER)
    qip.revise(by=OWNER, revised_on="2012-06-01", measures=[{**SEEN, "target": 70}])
    found = history(qip.collect_events())

    [seen] = found.against_targets
    assert (seen.latest, seen.original_target, seen.current_target) == (71, 80, 70)
    assert seen.meets_current and seen.meets_original is False and seen.oversold
    assert "measures" in found.drifted
    assert found.entries[-2].what == "Recorded 3 values"


def test_a_plan_never_shared_is_compared_with_its_first_draft() -> None:
    qip = Qip.draft(team_id=TEAM, owner_id=OWNER, title="Draft", key_area="cns_access",
                    measures=[SEEN])
    qip.revise(by=OWNER, timeframe="2013")
    found = history(qip.collect_events())

    assert found.original_label == "as first drafted"
    assert found.original["timeframe"] == "" and found.current["timeframe"] == "2013"
    assert not found.against_targets[0].oversold
