"""Adapting another team's plan: the draft starts from the original's aim, time frame
and targets, marked as copied, and cannot go for review until the team has made each
its own (changed it, or chosen to keep it) and given its own baselines."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import Invalid
from domain.qip import Qip, target_key
from tests.unit.test_qips import OWNER, active

OUR_TEAM, OUR_NURSE = uuid4(), uuid4()
CNS = "Seen by a CNS"


def adapted() -> Qip:
    return Qip.adapt(active(), team_id=OUR_TEAM, owner_id=OUR_NURSE, drafted_on="2012-06-01")


def test_an_adapted_draft_cannot_be_submitted_until_aim_time_frame_baseline_and_target_are_ours(
        ) -> None:
    qip = adapted()

    with pytest.raises(Invalid) as refused:
        qip.submit(by=OUR_NURSE, submitted_on="2012-06-10")

    assert set(refused.value.fields) == {"aim", "timeframe", "measures[0].baseline",
                                         "measures[0].target"}
    assert "the aim of the plan you adapted" in refused.value.fields["aim"]
    assert "your team's own baseline" in refused.value.fields["measures[0].baseline"]


def test_an_adapted_draft_made_our_own_can_be_submitted() -> None:
    qip = adapted()
    [measure] = qip.measures
    qip.revise(by=OUR_NURSE, aim="Raise CNS contact at diagnosis from 50% to 75% by June 2013",
               timeframe="June 2012 to June 2013",
               measures=[{**measure.as_dict(), "baseline": 50, "target": 75}])

    qip.submit(by=OUR_NURSE, submitted_on="2012-06-10")

    assert qip.status.value == "submitted"


def test_a_copied_target_can_be_kept_as_ours_without_changing_it() -> None:
    qip = adapted()
    [measure] = qip.measures
    qip.revise(by=OUR_NURSE, aim="Reach 80% of patients seen by a CNS by June 2013",
               timeframe="June 2012 to June 2013",
               measures=[{**measure.as_dict(), "baseline": 50}], keep=[target_key(CNS)])

    qip.submit(by=OUR_NURSE, submitted_on="2012-06-10")

    assert qip.measures[0].target == 80


def test_keeping_a_part_that_was_not_copied_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        adapted().revise(by=OUR_NURSE, keep=["lessons"])

    assert set(refused.value.fields) == {"keep"}


def test_a_plan_drafted_from_scratch_has_nothing_copied() -> None:
    from tests.unit.test_qips import ready

    assert ready().copied_from_original() == {}


def test_a_plan_adapted_before_copies_were_tracked_reads_its_copies_from_the_drafted_event(
        ) -> None:
    """Old stored events: a Drafted event with adapted_from and no other mark, and a
    Revised event without ``kept``: the aim it copied still counts as copied, the time
    frame the team rewrote is its own."""
    source = active()
    old = Qip.draft(team_id=OUR_TEAM, owner_id=OUR_NURSE, adapted_from=source.id,
                    title=source.title, key_area=source.key_area, aim=source.aim,
                    timeframe=source.timeframe,
                    measures=[{**m.as_dict(), "baseline": None} for m in source.measures])
    old.revise(by=OUR_NURSE, timeframe="June 2012 to June 2013")
    events = old.collect_events()
    for event in events:  # as stored before: no ``kept`` on Revised
        vars(event).pop("kept", None)

    replayed = None
    for event in events:
        replayed = event.mutate(replayed)

    assert set(replayed.copied_from_original()) == {"aim", "measures[0].baseline",
                                                    "measures[0].target"}
    assert replayed.owner_id == OUR_NURSE and OWNER != OUR_NURSE


def test_the_history_says_which_copied_parts_the_team_kept_as_its_own() -> None:
    from domain.qip_history import history

    qip = adapted()
    qip.revise(by=OUR_NURSE, keep=[target_key(CNS), "timeframe"])

    last = history(qip.collect_events()).entries[-1]

    assert last.what == ("Kept the target of Seen by a CNS, time frame of the adapted plan "
                         "as the team's own")
