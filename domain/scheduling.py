"""Choosing a date for a workshop or an online conference that people can come to.

The online conferences had poor turnout: "they seem to have been on a Wednesday,
which is our lung cancer clinic". Members declare their clinic days and teams
their MDT meeting day; a date clashes for a member when its weekday is either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

from domain.member import WEEKDAYS

# Of the invitees free on a date, the share expected to come. The ILCOP report gives
# no figure, so this is an assumption (docs/domain.md, "Planning events"): pass your own rate.
DEFAULT_SHOW_UP_RATE = 0.6
CLINIC_DAY = "clinic_day"
MDT_MEETING = "mdt_meeting"
MAX_WINDOW_DAYS = 366
# Suggestions start this far ahead: clinics and MDT rotas are set weeks in advance, so
# an event tomorrow is one nobody can clear their diary for.
DEFAULT_NOTICE_WEEKS = 4
MAX_NOTICE_WEEKS = 52


@dataclass(frozen=True)
class Invitee:
    member_id: str
    role: str
    team_id: str | None
    clinic_days: tuple[str, ...] = ()
    team_meeting_day: str | None = None

    def clash_reasons(self, day: date) -> list[str]:
        """Why this member cannot come on ``day`` (nothing when they can)."""
        weekday = weekday_of(day)
        reasons = [CLINIC_DAY] if weekday in self.clinic_days else []
        if weekday and weekday == self.team_meeting_day:
            reasons.append(MDT_MEETING)
        return reasons


@dataclass(frozen=True)
class Suggestion:
    date: date
    clashes: int  # invitees who cannot come, each counted once
    expected_turnout: float  # invitees free × the show-up rate
    clash_reasons: dict[str, int] = field(default_factory=dict)  # reason → invitees with it
    free: int = 0


def weekday_of(day: date) -> str | None:
    """The stored key of the day's weekday ("monday"…), None at weekends."""
    return WEEKDAYS[day.weekday()] if day.weekday() < len(WEEKDAYS) else None


def suggest_dates(candidates: Iterable[date], invitees: Iterable[Invitee],
                  show_up_rate: float = DEFAULT_SHOW_UP_RATE) -> list[Suggestion]:
    """Every candidate date, best first: fewest clashes, then earliest."""
    if not 0 <= show_up_rate <= 1:
        raise ValueError("show_up_rate must be between 0 and 1")
    people = list(invitees)
    found = []
    for day in sorted(set(candidates)):
        reasons: dict[str, int] = {}
        clashes = 0
        for person in people:
            why = person.clash_reasons(day)
            clashes += bool(why)
            for reason in why:
                reasons[reason] = reasons.get(reason, 0) + 1
        free = len(people) - clashes
        found.append(Suggestion(date=day, clashes=clashes, free=free, clash_reasons=reasons,
                                expected_turnout=round(free * show_up_rate, 1)))
    return sorted(found, key=lambda s: (s.clashes, s.date))


def england_bank_holidays(start: date, end: date) -> dict[date, str]:
    """England's bank holidays from ``start`` to ``end``, with their names, from the
    ``holidays`` library (UK, subdivision ENG): one-off days such as the 2012 Diamond
    Jubilee and the substitute days when Christmas falls at a weekend are included."""
    found = holidays.country_holidays("GB", subdiv="ENG",
                                      years=range(start.year, end.year + 1))
    return {day: name for day, name in sorted(found.items()) if start <= day <= end}


def candidate_dates(start: date, end: date,
                    bank_holidays: Iterable[date] | None = None) -> list[date]:
    """The working days from ``start`` to ``end`` inclusive: no weekends, no bank
    holidays (England's, unless others are given)."""
    if end < start:
        raise ValueError("the window ends before it starts")
    if (end - start).days > MAX_WINDOW_DAYS:
        raise ValueError(f"the window can be at most {MAX_WINDOW_DAYS} days")
    closed = set(england_bank_holidays(start, end) if bank_holidays is None
                 else bank_holidays)
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5 and d not in closed]
