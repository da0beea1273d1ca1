"""``community upgrade`` on a store made the old way (each member's id ``uuid5`` of their
e-mail address, no e-mail index): the copy has random ids that say nothing, finds
everyone by address, and tells the same story."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid5

import pytest
from click.testing import CliRunner

from community import Community
from community.cli import main
from community.commands import Commands
from community.members import MemberCommands
from community.upgrade import UpgradeError, upgrade
from domain.errors import Conflict, NotFound
from domain.ids import NAMESPACE, normalise_email
from domain.member import Member, NotificationSettings
from tests.builders import PASSWORD
from tests.conftest import another_store, make_community
from tests.integration.network import Network, add_activity, build_network

NINA = "nina.nurse@northshire.nhs.uk"


def old_id(email: str) -> UUID:
    """A member's id as the code before random ids made it."""
    return uuid5(NAMESPACE, "member:" + normalise_email(email))


@dataclass
class OldStore:
    url: str
    net: Network
    qip: UUID
    events: int


@pytest.fixture
def old_store(database_url: str, request: pytest.FixtureRequest, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[OldStore]:
    """A store as the old code wrote it: members' ids from their addresses, saved with no
    index entry, found by address by recomputing the id; of the same kind as the store
    it is upgraded into (a SQLite file or PostgreSQL)."""
    join = Member.join.__func__  # type: ignore[attr-defined]  # the classmethod's function
    with monkeypatch.context() as old:
        old.setattr(Member, "join", classmethod(
            lambda cls, **given: join(cls, **{**given, "member_id": old_id(given["email"])})))
        old.setattr(MemberCommands, "save", Commands.save)
        old.setattr(MemberCommands, "member_id_by_email", lambda self, email: (
            old_id(email) if old_id(email) in self.repository else None))
        url = another_store(database_url, request, tmp_path, "old")
        app = make_community(url)
        try:
            net = build_network(app)
            qip = add_activity(app, net)
            app.set_password(net.nurse, PASSWORD)
            app.choose_notification_emails(by=net.nurse, kinds=["changes_requested"])
            app.propose_message(key=f"digest:{net.nurse}:2013-W22", to_member_id=net.nurse,
                                subject="Your weekly digest", body="Two new answers.",
                                reason="A test digest")
            events = app.recorder.max_notification_id() or 0
        finally:
            app.close()
    assert net.nurse == old_id(NINA)  # made the old way indeed
    yield OldStore(url, net, qip, events)


@pytest.fixture
def upgraded(old_store: OldStore, database_url: str) -> Iterator[Community]:
    target = make_community(database_url)
    upgrade(old_store.url, target)
    yield target
    target.close()


def test_every_member_gets_a_new_random_id_and_is_found_by_address(
        old_store: OldStore, upgraded: Community) -> None:
    nina = upgraded.member_id_by_email(" Nina.Nurse@northshire.nhs.uk")

    assert nina is not None and nina != old_store.net.nurse and nina.version == 4
    assert upgraded.member(nina).name == "Nina Nurse"
    assert upgraded.authenticate(NINA, PASSWORD) is not None
    with pytest.raises(NotFound):
        upgraded.member(old_id(NINA))


def test_no_event_in_the_copy_names_an_old_id(old_store: OldStore, upgraded: Community) -> None:
    old_ids = [old_id(e) for e in (NINA, "liam.lead@northshire.nhs.uk",
                                   "sara.south@southmoor.nhs.uk", "olive.organiser@example.org")]
    stored = upgraded.recorder.select_notifications(None, 10_000)

    written = b"\n".join(n.state for n in stored) + str([n.originator_id for n in stored]).encode()
    assert not [i for i in old_ids if str(i).encode() in written or i.hex.encode() in written]
    # Each member's Joined event is followed by their index entry: four more events.
    assert len(stored) == old_store.events + 4


def test_the_copy_tells_the_same_story_under_the_new_ids(
        old_store: OldStore, upgraded: Community) -> None:
    nina = upgraded.member_id_by_email(NINA)

    assert upgraded.qip(old_store.qip).owner_id == nina
    assert upgraded.views.directory.member(str(nina))["team"] == "Northshire lung cancer MDT"
    assert [m["name"] for m in upgraded.views.directory.members(limit=10)[0]] == [
        "Liam Lead", "Nina Nurse", "Olive Organiser", "Sara South"]
    # Her notification settings are found under the id derived from her new id.
    assert upgraded.notification_settings(nina).email_kinds == ["changes_requested"]
    assert NotificationSettings.create_id(nina) in upgraded.repository


def test_a_message_keyed_by_a_member_is_still_there_under_the_new_key(
        upgraded: Community) -> None:
    nina = upgraded.member_id_by_email(NINA)

    _, created = upgraded.propose_message(key=f"digest:{nina}:2013-W22", to_member_id=nina,
                                          subject="Your weekly digest", body="Two new answers.",
                                          reason="A test digest")

    assert not created  # the old message, under the key naming her new id


def test_a_second_registration_of_an_upgraded_address_conflicts(upgraded: Community) -> None:
    with pytest.raises(Conflict):
        upgraded.join(email=NINA.upper(), name="Nina Again", role="oncologist",
                      team_id=upgraded.member(upgraded.member_id_by_email(NINA) or "").team_id)


def test_an_upgrade_writes_only_into_an_empty_store(
        old_store: OldStore, database_url: str, request: pytest.FixtureRequest,
        tmp_path: Path) -> None:
    target = make_community(another_store(database_url, request, tmp_path, "new"))
    try:
        upgrade(old_store.url, target)
        before = target.recorder.max_notification_id()
        with pytest.raises(UpgradeError, match="empty store"):
            upgrade(old_store.url, target)
        assert target.recorder.max_notification_id() == before
    finally:
        target.close()


def test_the_upgrade_command_copies_a_store_and_says_what_it_did(
        old_store: OldStore, database_url: str, request: pytest.FixtureRequest,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNITY_SECRET_KEY", "test")
    new = another_store(database_url, request, tmp_path, "new")

    said = CliRunner().invoke(main, ["upgrade", "--from", old_store.url, "--to", new])

    assert said.exit_code == 0, said.output
    assert "4 members with new ids" in said.output
    again = make_community(new)
    try:
        assert again.authenticate(NINA, PASSWORD) is not None
    finally:
        again.close()


def test_the_copy_seals_personal_fields_under_the_new_ids(upgraded: Community) -> None:
    joined = [n.state.decode() for n in upgraded.recorder.select_notifications(None, 10_000)
              if n.topic.endswith("Member.Joined")]
    nina = upgraded.member_id_by_email(NINA)

    assert joined and not any(NINA in state or "Nina Nurse" in state for state in joined)
    assert upgraded.member(nina or "").name == "Nina Nurse"


def test_a_sealed_store_upgrades_again_and_reads_the_same(
        upgraded: Community, database_url: str, request: pytest.FixtureRequest,
        tmp_path: Path) -> None:
    again = make_community(another_store(database_url, request, tmp_path, "again"))
    try:
        upgrade(upgraded.settings.database_url, again)
        nina = again.member_id_by_email(NINA)

        assert again.member(nina or "").name == "Nina Nurse"
        assert again.member(nina or "").email == NINA
    finally:
        again.close()
