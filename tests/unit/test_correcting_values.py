"""Putting a wrong value right: a correction or a withdrawal is a new event beside the
value it changes, refused with the field named when there is nothing to change or no
reason, and told in the QIP's history with what it was and why."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.qip import Qip
from domain.qip_history import history

TEAM, OWNER, ORGANISER = uuid4(), uuid4(), uuid4()
SEEN = "Seen by a CNS"


def measured() -> Qip:
    """An active QIP with three monthly values, the last of them mistyped (27 for 72)."""
    qip = Qip.draft(team_id=TEAM, owner_id=OWNER, title="CNS at diagnosis",
                    key_area="cns_access", drafted_on="2012-01-10",
                    aim="From 61% to 80% of patients seen by a CNS by March 2013",
                    timeframe="2012 to 2013",
                    measures=[{"name": SEEN, "unit": "%", "baseline": 61, "target": 80}])
    qip.submit(by=OWNER, submitted_on="2012-01-20")
    qip.review(by=ORGANISER, reviewed_on="2012-02-01", accept=True)
    qip.record_series(measure=SEEN, by=OWNER, values=[
        ("2012-03-31", 64), ("2012-04-30", 68), ("2012-05-31", 27)])
    return qip


def values(qip: Qip) -> list[tuple[str, float]]:
    return [(p["date"].isoformat(), p["value"]) for p in qip.progress]


def test_a_corrected_value_replaces_the_wrong_one_and_the_log_keeps_both() -> None:
    qip = measured()

    qip.correct_value(measure=SEEN, recorded_on="2012-05-31", value="72",
                      reason="Typed the digits the wrong way round", by=OWNER,
                      corrected_on="2012-06-02")

    assert values(qip) == [("2012-03-31", 64.0), ("2012-04-30", 68.0), ("2012-05-31", 72.0)]
    events = qip.collect_events()
    assert [type(e).__name__ for e in events[-2:]] == ["ProgressRecorded", "ValueCorrected"]
    assert events[-1].reason == "Typed the digits the wrong way round"


def test_a_withdrawn_value_leaves_the_series() -> None:
    qip = measured()

    qip.withdraw_value(measure=SEEN, recorded_on="2012-04-30", reason="Recorded for the "
                       "wrong month", by=OWNER, withdrawn_on="2012-06-02")

    assert values(qip) == [("2012-03-31", 64.0), ("2012-05-31", 27.0)]


def test_correcting_a_value_never_recorded_names_the_date() -> None:
    qip = measured()
    with pytest.raises(Invalid) as raised:
        qip.correct_value(measure=SEEN, recorded_on="2012-06-30", value=70, reason="Wrong",
                          by=OWNER, corrected_on="2012-07-01")

    assert raised.value.fields == {"date": f"{SEEN} has no value for 2012-06-30"}


def test_a_correction_without_a_reason_or_with_an_unknown_measure_names_each_field() -> None:
    qip = measured()
    with pytest.raises(Invalid) as raised:
        qip.correct_value(measure="Smiles", recorded_on="2012-05-31", value=70, reason=" ",
                          by=OWNER, corrected_on="2012-07-01")

    assert set(raised.value.fields) == {"measure", "reason"}
    with pytest.raises(Invalid) as raised:
        qip.withdraw_value(measure=SEEN, recorded_on="2012-05-31", reason="",
                           by=OWNER, withdrawn_on="2012-07-01")
    assert raised.value.fields == {"reason": "is required"}
    assert values(qip)[-1] == ("2012-05-31", 27.0)


def test_a_correction_to_the_same_value_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        measured().correct_value(measure=SEEN, recorded_on="2012-05-31", value=27,
                                 reason="Checked", by=OWNER, corrected_on="2012-07-01")

    assert raised.value.fields == {"value": "is already 27; give the right value"}


def test_the_values_of_a_stopped_qip_can_no_longer_be_changed() -> None:
    qip = measured()
    qip.stop(by=OWNER, stopped_on="2012-08-01", reason="The service was reorganised")

    with pytest.raises(Conflict, match="stopped on 2012-08-01"):
        qip.correct_value(measure=SEEN, recorded_on="2012-05-31", value=72, reason="Typo",
                          by=OWNER, corrected_on="2012-08-02")
    with pytest.raises(Conflict):
        qip.withdraw_value(measure=SEEN, recorded_on="2012-05-31", reason="Typo",
                           by=OWNER, withdrawn_on="2012-08-02")


def test_the_history_tells_each_correction_and_withdrawal_and_judges_the_value_now() -> None:
    qip = measured()
    qip.correct_value(measure=SEEN, recorded_on="2012-05-31", value=82, reason="Typo",
                      by=OWNER, corrected_on="2012-06-02")
    qip.withdraw_value(measure=SEEN, recorded_on="2012-04-30", reason="Wrong month",
                       by=OWNER, withdrawn_on="2012-06-03")

    found = history(qip.collect_events())

    assert [(e.on, e.by, e.what) for e in found.entries[-2:]] == [
        (date(2012, 6, 2), OWNER,
         "Corrected the value of Seen by a CNS on 31 May 2012 from 27% to 82%: Typo"),
        (date(2012, 6, 3), OWNER,
         "Withdrew the value of Seen by a CNS on 30 April 2012 (68%): Wrong month")]
    assert found.against_targets[0].latest == 82
    assert found.against_targets[0].meets_current is True
