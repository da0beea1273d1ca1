"""Bringing teams and members in from the organisers' spreadsheets, saved as CSV.

Two files, each with a first line naming its columns:

- ``teams.csv``: name, trust, region, latitude, longitude, caseload (patients a year);
- ``members.csv``: email, name, role (its key or its label, in any case: "Lung
  cancer nurse specialist"), team (the team's name), and optionally expertise
  (tags separated by semicolons) and consents_to_contact (yes or no; yes when
  left out).

Files must be UTF-8 (a byte-order mark, as Excel writes, is fine) with commas
between the columns: Excel's semicolon-separated CSV is refused with a problem
saying how to save it.

Checking a file gives a ``Plan``: every row's outcome (new, unchanged or problem)
and every problem as (line, field, message), the line counted as a spreadsheet
shows it, the column names being line 1. A file is imported only when every row
is valid, in one save so it is all or nothing; a row whose team or
member already exists is "unchanged" and never overwritten, so importing the
same file again changes nothing. The rules for each row are the domain's own
(``Team.register``, ``Member.join``): this module only reads the file and
names the line each problem is on. Importing (saving the new rows) is a command:
``ImportCommands`` in community/imports.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

from domain.errors import Invalid
from domain.ids import normalise_email, team_id_for
from domain.member import Member
from domain.team import Team
from domain.values import Role

Outcome = Literal["new", "unchanged", "problem"]
Kind = Literal["teams", "members"]

TEAM_COLUMNS = ("name", "trust", "region", "latitude", "longitude", "caseload")
MEMBER_COLUMNS = ("email", "name", "role", "team")
MEMBER_OPTIONAL = ("expertise", "consents_to_contact")
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "teams": (TEAM_COLUMNS, ()),
    "members": (MEMBER_COLUMNS, MEMBER_OPTIONAL),
}
FILENAMES = {"teams": "teams.csv", "members": "members.csv"}
# Column headings people write for the same thing.
ALIASES = {"e_mail": "email", "e_mail_address": "email", "email_address": "email",
           "team_name": "team", "consent": "consents_to_contact",
           "consents": "consents_to_contact", "consent_to_contact": "consents_to_contact"}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
SAVE_AS = 'in Excel choose "Save as", then "CSV UTF-8 (Comma delimited) (*.csv)"'


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str
    file: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message,
                "file": self.file}


@dataclass
class Row:
    """One row of the file: what it would do, and what it says, to show people."""

    line: int
    key: str  # the team's name or the member's e-mail, as written
    outcome: Outcome
    details: dict[str, str] = field(default_factory=dict)
    aggregate: Any = None  # the new Team or Member, not yet saved


@dataclass
class Plan:
    """What importing one file would do."""

    kind: Kind
    file: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Required columns the file lacks: reported once on line 1, not on every row.
    missing_columns: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new(self) -> list[Row]:
        return [r for r in self.rows if r.outcome == "new"]

    @property
    def unchanged(self) -> list[Row]:
        return [r for r in self.rows if r.outcome == "unchanged"]

    def fail(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(line, field_name, message, self.file))


@dataclass
class Result:
    """The outcome of an import: the plans checked, and whether they were written."""

    plans: list[Plan]
    dry_run: bool
    written: bool = False

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.plans)

    @property
    def problems(self) -> list[Problem]:
        return [problem for plan in self.plans for problem in plan.problems]

    @property
    def new(self) -> list[Row]:
        return [row for plan in self.plans for row in plan.new]

    @property
    def unchanged(self) -> list[Row]:
        return [row for plan in self.plans for row in plan.unchanged]

    @property
    def new_member_ids(self) -> list[UUID]:
        """The members this import added (none unless written)."""
        if not self.written:
            return []
        return [row.aggregate.id for plan in self.plans if plan.kind == "members"
                for row in plan.new]

    def summary(self) -> str:
        counts = ", ".join(f"{len(p.new)} new {p.kind}, {len(p.unchanged)} unchanged"
                           for p in self.plans)
        if not self.ok:
            count = len(self.problems)
            return (f"Nothing was imported: {count} problem{'s' if count != 1 else ''} "
                    f"to fix first.")
        if self.dry_run:
            return f"The file is ready to import ({counts}). Nothing was written."
        return f"Imported: {counts}."


# --- reading the file -------------------------------------------------------------------


def decode(data: str | bytes, filename: str) -> tuple[str | None, Problem | None]:
    """The file's text (a UTF-8 byte-order mark is fine), or the one problem that it is
    not UTF-8, naming the line of the first byte that is not."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), None
    if data.startswith(b"PK\x03\x04"):  # a zip file: Excel's .xlsx
        return None, Problem(1, "file", f"{filename} is an Excel workbook, not a CSV file: "
                                        f"save it as CSV UTF-8 ({SAVE_AS})", filename)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, Problem(line, "file", f"{filename} is not saved as UTF-8 text: "
                                           f"save it as CSV UTF-8 ({SAVE_AS})", filename)


def column_name(heading: str) -> str:
    name = "_".join(heading.strip().lower().replace("-", "_").split())
    return ALIASES.get(name, name)


def _records(text: str, plan: Plan) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its cells). A quoted value may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next_line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            plan.fail(reader.line_num or next_line, "file",
                      f"cannot be read as CSV ({error}): check the quotes on this line")
            return
        yield next_line, cells
        next_line = reader.line_num + 1


def _header(cells: list[str], plan: Plan) -> tuple[list[str], set[str]]:
    """The column names, and the required ones missing (each a problem on line 1)."""
    required, optional = COLUMNS[plan.kind]
    known = required + optional
    expected = ", ".join(required) + (f" (and, if you like, {', '.join(optional)})"
                                      if optional else "")
    if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
        separator = "semicolons" if ";" in cells[0] else "tabs"
        plan.fail(1, "file", f"the columns are separated by {separator}: separate them with "
                             f"commas ({SAVE_AS})")
        return [], set(required)
    names = [column_name(c) for c in cells]
    seen: set[str] = set()
    for name, heading in zip(names, cells, strict=False):
        if not name:
            continue  # a blank heading (spreadsheets add them): its cells must be empty
        if name in seen:
            plan.fail(1, name, "this column is named twice")
        elif name not in known:
            plan.fail(1, heading.strip(), f"is not a column of {plan.file}: the columns are "
                                          f"{expected}")
        seen.add(name)
    missing = [c for c in required if c not in seen]
    for name in missing:
        plan.fail(1, name, f"the {name} column is missing: the first line must name the "
                           f"columns {expected}")
    return names, set(missing)


def _rows(data: str | bytes, plan: Plan) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: value}) for each row that is not blank, after checking the header."""
    text, problem = decode(data, plan.file)
    if problem is not None:
        plan.problems.append(problem)
        return
    assert text is not None
    records = _records(text, plan)
    first = next(records, None)
    if first is None or not any(c.strip() for c in first[1]):
        plan.fail(1, "file", f"{plan.file} is empty: its first line must name the columns")
        return
    names, missing = _header(first[1], plan)
    if not names:
        return
    plan.missing_columns = missing
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
            plan.fail(line, "row", f"has {len(cells)} values but the first line names "
                                   f"{len(names)} columns (a value with a comma in it "
                                   f"needs double quotes around it)")
        if any(value.strip() for name, value in zip(names, cells, strict=False) if not name):
            plan.fail(line, "row", "has a value in a column with no name on line 1: name "
                                   "the column or empty it")
        yield line, {name: value.strip() for name, value in zip(names, cells, strict=False) if name}


ROLE_CHOICES = "; ".join(role.label for role in Role)


def _report(plan: Plan, line: int, error: Invalid, fields: dict[str, str]) -> None:
    """The domain's problems with a row, named by the file's columns; a column
    already reported missing is not reported again on every row."""
    for name, message in error.fields.items():
        column = fields.get(name, name)
        if column == "role" and plan.kind == "members":
            message = f"is not a role we know: write one of {ROLE_CHOICES}"
        if column not in plan.missing_columns:
            plan.fail(line, column, message)


def _in_order(plan: Plan) -> Plan:
    """Problems by line, and within a line in the order of the columns."""
    required, optional = COLUMNS[plan.kind]
    order = {name: i for i, name in enumerate(("file", "row", *required, *optional))}
    plan.problems.sort(key=lambda p: (p.line, order.get(p.field, len(order))))
    return plan


# --- checking ---------------------------------------------------------------------------


Existing = Callable[[list[UUID]], Collection[UUID]]
# Which of these (normalised) e-mail addresses already belong to members: a member's
# id is random, so only the community's e-mail index can say.
ExistingEmails = Callable[[list[str]], Collection[str]]


def _none(_: list[Any]) -> set[Any]:
    return set()


def _mark_existing(plan: Plan, exists: Callable[[list[Any]], Collection[Any]],
                   key: Callable[[Row], Any] = lambda row: row.aggregate.id) -> Plan:
    """Rows whose team or member is already there are unchanged: asked in one go."""
    new = [row for row in plan.rows if row.outcome == "new"]
    found = set(exists([key(row) for row in new])) if new else set()
    for row in new:
        if key(row) in found:
            row.outcome, row.aggregate = "unchanged", None
    return _in_order(plan)


def check_teams(data: str | bytes, *, exists: Existing = _none,
                filename: str = FILENAMES["teams"]) -> Plan:
    """Check a teams.csv. ``exists(ids)`` gives those of the ids already registered."""
    plan = Plan("teams", filename)
    first_line: dict[UUID, int] = {}
    for line, row in _rows(data, plan):
        before = len(plan.problems)
        name = row.get("name", "")
        team = None
        try:
            team = Team.register(name=name, trust=row.get("trust", ""),
                                 region=row.get("region", ""), latitude=row.get("latitude"),
                                 longitude=row.get("longitude"), caseload=row.get("caseload"))
        except Invalid as error:
            _report(plan, line, error, {})
        key = team_id_for(name)
        if name and key in first_line:
            plan.fail(line, "name", f"the team {name!r} is already on line {first_line[key]}")
        elif name:
            first_line[key] = line
        details = {"trust": row.get("trust", ""), "region": row.get("region", "")}
        if team is None or len(plan.problems) > before:
            plan.rows.append(Row(line, name, "problem", details))
        else:
            plan.rows.append(Row(line, name, "new", details, team))
    return _mark_existing(plan, exists)


ROLE_WORDS = {word: role for role in Role
              for word in (role.value, role.label.lower(), role.value.replace("_", " "))}


def parse_role(value: str) -> object:
    """A role by its value or its label, in any case: "Lung cancer nurse specialist"."""
    return ROLE_WORDS.get(" ".join(value.lower().split()), value)


def _team_finder(known_teams: Collection[str] | Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a team name is known, asking ``known_teams`` once a team."""
    if not callable(known_teams):
        ids = {team_id_for(name) for name in known_teams}
        return lambda name: team_id_for(name) in ids
    answers: dict[UUID, bool] = {}

    def known(name: str) -> bool:
        key = team_id_for(name)
        if key not in answers:
            answers[key] = bool(known_teams(name))
        return answers[key]

    return known


def check_members(data: str | bytes,
                  known_teams: Collection[str] | Callable[[str], bool] = (), *,
                  exists: ExistingEmails = _none,
                  filename: str = FILENAMES["members"]) -> Plan:
    """Check a members.csv. ``known_teams`` are the names of the teams registered or in
    the same upload (or a function of a name saying so); ``exists(emails)`` gives those
    of the (normalised) addresses that already belong to members."""
    plan = Plan("members", filename)
    team_known = _team_finder(known_teams)
    first_line: dict[str, int] = {}
    for line, row in _rows(data, plan):
        before = len(plan.problems)
        email, team_name = row.get("email", ""), row.get("team", "")
        consents = row.get("consents_to_contact", "").lower()
        if consents and consents not in YES | NO:
            plan.fail(line, "consents_to_contact", "must be yes or no (left empty means yes)")
        # Semicolons separate the tags; a comma does too (the directory keeps none in a tag).
        tags = row.get("expertise", "").replace(",", ";").split(";")
        team_id = team_id_for(team_name) if team_name else None
        if team_name and not team_known(team_name):
            plan.fail(line, "team", f"no team named {team_name!r} is registered: add it to "
                                    f"teams.csv and import that first")
        member = None
        try:
            member = Member.join(email=email, name=row.get("name", ""),
                                 role=parse_role(row.get("role", "")), team_id=team_id,
                                 expertise=tags,
                                 consents_to_contact=consents not in NO)
        except Invalid as error:
            _report(plan, line, error, {"team_id": "team"})
        key = normalise_email(email)
        if key and key in first_line:
            plan.fail(line, "email", f"{email} is already on line {first_line[key]}")
        elif key:
            first_line[key] = line
        details = {"name": row.get("name", ""), "team": team_name,
                   "role": member.role.label if member else row.get("role", "")}
        if member is None or len(plan.problems) > before:
            plan.rows.append(Row(line, email, "problem", details))
        else:
            plan.rows.append(Row(line, email, "new", details, member))
    return _mark_existing(plan, exists, key=lambda row: row.aggregate.email)


def problem_rows(problems: Iterable[Problem]) -> list[tuple[str, str, str]]:
    """(line, field, message) as text, for a table."""
    return [(str(p.line), p.field, p.message) for p in problems]
