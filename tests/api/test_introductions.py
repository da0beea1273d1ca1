"""Making contact: recording contacts, the contact history, and introductions the
organisers make."""

from __future__ import annotations

import uuid

from tests.api.conftest import error_of, fields_of, json_of


def test_a_recorded_contact_says_how_and_shows_in_both_members_histories(
        nurse, other_nurse, network):
    made = json_of(nurse.post("/contacts", json={"to_member_id": str(network.other_nurse),
                                                 "topic": "Nurse-led clinics",
                                                 "channel": "phone"}), 201)["contact"]

    assert (made["channel"], made["channel_label"], made["direction"]) == ("phone", "Phone", "made")
    mine = json_of(nurse.get("/contacts"), 200)["contacts"]
    theirs = json_of(other_nurse.get("/contacts"), 200)["contacts"]
    assert [(c["with_name"], c["direction"], c["topic"]) for c in mine] == [
        ("Sara South", "made", "Nurse-led clinics")]
    assert [(c["with_name"], c["direction"]) for c in theirs] == [("Nina Nurse", "received")]


def test_an_unknown_channel_is_refused_naming_the_field(nurse, network):
    response = nurse.post("/contacts", json={"to_member_id": str(network.other_nurse),
                                             "topic": "x", "channel": "pigeon"})

    assert "channel" in fields_of(response)


def test_asking_for_an_introduction_reaches_the_organisers_and_an_introduction_closes_it(
        nurse, organiser, network):
    asked = json_of(nurse.post("/introductions", json={
        "member_id": str(network.other_nurse), "reason": "Her nurse-led clinic"}), 201)["follow_up"]

    assert (asked["kind"], asked["to_organisers"], asked["about_member_id"], asked["status"]) == (
        "introduction", True, str(network.other_nurse), "requested")
    listed = json_of(organiser.get("/follow-ups"), 200)["follow_ups"]
    assert asked["id"] in [f["id"] for f in listed]

    done = json_of(organiser.post(f"/follow-ups/{asked['id']}/introduce",
                                  json={"topic": "Nurse-led clinics"}), 200)
    assert done["follow_up"]["status"] == "closed"
    assert (done["contact"]["from_member_id"], done["contact"]["to_member_id"],
            done["contact"]["facilitated"]) == (str(network.nurse), str(network.other_nurse), True)
    history = json_of(nurse.get("/contacts"), 200)["contacts"]
    assert [(c["with_name"], c["facilitated"]) for c in history] == [("Sara South", True)]


def test_only_organisers_make_introductions(nurse, other_nurse, network):
    asked = json_of(nurse.post("/introductions", json={
        "member_id": str(network.other_nurse), "reason": "Clinics"}), 201)["follow_up"]

    error = error_of(other_nurse.post(f"/follow-ups/{asked['id']}/introduce",
                                      json={"topic": "Clinics"}), 403)
    assert error["code"] == "not_allowed"


def test_an_introduction_twice_is_a_conflict_and_records_no_second_contact(
        nurse, organiser, network):
    asked = json_of(nurse.post("/introductions", json={
        "member_id": str(network.other_nurse), "reason": "Clinics"}), 201)["follow_up"]
    json_of(organiser.post(f"/follow-ups/{asked['id']}/introduce", json={"topic": "A"}), 200)

    error_of(organiser.post(f"/follow-ups/{asked['id']}/introduce", json={"topic": "B"}), 409)

    assert len(json_of(nurse.get("/contacts"), 200)["contacts"]) == 1


def test_an_introduction_to_yourself_or_a_stranger_is_refused(nurse, network):
    assert "about_member_id" in fields_of(nurse.post("/introductions", json={
        "member_id": str(network.nurse), "reason": "Me"}))
    assert "member_id" in fields_of(nurse.post("/introductions", json={
        "member_id": str(uuid.uuid4()), "reason": "Who?"}))


def test_introducing_on_a_request_that_is_not_an_introduction_is_refused(
        nurse, organiser, network):
    call = json_of(nurse.post("/follow-ups", json={"team_id": str(network.south),
                                                   "reason": "A call"}), 201)["follow_up"]

    assert "follow_up" in fields_of(organiser.post(f"/follow-ups/{call['id']}/introduce",
                                                   json={"topic": "x"}))


def test_counterparts_can_favour_near_or_far_and_refuse_other_words(nurse, network):
    near = json_of(nurse.get(f"/members/{network.nurse}/counterparts?distance=near"), 200)

    assert near["counterparts"][0]["distance_km"] > 0
    assert "distance" in fields_of(nurse.get(f"/members/{network.nurse}/counterparts?distance=moon"))
