"""Marking when a change came in on a measure through the JSON API, over real HTTP: the
mark shows on the QIP, the chart is recalculated from it, bad input names the field."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.conftest import error_of, fields_of, json_of

MEASURE = "CNS at diagnosis"
# A year around 30%, then a year around 45% after the change: 24 points, an XmR chart.
STEP = [{"date": date(2011 + m // 12, m % 12 + 1, 15).isoformat(), "value": v}
        for m, v in enumerate([31, 29, 33, 30, 32, 30, 31, 29, 32, 30, 31, 30,
                               45, 47, 44, 46, 45, 43, 46, 44, 47, 45, 44, 46])]
CHANGE = {"measure": MEASURE, "date": "2012-01-01", "description": "Nurse-led clinic started"}


@pytest.fixture
def measured(nurse, shared):
    json_of(nurse.post(f"/qips/{shared['id']}/progress/series",
                       {"measure": MEASURE, "values": STEP}), 201)
    return shared


def test_marking_a_change_is_201_and_the_qip_carries_it(nurse, measured):
    body = json_of(nurse.post(f"/qips/{measured['id']}/changes", CHANGE), 201)

    assert body["change"] == {"measure": MEASURE, "changed_on": "2012-01-01",
                              "description": "Nurse-led clinic started"}
    assert body["qip"]["change_marks"] == [body["change"]]


def test_the_chart_is_recalculated_from_the_change(nurse, measured):
    before = nurse.get(f"/qips/{measured['id']}/chart/{MEASURE}").text
    json_of(nurse.post(f"/qips/{measured['id']}/changes", CHANGE), 201)
    after = nurse.get(f"/qips/{measured['id']}/chart/{MEASURE}").text

    assert 'data-cause="concern"' in before
    assert 'data-cause="concern"' not in after and 'data-cause="improvement"' not in after
    assert "Recalculated from Jan 2012" in after


def test_removing_the_mark_reads_the_chart_as_one_period_again(nurse, measured):
    json_of(nurse.post(f"/qips/{measured['id']}/changes", CHANGE), 201)

    body = json_of(nurse.post(f"/qips/{measured['id']}/changes/remove",
                              {"measure": MEASURE, "date": "2012-01-01"}), 200)

    assert body["qip"]["change_marks"] == []
    assert 'data-cause="concern"' in nurse.get(f"/qips/{measured['id']}/chart/{MEASURE}").text


@pytest.mark.parametrize("change, field", [
    ({**CHANGE, "measure": "Morale"}, "measure"),
    ({**CHANGE, "description": "  "}, "description"),
    ({**CHANGE, "date": "2012-02-30"}, "date"),
])
def test_a_bad_mark_is_400_naming_the_field(nurse, measured, change, field):
    assert field in fields_of(nurse.post(f"/qips/{measured['id']}/changes", change))


def test_the_same_change_twice_is_400_and_removing_one_not_marked_is_400(nurse, measured):
    json_of(nurse.post(f"/qips/{measured['id']}/changes", CHANGE), 201)

    assert set(fields_of(nurse.post(f"/qips/{measured['id']}/changes", CHANGE))) == {"date"}
    assert set(fields_of(nurse.post(f"/qips/{measured['id']}/changes/remove",
                                    {"measure": MEASURE, "date": "2012-02-01"}))) == {"date"}


def test_only_the_qips_own_team_marks_changes(other_nurse, anonymous, measured):
    error_of(other_nurse.post(f"/qips/{measured['id']}/changes", CHANGE), 403)
    error_of(anonymous.post(f"/qips/{measured['id']}/changes", CHANGE), 401)
