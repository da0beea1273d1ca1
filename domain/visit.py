"""A peer-review visit: a host team, a visiting team, the day, who came, and the
visitors' feedback (areas for improvement, what the host does well, the data
discussed). Each area for improvement can become a draft QIP of the host team;
the visit records which, so the plan links back to where the idea came from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.input_checks import Checker
from domain.values import KeyArea

MAX_AREAS = 20
AREA_LENGTH = 200  # an area for improvement becomes a QIP title

# Words in an area for improvement that point to a key area: a first guess the
# host team corrects when it revises the draft.
KEY_AREA_WORDS = (
    (KeyArea.DATA_COLLECTION, ("data", "audit", "record", "lucada", "complete")),
    (KeyArea.CNS_ACCESS, ("nurse", "cns", "key worker")),
    (KeyArea.PATHWAY_WAITS, ("wait", "pathway", "delay", "days", "biopsy", "referral")),
    (KeyArea.CLINICAL_TRIALS, ("trial", "research", "recruit")),
    (KeyArea.DIAGNOSTICS, ("diagnos", "histolog", "patholog", "ebus", "bronch", "ct ", "pet")),
    (KeyArea.MDT_RUNNING, ("mdt", "meeting", "attendance")),
)


def guess_key_area(area: str) -> KeyArea:
    words = f" {area.lower()} "
    for key_area, hints in KEY_AREA_WORDS:
        if any(hint in words for hint in hints):
            return key_area
    return KeyArea.MDT_RUNNING


def _texts(check: Checker, field: str, values: object, max_length: int) -> list[str]:
    """A list of short texts, blanks dropped, each named by its place: ``strengths[1]``."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        check.fail(field, "must be a list of texts")
        return []
    if len(values) > MAX_AREAS:
        check.fail(field, f"must have at most {MAX_AREAS} items")
    found = []
    for i, value in enumerate(values):
        text = check.text(f"{field}[{i}]", value, required=False, max_length=max_length)
        if text:
            found.append(text)
    return found


class Visit(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Recorded: ClassVar[type[Aggregate.Event]]
        FeedbackGiven: ClassVar[type[Aggregate.Event]]
        QipDrafted: ClassVar[type[Aggregate.Event]]

    @classmethod
    def record(cls, *, host_team_id: UUID, visiting_team_id: UUID, visited_on: object,
               attendee_ids: Iterable[UUID] = (), pairing_id: UUID | None = None,
               recorded_by: UUID | None = None) -> Visit:
        check = Checker()
        visited_on = check.day("visited_on", visited_on)
        if host_team_id == visiting_team_id:
            check.fail("visiting_team_id", "must be another team than the host")
        check.done()
        attendees = list(dict.fromkeys(attendee_ids))
        return cls(host_team_id=host_team_id, visiting_team_id=visiting_team_id,
                   visited_on=visited_on, attendee_ids=attendees, pairing_id=pairing_id,
                   recorded_by=recorded_by)

    @event("Recorded")
    def __init__(self, host_team_id: UUID, visiting_team_id: UUID, visited_on: date,
                 attendee_ids: list[UUID], pairing_id: UUID | None,
                 recorded_by: UUID | None) -> None:
        self.host_team_id = host_team_id
        self.visiting_team_id = visiting_team_id
        self.visited_on = visited_on
        self.attendee_ids = list(attendee_ids)
        self.pairing_id = pairing_id
        self.recorded_by = recorded_by
        self.areas_for_improvement: list[str] = []
        self.strengths: list[str] = []
        self.data_discussed = ""
        self.feedback_on: date | None = None
        self.drafted_qips: dict[int, UUID] = {}

    def give_feedback(self, *, areas_for_improvement: object, strengths: object,
                      data_discussed: object, by: UUID | None, given_on: object) -> None:
        """The visitors' feedback; given again, it replaces the last, until a QIP
        was drafted from it (the QIP's link would then point at other words)."""
        check = Checker()
        areas = _texts(check, "areas_for_improvement", areas_for_improvement, AREA_LENGTH)
        kept = _texts(check, "strengths", strengths, 2000)
        data = check.text("data_discussed", data_discussed, required=False, max_length=4000)
        given_on = check.day("given_on", given_on)
        if not (areas or kept or data):
            check.fail("areas_for_improvement", "give at least one area for improvement, "
                       "strength or the data discussed")
        check.done()
        if self.drafted_qips:
            raise Conflict("QIPs were drafted from this feedback, so it can no longer change")
        if given_on < self.visited_on:
            raise Invalid({"given_on": "cannot be before the visit"})
        self._give_feedback(areas_for_improvement=areas, strengths=kept, data_discussed=data,
                            given_by=by, given_on=given_on)

    @event("FeedbackGiven")
    def _give_feedback(self, areas_for_improvement: list[str], strengths: list[str],
                       data_discussed: str, given_by: UUID | None, given_on: date) -> None:
        self.areas_for_improvement = list(areas_for_improvement)
        self.strengths = list(strengths)
        self.data_discussed = data_discussed
        self.feedback_on = given_on

    def qip_drafted_from(self, *, area: int, qip_id: UUID) -> None:
        """Record that area number ``area`` (from 0) became the draft QIP ``qip_id``."""
        if isinstance(area, bool) or not isinstance(area, int) \
                or not 0 <= area < len(self.areas_for_improvement):
            raise Invalid({"areas": f"no area for improvement number {area}"})
        if area in self.drafted_qips:
            raise Conflict(f"a QIP was already drafted from "
                           f"\u201c{self.areas_for_improvement[area]}\u201d")
        self._qip_drafted(area=area, qip_id=qip_id)

    @event("QipDrafted")
    def _qip_drafted(self, area: int, qip_id: UUID) -> None:
        self.drafted_qips[area] = qip_id
