"""Input checking for the aggregates: a Checker collects every problem with a command's
input, each under the name of the field it is about, and raises them together."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TypeVar

from domain.errors import Invalid
from domain.values import Labelled

# Only the calendar form the API answers with; Python 3.11 would also take
# "20120331" and week dates, which nobody typing a date means.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)

E = TypeVar("E", bound=Labelled)


class Checker:
    """Collects every problem with a command's input, then raises them together,
    so a form can show them all at once instead of one per attempt."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        self.problems.setdefault(field, message)

    def text(self, field: str, value: object, *, required: bool = True, max_length: int = 200) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(field, "must be text")
            return ""
        value = value.strip()
        if "\x00" in value:
            self.fail(field, "must not contain NUL characters")
        elif required and not value:
            self.fail(field, "is required")
        elif len(value) > max_length:
            self.fail(field, f"must be at most {max_length} characters")
        return value

    def number(self, field: str, value: object, *, low: float | None = None,
               high: float | None = None, required: bool = True) -> float | None:
        if value is None or value == "":
            if required:
                self.fail(field, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(field, "must be a number")
            return None
        try:
            number = float(value)
        except (ValueError, OverflowError):
            self.fail(field, "must be a number")
            return None
        if not math.isfinite(number):
            self.fail(field, "must be a finite number")
        elif low is not None and number < low:
            self.fail(field, f"must be at least {low:g}")
        elif high is not None and number > high:
            self.fail(field, f"must be at most {high:g}")
        return number

    def percentage(self, field: str, value: object) -> float | None:
        return self.number(field, value, low=0, high=100)

    def day(self, field: str, value: object) -> date:
        """A calendar date, given as a date or an ISO 8601 string."""
        if isinstance(value, str):
            try:
                if not ISO_DATE.fullmatch(value.strip()):
                    raise ValueError(value)
                value = date.fromisoformat(value.strip())
            except ValueError:
                self.fail(field, "must be a date like 2012-03-31")
                return EARLIEST
        if not isinstance(value, date):
            self.fail(field, "must be a date like 2012-03-31")
            return EARLIEST
        if not EARLIEST <= value <= LATEST:
            self.fail(field, f"must be between {EARLIEST} and {LATEST}")
        return value

    def choice(self, field: str, kind: type[E], value: object) -> E:
        if isinstance(value, kind):
            return value
        try:
            return kind.parse(value)
        except ValueError as error:
            self.fail(field, str(error))
            return next(iter(kind))

    def done(self) -> None:
        if self.problems:
            raise Invalid(self.problems)
