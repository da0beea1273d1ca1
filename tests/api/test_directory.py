"""The network directory: teams, members, and counterparts in other teams."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import EMAILS, error_of, fields_of, json_of


def names(members: list[dict]) -> list[str]:
    return [m["name"] for m in members]


# --- teams -----------------------------------------------------------------------

def test_the_teams_list_shows_each_team_with_its_latest_audit(nurse, network):
    teams = json_of(nurse.get("/teams"), 200)["teams"]

    assert [t["name"] for t in teams] == ["Northshire lung cancer MDT",
                                          "Southmoor lung cancer MDT"]
    north = teams[0]
    assert north["id"] == str(network.north)
    assert north["trust"] == "Northshire Hospitals NHS Trust"
    assert north["region"] == "North West"
    assert north["member_count"] == 2
    assert north["latest_audit_year"] == 2011
    assert north["latest_audit"] == {"cns_seen": 61.0, "histology": 70.5}


def test_one_team_shows_its_audit_history_by_year(nurse, network, community):
    community.record_audit(network.south, year=2012, results={"cns_seen": 93.0})

    team = json_of(nurse.get(f"/teams/{network.south}"), 200)["team"]

    assert team["name"] == "Southmoor lung cancer MDT"
    assert team["member_count"] == 1
    assert team["audits"] == {"2011": {"cns_seen": 91.0, "histology": 82.0},
                              "2012": {"cns_seen": 93.0}}
    assert team["latest_audit_year"] == 2012
    assert team["latest_audit"] == {"cns_seen": 93.0}


# A fixed unknown id: a random one names the test differently in each xdist process.
@pytest.mark.parametrize("team_id", ["9d0bcc48-0f26-4ac4-9a21-b987b60f4d59", "not-an-id"])
def test_an_unknown_team_is_404(nurse, team_id):
    assert error_of(nurse.get(f"/teams/{team_id}"), 404)["code"] == "not_found"


# --- members search ----------------------------------------------------------------

def test_the_member_list_is_everyone_in_name_order_with_paging_totals(nurse):
    page = json_of(nurse.get("/members"), 200)

    assert names(page["members"]) == ["Liam Lead", "Nina Nurse", "Olive Organiser",
                                      "Sara South"]
    assert (page["total"], page["limit"], page["offset"]) == (4, 50, 0)


def test_members_can_be_filtered_by_role(nurse):
    page = json_of(nurse.get("/members", params={"role": "lung_cancer_nurse_specialist"}), 200)

    assert names(page["members"]) == ["Nina Nurse", "Sara South"]
    assert page["total"] == 2
    assert {m["role_label"] for m in page["members"]} == {"Lung cancer nurse specialist"}


def test_members_can_be_filtered_by_team(nurse, network):
    page = json_of(nurse.get("/members", params={"team": str(network.north)}), 200)

    assert names(page["members"]) == ["Liam Lead", "Nina Nurse"]
    assert {m["team_id"] for m in page["members"]} == {str(network.north)}


def test_members_can_be_filtered_by_region(nurse):
    page = json_of(nurse.get("/members", params={"region": "South West"}), 200)

    assert names(page["members"]) == ["Sara South"]


@pytest.mark.parametrize("q, expected", [
    ("ebus", ["Sara South"]),                      # expertise
    ("NURSE-LED", ["Nina Nurse", "Sara South"]),   # expertise, any case
    ("southmoor", ["Sara South"]),                 # team or trust
    ("liam", ["Liam Lead"]),                       # name
    ("nina clinics", ["Nina Nurse"]),              # every word must match
    ("nin sou", []),                               # each word's start, all of them
    ("sar EBU", ["Sara South"]),                   # the start of a word finds it
    ("nobody-has-this", []),
])
def test_members_can_be_searched_by_words(nurse, q, expected):
    page = json_of(nurse.get("/members", params={"q": q}), 200)

    assert names(page["members"]) == expected
    assert page["total"] == len(expected)


def test_a_search_of_the_directory_asked_again_finds_who_joined_since(nurse, community,
                                                                     network):
    # A page of members is kept until the directory or the search index moves on
    # (web/directory_kept.py).
    assert names(json_of(nurse.get("/members", params={"q": "ebus"}), 200)["members"]) == [
        "Sara South"]
    community.join(email="eve.ebus@southmoor.nhs.uk", name="Eve Ebus", role="radiologist",
                   team_id=network.south, password="x" * 12, expertise=["ebus"])

    assert names(json_of(nurse.get("/members", params={"q": "ebus"}), 200)["members"]) == [
        "Eve Ebus", "Sara South"]


def test_filters_combine(nurse, network):
    page = json_of(nurse.get("/members", params={
        "role": "lung_cancer_nurse_specialist", "team": str(network.south), "q": "sara"}), 200)

    assert names(page["members"]) == ["Sara South"]


def test_paging_walks_through_the_members_with_the_total_on_every_page(nurse):
    first = json_of(nurse.get("/members", params={"limit": 3}), 200)
    second = json_of(nurse.get("/members", params={"limit": 3, "offset": 3}), 200)
    beyond = json_of(nurse.get("/members", params={"limit": 3, "offset": 10}), 200)

    assert names(first["members"]) == ["Liam Lead", "Nina Nurse", "Olive Organiser"]
    assert names(second["members"]) == ["Sara South"]
    assert beyond["members"] == []
    assert (first["total"], second["total"], beyond["total"]) == (4, 4, 4)
    assert (second["limit"], second["offset"]) == (3, 3)


@pytest.mark.parametrize("params, field", [
    ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"), ({"limit": "ten"}, "limit"),
    ({"limit": "1.5"}, "limit"), ({"offset": "-1"}, "offset"), ({"offset": "x"}, "offset"),
])
def test_a_bad_paging_parameter_is_400_naming_it(nurse, params, field):
    assert set(fields_of(nurse.get("/members", params=params))) == {field}


def test_an_unknown_role_is_400_naming_role(nurse):
    assert set(fields_of(nurse.get("/members", params={"role": "surgeon-ish"}))) == {"role"}


# --- one member, and consent ----------------------------------------------------------

def test_one_member_shows_their_team_and_expertise(nurse, network):
    member = json_of(nurse.get(f"/members/{network.other_nurse}"), 200)["member"]

    assert member["name"] == "Sara South"
    assert member["team"] == "Southmoor lung cancer MDT"
    assert member["region"] == "South West"
    assert member["expertise"] == ["ebus", "nurse-led clinics"]
    assert member["consents_to_contact"] is True
    assert member["email"] == EMAILS["other_nurse"]


@pytest.fixture
def sara_withdrew_consent(community, network):
    community.update_profile(network.other_nurse, by=None, role="lung_cancer_nurse_specialist",
                             expertise=["nurse-led clinics", "ebus"], consents_to_contact=False)


def test_a_members_email_is_hidden_when_they_do_not_consent_to_contact(
        nurse, network, sara_withdrew_consent):
    one = json_of(nurse.get(f"/members/{network.other_nurse}"), 200)["member"]
    listed = json_of(nurse.get("/members", params={"q": "sara"}), 200)["members"]

    assert one["consents_to_contact"] is False
    assert "email" not in one
    assert "email" not in listed[0]
    assert EMAILS["other_nurse"] not in nurse.get("/members").text


def test_a_member_still_sees_their_own_email_without_consenting(
        other_nurse, network, sara_withdrew_consent):
    assert json_of(other_nurse.get("/me"), 200)["member"]["email"] == EMAILS["other_nurse"]
    one = json_of(other_nurse.get(f"/members/{network.other_nurse}"), 200)["member"]
    assert one["email"] == EMAILS["other_nurse"]


def test_an_organiser_does_not_see_the_email_of_a_member_who_does_not_consent(
        organiser, network, sara_withdrew_consent):
    one = json_of(organiser.get(f"/members/{network.other_nurse}"), 200)["member"]

    assert "email" not in one and "phone" not in one


def test_an_unknown_member_is_404(nurse):
    assert error_of(nurse.get(f"/members/{uuid.uuid4()}"), 404)["code"] == "not_found"


# --- counterparts ---------------------------------------------------------------------

@pytest.fixture
def aaron(community, network):
    """A radiologist in the south team whose name sorts before Sara's."""
    return community.join(email="aaron.alpha@southmoor.nhs.uk", name="Aaron Alpha",
                          role="radiologist", team_id=network.south, password="x" * 12)


def test_counterparts_are_in_other_teams_only_the_same_role_first_each_with_reasons(
        nurse, network, aaron):
    found = json_of(nurse.get(f"/members/{network.nurse}/counterparts"), 200)["counterparts"]

    assert [c["member"]["name"] for c in found] == ["Sara South", "Aaron Alpha"]
    assert all(c["member"]["team_id"] != str(network.north) for c in found)
    assert all(c["reasons"] and all(isinstance(r, str) and r for r in c["reasons"])
               for c in found)
    sara = found[0]["reasons"]
    assert "Same role as you: Lung cancer nurse specialist" in sara
    assert "Shares your interest in nurse-led clinics" in sara


def test_counterparts_leave_out_members_who_do_not_consent_and_organisers(
        nurse, network, aaron, sara_withdrew_consent):
    found = json_of(nurse.get(f"/members/{network.nurse}/counterparts"), 200)["counterparts"]

    assert [c["member"]["name"] for c in found] == ["Aaron Alpha"]


def test_counterparts_can_be_asked_for_another_member(other_nurse, network):
    found = json_of(other_nurse.get(f"/members/{network.lead}/counterparts"), 200)["counterparts"]

    assert [c["member"]["name"] for c in found] == ["Sara South"]
    reasons = found[0]["reasons"]
    # The lead's team (north) is below the standard where Sara's team does well.
    assert ("Their team does well on “Seen by a lung cancer nurse specialist”: "
            "91% (your team 61%, standard 80%)") in reasons
    assert ("Their team does well on “Histological or cytological confirmation”: "
            "82% (your team 70.5%, standard 75%)") in reasons
    assert not any(r.startswith("Same role") for r in reasons)  # a lead, not a nurse
    assert reasons[-1].startswith("Southmoor lung cancer MDT, South West: ")
    assert found[0]["distance_km"] > 200


def test_counterparts_asked_again_say_who_you_have_been_in_contact_with_since(
        nurse, community, network):
    # Counterparts are kept until the directory, library or network moves on.
    path = f"/members/{network.nurse}/counterparts"
    first = json_of(nurse.get(path), 200)["counterparts"][0]
    assert first["member"]["name"] == "Sara South"
    assert "You have been in contact before" not in first["reasons"]
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="Nurse-led clinics", made_on="2013-01-15")

    again = json_of(nurse.get(path), 200)["counterparts"][0]
    assert "You have been in contact before" in again["reasons"]


def test_counterparts_of_an_unknown_member_is_404(nurse):
    assert error_of(nurse.get(f"/members/{uuid.uuid4()}/counterparts"), 404)["code"] == "not_found"
