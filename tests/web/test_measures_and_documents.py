"""A team measuring its QIP and attaching documents in the pages: recording a value
(every post through the form as rendered), correcting or withdrawing one, uploading a
CSV of values (all or none, problems named by line and field), the chart with its
improvement points marked, and documents uploaded and downloaded safely."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import pytest
from werkzeug.http import parse_options_header

from community.documents import MAX_DOCUMENT_BYTES
from tests.builders import SmallNetwork
from tests.web.forms import form_on, submit
from tests.web.reading import csrf_token, links, log_in, table, text

SARA = "sara.south@southmoor.nhs.uk"
PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
MEASURE = "CNS at diagnosis"
# Twelve monthly values: six low, then six high, a shift above the median.
SHIFTED = [(date(2012, month, 28), value) for month, value in zip(
    range(1, 13), [60, 62, 61, 59, 63, 60, 72, 74, 75, 73, 76, 78], strict=True)]


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


def page_of(client: Any, qip_id: str) -> bytes:
    return client.get(f"/qips/{qip_id}").data


def record(client: Any, qip_id: str, day: str, month: str, year: str, value: str,
           measure: str = MEASURE, page: bytes | None = None) -> Any:
    """Fill in the QIP page's record-value form as a person does, and send it."""
    return submit(client, page or page_of(client, qip_id), {
        "measure": measure, "date[day]": day, "date[month]": month, "date[year]": year,
        "value": value}, action=f"/qips/{qip_id}/progress", follow_redirects=True)


def csv_upload(client: Any, qip_id: str, content: str, **form: str) -> Any:
    return submit(client, page_of(client, qip_id), form, id="progress-upload-form",
                  files={"file": (content.encode(), "values.csv")})


def attach(client: Any, qip_id: str, data: bytes, filename: str = "business case.pdf",
           follow_redirects: bool = True) -> Any:
    return submit(client, page_of(client, qip_id), {"title": "Business case",
                                                     "kind": "business_case"},
                  action=f"/qips/{qip_id}/documents", files={"file": (data, filename)},
                  follow_redirects=follow_redirects)


def recorded(community: Any, qip_id: str) -> list[tuple[str, float]]:
    return [(p["date"].isoformat(), p["value"]) for p in community.qip(qip_id).progress]


def beside_the_form(html: bytes) -> str:
    """What the record-value section says: the feedback is there, not at the page's top."""
    found = re.search(r'<div class="record-progress" id="record-progress">(.*?)<h3[ >]',
                      html.decode(), flags=re.S)
    assert found, "no record-value section with feedback above its form"
    return text(found.group(1))


def summary(html: str | bytes) -> dict[str, str]:
    """The error summary's links: the field each goes to, and what it says."""
    page = html.decode() if isinstance(html, bytes) else html
    found = re.search(r'nhsuk-error-summary__list"[^>]*>(.*?)</ul>', page, flags=re.S)
    assert found, "no error summary on the page"
    return {href: text(said).strip() for href, said in re.findall(
        r'<a href="(#[^"]*)"\s*>(.*?)</a>', found.group(1), flags=re.S)}


def chart_points(html: bytes) -> list[tuple[str, float]]:
    """The points of the chart drawn for a wide screen; the phone's copy must agree."""
    charts = re.findall(r'<svg\b.*?</svg>', html.decode(), flags=re.S)
    points = [[(d, float(v)) for d, v in re.findall(
        r'<circle [^>]*data-date="([0-9-]+)" data-value="([^"]+)"', svg)] for svg in charts]
    drawn = [p for p in points if p]
    assert all(p == drawn[0] for p in drawn), "the wide and the phone charts differ"
    return drawn[0] if drawn else []


# --- recording values -----------------------------------------------------------------------

def test_the_team_records_a_value_with_the_form_and_sees_it_as_the_latest(nina, active):
    answer = record(nina, active, "31", "5", "2013", "72")

    seen = text(answer.data)
    assert answer.status_code == 200
    assert "Recorded a value of CNS at diagnosis. 72 on 31 May 2013." in beside_the_form(
        answer.data)
    assert "72% on 31 May 2013" in seen
    assert "Values recorded (1)" in seen


def test_the_form_lands_on_its_own_section_after_recording(nina, active):
    answer = submit(nina, page_of(nina, active), {
        "measure": MEASURE, "date[day]": "31", "date[month]": "5", "date[year]": "2013",
        "value": "72"}, action=f"/qips/{active}/progress")

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/qips/{active}#record-progress")


def test_three_monthly_values_with_past_dates_show_with_those_dates(nina, community, active):
    for day, month, value in [("31", "1", "61"), ("29", "2", "64"), ("31", "3", "70")]:
        answer = record(nina, active, day, month, "2012", value)
        assert "There is a problem" not in text(answer.data)

    page = page_of(nina, active)
    assert table(page, "measure-values")["body"] == [
        ["31 March 2012", "70%", "Correct the value of 31 March 2012 Withdraw the value of "
                                 "31 March 2012"],
        ["29 February 2012", "64%", "Correct the value of 29 February 2012 Withdraw the "
                                    "value of 29 February 2012"],
        ["31 January 2012", "61%", "Correct the value of 31 January 2012 Withdraw the value "
                                   "of 31 January 2012"]]
    assert chart_points(page) == [("2012-01-31", 61.0), ("2012-02-29", 64.0),
                                  ("2012-03-31", 70.0)]
    assert "70% on 31 March 2012" in text(page)
    assert recorded(community, active) == [("2012-01-31", 61.0), ("2012-02-29", 64.0),
                                           ("2012-03-31", 70.0)]


def test_an_impossible_date_is_refused_beside_the_form_and_nothing_is_recorded(
        nina, community, active):
    answer = record(nina, active, "31", "2", "2012", "72")

    said = beside_the_form(answer.data)
    assert "There is a problem" in said
    assert "The date measured must be a real date, for example 31 3 2013" in said
    page = answer.data.decode()
    assert summary(page) == {"#progress-date-day": "The date measured must be a real date, "
                                                   "for example 31 3 2013"}
    assert 'id="progress-date-error"' in page  # the message beside the field too
    assert "<title>Error: " in page  # a screen reader hears it first
    form = form_on(page, f"/qips/{active}/progress")
    assert (form.defaults["date[day]"], form.defaults["date[month]"],
            form.defaults["date[year]"], form.defaults["value"]) == (
        ["31"], ["2"], ["2012"], ["72"])  # what was typed is kept
    assert recorded(community, active) == []
    assert chart_points(page_of(nina, active)) == []


def test_an_empty_date_is_refused_not_taken_as_today(nina, community, active):
    answer = record(nina, active, "", "", "", "72")

    assert "Enter the date measured" in beside_the_form(answer.data)
    assert recorded(community, active) == []


def test_every_problem_with_the_form_is_named_at_once(nina, community, active):
    answer = record(nina, active, "31", "", "2012", "lots")

    said = beside_the_form(answer.data)
    assert "The date measured must include a month" in said
    assert "The value must be a number" in said
    assert summary(answer.data) == {"#progress-date-day": "The date measured must include a "
                                                          "month",
                                    "#progress-value": "The value must be a number"}
    assert recorded(community, active) == []


def test_a_date_typed_with_a_superscript_digit_is_refused_not_a_500(nina, community, active):
    answer = record(nina, active, "\u00b2", "5", "2013", "72")

    assert answer.status_code == 200
    assert "The date measured must be a real date" in beside_the_form(answer.data)
    assert recorded(community, active) == []


def test_progress_on_a_stopped_qip_is_refused_with_the_reason(nina, community, network,
                                                              active):
    page = page_of(nina, active)  # opened before the team stopped the QIP
    community.stop_qip(active, by=network.nurse, reason="The service was reorganised",
                       stopped_on="2013-05-01")

    answer = record(nina, active, "31", "5", "2013", "72", page=page)

    seen = text(answer.data)
    assert "There is a problem" in seen
    assert ("The value was not recorded: this QIP was stopped on 1 May 2013; no more "
            "progress can be recorded.") in seen
    assert "Record a value" not in seen  # the form is not offered any more
    assert recorded(community, active) == []


def test_a_second_value_for_the_same_date_is_refused(nina, community, network, active):
    community.record_progress(active, by=network.nurse, measure=MEASURE, value=70,
                              recorded_on="2013-05-31")

    answer = record(nina, active, "31", "5", "2013", "72")

    assert f"{MEASURE} already has a value for 31 May 2013" in beside_the_form(answer.data)
    assert recorded(community, active) == [("2013-05-31", 70.0)]


def test_another_team_cannot_record_progress(web_app, nina, network, active):
    page = page_of(nina, active)
    sara = web_app.test_client()
    log_in(sara, SARA)

    assert "Record a value" not in text(page_of(sara, active))
    answer = submit(sara, page.decode().replace(csrf_token(page), csrf_token(
        page_of(sara, active))), {"measure": MEASURE, "date[day]": "31", "date[month]": "5",
                                  "date[year]": "2013", "value": "72"},
                    action=f"/qips/{active}/progress")

    assert answer.status_code == 403


# --- correcting and withdrawing a value -------------------------------------------------------

def test_the_team_corrects_a_value_saying_why_and_sees_it_everywhere(nina, community,
                                                                     network, active):
    community.record_series(active, by=network.nurse, measure=MEASURE,
                            values=[("2013-04-30", 70), ("2013-05-31", 27)])
    page = page_of(nina, active)
    form_page = nina.get(links(page)["Correct the value of 31 May 2013"])
    assert "Value recorded 27%" in text(form_page.data)

    answer = submit(nina, form_page.data, {"value": "72", "reason": "Typed the wrong way "
                                           "round"}, action=f"/qips/{active}/values/correct")

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/qips/{active}#measure-1")
    page = page_of(nina, active)
    assert "Corrected the value of CNS at diagnosis on 31 May 2013 to 72." in text(page)
    assert table(page, "measure-values")["body"][0][:2] == ["31 May 2013", "72%"]
    assert chart_points(page) == [("2013-04-30", 70.0), ("2013-05-31", 72.0)]
    assert "72% on 31 May 2013" in text(page)
    history = text(nina.get(f"/qips/{active}/history").data)
    assert ("Corrected the value of CNS at diagnosis on 31 May 2013 from 27% to 72%: "
            "Typed the wrong way round") in history
    assert recorded(community, active) == [("2013-04-30", 70.0), ("2013-05-31", 72.0)]


def test_a_correction_without_a_reason_is_refused_beside_the_field(nina, community, network,
                                                                   active):
    community.record_progress(active, by=network.nurse, measure=MEASURE, value=27,
                              recorded_on="2013-05-31")
    form_page = nina.get(links(page_of(nina, active))["Correct the value of 31 May 2013"])

    answer = submit(nina, form_page.data, {"value": "72", "reason": ""},
                    action=f"/qips/{active}/values/correct")

    assert answer.status_code == 400
    page = answer.data.decode()
    assert summary(page) == {"#reason": "The reason is required"}
    assert 'id="reason-error"' in page
    assert form_on(page, f"/qips/{active}/values/correct").defaults["value"] == ["72"]
    assert recorded(community, active) == [("2013-05-31", 27.0)]


def test_a_value_changed_by_someone_else_first_is_a_visible_conflict(nina, community, network,
                                                                    active):
    community.record_progress(active, by=network.nurse, measure=MEASURE, value=27,
                              recorded_on="2013-05-31")
    form_page = nina.get(links(page_of(nina, active))["Correct the value of 31 May 2013"])
    community.record_progress(active, by=network.nurse, measure=MEASURE, value=75,
                              recorded_on="2013-06-30")

    answer = submit(nina, form_page.data, {"value": "72", "reason": "Typo"},
                    action=f"/qips/{active}/values/correct")

    assert answer.status_code == 409
    assert "The value was not changed" in text(answer.data)
    assert recorded(community, active) == [("2013-05-31", 27.0), ("2013-06-30", 75.0)]


def test_the_team_withdraws_a_value_and_it_leaves_the_chart(nina, community, network, active):
    community.record_series(active, by=network.nurse, measure=MEASURE,
                            values=[("2013-04-30", 70), ("2013-05-31", 72)])
    form_page = nina.get(links(page_of(nina, active))["Withdraw the value of 30 April 2013"])

    answer = submit(nina, form_page.data, {"reason": "Recorded for the wrong measure"},
                    action=f"/qips/{active}/values/withdraw", follow_redirects=True)

    seen = text(answer.data)
    assert "Withdrew the value of CNS at diagnosis on 30 April 2013." in seen
    assert "Values recorded (1)" in seen
    assert chart_points(answer.data) == [("2013-05-31", 72.0)]
    assert ("Withdrew the value of CNS at diagnosis on 30 April 2013 (70%): Recorded for "
            "the wrong measure") in text(nina.get(f"/qips/{active}/history").data)


def test_only_the_team_is_offered_to_put_values_right(web_app, community, network, active):
    community.record_progress(active, by=network.nurse, measure=MEASURE, value=27,
                              recorded_on="2013-05-31")
    sara = web_app.test_client()
    log_in(sara, SARA)

    assert "Correct" not in links(page_of(sara, active))
    assert sara.get(f"/qips/{active}/values/correct?measure={MEASURE}&date=2013-05-31"
                    ).status_code == 403


def test_the_measures_another_team_sees_follow_each_value_and_never_show_the_teams_forms(
        web_app, nina, community, network, active):
    """Another team's members all see a plan's measures alike (drawn once while
    nothing changes); the team still gets its forms, and a new value shows to all."""
    sara = web_app.test_client()
    log_in(sara, SARA)
    before = text(page_of(sara, active))
    team_sees = page_of(nina, active)
    record(nina, active, "31", "5", "2013", "27", page=team_sees)
    after = page_of(sara, active)

    assert "No values recorded yet." in before and "Record a value" not in before
    assert "Record a value" in text(team_sees)
    assert "27% on 31 May 2013" in text(after) and "Record a value" not in text(after)
    assert not corrects(links(after)) and corrects(links(page_of(nina, active)))


def corrects(found: dict[str, str]) -> list[str]:
    """The "Correct the value of …" links."""
    return [name for name in found if name.startswith("Correct")]


def test_another_team_pages_through_a_long_series_too(
        web_app, community, network, active):
    community.record_series(active, by=network.nurse, measure=MEASURE,
                            values=[(date(2000 + i // 12, i % 12 + 1, 1), 50)
                                    for i in range(60)])
    sara = web_app.test_client()
    log_in(sara, SARA)
    first = page_of(sara, active)
    older = sara.get(links(first)["Older values"]).data

    assert table(first, "measure-values")["body"][0][0] == "1 December 2004"
    shown = [row[0] for row in table(older, "measure-values")["body"]]
    assert len(shown) == 10 and (shown[0], shown[-1]) == ("1 October 2000", "1 January 2000")


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


def test_a_long_series_of_values_shows_a_page_at_a_time_newest_first(
        nina: Any, community: Any, network: SmallNetwork, active: str) -> None:
    # Issue 13: the QIP page listed every value of every measure, so a plan with
    # thousands of values took seconds for every viewer. The table now pages.
    days = [date(2000 + i // 12, i % 12 + 1, 1) for i in range(130)]
    community.record_series(active, by=network.nurse, measure=MEASURE,
                            values=[(d, 50) for d in days])
    page = page_of(nina, active)

    shown = table(page, "measure-values")["body"]
    assert len(shown) == 50
    assert shown[0][0] == "1 October 2010"
    assert "Values recorded (130)" in text(page)
    older = links(page)["Older values"]
    second = table(nina.get(older).data, "measure-values")["body"]
    assert len(second) == 50 and second[0][0] == "1 August 2006"
    last = table(nina.get(links(nina.get(older).data)["Older values"]).data,
                 "measure-values")["body"]
    assert len(last) == 30 and last[-1][0] == "1 January 2000"
