"""The vocabulary the users speak: roles, key areas, kinds of event, directions.

Each enum's value is the stable key stored in events and used by the API;
``label`` is what a person reads.
"""

from __future__ import annotations

from enum import Enum
from typing import Self


class Labelled(Enum):
    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, value: object) -> Self:
        """The member whose value is ``value``; ValueError names the choices as people
        read them (a form's page shows the message; the API's schema check, which runs
        first, adds the codes)."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"must be one of: {cls.choices()}") from None

    @classmethod
    def choices(cls) -> str:
        """Every choice in people's words: "Reciprocal visit, Facilitator visit, Call"."""
        return ", ".join(m.label for m in cls)


class Role(Labelled):
    CLINICAL_LEAD = "clinical_lead"
    CNS = "lung_cancer_nurse_specialist"
    MDT_COORDINATOR = "mdt_coordinator"
    RESPIRATORY_PHYSICIAN = "respiratory_physician"
    THORACIC_SURGEON = "thoracic_surgeon"
    ONCOLOGIST = "oncologist"
    RADIOLOGIST = "radiologist"
    PATHOLOGIST = "pathologist"
    MANAGER = "manager"
    IT_LEAD = "it_lead"
    ORGANISER = "organiser"


class KeyArea(Labelled):
    DATA_COLLECTION = "data_collection"
    DIAGNOSTICS = "diagnostics"
    CNS_ACCESS = "cns_access"
    PATHWAY_WAITS = "pathway_waits"
    MDT_RUNNING = "mdt_running"
    CLINICAL_TRIALS = "clinical_trials"


class WorkshopKind(Labelled):
    INTRODUCTORY_WORKSHOP = "introductory_workshop"
    NATIONAL_WORKSHOP = "national_workshop"
    ONLINE_CONFERENCE = "online_conference"
    SUSTAINABILITY_WORKSHOP = "sustainability_workshop"
    PEER_REVIEW_VISIT = "peer_review_visit"


class Direction(Labelled):
    """Which way a measure should move to count as improvement."""

    UP = "up"
    DOWN = "down"


class QipStatus(Labelled):
    """Where a plan is, in the words teams use (docs/domain.md, "QIP states")."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"


class Obstacle(Labelled):
    """What teams met on the way, as obstacles or as enablers (the same list)."""

    STAFFING = "staffing"
    BUDGET = "budget"
    IT = "it"
    SENIOR_MANAGERS = "senior_managers"
    OTHER_DEPARTMENTS = "other_departments"


class ContactChannel(Labelled):
    """How members reach each other; members say which they welcome."""

    EMAIL = "email"
    PHONE = "phone"
    VISIT = "visit"
    MEETING = "meeting"


class FollowUpKind(Labelled):
    RECIPROCAL_VISIT = "reciprocal_visit"
    FACILITATOR_VISIT = "facilitator_visit"
    INTRODUCTION = "introduction"
    CALL = "call"


class FollowUpStatus(Labelled):
    REQUESTED = "requested"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"


class DocumentKind(Labelled):
    """What a document attached to a QIP or a workshop is for; the member picks it."""

    BUSINESS_CASE = "business_case"
    DATA = "data"
    SLIDES = "slides"
    TEMPLATE = "template"
    OTHER = "other"


class MessageStatus(Labelled):
    """Where an e-mail in the outbox is: proposed (waiting for an organiser),
    sending (claimed by a send run), sent, failed (may be retried) or discarded."""

    PROPOSED = "proposed"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DISCARDED = "discarded"


_LABELS = {
    Role.CLINICAL_LEAD: "Clinical lead",
    Role.CNS: "Lung cancer nurse specialist",
    Role.MDT_COORDINATOR: "MDT co-ordinator",
    Role.IT_LEAD: "IT lead",
    KeyArea.CNS_ACCESS: "Access to nurse specialists",
    KeyArea.MDT_RUNNING: "MDT meeting running",
    Direction.UP: "Higher is better",
    QipStatus.SUBMITTED: "Submitted for review",
    Obstacle.IT: "IT",
    Direction.DOWN: "Lower is better",
    ContactChannel.EMAIL: "E-mail",
    ContactChannel.MEETING: "Meeting or workshop",
}

ALL_ENUMS: tuple[type[Labelled], ...] = (
    Role, KeyArea, WorkshopKind, Direction, QipStatus, Obstacle, ContactChannel, FollowUpKind,
    FollowUpStatus, DocumentKind, MessageStatus,
)


class ReviewDecision(Labelled):
    """An organiser's answer to a QIP submitted for review."""

    ACCEPT = "accept"
    REQUEST_CHANGES = "request_changes"
