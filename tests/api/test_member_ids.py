"""Member ids say nothing (issue 13): an id is random, so the old ``uuid5`` of an
address, computed by anyone from the published namespace, finds nobody over the API,
and an answer about it is word for word the answer about any id nobody has."""

from __future__ import annotations

import uuid

from domain.ids import NAMESPACE
from tests.api.conftest import EMAILS, ApiClient, error_of, json_of
from tests.builders import SmallNetwork


def guessed_id(email: str) -> uuid.UUID:
    """What a member's id was before ids were random: anyone could compute it."""
    return uuid.uuid5(NAMESPACE, "member:" + email.strip().lower())


def test_the_uuid5_of_a_members_address_finds_nobody(organiser: ApiClient,
                                                     network: SmallNetwork) -> None:
    nobody = error_of(organiser.get(f"/members/{uuid.uuid4()}"), 404)

    for email in EMAILS.values():
        for path in (f"/members/{guessed_id(email)}",
                     f"/members/{guessed_id(email)}/counterparts"):
            assert error_of(organiser.get(path), 404) == nobody, path


def test_members_ids_are_random_and_unrelated_to_their_addresses(
        nurse: ApiClient, network: SmallNetwork) -> None:
    found = uuid.UUID(json_of(nurse.get("/me"), 200)["member"]["id"])

    assert found.version == 4
    assert found != guessed_id(EMAILS["nurse"])
    assert json_of(nurse.get(f"/members/{found}"), 200)["member"]["name"] == "Nina Nurse"
