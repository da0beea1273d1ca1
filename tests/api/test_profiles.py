"""Editing your own profile over the API, and who sees which contact details."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import EMAILS, error_of, fields_of, json_of

PROFILE = {"role": "lung_cancer_nurse_specialist", "expertise": ["EBUS", "nurse-led clinics"],
           "help_with": "Setting up a nurse-led follow-up clinic",
           "clinic_days": ["thursday", "tuesday"], "consents_to_contact": True,
           "contact_channels": ["phone", "email"], "phone": "0161 496 0000"}


def me(client) -> dict:
    return json_of(client.get("/me"), 200)["member"]


def test_me_shows_the_profile_fields_and_the_version_to_send_back(nurse):
    member = me(nurse)

    assert {k: member[k] for k in ("help_with", "clinic_days", "contact_channels", "phone",
                                   "version")} == {
        "help_with": "", "clinic_days": [], "contact_channels": [], "phone": "", "version": 1}


def test_a_member_changes_their_own_profile_and_gets_it_back(nurse, network):
    answer = json_of(nurse.patch("/me", {"version": 1, **PROFILE}), 200)["member"]

    assert answer["id"] == str(network.nurse)
    assert {k: answer[k] for k in PROFILE} == {
        **PROFILE, "expertise": ["ebus", "nurse-led clinics"],
        "clinic_days": ["tuesday", "thursday"], "contact_channels": ["email", "phone"]}
    assert answer["version"] == 2
    assert me(nurse) == answer


def test_fields_left_out_stay_as_they_were(nurse):
    json_of(nurse.patch("/me", {"version": 1, **PROFILE}), 200)

    answer = json_of(nurse.patch("/me", {"version": 2, "clinic_days": []}), 200)["member"]

    assert answer["clinic_days"] == []
    assert (answer["phone"], answer["help_with"]) == (PROFILE["phone"], PROFILE["help_with"])


def test_the_same_through_the_members_own_address(nurse, network):
    answer = nurse.patch(f"/members/{network.nurse}", {"version": 1, "phone": "+44 161"})

    assert json_of(answer, 200)["member"]["phone"] == "+44 161"


def test_a_stale_version_is_409_and_changes_nothing(nurse):
    json_of(nurse.patch("/me", {"version": 1, "help_with": "From one window"}), 200)

    error = error_of(nurse.patch("/me", {"version": 1, "help_with": "From another"}), 409)

    assert error["code"] == "conflict"
    assert me(nurse)["help_with"] == "From one window"


@pytest.mark.parametrize("change, field", [
    ({"phone": "call me"}, "phone"),
    ({"phone": "0" * 31}, "phone"),
    ({"clinic_days": ["saturday"]}, "clinic_days[0]"),
    ({"contact_channels": ["fax"]}, "contact_channels[0]"),
    ({"help_with": "x" * 1001}, "help_with"),
    ({"expertise": ["x" * 61]}, "expertise[0]"),
    ({"consents_to_contact": "yes"}, "consents_to_contact"),
    ({"role": "organiser"}, "role"),
    ({"role": "wizard"}, "role"),
    ({"email": "new@nhs.net"}, "email"),
])
def test_bad_input_is_400_naming_the_field(nurse, change, field):
    assert field in fields_of(nurse.patch("/me", {"version": 1, **change}))
    assert me(nurse)["version"] == 1


def test_the_version_is_required(nurse):
    assert fields_of(nurse.patch("/me", {"phone": "0161 496 0000"})) == {
        "version": "is required"}


def test_a_profile_sent_unchanged_keeps_its_version(nurse):
    assert json_of(nurse.patch("/me", {"version": 1}), 200)["member"]["version"] == 1
    unchanged = {"version": 1, "role": "lung_cancer_nurse_specialist",
                 "expertise": ["Nurse-led clinics"], "consents_to_contact": True}

    assert json_of(nurse.patch("/me", unchanged), 200)["member"]["version"] == 1


def test_nobody_changes_another_members_profile(nurse, organiser, network):
    for client in (nurse, organiser):
        answer = client.patch(f"/members/{network.other_nurse}",
                              {"version": 1, "phone": "0161 496 0000"})
        assert error_of(answer, 403)["code"] == "not_allowed"

    assert error_of(nurse.patch(f"/members/{uuid.uuid4()}", {"version": 1, "phone": "1"}),
                    404)["code"] == "not_found"


def test_logged_out_changes_are_401(anonymous, network):
    assert error_of(anonymous.patch("/me", {"version": 1, "phone": "1"}), 401)
    assert error_of(anonymous.patch(f"/members/{network.nurse}",
                                    {"version": 1, "phone": "1"}), 401)


# --- who sees contact details -------------------------------------------------------------


def test_with_consent_other_members_see_the_email_and_phone(nurse, other_nurse, network):
    json_of(other_nurse.patch("/me", {"version": 1, "phone": "01392 000000",
                                      "clinic_days": ["wednesday"]}), 200)

    sara = json_of(nurse.get(f"/members/{network.other_nurse}"), 200)["member"]
    listed = json_of(nurse.get("/members", params={"q": "sara"}), 200)["members"][0]

    assert (sara["email"], sara["phone"]) == (EMAILS["other_nurse"], "01392 000000")
    assert listed["phone"] == "01392 000000" and listed["clinic_days"] == ["wednesday"]


def test_without_consent_the_email_and_phone_are_hidden_from_other_members(
        nurse, other_nurse, network):
    json_of(other_nurse.patch("/me", {"version": 1, "phone": "01392 000000",
                                      "consents_to_contact": False}), 200)

    sara = json_of(nurse.get(f"/members/{network.other_nurse}"), 200)["member"]
    page = nurse.get("/members").text

    assert "email" not in sara and "phone" not in sara
    assert "01392 000000" not in page and EMAILS["other_nurse"] not in page
    # ...but Sara still sees her own.
    assert me(other_nurse)["phone"] == "01392 000000"


def test_the_document_describes_changing_a_profile(anonymous):
    paths = json_of(anonymous.get("/openapi.json"), 200)["paths"]
    schema = paths["/me"]["patch"]["requestBody"]["content"]["application/json"]["schema"]

    assert schema["required"] == ["version"]
    assert set(schema["properties"]) == {*PROFILE, "version"}
    assert {"200", "400", "401", "409"} <= set(paths["/me"]["patch"]["responses"])
    assert "403" in paths["/members/{member_id}"]["patch"]["responses"]
