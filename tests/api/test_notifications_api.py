"""Notifications over real HTTP: each member reads only their own, and marks them read."""

from __future__ import annotations

from typing import Any

import pytest

from community import Community
from tests.api.conftest import error_of, fields_of, json_of


@pytest.fixture
def changes_asked(community: Community, network: Any) -> str:
    qip = community.draft_qip(by=network.nurse, title="CNS at diagnosis", key_area="cns_access",
                              aim="From 61% to 80% seen by a CNS by March 2013",
                              timeframe="2012 to 2013",
                              measures=[{"name": "Seen", "baseline": 61, "target": 80}])
    community.submit_qip(qip, by=network.nurse)
    community.review_qip(qip, by=network.organiser, decision="request_changes",
                         comments={"aim": "Say how you will count."})
    return str(qip)


def test_a_member_gets_her_notifications_and_the_unread_count(nurse, changes_asked) -> None:
    found = json_of(nurse.get("/notifications"), 200)

    assert found["unread"] == 1
    [told] = found["notifications"]
    assert (told["kind"], told["link"], told["read"]) == (
        "changes_requested", f"/qips/{changes_asked}", False)
    assert told["text"].startswith("The organisers asked for changes to “CNS at diagnosis”")


def test_marking_read_changes_only_her_own(nurse, lead, other_nurse, changes_asked) -> None:
    [ninas] = json_of(nurse.get("/notifications"), 200)["notifications"]
    [liams] = json_of(lead.get("/notifications"), 200)["notifications"]

    marked = json_of(nurse.post("/notifications/read", json={"ids": [ninas["id"], liams["id"]]}),
                     200)

    assert marked == {"read": 1, "unread": 0}
    assert json_of(lead.get("/notifications"), 200)["unread"] == 1
    assert json_of(other_nurse.get("/notifications"), 200) == {
        "notifications": [], "unread": 0, "total": 0, "limit": 50, "offset": 0}


def test_without_ids_every_unread_one_is_marked(lead, changes_asked) -> None:
    assert json_of(lead.post("/notifications/read", json={}), 200) == {"read": 1, "unread": 0}


def test_bad_ids_are_refused_naming_the_field_and_strangers_are_refused(
        nurse, anonymous, changes_asked) -> None:
    assert "ids[0]" in " ".join(fields_of(nurse.post("/notifications/read",
                                                     json={"ids": ["not-an-id"]})))
    assert error_of(anonymous.get("/notifications"), 401)["code"] == "not_logged_in"
    assert error_of(anonymous.post("/notifications/read", json={}), 401)
