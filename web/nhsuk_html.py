"""The NHS.UK table and details components drawn in Python, for pages that draw many.

The nhsuk-frontend-jinja macros build every cell through nested macros (attributes,
classes, ``indent`` over the whole inner HTML); on a QIP page with its values tables
or a team page with ten years of audit results they were ~80% of the request
(issue 14's load benchmark: those pages' p95 was 13x and 17x that of GET
/api/v1/me). These functions take the same parameters as the macros (the subset
our templates use; any other key is refused, so nobody gets different markup
silently) and write the same elements, classes and attributes.
``tests/unit/test_nhsuk_html.py`` compares them with the macros' output.

Every page also draws the header and footer, and every list its filter form (a
select of 156 teams was 40% of the directory page) (~20 ms of CPU a page, more than all of
GET /api/v1/me): ``drawn`` keeps a macro's output by its parameters, so a person
moving between pages draws their header once, and a filter form with the same
choices is drawn once. The output is a function of the
parameters alone (the key is all of them), so nothing needs invalidating; what
changes per request (the form token) is put in after, by the template.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from flask import current_app
from jinja2 import Undefined
from markupsafe import Markup, escape

_TABLE_KEYS = {"classes", "responsive", "attributes", "firstCellIsHeader", "caption",
               "captionSize", "head", "rows"}
_CELL_KEYS = {"text", "html", "format"}
_DETAILS_KEYS = {"summaryText", "html", "open", "classes", "id"}
_SUMMARY_KEYS = {"rows", "classes"}
_SUMMARY_ROW_KEYS = {"key", "value"}


def _refuse_unknown(params: Mapping[str, Any], known: set[str], what: str) -> None:
    unknown = set(params) - known
    if unknown:
        raise ValueError(f"{what} does not draw {sorted(unknown)}: use the NHS.UK macro")


def _value(cell: Mapping[str, Any]) -> str:
    """A cell's content: its HTML as given, or its text escaped (the macro's order)."""
    if cell.get("html"):
        return str(cell["html"])
    text = cell.get("text")
    return str(escape(text)) if text else ""


def _attributes(attributes: Mapping[str, Any] | None) -> str:
    return "".join(f' {escape(name)}="{escape(value)}"'
                   for name, value in (attributes or {}).items())


def table(params: Mapping[str, Any]) -> Markup:
    """``nhsuk/components/tables/macro.jinja``'s ``table``, for plain head and rows."""
    _refuse_unknown(params, _TABLE_KEYS, "nhsuk_table")
    responsive = bool(params.get("responsive"))
    first_is_header = bool(params.get("firstCellIsHeader"))
    classes = "nhsuk-table" + (" nhsuk-table--responsive" if responsive else "")
    if params.get("classes"):
        classes += " " + params["classes"]
    head: Sequence[Mapping[str, Any]] = params.get("head") or []
    table_role = ' role="table"' if responsive else ""
    out = [f'<table class="{escape(classes)}"{table_role}'
           f'{_attributes(params.get("attributes"))}>\n']
    if params.get("caption"):
        size = params.get("captionSize")
        out.append(f'<caption class="nhsuk-table__caption'
                   f'{f" nhsuk-table__caption--{size}" if size else ""}">'
                   f'{escape(params["caption"])}</caption>\n')
    role = ' role="rowgroup"' if responsive else ""
    column_role = ' role="columnheader"' if responsive else ""
    row_role = ' role="row"' if responsive else ""
    if head:
        out.append(f'<thead class="nhsuk-table__head"{role}><tr class="nhsuk-table__row"{row_role}>')
        for item in head:
            _refuse_unknown(item, _CELL_KEYS, "nhsuk_table's head")
            numeric = " nhsuk-table__header--numeric" if item.get("format") == "numeric" else ""
            out.append(f'<th class="nhsuk-table__header{numeric}" scope="col"'
                       f'{column_role}>{_value(item)}</th>')
        out.append("</tr></thead>\n")
    out.append('<tbody class="nhsuk-table__body">\n')
    for row in params.get("rows") or []:
        out.append(f'<tr class="nhsuk-table__row"{row_role}>')
        for index, cell in enumerate(row):
            _refuse_unknown(cell, _CELL_KEYS, "nhsuk_table's cell")
            header = head[index] if index < len(head) else {}
            is_th = index == 0 and first_is_header
            kind = "nhsuk-table__header" if is_th else "nhsuk-table__cell"
            numeric = (f" {kind}--numeric"
                       if (cell.get("format") or header.get("format")) == "numeric" else "")
            scope = ' scope="row"' if is_th else ""
            cell_role = ""
            if responsive:
                cell_role = ' role="rowheader"' if is_th else ' role="cell"'
            element = "th" if is_th else "td"
            inner = _value(cell)
            if responsive and header:
                heading = (f'<span class="nhsuk-table__heading" aria-hidden="true">'
                           f'{_value(header)} </span>')
                inner = heading + (f"<span>{inner}</span>" if cell.get("html") else inner)
            out.append(f'<{element} class="{kind}{numeric}"{scope}{cell_role}>{inner}</{element}>')
        out.append("</tr>\n")
    out.append("</tbody>\n</table>")
    return Markup("".join(out))


def details(params: Mapping[str, Any]) -> Markup:
    """``nhsuk/components/details/macro.jinja``'s ``details``, with its content as HTML."""
    _refuse_unknown(params, _DETAILS_KEYS, "nhsuk_details")
    classes = "nhsuk-details" + (f" {params['classes']}" if params.get("classes") else "")
    id_ = f' id="{escape(params["id"])}"' if params.get("id") else ""
    opened = " open" if params.get("open") else ""
    return Markup(
        f'<details class="{escape(classes)}"{id_}{opened}>\n'
        f'<summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">'
        f'{escape(params.get("summaryText") or "")}</span></summary>\n'
        f'<div class="nhsuk-details__text">\n{params.get("html") or ""}\n</div>\n</details>')


def summary_list(params: Mapping[str, Any]) -> Markup:
    """``nhsuk/components/summary-list/macro.jinja``'s ``summaryList``, rows without
    actions."""
    _refuse_unknown(params, _SUMMARY_KEYS, "nhsuk_summary_list")
    classes = "nhsuk-summary-list" + (f" {params['classes']}" if params.get("classes") else "")
    out = [f'<dl class="{escape(classes)}">\n']
    for row in params.get("rows") or []:
        _refuse_unknown(row, _SUMMARY_ROW_KEYS, "nhsuk_summary_list's row")
        out.append(f'<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">'
                   f'{_value(row["key"])}</dt><dd class="nhsuk-summary-list__value">'
                   f'{_value(row["value"])}</dd></div>\n')
    out.append("</dl>")
    return Markup("".join(out))


# Where a kept component's HTML takes this request's form token (base.html's header).
CSRF_SLOT = "csrf-token-of-this-request"
# The slot as the token inputs' value attribute, quotes and all: text a member typed
# (their name in the header) is escaped, so it can hold the slot's words but never
# this attribute, and only the token inputs are filled.
_TOKEN_VALUE = f'name="csrf_token" value="{CSRF_SLOT}"'


def form_token_filled(html: str, token: str) -> Markup:
    """A kept component's HTML with this request's form token in its token inputs'
    ``value`` attribute, and nowhere else."""
    return Markup(str(html).replace(_TOKEN_VALUE,
                                    f'name="csrf_token" value="{escape(token)}"'))
# Headers differ by person, unread count and page, ~10 kB each: a few hundred people
# browsing at once stay within a few MB.
DRAWN_KEPT = 512


def drawn(component: str, name: str, params: Mapping[str, Any]) -> Markup:
    """The NHS.UK macro ``name`` of ``component`` drawn with ``params``, kept by them.

    For components drawn again and again with the same parameters (the header of a
    person's pages, the footer). ``params`` must be JSON (strings, numbers, lists,
    mappings; a template's `undefined` is left out as the macro would skip it); HTML
    in them must be where the macro takes HTML (its "html" keys)."""
    key = json.dumps(_plain(params), sort_keys=True, separators=(",", ":"))
    return _drawn(component, name, key)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if not isinstance(v, Undefined)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@lru_cache(maxsize=DRAWN_KEPT)
def _drawn(component: str, name: str, key: str) -> Markup:
    module = current_app.jinja_env.get_template(
        f"nhsuk/components/{component}/macro.jinja").module
    return Markup(getattr(module, name)(json.loads(key)))
