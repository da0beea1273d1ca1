"""Joining, profiles, teams, audit results and the programme's indicators."""

from __future__ import annotations

from typing import Any
from uuid import uuid5

import pytest

from domain.errors import Invalid
from domain.ids import NAMESPACE, PROGRAMME_ID, email_index_id, team_id_for
from domain.member import Member
from domain.programme import Programme
from domain.team import Team
from domain.values import Role

NORTH = team_id_for("Northshire lung cancer MDT")


def nina(**changes: Any) -> Member:  # anything: the domain checks its input
    details: dict[str, Any] = {
        "email": "Nina.Nurse@Northshire.NHS.uk", "name": "Nina Nurse",
        "role": "lung_cancer_nurse_specialist", "team_id": NORTH}
    return Member.join(**{**details, **changes})


def northshire(**changes: Any) -> Team:
    details: dict[str, Any] = {
        "name": "Northshire lung cancer MDT", "trust": "Northshire Hospitals NHS Trust",
        "region": "North West", "latitude": 53.5, "longitude": -2.3, "caseload": 320}
    return Team.register(**{**details, **changes})


def test_an_email_is_kept_in_one_form_whatever_case_and_spaces_it_was_typed_with() -> None:
    member = nina(email="  Nina.Nurse@Northshire.NHS.uk ")

    assert member.email == "nina.nurse@northshire.nhs.uk"


def test_a_members_id_is_random_and_says_nothing_about_their_address() -> None:
    first = nina(email="nina.nurse@northshire.nhs.uk")
    again = nina(email="nina.nurse@northshire.nhs.uk")

    assert first.id != again.id
    assert first.id.version == again.id.version == 4
    assert first.id != uuid5(NAMESPACE, "member:nina.nurse@northshire.nhs.uk")  # the old id


def test_the_email_index_finds_an_address_however_it_is_written_but_only_with_the_key() -> None:
    written = email_index_id(b"key", " NINA.NURSE@northshire.nhs.uk")

    assert written == email_index_id(b"key", "nina.nurse@northshire.nhs.uk")
    assert written != email_index_id(b"key", "sara.south@southmoor.nhs.uk")
    assert written != email_index_id(b"another key", "nina.nurse@northshire.nhs.uk")


def test_joining_keeps_role_and_expertise_tags_tidy_and_sorted() -> None:
    member = nina(expertise="  EBUS , nurse-led   clinics,, ebus ")

    assert member.role is Role.CNS
    assert member.expertise == ["ebus", "nurse-led clinics"]
    assert member.version == 1


def test_joining_with_several_mistakes_names_every_field_at_once() -> None:
    with pytest.raises(Invalid) as raised:
        Member.join(email="nina at nhs", name=" ", role="surgeon", team_id=None)

    assert set(raised.value.fields) == {"email", "name", "role", "team_id"}
    assert "name@nhs.net" in raised.value.fields["email"]


def test_an_organiser_may_join_without_a_team_but_a_clinician_may_not() -> None:
    organiser = Member.join(email="olive@example.org", name="Olive", role="organiser",
                            team_id=None, is_organiser=True)
    assert organiser.team_id is None and organiser.is_organiser

    with pytest.raises(Invalid) as raised:
        nina(team_id=None)
    assert set(raised.value.fields) == {"team_id"}


def test_an_expertise_tag_longer_than_60_characters_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        nina(expertise=["x" * 61])

    assert set(raised.value.fields) == {"expertise"}


def test_updating_a_profile_changes_role_expertise_and_consent_and_adds_a_version() -> None:
    member = nina()
    member.update_profile(role="clinical_lead", expertise=["Trials"], consents_to_contact=False)

    assert (member.role, member.expertise, member.consents_to_contact) == (
        Role.CLINICAL_LEAD, ["trials"], False)
    assert member.version == 2


def test_a_profile_update_with_an_unknown_role_changes_nothing() -> None:
    member = nina()
    with pytest.raises(Invalid) as raised:
        member.update_profile(role="wizard", expertise=[], consents_to_contact=True)

    assert set(raised.value.fields) == {"role"}
    assert member.role is Role.CNS and member.version == 1


def test_a_teams_id_comes_from_its_name_however_it_is_spaced_or_capitalised() -> None:
    team = northshire(name="  Northshire  Lung Cancer MDT ")

    assert team.id == NORTH
    assert team.name == "Northshire  Lung Cancer MDT"


def test_a_team_with_coordinates_off_the_globe_is_refused_naming_each_field() -> None:
    with pytest.raises(Invalid) as raised:
        northshire(latitude=91, longitude="west", caseload=-1, trust="")

    assert set(raised.value.fields) == {"latitude", "longitude", "caseload", "trust"}


def test_audit_results_are_kept_per_year_for_known_indicators() -> None:
    team = northshire()
    team.record_audit(year=2011, results={"cns_seen": "61", "histology": 70.5},
                      indicators=["cns_seen", "histology"])
    team.record_audit(year=2011, results={"cns_seen": 65}, indicators=["cns_seen"])

    assert team.audits == {2011: {"cns_seen": 65.0}}
    assert team.version == 3


def test_an_audit_result_outside_0_to_100_or_for_an_unknown_indicator_is_refused() -> None:
    team = northshire()
    with pytest.raises(Invalid) as raised:
        team.record_audit(year=1999, results={"cns_seen": 101, "smiles": 50},
                          indicators=["cns_seen"])

    assert raised.value.fields == {"year": "must be at least 2000",
                                   "results.cns_seen": "must be at most 100",
                                   "results.smiles": "is not a known indicator"}
    assert team.audits == {}


@pytest.mark.parametrize("results", [{}, None, ["cns_seen", 50]])
def test_an_audit_without_results_is_refused_not_crashed_on(results: Any) -> None:
    with pytest.raises(Invalid) as raised:
        northshire().record_audit(year=2011, results=results,
                                  indicators=["cns_seen"])

    assert set(raised.value.fields) == {"results"}


def test_the_programme_is_one_aggregate_and_defines_indicators_as_data() -> None:
    programme = Programme.start(name="ILCOP", funding_ends_on="2012-03-31")
    programme.define_indicator(key="CNS_seen", name="Seen by a CNS", standard="80")
    programme.define_indicator(key="cns_seen", name="Seen by a nurse specialist", national=77)

    assert programme.id == PROGRAMME_ID
    assert programme.indicators == {"cns_seen": {
        "key": "cns_seen", "name": "Seen by a nurse specialist", "national": 77.0,
        "standard": None}}


def test_an_indicator_with_an_odd_key_or_a_figure_over_100_is_refused() -> None:
    programme = Programme.start(name="ILCOP", funding_ends_on="2012-03-31")
    with pytest.raises(Invalid) as raised:
        programme.define_indicator(key="cns seen!", name="", national=-1, standard=101)

    assert set(raised.value.fields) == {"key", "name", "national", "standard"}
    assert programme.indicators == {}


def test_a_programme_needs_a_real_funding_end_date() -> None:
    with pytest.raises(Invalid) as raised:
        Programme.start(name="ILCOP", funding_ends_on="March 2012")

    assert set(raised.value.fields) == {"funding_ends_on"}


def test_email_index_entries_never_collide_with_ids_of_teams_of_the_same_text() -> None:
    assert email_index_id(b"", "north") != team_id_for("north")
