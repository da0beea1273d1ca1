"""The programme that brought the teams together, and the audit indicators it uses.

Indicators are data the organisers can extend (docs/domain.md, "Indicators"), so they are
defined by events on the programme rather than written into code.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import PROGRAMME_ID
from domain.input_checks import Checker


class Programme(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Started: ClassVar[type[Aggregate.Event]]
        IndicatorDefined: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id() -> UUID:
        return PROGRAMME_ID

    @classmethod
    def start(cls, *, name: str, funding_ends_on: object) -> Programme:
        check = Checker()
        name = check.text("name", name)
        funding_ends_on = check.day("funding_ends_on", funding_ends_on)
        check.done()
        return cls(name=name, funding_ends_on=funding_ends_on)

    @event("Started")
    def __init__(self, name: str, funding_ends_on: date) -> None:
        self.name = name
        self.funding_ends_on = funding_ends_on
        self.indicators: dict[str, dict[str, Any]] = {}

    def define_indicator(self, *, key: str, name: str, national: object = None,
                         standard: object = None) -> None:
        check = Checker()
        key = check.text("key", key, max_length=40)
        if key and not key.replace("_", "").isalnum():
            check.fail("key", "must be letters, digits and underscores")
        name = check.text("name", name)
        national_value = check.number("national", national, low=0, high=100, required=False)
        standard_value = check.number("standard", standard, low=0, high=100, required=False)
        check.done()
        self._define_indicator(key=key.lower(), name=name, national=national_value,
                               standard=standard_value)

    @event("IndicatorDefined")
    def _define_indicator(self, key: str, name: str, national: float | None,
                          standard: float | None) -> None:
        self.indicators[key] = {"key": key, "name": name, "national": national,
                                "standard": standard}
