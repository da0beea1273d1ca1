"""Quality Improvement Plans: drafting, revising, sharing and reporting progress."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.qip import Measure, Qip
from domain.values import Direction, KeyArea, QipStatus

TEAM, OWNER, COLLEAGUE = uuid4(), uuid4(), uuid4()
CNS_SEEN = {"name": "Seen by a CNS", "unit": "%", "baseline": 61, "target": 80}


def draft(**plan: object) -> Qip:
    given: dict[str, object] = dict(title="More patients seen by a nurse specialist",
                                    key_area="cns_access")
    return Qip.draft(team_id=TEAM, owner_id=OWNER, **{**given, **plan})  # type: ignore[arg-type]


def ready() -> Qip:
    return draft(aim="80% of patients seen by a CNS at diagnosis",
                 timeframe="by March 2013", measures=[CNS_SEEN])


def test_a_draft_starts_unshared_with_its_measures() -> None:
    qip = ready()

    assert qip.status is QipStatus.DRAFT and qip.shared_on is None
    assert qip.key_area is KeyArea.CNS_ACCESS
    assert qip.measures == [Measure(name="Seen by a CNS", unit="%", baseline=61.0,
                                    target=80.0, direction=Direction.UP)]


def test_a_qip_without_aim_time_frame_or_measure_cannot_be_shared_and_says_what_is_missing() -> None:
    qip = draft()
    with pytest.raises(Invalid) as raised:
        qip.share(by=OWNER, shared_on="2012-02-01")

    assert set(raised.value.fields) == {"aim", "timeframe", "measures"}
    assert qip.status is QipStatus.DRAFT and qip.version == 1


def test_a_qip_without_a_baseline_cannot_be_shared() -> None:
    qip = draft(aim="More seen", timeframe="2012",
                measures=[{**CNS_SEEN, "baseline": None}, {"name": "Waits", "target": 14}])
    with pytest.raises(Invalid) as raised:
        qip.share(by=OWNER, shared_on="2012-02-01")

    assert set(raised.value.fields) == {"measures"}


def test_a_qip_without_a_time_frame_names_only_the_time_frame() -> None:
    qip = draft(aim="More seen", measures=[CNS_SEEN])
    with pytest.raises(Invalid) as raised:
        qip.share(by=OWNER, shared_on="2012-02-01")

    assert set(raised.value.fields) == {"timeframe"}


def test_a_qip_up_to_standard_is_shared_on_the_day_given() -> None:
    qip = ready()
    qip.share(by=OWNER, shared_on="2012-02-01")

    assert qip.status is QipStatus.SHARED and qip.shared_on == date(2012, 2, 1)
    assert qip.version == 2


def test_a_shared_qip_cannot_be_shared_a_second_time() -> None:
    qip = ready()
    qip.share(by=OWNER, shared_on="2012-02-01")
    with pytest.raises(Conflict):
        qip.share(by=OWNER, shared_on="2012-03-01")

    assert qip.shared_on == date(2012, 2, 1) and qip.version == 2


def test_sharing_on_a_day_that_is_not_a_date_is_refused_naming_the_field() -> None:
    with pytest.raises(Invalid) as raised:
        ready().share(by=OWNER, shared_on="tomorrow")

    assert set(raised.value.fields) == {"shared_on"}


def test_revising_fills_in_what_was_missing_so_the_plan_can_be_shared() -> None:
    qip = draft()
    qip.revise(aim="  80% seen by a CNS ", timeframe="by March 2013", measures=[CNS_SEEN])
    qip.share(by=OWNER, shared_on="2012-02-01")

    assert qip.aim == "80% seen by a CNS"
    assert qip.status is QipStatus.SHARED


def test_each_revision_changes_only_the_fields_given_and_raises_the_version() -> None:
    qip = ready()
    versions = [qip.version]
    qip.revise(title="Every patient offered a CNS")
    versions.append(qip.version)
    qip.revise(key_area="mdt_running", owner_id=COLLEAGUE)
    versions.append(qip.version)

    assert versions == [1, 2, 3]
    assert (qip.title, qip.key_area, qip.owner_id) == ("Every patient offered a CNS",
                                                       KeyArea.MDT_RUNNING, COLLEAGUE)
    assert qip.aim == "80% of patients seen by a CNS at diagnosis"
    assert qip.measures[0].name == "Seen by a CNS"


def test_revising_measures_replaces_them_with_checked_values() -> None:
    qip = ready()
    qip.revise(measures=[{**CNS_SEEN, "target": "85"},
                         {"name": "Days to biopsy", "baseline": 21, "target": 14,
                          "direction": "down"}])

    assert [(m.name, m.target, m.direction) for m in qip.measures] == [
        ("Seen by a CNS", 85.0, Direction.UP), ("Days to biopsy", 14.0, Direction.DOWN)]


def test_a_revision_of_an_unknown_field_or_of_nothing_is_refused() -> None:
    qip = ready()
    with pytest.raises(Invalid) as unknown:
        qip.revise(status="shared", team_id=uuid4())
    with pytest.raises(Invalid) as nothing:
        qip.revise()

    assert set(unknown.value.fields) == {"status", "team_id"}
    assert set(nothing.value.fields) == {"qip"}
    assert qip.version == 1


def test_measures_with_bad_numbers_or_the_same_name_twice_are_refused_each_by_its_place() -> None:
    with pytest.raises(Invalid) as raised:
        draft(measures=[CNS_SEEN, {"name": "seen by a cns", "baseline": "lots"},
                        {"name": "Waits", "direction": "sideways"}, "just text"])

    assert set(raised.value.fields) == {"measures[1].name", "measures[1].baseline",
                                        "measures[2].direction", "measures[3]"}


def test_a_draft_with_a_missing_title_and_unknown_key_area_names_both() -> None:
    with pytest.raises(Invalid) as raised:
        Qip.draft(team_id=TEAM, owner_id=OWNER, title="", key_area="gardening")

    assert set(raised.value.fields) == {"title", "key_area"}


def test_progress_is_recorded_for_a_measure_the_qip_has() -> None:
    qip = ready()
    qip.record_progress(measure="Seen by a CNS", recorded_on="2012-04-30", value="72.5", by=OWNER)

    assert qip.progress == [{"measure": "Seen by a CNS", "date": date(2012, 4, 30), "value": 72.5}]
    assert qip.version == 2


def test_progress_for_a_measure_the_qip_does_not_have_is_refused_naming_the_measure() -> None:
    qip = ready()
    with pytest.raises(Invalid) as raised:
        qip.record_progress(measure="Smiles per clinic", recorded_on="2012-04-30", value=3,
                            by=OWNER)

    assert set(raised.value.fields) == {"measure"}
    assert "Seen by a CNS" in raised.value.fields["measure"]
    assert qip.progress == []


def test_progress_with_a_bad_date_and_no_value_names_both_fields() -> None:
    with pytest.raises(Invalid) as raised:
        ready().record_progress(measure="Seen by a CNS", recorded_on="2012-04-31", value=None,
                                by=OWNER)

    assert set(raised.value.fields) == {"date", "value"}
