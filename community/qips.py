"""QIPs: drafting (or adapting another team's), revising, submitting for review, the
organisers' review, completing or stopping; the values measured and corrected, the
dates a change came in; documents and tables of values uploaded.

A document's bytes go to the ``DocumentStore`` first and the event that names them is
saved after: an event then never names bytes that are missing, and a failed save
leaves only unnamed bytes behind (see ``community.documents``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from community.commands import Commands, Id
from community.documents import check_upload
from domain.errors import Conflict, Invalid, NotAllowed
from domain.ids import PROGRAMME_ID
from domain.member import Member
from domain.qip import Qip
from domain.values import DocumentKind, QipStatus, ReviewDecision

# A measured value: a number, or its text as a form or a file gives it.
Value = float | str


class QipCommands(Commands):
    """Commands on QIPs: a QIP's own team changes it, organisers review it."""

    # --- the plan and its life ------------------------------------------------------

    def draft_qip(self, *, by: UUID, owner_id: Id | None = None, **plan: Any) -> UUID:
        """``plan``: the parts of a QIP's plan (``domain.qip.PLAN_FIELDS``)."""
        author = self.member(by)
        if author.team_id is None:
            raise NotAllowed("only members of a team can draft a QIP")
        owner = self._team_member(owner_id, author.team_id) if owner_id is not None else author
        qip = Qip.draft(team_id=author.team_id, owner_id=owner.id, drafted_by=author.id,
                        drafted_on=self.today(), **plan)
        self._check_involved(qip.member_ids, qip.team_id)
        self.save(qip)
        return qip.id

    def adapt_qip(self, qip_id: Id, *, by: UUID) -> UUID:
        """"Adapt this QIP for my team": a draft that keeps the link to the original
        (``Qip.adapt`` says what is copied and what the team must make its own)."""
        source = self.qip(qip_id)
        author = self.member(by)
        if author.team_id is None:
            raise NotAllowed("only members of a team can adapt a QIP")
        if source.status not in (QipStatus.ACTIVE, QipStatus.COMPLETED):
            raise Conflict("only a shared QIP (active or completed) can be adapted")
        qip = Qip.adapt(source, team_id=author.team_id, owner_id=author.id,
                        drafted_on=self.today())
        self.save(qip)
        return qip.id

    def _team_member(self, member_id: Id, team_id: UUID, field: str = "owner_id") -> Member:
        member = self._existing(Member, member_id, field, "member")
        if member.team_id != team_id:
            raise Invalid({field: "must be a member of the QIP's team"})
        return member

    def _check_involved(self, member_ids: list[UUID], team_id: UUID) -> None:
        for member_id in member_ids:
            self._team_member(member_id, team_id, "member_ids")

    def _saved(self, qip: Qip) -> Qip:
        """Save a changed plan and return it, for the answer to show as this change left
        it: loading it again would ask the log for events after the version just
        written (a round trip, and a sixteenth of a value's CPU in the web process on
        PostgreSQL, issue 14). The plan was this command's own copy; code given it
        must not change it (as a plan ``to_read``)."""
        self.save(qip)
        return qip

    def _qip_for_change(self, qip_id: Id, by: UUID | None, version: int | None) -> Qip:
        qip = self.qip(qip_id)
        self._in_teams(by, (qip.team_id,), "only the QIP's own team can change it")
        self._check_version(qip, version)
        return qip

    def revise_qip(self, qip_id: Id, *, by: UUID | None, version: int | None = None,
                   **changes: Any) -> None:
        """``changes``: parts of the plan, ``owner_id``, ``keep`` (see ``Qip.revise``)."""
        qip = self._qip_for_change(qip_id, by, version)
        if changes.get("owner_id") is not None:
            changes["owner_id"] = self._team_member(changes["owner_id"], qip.team_id).id
        qip.revise(by=by, revised_on=self.today(), **changes)
        if "member_ids" in changes:
            self._check_involved(qip.member_ids, qip.team_id)
        self.save(qip)

    def submit_qip(self, qip_id: Id, *, by: UUID | None, version: int | None = None,
                   submitted_on: date | None = None) -> None:
        """The team asks the organisers to review its plan."""
        qip = self._qip_for_change(qip_id, by, version)
        qip.submit(by=by or qip.owner_id, submitted_on=submitted_on or self.today())
        self.save(qip)

    def review_qip(self, qip_id: Id, *, by: UUID | None, decision: ReviewDecision | str,
                   comments: Mapping[str, str] | None = None, version: int | None = None,
                   reviewed_on: date | None = None) -> None:
        """An organiser accepts a submitted QIP (it becomes active and shared) or
        asks for changes, commenting beside the fields."""
        self._organiser(by)
        try:
            decided = ReviewDecision(decision)
        except ValueError:
            raise Invalid({"decision": f"must be one of: {ReviewDecision.choices()}"}) from None
        qip = self.qip(qip_id)
        self._check_version(qip, version)
        qip.review(by=by or PROGRAMME_ID, reviewed_on=reviewed_on or self.today(),
                   accept=decided is ReviewDecision.ACCEPT, comments=comments)
        self.save(qip)

    def share_qip(self, qip_id: Id, *, by: UUID | None = None,
                  shared_on: date | None = None) -> None:
        """Submitted by ``by`` (or the owner) and accepted at once: for the demo,
        imports of plans the programme already reviewed, and tests. The pages and
        the API go through submit_qip and review_qip."""
        qip = self.qip(qip_id)
        day = shared_on or self.today()
        qip.submit(by=by or qip.owner_id, submitted_on=day)
        qip.review(by=PROGRAMME_ID, reviewed_on=day, accept=True)
        self.save(qip)

    def complete_qip(self, qip_id: Id, *, by: UUID | None, version: int | None = None,
                     note: str = "", completed_on: date | None = None) -> None:
        qip = self._qip_for_change(qip_id, by, version)
        qip.complete(by=by or qip.owner_id, completed_on=completed_on or self.today(), note=note)
        self.save(qip)

    def stop_qip(self, qip_id: Id, *, by: UUID | None, reason: str,
                 version: int | None = None, stopped_on: date | None = None) -> None:
        qip = self._qip_for_change(qip_id, by, version)
        qip.stop(by=by or qip.owner_id, stopped_on=stopped_on or self.today(), reason=reason)
        self.save(qip)

    def qip_events(self, qip_id: Id) -> list[Any]:
        """Every stored event of one QIP, oldest first: its history."""
        qip = self.qip(qip_id)
        return list(self.events.get(qip.id))

    # --- values measured --------------------------------------------------------------

    def record_progress(self, qip_id: Id, *, by: UUID | None, measure: str,
                        value: Value, recorded_on: date | str | None = None) -> Qip:
        """Returns the plan as this change left it (``saved``)."""
        qip = self._qip_for_change(qip_id, by, None)
        qip.record_progress(measure=measure, value=value,
                            recorded_on=recorded_on or self.today(), by=by or qip.owner_id)
        return self._saved(qip)

    def record_series(self, qip_id: Id, *, by: UUID | None, measure: str,
                      values: Sequence[tuple[date | str, Value]]) -> int:
        """Many values of one measure at once, (date, value) each: all or none."""
        qip = self._qip_for_change(qip_id, by, None)
        qip.record_series(measure=measure, values=list(values), by=by or qip.owner_id,
                          field_prefix="values")
        self.save(qip)
        return len(values)

    def correct_progress(self, qip_id: Id, *, by: UUID | None, measure: str,
                         recorded_on: date, value: Value, reason: str,
                         version: int | None = None) -> Qip:
        """The team puts a recorded value right, saying why (``Qip.ValueCorrected``);
        returns the plan as this change left it (``saved``)."""
        qip = self._qip_for_change(qip_id, by, version)
        qip.correct_value(measure=measure, recorded_on=recorded_on, value=value,
                          reason=reason, by=by or qip.owner_id, corrected_on=self.today())
        return self._saved(qip)

    def withdraw_progress(self, qip_id: Id, *, by: UUID | None, measure: str,
                          recorded_on: date, reason: str,
                          version: int | None = None) -> Qip:
        """The team takes back a value recorded by mistake (``Qip.ValueWithdrawn``);
        returns the plan as this change left it (``saved``)."""
        qip = self._qip_for_change(qip_id, by, version)
        qip.withdraw_value(measure=measure, recorded_on=recorded_on, reason=reason,
                           by=by or qip.owner_id, withdrawn_on=self.today())
        return self._saved(qip)

    def mark_change(self, qip_id: Id, *, by: UUID | None, measure: str,
                    changed_on: date | None, description: str) -> None:
        """Mark the date a change came in on a measure: its charts recalculate from it."""
        qip = self._qip_for_change(qip_id, by, None)
        qip.mark_change(measure=measure, changed_on=changed_on, description=description,
                        by=by or qip.owner_id)
        self.save(qip)

    def unmark_change(self, qip_id: Id, *, by: UUID | None, measure: str,
                      changed_on: date | str | None) -> None:
        qip = self._qip_for_change(qip_id, by, None)
        qip.unmark_change(measure=measure, changed_on=changed_on, by=by or qip.owner_id)
        self.save(qip)

    # --- uploads ------------------------------------------------------------------------

    def attach_document(self, qip_id: Id, *, by: UUID | None, filename: str | None,
                        data: bytes, declared_type: str | None = None,
                        kind: DocumentKind | str = DocumentKind.OTHER, title: str = "") -> str:
        """Attach a file to a QIP of the member's own team; the new document's id."""
        qip = self._qip_for_change(qip_id, by, None)
        try:
            document_kind = DocumentKind.parse(kind or DocumentKind.OTHER.value)
        except ValueError as error:
            raise Invalid({"kind": str(error)}) from None
        upload = check_upload(filename, data, declared_type)
        if qip.status is QipStatus.STOPPED:  # before the bytes: a refusal leaves nothing
            raise Conflict("documents cannot be added to a stopped QIP")
        document_id = str(uuid4())
        qip.attach_document(document_id=document_id, title=title, kind=document_kind.value,
                            name=upload.name, content_type=upload.content_type,
                            size=upload.size, sha256=upload.sha256, by=by or qip.owner_id,
                            attached_on=self.today())
        self.documents.put(upload, data)
        self.save(qip)
        return document_id

    def document_content(self, sha256: str) -> bytes | None:
        return self.documents.get(sha256)

    def record_progress_table(self, qip_id: Id, *, by: UUID | None,
                              rows: Sequence[tuple[str, date | str, Value]]) -> int:
        """Rows of (measure, date, value), of one or more measures: every row is
        recorded, in one save, or none is. Problems are named by the row's position,
        ``rows[4].value``, so a file's lines can be named back to the person."""
        qip = self._qip_for_change(qip_id, by, None)
        if not rows:
            raise Invalid({"rows": "give at least one value"})
        by_measure: dict[str, list[int]] = {}
        for position, (measure, _, _) in enumerate(rows):
            by_measure.setdefault(measure, []).append(position)
        problems: dict[str, str] = {}
        for measure, positions in by_measure.items():
            try:
                qip.record_series(measure=measure, values=[rows[i][1:] for i in positions],
                                  by=by or qip.owner_id, field_prefix="values")
            except Invalid as error:
                problems.update({_row_field(field, positions): message
                                 for field, message in error.fields.items()})
        if problems:
            raise Invalid(dict(sorted(problems.items(), key=lambda item: _position(item[0]))))
        self.save(qip)
        return len(rows)


ROW_FIELD = re.compile(r"values\[(\d+)\]\.(\w+)")


def _row_field(field: str, positions: list[int]) -> str:
    """``values[2].date`` of one measure's series (or ``date`` when it had one value,
    ``measure`` when the name is unknown) as the row of the whole table it came from."""
    if found := ROW_FIELD.fullmatch(field):
        return f"rows[{positions[int(found[1])]}].{found[2]}"
    return f"rows[{positions[0]}].{field}"


def _position(field: str) -> tuple[int, str]:
    found = re.match(r"rows\[(\d+)\]", field)
    return (int(found[1]) if found else -1, field)
