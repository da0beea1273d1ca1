"""Importing the organisers' spreadsheets: the commands that check a teams.csv or a
members.csv (community/importing.py reads and checks the files) and save every new
row in one transaction, all or nothing. Importing the same file again changes nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from community.commands import Commands
from community.importing import (
    FILENAMES,
    Existing,
    ExistingEmails,
    Plan,
    Result,
    check_members,
    check_teams,
)
from community.members import email_index_id_in
from domain.errors import Invalid
from domain.ids import team_id_for

BATCH = 500  # ids in one query
REFUSAL = "only organisers can import teams and members"


class ImportCommands(Commands):
    """Importing teams and members from CSV files."""

    def import_teams(self, data: str | bytes, *, dry_run: bool = False,
                     by: UUID | None = None, filename: str = FILENAMES["teams"]) -> Result:
        """Check a teams.csv and, unless a dry run, register its new teams when every row
        is valid. ``by`` is the organiser importing (None: the operator at the command line)."""
        self._organiser(by, REFUSAL)
        return self._apply([check_teams(data, exists=self._in_store(), filename=filename)],
                           dry_run)

    def import_members(self, data: str | bytes, *, dry_run: bool = False,
                       by: UUID | None = None, filename: str = FILENAMES["members"],
                       teams: str | bytes | None = None,
                       teams_filename: str = FILENAMES["teams"]) -> Result:
        """Check a members.csv and, unless a dry run, add its new members when every row is
        valid. ``teams``, a teams.csv given in the same upload, is checked and imported with
        it (all or nothing), and its teams count as known. New members have no password:
        invite them (``community.invitations``)."""
        self._organiser(by, REFUSAL)
        exists = self._in_store()
        plans = []
        uploaded: set[UUID] = set()
        if teams is not None:
            team_plan = check_teams(teams, exists=exists, filename=teams_filename)
            plans.append(team_plan)
            uploaded = {team_id_for(row.key) for row in team_plan.rows if row.key}

        def known(name: str) -> bool:
            key = team_id_for(name)
            return key in uploaded or key in set(exists([key]))

        plans.append(check_members(data, known, exists=self._members_in_store(exists),
                                   filename=filename))
        return self._apply(plans, dry_run)

    def import_file(self, kind: str, data: str | bytes, **options: Any) -> Result:
        """``import_teams`` or ``import_members`` by name ("teams" or "members")."""
        if kind == "teams":
            return self.import_teams(data, **options)
        if kind == "members":
            return self.import_members(data, **options)
        raise Invalid({"kind": "must be teams or members"})

    def _apply(self, plans: list[Plan], dry_run: bool) -> Result:
        result = Result(plans, dry_run)
        if result.ok and not dry_run:
            new = [row.aggregate for row in result.new]
            if new:
                self.save(*new)  # one transaction: every row or none
            result.written = True
        return result

    def _members_in_store(self, exists: Existing) -> ExistingEmails:
        """Which addresses already belong to members: their e-mail index entries are in
        the store (asked in one go, as for ids)."""
        def existing(emails: list[str]) -> set[str]:
            entries = {email_index_id_in(self.settings, email): email for email in emails}
            return {entries[found] for found in exists(list(entries))}

        return existing

    def _in_store(self) -> Existing:
        """Which of the ids have events in the store: one query a batch on the SQLAlchemy
        recorder, without loading the aggregates; else one small read an id."""
        recorder: Any = self.recorder  # the SQLAlchemy recorder's session and table
        records = getattr(recorder, "events_record_cls", None)

        def existing(ids: list[UUID]) -> set[UUID]:
            if records is None or not hasattr(recorder, "transaction"):
                return {i for i in ids if recorder.select_events(i, desc=True, limit=1)}
            found: set[UUID] = set()
            for start in range(0, len(ids), BATCH):
                with recorder.transaction(commit=False) as session:
                    query = session.query(records.originator_id).filter(
                        records.originator_id.in_(ids[start:start + BATCH])).distinct()
                    found.update(UUID(str(originator_id)) for (originator_id,) in query)
            return found

        return existing
