"""Reading a page the way a person does: its visible text, its tables, its links."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

from tests.builders import PASSWORD
from tests.web.forms import submit

_HIDDEN = {"script", "style", "head"}
_INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong"}
# A responsive table repeats its column headings in each cell for small screens, where
# the header row is hidden; on a wide screen a person reads them once, in the header.
_REPEATED_HEADING = "nhsuk-table__heading"


class _RepeatedHeadings:
    """Tracks whether the parser is inside a repeated heading's <span>."""

    def __init__(self) -> None:
        self.depth = 0

    @property
    def inside(self) -> bool:
        return self.depth > 0

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span" and (self.depth or _REPEATED_HEADING in (
                dict(attrs).get("class") or "").split()):
            self.depth += 1

    def end(self, tag: str) -> None:
        if tag == "span" and self.depth:
            self.depth -= 1


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.headings = _RepeatedHeadings()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        self.headings.start(tag, attrs)
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        self.headings.end(tag)
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden and not self.headings.inside:
            self.parts.append(data)


def text(html: str | bytes) -> str:
    """The page's words, whitespace collapsed (unselected options and <head> left out)."""
    if isinstance(html, bytes):
        html = html.decode()
    # Options are simple enough to drop by pattern: keep only the selected ones.
    html = re.sub(r"<option(?![^>]*\bselected\b)[^>]*>.*?</option>", " ", html, flags=re.S)
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", unescape("".join(parser.parts))).strip()


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self.stack: list[dict[str, Any]] = []
        self.cell: list[str] | None = None
        self.section = "tbody"
        self.headings = _RepeatedHeadings()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.headings.start(tag, attrs)
        if tag == "table":
            table = {"attrs": dict(attrs), "head": [], "body": []}
            self.tables.append(table)
            self.stack.append(table)
        elif not self.stack:
            return
        elif tag in {"thead", "tbody", "tfoot"}:
            self.section = tag
        elif tag == "tr":
            self.stack[-1]["head" if self.section == "thead" else "body"].append([])
        elif tag in {"td", "th"}:
            self.cell = []
        elif self.cell is not None:
            self.cell.append(" ")  # <br>, <li>, <span>: read as a space

    def handle_endtag(self, tag: str) -> None:
        self.headings.end(tag)
        if tag == "table" and self.stack:
            self.stack.pop()
            self.section = "tbody"
        elif tag in {"td", "th"} and self.cell is not None and self.stack:
            table = self.stack[-1]
            rows = table["head" if self.section == "thead" else "body"]
            rows[-1].append(re.sub(r"\s+", " ", unescape("".join(self.cell))).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.headings.inside:
            self.cell.append(data)


def tables(html: str | bytes) -> list[dict[str, Any]]:
    """Every table: {"attrs", "head": [[cell text]], "body": [[cell text]]}."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table(html: str | bytes, css_class: str) -> dict[str, Any]:
    """The first table whose class list includes css_class."""
    for found in tables(html):
        if css_class in (found["attrs"].get("class") or "").split():
            return found
    raise AssertionError(f"no table with class {css_class!r} on the page")


def links(html: str | bytes) -> dict[str, str]:
    """Link text → href, for the links a person can follow."""
    if isinstance(html, bytes):
        html = html.decode()
    found = {}
    for href, label in re.findall(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, flags=re.S):
        found[re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", label))).strip()] = unescape(href)
    return found


def selected(html: str | bytes, name: str) -> list[str]:
    """The values of the selected options in the <select name=name>."""
    if isinstance(html, bytes):
        html = html.decode()
    match = re.search(rf'<select\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</select>', html,
                      flags=re.S)
    assert match, f"no select named {name!r} on the page"
    return [unescape(value) for value, attrs in re.findall(
        r'<option\b[^>]*?\bvalue="([^"]*)"([^>]*)>', match.group(1))
            if re.search(r"\bselected\b", attrs)]


def csrf_token(html: str | bytes) -> str:
    if isinstance(html, bytes):
        html = html.decode()
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form token"
    return match.group(1)


def log_in(client: Any, email: str, password: str = PASSWORD, next_page: str | None = None) -> Any:
    """Log in through the login form, token and all, as a browser would."""
    url = "/login" + (f"?next={next_page}" if next_page else "")
    return submit(client, client.get(url).data, {"email": email, "password": password},
                  action="/login")


def log_out(client: Any) -> Any:
    """Press "Log out" in the header, as a browser would."""
    return submit(client, client.get("/directory").data, action="/logout")
