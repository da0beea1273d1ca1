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

import re
from collections.abc import Mapping
from datetime import date
from enum import Enum
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice, enum_coerce

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

    def beside(self, messages: Mapping[str, str]) -> None:
        """Put messages already in words ({field name: message}) beside their fields; one
        for a field the form does not have goes above the form."""
        for name, message in messages.items():
            if name in self:
                self[name].errors = [message]
            else:
                self.form_errors.append(message)

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


# --- fields typed at the edge: the domain's enums, ids, versions ---------------------


def _enum_options(kind: type[Enum]) -> dict[str, Any]:
    """A choice field's settings for one of the domain's enums: offered in the domain's
    words, read back as the member itself, and a value that is not one refused with the
    domain's own message ("must be one of: Email, Phone, ...")."""
    choices = [SelectChoice(member.value, str(getattr(member, "label", member.value)))
               for member in kind]
    # Nothing chosen is None, not a refusal here: the command says whether it is needed.
    return {"choices": choices, "coerce": enum_coerce(kind), "validate_choice": False,
            "invalid_value_message": f"must be one of: {', '.join(c.label for c in choices)}"}


class EnumField(SelectField):
    """A select of one of the domain's enums (``ContactChannel``, ``Role``...)."""

    def __init__(self, label: str, kind: type[Enum], validators: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **{**_enum_options(kind), **kwargs})


class EnumRadioField(RadioField):
    """Radios for one of the domain's enums."""

    def __init__(self, label: str, kind: type[Enum], validators: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **{**_enum_options(kind), **kwargs})


class EnumMultipleField(SelectMultipleField):
    """Checkboxes for one of the domain's enums: a list of its members."""

    def __init__(self, label: str, kind: type[Enum], validators: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **{**_enum_options(kind), **kwargs})


class IdField(HiddenField):
    """A hidden id (the person or thing a form is about) read as a UUID. Anything else
    posted is refused with ``missing`` (the domain's words, "no such member"), so a
    command never sees a string where it expects an id."""

    data: UUID | None

    def __init__(self, label: str = "", validators: Any = None, *,
                 missing: str = "is not known", **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.missing = missing

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = UUID(str(valuelist[0]).strip()) if valuelist else None
        except ValueError:
            self.data = None
        if self.data is None:
            raise ValueError(self.missing)

    def _value(self) -> str:
        return str(self.data) if self.data else ""


class VersionField(HiddenField):
    """The version of the thing a form edits, as it was when the page was opened: an
    int, or None when missing or garbled (the command then does not check it)."""

    data: int | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        self.data = int(raw) if raw.isascii() and raw.isdecimal() else None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


def stripped(text: str | None) -> str | None:
    """A filter for a box whose spaces around the words mean nothing (an e-mail address)."""
    return text.strip() if text else text


def uuid_or_none(value: object) -> UUID | None:
    """A choice of a person or thing read as its id; an empty choice (or anything that
    is not an id) is None, for the route or the command to refuse in its words."""
    if isinstance(value, UUID) or value is None:
        return value
    try:
        return UUID(str(value).strip())
    except ValueError:
        return None


class IdListField(Field):
    """Every id posted under one name (ticked rows, a list carried in hidden inputs), as
    UUIDs; one that is not an id is refused with ``missing``."""

    data: list[UUID]

    def __init__(self, label: str = "", validators: Any = None, *,
                 missing: str = "is not known", **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.missing = missing

    def process_formdata(self, valuelist: list[Any]) -> None:
        found = [uuid_or_none(value) for value in valuelist]
        self.data = [id for id in found if id is not None]
        if len(self.data) < len(found):
            raise ValueError(self.missing)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IsoDateField(Field):
    """A date typed in a browser's own date box (``<input type="date">``), posted as
    2013-07-04. What is blank or not such a date reads as None: the command, which knows
    whether the date is needed, refuses it in the domain's words."""

    data: date | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        try:  # only 2013-07-04: Python would also take week dates (2013-W27-4)
            self.data = date.fromisoformat(raw) if _ISO_DAY.fullmatch(raw) else None
        except ValueError:
            self.data = None

    def _value(self) -> str:
        if self.raw_data:  # what was typed, so a refused date shows as typed
            return str(self.raw_data[0])
        return self.data.isoformat() if self.data else ""
