"""A lung cancer multi-disciplinary team (MDT) and its audit results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.ids import team_id_for
from domain.input_checks import Checker
from domain.member import WEEKDAYS  # the members' clinic days use the same keys


class Team(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Registered: ClassVar[type[Aggregate.Event]]
        AuditRecorded: ClassVar[type[Aggregate.Event]]
        MeetingDaySet: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(name: str) -> UUID:
        return team_id_for(name)

    @classmethod
    def register(cls, *, name: str, trust: str, region: str, latitude: object,
                 longitude: object, caseload: object) -> Team:
        check = Checker()
        name = check.text("name", name)
        trust = check.text("trust", trust)
        region = check.text("region", region, max_length=80)
        lat = check.number("latitude", latitude, low=-90, high=90)
        lon = check.number("longitude", longitude, low=-180, high=180)
        cases = check.number("caseload", caseload, low=0, high=100_000)
        check.done()
        # Each number is None only when refused above.
        return cls(name=name, trust=trust, region=region, latitude=lat or 0.0,
                   longitude=lon or 0.0, caseload=int(cases or 0))

    @event("Registered")
    def __init__(self, name: str, trust: str, region: str, latitude: float,
                 longitude: float, caseload: int) -> None:
        self.name = name
        self.trust = trust
        self.region = region
        self.latitude = latitude
        self.longitude = longitude
        self.caseload = caseload
        self.audits: dict[int, dict[str, float]] = {}
        self.meeting_day = ""  # the weekday of the team's MDT meeting; "" when not said

    def record_audit(self, *, year: object, results: Mapping[str, object],
                     indicators: Iterable[str]) -> None:
        """Record one audit year's results; ``indicators`` are the known keys."""
        check = Checker()
        year_number = check.number("year", year, low=2000, high=2100)
        known = set(indicators)
        clean: dict[str, float] = {}
        if not isinstance(results, Mapping) or not results:
            check.fail("results", "give at least one indicator")
            results = {}
        for key, value in results.items():
            if key not in known:
                check.fail(f"results.{key}", "is not a known indicator")
            elif (number := check.percentage(f"results.{key}", value)) is not None:
                clean[key] = number
        check.done()
        self._record_audit(year=int(year_number or 0), results=clean)

    @event("AuditRecorded")
    def _record_audit(self, year: int, results: dict[str, float]) -> None:
        self.audits[year] = dict(results)

    def set_meeting_day(self, day: object) -> None:
        """The weekday the MDT meets (one of WEEKDAYS), or "" for not known."""
        found = day.strip().lower() if isinstance(day, str) else day
        if found not in ("", *WEEKDAYS):
            raise Invalid({"meeting_day": "must be a day from Monday to Friday"})
        if found != self.meeting_day:
            self._set_meeting_day(day=found)

    @event("MeetingDaySet")
    def _set_meeting_day(self, day: str) -> None:
        self.meeting_day = day
