"""Submitting a page's forms the way a browser does.

A page test must post the field names the rendered form really has: a hand-built post
once hid a date input whose boxes were named ``date[day]`` while the handler read
``date-day``, so every value was recorded on today's date and every test passed.

``form_on(html, ...)`` reads one <form> from the page: its action, method, encoding and
each field with the value a browser would send untouched (hidden inputs such as the
CSRF token, typed-in defaults, selected options, checked boxes). ``submit`` then fills
in what the person types or chooses and posts it; naming a field the form does not
have fails the test at once, before anything is posted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

# Inputs a browser never sends as typed values.
_NOT_SENT = {"submit", "button", "reset", "image"}


@dataclass
class Form:
    """One <form> as rendered: where it posts and the fields it has."""

    action: str
    method: str
    enctype: str
    attrs: dict[str, str]
    # name → the values a browser sends if nobody touches the form.
    defaults: dict[str, list[str]] = field(default_factory=dict)
    # every name a person can fill, tick or choose (whether or not it sends a default).
    names: set[str] = field(default_factory=set)
    # name → the values its options or boxes offer (selects, radios, checkboxes).
    choices: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    buttons: dict[str, str] = field(default_factory=dict)
    # name → the values of every submit button with that name (one is pressed).
    button_values: dict[str, list[str]] = field(default_factory=dict)

    def data(self, values: dict[str, Any]) -> dict[str, Any]:
        """The body a browser posts after a person fills in ``values``.

        A list fills a multi-valued field (checkboxes, repeated names); ``None`` clears a
        field (an unticked box). A value for a select, radio or checkbox must be one the
        form offers, as a person can only choose what is there."""
        unknown = set(values) - self.names - self.files - set(self.buttons)
        assert not unknown, (f"the form posting to {self.action} has no field "
                             f"{sorted(unknown)}; it has {sorted(self.names | self.files)}")
        body: dict[str, Any] = {name: list(vals) for name, vals in self.defaults.items()}
        for name, value in values.items():
            if name in self.files:
                continue
            wanted = [] if value is None else (
                [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)])
            offered = self.choices.get(name, self.button_values.get(name))
            if offered is not None:
                refused = [v for v in wanted if v not in offered]
                assert not refused, (f"{name} offers {offered}, not {refused} "
                                     f"(the form posting to {self.action})")
            body[name] = wanted
        return {name: vals[0] if len(vals) == 1 else vals
                for name, vals in body.items() if vals}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[str, bool] | None = None  # (name, multiple)
        self.select_first: str | None = None
        self.select_chosen = False
        self.option: dict[str, str] | None = None
        self.option_text: list[str] = []
        self.textarea: str | None = None
        self.textarea_text: list[str] = []

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form":
            self.form = Form(action=attrs.get("action", ""),
                             method=attrs.get("method", "get").lower(),
                             enctype=attrs.get("enctype", "application/x-www-form-urlencoded"),
                             attrs=attrs)
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            self._input(name, attrs)
        elif tag == "button" and name:
            self._button(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs)
            self.select_first, self.select_chosen = None, False
            self.form.names.add(name)
            self.form.choices.setdefault(name, [])
        elif tag == "option" and self.select:
            self.option, self.option_text = attrs, []
        elif tag == "textarea" and name:
            self.textarea, self.textarea_text = name, []
            self.form.names.add(name)

    def _input(self, name: str, attrs: dict[str, str]) -> None:
        assert self.form is not None
        kind = attrs.get("type", "text").lower()
        if kind in _NOT_SENT:
            if kind == "submit":
                self._button(name, attrs.get("value", ""))
            return
        if kind == "file":
            self.form.files.add(name)
            return
        self.form.names.add(name)
        value = attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")
        if kind in {"checkbox", "radio"}:
            self.form.choices.setdefault(name, []).append(value)
            if "checked" in attrs:
                self.form.defaults.setdefault(name, []).append(value)
            return
        self.form.defaults.setdefault(name, []).append(value)

    def _button(self, name: str, value: str) -> None:
        assert self.form is not None
        self.form.buttons[name] = value
        self.form.button_values.setdefault(name, []).append(value)

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option_text.append(data)
        elif self.textarea is not None:
            self.textarea_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None and self.select and self.form:
            name, multiple = self.select
            value = self.option.get("value", "".join(self.option_text).strip())
            self.form.choices[name].append(value)
            if self.select_first is None:
                self.select_first = value
            if "selected" in self.option and (multiple or not self.select_chosen):
                self.form.defaults.setdefault(name, []).append(value)
                self.select_chosen = True
            self.option = None
        elif tag == "select" and self.select and self.form:
            name, multiple = self.select
            # A single select with nothing marked sends its first option.
            if not multiple and not self.select_chosen and self.select_first is not None:
                self.form.defaults.setdefault(name, []).append(self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form:
            text = "".join(self.textarea_text)
            self.form.defaults.setdefault(self.textarea, []).append(
                text[1:] if text.startswith("\n") else text)
            self.textarea = None


def forms_on(html: str | bytes) -> list[Form]:
    """Every form on the page, in order."""
    parser = _Forms()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms


def form_on(html: str | bytes, action: str | None = None, *, id: str | None = None,
            having: str | None = None) -> Form:
    """The one form on the page that posts to ``action`` (its path, query and fragment
    ignored when ``action`` has none), or has the ``id``, or has a field named
    ``having``. Fails the test when none, or more than one, matches."""
    def path(url: str) -> str:
        return url.split("#")[0] if "?" in (action or "") else url.split("#")[0].split("?")[0]

    found = [f for f in forms_on(html)
             if (action is None or path(f.action) == action)
             and (id is None or f.attrs.get("id") == id)
             and (having is None or having in f.names or having in f.files)]
    assert found, f"no form on the page for action={action!r} id={id!r} having={having!r}"
    assert len(found) == 1, (f"{len(found)} forms on the page match action={action!r} "
                             f"id={id!r} having={having!r}; say which with id= or having=")
    return found[0]


def submit(client: Any, html: str | bytes, values: dict[str, Any] | None = None, *,
           action: str | None = None, id: str | None = None, having: str | None = None,
           files: dict[str, tuple[bytes, str]] | None = None, button: str | None = None,
           **request: Any) -> Any:
    """Fill in the form found by ``form_on`` with ``values`` and post it as a browser
    does. ``files`` maps a file input's name to (bytes, filename); ``button`` names the
    submit button pressed, when it carries a name and value (when several buttons share a
    name, say which in ``values``: ``{"action": "check"}``). A multipart form is encoded
    here, in memory, with an empty part for each file input left empty, as a browser
    sends it (the test client's own encoder leaves a large body's temporary file open
    when the app refuses it)."""
    form = form_on(html, action, id=id, having=having)
    body = form.data(values or {})
    if button is not None:
        assert button in form.buttons, f"the form has no button named {button!r}"
        body[button] = form.buttons[button]
    for name in files or {}:
        assert name in form.files, f"the form posting to {form.action} has no file input {name!r}"
    if form.method != "post":
        return client.get(form.action, query_string=body, **request)
    if not (form.files or files):
        return client.post(form.action, data=body, **request)
    for name in form.files:
        content, filename = (files or {}).get(name, (b"", ""))
        # No content type given: it is guessed from the name, as a browser does.
        body[name] = FileStorage(io.BytesIO(content), filename=filename)
    boundary, encoded = encode_multipart(body)
    return client.post(form.action, data=encoded,
                       content_type=f"multipart/form-data; boundary={boundary}", **request)
