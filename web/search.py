"""The search page: one box over people, teams, expertise, QIPs and questions.

Every filter is a GET parameter, so a search is a link people can share and
the page works without JavaScript. With no kind chosen the page shows the first
few of each kind with "see all"; with a kind, a page of 20 and the pagination.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException

from domain.values import KeyArea, Labelled, Role
from projections.search import KINDS, READS, Results, depends_on_reader
from projections.search import search as search_views  # the blueprint is `search`
from web.kept_pages import Memo, kept_reading
from web.paging import _arg, _page_number, page_numbers
from web.services import views

search = Blueprint("search", __name__)

PER_PAGE = 20
PREVIEW = 5  # of each kind, when no kind is chosen
MAX_QUERY = 200  # characters; a longer query is a paste gone wrong
# Each kind as a heading, and counted: one, many.
KIND_NAMES = {"people": ("People", "person", "people"), "teams": ("Teams", "team", "teams"),
              "qips": ("QIPs", "QIP", "QIPs"),
              "questions": ("Questions", "question", "questions")}
# A question's page, the same link its notifications give (web/questions.py serves it).
QUESTION_PAGE = "/questions/{id}"


def _one_of(name: str, allowed: set[str]) -> str | None:
    """A filter naming a known choice; anything else means no filter."""
    value = _arg(name)
    return value if value in allowed else None


def _values(kind: type[Labelled]) -> set[str]:
    return {m.value for m in kind}


def _read_filters(team_ids: set[str], regions: set[str]) -> tuple[dict[str, str | None],
                                                                   str | None]:
    """The search as asked, and a problem with it to show (or None)."""
    q = request.args.get("q", "").replace("\x00", "").strip()
    problem = f"Enter {MAX_QUERY} characters or fewer" if len(q) > MAX_QUERY else None
    return {"q": q or None, "role": _one_of("role", _values(Role)),
            "region": _one_of("region", regions), "team": _one_of("team", team_ids),
            "key_area": _one_of("key_area", _values(KeyArea)),
            "kind": _one_of("kind", set(KINDS))}, problem


def _run(filters: dict[str, str | None], limit: int, offset: int) -> Results:
    # A copy: the links are added to it, and the kept answer is never changed.
    return copy.deepcopy(kept_search(
        filters["q"], role=filters["role"], region=filters["region"], team_id=filters["team"],
        key_area=filters["key_area"], kind=filters["kind"], limit=limit, offset=offset))


# Searches' answers, kept per process until one of the views a search reads moves on
# (web.kept_pages): matching and ranking was ~12 ms of CPU a search on the national
# community, and the search API's p95 under load the worst of all (issue 14). The
# groups that are the same whoever asks are kept once for everyone, the others per
# kind of reader: kept whole per reader's team, a word searched by sixteen teams ran
# the directory's full-text statement, the dearest of the four, sixteen times.
_searches = Memo(keep=512)


def kept_search(q: str | None, *, role: str | None, region: str | None, team_id: str | None,
                key_area: str | None, kind: str | None, limit: int, offset: int,
                count_other_kinds: bool = True) -> Results:
    """``projections.search.search`` as the logged-in member may see it (their team's
    plans not yet shared; the organisers, every plan), kept: never change it."""
    asked = (q, role, region, team_id, key_area, kind, limit, offset, count_other_kinds)
    reader = (current_user.team_id, current_user.is_organiser)
    answered = KINDS if kind is None or count_other_kinds else (kind,)
    parts = [_kept_groups(asked, reader if own else None, groups)
             for own in (False, True)
             if (groups := tuple(g for g in answered if depends_on_reader(g, key_area) == own))]
    return Results(words=parts[0].words, filters=parts[0].filters,
                   groups={name: part.groups[name] for name in KINDS for part in parts
                           if name in part.groups})


def _kept_groups(asked: tuple[Any, ...], reader: tuple[str | None, bool] | None,
                 groups: tuple[str, ...]) -> Results:
    """These groups of the answer to ``asked``, as ``reader`` (None: anyone) sees them."""
    q, role, region, team_id, key_area, kind, limit, offset, count_other_kinds = asked
    team_of_reader, organiser = reader or (None, False)
    return kept_reading(_searches, READS, (asked, reader, groups), lambda: search_views(
        views(), q, role=role, region=region, team_id=team_id, key_area=key_area,
        viewer_team_id=team_of_reader, organiser=organiser, kind=kind, limit=limit,
        offset=offset, count_other_kinds=count_other_kinds, groups=groups))


def _link(filters: dict[str, str | None], **changes: Any) -> str:
    """This search with some parameters changed (None drops one); page 1 is left out."""
    args = {k: v for k, v in {**filters, **changes}.items() if v}
    if args.get("page") == 1:
        del args["page"]
    return url_for("search.results", **args)


def _pagination(filters: dict[str, str | None], total: int, page: int, shown: int
                ) -> dict[str, Any]:
    last = max(1, math.ceil(total / PER_PAGE))
    first = (page - 1) * PER_PAGE + 1 if shown else 0
    return {
        "total": total, "page": page, "pages": last,
        "first": first, "last": first + shown - 1 if shown else 0,
        "previous": _link(filters, page=page - 1) if page > 1 else None,
        "next": _link(filters, page=page + 1) if page < last else None,
        "numbers": [None if n is None else {"number": n, "href": _link(filters, page=n),
                                            "current": n == page}
                    for n in page_numbers(page, last)],
    }


def _profile_page(member_id: str) -> tuple[str, str] | None:
    """The endpoint of member profile pages at /members/<id>, and the name of its id
    argument; None while the app has none (they link to the member's team instead)."""
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(f"/members/{member_id}",
                                                                     method="GET")
    except HTTPException:
        return None
    names = [name for name, value in args.items() if str(value).lower() == member_id.lower()]
    return (endpoint, names[0]) if names else None


def _add_links(results: Results) -> None:
    """Each person links to their profile, or to their team while there are no profiles;
    each question to its page."""
    for question in (results.groups["questions"].items or []
                     if "questions" in results.groups else []):
        question["href"] = QUESTION_PAGE.format(id=question["id"])
    people = results.groups.get("people")
    if people is None or not people.items:
        return
    profile = _profile_page(people.items[0]["id"])
    for person in people.items:
        if profile is not None:
            person["href"] = url_for(profile[0], **{profile[1]: person["id"]})
        elif person["team_id"]:
            person["href"] = url_for("directory.team", team_id=person["team_id"])
        else:
            person["href"] = None


@search.get("/search")
@login_required
def results() -> Any:
    directory = views().directory
    team_options = directory.team_options()
    regions = directory.regions()
    filters, problem = _read_filters({t for t, _ in team_options}, set(regions))
    narrowed = any(filters[k] for k in ("role", "region", "team", "key_area"))
    searching = problem is None and (filters["q"] is not None or narrowed)
    found, pagination = None, None
    if searching and filters["kind"]:
        page = _page_number()
        found = _run(filters, PER_PAGE, (page - 1) * PER_PAGE)
        group = found.groups[filters["kind"]]
        last = max(1, math.ceil(group.total / PER_PAGE))
        if page > last:  # past the end (the results changed, or a typo): the last page
            page = last
            found = _run(filters, PER_PAGE, (page - 1) * PER_PAGE)
            group = found.groups[filters["kind"]]
        pagination = _pagination(filters, group.total, page, len(group.items or []))
    elif searching:
        found = _run(filters, PREVIEW, 0)
    if found is not None:
        _add_links(found)
    return render_template(
        "search.html", filters=filters, problem=problem, searching=searching,
        narrowed=narrowed, found=found, pagination=pagination, kind_names=KIND_NAMES,
        kind_link=lambda kind: _link(filters, kind=kind),
        clear_filters=_link({"q": filters["q"], "kind": filters["kind"]}),
        options={"kind": [(kind, names[0]) for kind, names in KIND_NAMES.items()],
                 "role": [(m.value, m.label) for m in Role],
                 "region": [(r, r) for r in regions], "team": team_options,
                 "key_area": [(m.value, m.label) for m in KeyArea]},
    ), 400 if problem else 200
