"""The NHS.UK table and details drawn in Python (web/nhsuk_html.py) are the same
elements, classes, attributes and text as the nhsuk-frontend-jinja macros draw, so
pages that use them for speed look exactly as before (whitespace aside)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from web import nhsuk_html

MACROS = Environment(loader=PackageLoader("nhsuk_frontend_jinja", "templates"),
                     autoescape=select_autoescape(("jinja", "html")),
                     undefined=ChainableUndefined)


class _Tree(HTMLParser):
    """Elements with sorted attributes, and text with its whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Any] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("<", tag, sorted((k, " ".join((v or "").split())) for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.items.append((">", tag))

    def handle_data(self, data: str) -> None:
        if text := " ".join(data.split()):
            self.items.append(("text", text))


def tree(html: str) -> list[Any]:
    parser = _Tree()
    parser.feed(html)
    return parser.items


def macro(component: str, name: str, params: dict[str, Any]) -> str:
    template = MACROS.from_string(
        f'{{% from "nhsuk/components/{component}/macro.jinja" import {name} %}}{{{{ {name}(p) }}}}')
    return template.render(p=params)


TABLES = [
    {"classes": "measures", "responsive": True, "attributes": {"aria-labelledby": "measures"},
     "firstCellIsHeader": True,
     "head": [{"text": "Measure"}, {"text": "Baseline", "format": "numeric"},
              {"text": "Where it stands"}],
     "rows": [[{"html": Markup("Waits<br><span>days & more</span>")},
               {"text": "12 < 14", "format": "numeric"},
               {"html": Markup('<strong class="nhsuk-tag">Improving</strong>')}],
              [{"text": "O'Brien & co"}, {"text": "3"}, {"text": ""}]]},
    {"classes": "measure-values", "caption": "Values of Waits, latest first",
     "captionSize": "s",
     "head": [{"text": "Date"}, {"text": "Value", "format": "numeric"},
              {"html": Markup('<span class="nhsuk-u-visually-hidden">Put right</span>')}],
     "rows": [[{"text": "1 May 2012"}, {"text": "3.5", "format": "numeric"},
               {"html": Markup('<a class="nhsuk-link" href="/x?a=1&amp;b=2">Correct</a>')}]]},
    {"classes": "audit-history", "attributes": {"aria-labelledby": "audit-history"},
     "firstCellIsHeader": True, "head": [{"text": "Indicator"}, {"text": "2012", "format": "numeric"}],
     "rows": [[{"text": "Seen by a nurse"}, {"text": "–", "format": "numeric"}]]},
    {"head": [{"text": "Only"}], "rows": []},
]


@pytest.mark.parametrize("params", TABLES, ids=["responsive", "caption", "plain", "empty"])
def test_the_python_table_draws_what_the_nhsuk_table_macro_draws(params: dict[str, Any]) -> None:
    assert tree(nhsuk_html.table(params)) == tree(macro("tables", "table", params))


DETAILS = [
    {"summaryText": "Values recorded (12)", "html": Markup("<table><tr><td>1</td></tr></table>"),
     "open": True},
    {"summaryText": "PDSA cycles (2) & more", "html": Markup("<p>a</p>"), "classes": "pdsa-cycles"},
    {"summaryText": "All", "html": Markup("<p>b</p>"), "open": False, "id": "all"},
]


@pytest.mark.parametrize("params", DETAILS, ids=["open", "classes", "closed"])
def test_the_python_details_draws_what_the_nhsuk_details_macro_draws(params: dict[str, Any]) -> None:
    assert tree(nhsuk_html.details(params)) == tree(macro("details", "details", params))


SUMMARIES = [
    {"rows": [{"key": {"text": "Team & trust"}, "value": {"html": Markup('<a href="/t">North</a>')}},
              {"key": {"text": "Aim"}, "value": {"text": "Fewer < 14 days"}},
              {"key": {"text": "Empty"}, "value": {"text": ""}}], "classes": "qip-facts"},
    {"rows": []},
]


@pytest.mark.parametrize("params", SUMMARIES, ids=["rows", "empty"])
def test_the_python_summary_list_draws_what_the_nhsuk_macro_draws(params: dict[str, Any]) -> None:
    assert tree(nhsuk_html.summary_list(params)) == tree(
        macro("summary-list", "summaryList", params))


def test_a_parameter_the_python_table_does_not_draw_is_refused_not_dropped() -> None:
    with pytest.raises(ValueError, match="scroll"):
        nhsuk_html.table({"scroll": True, "rows": []})
    with pytest.raises(ValueError, match="href"):
        nhsuk_html.table({"rows": [[{"text": "a", "href": "/x"}]]})


def test_a_kept_drawing_is_the_macros_own_and_leaves_out_what_a_template_left_undefined(
) -> None:
    from flask import Flask
    from jinja2 import Undefined

    app = Flask(__name__)
    app.jinja_env.loader = MACROS.loader
    app.jinja_env.autoescape = select_autoescape(("jinja", "html"))
    app.jinja_env.undefined = ChainableUndefined
    params = {"id": "team", "name": "team", "label": {"text": "Team & trust"},
              "items": [{"value": "", "text": "Any team"},
                        {"value": "t1", "text": "O'Brien's team", "selected": True}],
              "formGroup": {"classes": "filter"}}
    with app.app_context():
        kept = nhsuk_html.drawn("select", "select", {**params, "errorMessage": Undefined()})
        assert tree(kept) == tree(macro("select", "select", params))
        assert nhsuk_html.drawn("select", "select", params) is kept
