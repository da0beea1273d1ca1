"""What the story's parts share: the cast as the story knows it (teams, people and
their plans, by id), the day the story has reached, a random stream per part, and
the calendar helpers.

Every change goes through a ``Community`` command. While the story is told, the
app's clock (``Community.today``) reads the story's day, so a command that dates
what it records by today (a QIP drafted, feedback given, a registration) dates it in
2010-2013; and views catch up at checkpoints rather than after each command (a
setting a deployment with a projection worker uses too), which keeps loading quick.
Both are put back when the story ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from random import Random
from typing import Any, TypeVar
from uuid import UUID

from community.application import Community
from community.demo.data import PARTICIPANT
from domain.values import KeyArea, Role

T = TypeVar("T")

PROGRAMME_NAME = "Improving Lung Cancer Outcomes Project (ILCOP)"
PROGRAMME_STARTS_ON = date(2010, 1, 1)
FUNDING_ENDS_ON = date(2012, 3, 31)
DEMO_ENDS_ON = date(2013, 9, 30)  # 18 months after the funding end
AUDIT_YEARS = (2009, 2010, 2011, 2012)
CHECKPOINT = 250  # aggregates made between the views catching up


@dataclass(eq=False)
class Person:
    """A member as the story knows them."""

    id: UUID
    name: str
    email: str
    role: Role
    team: DemoTeam | None  # None: an organiser
    consents_to_contact: bool = True
    clinic_days: list[str] = field(default_factory=list)  # as they said on their profile

    @property
    def is_organiser(self) -> bool:
        return self.team is None


@dataclass(eq=False)
class PlannedQip:
    """A QIP the story drafted, and what it knows of how it goes."""

    id: UUID
    team: DemoTeam
    owner: Person
    title: str
    key_area: KeyArea
    drafted_on: date
    shared_on: date | None = None
    deadline: date | None = None
    pattern: str | None = None  # how its values go (None: the progress part draws one)
    months: int | None = None  # how many months of values (None: drawn too)
    ending: str = ""  # "stopped" or "completed", once decided
    ended_on: date | None = None
    end_note: str = ""  # the reason it stopped, or the completion note


@dataclass(eq=False)
class DemoTeam:
    """A team as the demo tells its story: who it is, and what happens to it."""

    id: UUID
    name: str
    slug: str  # its e-mail domain's first part
    region: str
    caseload: int
    momentum: str  # how it fared after the funding end
    active_until: date  # after this the team falls quiet
    profile: dict[str, float]  # strengths (+) and weaknesses (-), in spreads
    audits: dict[int, dict[str, float]] = field(default_factory=dict)
    members: list[Person] = field(default_factory=list)
    partner: DemoTeam | None = None
    pairing_id: UUID | None = None
    visits: list[date] = field(default_factory=list)
    qips: list[PlannedQip] = field(default_factory=list)
    meeting_day: str = ""  # the weekday its MDT meets

    def active_on(self, day: date) -> bool:
        return day <= self.active_until

    def latest(self, key: str) -> float | None:
        return self.audits[max(self.audits)].get(key)

    def with_role(self, *roles: Role) -> list[Person]:
        return [m for m in self.members if m.role in roles]

    def core(self) -> list[Person]:
        return self.with_role(Role.CLINICAL_LEAD, Role.CNS, Role.MDT_COORDINATOR)


class Story:
    """The demo being told into ``app``: the cast, the day it has reached, and how
    much it has made (reported to ``progress`` at each checkpoint)."""

    def __init__(self, app: Community, seed: int = 2012,
                 progress: Callable[[int], None] | None = None) -> None:
        self.app = app
        self.seed = seed
        self.progress = progress
        self.real_today = app.today()  # the day the demo is loaded
        self.day = PROGRAMME_STARTS_ON
        self.organisers: list[Person] = []
        self.teams: list[DemoTeam] = []
        self.indicators: list[dict[str, Any]] = []  # as the programme defined them
        self.made: Counter[str] = Counter()
        self._unreported = 0

    def rng(self, part: str) -> Random:
        """The part's own random stream: a part drawing more leaves the others as they were."""
        return Random(f"{self.seed}-{part}")

    def on(self, day: date) -> Story:
        """Move the story's clock to ``day`` (what the next command calls today)."""
        self.day = day
        return self

    def count(self, kind: str, number: int = 1) -> None:
        """``number`` new aggregates of ``kind`` were saved."""
        self.made[kind] += number
        self._unreported += number
        if self._unreported >= CHECKPOINT:
            self.checkpoint()

    def checkpoint(self) -> None:
        """The views catch up (a part that reads them sees what came before)."""
        self.app.views.catch_up()
        if self.progress is not None and self._unreported:
            self.progress(self._unreported)
        self._unreported = 0

    @property
    def members(self) -> list[Person]:
        return [*self.organisers, *(m for t in self.teams for m in t.members)]

    @property
    def qips(self) -> list[PlannedQip]:
        return [q for t in self.teams for q in t.qips]

    def active_members(self, day: date) -> list[Person]:
        return [m for t in self.teams if t.active_on(day) for m in t.members]

    def participants_team(self) -> DemoTeam:
        return next(t for t in self.teams if any(m.email == PARTICIPANT.email
                                                 for m in t.members))

    @staticmethod
    def is_participants(qip: PlannedQip) -> bool:
        """The participant login's own plan."""
        return qip.owner.email == PARTICIPANT.email


@contextmanager
def told_into(story: Story) -> Iterator[Story]:
    """The app's clock reads the story's day, and views catch up at checkpoints."""
    app = story.app
    today, settings = app.today, app.settings
    app.today = lambda: story.day
    app.settings = replace(settings, catch_up_after_commands=False)
    try:
        yield story
        story.checkpoint()
    finally:
        app.today, app.settings = today, settings


# --- the calendar and drawing ------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, 28))


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def pick_weighted(rng: Random, items: list[T], weights: list[float], count: int) -> list[T]:
    """``count`` different items, each drawn with chance in proportion to its weight."""
    items, weights, found = list(items), list(weights), []
    for _ in range(min(count, len(items))):
        index = rng.choices(range(len(items)), weights=weights)[0]
        found.append(items.pop(index))
        weights.pop(index)
    return found


def number_text(value: float) -> str:
    return f"{value:g}"
