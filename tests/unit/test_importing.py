"""Checking the organisers' CSV files, row by row, without a store.

Each bad kind of file is refused with the line and field named; a fake
application records what would be saved, so "nothing written" is checked here
too (tests/integration/test_importing.py does the same on the real store).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from community.importing import Plan, check_members, check_teams, parse_role
from community.imports import ImportCommands
from community.invitations import InvitationError, Invitations
from community.members import email_index_id_in
from config import Settings
from domain.errors import NotAllowed
from domain.ids import team_id_for
from domain.member import Member
from domain.team import Team
from domain.values import Role
from tests.tokens import tampered

TEAMS = ("name,trust,region,latitude,longitude,caseload\n"
         "Northshire lung cancer MDT,Northshire Hospitals NHS Trust,North West,53.5,-2.3,320\n"
         "Southmoor lung cancer MDT,Southmoor NHS Foundation Trust,South West,50.7,-3.5,280\n")
MEMBERS = ("email,name,role,team,expertise,consents_to_contact\n"
           "nina.nurse@northshire.nhs.uk,Nina Nurse,Lung cancer nurse specialist,"
           "Northshire lung cancer MDT,EBUS; nurse-led clinics,yes\n"
           "sam.surgeon@southmoor.nhs.uk,Sam Surgeon,thoracic_surgeon,"
           "Southmoor lung cancer MDT,,no\n")
KNOWN = ["Northshire lung cancer MDT", "Southmoor lung cancer MDT"]
NORTH = "Northshire lung cancer MDT"
MEMBER_HEADER = "email,name,role,team\n"


def problems(plan: Plan) -> list[tuple[int, str]]:
    return [(p.line, p.field) for p in plan.problems]


def message(plan: Plan, line: int, field: str) -> str:
    return next(p.message for p in plan.problems if (p.line, p.field) == (line, field))


# --- good files ---------------------------------------------------------------------------


def test_a_good_teams_file_makes_a_new_team_of_each_row() -> None:
    plan = check_teams(TEAMS)

    assert plan.ok and plan.problems == []
    assert [(r.line, r.key, r.outcome) for r in plan.rows] == [
        (2, "Northshire lung cancer MDT", "new"), (3, "Southmoor lung cancer MDT", "new")]
    north = plan.rows[0].aggregate
    assert isinstance(north, Team)
    assert (north.trust, north.region, north.latitude, north.longitude, north.caseload) == (
        "Northshire Hospitals NHS Trust", "North West", 53.5, -2.3, 320)
    assert north.id == team_id_for("Northshire lung cancer MDT")


def test_a_good_members_file_reads_roles_tags_and_consent() -> None:
    plan = check_members(MEMBERS, KNOWN)

    assert plan.ok, plan.problems
    nina, sam = (row.aggregate for row in plan.rows)
    assert isinstance(nina, Member)
    assert nina.id.version == 4  # random: it says nothing about her address
    assert (nina.role, nina.team_id, nina.expertise, nina.consents_to_contact) == (
        Role.CNS, team_id_for("Northshire lung cancer MDT"), ["ebus", "nurse-led clinics"], True)
    assert (sam.role, sam.expertise, sam.consents_to_contact) == (
        Role.THORACIC_SURGEON, [], False)
    assert nina.password_hash is None  # they set it themselves, through an invitation


@pytest.mark.parametrize("written, role", [
    ("Lung cancer nurse specialist", Role.CNS),
    ("LUNG CANCER NURSE SPECIALIST", Role.CNS),
    ("  lung  cancer nurse specialist ", Role.CNS),
    ("lung_cancer_nurse_specialist", Role.CNS),
    ("MDT co-ordinator", Role.MDT_COORDINATOR),
    ("mdt coordinator", Role.MDT_COORDINATOR),
    ("Clinical lead", Role.CLINICAL_LEAD),
    ("IT lead", Role.IT_LEAD),
])
def test_a_role_is_its_key_or_its_label_in_any_case(written: str, role: Role) -> None:
    assert parse_role(written) is role
    plan = check_members(f"{MEMBER_HEADER}a@b.nhs.uk,A,{written},Northshire lung cancer MDT\n",
                         KNOWN)
    assert plan.ok, plan.problems
    assert plan.rows[0].aggregate.role is role


def test_consent_is_yes_when_the_column_is_left_out_or_empty() -> None:
    plan = check_members(MEMBER_HEADER + "a@b.nhs.uk,A,Oncologist,Northshire lung cancer MDT\n",
                         KNOWN)
    assert plan.rows[0].aggregate.consents_to_contact is True

    plan = check_members("email,name,role,team,consents_to_contact\n"
                         "a@b.nhs.uk,A,Oncologist,Northshire lung cancer MDT,\n"
                         "c@b.nhs.uk,C,Oncologist,Northshire lung cancer MDT,No\n", KNOWN)
    assert [r.aggregate.consents_to_contact for r in plan.rows] == [True, False]


def test_a_utf8_byte_order_mark_from_excel_is_fine() -> None:
    for data in ("\ufeff" + TEAMS, ("\ufeff" + TEAMS).encode("utf-8"), TEAMS.encode("utf-8")):
        plan = check_teams(data)
        assert plan.ok, plan.problems
        assert len(plan.new) == 2


def test_headings_are_read_loosely_and_accents_kept() -> None:
    plan = check_members("E-mail, Name ,ROLE,Team,Consents to contact\n"
                         "zoe@b.nhs.uk,Zoë Ó Briain,Radiologist,Northshire lung cancer MDT,yes\n"
                         .encode(), KNOWN)
    assert plan.ok, plan.problems
    assert plan.rows[0].aggregate.name == "Zoë Ó Briain"


def test_blank_lines_are_skipped_and_line_numbers_stay_true() -> None:
    plan = check_members(MEMBER_HEADER + "\n,,,\nbad,A,Oncologist,Northshire lung cancer MDT\n",
                         KNOWN)
    assert problems(plan) == [(4, "email")]


def test_a_value_over_two_lines_counts_the_lines_the_file_has() -> None:
    text = ('name,trust,region,latitude,longitude,caseload\n'
            '"Northshire\nlung cancer MDT",Northshire Trust,North West,53.5,-2.3,320\n'
            'Southmoor MDT,Southmoor Trust,South West,95,-3.5,280\n')
    plan = check_teams(text)
    assert problems(plan) == [(4, "latitude")]


# --- refused: each bad kind of file, with its line and field ----------------------------


def test_a_missing_column_is_named_once_not_on_every_row() -> None:
    plan = check_members("email,name,team\n"
                         "a@b.nhs.uk,A,Northshire lung cancer MDT\n"
                         "c@b.nhs.uk,C,Northshire lung cancer MDT\n", KNOWN)

    assert problems(plan) == [(1, "role")]
    assert "the role column is missing" in message(plan, 1, "role")
    assert "email, name, role, team" in message(plan, 1, "role")
    assert not plan.new


def test_an_unknown_column_is_named() -> None:
    plan = check_teams(TEAMS.replace("caseload", "cases a year"))
    assert (1, "cases a year") in problems(plan)
    assert "is not a column of teams.csv" in message(plan, 1, "cases a year")
    assert (1, "caseload") in problems(plan)


def test_a_bad_email_is_refused_on_its_line() -> None:
    plan = check_members(MEMBER_HEADER
                         + f"nina.nurse@northshire.nhs.uk,Nina,Oncologist,{NORTH}\n"
                         + "sam at southmoor,Sam,Oncologist,Southmoor lung cancer MDT\n", KNOWN)

    assert problems(plan) == [(3, "email")]
    assert message(plan, 3, "email") == "must be an e-mail address like name@nhs.net"
    assert [r.outcome for r in plan.rows] == ["new", "problem"]


def test_an_unknown_team_is_refused_on_its_line() -> None:
    plan = check_members(MEMBER_HEADER + "a@b.nhs.uk,A,Oncologist,Nowhere MDT\n", KNOWN)

    assert problems(plan) == [(2, "team")]
    assert "no team named 'Nowhere MDT' is registered" in message(plan, 2, "team")


def test_a_team_in_the_same_upload_is_known() -> None:
    plan = check_members(MEMBER_HEADER + "a@b.nhs.uk,A,Oncologist,NORTHSHIRE  lung cancer mdt\n",
                         lambda name: team_id_for(name) == team_id_for(NORTH))
    assert plan.ok, plan.problems


def test_a_duplicate_member_row_is_refused_whatever_the_case_of_the_email() -> None:
    plan = check_members(MEMBER_HEADER
                         + f"nina.nurse@northshire.nhs.uk,Nina,Oncologist,{NORTH}\n"
                         + f"Nina.Nurse@Northshire.NHS.uk ,Nina,Oncologist,{NORTH}\n", KNOWN)

    assert problems(plan) == [(3, "email")]
    assert "is already on line 2" in message(plan, 3, "email")


def test_a_duplicate_team_row_is_refused_whatever_the_case_or_spacing_of_the_name() -> None:
    plan = check_teams(TEAMS + "northshire  LUNG cancer mdt,Other trust,North,53,-2,10\n")

    assert problems(plan) == [(4, "name")]
    assert "is already on line 2" in message(plan, 4, "name")


def test_a_file_not_saved_as_utf8_is_one_clear_problem_naming_the_file() -> None:
    latin1 = (MEMBER_HEADER + "zoe@b.nhs.uk,Zoë,Radiologist,Northshire lung cancer MDT\n"
              ).encode("cp1252")
    plan = check_members(latin1, KNOWN, filename="our members.csv")

    assert len(plan.problems) == 1
    problem = plan.problems[0]
    assert (problem.line, problem.field) == (2, "file")
    assert "our members.csv is not saved as UTF-8" in problem.message
    assert "CSV UTF-8" in problem.message
    assert plan.rows == []


def test_an_excel_workbook_is_refused_with_how_to_save_it_as_csv() -> None:
    workbook = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U"
    plan = check_teams(workbook, filename="teams.xlsx")

    assert problems(plan) == [(1, "file")]
    assert "teams.xlsx is an Excel workbook, not a CSV file" in plan.problems[0].message


def test_semicolons_between_columns_are_refused_with_how_to_save_with_commas() -> None:
    plan = check_teams(TEAMS.replace(",", ";"))

    assert problems(plan) == [(1, "file")]
    assert "separated by semicolons" in plan.problems[0].message
    assert "commas" in plan.problems[0].message
    assert plan.rows == []


@pytest.mark.parametrize("row, field, words", [
    ("A,T,R,95,-2,10", "latitude", "must be at most 90"),
    ("A,T,R,53,-200,10", "longitude", "must be at least -180"),
    ("A,T,R,53,-2,-1", "caseload", "must be at least 0"),
    ("A,T,R,53,-2,many", "caseload", "must be a number"),
    ("A,T,R,,-2,10", "latitude", "is required"),
    (",T,R,53,-2,10", "name", "is required"),
])
def test_numbers_out_of_range_and_missing_values_are_refused(row: str, field: str,
                                                             words: str) -> None:
    plan = check_teams("name,trust,region,latitude,longitude,caseload\n" + row + "\n")
    assert problems(plan) == [(2, field)]
    assert message(plan, 2, field) == words


def test_every_problem_in_a_file_is_listed_in_line_and_column_order() -> None:
    plan = check_members(MEMBER_HEADER
                         + "ok@b.nhs.uk,OK,Oncologist,Northshire lung cancer MDT\n"
                         + "bad,,Nurse,Nowhere MDT\n"
                         + "ok@b.nhs.uk,OK again,Oncologist,Northshire lung cancer MDT\n", KNOWN)

    assert problems(plan) == [(3, "email"), (3, "name"), (3, "role"), (3, "team"),
                              (4, "email")]
    assert "Lung cancer nurse specialist" in message(plan, 3, "role")


def test_a_bad_consent_and_too_many_values_are_refused() -> None:
    plan = check_members("email,name,role,team,consents_to_contact\n"
                         "a@b.nhs.uk,A,Oncologist,Northshire lung cancer MDT,maybe\n"
                         "c@b.nhs.uk,C,Oncologist,Northshire, lung cancer MDT,yes\n", KNOWN)
    assert problems(plan) == [(2, "consents_to_contact"), (3, "row"), (3, "team"),
                              (3, "consents_to_contact")]
    assert "needs double quotes" in message(plan, 3, "row")


def test_columns_without_a_heading_are_fine_while_empty() -> None:
    trailing = TEAMS.replace("\n", ",,\n")
    assert check_teams(trailing).ok

    plan = check_teams(trailing + "Westward MDT,T,R,50,-4,10,,stray\n")
    assert problems(plan) == [(4, "row")]
    assert "column with no name" in message(plan, 4, "row")


def test_an_empty_file_and_a_broken_quote_are_refused() -> None:
    assert problems(check_teams(b"")) == [(1, "file")]
    assert problems(check_teams('name,trust,region,latitude,longitude,caseload\n'
                                '"North,T,R,53,-2,10\n')) == [(2, "file")]


def test_a_row_already_in_the_community_is_unchanged_not_an_error() -> None:
    north = team_id_for("Northshire lung cancer MDT")
    plan = check_teams(TEAMS, exists=lambda ids: {north} & set(ids))

    assert plan.ok
    assert [r.outcome for r in plan.rows] == ["unchanged", "new"]


# --- importing: all or nothing, and again changes nothing ---------------------------------


class FakeCommunity(ImportCommands):
    """The import commands without an event store: records what an import saves;
    ``saved_ids`` is the set of ids saved, with each new member's e-mail index entry
    (as ``MemberCommands.save`` adds it)."""

    def __init__(self) -> None:
        self.saved_ids: set[UUID] = set()
        self.saves: list[tuple[Any, ...]] = []
        self.organiser = uuid4()
        self.settings = Settings()
        self.recorder = self

    def select_events(self, originator_id: UUID, **_: Any) -> list[UUID]:
        return [originator_id] if originator_id in self.saved_ids else []

    def save(self, *aggregates: Any) -> Any:
        self.saves.append(aggregates)
        self.saved_ids.update(a.id for a in aggregates)
        self.saved_ids.update(email_index_id_in(self.settings, a.email)
                              for a in aggregates if isinstance(a, Member))

    def _who(self, member_id: Any) -> Any:
        class Someone:
            is_organiser = member_id == self.organiser
        return Someone()


def test_a_refused_file_writes_nothing() -> None:
    app = FakeCommunity()
    bad = TEAMS + "Westward MDT,T,R,95,-2,10\n"

    result = app.import_teams(bad)

    assert not result.ok and not result.written
    assert app.saves == []
    assert result.summary() == "Nothing was imported: 1 problem to fix first."


def test_a_dry_run_writes_nothing() -> None:
    app = FakeCommunity()
    result = app.import_teams(TEAMS, dry_run=True)

    assert result.ok and not result.written and len(result.new) == 2
    assert app.saves == []


def test_an_import_saves_every_new_row_in_one_call_and_again_changes_nothing() -> None:
    app = FakeCommunity()

    first = app.import_teams(TEAMS)
    assert first.written and len(app.saves) == 1 and len(app.saves[0]) == 2

    again = app.import_teams(TEAMS)
    assert again.written and len(again.new) == 0 and len(again.unchanged) == 2
    assert len(app.saves) == 1  # nothing new to save

    members = app.import_members(MEMBERS)
    assert members.written and len(members.new_member_ids) == 2
    assert app.import_members(MEMBERS).new_member_ids == []
    assert len(app.saves) == 2


def test_teams_and_members_in_one_upload_are_saved_together() -> None:
    app = FakeCommunity()
    result = app.import_members(MEMBERS, teams=TEAMS)

    assert result.ok, result.problems
    assert [len(s) for s in app.saves] == [4]


def test_only_organisers_may_import() -> None:
    app = FakeCommunity()
    with pytest.raises(NotAllowed):
        app.import_teams(TEAMS, by=uuid4())
    assert app.import_teams(TEAMS, by=app.organiser).written


# --- invitation tokens --------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def invited() -> Member:
    return Member.join(email="nina@northshire.nhs.uk", name="Nina", role="oncologist",
                       team_id=team_id_for("Northshire lung cancer MDT"))


def test_a_token_carries_the_member_and_their_version() -> None:
    member = invited()
    invitation = Invitations("secret").invite(member)

    assert Invitations("secret").read(invitation.token) == (member.id, member.version)
    assert invitation.link("http://example.org/").startswith("http://example.org/invitations/")


def test_a_token_expires_after_the_days_given() -> None:
    clock = Clock()
    links = Invitations("secret", days=14, clock=clock)
    token = links.invite(invited()).token

    clock.now += 14 * 24 * 3600 - 5
    links.read(token)
    clock.now += 10
    with pytest.raises(InvitationError) as refused:
        links.read(token)
    assert refused.value.reason == "expired"
    assert "14 days" in refused.value.message and "organiser" in refused.value.message


def test_a_token_signed_with_another_key_or_changed_is_not_valid() -> None:
    token = Invitations("secret").invite(invited()).token
    for bad in (Invitations("other").invite(invited()).token, tampered(token), "nonsense"):
        with pytest.raises(InvitationError) as refused:
            Invitations("secret").read(bad)
        assert refused.value.reason == "invalid"


def test_a_member_with_a_password_gets_no_invitation() -> None:
    member = invited()
    member.set_password("hash")
    with pytest.raises(Exception, match="already set a password"):
        Invitations("secret").invite(member)
