"""QIP pages as a team and the organisers use them: drafting, what is missing before
review, the review with comments beside the parts, revising, sharing, adapting another
team's plan, the library's filters and a plan's history.

Forms are submitted as the page renders them (tests/web/forms.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.builders import PASSWORD, SmallNetwork
from tests.spying import spy
from tests.web.forms import form_on, submit
from tests.web.reading import links, log_in, log_out, table, text

NINA = "nina.nurse@northshire.nhs.uk"
SARA = "sara.south@southmoor.nhs.uk"
OLIVE = "olive.organiser@example.org"
WANDA = "wanda.west@westfield.nhs.uk"
AIM = "Raise the share of patients who meet a CNS at diagnosis from 61% to 80% by March 2012."


def location(response: Any) -> str:
    return response.headers["Location"]


def post(client: Any, path: str, page_path: str, **data: Any) -> Any:
    """Open ``page_path``, fill in its form that posts to ``path`` and send it."""
    return submit(client, client.get(page_path).data, data, action=path)


def ready_plan(**changes: Any) -> dict[str, Any]:
    return {"title": "Nurse specialist at every diagnosis", "key_area": "cns_access",
            "aim": AIM, "timeframe": "October 2011 to March 2012",
            "measures": [{"name": "Patients seen by a CNS", "unit": "%", "baseline": 61,
                          "target": 80, "direction": "up"}], **changes}


@pytest.fixture
def submitted(community: Any, network: SmallNetwork) -> Any:
    """Northshire's plan, submitted for review."""
    qip_id = community.draft_qip(by=network.nurse, **ready_plan())
    community.submit_qip(qip_id, by=network.nurse)
    return qip_id


@pytest.fixture
def shared(community: Any, network: SmallNetwork) -> Any:
    """Southmoor's plan, accepted and shared, with values rising month on month."""
    qip_id = community.draft_qip(by=network.other_nurse, obstacles=["staffing"],
                                 **ready_plan(title="Southern CNS clinic"))
    community.share_qip(qip_id, shared_on="2011-11-01")
    for month, value in enumerate((62, 64, 66, 68, 70, 72), start=1):
        community.record_progress(qip_id, by=network.other_nurse,
                                  measure="Patients seen by a CNS", value=value,
                                  recorded_on=f"2012-{month:02d}-01")
    return qip_id


# --- drafting -------------------------------------------------------------------------


def test_a_draft_with_missing_parts_is_saved_and_says_what_is_missing(nina: Any) -> None:
    response = post(nina, "/qips/new", "/qips/new", title="Better CNS access",
                    key_area="cns_access", aim="Better CNS access for patients")
    assert response.status_code == 302
    page = nina.get(location(response))
    seen = text(page.data)
    assert "Your draft QIP has been saved" in seen
    assert "Advice on your aim: a specific aim says how much" in seen
    assert "Not ready to submit yet" in seen
    assert "Aim: the aim should say how much (a number, such as from 60% to 80%) and by when" \
        in seen
    assert "Time frame: give a time frame" in seen
    assert "Measures: add at least one measure with a baseline and a target" in seen
    assert "Submit for review" not in seen
    assert "Draft: only your team and the organisers can see it" in seen


def test_bad_input_names_each_field_and_keeps_what_was_typed(nina: Any) -> None:
    response = post(nina, "/qips/new", "/qips/new", title="", key_area="cns_access",
                    aim="Kept aim", **{"measures-0-name": "Days to CT",
                                       "measures-0-baseline": "about ten"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = links(html)
    assert summary["Title is required"] == "#title"
    assert summary["Measure 1 baseline must be a number"] == "#measures-0-baseline"
    assert re.search(r'<input[^>]*id="measures-0-baseline"[^>]*value="about ten"', html)
    assert "Kept aim" in html
    assert "<title>Error:" in html


def test_a_plan_with_changes_cycles_members_and_tags_shows_every_part(
        nina: Any, network: SmallNetwork) -> None:
    response = post(nina, "/qips/new", "/qips/new", title="CNS at diagnosis",
                    key_area="cns_access", aim=AIM, timeframe="Winter 2011",
                    owner_id=str(network.lead), member_ids=[str(network.nurse)],
                    **{"changes-0-title": "Nurse at the MDT clinic",
                       "changes-0-cycles-0-plan": "Try one clinic",
                       "changes-0-cycles-0-happened": "Twelve patients seen",
                       "changes-0-cycles-0-learned": "Book the room",
                       "measures-0-name": "Patients seen by a CNS",
                       "measures-0-definition": "Seen at diagnosis, out of all diagnosed",
                       "measures-0-unit": "%", "measures-0-baseline": "61",
                       "measures-0-target": "80", "measures-0-direction": "up",
                       "obstacles": ["staffing", "it"], "obstacle_notes": "Rota gaps",
                       "enablers": ["senior_managers"], "lessons": "Start small"})
    assert response.status_code == 302
    page = nina.get(location(response))
    seen = text(page.data)
    for part in ("Liam Lead, Clinical lead", "Nina Nurse", "Winter 2011", AIM,
                 "1. Nurse at the MDT clinic", "Try one clinic", "Twelve patients seen",
                 "Book the room", "Seen at diagnosis, out of all diagnosed", "Staffing", "IT",
                 "Rota gaps", "Senior managers", "Start small",
                 "No team has adapted this plan yet"):
        assert part in seen, part
    assert "Submit for review" in seen

    edit = nina.get(f"{location(response)}/edit")
    form = form_on(edit.data, f"{location(response)}/edit")
    assert form.data({})["changes-0-cycles-0-learned"] == "Book the room"
    assert "changes-0-cycles-1-plan" not in form.names  # more come with "Add" buttons
    assert "changes-1-title" not in form.names


def test_submitting_an_unready_plan_is_refused_with_the_list(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(by=network.nurse, title="Half a plan", key_area="cns_access")
    assert "Submit for review" not in text(nina.get(f"/qips/{qip_id}").data)
    # The page offers no Submit button until the plan is ready, so only a forged post
    # gets here: the Submit form of a ready plan's page, sent for this one.
    ready = community.draft_qip(by=network.nurse, **ready_plan())
    body = form_on(nina.get(f"/qips/{ready}").data, f"/qips/{ready}/submit").data({})
    response = nina.post(f"/qips/{qip_id}/submit", data=body)
    assert response.status_code == 400
    seen = text(response.data)
    assert "There is a problem" in seen
    assert "Aim: say what you will improve, by how much and by when" in seen
    assert "Time frame: give a time frame" in seen
    assert community.qip(qip_id).status.value == "draft"


# --- review -------------------------------------------------------------------------------


def test_the_review_journey_comments_beside_the_aim_revise_resubmit_accept(
        client: Any, community: Any, network: SmallNetwork, submitted: Any) -> None:
    log_in(client, OLIVE)
    queue = client.get("/organise/reviews")
    assert table(queue.data, "review-queue")["body"][0][:2] == [
        "Nurse specialist at every diagnosis", "Northshire lung cancer MDT (North West)"]
    review = client.get(f"/qips/{submitted}/review")
    assert "Comment on the aim (optional)" in text(review.data)
    response = submit(client, review.data, {
        "comment-aim": "Say which patients: all newly diagnosed?",
        "decision": "request_changes"}, action=f"/qips/{submitted}/review")
    assert response.status_code == 302
    log_out(client)

    log_in(client, NINA)
    page = client.get(f"/qips/{submitted}").get_data(as_text=True)
    aim_part = re.search(r'id="part-aim">(.*?)</div>\s*</div>', page, flags=re.S).group(1)
    assert "Say which patients: all newly diagnosed?" in text(aim_part)
    assert "Changes requested" in text(page)
    edit = client.get(f"/qips/{submitted}/edit")
    assert "Say which patients: all newly diagnosed?" in text(edit.data)
    assert submit(client, edit.data, {
        "aim": "Raise the share of all newly diagnosed patients who meet a CNS from 61% to "
               "80% by March 2012."}, action=f"/qips/{submitted}/edit").status_code == 302
    response = post(client, f"/qips/{submitted}/submit", f"/qips/{submitted}")
    assert response.status_code == 302
    assert "Submitted for review" in text(client.get(f"/qips/{submitted}").data)
    log_out(client)

    log_in(client, OLIVE)
    review = client.get(f"/qips/{submitted}/review")
    response = submit(client, review.data, {"decision": "accept"},
                      action=f"/qips/{submitted}/review")
    assert response.status_code == 302
    seen = text(client.get(f"/qips/{submitted}").data)
    assert "Active: accepted and shared in the library" in seen
    assert "No QIPs are waiting for review" in text(client.get("/organise/reviews").data)


def test_requesting_changes_without_a_comment_says_what_to_do(
        olive: Any, submitted: Any) -> None:
    review = olive.get(f"/qips/{submitted}/review")
    response = submit(olive, review.data, {"decision": "request_changes"},
                      action=f"/qips/{submitted}/review")
    assert response.status_code == 400
    assert "Say what needs to change, beside the field it is about" in text(response.data)


def test_participants_cannot_review(nina: Any, submitted: Any) -> None:
    assert nina.get(f"/qips/{submitted}/review").status_code == 403
    assert nina.get("/organise/reviews").status_code == 403
    # Nina is never shown the review form: a forged post with the field it has.
    body = form_on(nina.get(f"/qips/{submitted}").data, "/logout").data({})
    response = nina.post(f"/qips/{submitted}/review", data={**body, "decision": "accept"})
    assert response.status_code == 403
    assert "QIP reviews" not in links(nina.get("/qips").data)


def test_organisers_reach_the_reviews_from_their_hub(olive: Any) -> None:
    assert links(olive.get("/qips").data)["Organise"] == "/organise"
    assert links(olive.get("/organise").data)["QIP reviews"] == "/organise/reviews"


@pytest.mark.parametrize("path", ["/qips/new", "/organise/reviews"])
def test_logged_out_visits_are_sent_to_log_in(client: Any, network: SmallNetwork,
                                              path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert location(response).startswith("/login")


def test_logged_out_qip_pages_redirect(client: Any, submitted: Any) -> None:
    for path in (f"/qips/{submitted}/history", f"/qips/{submitted}/edit"):
        assert location(client.get(path)).startswith("/login")


# --- editing ------------------------------------------------------------------------------


def test_a_stale_edit_is_a_409_that_keeps_what_was_typed(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(by=network.nurse, **ready_plan())
    edit = nina.get(f"/qips/{qip_id}/edit")
    community.revise_qip(qip_id, by=network.lead, timeframe="Changed meanwhile")
    response = submit(nina, edit.data, {"lessons": "My carefully typed lessons"},
                      action=f"/qips/{qip_id}/edit")
    assert response.status_code == 409
    seen = text(response.data)
    assert "Someone else saved this QIP after you opened this form" in seen
    assert "My carefully typed lessons" in seen
    assert community.qip(qip_id).lessons == ""


def test_another_teams_member_cannot_edit(client: Any, community: Any,
                                          network: SmallNetwork) -> None:
    qip_id = community.draft_qip(by=network.nurse, **ready_plan())
    community.share_qip(qip_id)
    log_in(client, SARA)
    assert client.get(f"/qips/{qip_id}/edit").status_code == 403
    seen = text(client.get(f"/qips/{qip_id}").data)
    assert "Edit this QIP" not in seen
    assert "Adapt this QIP for my team" in seen


# --- the library ------------------------------------------------------------------------


def titles_on(page: Any) -> list[str]:
    return [text(t).replace(" Not shared yet", "") for t in re.findall(
        r'<h3 class="nhsuk-card__heading[^"]*">(.*?)</h3>', page.get_data(as_text=True),
        flags=re.S)]


def test_the_library_filters_by_region_obstacle_outcome_and_status(
        nina: Any, shared: Any, submitted: Any) -> None:
    everything = nina.get("/qips")
    assert sorted(titles_on(everything)) == ["Nurse specialist at every diagnosis",
                                             "Southern CNS clinic"]
    seen = text(everything.data)
    assert "Submitted for review" in seen and "Active" in seen
    assert "Patients seen by a CNS: baseline 61% → latest 72% → target 80%" in seen
    assert titles_on(nina.get("/qips?region=South West")) == ["Southern CNS clinic"]
    assert titles_on(nina.get("/qips?obstacle=staffing")) == ["Southern CNS clinic"]
    assert titles_on(nina.get("/qips?outcome=improved")) == ["Southern CNS clinic"]
    assert titles_on(nina.get("/qips?outcome=not_improved")) == [
        "Nurse specialist at every diagnosis"]
    assert titles_on(nina.get("/qips?status=submitted")) == [
        "Nurse specialist at every diagnosis"]
    empty = nina.get("/qips?region=South West&obstacle=budget")
    assert "No QIPs match your search" in text(empty.data)


def test_members_see_only_shared_plans_and_their_own_organisers_see_all(
        client: Any, shared: Any, submitted: Any) -> None:
    log_in(client, SARA)
    assert titles_on(client.get("/qips")) == ["Southern CNS clinic"]
    assert client.get(f"/qips/{submitted}").status_code == 404
    log_out(client)
    log_in(client, OLIVE)
    assert len(titles_on(client.get("/qips"))) == 2


# --- adapting ---------------------------------------------------------------------------


def test_adapting_makes_a_linked_draft_and_the_source_shows_the_adoption(
        nina: Any, community: Any, shared: Any) -> None:
    response = post(nina, f"/qips/{shared}/adapt", f"/qips/{shared}")
    assert response.status_code == 302
    assert location(response).endswith("/edit")
    edit = nina.get(location(response))
    assert "adapted from “Southern CNS clinic” by Southmoor lung cancer MDT" in text(edit.data)
    new_id = location(response).split("/")[2]
    draft = text(nina.get(f"/qips/{new_id}").data)
    assert "Adapted from Southern CNS clinic by Southmoor lung cancer MDT" in draft
    source = nina.get(f"/qips/{shared}")
    assert "Northshire lung cancer MDT (North West) · Draft" in text(source.data)
    assert "Adopted by 1 team" in text(nina.get("/qips?q=southern").data)


def test_each_reader_sees_the_adaptations_theirs_to_see_whoever_read_the_page_first(
        client: Any, community: Any, network: SmallNetwork, shared: Any) -> None:
    """A plan's page is kept per kind of reader: Northshire's draft adaptation shows on
    the source's page to Northshire and the organisers only, and the draft itself to
    Northshire, in whatever order people read them."""
    west = community.register_team(name="Westfield lung cancer MDT", trust="Westfield NHS Trust",
                                   region="South West", latitude=51.0, longitude=-2.6,
                                   caseload=200)
    community.join(email=WANDA, name="Wanda West", role="clinical_lead", team_id=west,
                   password=PASSWORD)
    draft = community.adapt_qip(shared, by=network.nurse)
    listed = "Northshire lung cancer MDT (North West) · Draft"

    def reads(email: str) -> tuple[bool, int]:
        log_in(client, email)
        source = text(client.get(f"/qips/{shared}").data)
        status = client.get(f"/qips/{draft}").status_code
        log_out(client)
        return listed in source, status

    seen = [reads(email) for email in (WANDA, NINA, WANDA, OLIVE, SARA, NINA)]

    assert seen == [(False, 404), (True, 200), (False, 404), (True, 200), (False, 404),
                    (True, 200)]


def test_a_plans_page_is_read_again_when_the_plan_changes_not_when_a_contact_is_made(
        nina: Any, community: Any, network: SmallNetwork, shared: Any, monkeypatch: Any) -> None:
    nina.get(f"/qips/{shared}")
    reads = spy(monkeypatch, community.views.library, "qip")

    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="CNS clinics")
    after_contact = nina.get(f"/qips/{shared}")
    community.record_progress(shared, by=network.other_nurse, measure="Patients seen by a CNS",
                              value=77, recorded_on="2012-07-01")
    after_value = text(nina.get(f"/qips/{shared}").data)

    assert after_contact.status_code == 200 and "77%" not in text(after_contact.data)
    assert "77%" in after_value
    assert reads == [str(shared)]  # once: for the value, not for the contact


# --- history ------------------------------------------------------------------------------


def test_the_history_shows_the_original_aim_after_a_revision(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(by=network.nurse, **ready_plan())
    community.share_qip(qip_id, shared_on="2011-11-01")
    community.record_progress(qip_id, by=network.nurse, measure="Patients seen by a CNS",
                              value=72, recorded_on="2012-01-01")
    community.revise_qip(qip_id, by=network.nurse, aim="Reach 70% of patients by 2013.",
                         measures=[{"name": "Patients seen by a CNS", "unit": "%",
                                    "baseline": 61, "target": 70, "direction": "up"}])
    page = nina.get(f"/qips/{qip_id}/history")
    assert page.status_code == 200
    drift = table(page.data, "plan-drift")
    assert drift["head"][0][1] == "The plan as first shared, 1 November 2011"
    aim_row = next(row for row in drift["body"] if row[0].startswith("Aim"))
    assert aim_row == ["Aim Changed", AIM, "Reach 70% of patients by 2013."]
    seen = text(page.data)
    assert "Target moved to meet the results" in seen
    assert table(page.data, "against-targets")["body"] == [
        ["Patients seen by a CNS", "72%", "80%", "70%", "Oversold: meets only the moved target"]]
    timeline = table(page.data, "timeline")["body"]
    assert timeline[0][:3] == [timeline[0][0], "Nina Nurse", "Drafted"]
    assert any("Revised the aim, measures" in row[2] and AIM in row[2] for row in timeline)


def test_review_comments_in_the_history_are_for_the_team_and_the_organisers_only(
        client: Any, community: Any, network: SmallNetwork) -> None:
    # Issue 13: the page showed the organisers' comments to every member, while the
    # API's history hid them; both now ask the same rule.
    qip_id = community.draft_qip(by=network.nurse, **ready_plan())
    community.submit_qip(qip_id, by=network.nurse)
    community.review_qip(qip_id, by=network.organiser, decision="request_changes",
                         comments={"aim": "Say which patients the aim is about"})
    community.submit_qip(qip_id, by=network.nurse)
    community.review_qip(qip_id, by=network.organiser, decision="accept")
    comment = "Say which patients the aim is about"
    for email, sees in ((SARA, False), (NINA, True), (OLIVE, True)):
        assert log_in(client, email).status_code == 302
        page = client.get(f"/qips/{qip_id}/history")
        assert page.status_code == 200
        assert (comment in text(page.data)) is sees, email
        log_out(client)


def test_a_long_history_shows_its_timeline_a_page_at_a_time(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    # Issue 13: no page renders an unbounded list; a plan's timeline grows with every change.
    qip_id = community.draft_qip(by=network.nurse, **ready_plan())
    for n in range(60):
        community.revise_qip(qip_id, by=network.nurse, title=f"Nurse specialist, take {n}")
    first = nina.get(f"/qips/{qip_id}/history")
    assert len(table(first.data, "timeline")["body"]) == 50
    assert "Showing 1–50 of 61 changes" in text(first.data)
    rest = nina.get(links(first.data)["Next page"])
    rows = table(rest.data, "timeline")["body"]
    assert len(rows) == 11 and "take 59" in rows[-1][2]
