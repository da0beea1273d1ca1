"""Quality Improvement Plans: drafting, review, the end of a plan, and reporting progress."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid
from domain.qip import Measure, Qip, aim_gaps
from domain.qip_plan import MAX_SERIES
from domain.values import Direction, KeyArea, Obstacle, QipStatus

TEAM, OWNER, COLLEAGUE, ORGANISER = uuid4(), uuid4(), uuid4(), uuid4()
CNS_SEEN = {"name": "Seen by a CNS", "unit": "%", "baseline": 61, "target": 80}


def draft(**plan: Any) -> Qip:
    given: dict[str, Any] = {"title": "More patients seen by a nurse specialist",
                                "key_area": "cns_access"}
    return Qip.draft(team_id=TEAM, owner_id=OWNER, **{**given, **plan})


def ready() -> Qip:
    return draft(aim="80% of patients seen by a CNS at diagnosis by March 2013",
                 timeframe="April 2012 to March 2013", measures=[CNS_SEEN])


def active() -> Qip:
    qip = ready()
    qip.submit(by=OWNER, submitted_on="2012-02-01")
    qip.review(by=ORGANISER, reviewed_on="2012-02-08", accept=True)
    return qip


def test_a_draft_starts_unshared_with_its_measures() -> None:
    qip = ready()

    assert qip.status is QipStatus.DRAFT and qip.shared_on is None
    assert qip.key_area is KeyArea.CNS_ACCESS
    assert qip.measures == [Measure(name="Seen by a CNS", unit="%", baseline=61.0,
                                    target=80.0, direction=Direction.UP)]


def test_a_qip_without_aim_time_frame_or_measure_cannot_be_submitted_and_says_what_is_missing() -> None:
    qip = draft()
    with pytest.raises(Invalid) as raised:
        qip.submit(by=OWNER, submitted_on="2012-02-01")

    assert set(raised.value.fields) == {"aim", "timeframe", "measures"}
    assert qip.status is QipStatus.DRAFT and qip.version == 1


def test_a_draft_missing_a_baseline_cannot_be_submitted_and_the_message_names_the_measure() -> None:
    qip = draft(aim="80% seen by a CNS by March 2013", timeframe="2012",
                measures=[{**CNS_SEEN, "baseline": None}, {"name": "Waits", "target": 14}])
    with pytest.raises(Invalid) as raised:
        qip.submit(by=OWNER, submitted_on="2012-02-01")

    assert set(raised.value.fields) == {"measures"}
    assert "Seen by a CNS" in raised.value.fields["measures"]


@pytest.mark.parametrize(("aim", "missing"), [
    ("More patients seen by a nurse", ["how much", "by when"]),
    ("80% of patients seen by a nurse", ["by when"]),
    ("More patients seen by a nurse by March 2013", ["how much"]),
    ("80% by 2013", ["what will improve"]),
])
def test_an_aim_must_say_what_how_much_and_by_when(aim: str, missing: list[str]) -> None:
    gaps = aim_gaps(aim)

    assert [g.split(" (")[0] for g in gaps] == missing


def test_a_vague_aim_stops_submission_and_says_what_it_lacks() -> None:
    qip = draft(aim="Improve access to nurse specialists", timeframe="2012",
                measures=[CNS_SEEN])
    with pytest.raises(Invalid) as raised:
        qip.submit(by=OWNER, submitted_on="2012-02-01")

    assert "how much" in raised.value.fields["aim"] and "by when" in raised.value.fields["aim"]


def test_a_submitted_qip_is_accepted_by_review_and_becomes_active_and_shared() -> None:
    qip = active()

    assert qip.status is QipStatus.ACTIVE and qip.shared_on == date(2012, 2, 8)
    assert qip.version == 3


def test_changes_requested_carry_comments_beside_fields_and_the_team_revises_and_resubmits() -> None:
    qip = ready()
    qip.submit(by=OWNER, submitted_on="2012-02-01")
    qip.review(by=ORGANISER, reviewed_on="2012-02-03", accept=False,
               comments={"aim": "Say from what baseline", "general": ""})

    assert qip.status is QipStatus.CHANGES_REQUESTED
    assert qip.comments == {"aim": "Say from what baseline"}

    qip.revise(aim="From 61% to 80% of patients seen by a CNS by March 2013", by=OWNER)
    qip.submit(by=OWNER, submitted_on="2012-02-05")
    qip.review(by=ORGANISER, reviewed_on="2012-02-06", accept=True)
    assert qip.status is QipStatus.ACTIVE and qip.comments == {}


def test_requesting_changes_without_a_comment_or_on_an_unknown_field_is_refused() -> None:
    qip = ready()
    qip.submit(by=OWNER, submitted_on="2012-02-01")
    with pytest.raises(Invalid) as empty:
        qip.review(by=ORGANISER, reviewed_on="2012-02-03", accept=False, comments={})
    with pytest.raises(Invalid) as unknown:
        qip.review(by=ORGANISER, reviewed_on="2012-02-03", accept=False,
                   comments={"colour": "Bluer"})

    assert set(empty.value.fields) == {"comments"}
    assert set(unknown.value.fields) == {"comments.colour"}
    assert qip.status is QipStatus.SUBMITTED


def test_only_a_submitted_qip_can_be_reviewed_and_an_active_one_not_submitted_again() -> None:
    with pytest.raises(Conflict):
        ready().review(by=ORGANISER, reviewed_on="2012-02-03", accept=True)
    qip = active()
    with pytest.raises(Conflict):
        qip.submit(by=OWNER, submitted_on="2012-03-01")
    with pytest.raises(Conflict):
        qip.review(by=ORGANISER, reviewed_on="2012-03-01", accept=True)

    assert qip.version == 3


def test_a_qip_under_review_cannot_be_revised() -> None:
    qip = ready()
    qip.submit(by=OWNER, submitted_on="2012-02-01")
    with pytest.raises(Conflict):
        qip.revise(title="Sneaky change")

    assert qip.title == "More patients seen by a nurse specialist"


def test_a_submission_on_a_day_that_is_not_a_date_is_refused_naming_the_field() -> None:
    with pytest.raises(Invalid) as raised:
        ready().submit(by=OWNER, submitted_on="tomorrow")

    assert set(raised.value.fields) == {"submitted_on"}


def test_an_active_qip_is_completed_and_then_takes_no_more_progress() -> None:
    qip = active()
    qip.complete(by=OWNER, completed_on="2013-04-01", note="Aim met")
    with pytest.raises(Conflict):
        qip.record_progress(measure="Seen by a CNS", recorded_on="2013-05-01", value=81, by=OWNER)

    assert qip.status is QipStatus.COMPLETED and qip.ended_on == date(2013, 4, 1)
    assert qip.progress == []


def test_progress_on_a_stopped_qip_is_refused_and_says_when_it_stopped() -> None:
    qip = active()
    qip.stop(by=OWNER, stopped_on="2012-09-01", reason="Our CNS post was frozen")
    with pytest.raises(Conflict) as raised:
        qip.record_progress(measure="Seen by a CNS", recorded_on="2012-10-01", value=70, by=OWNER)

    assert "stopped on 2012-09-01" in str(raised.value)
    assert qip.end_note == "Our CNS post was frozen"


def test_stopping_needs_a_reason_and_a_stopped_qip_cannot_be_stopped_or_completed() -> None:
    qip = active()
    with pytest.raises(Invalid) as raised:
        qip.stop(by=OWNER, stopped_on="2012-09-01", reason="  ")
    qip.stop(by=OWNER, stopped_on="2012-09-01", reason="Merged")
    with pytest.raises(Conflict):
        qip.stop(by=OWNER, stopped_on="2012-09-02", reason="Again")
    with pytest.raises(Conflict):
        qip.complete(by=OWNER, completed_on="2012-09-02")

    assert set(raised.value.fields) == {"reason"}


def test_a_draft_cannot_be_completed() -> None:
    with pytest.raises(Conflict):
        ready().complete(by=OWNER, completed_on="2012-09-02")


def test_the_whole_plan_is_kept_changes_with_pdsa_cycles_tags_and_lessons() -> None:
    qip = draft(member_ids=[str(COLLEAGUE), COLLEAGUE],
                changes=[{"title": "Nurse at the results clinic", "cycles": [
                    {"plan": "Tuesdays for a month", "happened": "Saw 20 of 24",
                     "learned": "Needs a room"}]}],
                obstacles=["staffing", "it"], obstacle_notes="One CNS for two sites",
                enablers=["senior_managers"], lessons="Start small")

    assert qip.member_ids == [COLLEAGUE]
    assert qip.changes[0]["cycles"][0] == {"plan": "Tuesdays for a month",
                                           "happened": "Saw 20 of 24", "learned": "Needs a room"}
    assert qip.obstacles == [Obstacle.STAFFING, Obstacle.IT]
    assert qip.enablers == [Obstacle.SENIOR_MANAGERS]
    assert (qip.obstacle_notes, qip.lessons) == ("One CNS for two sites", "Start small")


def test_bad_parts_of_a_plan_are_named_by_their_place() -> None:
    with pytest.raises(Invalid) as raised:
        draft(member_ids=["not-an-id"], obstacles=["weather"],
              changes=[{"title": "", "cycles": [{"plan": ""}]}, "text"])

    assert set(raised.value.fields) == {"member_ids", "obstacles", "changes[0].title",
                                        "changes[0].cycles[0].plan", "changes[1]"}


def test_a_series_of_values_is_recorded_in_date_order_or_not_at_all() -> None:
    qip = active()
    qip.record_series(measure="Seen by a CNS", by=OWNER,
                      values=[("2012-05-01", 70), ("2012-04-01", 65)])
    with pytest.raises(Invalid) as raised:
        qip.record_series(measure="Seen by a CNS", by=OWNER, field_prefix="values",
                          values=[("2012-06-01", 71), ("2012-05-01", 72), ("2012-07-01", "x")])

    assert [p["date"] for p in qip.progress] == [date(2012, 4, 1), date(2012, 5, 1)]
    assert set(raised.value.fields) == {"values[1].date", "values[2].value"}
    assert "already has a value for 2012-05-01" in raised.value.fields["values[1].date"]


def test_a_document_is_named_in_the_log_but_not_added_to_a_stopped_qip() -> None:
    qip = active()
    qip.attach_document(document_id="d1", title="", kind="business_case", name="case.pdf",
                        content_type="application/pdf", size=2048, sha256="a" * 64, by=OWNER,
                        attached_on="2012-03-01")
    qip.stop(by=OWNER, stopped_on="2012-09-01", reason="Merged")
    with pytest.raises(Conflict):
        qip.attach_document(document_id="d2", title="More", kind="data", name="d.csv",
                            content_type="text/csv", size=1, sha256="b" * 64, by=OWNER,
                            attached_on="2012-09-02")

    assert qip.document("d1")["title"] == "case.pdf"
    assert [d["id"] for d in qip.documents] == ["d1"]


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
    assert qip.aim == "80% of patients seen by a CNS at diagnosis by March 2013"
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


def test_a_revision_that_changes_nothing_is_refused_so_history_shows_only_real_changes() -> None:
    qip = ready()
    with pytest.raises(Invalid) as raised:
        qip.revise(title=qip.title)

    assert set(raised.value.fields) == {"qip"} and qip.version == 1
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


def test_a_copy_of_a_plan_shares_its_values_yet_a_correction_in_it_stays_in_it() -> None:
    """Commands change a copy of the cached plan: the values are shared between copies
    (copying them was most of a copy's time), so none may change in place."""
    qip = active()
    qip.record_progress(measure="Seen by a CNS", recorded_on="2012-04-30", value=72, by=OWNER)
    copy = deepcopy(qip)
    copy.correct_value(measure="Seen by a CNS", recorded_on="2012-04-30", value=74,
                       reason="Two patients were missed", by=OWNER, corrected_on="2012-05-02")
    copy.record_progress(measure="Seen by a CNS", recorded_on="2012-05-31", value=75, by=OWNER)

    assert [p["value"] for p in qip.progress] == [72]
    assert [p["value"] for p in copy.progress] == [74, 75]
    assert copy.version == qip.version + 2
    assert copy.measures == qip.measures and copy.measures is not qip.measures
    assert len(copy.collect_events()) == len(qip.collect_events()) + 2
    with pytest.raises(TypeError):
        qip.progress[0]["value"] = 80


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


def test_the_domain_refuses_a_series_longer_than_the_documented_limit_and_records_none() -> None:
    # Issue 13: the API documented at most 1,000 values; the domain had no limit of its own.
    qip = active()
    values = [(f"{2000 + i // 12}-{i % 12 + 1:02d}-01", i) for i in range(MAX_SERIES + 1)]
    with pytest.raises(Invalid) as raised:
        qip.record_series(measure="Seen by a CNS", by=OWNER, field_prefix="values",
                          values=values)

    assert raised.value.fields == {"values": f"must have at most {MAX_SERIES} values"}
    assert qip.progress == []
    qip.record_series(measure="Seen by a CNS", by=OWNER, field_prefix="values",
                      values=values[:MAX_SERIES])
    assert len(qip.progress) == MAX_SERIES
