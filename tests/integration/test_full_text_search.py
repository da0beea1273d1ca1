"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector): stemming, the field's
abbreviations, ranking, input that must never break the query, who sees plans not
yet shared, and the index kept up to date and rebuilt from the log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from community import Community
from projections.search import search
from tests.builders import SmallNetwork, small_network
from tests.integration.snapshots import view_tables

PLAN = {"aim": "From 60% to 80% by March 2013", "timeframe": "April 2012 to March 2013",
        "measures": [{"name": "Main measure", "unit": "%", "baseline": 60, "target": 80}]}


@pytest.fixture
def net(app: Community) -> SmallNetwork:
    return small_network(app)


def qip(app: Community, by: UUID, title: str, shared: bool = True, **plan: Any) -> str:
    qip_id = app.draft_qip(by=by, title=title, key_area=plan.pop("key_area", "cns_access"),
                           **{**PLAN, **plan})
    if shared:
        app.share_qip(qip_id, by=by)
    return str(qip_id)


def titles(app: Community, q: str, **kwargs: Any) -> list[str]:
    return [item["title"] for item in search(app.views, q, kind="qips", **kwargs)
            .groups["qips"].items]


def library_titles(app: Community, q: str, **kwargs: Any) -> list[str]:
    rows, _ = app.views.library.qips(viewer_team_id=kwargs.pop("viewer_team_id", None),
                                     q=q, **kwargs)
    return [row["title"] for row in rows]


def test_words_are_stemmed_so_nurse_led_clinic_finds_the_nurse_led_clinics(
        app: Community, net: SmallNetwork) -> None:
    qip(app, net.nurse, "Nurse-led clinics for follow-up")
    qip(app, net.other_nurse, "Running nurse led clinic after diagnosis")
    qip(app, net.lead, "Faster CT reporting")

    for query in ("nurse led clinic", "nurse-led clinics", "Nurse Led CLINIC"):
        assert sorted(titles(app, query)) == ["Nurse-led clinics for follow-up",
                                              "Running nurse led clinic after diagnosis"]
        assert sorted(library_titles(app, query)) == sorted(titles(app, query))


@pytest.mark.parametrize("typed, meant", [
    ("HNA", "Holistic needs assessment at diagnosis"),
    ("holistic needs assessments", "Every patient offered an HNA"),
    ("EBUS", "Endobronchial ultrasound within 7 days"),
    ("endobronchial ultrasound", "Local EBUS service"),
    ("SABR", "Stereotactic ablative radiotherapy for early disease"),
    ("MDT meeting", "A multidisciplinary team meeting that runs to time"),  # teams are MDTs
    ("clinical nurse specialist", "CNS present at every diagnosis"),
    ("CNS", "A lung cancer nurse specialist for every patient"),
    ("PDSA", "Plan do study act cycles on the ward"),
    ("NSCLC", "Pathology for non-small cell lung cancer"),
])
def test_abbreviations_find_their_long_forms_and_the_other_way_round(
        app: Community, net: SmallNetwork, typed: str, meant: str) -> None:
    qip(app, net.nurse, meant)
    qip(app, net.lead, "Something else entirely")

    assert titles(app, typed) == [meant]
    assert library_titles(app, typed) == [meant]


def test_the_whole_plan_is_searched_and_title_matches_rank_above_body_matches(
        app: Community, net: SmallNetwork) -> None:
    qip(app, net.lead, "Audit data completeness", aim="Biopsy results in the audit from "
        "60% to 90% by March 2013; biopsy dates checked")
    qip(app, net.nurse, "Biopsy within two weeks")
    qip(app, net.other_nurse, "Shorter waits", changes=[{
        "title": "Book the biopsy at the MDT", "cycles": [{"plan": "Try for a month",
                                                            "happened": "", "learned": ""}]}])

    found = titles(app, "biopsy")
    assert found[0] == "Biopsy within two weeks"
    assert sorted(found[1:]) == ["Audit data completeness", "Shorter waits"]
    assert library_titles(app, "biopsies")[0] == "Biopsy within two weeks"


def test_revisions_and_documents_are_found_as_soon_as_they_are_recorded(
        app: Community, net: SmallNetwork) -> None:
    qip_id = qip(app, net.nurse, "Patient letters", shared=False)
    assert titles(app, "leaflet", viewer_team_id=str(net.north)) == []

    app.revise_qip(qip_id, by=net.nurse, title="Patient leaflets and letters")
    assert titles(app, "leaflet", viewer_team_id=str(net.north)) == ["Patient leaflets and letters"]
    assert titles(app, "letter", viewer_team_id=str(net.north)) == ["Patient leaflets and letters"]

    app.attach_document(qip_id, by=net.nurse, filename="notes.txt", data=b"notes",
                        declared_type="text/plain", title="Bronchoscopy booking template")
    assert titles(app, "bronchoscopy template", viewer_team_id=str(net.north)) == [
        "Patient leaflets and letters"]


def test_rebuilding_the_view_from_the_log_finds_the_same(app: Community,
                                                         net: SmallNetwork) -> None:
    qip(app, net.nurse, "Holistic needs assessment clinic")
    before = search(app.views, "HNA nurse")

    app.views.rebuild(["search"])
    after = search(app.views, "HNA nurse")

    assert [g.items for g in after.groups.values()] == [g.items for g in before.groups.values()]
    assert after.groups["qips"].total == 1


def test_a_replay_writes_each_document_as_one_change_at_a_time_did(
        app: Community, net: SmallNetwork) -> None:
    """A replay holds a document's rewrites to the end of its page, the last one
    winning: answers, edits, hidden posts and plan changes in one page end as they
    did one command (and one page) at a time."""
    plan = qip(app, net.nurse, "Holistic needs assessment clinic")
    app.revise_qip(plan, by=net.nurse, lessons="Book the room a month ahead")
    app.attach_document(plan, by=net.nurse, filename="notes.txt", data=b"notes",
                        declared_type="text/plain", title="Clinic template")
    app.attach_document(plan, by=net.nurse, filename="more.txt", data=b"more",
                        declared_type="text/plain", title="Referral letter")
    asked = app.ask_question(by=net.nurse, title="Who runs an EBUS list?", body="In April",
                             key_areas=["diagnostics"])
    first = app.answer_question(asked, by=net.other_nurse, body="Our bronchoscopist")
    app.answer_question(asked, by=net.lead, body="Ask the radiologists")
    app.edit_answer(asked, first, by=net.other_nurse, body="Our bronchoscopist, Tuesdays")
    app.hide_post(asked, answer_id=first, by=net.organiser, reason="Names a patient")
    app.edit_question(asked, by=net.nurse, title="Who runs an EBUS service?",
                      body="From April", key_areas=["diagnostics"])
    hidden = app.ask_question(by=net.lead, title="Spare question", body="Nothing",
                              key_areas=["diagnostics"])
    app.answer_question(hidden, by=net.nurse, body="Spare answer")
    app.hide_post(hidden, by=net.organiser, reason="Duplicate")
    one_at_a_time = view_tables(app)["search_documents"]
    assert search(app.views, "radiologists").groups["questions"].total == 1
    assert search(app.views, "Tuesdays").groups["questions"].total == 0

    app.views.rebuild(["search"])  # every event above in one page

    assert view_tables(app)["search_documents"] == one_at_a_time
    assert search(app.views, "radiologists").groups["questions"].total == 1
    assert search(app.views, "Tuesdays").groups["questions"].total == 0
    assert search(app.views, "referral template").groups["qips"].total == 1


@pytest.mark.parametrize("typed", [
    '"', '""', '"nurse', "nurse*", "*", "-nurse", "nurse -clinic", "NEAR(nurse clinic)",
    "nurse OR clinic", "nurse AND", "NOT", "title:nurse", "{title}: nurse", "^nurse",
    "nurse)", "(((", "'; DROP TABLE search_documents; --", "%", "_", "\\", "nurse:*",
    "nurse & !clinic", "a <-> b", "ñurse ünïcode 看護", "nurse " * 200, "x" * 1000,
])
def test_nothing_typed_breaks_the_query(app: Community, net: SmallNetwork, typed: str) -> None:
    qip(app, net.nurse, "Nurse-led clinics")

    found = search(app.views, typed)
    library_titles(app, typed)

    assert found.total >= 0
    assert search(app.views, "nurse clinic").groups["qips"].total == 1


def test_operator_words_are_words_not_operators(app: Community, net: SmallNetwork) -> None:
    qip(app, net.nurse, "Nurse-led clinics")
    qip(app, net.lead, "Faster CT reporting")

    assert titles(app, "clinics OR faster") == []  # "or" is a common word, left out
    assert titles(app, "NEAR clinics") == []  # "near" is just a word here
    assert titles(app, "clinic -nurse") == ["Nurse-led clinics"]


# --- who sees a plan not yet shared --------------------------------------------------


def test_a_submitted_plan_shows_to_its_team_and_the_organisers_only(
        app: Community, net: SmallNetwork) -> None:
    qip_id = app.draft_qip(by=net.nurse, title="Rapid access lung clinic",
                           key_area="pathway_waits", **PLAN)
    app.submit_qip(qip_id, by=net.nurse)

    team = search(app.views, "rapid clinic", viewer_team_id=str(net.north))
    organiser = search(app.views, "rapid clinic", organiser=True)
    other_team = search(app.views, "rapid clinic", viewer_team_id=str(net.south))

    assert [(q["id"], q["status"], q["shared_on"]) for q in team.groups["qips"].items] == [
        (str(qip_id), "submitted", None)]
    assert [q["id"] for q in organiser.groups["qips"].items] == [str(qip_id)]
    assert other_team.groups["qips"].total == 0
    assert search(app.views, None, key_area="pathway_waits",
                  viewer_team_id=str(net.south)).total == 0


# --- names that are common words -------------------------------------------------------


def test_a_name_that_is_a_common_word_finds_its_people_and_teams_but_no_plan(
        app: Community, net: SmallNetwork) -> None:
    will = app.join(email="will.able@northshire.nhs.uk", name="Will Able",
                    role="clinical_lead", team_id=net.north, password="x" * 12)
    app.join(email="don.may@southmoor.nhs.uk", name="Dón May", role="clinical_lead",
             team_id=net.south, password="x" * 12)
    qip(app, net.nurse, "Patients will be seen within 14 days")

    def people(q: str) -> list[str]:
        return [p["name"] for p in search(app.views, q).groups["people"].items]

    for typed in ("Will", "will", "WILL", "wil"):
        assert people(typed) == ["Will Able"]
        rows, total = app.views.directory.members(q=typed)
        assert [row["id"] for row in rows] == [str(will)] and total == 1
    assert people("Don") == ["Dón May"] == people("dón")  # accents folded both ways
    assert people("will don") == []  # every word, as for any other word
    assert search(app.views, "will").groups["qips"].total == 0  # names only
    assert people("Will Able") == ["Will Able"]  # with other words: as before
