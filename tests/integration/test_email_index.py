"""The e-mail index on the real stores: a member is saved with their index entry in one
transaction, so two registrations of one address racing past the "already a member?"
check still clash, and the second is refused whole."""

from __future__ import annotations

from dataclasses import replace

import pytest

from community import Community
from domain.errors import Conflict
from domain.member import Member
from tests.integration.network import build_network

NINA = "nina.nurse@northshire.nhs.uk"


def test_two_registrations_of_one_address_saved_at_once_conflict(app: Community) -> None:
    net = build_network(app)
    # Both made before either is saved, as two requests would: neither sees the other.
    first = Member.join(email="wendy@westward.nhs.uk", name="Wendy", role="oncologist",
                        team_id=net.north)
    second = Member.join(email=" WENDY@westward.nhs.uk", name="Wendy W", role="radiologist",
                         team_id=net.south)
    app.save(first)
    events = app.recorder.max_notification_id()

    with pytest.raises(Conflict):
        app.save(second)

    assert app.recorder.max_notification_id() == events  # nothing of the second saved
    assert second.id not in app.repository
    assert app.member_id_by_email("wendy@westward.nhs.uk") == first.id


def test_a_member_is_found_by_address_however_it_is_written(app: Community) -> None:
    net = build_network(app)

    assert app.member_id_by_email(f"  {NINA.upper()} ") == net.nurse
    assert app.member_by_email(NINA).name == "Nina Nurse"
    assert app.member_id_by_email("nobody@northshire.nhs.uk") is None
    assert app.member_id_by_email("") is None


def test_the_index_holds_no_address_and_its_ids_depend_on_the_instances_secret(
        app: Community) -> None:
    build_network(app)
    stored = b"\n".join(n.state for n in app.recorder.select_notifications(None, 10_000)
                        if n.topic.startswith("domain.ids:EmailIndexEntry"))
    other = Community(replace(app.settings, secret_key="another secret"))
    try:
        assert stored.count(b"member_id") == 4 and b"@" not in stored
        assert other.email_index_id(NINA) != app.email_index_id(NINA)
        assert other.member_id_by_email(NINA) is None  # the key, not the address, finds her
    finally:
        other.close()
