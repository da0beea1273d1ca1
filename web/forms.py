"""The one shape for an HTML form: a Flask-WTF form class per form.

WTForms reads what was posted and types it at the edge (a date, a UUID, a choice from
a list), so a route hands the command real values. The domain still has the last word:
its refusals (``Invalid``, naming fields in the domain's words, ``measures[0].baseline``)
land on the same fields with ``Form.refuse``, so the page shows one list of problems,
in the form's order, whichever side found them.

Templates render fields with the NHS.UK macros in ``templates/_fields.html``, which take
a bound field and show its label, hint, value and first error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field

from domain.errors import Invalid


class Form(FlaskForm):
    """Base for every page's form.

    CSRF is checked once for the whole app by ``CSRFProtect`` (web/__init__.py), which
    reads the same ``csrf_token`` field, so the form need not check it again."""

    class Meta:
        csrf = False

    # The domain's name for a field, where it differs from the form's.
    domain_names: Mapping[str, str] = {}

    def refuse(self, error: Invalid) -> None:
        """Put the domain's reasons beside the fields they name. A reason for a field the
        form does not have goes above the form (``form_errors``)."""
        form_names = {domain: form for form, domain in self.domain_names.items()}
        for name, message in error.fields.items():
            field = self._fields.get(form_names.get(name, name))
            if field is None:
                self.form_errors.append(message)
                continue
            label = field.label.text if field.label else name
            words = message if message.startswith(label) else f"{label} {message}"
            field.errors = [*_errors(field), words[0].upper() + words[1:]]

    def problems(self) -> dict[str, str]:
        """The error summary: {field id: first message}, in the form's order; problems
        that belong to no field come first, without a link."""
        found: dict[str, str] = {f"_form{n}": m for n, m in enumerate(self.form_errors)}
        for field in self:
            errors = _errors(field)
            if errors:
                found[field.id] = str(errors[0])
        return found


def _errors(field: Any) -> list[Any]:
    """A field's errors as a list (WTForms keeps a tuple until validation runs, and a
    dict for enclosed forms)."""
    errors = field.errors
    if isinstance(errors, dict):
        return [message for messages in errors.values() for message in messages]
    return list(errors or [])


class DayField(Field):
    """A date typed in the NHS.UK date input: three boxes posted as ``name[day]``,
    ``name[month]`` and ``name[year]``. An empty date is never taken to mean today (a
    value recorded on the wrong day is worse than none); ``optional=True`` lets a blank
    date through as ``None``.

    ``label`` is also the field's name in people's words for the messages
    ("Enter the date measured", "... must include a month")."""

    data: date | None

    def __init__(self, label: str = "", validators: Any = None, *, optional: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.optional = optional
        self.typed = {"day": "", "month": "", "year": ""}

    def process_formdata(self, valuelist: list[Any]) -> None:  # not used: see process
        pass

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(None, data, extra_filters)
        if isinstance(self.data, date):
            self.typed = {"day": str(self.data.day), "month": str(self.data.month),
                          "year": str(self.data.year)}
        if formdata is None:
            return
        self.typed = {part: formdata.get(f"{self.name}[{part}]", "").strip()
                      for part in ("day", "month", "year")}
        self.data, problem = _day(self.typed, str(self.label.text))
        if problem and not (self.optional and not any(self.typed.values())):
            self.process_errors.append(problem)

    def parts(self) -> SimpleNamespace:
        """What the three boxes show: what was typed, else the saved date."""
        return SimpleNamespace(**self.typed)

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""


def _day(parts: dict[str, str], name: str) -> tuple[date | None, str]:
    """The three boxes as a date, or a message saying what is wrong with them."""
    name = name[:1].lower() + name[1:]
    if not any(parts.values()):
        return None, f"Enter {name}"
    if missing := [p for p, v in parts.items() if not v]:
        return None, f"{name.capitalize()} must include a {' and a '.join(missing)}"
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    try:
        if not all(v.isascii() and v.isdecimal() for v in parts.values()) or len(parts["year"]) != 4:
            raise ValueError(parts["year"])
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), ""
    except ValueError:
        return None, f"{name.capitalize()} must be a real date, for example 31 3 2013"
