"""A QIP page and its edit form on first use: the figures agree with each other, an
adapted plan shows what is still the other team's and cannot be submitted until the
team has made it its own, the page leads with what the viewer can do, and the edit
form grows and shrinks its rows without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import SmallNetwork
from tests.web.forms import form_on, submit
from tests.web.reading import log_in, log_out, text
from tests.web.test_qip_pages import ready_plan

NINA = "nina.nurse@northshire.nhs.uk"
SARA = "sara.south@southmoor.nhs.uk"


@pytest.fixture
def shared(community: Any, network: SmallNetwork) -> Any:
    """Southmoor's plan, accepted and shared."""
    qip_id = community.draft_qip(by=network.other_nurse, **ready_plan(title="Southern CNS clinic"))
    community.share_qip(qip_id, shared_on="2011-11-01")
    return qip_id


def adapt(client: Any, qip_id: Any) -> str:
    """Press "Adapt this QIP for my team" on the plan's page; the new draft's id."""
    response = submit(client, client.get(f"/qips/{qip_id}").data,
                      action=f"/qips/{qip_id}/adapt")
    assert response.status_code == 302
    return response.headers["Location"].split("/")[2]


# --- the two figures that disagreed ------------------------------------------------------


def test_the_adoption_count_counts_only_the_adaptations_the_viewer_can_see(
        client: Any, network: SmallNetwork, shared: Any) -> None:
    log_in(client, NINA)
    adapt(client, shared)  # Northshire's draft: private to Northshire and the organisers
    log_out(client)
    log_in(client, SARA)

    library = text(client.get("/qips?q=southern").data)
    page = text(client.get(f"/qips/{shared}").data)

    assert "No team has adapted this plan yet" in page
    assert "Not adapted by another team yet" in library
    assert "Adopted by 1 team" not in library


def test_the_adoption_count_counts_teams_not_copies(
        nina: Any, community: Any, network: SmallNetwork, shared: Any) -> None:
    adapt(nina, shared)
    adapt(nina, shared)  # the same team twice is still one team

    assert "Adopted by 1 team" in text(nina.get("/qips?q=southern").data)


def test_a_completed_qip_shows_the_day_it_was_completed_not_the_day_it_was_shared(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(by=network.nurse, **ready_plan(title="Northern clinic"))
    community.share_qip(qip_id, shared_on="2010-10-25")
    community.complete_qip(qip_id, by=network.nurse, completed_on="2012-10-24")

    page = text(nina.get(f"/qips/{qip_id}").data)

    assert "Completed on 24 October 2012" in page
    assert "Completed on 25 October 2010" not in page
    assert "Shared in the library 25 October 2010" in page


# --- adapting: make it yours --------------------------------------------------------------


def test_an_adapted_draft_tags_the_copied_parts_and_refuses_submission_naming_each(
        nina: Any, shared: Any) -> None:
    new_id = adapt(nina, shared)
    page = nina.get(f"/qips/{new_id}")
    tag = "From Southmoor lung cancer MDT’s plan — make it yours"

    assert text(page.data).count(tag) == 3  # the aim, the time frame, the measure
    assert tag in text(nina.get(f"/qips/{new_id}/edit").data)
    missing = text(page.data).split("Not ready to submit yet")[1]
    for words in ("Aim: is the aim of the plan you adapted",
                  "Time frame: is the time frame of the plan you adapted",
                  "Measure 1 baseline is not given", "Measure 1 target is the target of the plan"):
        assert words in missing
    assert "Submit for review" not in text(page.data)


def test_an_adapted_draft_made_our_own_in_the_form_can_be_submitted(
        nina: Any, shared: Any) -> None:
    new_id = adapt(nina, shared)
    edit = nina.get(f"/qips/{new_id}/edit")
    saved = submit(nina, edit.data, {
        "aim": "Raise CNS contact at diagnosis from 50% to 80% by June 2013",
        "timeframe": "June 2012 to June 2013", "measures-0-baseline": "50",
        "keep": ["measures[Patients seen by a CNS].target"]}, having="aim")
    assert saved.status_code == 302
    page = nina.get(f"/qips/{new_id}")
    assert "make it yours" not in text(page.data)

    submitted = submit(nina, page.data, action=f"/qips/{new_id}/submit")

    assert submitted.status_code == 302
    assert "Submitted for review" in text(nina.get(f"/qips/{new_id}").data)


# --- the edit form grows and shrinks without JavaScript ---------------------------------------


def test_the_draft_form_starts_with_one_row_of_each_and_adds_a_measure_keeping_what_was_typed(
        nina: Any) -> None:
    blank = nina.get("/qips/new")
    fields = form_on(blank.data, having="title").names
    assert {"measures-0-name", "changes-0-title", "changes-0-cycles-0-plan"} <= fields
    assert "measures-1-name" not in fields and "changes-1-title" not in fields

    grown = submit(nina, blank.data, {"title": "Faster CT", "measures-0-name": "Days to CT",
                                      "changes-0-title": "Straight to CT"},
                   having="title", button="add-measure")

    assert grown.status_code == 200
    form = form_on(grown.data, having="title")
    assert "measures-1-name" in form.names and "measures-2-name" not in form.names
    assert form.defaults["title"] == ["Faster CT"]
    assert form.defaults["measures-0-name"] == ["Days to CT"]
    assert form.defaults["changes-0-title"] == ["Straight to CT"]
    assert "Faster CT" not in text(nina.get("/qips").data)  # nothing saved yet


def test_adding_a_change_and_a_cycle_then_removing_a_measure_keeps_the_rest(nina: Any) -> None:
    page = nina.get("/qips/new")
    page = submit(nina, page.data, {"title": "Faster CT", "changes-0-title": "Straight to CT"},
                  having="title", button="add-change")
    page = submit(nina, page.data, {"changes-1-title": "Shared EBUS list"}, having="title",
                  button="add-cycle-1")
    page = submit(nina, page.data, {"measures-0-name": "Days to CT"}, having="title",
                  button="add-measure")
    page = submit(nina, page.data, {"measures-1-name": "Days to EBUS"}, having="title",
                  button="remove-measure-0")
    form = form_on(page.data, having="title")

    assert form.defaults["changes-1-title"] == ["Shared EBUS list"]
    assert {"changes-1-cycles-0-plan", "changes-1-cycles-1-plan"} <= form.names
    assert form.defaults["measures-0-name"] == ["Days to EBUS"]
    assert "measures-1-name" not in form.names

    saved = submit(nina, page.data, {"key_area": "diagnostics"}, having="title", button="action")
    assert saved.status_code == 302
    shown = text(nina.get(saved.headers["Location"]).data)
    assert "2. Shared EBUS list" in shown and "Days to EBUS" in shown
    assert "Days to CT" not in shown


def test_the_edit_form_shows_the_plans_own_rows_and_removes_a_change(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(by=network.nurse, **ready_plan(
        changes=[{"title": "Clinic A", "cycles": []}, {"title": "Clinic B", "cycles": []}]))
    edit = nina.get(f"/qips/{qip_id}/edit")
    form = form_on(edit.data, having="title")
    assert {"changes-1-title", "measures-0-name"} <= form.names
    assert "changes-2-title" not in form.names and "measures-1-name" not in form.names

    shown = submit(nina, edit.data, having="title", button="remove-change-0")
    saved = submit(nina, shown.data, having="title", button="action")

    assert saved.status_code == 302
    assert [c["title"] for c in community.qip(qip_id).changes] == ["Clinic B"]
