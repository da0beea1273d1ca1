"""Long lists a page at a time: the filters a list page reads from its address
(``?role=nurse&page=2``, so a filtered list is a link people can share), the page
asked for, and the pagination links, which keep the filters."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from flask import request, url_for

from domain.values import Labelled

PER_PAGE = 50
LAST_PAGE_ASKED = 100_000  # a larger page number is a typo, not a page


def _options(kind: type[Labelled]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select of an enum's choices."""
    return [(m.value, m.label) for m in kind]


def _arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def _choice(name: str, kind: type[Labelled]) -> str | None:
    """A filter value that names one of the choices; anything else means no filter."""
    value = _arg(name)
    return value if value in {m.value for m in kind} else None


def _page_number() -> int:
    try:
        return min(max(1, int(request.args.get("page", 1))), LAST_PAGE_ASKED)
    except (TypeError, ValueError):
        return 1


def _paged(fetch: Any) -> tuple[list[dict[str, Any]], int, int]:
    """One page of ``fetch(limit=, offset=)``; a page past the end shows the last one."""
    page = _page_number()
    rows, total = fetch(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    last = max(1, math.ceil(total / PER_PAGE))
    if page > last:
        page = last
        rows, total = fetch(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return rows, total, page


def _pagination(total: int, page: int, shown: int, filters: Mapping[str, str | None],
                per_page: int = PER_PAGE) -> dict[str, Any]:
    """What the pagination partial needs: counts and links that keep the filters."""
    args = {k: v for k, v in filters.items() if v}
    last = max(1, math.ceil(total / per_page))
    first_shown = (page - 1) * per_page + 1 if shown else 0

    def link(number: int) -> str:
        values: dict[str, Any] = {**(request.view_args or {}), **args}
        if number > 1:
            values["page"] = number
        return url_for(request.endpoint or "start.home", **values)

    return {
        "total": total, "page": page, "pages": last,
        "first": first_shown, "last": first_shown + shown - 1 if shown else 0,
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < last else None,
        # Numbered links: the first, the last and the pages either side of this one;
        # None stands for the gap between them ("…").
        "numbers": [None if n is None else {"number": n, "href": link(n), "current": n == page}
                    for n in page_numbers(page, last)],
    }


def page_numbers(page: int, last: int) -> list[int | None]:
    """1 … 4 5 6 … 20: the page numbers to link to, None where some are left out."""
    if last <= 1:
        return []
    shown = sorted({1, last} | {n for n in (page - 1, page, page + 1) if 1 <= n <= last})
    numbers: list[int | None] = []
    for before, n in zip([None, *shown], shown, strict=False):  # (None, first), (first, …)
        if before is not None and n - before == 2:
            numbers.append(n - 1)  # one page left out: show it rather than "…"
        elif before is not None and n - before > 2:
            numbers.append(None)
        numbers.append(n)
    return numbers



def _paged_list(rows: Sequence[Any], filters: Mapping[str, str | None]
                ) -> tuple[list[Any], dict[str, Any]]:
    """One page of a list already in memory, and its pagination (a page past the end
    shows the last one): for lists a view does not page itself."""
    page = min(_page_number(), max(1, math.ceil(len(rows) / PER_PAGE)))
    shown = list(rows[(page - 1) * PER_PAGE:page * PER_PAGE])
    return shown, _pagination(len(rows), page, len(shown), filters)
