"""Searching as people type, through the rendered search and library forms: stemmed
words, abbreviations, ranking, input that must never break a page, and the status a
plan not yet shared shows in the results."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import SmallNetwork
from tests.web.conftest import OLIVE, SARA
from tests.web.forms import submit
from tests.web.reading import log_in, log_out, table, text

PLAN = {"aim": "From 60% to 80% by March 2013", "timeframe": "April 2012 to March 2013",
        "measures": [{"name": "Main measure", "unit": "%", "baseline": 60, "target": 80}]}


def shared(community: Any, by: Any, title: str, **plan: Any) -> str:
    qip_id = community.draft_qip(by=by, title=title, key_area="cns_access", **{**PLAN, **plan})
    community.share_qip(qip_id, by=by)
    return str(qip_id)


def qip_titles(page: Any) -> list[str]:
    return [row[0] for row in table(page.data, "qips")["body"]]


def search_for(client: Any, typed: str) -> Any:
    return submit(client, client.get("/search").data, {"q": typed}, action="/search")


def test_the_search_box_finds_nurse_led_clinics_for_nurse_led_clinic(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    shared(community, network.other_nurse, "Nurse-led clinics for follow-up")
    shared(community, network.lead, "Faster reporting of scans")

    page = search_for(nina, "nurse led clinic")

    assert page.status_code == 200
    assert qip_titles(page) == ["Nurse-led clinics for follow-up"]


def test_an_abbreviation_finds_the_long_form_with_title_matches_first(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    shared(community, network.lead, "Patient letters",
           aim="A holistic needs assessment for 80% by March 2013")
    shared(community, network.other_nurse, "Holistic needs assessment at diagnosis")

    page = search_for(nina, "HNA")

    assert qip_titles(page) == ["Holistic needs assessment at diagnosis", "Patient letters"]


def test_the_librarys_text_filter_searches_the_same_way(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    shared(community, network.other_nurse, "Endobronchial ultrasound within a week")
    shared(community, network.lead, "Faster reporting of scans")

    page = submit(nina, nina.get("/qips").data, {"q": "EBUS"}, action="/qips")

    assert page.status_code == 200
    seen = text(page.data)
    assert "Endobronchial ultrasound within a week" in seen
    assert "Faster reporting of scans" not in seen


@pytest.mark.parametrize("typed", ['"', '"nurse', "nurse*", "-", "NEAR(", "nurse OR",
                                   "((", "'; --", "%_\\", "x" * 1000, "nurse " * 150])
def test_nothing_typed_breaks_the_search_or_the_library(nina: Any, typed: str) -> None:
    searched = search_for(nina, typed)
    browsed = submit(nina, nina.get("/qips").data, {"q": typed}, action="/qips")

    assert browsed.status_code == 200
    if len(typed) > 200:
        assert searched.status_code == 400
        assert "Enter 200 characters or fewer" in text(searched.data)
    else:
        assert searched.status_code == 200


def test_a_submitted_plan_is_not_labelled_shared_and_only_its_team_and_organisers_see_it(
        client: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(by=network.nurse, title="Rapid access lung clinic",
                                 key_area="pathway_waits", **PLAN)
    community.submit_qip(qip_id, by=network.nurse)

    log_in(client, "nina.nurse@northshire.nhs.uk")
    status = table(search_for(client, "rapid clinic").data, "qips")["body"][0][3]
    assert status.startswith("Submitted for review")
    assert "Not shared yet" in status and "Shared on" not in status
    log_out(client)

    log_in(client, OLIVE)
    assert qip_titles(search_for(client, "rapid clinic")) == ["Rapid access lung clinic"]
    log_out(client)

    log_in(client, SARA)
    assert "No results for “rapid clinic”" in text(search_for(client, "rapid clinic").data)


def test_a_shared_plan_says_when_it_was_shared(nina: Any, community: Any,
                                               network: SmallNetwork) -> None:
    shared(community, network.other_nurse, "Nurse-led clinics for follow-up")

    status = table(search_for(nina, "clinics").data, "qips")["body"][0][3]

    assert status.startswith("Active") and "Shared on" in status
