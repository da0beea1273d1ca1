"""A member's own profile: what they can help with, the days they run clinics, whether
and how they would like to be contacted, and who may see their contact details."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from domain.errors import Invalid
from domain.ids import team_id_for
from domain.member import KEEP, Member
from domain.values import ContactChannel, Role
from web.api import present

NORTH = team_id_for("Northshire lung cancer MDT")


def nina(**changes: Any) -> Member:
    details: dict[str, Any] = {"email": "nina.nurse@northshire.nhs.uk", "name": "Nina Nurse",
                               "role": "lung_cancer_nurse_specialist", "team_id": NORTH,
                               "expertise": ["ebus"]}
    return Member.join(**{**details, **changes})


def problems(member: Member, **profile: Any) -> dict[str, str]:
    with pytest.raises(Invalid) as raised:
        member.update_profile(**profile)
    return raised.value.fields


# --- each field ----------------------------------------------------------------------


def test_a_new_member_has_an_empty_profile_beyond_role_and_expertise() -> None:
    member = nina()

    assert (member.help_with, member.clinic_days, member.contact_channels, member.phone) == (
        "", [], [], "")


def test_joining_may_give_the_whole_profile_at_once() -> None:
    member = nina(help_with="EBUS training", clinic_days=["friday", "monday"],
                  contact_channels=["visit"], phone="0161 496 0000")

    assert member.help_with == "EBUS training"
    assert member.clinic_days == ["monday", "friday"]
    assert member.contact_channels == [ContactChannel.VISIT]
    assert member.phone == "0161 496 0000"
    assert member.version == 1


def test_clinic_days_are_kept_once_each_monday_first_however_they_were_given() -> None:
    member = nina()

    member.update_profile(clinic_days=["Thursday", " tuesday", "thursday"])
    assert member.clinic_days == ["tuesday", "thursday"]

    member.update_profile(clinic_days="friday, Monday")
    assert member.clinic_days == ["monday", "friday"]

    member.update_profile(clinic_days=[])
    assert member.clinic_days == []


@pytest.mark.parametrize("days", [["saturday"], ["tuesday", "someday"], "mon", [3]])
def test_a_clinic_day_that_is_not_monday_to_friday_is_refused(days: object) -> None:
    member = nina()

    assert set(problems(member, clinic_days=days)) == {"clinic_days"}
    assert member.clinic_days == [] and member.version == 1


def test_contact_channels_are_kept_once_each_in_the_order_of_the_choices() -> None:
    member = nina()

    member.update_profile(contact_channels=["meeting", "email", "Phone", "email"])

    assert member.contact_channels == [ContactChannel.EMAIL, ContactChannel.PHONE,
                                       ContactChannel.MEETING]


def test_an_unknown_contact_channel_is_refused_naming_the_choices() -> None:
    fields = problems(nina(), contact_channels=["email", "pigeon"])

    assert set(fields) == {"contact_channels"}
    assert "E-mail, Phone, Visit, Meeting or workshop" in fields["contact_channels"]
    assert "pigeon" in fields["contact_channels"]


@pytest.mark.parametrize("typed, kept", [
    ("0161 496 0000", "0161 496 0000"),
    ("  +44 (0)161   496 0000 ", "+44 (0)161 496 0000"),
    ("07700900123", "07700900123"),
    ("", ""),
    ("   ", ""),
])
def test_a_phone_number_is_taken_loosely_as_people_write_them(typed: str, kept: str) -> None:
    member = nina()

    member.update_profile(phone=typed)

    assert member.phone == kept


@pytest.mark.parametrize("typed", ["0161-496-0000", "call me", "ext. 1234", "()", "+",
                                   "1" * 31, 1614960000])
def test_a_phone_number_with_letters_or_dashes_too_long_or_no_digits_is_refused(
        typed: object) -> None:
    member = nina(phone="0161 496 0000")

    assert set(problems(member, phone=typed)) == {"phone"}
    assert member.phone == "0161 496 0000"


def test_what_a_member_can_help_with_is_free_text_up_to_1000_characters() -> None:
    member = nina()

    member.update_profile(help_with="  Setting up a nurse-led clinic.\r\nEBUS lists.  ")
    assert member.help_with == "Setting up a nurse-led clinic.\nEBUS lists."

    # A form sends each line break as two characters; they count as one.
    member.update_profile(help_with=("x" * 99 + "\r\n") * 10)
    assert len(member.help_with) == 999

    assert problems(member, help_with="x" * 1001) == {
        "help_with": "must be at most 1000 characters"}


def test_consent_must_be_said_plainly_as_true_or_false() -> None:
    member = nina()

    assert set(problems(member, consents_to_contact="no")) == {"consents_to_contact"}
    assert member.consents_to_contact is True

    member.update_profile(consents_to_contact=False)
    assert member.consents_to_contact is False


def test_a_tag_with_a_comma_in_a_list_is_two_tags() -> None:
    member = nina()

    member.update_profile(expertise=["EBUS, trials", "data"])

    assert member.expertise == ["data", "ebus", "trials"]


# --- the update as a whole -------------------------------------------------------------


def test_fields_left_out_of_an_update_stay_as_they_were() -> None:
    member = nina(help_with="EBUS", clinic_days=["wednesday"], contact_channels=["phone"],
                  phone="0161 496 0000")

    member.update_profile(role="clinical_lead", expertise=["trials"], consents_to_contact=False)

    assert member.role is Role.CLINICAL_LEAD
    assert (member.help_with, member.clinic_days, member.contact_channels, member.phone) == (
        "EBUS", ["wednesday"], [ContactChannel.PHONE], "0161 496 0000")
    event = member.collect_events()[-1]
    assert isinstance(event, Member.ProfileUpdated)
    assert event.clinic_days == ["wednesday"] and event.phone == "0161 496 0000"


def test_a_profile_saved_unchanged_records_nothing() -> None:
    member = nina(clinic_days=["monday"])

    member.update_profile(role="lung_cancer_nurse_specialist", expertise=["EBUS"],
                          consents_to_contact=True, clinic_days=["Monday"], help_with="",
                          contact_channels=[], phone=" ")
    member.update_profile()

    assert member.version == 1
    assert [type(e) for e in member.collect_events()] == [Member.Joined]


def test_every_mistake_in_an_update_is_named_at_once_and_nothing_changes() -> None:
    member = nina()

    fields = problems(member, role="wizard", expertise=["x" * 61], help_with="x" * 1001,
                      clinic_days=["sunday"], consents_to_contact=None,
                      contact_channels=["fax"], phone="none")

    assert set(fields) == {"role", "expertise", "help_with", "clinic_days",
                           "consents_to_contact", "contact_channels", "phone"}
    assert member.version == 1 and member.role is Role.CNS


def test_only_an_organiser_may_take_the_organiser_role() -> None:
    assert problems(nina(), role="organiser") == {
        "role": "only the programme's organisers have the organiser role"}

    olive = Member.join(email="olive@example.org", name="Olive", role="clinical_lead",
                        team_id=None, is_organiser=True)
    olive.update_profile(role="organiser")
    assert olive.role is Role.ORGANISER


def test_keep_is_the_default_of_every_profile_field() -> None:
    member = nina()

    member.update_profile(role=KEEP, expertise=KEEP, phone="0161 496 0000")

    assert member.expertise == ["ebus"] and member.phone == "0161 496 0000"


# --- who sees contact details (the API's member shape) -------------------------------------


def row(**changes: Any) -> dict[str, Any]:
    return {"id": "nina", "name": "Nina Nurse", "role": "lung_cancer_nurse_specialist",
            "team_id": "north", "team": "Northshire", "trust": "Northshire NHS Trust",
            "region": "North West", "expertise": ["ebus"], "consents_to_contact": True,
            "is_organiser": False, "email": "nina@nhs.net", "phone": "0161 496 0000",
            "help_with": "EBUS", "clinic_days": ["tuesday"], "contact_channels": ["phone"],
            "version": 3, **changes}


def viewer(member_id: str = "sara", organiser: bool = False, logged_in: bool = True) -> Any:
    return SimpleNamespace(id=member_id, is_organiser=organiser, is_authenticated=logged_in)


def test_a_member_who_consents_shows_email_and_phone_to_logged_in_members() -> None:
    shown = present.member(row(), viewer())

    assert (shown["email"], shown["phone"]) == ("nina@nhs.net", "0161 496 0000")
    assert (shown["help_with"], shown["clinic_days"], shown["contact_channels"],
            shown["version"]) == ("EBUS", ["tuesday"], ["phone"], 3)


def test_without_consent_neither_email_nor_phone_is_shown_to_other_members() -> None:
    shown = present.member(row(consents_to_contact=False), viewer())

    assert "email" not in shown and "phone" not in shown
    assert shown["clinic_days"] == ["tuesday"]  # when not to call is no contact detail


def test_a_member_always_sees_their_own_contact_details() -> None:
    shown = present.member(row(consents_to_contact=False), viewer("nina"))

    assert shown["phone"] == "0161 496 0000"


@pytest.mark.parametrize("who", [None, viewer(logged_in=False)])
def test_nobody_logged_out_sees_contact_details(who: Any) -> None:
    shown = present.member(row(), who)

    assert "email" not in shown and "phone" not in shown
