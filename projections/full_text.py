"""Full-text search over people, teams, QIPs and questions, with stemming and ranking.

The view keeps one row per thing that can be found (``search_documents``): a
title (a person's or team's name, a QIP's title) and a body (a person's role,
expertise and what they can help with; a team's trust and region; a QIP's key
area, aim, measures, changes and their PDSA cycles, obstacles, lessons and
document titles; a question's title, and its key areas, tags, body and the
answers not hidden, so an answer's words find its question). Each database
indexes it its own way, chosen by the engine's dialect when the table is created:

- SQLite: an FTS5 table (``search_text``, Porter stemmer) kept in step with the
  rows by triggers; ranked by bm25 with the title weighing ten times the body;
- PostgreSQL: a stored ``tsvector`` column (title weight A, body B, 'english'
  stemming) with a GIN index; ranked by ts_rank.

Both are dropped and rebuilt with the view, like any other view's tables.
Queries come from projections/search_terms.py: only words reach the database,
each inside a quoted phrase (SQLite) or quoted word by word for to_tsquery (PostgreSQL),
the last word of each a prefix ("nur" finds "nurse"), and accents folded on both
sides (search_terms.folded),
so nothing a person types can break the query's syntax.

Names that are common words ("Will", "Don", "May"...): the terms leave common words
out (they would match nearly everything), so a query of common words alone looks for
them in the names of people and teams only (a title, prefix and folded as above):
SQLite's FTS5 with a ``title :`` column filter; PostgreSQL with the 'simple'
configuration, which drops no word, over the title (``search_documents_names``, a
GIN expression index, added to an existing store when it is opened).
"""

from __future__ import annotations

import json
from functools import reduce, singledispatchmethod
from typing import Any

from sqlalchemy import (
    DDL,
    Column,
    ColumnClause,
    ColumnElement,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    event,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.sql import Select

from domain.member import Member
from domain.qip import Qip
from domain.question import Answer, Question
from domain.team import Team
from domain.values import KeyArea, Obstacle, Role
from projections.search_terms import Group, Phrase, Terms, folded, terms_of
from projections.view import View, Writer, recall, remember

PERSON, TEAM, QIP, QUESTION = "person", "team", "qip", "question"

metadata = MetaData()
documents = Table(
    "search_documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the FTS5 rowid
    Column("kind", String(10), nullable=False),
    Column("item_id", String(36), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    # A QIP's parts as JSON, so a revision of one part can rewrite the body.
    Column("parts", Text, nullable=False, default="{}"),
    UniqueConstraint("kind", "item_id", name="search_documents_item"),
)
# Names as words, none dropped, for a query of common words alone (PostgreSQL only).
_SIMPLE: ColumnClause[Any] = literal_column("'simple'::regconfig")
_NAME_WORDS = func.to_tsvector(_SIMPLE, documents.c.title)
# An expression alone names no table, so the index is added to it by hand.
documents.append_constraint(Index("search_documents_names", _NAME_WORDS,
                                  postgresql_using="gin").ddl_if(dialect="postgresql"))
# The FTS5 table (SQLite only), created by the DDL below, as queries name it.
_MATCH = literal_column("search_text").op("MATCH")
# The full-text matches first, then their rows by primary key (CROSS JOIN keeps that
# order): the other way round SQLite ran the MATCH once per document of the kind,
# 1.3 s for "nurse clinics" over 3,000 people, 17 ms this way. Named in SQL, so that
# SQLAlchemy does not add search_documents to the FROM list a second time.
_MATCHED_FROM = text("search_text CROSS JOIN search_documents "
                     "ON search_documents.id = search_text.rowid")
_ITEM_ID: ColumnClause[str] = literal_column("search_documents.item_id")
# In lower case, as it is not a constant: ruff would turn ``_document_kind == kind``
# round, and ``kind == column`` is typed as a plain bool.
_document_kind: ColumnClause[str] = literal_column("search_documents.kind")

_SQLITE = [
    "CREATE VIRTUAL TABLE search_text USING fts5(title, body, content='search_documents', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_added AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_text(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_documents_removed AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_text(search_text, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_documents_changed AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_text(search_text, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_text(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
_POSTGRESQL = [
    "ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, body), 'B')) STORED",
    "CREATE INDEX search_documents_document ON search_documents USING gin (document)",
]
for _statement in _SQLITE:
    event.listen(documents, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
event.listen(documents, "before_drop",
             DDL("DROP TABLE IF EXISTS search_text").execute_if(dialect="sqlite"))
for _statement in _POSTGRESQL:
    event.listen(documents, "after_create", DDL(_statement).execute_if(dialect="postgresql"))

INSERT = documents.insert()
SET_BODY = (update(documents).where(documents.c.kind == bindparam("k"),
                                    documents.c.item_id == bindparam("i"))
            .values(body=bindparam("b")))
SET_TEXT = (update(documents).where(documents.c.kind == bindparam("k"),
                                    documents.c.item_id == bindparam("i"))
            .values(title=bindparam("t"), body=bindparam("b"), parts=bindparam("p")))
PARTS = select(documents.c.parts).where(documents.c.kind == bindparam("k", QIP),
                                        documents.c.item_id == bindparam("i"))
FORGET = documents.delete().where(documents.c.kind == bindparam("k"),
                                  documents.c.item_id == bindparam("i"))
# Which question each answer belongs to, to find the document an answer's words go in.
answer_questions = Table(
    "search_answers", metadata,
    Column("id", String(36), primary_key=True),
    Column("question_id", String(36), nullable=False),
)
INSERT_ANSWER = answer_questions.insert()
QUESTION_OF = select(answer_questions.c.question_id).where(
    answer_questions.c.id == bindparam("a"))
# Documents whose parts a replay keeps in memory (a question's hold its answers' words).
PARTS_KEPT = 1000


def _person_body(role: Role, expertise: list[str], help_with: str) -> str:
    return folded("\n".join([role.label, *expertise, help_with or ""]))


def _text(value: Any) -> str:
    """A plan's part as words: labels for choices, names and definitions for
    measures, titles and PDSA cycles for changes."""
    if isinstance(value, (KeyArea, Obstacle)):
        return value.label
    if isinstance(value, dict):
        if "direction" in value:  # a measure as a revision stores it: not "up" or "down"
            value = {k: value.get(k, "") for k in ("name", "unit", "definition")}
        return "\n".join(_text(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(v) for v in value)
    if hasattr(value, "as_dict"):  # a Measure
        return f"{value.name}\n{value.unit}\n{value.definition}"
    return value if isinstance(value, str) else ""


QIP_PARTS = ("key_area", "aim", "timeframe", "measures", "changes", "obstacles",
             "obstacle_notes", "enablers", "enabler_notes", "lessons")


def _qip_row(parts: dict[str, str]) -> dict[str, str]:
    body = "\n".join(text for name, text in parts.items() if name != "title" and text)
    return {"t": folded(parts.get("title", "")), "b": folded(body), "p": json.dumps(parts)}


class SearchIndex(View):
    name = "search"
    metadata = metadata

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Team.Registered)
    def team_registered(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT, {"kind": TEAM, "item_id": str(event.originator_id),
                          "title": folded(event.name),
                          "body": folded(f"{event.trust}\n{event.region}"), "parts": "{}"})

    @apply.register(Member.Joined)
    def member_joined(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT, {"kind": PERSON, "item_id": str(event.originator_id),
                          "title": folded(event.name), "parts": "{}",
                          "body": _person_body(event.role, event.expertise,
                                               getattr(event, "help_with", ""))})

    @apply.register(Member.ProfileUpdated)
    def profile_updated(self, event: Any, w: Writer, _: int) -> None:
        w.execute(SET_BODY, {"k": PERSON, "i": str(event.originator_id),
                             "b": _person_body(event.role, event.expertise,
                                               getattr(event, "help_with", ""))})

    @apply.register(Qip.Drafted)
    def qip_drafted(self, event: Any, w: Writer, _: int) -> None:
        parts = {"title": event.title,
                 **{name: _text(getattr(event, name, "")) for name in QIP_PARTS}}
        row = _qip_row(parts)
        w.insert(INSERT, {"kind": QIP, "item_id": str(event.originator_id), "title": row["t"],
                          "body": row["b"], "parts": row["p"]})

    @staticmethod
    def _parts(w: Writer, kind: str, item_id: str) -> dict[str, Any] | None:
        """A document's parts (None: it has none, e.g. a hidden question), kept in
        the view's memory between events, so answers to one question in a page read
        it once and rewrite its document once (``_keep``)."""
        def load() -> dict[str, Any] | None:
            found = w.execute(PARTS, {"k": kind, "i": item_id}).scalar()
            return None if found is None else dict(json.loads(found))
        found: dict[str, Any] | None = recall(w, "parts", (kind, item_id), load,
                                              limit=PARTS_KEPT)
        return found

    @staticmethod
    def _keep(w: Writer, kind: str, item_id: str, parts: dict[str, Any]) -> None:
        """Rewrite a document from its parts: held to the end of the page (or the
        next statement on the documents), the last rewrite of each one winning, as
        each rewrite has the full-text index take out and put back all its words."""
        remember(w, "parts", (kind, item_id), parts, limit=PARTS_KEPT)
        w.set_latest(SET_TEXT, (kind, item_id), {"k": kind, "i": item_id, **_qip_row(parts)})

    def _change_parts(self, w: Writer, qip_id: str, changes: dict[str, str]) -> None:
        parts = self._parts(w, QIP, qip_id)
        self._keep(w, QIP, qip_id, {**(parts or {}), **changes})

    @apply.register(Qip.Revised)
    def qip_revised(self, event: Any, w: Writer, _: int) -> None:
        changed = {name: _text(value) for name, value in event.changes.items()
                   if name in QIP_PARTS or name == "title"}
        if changed:
            self._change_parts(w, str(event.originator_id), changed)

    @apply.register(Qip.DocumentAttached)
    def document_attached(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        parts = self._parts(w, QIP, qip_id) or {}
        self._change_parts(w, qip_id, {
            "documents": "\n".join(filter(None, [parts.get("documents", ""), event.title]))})

    @apply.register(Qip.Completed)
    def qip_completed(self, event: Any, w: Writer, _: int) -> None:
        self._change_parts(w, str(event.originator_id), {"ended": event.note})

    @apply.register(Qip.Stopped)
    def qip_stopped(self, event: Any, w: Writer, _: int) -> None:
        self._change_parts(w, str(event.originator_id), {"ended": event.reason})

    # --- questions: one document each, its answers' words in its body ---------------

    def _question_parts(self, w: Writer, question_id: str, changes: dict[str, str | None]
                        ) -> None:
        parts = self._parts(w, QUESTION, question_id)
        if parts is None:
            return  # hidden: no longer findable
        parts = {k: v for k, v in {**parts, **changes}.items() if v is not None}
        self._keep(w, QUESTION, question_id, parts)

    @staticmethod
    def _question_text(event: Any) -> dict[str, str]:
        return {"title": event.title, "key_areas": _text(list(event.key_areas)),
                "tags": "\n".join(event.tags), "body": event.body}

    @apply.register(Question.Asked)
    def question_asked(self, event: Any, w: Writer, _: int) -> None:
        parts: dict[str, Any] = self._question_text(event)
        row = _qip_row(parts)
        w.insert(INSERT, {"kind": QUESTION, "item_id": str(event.originator_id),
                          "title": row["t"], "body": row["b"], "parts": row["p"]})
        remember(w, "parts", (QUESTION, str(event.originator_id)), parts, limit=PARTS_KEPT)

    @apply.register(Question.Edited)
    def question_edited(self, event: Any, w: Writer, _: int) -> None:
        self._question_parts(w, str(event.originator_id), dict(self._question_text(event)))

    @apply.register(Question.Hidden)
    def question_hidden(self, event: Any, w: Writer, _: int) -> None:
        question_id = str(event.originator_id)
        w.forget_latest(SET_TEXT, (QUESTION, question_id))
        w.execute(FORGET, {"k": QUESTION, "i": question_id})
        remember(w, "parts", (QUESTION, question_id), None, limit=PARTS_KEPT)

    @apply.register(Answer.Posted)
    def answer_posted(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_ANSWER, {"id": str(event.originator_id),
                                 "question_id": str(event.question_id)})
        self._question_parts(w, str(event.question_id),
                             {f"answer {event.originator_id}": event.body})

    def _answer_text(self, w: Writer, answer_id: str, body: str | None) -> None:
        question_id = w.execute(QUESTION_OF, {"a": answer_id}).scalar()
        if question_id is not None:
            self._question_parts(w, question_id, {f"answer {answer_id}": body})

    @apply.register(Answer.Edited)
    def answer_edited(self, event: Any, w: Writer, _: int) -> None:
        self._answer_text(w, str(event.originator_id), event.body)

    @apply.register(Answer.Hidden)
    def answer_hidden(self, event: Any, w: Writer, _: int) -> None:
        self._answer_text(w, str(event.originator_id), None)


# --- queries --------------------------------------------------------------------------


class TextQuery:
    """Terms as conditions and a rank, in the dialect of the engine asked."""

    def __init__(self, terms: Terms, dialect: str) -> None:
        self.terms = terms
        self.sqlite = dialect == "sqlite"
        # With no terms, every word typed was a common word ("Will"): looked for in names.
        self.names = () if terms else terms.typed

    # SQLite FTS5: a phrase in double quotes (words hold only letters and digits), its
    # last word a prefix ("nur" finds "nurse": people type the start of a word).
    @staticmethod
    def _fts(groups: list[Group], joiner: str) -> str:
        def alternatives(group: Group) -> str:
            return "(" + " OR ".join('"' + " ".join(p) + '"*' for p in group) + ")"
        return f" {joiner} ".join(alternatives(g) for g in groups)

    # PostgreSQL: each phrase's words quoted one by one and joined as a phrase (<->),
    # the last a prefix (:*), as in FTS5. Words hold only letters and digits, so a
    # quoted word is never parsed as syntax.
    @staticmethod
    def _tsquery(phrases: list[Phrase], config: Any = None) -> Any:
        config = literal_column("'english'::regconfig") if config is None else config
        each: list[ColumnElement[Any]] = [
            func.to_tsquery(config, _prefix_phrase(p)) for p in phrases]
        return reduce(lambda a, b: a.op("||")(b), each)

    def _matching(self, kind: str, group: Group) -> Any:
        """The ids of the items of a kind whose own text matches the group."""
        if self.sqlite:
            return (select(_ITEM_ID).select_from(_MATCHED_FROM)
                    .where(_MATCH(self._fts([group], "AND")), _document_kind == kind))
        query = self._tsquery(list(group))
        # A group of words the dictionary drops (numnode 0) asks for nothing.
        either = [func.numnode(query) == 0,
                  literal_column("search_documents.document").op("@@")(query)]
        if kind in (PERSON, TEAM):
            # 'english' leaves a common word out of the names too: "wil" finds Will.
            either.append(_NAME_WORDS.op("@@")(self._tsquery(list(group), _SIMPLE)))
        return select(documents.c.item_id).where(documents.c.kind == kind, or_(*either))

    def _named(self, kind: str, item_id: Any) -> ColumnElement[bool]:
        """People or teams whose name holds every word typed (each a prefix), for
        a query of common words alone; no other kind, and nothing for no words."""
        if not self.names or kind not in (PERSON, TEAM):
            return false()
        if self.sqlite:
            match = " AND ".join(f'title : "{w}"*' for w in self.names)
            named = (select(_ITEM_ID).select_from(_MATCHED_FROM)
                     .where(_MATCH(match), _document_kind == kind))
        else:
            query = func.to_tsquery(_SIMPLE, " & ".join(f"'{w}':*" for w in self.names))
            named = select(documents.c.item_id).where(documents.c.kind == kind,
                                                      _NAME_WORDS.op("@@")(query))
        return item_id.in_(named)

    def where_all(self, kind: str, item_id: Any, team_id: Any = None) -> ColumnElement[bool]:
        """Every group matches the item's own text or, given ``team_id``, its team's."""
        if not self.terms:
            return self._named(kind, item_id)
        conditions = []
        for group in self.terms.groups:
            own = item_id.in_(self._matching(kind, group))
            conditions.append(own if team_id is None
                              else or_(own, team_id.in_(self._matching(TEAM, group))))
        return and_(*conditions)

    def _ranked(self, kind: str) -> Any:
        """(item_id, score) of the items whose own text matches any term, higher
        better: a title match weighs ten times a body match."""
        if self.sqlite:
            score = func.bm25(literal_column("search_text"), 10.0, 1.0)  # lower is better
            query = (select(_ITEM_ID.label("item_id"), (-score).label("score"))
                     .select_from(_MATCHED_FROM)
                     .where(_MATCH(self._fts(list(self.terms.groups), "OR")), _document_kind == kind))
            return query.subquery()
        tsquery = self._tsquery(self.terms.phrases())
        vector: ColumnClause[Any] = literal_column("search_documents.document")
        # D, C, B (body), A
        weights: ColumnClause[Any] = literal_column("'{0.01, 0.02, 0.1, 1.0}'::float4[]")
        return (select(documents.c.item_id,
                       func.ts_rank(weights, vector, tsquery).label("score"))
                .where(vector.op("@@")(tsquery), documents.c.kind == kind).subquery())

    def narrow(self, query: Select[Any], kind: str, item_id: Any, team_id: Any = None
               ) -> Select[Any]:
        """The query's items that match, best first (order the ties after calling)."""
        if not self.terms:  # common words only ("Will"): names holding them, by name
            return query.where(self._named(kind, item_id))
        ranked = self._ranked(kind)
        return (query.where(self.where_all(kind, item_id, team_id))
                .outerjoin(ranked, ranked.c.item_id == item_id)
                .order_by(ranked.c.score.desc().nulls_last()))


def _prefix_phrase(phrase: Phrase) -> str:
    """A phrase as to_tsquery's text: 'w1' <-> 'w2':*."""
    return " <-> ".join(f"'{w}'" for w in phrase) + ":*"


def text_query(engine_or_conn: Any, q: str | None) -> TextQuery | None:
    """The full-text query for ``q`` on this engine's database; None for no words."""
    if q is None or not q.strip():
        return None
    return TextQuery(terms_of(q), engine_or_conn.dialect.name)
