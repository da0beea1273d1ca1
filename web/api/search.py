"""Search: people, teams, expertise, QIPs and questions in one request."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from domain.errors import Invalid
from domain.values import KeyArea, QipStatus, Role
from projections.search import Kind
from web.api import api, openapi
from web.api.openapi import INT, NO_NUL, PAGING, STR, enum, errors, obj, op, query_filter, ref
from web.api.requests import choice_arg, page_args, text_arg
from web.search import kept_search

MAX_QUERY = 200
ROLE_LABELS = {m.value: m.label for m in Role}
AREA_LABELS = {m.value: m.label for m in KeyArea}


def _person(row: dict[str, Any]) -> dict[str, Any]:
    """A person as search shows them: no e-mail (their profile has it, with consent)."""
    return {"id": row["id"], "name": row["name"], "role": row["role"],
            "role_label": ROLE_LABELS.get(row["role"], row["role"]),
            "team_id": row["team_id"], "team": row["team"], "region": row["region"],
            "expertise": row["expertise"], "matched_expertise": row["matched_expertise"]}


def _team(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "name", "trust", "region", "member_count")}


def _qip(row: dict[str, Any]) -> dict[str, Any]:
    return {**{k: row[k] for k in ("id", "title", "key_area", "status", "team_id", "team",
                                   "region", "shared_on")},
            "key_area_label": AREA_LABELS.get(row["key_area"], row["key_area"])}


def _question(row: dict[str, Any]) -> dict[str, Any]:
    """A question as search lists it; its text and answers are at /questions/{id}."""
    return {**{k: row[k] for k in ("id", "title", "key_areas", "tags", "answer_count",
                                   "accepted_count", "team_id", "team", "region")},
            "asked_on": row["asked_on"].isoformat(),
            "key_area_labels": [AREA_LABELS.get(a, a) for a in row["key_areas"]]}


SHOWN = {"people": _person, "teams": _team, "qips": _qip, "questions": _question}


@api.get("/search")
def search_all() -> Any:
    limit, offset = page_args()
    if len(request.args.get("q", "")) > MAX_QUERY:
        raise Invalid({"q": f"must be at most {MAX_QUERY} characters"})
    found = kept_search(text_arg("q"), role=choice_arg("role", Role, "role"),
                        key_area=choice_arg("key_area", KeyArea, "key area"),
                        region=text_arg("region"), team_id=text_arg("team"),
                        kind=choice_arg("kind", Kind, "kind (people, teams, qips or questions)"),
                        limit=limit, offset=offset, count_other_kinds=False)
    return jsonify({kind: {"items": [SHOWN[kind](row) for row in group.items or []],
                           "total": group.total, "limit": limit, "offset": offset}
                    for kind, group in found.groups.items()})


NULLABLE_STR = {"type": ["string", "null"]}


def _group(item: str) -> dict[str, Any]:
    return obj(["items", "total", "limit", "offset"], {
        "items": {"type": "array", "items": ref(item)}, "total": INT, "limit": INT,
        "offset": INT})


openapi.document(
    paths={"/search": {"get": op(
        "Search people, teams, expertise, QIPs and questions by full text. Every word of `q` "
        "must match (any case, any ending: `clinics` finds `clinic`) somewhere in an item: a "
        "person's name, role, expertise, what they help with, or team; a team's name, trust "
        "or region; a QIP's title, plan, document titles or team; a question's title, key "
        "areas, tags, body or the text of its answers (hidden posts are never found). "
        "Abbreviations match their "
        "long forms both ways (`HNA`, `holistic needs assessment`). Results are ranked, "
        "title and name matches first. Filters narrow "
        "every kind: role (people in it, teams with someone in it, QIPs owned by someone in "
        "it, questions asked by someone in it), region, team (questions asked by its members or "
        "attached to it), key area (QIPs in it, their owners, their teams, questions about "
        "it). QIPs are the "
        "shared ones and your team's plans not yet shared (organisers: every plan). "
        "Without `kind` every kind is returned, `limit` and `offset` applying to each; "
        "with `kind`, only that one.",
        {**openapi.answer("200", "The results, by kind", obj([], {
            "people": _group("SearchPerson"), "teams": _group("SearchTeam"),
            "qips": _group("SearchQip"), "questions": _group("SearchQuestion")})),
         **errors(400, 401)},
        params=[query_filter("q", {"type": "string", "maxLength": MAX_QUERY,
                                   "pattern": NO_NUL},
                             "words to find; each must match"),
                query_filter("kind", enum(Kind), "only this kind of result"),
                query_filter("role", enum(Role)), query_filter("key_area", enum(KeyArea)),
                query_filter("region", {"type": "string", "pattern": NO_NUL}),
                query_filter("team", {"type": "string", "pattern": NO_NUL}, "team id"),
                *PAGING])}},
    schemas={
        "SearchPerson": obj(["id", "name", "role", "team_id", "expertise",
                             "matched_expertise"], {
            "id": {"type": "string", "format": "uuid"}, "name": STR, "role": enum(Role),
            "role_label": STR, "team_id": NULLABLE_STR, "team": NULLABLE_STR,
            "region": NULLABLE_STR, "expertise": {"type": "array", "items": STR},
            "matched_expertise": {"type": "array", "items": STR,
                                  "description": "the tags a word of the query matched"}}),
        "SearchTeam": obj(["id", "name", "trust", "region", "member_count"], {
            "id": {"type": "string", "format": "uuid"}, "name": STR, "trust": STR,
            "region": STR, "member_count": INT}),
        "SearchQuestion": obj(["id", "title", "key_areas", "asked_on", "answer_count",
                               "accepted_count"], {
            "id": {"type": "string", "format": "uuid"}, "title": STR,
            "key_areas": {"type": "array", "items": enum(KeyArea)},
            "key_area_labels": {"type": "array", "items": STR},
            "tags": {"type": "array", "items": STR},
            "asked_on": {"type": "string", "format": "date"},
            "answer_count": {**INT, "description": "answers not hidden"},
            "accepted_count": {**INT, "description": "answers the asker accepted"},
            "team_id": {"type": ["string", "null"], "format": "uuid",
                        "description": "the asker's team (none: an organiser asked)"},
            "team": NULLABLE_STR, "region": NULLABLE_STR}),
        "SearchQip": obj(["id", "title", "key_area", "status", "team_id"], {
            "id": {"type": "string", "format": "uuid"}, "title": STR,
            "key_area": enum(KeyArea), "key_area_label": STR,
            "status": enum(QipStatus),
            "team_id": {"type": "string", "format": "uuid"}, "team": STR, "region": STR,
            "shared_on": {"type": ["string", "null"], "format": "date"}}),
    })
