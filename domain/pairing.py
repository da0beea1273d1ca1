"""Two teams paired for reciprocal peer review: each hosts one visit and makes one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.ids import NAMESPACE
from domain.input_checks import Checker


class Pairing(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Made: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(team_ids: list[UUID], round: int) -> UUID:
        """The same two teams in the same round are the same pairing."""
        return uuid5(NAMESPACE, f"pairing:{round}:" + ":".join(sorted(map(str, team_ids))))

    @classmethod
    def pair(cls, *, first_team_id: UUID, second_team_id: UUID, paired_on: object,
             round: object = 1) -> Pairing:
        check = Checker()
        paired_on = check.day("paired_on", paired_on)
        number = check.number("round", round, low=1, high=100)
        check.done()
        if first_team_id == second_team_id:
            raise Invalid({"second_team_id": "a team cannot be paired with itself"})
        return cls(team_ids=sorted([first_team_id, second_team_id], key=str),
                   paired_on=paired_on, round=int(number or 1))

    @event("Made")
    def __init__(self, team_ids: list[UUID], paired_on: date, round: int) -> None:
        self.team_ids = list(team_ids)
        self.paired_on = paired_on
        self.round = round

    def partner_of(self, team_id: UUID) -> UUID:
        first, second = self.team_ids
        return second if team_id == first else first
