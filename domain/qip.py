"""A Quality Improvement Plan: aim, measures, changes tested in PDSA cycles, and its review.

A QIP moves through the states users know (docs/domain.md, "QIP states"):

    draft → submitted for review → changes requested → … → active → completed
                                                               ↘ stopped (with the reason)

A team may submit it only when it is up to standard: an aim that says what,
how much and by when, a time frame, an owner and at least one measure with a
baseline and a target. Organisers review it, commenting field by field, and
either request changes or accept it, which shares it in the library
(``Shared``: the activity figures count QIPs shared). Every revision is an
event, so the plan as first shared can always be set beside the plan now.

What a plan is made of (its parts, their limits, their checks) is defined in
``domain.qip_plan``; this module is the aggregate and its events. It is longer than
most because the aggregate is one class: its events are stored under the topics
``domain.qip:Qip.<Event>``, so they stay together here.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.input_checks import Checker
from domain.qip_plan import (
    MAX_SERIES,
    PLAN_FIELDS,
    REVIEW_FIELDS,
    Measure,
    aim_gaps,
    blank_plan,
    check_plan,
    copied_parts,
    target_key,
)
from domain.values import KeyArea, Obstacle, QipStatus

# Names other modules take from here, where the plan's parts were defined before
# domain/qip_plan.py held them.
__all__ = ["OPEN", "PLAN_FIELDS", "REVIEW_FIELDS", "REVISABLE", "Measure", "Qip", "aim_gaps",
           "target_key"]

# A plan is revisable while a QIP is a draft, sent back for changes, or active (drift
# after sharing is shown, not forbidden).
REVISABLE = frozenset({QipStatus.DRAFT, QipStatus.CHANGES_REQUESTED, QipStatus.ACTIVE})
OPEN = frozenset({QipStatus.DRAFT, QipStatus.SUBMITTED, QipStatus.CHANGES_REQUESTED,
                  QipStatus.ACTIVE})


class RecordedValue(dict[str, Any]):
    """One value of a measure as recorded: {"measure", "date", "value"}. Never changed
    in place (a correction replaces it), so every copy of a plan shares its values:
    each command copies the plan it changes, and copying every value of a plan with
    two years of them was most of that copy's time (issue 14)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> RecordedValue:
        return self

    def __setitem__(self, key: str, value: Any) -> None:
        raise TypeError("a recorded value is never changed in place: replace it")


class Qip(Aggregate):
    # The event classes @event makes, named for mypy. Any, not type[Aggregate.Event]:
    # readers narrow an event with isinstance and then read its own attributes
    # (domain/qip_history.py), which the base class does not have.
    if TYPE_CHECKING:
        Drafted: ClassVar[Any]
        Revised: ClassVar[Any]
        Submitted: ClassVar[Any]
        ChangesRequested: ClassVar[Any]
        Shared: ClassVar[Any]
        Completed: ClassVar[Any]
        Stopped: ClassVar[Any]
        ProgressRecorded: ClassVar[Any]
        ValueCorrected: ClassVar[Any]
        ValueWithdrawn: ClassVar[Any]
        DocumentAttached: ClassVar[Any]
        ChangeMarked: ClassVar[Any]
        ChangeUnmarked: ClassVar[Any]

    @classmethod
    def draft(cls, *, team_id: UUID, owner_id: UUID, title: str, key_area: object,
              drafted_by: UUID | None = None, drafted_on: object = None,
              adapted_from: UUID | None = None, **plan: Any) -> Qip:
        if unknown := set(plan) - set(PLAN_FIELDS):
            raise Invalid(dict.fromkeys(sorted(unknown), "is not part of a QIP"))
        check = Checker()
        fields = check_plan(check, {"title": title, "key_area": key_area, **plan})
        day = check.day("drafted_on", drafted_on) if drafted_on is not None else None
        check.done()
        return cls(team_id=team_id, owner_id=owner_id, adapted_from=adapted_from,
                   drafted_by=drafted_by or owner_id, drafted_on=day,
                   **{**blank_plan(), **fields})

    @event("Drafted")
    def __init__(self, team_id: UUID, owner_id: UUID, title: str, key_area: KeyArea,
                 aim: str, timeframe: str, measures: list[Measure],
                 member_ids: list[UUID] | None = None, changes: list[dict[str, Any]] | None = None,
                 obstacles: list[Obstacle] | None = None, obstacle_notes: str = "",
                 enablers: list[Obstacle] | None = None, enabler_notes: str = "",
                 lessons: str = "", adapted_from: UUID | None = None,
                 drafted_by: UUID | None = None, drafted_on: date | None = None) -> None:
        self.team_id = team_id
        self.owner_id = owner_id
        self.title = title
        self.key_area = key_area
        self.aim = aim
        self.timeframe = timeframe
        self.measures = list(measures)
        self.member_ids = list(member_ids or [])
        self.changes = list(changes or [])
        self.obstacles = list(obstacles or [])
        self.obstacle_notes = obstacle_notes
        self.enablers = list(enablers or [])
        self.enabler_notes = enabler_notes
        self.lessons = lessons
        self.adapted_from = adapted_from
        # What "Adapt this QIP for my team" copied, to be made this team's own before
        # the plan goes for review. The Drafted event holds the copy itself, so plans
        # adapted before this was kept are read the same way (see ``copied_from_original``).
        self.copied = copied_parts(aim, timeframe, self.measures) if adapted_from else {}
        self.kept: list[str] = []  # copied parts the team chose to keep as they are
        self.drafted_on = drafted_on
        self.status = QipStatus.DRAFT
        self.shared_on: date | None = None
        self.ended_on: date | None = None
        self.end_note = ""
        self.comments: dict[str, str] = {}  # the latest review's, beside the fields
        self.progress: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []

    def __deepcopy__(self, memo: dict[int, Any]) -> Qip:
        """A copy for a command to change (or a page to read): its values are a new
        list of the same values, which are never changed in place (RecordedValue).
        Copying walked every value one by one, twice for each value recorded (the
        command's copy and its answer's), on a plan holding all of them (issue 14)."""
        copied = object.__new__(type(self))
        memo[id(self)] = copied
        copied.__dict__.update({name: list(part) if name == "progress" else deepcopy(part, memo)
                                for name, part in self.__dict__.items()})
        return copied

    # --- the plan -------------------------------------------------------------

    def revise(self, *, by: UUID | None = None, revised_on: object = None,
               keep: object = None, **changes: Any) -> None:
        """Change parts of the plan (and ``owner_id``); what is not given stays.
        ``keep`` names parts copied from an adapted plan that the team keeps as its own
        unchanged (a target the same as the other team's, say)."""
        owner_id = changes.pop("owner_id", None)
        if unknown := set(changes) - set(PLAN_FIELDS):
            raise Invalid(dict.fromkeys(sorted(unknown), "cannot be revised"))
        if self.status not in REVISABLE:
            raise Conflict(f"a QIP that is {self.status.label.lower()} cannot be revised")
        check = Checker()
        fields = check_plan(check, changes)
        day = check.day("revised_on", revised_on) if revised_on is not None else None
        check.done()
        if owner_id is not None:
            fields["owner_id"] = owner_id
        fields = {k: v for k, v in fields.items() if getattr(self, k, None) != v}
        kept = self._check_keep(keep)
        if not fields and not kept:
            raise Invalid({"qip": "nothing changed"})
        self._revise(changes=fields, revised_by=by, revised_on=day, kept=kept or None)

    @event("Revised")
    def _revise(self, changes: dict[str, Any], revised_by: UUID | None = None,
                revised_on: date | None = None, kept: list[str] | None = None) -> None:
        for name, value in changes.items():
            if name == "measures":
                value = [m if isinstance(m, Measure) else Measure(**m) for m in value]
            setattr(self, name, value)
        # getattr: aggregates rebuilt from snapshots taken before adapting was tracked.
        self.kept = [*getattr(self, "kept", []), *(kept or [])]

    def _check_keep(self, keep: object) -> list[str]:
        """The copied parts newly kept as they are; unknown names are refused."""
        if keep is None or keep == []:
            return []
        if isinstance(keep, str):
            keep = [keep]
        copied = getattr(self, "copied", None) or {}
        if not isinstance(keep, (list, tuple)) or not all(isinstance(k, str) for k in keep):
            raise Invalid({"keep": "must be a list of parts copied from the plan you adapted"})
        if unknown := [k for k in keep if k not in copied]:
            raise Invalid({"keep": f"{unknown[0][:60]!r} is not a part copied from the plan "
                                   "you adapted"})
        already = set(getattr(self, "kept", []))
        return [k for k in dict.fromkeys(keep) if k not in already]

    def missing_for_review(self) -> dict[str, str]:
        """What stops this plan being submitted, in words a team can act on."""
        missing: dict[str, str] = {}
        if not self.aim:
            missing["aim"] = "say what you will improve, by how much and by when"
        elif gaps := aim_gaps(self.aim):
            missing["aim"] = "the aim should say " + " and ".join(gaps)
        if not self.timeframe:
            missing["timeframe"] = "give a time frame"
        if not self.measures:
            missing["measures"] = "add at least one measure with a baseline and a target"
        elif not any(m.baseline is not None and m.target is not None for m in self.measures):
            lacking = [m.name for m in self.measures if m.baseline is None]
            missing["measures"] = ("give a baseline for " + ", ".join(lacking) if lacking
                                   else "give a target for at least one measure")
        copied = self.copied_from_original()
        if any(field.startswith("measures[") for field in copied):
            missing.pop("measures", None)  # said measure by measure below instead
        for field, said in copied.items():
            missing.setdefault(field, said)
        return missing

    # --- adapting another team's plan -------------------------------------------

    @classmethod
    def adapt(cls, source: Qip, *, team_id: UUID, owner_id: UUID, drafted_on: object,
              drafted_by: UUID | None = None) -> Qip:
        """"Adapt this QIP for my team": a draft linked to the original, with its aim,
        time frame, measures and changes to start from. The baselines and PDSA results
        are the other team's, so they are left for this team's own; the aim, time frame
        and targets are kept, marked as copied until this team makes them its own."""
        if source.team_id == team_id:
            raise Invalid({"qip": "this is already your team's QIP"})
        return cls.draft(
            team_id=team_id, owner_id=owner_id, drafted_by=drafted_by or owner_id,
            drafted_on=drafted_on, adapted_from=source.id, title=source.title,
            key_area=source.key_area, aim=source.aim, timeframe=source.timeframe,
            measures=[Measure(m.name, m.unit, None, m.target, m.direction, m.definition)
                      for m in source.measures],
            changes=[{"title": c["title"], "cycles": []} for c in source.changes])

    def copied_from_original(self) -> dict[str, str]:
        """The parts of an adapted plan that are still the other team's, as
        {field: what to do}: the aim and time frame as copied, and each copied
        measure's baseline (never copied, so still to give) and target as copied.
        A part the team changed, or chose to keep, is its own."""
        copied = getattr(self, "copied", None) or {}  # snapshots from before tracking
        kept = set(getattr(self, "kept", []))
        found: dict[str, str] = {}
        if "aim" in copied and "aim" not in kept and self.aim == copied["aim"]:
            found["aim"] = ("is the aim of the plan you adapted: say what your team will "
                            "improve, by how much and by when")
        if "timeframe" in copied and "timeframe" not in kept \
                and self.timeframe == copied["timeframe"]:
            found["timeframe"] = "is the time frame of the plan you adapted: give your team's own"
        for i, measure in enumerate(self.measures):
            target_part = target_key(measure.name)
            if target_part not in copied:
                continue  # a measure this team added or renamed is its own
            if measure.baseline is None:
                found[f"measures[{i}].baseline"] = "is not given: give your team's own baseline"
            if target_part not in kept and measure.target == copied[target_part]:
                found[f"measures[{i}].target"] = ("is the target of the plan you adapted: "
                                                  "set your team's own, or keep it as yours")
        return found

    # --- review ---------------------------------------------------------------

    def submit(self, *, by: UUID, submitted_on: object) -> None:
        check = Checker()
        day = check.day("submitted_on", submitted_on)
        check.done()
        if self.status not in (QipStatus.DRAFT, QipStatus.CHANGES_REQUESTED):
            raise Conflict(f"a QIP that is {self.status.label.lower()} cannot be submitted")
        if missing := self.missing_for_review():
            raise Invalid(missing)
        self._submit(submitted_by=by, submitted_on=day)

    @event("Submitted")
    def _submit(self, submitted_by: UUID, submitted_on: date) -> None:
        self.status = QipStatus.SUBMITTED

    def review(self, *, by: UUID, reviewed_on: object, accept: bool,
               comments: object = None) -> None:
        """An organiser's review: accept (the QIP becomes active and shared) or
        request changes, with comments per field."""
        check = Checker()
        day = check.day("reviewed_on", reviewed_on)
        notes: dict[str, str] = {}
        if comments is None:
            comments = {}
        if not isinstance(comments, dict):
            check.fail("comments", "must be an object of field: comment")
            comments = {}
        for field, text in comments.items():
            if field not in REVIEW_FIELDS:
                check.fail(f"comments.{field}",
                           f"is not a part of a QIP (comment on: {', '.join(REVIEW_FIELDS)})")
            elif said := check.text(f"comments.{field}", text, required=False, max_length=2000):
                notes[field] = said
        if not accept and not notes and not check.problems:
            check.fail("comments", "say what needs to change, beside the field it is about")
        check.done()
        if self.status is not QipStatus.SUBMITTED:
            raise Conflict(f"only a submitted QIP can be reviewed; this one is "
                           f"{self.status.label.lower()}")
        if accept:
            self._share(shared_by=by, shared_on=day, comments=notes, owner_id=self.owner_id)
        else:
            self._request_changes(reviewed_by=by, reviewed_on=day, comments=notes)

    @event("ChangesRequested")
    def _request_changes(self, reviewed_by: UUID, reviewed_on: date,
                         comments: dict[str, str]) -> None:
        self.status = QipStatus.CHANGES_REQUESTED
        self.comments = dict(comments)

    @event("Shared")
    def _share(self, shared_by: UUID, shared_on: date, comments: dict[str, str] | None = None,
               owner_id: UUID | None = None) -> None:
        # owner_id: the team's sharer for the activity figures (shared_by is the reviewer).
        self.status = QipStatus.ACTIVE
        self.shared_on = shared_on
        self.comments = dict(comments or {})

    # --- the end --------------------------------------------------------------

    def complete(self, *, by: UUID, completed_on: object, note: object = "") -> None:
        check = Checker()
        day = check.day("completed_on", completed_on)
        text = check.text("note", note, required=False, max_length=2000)
        check.done()
        if self.status is not QipStatus.ACTIVE:
            raise Conflict(f"only an active QIP can be completed; this one is "
                           f"{self.status.label.lower()}")
        self._complete(completed_by=by, completed_on=day, note=text)

    @event("Completed")
    def _complete(self, completed_by: UUID, completed_on: date, note: str) -> None:
        self.status = QipStatus.COMPLETED
        self.ended_on = completed_on
        self.end_note = note

    def stop(self, *, by: UUID, stopped_on: object, reason: object) -> None:
        check = Checker()
        day = check.day("stopped_on", stopped_on)
        text = check.text("reason", reason, max_length=2000)
        check.done()
        if self.status not in OPEN:
            raise Conflict(f"this QIP is already {self.status.label.lower()}")
        self._stop(stopped_by=by, stopped_on=day, reason=text)

    @event("Stopped")
    def _stop(self, stopped_by: UUID, stopped_on: date, reason: str) -> None:
        self.status = QipStatus.STOPPED
        self.ended_on = stopped_on
        self.end_note = reason

    # --- measurement ------------------------------------------------------------

    def measure_named(self, name: object) -> Measure | None:
        return next((m for m in self.measures if m.name == name), None)

    def record_progress(self, *, measure: object, recorded_on: object, value: object,
                        by: UUID) -> None:
        self.record_series(measure=measure, values=[(recorded_on, value)], by=by)

    def record_series(self, *, measure: object, values: list[tuple[object, object]],
                      by: UUID, field_prefix: str = "") -> None:
        """Record one or many values of a measure; a date already recorded is refused
        (a correction is a different act from a new value)."""
        check = Checker()
        if len(values) > MAX_SERIES:
            check.fail(field_prefix or "values", f"must have at most {MAX_SERIES} values")
            check.done()
        if self.measure_named(measure) is None:
            names = ", ".join(m.name for m in self.measures) or "none yet"
            check.fail("measure", f"is not a measure of this QIP (its measures: {names})")
        seen = {p["date"] for p in self.progress if p["measure"] == measure}
        clean: list[tuple[date, float]] = []
        single = len(values) == 1
        for i, (day_given, value_given) in enumerate(values):
            where = "" if single else f"{field_prefix}[{i}]."
            day = check.day(f"{where}date", day_given)
            number = check.number(f"{where}value", value_given)
            if day in seen:
                check.fail(f"{where}date", f"{measure} already has a value for {day}")
            seen.add(day)
            clean.append((day, float(number or 0)))
        if not values:
            check.fail("values", "give at least one value")
        check.done()
        if self.status not in OPEN:
            raise Conflict(f"this QIP was {self.status.label.lower()} on {self.ended_on}; "
                           "no more progress can be recorded")
        for day, number in sorted(clean):
            self._record_progress(measure=str(measure), recorded_on=day, value=number,
                                  recorded_by=by)

    @event("ProgressRecorded")
    def _record_progress(self, measure: str, recorded_on: date, value: float,
                         recorded_by: UUID) -> None:
        self.progress.append(RecordedValue(measure=measure, date=recorded_on, value=value))

    def value_on(self, measure: object, day: date) -> dict[str, Any] | None:
        return next((p for p in self.progress
                     if p["measure"] == measure and p["date"] == day), None)

    def correct_value(self, *, measure: object, recorded_on: object, value: object,
                      reason: object, by: UUID, corrected_on: object) -> None:
        """Put a wrong value right: a new event beside the one it corrects, so the log
        keeps what was first reported, who changed it and why."""
        check = Checker()
        found = self._value_to_change(check, measure, recorded_on)
        number = check.number("value", value)
        text = check.text("reason", reason, max_length=2000)
        on = check.day("corrected_on", corrected_on)
        if found is not None and number is not None and float(number) == found["value"]:
            check.fail("value", f"is already {found['value']:g}; give the right value")
        check.done()
        self._check_takes_progress()
        assert found is not None  # check.done() raised otherwise
        self._correct_value(measure=found["measure"], recorded_on=found["date"],
                            value=float(number or 0), corrected_by=by, corrected_on=on,
                            reason=text)

    @event("ValueCorrected")
    def _correct_value(self, measure: str, recorded_on: date, value: float,
                       corrected_by: UUID, corrected_on: date, reason: str) -> None:
        self.progress = [RecordedValue(p, value=value)
                         if p["measure"] == measure and p["date"] == recorded_on else p
                         for p in self.progress]

    def withdraw_value(self, *, measure: object, recorded_on: object, reason: object,
                       by: UUID, withdrawn_on: object) -> None:
        """Take back a value that should not have been recorded (the wrong measure,
        a date with no measurement): it leaves the charts, the log keeps it."""
        check = Checker()
        found = self._value_to_change(check, measure, recorded_on)
        text = check.text("reason", reason, max_length=2000)
        on = check.day("withdrawn_on", withdrawn_on)
        check.done()
        self._check_takes_progress()
        assert found is not None
        self._withdraw_value(measure=found["measure"], recorded_on=found["date"],
                             withdrawn_by=by, withdrawn_on=on, reason=text)

    @event("ValueWithdrawn")
    def _withdraw_value(self, measure: str, recorded_on: date, withdrawn_by: UUID,
                        withdrawn_on: date, reason: str) -> None:
        self.progress = [p for p in self.progress
                         if not (p["measure"] == measure and p["date"] == recorded_on)]

    def _value_to_change(self, check: Checker, measure: object,
                         recorded_on: object) -> dict[str, Any] | None:
        if self.measure_named(measure) is None:
            names = ", ".join(m.name for m in self.measures) or "none yet"
            check.fail("measure", f"is not a measure of this QIP (its measures: {names})")
            check.day("date", recorded_on)
            return None
        day = check.day("date", recorded_on)
        if "date" in check.problems:
            return None
        found = self.value_on(measure, day)
        if found is None:
            check.fail("date", f"{measure} has no value for {day}")
        return found

    def _check_takes_progress(self) -> None:
        if self.status not in OPEN:
            raise Conflict(f"this QIP was {self.status.label.lower()} on {self.ended_on}; "
                           "its values can no longer be changed")

    # --- documents ----------------------------------------------------------------

    def attach_document(self, *, document_id: str, title: object, kind: str, name: str,
                        content_type: str, size: int, sha256: str, by: UUID,
                        attached_on: object) -> None:
        """Name a stored file (business case, data, slides…) in the log: the bytes
        live outside it, addressed by their hash."""
        check = Checker()
        title_text = check.text("title", title or name, max_length=200)
        day = check.day("attached_on", attached_on)
        check.done()
        if self.status is QipStatus.STOPPED:
            raise Conflict("documents cannot be added to a stopped QIP")
        self._attach(document_id=document_id, title=title_text, kind=kind, name=name,
                     content_type=content_type, size=size, sha256=sha256, attached_by=by,
                     attached_on=day)

    @event("DocumentAttached")
    def _attach(self, document_id: str, title: str, kind: str, name: str, content_type: str,
                size: int, sha256: str, attached_by: UUID, attached_on: date) -> None:
        self.documents.append({"id": document_id, "title": title, "kind": kind, "name": name,
                               "content_type": content_type, "size": size, "sha256": sha256,
                               "attached_on": attached_on})

    def document(self, document_id: str) -> dict[str, Any] | None:
        return next((d for d in self.documents if d["id"] == document_id), None)

    # --- changes marked on a measure (charts recalculate from each) -------------------

    @property
    def change_marks(self) -> list[dict[str, Any]]:
        """The changes a team marked on its measures: {measure, date, description}.
        (Kept outside ``__init__`` so that plans drafted before marks existed have none.)"""
        return self.__dict__.setdefault("_change_marks", [])

    def mark_change(self, *, measure: object, changed_on: object, description: object,
                    by: UUID) -> None:
        """Say when a change came in on a measure: its charts take a new mean and
        limits (a new median) from that date, so the period before is not read
        against limits it never had (domain.measurement, phases)."""
        check = Checker()
        if self.measure_named(measure) is None:
            names = ", ".join(m.name for m in self.measures) or "none yet"
            check.fail("measure", f"is not a measure of this QIP (its measures: {names})")
        day = check.day("date", changed_on)
        text = check.text("description", description, max_length=200)
        if day is not None and any(m["measure"] == measure and m["date"] == day
                                   for m in self.change_marks):
            check.fail("date", f"already has a change marked on {measure}")
        check.done()
        if self.status not in OPEN:
            raise Conflict(f"this QIP was {self.status.label.lower()} on {self.ended_on}; "
                           "no more changes can be marked")
        self._mark_change(measure=str(measure), changed_on=day, description=text,
                          marked_by=by)

    @event("ChangeMarked")
    def _mark_change(self, measure: str, changed_on: date, description: str,
                     marked_by: UUID) -> None:
        self.change_marks.append({"measure": measure, "date": changed_on,
                                  "description": description})

    def unmark_change(self, *, measure: object, changed_on: object, by: UUID) -> None:
        """Take back a change marked by mistake: the chart reads as one phase there again."""
        check = Checker()
        day = check.day("date", changed_on)
        check.done()
        if not any(m["measure"] == measure and m["date"] == day for m in self.change_marks):
            raise Invalid({"date": f"has no change marked on {measure}"})
        self._unmark_change(measure=str(measure), changed_on=day, unmarked_by=by)

    @event("ChangeUnmarked")
    def _unmark_change(self, measure: str, changed_on: date, unmarked_by: UUID) -> None:
        self.change_marks[:] = [m for m in self.change_marks
                                if not (m["measure"] == measure and m["date"] == changed_on)]


def sees_review_comments(*, reader_team_id: object, reader_is_organiser: bool,
                         qip_team_id: object) -> bool:
    """Whether a reader may see the organisers' review comments on a plan: the
    plan's own team and the organisers only. The one rule the QIP page, its history
    and the API all ask (issue 13: the history page once showed them to everyone)."""
    if reader_is_organiser:
        return True
    return reader_team_id is not None and str(reader_team_id) == str(qip_team_id)
