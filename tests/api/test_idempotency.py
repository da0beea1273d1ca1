"""Retrying a create whose answer was lost (issue 13): it wrote twice. With an
``Idempotency-Key`` header, the same key and the same body give the first answer again
and write nothing more; the same key with another body is refused."""

from __future__ import annotations

from tests.api.conftest import error_of, json_of

CONTACT = {"topic": "How do you run nurse-led clinics?"}


def contact(network) -> dict:
    return {**CONTACT, "to_member_id": str(network.other_nurse)}


def test_a_retried_create_with_the_same_key_answers_the_first_answer_and_writes_once(
        nurse, network):
    key = {"Idempotency-Key": "contact-2013-06-01-a"}
    first = nurse.post("/contacts", contact(network), headers=key)
    again = nurse.post("/contacts", contact(network), headers=key)

    assert json_of(again, 201) == json_of(first, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert json_of(nurse.get("/contacts"), 200)["total"] == 1


def test_without_a_key_two_posts_are_two_contacts(nurse, network):
    nurse.post("/contacts", contact(network))
    nurse.post("/contacts", contact(network))

    assert json_of(nurse.get("/contacts"), 200)["total"] == 2


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(nurse, network):
    key = {"Idempotency-Key": "k1"}
    json_of(nurse.post("/contacts", contact(network), headers=key), 201)

    refused = nurse.post("/contacts", {**contact(network), "topic": "Something else"},
                         headers=key)

    error = error_of(refused, 422)
    assert "Idempotency-Key" in error["message"]
    assert json_of(nurse.get("/contacts"), 200)["total"] == 1


def test_a_key_is_each_members_own(nurse, lead, network):
    key = {"Idempotency-Key": "same-words"}
    mine = json_of(nurse.post("/contacts", contact(network), headers=key), 201)["contact"]
    theirs = json_of(lead.post("/contacts", contact(network), headers=key), 201)["contact"]

    assert mine["id"] != theirs["id"]


def test_a_refused_create_is_not_kept_so_the_corrected_retry_is_taken(nurse, network):
    key = {"Idempotency-Key": "draft-1"}
    error_of(nurse.post("/qips", {"title": ""}, headers=key), 400)

    created = nurse.post("/qips", {"title": "CNS at diagnosis", "key_area": "cns_access"},
                         headers=key)

    assert json_of(created, 201)["qip"]["title"] == "CNS at diagnosis"


def test_a_key_too_long_is_refused_naming_the_header(nurse, network):
    refused = nurse.post("/contacts", contact(network), headers={"Idempotency-Key": "k" * 256})

    assert error_of(refused, 400)["fields"] == {
        "Idempotency-Key": "must be 1 to 255 visible characters"}


def test_a_retried_upload_attaches_the_document_once(nurse, shared):
    pdf = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
    key = {"Idempotency-Key": "upload-1"}
    answers = [nurse.post(f"/qips/{shared['id']}/documents", files={"file": ("case.pdf", pdf)},
                          data={"title": "Business case"}, headers=key) for _ in range(2)]
    other = nurse.post(f"/qips/{shared['id']}/documents", files={"file": ("other.pdf", pdf)},
                       headers=key)

    assert json_of(answers[1], 201) == json_of(answers[0], 201)
    error_of(other, 422)
    assert len(json_of(nurse.get(f"/qips/{shared['id']}"), 200)["qip"]["documents"]) == 1
