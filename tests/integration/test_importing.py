"""Importing the organisers' CSV files into a real store (a SQLite file and PostgreSQL),
the invitation links that follow, and the ``community import`` / ``invite`` commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from community import Community
from community.cli import main
from community.invitations import InvitationError, Invitations
from config import Settings
from domain.errors import Conflict
from domain.ids import team_id_for
from tests.conftest import make_community

TEAMS = ("name,trust,region,latitude,longitude,caseload\n"
         "Northshire lung cancer MDT,Northshire Hospitals NHS Trust,North West,53.5,-2.3,320\n"
         "Southmoor lung cancer MDT,Southmoor NHS Foundation Trust,South West,50.7,-3.5,280\n")
MEMBERS = ("email,name,role,team,expertise,consents_to_contact\n"
           "nina.nurse@northshire.nhs.uk,Nina Nurse,Lung cancer nurse specialist,"
           "Northshire lung cancer MDT,EBUS; nurse-led clinics,yes\n"
           "sam.surgeon@southmoor.nhs.uk,Sam Surgeon,Thoracic surgeon,"
           "Southmoor lung cancer MDT,,no\n")
BAD_MEMBERS = ("email,name,role,team\n"
               "nina.nurse@northshire.nhs.uk,Nina Nurse,Lung cancer nurse specialist,"
               "Northshire lung cancer MDT\n"
               "not-an-email,Bad Address,Oncologist,Northshire lung cancer MDT\n"
               "lee@nowhere.nhs.uk,Lee,Oncologist,Nowhere MDT\n"
               "NINA.NURSE@northshire.nhs.uk,Nina again,Oncologist,Northshire lung cancer MDT\n")
PASSWORD = "a long enough password"


def events(app: Community) -> int:
    return app.recorder.max_notification_id() or 0


def test_teams_then_members_arrive_in_the_directory_without_passwords(app: Community) -> None:
    assert app.import_teams(TEAMS).written
    result = app.import_members(MEMBERS.encode("utf-8"))

    assert result.written and len(result.new) == 2
    nina = app.views.directory.member(str(app.member_id_by_email("nina.nurse@northshire.nhs.uk")))
    assert nina is not None
    assert (nina["name"], nina["team"], nina["role"], nina["expertise"]) == (
        "Nina Nurse", "Northshire lung cancer MDT", "lung_cancer_nurse_specialist",
        ["ebus", "nurse-led clinics"])
    assert nina["can_log_in"] is False
    assert app.authenticate("nina.nurse@northshire.nhs.uk", "") is None
    assert {t["name"] for t in app.views.directory.teams()} == {
        "Northshire lung cancer MDT", "Southmoor lung cancer MDT"}


def test_a_bad_file_is_refused_with_every_problem_and_nothing_written(app: Community) -> None:
    app.import_teams(TEAMS)
    before = events(app)

    result = app.import_members(BAD_MEMBERS)

    assert not result.written
    assert [(p.line, p.field) for p in result.problems] == [
        (3, "email"), (4, "team"), (5, "email")]
    assert events(app) == before
    assert app.member_id_by_email("nina.nurse@northshire.nhs.uk") is None


def test_importing_the_same_files_again_changes_nothing(app: Community) -> None:
    app.import_members(MEMBERS, teams=TEAMS)
    before = events(app)

    again = app.import_members(MEMBERS, teams=TEAMS)

    assert again.ok and again.written
    assert (len(again.new), len(again.unchanged)) == (0, 4)
    assert events(app) == before


def test_an_existing_row_is_never_overwritten(app: Community) -> None:
    app.import_teams(TEAMS)
    changed = TEAMS.replace("Northshire Hospitals NHS Trust", "A new trust name") + \
        "Westward lung cancer MDT,Westward Trust,South West,50.4,-4.1,150\n"

    result = app.import_teams(changed)

    assert [(r.key, r.outcome) for r in result.plans[0].rows] == [
        ("Northshire lung cancer MDT", "unchanged"), ("Southmoor lung cancer MDT", "unchanged"),
        ("Westward lung cancer MDT", "new")]
    assert app.team(team_id_for("Northshire lung cancer MDT")).trust == \
        "Northshire Hospitals NHS Trust"


def test_a_clash_with_a_change_made_meanwhile_writes_none_of_the_rows(
        app: Community, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone registers one of the teams between the check and the write: the whole
    file is refused as a conflict, the other team included."""
    real_save = app.save
    someone_else = make_community(database_url)

    def save_after_someone_else(*aggregates: Any) -> Any:
        someone_else.register_team(name="Southmoor lung cancer MDT", trust="Elsewhere",
                                   region="South", latitude=50, longitude=-3, caseload=1)
        return real_save(*aggregates)

    monkeypatch.setattr(app, "save", save_after_someone_else)
    try:
        with pytest.raises(Conflict):
            app.import_teams(TEAMS)
    finally:
        monkeypatch.undo()
        someone_else.close()

    assert team_id_for("Northshire lung cancer MDT") not in app.repository
    assert app.team(team_id_for("Southmoor lung cancer MDT")).trust == "Elsewhere"


# --- invitations ------------------------------------------------------------------------


def test_an_invitation_sets_the_password_once(app: Community) -> None:
    result = app.import_members(MEMBERS, teams=TEAMS)
    links = Invitations("secret")
    nina, _ = links.invite_all(app, result.new_member_ids)

    member = links.accept(app, nina.token, PASSWORD)

    assert member.email == "nina.nurse@northshire.nhs.uk"
    assert app.authenticate("nina.nurse@northshire.nhs.uk", PASSWORD) is not None
    with pytest.raises(InvitationError) as second:
        links.accept(app, nina.token, "another long password")
    assert second.value.reason == "used"
    assert app.authenticate("nina.nurse@northshire.nhs.uk", PASSWORD) is not None


def test_a_link_used_twice_at_the_same_moment_sets_the_password_once(app: Community) -> None:
    """Both requests read the member before either writes: the second write is refused."""
    result = app.import_members(MEMBERS, teams=TEAMS)
    nina = result.new_member_ids[0]
    version = app.member(nina).version

    app.set_password(nina, PASSWORD, version=version)
    with pytest.raises(Conflict):
        app.set_password(nina, "the attacker's password", version=version)
    assert app.authenticate("nina.nurse@northshire.nhs.uk", PASSWORD) is not None


# --- the command line ------------------------------------------------------------------


class Cli:
    """``community`` on the command line, given files written to ``dir`` first
    (``members_csv=...`` writes members.csv)."""

    def __init__(self, folder: Path) -> None:
        self.dir = folder
        self.runner = CliRunner()

    def __call__(self, *args: str, **files: str | bytes) -> Result:
        for name, text in files.items():
            (self.dir / name.replace("_", ".")).write_bytes(
                text if isinstance(text, bytes) else text.encode("utf-8"))
        return self.runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    """`community import ...` on each store (a SQLite file and PostgreSQL)."""
    monkeypatch.setenv("COMMUNITY_DATABASE_URL", database_url)
    monkeypatch.setenv("COMMUNITY_SECRET_KEY", "cli secret")
    return Cli(tmp_path)


def test_the_cli_checks_imports_and_prints_invitation_links(cli: Any, database_url: str) -> None:
    folder = cli.dir
    refused = cli("import", "members", str(folder / "members.csv"), members_csv=MEMBERS)
    assert refused.exit_code == 1
    assert "no team named 'Northshire lung cancer MDT' is registered" in refused.output
    assert "Nothing was imported: 2 problems to fix first." in refused.output

    checked = cli("import", "teams", str(folder / "teams.csv"), "--dry-run", teams_csv=TEAMS)
    assert checked.exit_code == 0, checked.output
    assert "Nothing was written" in checked.output
    assert "2 new" in checked.output

    assert cli("import", "teams", str(folder / "teams.csv")).exit_code == 0
    imported = cli("import", "members", str(folder / "members.csv"),
                   "--base-url", "https://community.example.nhs.uk")
    assert imported.exit_code == 0, imported.output
    links = re.findall(r"(\S+@\S+)\s+(https://community\.example\.nhs\.uk/invitations/\S+)",
                       imported.output)
    assert [email for email, _ in links] == ["nina.nurse@northshire.nhs.uk",
                                            "sam.surgeon@southmoor.nhs.uk"]
    assert "works once, for 14 days" in imported.output

    again = cli("import", "members", str(folder / "members.csv"))
    assert again.exit_code == 0
    assert "0 new, 2 unchanged" in again.output and "invitations/" not in again.output

    # The link works on the store the command wrote to, with the same secret key (which
    # also keys the e-mail index that finds her by address when she logs in).
    app = Community(Settings(database_url=database_url, secret_key="cli secret", testing=True))
    try:
        token = links[0][1].rsplit("/", 1)[1]
        Invitations("cli secret").accept(app, token, PASSWORD)
        assert app.authenticate("nina.nurse@northshire.nhs.uk", PASSWORD) is not None
    finally:
        app.close()


def test_the_cli_lists_each_problem_of_a_bad_file_in_a_table(cli: Any) -> None:
    cli("import", "teams", str(cli.dir / "teams.csv"), teams_csv=TEAMS)
    result = cli("import", "members", str(cli.dir / "bad.csv"), bad_csv=BAD_MEMBERS)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert re.match(r"line\s+field\s+message", lines[0])
    assert re.match(r"3\s+email\s+must be an e-mail address", lines[1])
    assert re.match(r"4\s+team\s+no team named 'Nowhere MDT'", lines[2])
    assert re.match(r"5\s+email\s+NINA.NURSE@northshire.nhs.uk is already on line 2", lines[3])


def test_the_cli_refuses_a_file_not_saved_as_utf8(cli: Any) -> None:
    result = cli("import", "teams", str(cli.dir / "teams.csv"),
                 teams_csv=TEAMS.replace("Southmoor", "Söuthmoor").encode("cp1252"))
    assert result.exit_code == 1
    assert "teams.csv is not saved as UTF-8" in result.output


def test_the_cli_invites_a_member_without_a_password_only(cli: Any) -> None:
    cli("import", "members", str(cli.dir / "members.csv"), "--teams", str(cli.dir / "teams.csv"),
        members_csv=MEMBERS, teams_csv=TEAMS)

    made = cli("invite", "--email", "Nina.Nurse@northshire.nhs.uk")
    assert made.exit_code == 0, made.output
    assert "http://127.0.0.1:5000/invitations/" in made.output

    assert "no member has the e-mail address" in cli("invite", "--email", "x@y.org").output
    cli("add-user", "--email", "olive@example.org", "--name", "Olive", "--role", "organiser",
        "--organiser", "--password", PASSWORD)
    refused = cli("invite", "--email", "olive@example.org")
    assert refused.exit_code == 1
    assert "has already set a password" in refused.output
