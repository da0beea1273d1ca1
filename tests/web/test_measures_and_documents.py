"""A team measuring its QIP and attaching documents in the pages: recording a value,
uploading a CSV of values (all or none, problems named by line and field), the chart
with its improvement points marked, and documents uploaded and downloaded safely."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date
from typing import Any

import pytest
from werkzeug.http import parse_options_header

from community.documents import MAX_DOCUMENT_BYTES
from tests.builders import SmallNetwork
from tests.web.reading import csrf_token, log_in, text

SARA = "sara.south@southmoor.nhs.uk"
PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
MEASURE = "CNS at diagnosis"
# Twelve monthly values: six low, then six high, a shift above the median.
SHIFTED = [(date(2012, month, 28), value) for month, value in zip(
    range(1, 13), [60, 62, 61, 59, 63, 60, 72, 74, 75, 73, 76, 78])]


@pytest.fixture
def active(community: Any, network: SmallNetwork) -> str:
    """Northshire's QIP, accepted and shared, with one measure."""
    qip_id = community.draft_qip(
        by=network.nurse, title="Nurse specialist at every diagnosis", key_area="cns_access",
        aim="A nurse specialist at 80% of diagnoses by March 2013",
        timeframe="April 2012 to March 2013",
        measures=[{"name": MEASURE, "unit": "%", "baseline": 61, "target": 80,
                   "direction": "up", "definition": "Patients told their diagnosis with a "
                                                    "nurse specialist present, of all told"}])
    community.share_qip(qip_id, shared_on="2012-04-01")
    return str(qip_id)


def token(client: Any, qip_id: str) -> str:
    return csrf_token(client.get(f"/qips/{qip_id}").data)


def csv_upload(client: Any, qip_id: str, content: str, **form: str) -> Any:
    return client.post(f"/qips/{qip_id}/progress.csv", data={
        "csrf_token": token(client, qip_id), **form,
        "file": (io.BytesIO(content.encode()), "values.csv")},
        content_type="multipart/form-data")


def attach(client: Any, qip_id: str, data: bytes, filename: str = "business case.pdf",
           follow_redirects: bool = True) -> Any:
    return client.post(f"/qips/{qip_id}/documents", data={
        "csrf_token": token(client, qip_id), "title": "Business case", "kind": "business_case",
        "file": (io.BytesIO(data), filename)}, content_type="multipart/form-data",
        follow_redirects=follow_redirects)


def recorded(community: Any, qip_id: str) -> list[tuple[str, float]]:
    return [(p["date"].isoformat(), p["value"]) for p in community.qip(qip_id).progress]


# --- recording values -----------------------------------------------------------------------

def test_the_team_records_a_value_with_the_form_and_sees_it_as_the_latest(nina, active):
    answer = nina.post(f"/qips/{active}/progress", data={
        "csrf_token": token(nina, active), "measure": MEASURE, "date-day": "31",
        "date-month": "5", "date-year": "2013", "value": "72"}, follow_redirects=True)

    seen = text(answer.data)
    assert answer.status_code == 200
    assert f"Recorded a value of {MEASURE}." in seen
    assert "72% on 31 May 2013" in seen
    assert "Values recorded (1)" in seen


def test_a_value_with_a_bad_date_is_refused_with_the_field_named(nina, community, active):
    answer = nina.post(f"/qips/{active}/progress", data={
        "csrf_token": token(nina, active), "measure": MEASURE, "date-day": "31",
        "date-month": "2", "date-year": "2013", "value": "72"}, follow_redirects=True)

    assert "The value was not recorded: the date must be a date like 2012-03-31." in text(
        answer.data)
    assert recorded(community, active) == []


def test_a_date_typed_with_a_superscript_digit_is_refused_not_a_500(nina, community, active):
    answer = nina.post(f"/qips/{active}/progress", data={
        "csrf_token": token(nina, active), "measure": MEASURE, "date-day": "\u00b2",
        "date-month": "5", "date-year": "2013", "value": "72"}, follow_redirects=True)

    assert answer.status_code == 200
    assert "the date must be a date like 2012-03-31" in text(answer.data)
    assert recorded(community, active) == []


def test_progress_on_a_stopped_qip_is_refused_with_the_reason(nina, community, network,
                                                              active):
    community.stop_qip(active, by=network.nurse, reason="The service was reorganised",
                       stopped_on="2013-05-01")

    answer = nina.post(f"/qips/{active}/progress", data={
        "csrf_token": token(nina, active), "measure": MEASURE, "date": "2013-05-31",
        "value": "72"}, follow_redirects=True)

    seen = text(answer.data)
    assert "There is a problem" in seen
    assert ("The value was not recorded: this QIP was stopped on 2013-05-01; no more "
            "progress can be recorded.") in seen
    assert "Record a value" not in seen  # the form is not offered any more
    assert recorded(community, active) == []


def test_a_second_value_for_the_same_date_is_refused(nina, community, network, active):
    community.record_progress(active, by=network.nurse, measure=MEASURE, value=70,
                              recorded_on="2013-05-31")

    answer = nina.post(f"/qips/{active}/progress", data={
        "csrf_token": token(nina, active), "measure": MEASURE, "date": "2013-05-31",
        "value": "72"}, follow_redirects=True)

    assert f"{MEASURE} already has a value for 2013-05-31" in text(answer.data)
    assert recorded(community, active) == [("2013-05-31", 70.0)]


def test_another_team_cannot_record_progress(client, network, active):
    log_in(client, SARA)

    answer = client.post(f"/qips/{active}/progress", data={
        "csrf_token": token(client, active), "measure": MEASURE, "date": "2013-05-31",
        "value": "72"})

    assert answer.status_code == 403


# --- a CSV of values ------------------------------------------------------------------------

def test_the_upload_page_explains_the_format_with_an_example(nina, active):
    seen = text(nina.get(f"/qips/{active}/progress/upload").data)

    assert "date,value,measure" in seen
    assert f"2013-01-31,61,{MEASURE}" in seen
    assert "Nothing is recorded unless every line is right" in seen


def test_a_csv_upload_records_every_value(nina, community, active):
    rows = "\n".join(f"{d.isoformat()},{v}" for d, v in SHIFTED)

    answer = csv_upload(nina, active, "date,value\n" + rows + "\n")

    assert answer.status_code == 302
    assert len(recorded(community, active)) == 12
    assert "Recorded 12 values from values.csv." in text(nina.get(f"/qips/{active}").data)


def test_a_csv_with_a_bad_row_names_its_line_and_field_and_records_nothing(nina, community,
                                                                          active):
    content = ("Date,Value\n2013-01-31,61\n2013-02-28,lots\n\n31/03/2013,70\n"
               "2013-02-30,71\n")

    answer = csv_upload(nina, active, content)

    assert answer.status_code == 400
    seen = text(answer.data)
    assert "Nothing was recorded: the file has problems" in seen
    assert "Line 3, value: must be a number" in seen
    assert "Line 6, date: must be a date like 2012-03-31" in seen
    assert recorded(community, active) == []


def test_a_csv_naming_an_unknown_measure_is_refused(nina, community, active):
    answer = csv_upload(nina, active, f"date,value,measure\n2013-01-31,61,{MEASURE}\n"
                                      "2013-02-28,64,Morale\n")

    assert "Line 3, measure: is not a measure of this QIP" in text(answer.data)
    assert recorded(community, active) == []


def test_a_csv_without_the_columns_says_what_the_first_line_must_be(nina, active):
    answer = csv_upload(nina, active, "when,how many\n2013-01-31,61\n")

    assert "Line 1: The first line must name the columns: date,value" in text(answer.data)


# --- the chart ------------------------------------------------------------------------------

def test_twelve_monthly_values_with_a_shift_draw_a_chart_with_improvement_marked(
        nina, community, network, active):
    community.record_series(active, by=network.nurse, measure=MEASURE, values=SHIFTED)

    page = nina.get(f"/qips/{active}").data.decode()

    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="measure-chart"') == 1
    assert page.count("<circle ") >= 12
    assert len(re.findall(r'<circle [^>]*data-cause="improvement"', page)) >= 6
    seen = text(page)
    assert "Run chart of 12 points" in seen  # an XmR chart needs 15
    assert "shows improvement" in seen
    assert "Values recorded (12)" in seen
    assert "78% on 28 December 2012" in seen


def test_a_measure_without_values_says_so(nina, active):
    seen = text(nina.get(f"/qips/{active}").data)

    assert "No values recorded yet." in seen
    assert "Patients told their diagnosis with a nurse specialist present" in seen


# --- documents ------------------------------------------------------------------------------

def test_an_attached_document_is_listed_and_downloads_safely(nina, active):
    answer = attach(nina, active, PDF)

    seen = text(answer.data)
    assert "Document attached." in seen
    assert "Business case" in seen and "1 KB" in seen
    link = re.search(rf'href="(/qips/{active}/documents/[0-9a-f-]+)"', answer.data.decode())
    download = nina.get(link.group(1))
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition, options = parse_options_header(download.headers["Content-Disposition"])
    assert disposition == "attachment"
    assert options["filename"] == "business case.pdf"


def test_a_document_whose_name_is_html_still_downloads_as_an_attachment(nina, active):
    answer = attach(nina, active, b"<script>alert(1)</script>", filename="notes.txt")
    link = re.search(rf'href="(/qips/{active}/documents/[0-9a-f-]+)"', answer.data.decode())

    download = nina.get(link.group(1))

    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_an_empty_file_is_refused_clearly(nina, community, active):
    answer = attach(nina, active, b"")

    assert "The document was not attached: the file is empty." in text(answer.data)
    assert community.qip(active).documents == []


def test_a_file_just_over_ten_megabytes_is_refused_with_its_size(nina, community, active):
    big = b"%PDF-1.7\n" + b"0" * MAX_DOCUMENT_BYTES

    answer = attach(nina, active, big)

    assert ("The document was not attached: the file is 10.1 MB; the limit is 10 MB."
            in text(answer.data))
    assert community.qip(active).documents == []


def test_a_far_larger_file_is_refused_before_it_is_read(nina, community, active):
    huge = b"%PDF-1.7\n" + b"0" * (12 * 1024 * 1024)

    answer = attach(nina, active, huge)

    assert "The document was not attached: the file must be at most 10 MB." in text(
        answer.data)
    assert community.qip(active).documents == []


def test_a_file_of_a_kind_not_allowed_is_refused(nina, active):
    answer = attach(nina, active, b"MZ\x90\x00", filename="setup.exe")

    assert "the file must be a PDF, Word, Excel" in text(answer.data)


def test_another_teams_draft_document_is_not_found(community, client, network):
    draft = community.draft_qip(by=network.other_nurse, title="Southern plan",
                                key_area="pathway_waits")
    document_id = community.attach_document(draft, by=network.other_nurse,
                                            filename="plan.pdf", data=PDF, title="Plan")
    log_in(client, "nina.nurse@northshire.nhs.uk")

    assert client.get(f"/qips/{draft}/documents/{document_id}").status_code == 404
    assert client.get(f"/qips/{draft}").status_code == 404


def test_a_shared_qips_document_can_be_downloaded_by_another_team(community, client, network,
                                                                  active):
    document_id = community.attach_document(active, by=network.nurse, filename="slides.pdf",
                                            data=PDF, kind="slides", title="Slides")
    log_in(client, SARA)

    assert client.get(f"/qips/{active}/documents/{document_id}").data == PDF
    assert client.get(f"/qips/{active}/documents/{uuid.uuid4()}").status_code == 404
    assert "Attach a document" not in text(client.get(f"/qips/{active}").data)
