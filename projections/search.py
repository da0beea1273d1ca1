"""One search over people, teams, expertise, QIPs and questions, grouped by kind.

Matching is full text (projections/full_text.py): words are stemmed ("clinics"
finds "clinic", "nurse led" finds "nurse-led"), the field's abbreviations match
their long forms both ways ("HNA", "holistic needs assessment"), and every word
of the query must match, each somewhere in an item's own text or its team's:

- a person: name; role, expertise and what they can help with; their team;
- a team: name; trust and region;
- a QIP: title; key area, aim, measures, changes and PDSA cycles, obstacles,
  lessons and document titles; its team;
- a question: title; key areas, tags, body and its answers (so an answer's words
  lead to its question). Hidden questions are never found, nor hidden answers' words.

Results are ranked: a match in the title (name) above a match in the body,
items found only through their team last, then by name.

Filters narrow every group, each in the sense it has there:

- role: people in that role; teams with a member in it; QIPs owned by someone in it;
  questions asked by someone in it;
- region and team: people, teams and QIPs of teams in that region, of that team;
  questions asked by their members (or, for a team, attached to it);
- key area: QIPs in it; people who own such a QIP; teams that have one; questions
  about it.

QIPs are the ones the viewer may see, as in the library: shared ones, their own
team's plans not yet shared, and every plan for the organisers. Another team's
draft shows nowhere, not even through the key-area filter.

One query a group: its page of items and, by a window count, the group's total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from projections.directory import members, teams
from projections.full_text import PERSON, QIP, QUESTION, TEAM, TextQuery, text_query
from projections.library import lib_teams, qips
from projections.questions import questions as asked
from projections.reading import reading
from projections.search_terms import words

if TYPE_CHECKING:
    from collections.abc import Collection

    from projections.runner import Views


class Kind(Enum):
    """What a search can look for; no kind means all of them."""

    PEOPLE = "people"
    TEAMS = "teams"
    QIPS = "qips"
    QUESTIONS = "questions"


KINDS = tuple(k.value for k in Kind)
# The views a search reads, by name: its answers change only when one of them moves.
READS = frozenset({"search", "directory", "library", "questions"})


def words_of(q: str | None) -> list[str]:
    """The distinct words typed, lowercased, in the order typed."""
    return list(dict.fromkeys(words(q)))


@dataclass(frozen=True)
class Filters:
    role: str | None = None
    region: str | None = None
    team_id: str | None = None
    key_area: str | None = None


@dataclass
class Group:
    """One kind's results: a page of items (None when only counted) and the total."""

    kind: str
    total: int
    items: list[dict[str, Any]] | None = None
    limit: int = 0
    offset: int = 0


@dataclass
class Results:
    words: list[str]
    filters: Filters
    groups: dict[str, Group] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups.values())


def depends_on_reader(group: str, key_area: str | None) -> bool:
    """Whether a group of a search's answer depends on who asks: the QIPs always (a
    team sees its own plans not yet shared, the organisers every plan); people and
    teams only when narrowed to a key area (by the plans the reader may see);
    questions never."""
    return group == "qips" or (key_area is not None and group in ("people", "teams"))


def search(views: Views, q: str | None = None, *, role: str | None = None,
           region: str | None = None, team_id: str | None = None,
           key_area: str | None = None, viewer_team_id: str | None = None,
           kind: str | None = None, limit: int = 20, offset: int = 0,
           count_other_kinds: bool = True, organiser: bool = False,
           groups: Collection[str] = KINDS) -> Results:
    """Search people, teams, QIPs and questions.

    With no kind, each group gets a page of ``limit`` items from ``offset``;
    with a kind, only that group does, and the others are counted (or left out
    when ``count_other_kinds`` is false). ``groups``: only these of the answer,
    each as the whole answer would have it.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of: {', '.join(KINDS)}")
    text = text_query(views.engine, q)
    filters = Filters(role=role, region=region, team_id=team_id, key_area=key_area)
    visible = views.library._visible(viewer_team_id, organiser)
    queries = {"people": lambda: _people(text, filters, visible),
               "teams": lambda: _teams(text, filters, visible),
               "qips": lambda: _qips(text, filters, visible),
               "questions": lambda: _questions(text, filters)}
    results = Results(words=words_of(q), filters=filters)
    with reading(views.engine) as conn:
        for name, built in queries.items():
            if name not in groups:
                continue
            query = built()
            if kind is None or kind == name:
                results.groups[name] = _page(conn, name, query, limit, offset)
            elif count_other_kinds:
                results.groups[name] = Group(name, _count(conn, query))
    if "people" in results.groups:
        for person in results.groups["people"].items or []:
            person["matched_expertise"] = [t for t in person["expertise"]
                                           if text is not None and text.terms.marks(t)]
    return results


def _page(conn: Any, kind: str, query: Select[Any], limit: int, offset: int) -> Group:
    rows = conn.execute(query.add_columns(func.count().over().label("_total"))
                        .limit(limit).offset(offset)).all()
    items = [{k: v for k, v in r._mapping.items() if k != "_total"} for r in rows]
    for item in items:
        for listed in ("expertise", "key_areas", "tags"):  # stored as ",a,b,"
            if listed in item:
                item[listed] = [t for t in item[listed].split(",") if t]
    # Past the last page there is no row to carry the window count: count apart.
    total = rows[0]._total if rows else (_count(conn, query) if offset else 0)
    return Group(kind, int(total), items, limit, offset)


def _count(conn: Any, query: Select[Any]) -> int:
    return int(conn.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
               or 0)


# --- each kind's query ---------------------------------------------------------------


def _owns_visible_qip(member_id: Any, key_area: str,
                      visible: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(qips.c.owner_id == member_id, qips.c.key_area == key_area, visible)


def _has_member_in_role(team_id: Any, role: str) -> ColumnElement[bool]:
    return exists().where(members.c.team_id == team_id, members.c.role == role)


def _people(text: TextQuery | None, f: Filters, visible: ColumnElement[bool]) -> Select[Any]:
    query = (select(members.c.id, members.c.name, members.c.role, members.c.team_id,
                    members.c.expertise, members.c.is_organiser, teams.c.name.label("team"),
                    teams.c.trust, teams.c.region)
             .select_from(members.outerjoin(teams, teams.c.id == members.c.team_id)))
    if text is not None:
        query = text.narrow(query, PERSON, members.c.id, members.c.team_id)
    query = query.order_by(members.c.name, members.c.id)
    conditions = []
    if f.role:
        conditions.append(members.c.role == f.role)
    if f.team_id:
        conditions.append(members.c.team_id == f.team_id)
    if f.region:
        conditions.append(teams.c.region == f.region)
    if f.key_area:
        conditions.append(_owns_visible_qip(members.c.id, f.key_area, visible))
    return query.where(and_(*conditions)) if conditions else query


def _teams(text: TextQuery | None, f: Filters, visible: ColumnElement[bool]) -> Select[Any]:
    member_count = (select(func.count()).where(members.c.team_id == teams.c.id)
                    .scalar_subquery().label("member_count"))
    query = select(teams.c.id, teams.c.name, teams.c.trust, teams.c.region, member_count)
    if text is not None:
        query = text.narrow(query, TEAM, teams.c.id)
    query = query.order_by(teams.c.name, teams.c.id)
    if f.role:
        query = query.where(_has_member_in_role(teams.c.id, f.role))
    if f.team_id:
        query = query.where(teams.c.id == f.team_id)
    if f.region:
        query = query.where(teams.c.region == f.region)
    if f.key_area:
        query = query.where(exists().where(qips.c.team_id == teams.c.id,
                                           qips.c.key_area == f.key_area, visible))
    return query


def _qips(text: TextQuery | None, f: Filters, visible: ColumnElement[bool]) -> Select[Any]:
    query = (select(qips.c.id, qips.c.title, qips.c.key_area, qips.c.status, qips.c.team_id,
                    qips.c.owner_id, qips.c.shared_on, lib_teams.c.name.label("team"),
                    lib_teams.c.region)
             .join(lib_teams, lib_teams.c.id == qips.c.team_id)
             .where(visible))
    if text is not None:
        query = text.narrow(query, QIP, qips.c.id, qips.c.team_id)
    query = query.order_by(qips.c.title, qips.c.id)
    if f.role:
        query = query.where(exists().where(members.c.id == qips.c.owner_id,
                                           members.c.role == f.role))
    if f.team_id:
        query = query.where(qips.c.team_id == f.team_id)
    if f.region:
        query = query.where(lib_teams.c.region == f.region)
    if f.key_area:
        query = query.where(qips.c.key_area == f.key_area)
    return query


def _questions(text: TextQuery | None, f: Filters) -> Select[Any]:
    """Questions not hidden, best match first (a title match first), then newest."""
    query = (select(asked.c.id, asked.c.title, asked.c.key_areas, asked.c.tags,
                    asked.c.asked_on, asked.c.answer_count, asked.c.accepted_count,
                    asked.c.asker_team_id.label("team_id"), teams.c.name.label("team"),
                    teams.c.region)
             .select_from(asked.outerjoin(teams, teams.c.id == asked.c.asker_team_id))
             .where(asked.c.hidden.is_(False)))
    if text is not None:
        query = text.narrow(query, QUESTION, asked.c.id)
    query = query.order_by(asked.c.asked_on.desc(), asked.c.id)
    if f.role:
        query = query.where(exists().where(members.c.id == asked.c.asked_by,
                                           members.c.role == f.role))
    if f.team_id:
        query = query.where(or_(asked.c.team_id == f.team_id,
                                asked.c.asker_team_id == f.team_id))
    if f.region:
        query = query.where(teams.c.region == f.region)
    if f.key_area:
        query = query.where(asked.c.key_areas.contains(f",{f.key_area},"))
    return query


def search_questions(views: Views, q: str | None, *, key_area: str | None = None,
                     limit: int = 20, offset: int = 0) -> Group:
    """Questions not hidden whose title, key areas, tags, body or answers match
    every word, best first (a title match first), then newest: ``search``'s
    questions group on its own."""
    text = text_query(views.engine, q)
    with reading(views.engine) as conn:
        return _page(conn, "questions", _questions(text, Filters(key_area=key_area)),
                     limit, offset)
