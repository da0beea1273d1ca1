"""What the network-health figures are computed from: acts and ties.

Two plain shapes, shared by the projection that records them
(``projections``) and the measures that read them (``domain``), so each
measure is a pure function over lists that a unit test can build by hand.

An *act* is something one member did that keeps the network alive: made a
contact, took part in a visit, asked for or answered a follow-up, worked on a
QIP, asked or answered a question. An act *by an organiser*, or one that was a
reply to the organisers' nudge, is not organic.

A *tie* links two members (and so their teams) on a day: a contact, a visit, a
shared event, a follow-up, a QIP adoption. Ties carry a weight so that a day
spent on a visit counts for more than an e-mail; the weights are defined once
here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ActKind(StrEnum):
    CONTACT = "contact"
    VISIT = "visit"
    FOLLOW_UP = "follow_up"
    QIP_WORK = "qip_work"
    QUESTION = "question"
    ANSWER = "answer"


class TieKind(StrEnum):
    CONTACT = "contact"
    VISIT = "visit"
    SHARED_EVENT = "shared_event"
    FOLLOW_UP = "follow_up"
    QIP_ADOPTION = "qip_adoption"


# How much one tie of each kind counts in the live network: a peer-review
# visit is a day together; sitting in the same event is the weakest tie.
TIE_WEIGHTS: dict[TieKind, float] = {
    TieKind.VISIT: 3.0,
    TieKind.QIP_ADOPTION: 2.0,
    TieKind.CONTACT: 1.0,
    TieKind.FOLLOW_UP: 1.0,
    TieKind.SHARED_EVENT: 0.5,
}

# A member with no act for this many days has lapsed; a tie older than this is
# no longer live.
LAPSE_DAYS = 90


@dataclass(frozen=True, slots=True)
class Act:
    member_id: str
    team_id: str | None  # None for an organiser without a team
    day: date
    kind: ActKind
    by_organiser: bool = False  # the member doing it is an organiser
    nudged: bool = False        # a reply to an organisers' nudge or introduction

    @property
    def organic(self) -> bool:
        return not (self.by_organiser or self.nudged)


@dataclass(frozen=True, slots=True)
class Tie:
    first_member_id: str
    first_team_id: str | None
    second_member_id: str
    second_team_id: str | None
    day: date
    kind: TieKind
    facilitated: bool = False   # an organiser brought the two together

    @property
    def weight(self) -> float:
        return TIE_WEIGHTS[self.kind]
