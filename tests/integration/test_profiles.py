"""Profiles through the application and into the directory view, on a SQLite file
and on PostgreSQL: what a member says about themself, the version a form edits,
and the queries a team page needs (its members, its pairing, its workshops)."""

from __future__ import annotations

import pytest

from community import Community
from domain.errors import Conflict, Invalid, NotAllowed
from tests.integration.network import Network, build_network
from tests.integration.snapshots import view_tables

PROFILE = {"role": "lung_cancer_nurse_specialist", "expertise": ["EBUS", "nurse-led clinics"],
           "help_with": "Setting up a nurse-led follow-up clinic", "consents_to_contact": True,
           "clinic_days": ["thursday", "tuesday"], "contact_channels": ["phone", "email"],
           "phone": "0161 496 0000"}


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def test_a_profile_update_shows_every_field_in_the_directory_row(app: Community,
                                                                net: Network) -> None:
    app.update_profile(net.nurse, by=net.nurse, version=1, **PROFILE)

    nina = app.views.directory.member(str(net.nurse))

    assert nina is not None
    assert {k: nina[k] for k in (*PROFILE, "version")} == {
        **PROFILE, "expertise": ["ebus", "nurse-led clinics"],
        "clinic_days": ["tuesday", "thursday"], "contact_channels": ["email", "phone"],
        "version": 2}


def test_the_directory_list_rows_carry_the_profile_too(app: Community, net: Network) -> None:
    app.update_profile(net.other_nurse, by=net.other_nurse, clinic_days=["wednesday"],
                       help_with="EBUS lists", phone="01392 000000")

    rows, _ = app.views.directory.members(team_id=str(net.south))
    shown = app.views.directory.members_by_id([str(net.other_nurse)])

    assert [(r["clinic_days"], r["help_with"], r["phone"]) for r in rows] == [
        (["wednesday"], "EBUS lists", "01392 000000")]
    assert shown[str(net.other_nurse)]["clinic_days"] == ["wednesday"]


def test_a_member_who_never_edited_their_profile_has_empty_fields(app: Community,
                                                                 net: Network) -> None:
    liam = app.views.directory.member(str(net.lead))

    assert liam is not None
    assert (liam["help_with"], liam["clinic_days"], liam["contact_channels"], liam["phone"],
            liam["version"]) == ("", [], [], "", 1)


def test_the_rows_version_follows_the_members_every_event(app: Community,
                                                          net: Network) -> None:
    def versions() -> tuple[int, int]:
        row = app.views.directory.member(str(net.lead))
        assert row is not None
        return row["version"], app.member(net.lead).version

    assert versions() == (1, 1)
    app.set_password(net.lead, "a long enough password")
    assert versions() == (2, 2)
    app.update_profile(net.lead, by=net.lead, version=2, phone="0161 496 0001")
    assert versions() == (3, 3)


def test_a_stale_version_is_a_conflict_and_changes_nothing(app: Community,
                                                           net: Network) -> None:
    app.update_profile(net.nurse, by=net.nurse, version=1, help_with="First window")

    with pytest.raises(Conflict):
        app.update_profile(net.nurse, by=net.nurse, version=1, help_with="Second window")

    nina = app.views.directory.member(str(net.nurse))
    assert nina is not None and (nina["help_with"], nina["version"]) == ("First window", 2)


def test_a_member_cannot_change_anyone_elses_profile(app: Community, net: Network) -> None:
    with pytest.raises(NotAllowed):
        app.update_profile(net.other_nurse, by=net.nurse, phone="0161 496 0000")
    with pytest.raises(NotAllowed):
        app.update_profile(net.other_nurse, by=net.organiser, phone="0161 496 0000")

    assert app.member(net.other_nurse).version == 1


def test_bad_input_names_each_field_and_records_nothing(app: Community, net: Network) -> None:
    with pytest.raises(Invalid) as raised:
        app.update_profile(net.nurse, by=net.nurse, version=1, clinic_days=["sunday"],
                           phone="ring me", contact_channels=["fax"])

    assert set(raised.value.fields) == {"clinic_days", "phone", "contact_channels"}
    assert app.member(net.nurse).version == 1


def test_saving_an_unchanged_profile_records_no_event(app: Community, net: Network) -> None:
    before = app.recorder.max_notification_id()

    app.update_profile(net.nurse, by=net.nurse, version=1, role="lung_cancer_nurse_specialist",
                       expertise=["Nurse-led clinics"], consents_to_contact=True)

    assert app.recorder.max_notification_id() == before


def test_rebuilding_the_views_gives_the_same_profile_rows(app: Community,
                                                          net: Network) -> None:
    app.update_profile(net.nurse, by=net.nurse, **PROFILE)
    app.set_password(net.nurse, "a long enough password")
    app.update_profile(net.nurse, by=net.nurse, consents_to_contact=False)
    built = view_tables(app)

    app.views.rebuild()

    assert view_tables(app) == built


def test_withdrawing_consent_takes_a_member_out_of_the_contactable_list(
        app: Community, net: Network) -> None:
    app.update_profile(net.other_nurse, by=net.other_nurse, consents_to_contact=False)

    ids = {member_id for member_id, *_ in app.views.directory.contactable_members()}

    assert str(net.other_nurse) not in ids and str(net.nurse) in ids


# --- what the team page needs -------------------------------------------------------------


def test_a_teams_member_ids_and_team_names_by_id(app: Community, net: Network) -> None:
    assert set(app.views.directory.team_member_ids(str(net.north))) == {str(net.nurse),
                                                                        str(net.lead)}
    assert app.views.directory.team_member_ids(str(net.east)) == []
    assert app.views.directory.team_names({str(net.south), str(net.east)}) == {
        str(net.south): "Southmoor lung cancer MDT", str(net.east): "Eastwick lung cancer MDT"}
    assert app.views.directory.team_names(set()) == {}


def test_the_workshops_a_team_attended_and_its_pairing(app: Community, net: Network) -> None:
    app.hold_workshop(by=None, kind="national_workshop", title="National workshop",
                      held_on="2012-01-15", attendee_ids=[net.nurse, net.lead, net.other_nurse])
    app.hold_workshop(by=None, kind="online_conference", title="Online conference",
                      held_on="2011-11-02", attendee_ids=[net.other_nurse])
    app.hold_workshop(by=None, kind="sustainability_workshop", title="Sustainability",
                      held_on="2012-03-01", attendee_ids=[net.lead])
    app.pair_teams(by=None, first_team_id=net.north, second_team_id=net.south,
                   paired_on="2010-06-01")
    views = app.views

    attended = views.network.workshops_of(views.directory.team_member_ids(str(net.north)))
    partners = views.network.partners_of(str(net.north))
    names = views.directory.team_names({p["partner_team_id"] for p in partners})

    assert [(w["title"], w["from_these"]) for w in attended] == [
        ("Sustainability", 1), ("National workshop", 2)]
    assert [names[p["partner_team_id"]] for p in partners] == ["Southmoor lung cancer MDT"]
