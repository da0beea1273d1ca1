"""A team marks under a measure's chart when a change came in: the chart is then read
in two periods, each with its own mean and limits, and the page says how the chart is
read. Forms are submitted as rendered (tests/web/forms.py)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from tests.builders import SmallNetwork
from tests.web.forms import submit
from tests.web.reading import log_in, text

MEASURE = "CNS at diagnosis"
# Two years of monthly values: a year around 30%, then a year around 45% after the change.
STEP = [(date(2011 + m // 12, m % 12 + 1, 15), value) for m, value in enumerate(
    [31, 29, 33, 30, 32, 30, 31, 29, 32, 30, 31, 30,
     45, 47, 44, 46, 45, 43, 46, 44, 47, 45, 44, 46])]


@pytest.fixture
def measured(community: Any, network: SmallNetwork) -> str:
    """Northshire's shared QIP with 24 values of one measure: an XmR chart."""
    qip_id = community.draft_qip(
        by=network.nurse, title="Nurse specialist at every diagnosis", key_area="cns_access",
        aim="A nurse specialist at 45% of diagnoses by March 2013",
        timeframe="January 2011 to March 2013",
        measures=[{"name": MEASURE, "unit": "%", "baseline": 30, "target": 45,
                   "direction": "up"}])
    community.share_qip(qip_id, shared_on="2011-01-01")
    community.record_series(qip_id, by=network.nurse, measure=MEASURE,
                            values=[(d.isoformat(), v) for d, v in STEP])
    return str(qip_id)


def causes(html: str | bytes) -> list[str]:
    """The cause of each point of the (wide) chart, in date order."""
    page = html.decode() if isinstance(html, bytes) else html
    wide = page.split('class="measure-chart"', 1)[1].split("</svg>", 1)[0]
    return re.findall(r'data-cause="(\w+)"', wide)


def test_the_team_marks_a_change_and_the_baseline_is_no_longer_a_concern(nina, measured):
    page = nina.get(f"/qips/{measured}").data
    assert causes(page)[:12] == ["concern"] * 12   # against limits it never had

    answer = submit(nina, page, {"date[day]": "1", "date[month]": "1", "date[year]": "2012",
                                 "description": "Nurse-led clinic started"},
                    action=f"/qips/{measured}/changes", follow_redirects=True)

    seen = text(answer.data)
    assert answer.status_code == 200
    assert f"Marked the change on {MEASURE}" in seen
    assert "1 January 2012: Nurse-led clinic started" in seen or \
        "1 Jan 2012: Nurse-led clinic started" in seen
    assert set(causes(answer.data)) == {"common"}
    assert "Recalculated from Jan 2012, when the team marked a change: Nurse-led clinic " \
           "started." in seen
    assert 'class="change"' in answer.data.decode()   # the vertical line at the change


def test_the_page_says_how_the_chart_is_read(nina, measured):
    seen = text(nina.get(f"/qips/{measured}").data)

    assert "How this chart is read" in seen
    assert "NHSRplotthedots" in seen


def test_a_change_without_what_changed_is_refused_with_the_field_named(nina, community,
                                                                      measured):
    page = nina.get(f"/qips/{measured}").data

    answer = submit(nina, page, {"date[day]": "1", "date[month]": "1", "date[year]": "2012"},
                    action=f"/qips/{measured}/changes", follow_redirects=True)

    seen = text(answer.data)
    assert "There is a problem" in seen
    assert "The change was not marked: what changed is required." in seen
    assert community.qip(measured).change_marks == []


def test_a_change_on_an_impossible_date_is_refused_not_a_500(nina, community, measured):
    page = nina.get(f"/qips/{measured}").data

    answer = submit(nina, page, {"date[day]": "31", "date[month]": "2", "date[year]": "2012",
                                 "description": "New clinic"},
                    action=f"/qips/{measured}/changes", follow_redirects=True)

    assert answer.status_code == 200
    assert "the date the change came in must be a real date, for example 31 3 2013" in text(answer.data)
    assert community.qip(measured).change_marks == []


def test_the_team_removes_a_mark_and_the_chart_is_one_period_again(nina, community,
                                                                   network, measured):
    community.mark_change(measured, by=network.nurse, measure=MEASURE,
                          changed_on="2012-01-01", description="Nurse-led clinic started")
    page = nina.get(f"/qips/{measured}").data

    answer = submit(nina, page, action=f"/qips/{measured}/changes/remove",
                    follow_redirects=True)

    assert f"Removed the change mark on {MEASURE}." in text(answer.data)
    assert causes(answer.data)[:12] == ["concern"] * 12
    assert community.qip(measured).change_marks == []


def test_another_team_sees_the_marks_but_no_form_to_change_them(client, community, network,
                                                                 measured):
    community.mark_change(measured, by=network.nurse, measure=MEASURE,
                          changed_on="2012-01-01", description="Nurse-led clinic started")
    assert log_in(client, "sara.south@southmoor.nhs.uk").status_code == 302

    page = client.get(f"/qips/{measured}").data.decode()

    assert "Nurse-led clinic started" in page
    assert f"/qips/{measured}/changes" not in page


def test_each_measure_s_form_has_fields_of_its_own_that_its_labels_name(nina, community,
                                                                         network, measured):
    # The form's parts are drawn once for every measure, with the measure's key put in.
    community.revise_qip(measured, by=network.nurse, measures=[
        {"name": MEASURE, "unit": "%", "baseline": 30, "target": 45, "direction": "up"},
        {"name": "Seen within 2 weeks", "unit": "%", "baseline": 60, "target": 90,
         "direction": "up"}])
    page = nina.get(f"/qips/{measured}").data.decode()

    forms = re.findall(r'<form id="(mark-[^"]+)".*?</form>', page, re.S)
    assert len(forms) == 2 and forms[0] != forms[1]
    for key, form in zip(forms, re.findall(r'<form id="mark-[^"]+".*?</form>', page, re.S),
                         strict=True):
        ids = re.findall(r' id="([^"]+)"', form)
        assert {f"{key}-date", f"{key}-date-day", f"{key}-description"} <= set(ids)
        labelled = re.findall(r' for="([^"]+)"', form)
        assert labelled and set(labelled) <= set(ids)
    assert len(re.findall(r' id="([^"]+)"', page)) == len(set(re.findall(r' id="([^"]+)"', page)))
    assert "mark-change-measure-slot" not in page
