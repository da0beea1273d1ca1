"""Recording a contact with a member of another team."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import fields_of, json_of


def test_recording_a_contact_is_201_with_the_contact(nurse, network):
    answer = nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                      "topic": "How do you run nurse-led clinics?"})

    contact = json_of(answer, 201)["contact"]
    assert uuid.UUID(contact["id"])
    assert contact["from_member_id"] == str(network.nurse)
    assert contact["to_member_id"] == str(network.other_nurse)
    assert contact["topic"] == "How do you run nurse-led clinics?"
    assert contact["facilitated"] is False
    assert contact["made_on"] == "2013-06-01"  # the community's today


def test_a_contact_can_say_when_it_was_made_and_that_an_organiser_facilitated_it(nurse, network):
    answer = nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                      "topic": "  Peer review follow-up  ",
                                      "made_on": "2012-02-14", "facilitated": True})

    contact = json_of(answer, 201)["contact"]
    assert (contact["made_on"], contact["facilitated"]) == ("2012-02-14", True)
    assert contact["topic"] == "Peer review follow-up"


def test_a_contact_shows_in_the_organisers_activity_figures_at_once(nurse, organiser, network):
    json_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                     "topic": "EBUS waits"}), 201)

    report = json_of(organiser.get("/sustainability"), 200)
    june = next(m for m in report["months"] if m["month"] == "2013-06")
    assert june["contacts"] == 1
    assert june["active_members"] == 2
    assert june["active_teams"] == 2


def test_a_contact_with_yourself_is_400_naming_to_member_id(nurse, network):
    fields = fields_of(nurse.post("/contacts", {"to_member_id": str(network.nurse),
                                                "topic": "Talking to myself"}))

    assert set(fields) == {"to_member_id"}


# A fixed unknown id: a random one names the test differently in each xdist process.
@pytest.mark.parametrize("to_member_id", ["9d0bcc48-0f26-4ac4-9a21-b987b60f4d59", "not-an-id", 42])
def test_a_contact_with_an_unknown_member_is_400_naming_to_member_id(nurse, to_member_id):
    fields = fields_of(nurse.post("/contacts", {"to_member_id": to_member_id, "topic": "Hello"}))

    assert set(fields) == {"to_member_id"}


def test_an_unknown_field_is_400_naming_it(nurse, network):
    fields = fields_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                                "topic": "Hello", "topik": "typo"}))

    assert set(fields) == {"topik"}


@pytest.mark.parametrize("body", [{}, {"topic": ""}, {"topic": None}])
def test_a_missing_topic_is_400_naming_topic(nurse, network, body):
    fields = fields_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                                **body}))

    assert set(fields) == {"topic"}


def test_a_blank_topic_is_400_naming_topic(nurse, network):
    fields = fields_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                                "topic": "   "}))

    assert set(fields) == {"topic"}


@pytest.mark.parametrize("field, value", [
    ("made_on", "14/02/2012"), ("made_on", "1999-12-31"), ("facilitated", "yes"),
    ("topic", 7),
])
def test_a_badly_typed_field_is_400_naming_it(nurse, network, field, value):
    body = {"to_member_id": str(network.other_nurse), "topic": "Hello", field: value}

    assert set(fields_of(nurse.post("/contacts", body))) == {field}


def test_the_contact_history_pages_past_two_hundred_with_a_total(nurse, network, community):
    # Issue 13: GET /contacts stopped at 200 with no way to see the rest.
    for n in range(205):
        community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                               topic=f"Call {n}", made_on=f"20{10 + n // 100}-01-01")

    first = json_of(nurse.get("/contacts"), 200)
    last = json_of(nurse.get("/contacts?limit=50&offset=200"), 200)

    assert (first["total"], first["limit"], first["offset"], len(first["contacts"])) == \
        (205, 50, 0, 50)
    assert (last["total"], len(last["contacts"])) == (205, 5)
    everyone = {c["id"] for offset in range(0, 205, 50) for c in json_of(
        nurse.get(f"/contacts?offset={offset}"), 200)["contacts"]}
    assert len(everyone) == 205
    assert fields_of(nurse.get("/contacts?limit=201")) == {
        "limit": "must be a whole number from 1 to 200"}
