"""The shared-QIP library: shared plans with their measures, progress, documents and
adoptions, and each team's plans in progress (visible to that team and the organisers)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache, singledispatchmethod
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    true,
    update,
)

from domain.measurement import phase_starts, shows_improvement
from domain.qip import Qip
from domain.qip_plan import PLAN, Kind
from domain.team import Team
from domain.values import Direction, QipStatus
from projections.changed_at import changed_at, note_change
from projections.full_text import QIP, text_query
from projections.library_tables import (
    CHANGES_REQUESTED,
    COMPLETED,
    CORRECT_PROGRESS,
    DELETE_MEASURES,
    INSERT_DOCUMENT,
    INSERT_MARK,
    INSERT_MEASURE,
    INSERT_PROGRESS,
    INSERT_QIP,
    INSERT_TEAM,
    SET_VERSION,
    SHARED,
    STOPPED,
    SUBMITTED,
    WITHDRAW_PROGRESS,
    change_marks,
    documents,
    key_area_changes,
    lib_teams,
    measures,
    metadata,
    progress,
    qips,
)
from projections.paging import total_of
from projections.reading import reading, rows_of
from projections.view import View, Writer, as_id

# The tables other views and tests read, by the names they have always imported.
__all__ = ["Library", "change_marks", "documents", "lib_teams", "measures", "progress",
           "qips", "visible_to"]

# The parts of a plan the library keeps a column of, as their definitions say.
PLAN_COLUMNS = tuple(f for f in PLAN if f.name in qips.c)


def _tags(given: list[Any]) -> str:
    return "".join(f",{tag.value}" for tag in given) + "," if given else ""


def _plan_values(source: dict[str, Any]) -> dict[str, Any]:
    """The library's columns of a plan, from an event's parts (Drafted's, or a revision's)."""
    values = {}
    for field in PLAN_COLUMNS:
        if field.name not in source:
            continue
        value = source[field.name]
        if field.kind is Kind.CHOICE:
            value = value.value
        elif field.kind is Kind.MEMBER:
            value = str(value)
        elif field.kind is Kind.TAGS:
            value = _tags(value or [])
        values[field.name] = value
    return values


def _measure_rows(qip_id: str, given: list[Any]) -> list[dict[str, Any]]:
    return [{"qip_id": qip_id, "name": m.name, "position": i, "unit": m.unit,
             "baseline": m.baseline, "target": m.target, "direction": m.direction.value,
             "definition": getattr(m, "definition", "")}
            for i, m in enumerate(given)]


def _starts(points: list[tuple[Any, float]], marks: list[Any]) -> tuple[int, ...]:
    """Where each marked change starts a new phase of a measure's ``points``."""
    return phase_starts([day for day, _ in points], marks) if marks else ()


def visible_to(viewer_team_id: str | None, organiser: bool = False,
               table: Any = qips) -> ColumnElement[bool]:
    """Shared plans for everyone; plans not yet shared for their own team and the organisers.
    ``table``: the QIP table or an alias of it."""
    if organiser:
        return true()
    shared = table.c.shared_on.is_not(None)
    return or_(shared, table.c.team_id == viewer_team_id) if viewer_team_id else shared


# Statements built once (see Writer).
SET_CHART = (update(measures).where(measures.c.qip_id == bindparam("q"),
                                    measures.c.name == bindparam("m"))
             .values(latest_on=bindparam("on"), latest_value=bindparam("value"),
                     points=bindparam("n"), improved=bindparam("up")))
SET_LAST_PROGRESS = (update(qips).where(qips.c.id == bindparam("q"))
                     .values(last_progress_on=bindparam("on")))
# What a page's chart verdicts read, for the plans it touched (``ids``: a list), built
# once: built per page, with the IN list as literals, they cost more than running them.
SERIES_OF = (select(progress.c.qip_id, progress.c.measure, progress.c.recorded_on,
                    progress.c.value)
             .where(progress.c.qip_id.in_(bindparam("ids", expanding=True)))
             .order_by(progress.c.recorded_on, progress.c.id))
MARKS_OF = (select(change_marks.c.qip_id, change_marks.c.measure, change_marks.c.changed_on)
            .where(change_marks.c.qip_id.in_(bindparam("ids", expanding=True)))
            .order_by(change_marks.c.changed_on))
MEASURES_OF = (select(measures.c.qip_id, measures.c.name, measures.c.direction)
               .where(measures.c.qip_id.in_(bindparam("ids", expanding=True))))
# Each listed plan's measures as shown, built once: built per call, making its cache
# key cost more than SQLite's reading of the rows (on every plan and team page).
MEASURES_SHOWN = (select(measures).where(measures.c.qip_id.in_(bindparam("ids", expanding=True)))
                  .order_by(measures.c.qip_id, measures.c.position))


@lru_cache(maxsize=64)  # revisions touch few sets of columns
def _revision(columns: frozenset[str]) -> Any:
    """The update of a revision that changes these columns, built once per set of
    columns: a statement built per event cost more than running it, and (being new
    each time) was looked up afresh by the writer each time."""
    return (update(qips).where(qips.c.id == bindparam("q"))
            .values(version=bindparam("v"),
                    **{name: bindparam(f"new_{name}") for name in sorted(columns)}))


# The events after which a plan's charts may read differently: its values, their
# corrections, the changes marked on them, and its measures (a revision may
# rename one or turn its direction).
CHART_EVENTS = (Qip.Drafted, Qip.Revised, Qip.ProgressRecorded, Qip.ValueCorrected,
                Qip.ValueWithdrawn, Qip.ChangeMarked, Qip.ChangeUnmarked)


class Library(View):
    name = "library"
    metadata = metadata
    # A plan's values, read again for its charts and found to be corrected or removed.
    replayed_with = frozenset({"library_progress_by_measure"})

    def apply_all(self, conn: Connection, page: Iterable[tuple[int, Any]],
                  after: int | None = None) -> None:
        """Apply the page, then work out again what the charts of the plans it
        touched show: once per plan per page, however many values it brought."""
        page = list(page)
        super().apply_all(conn, page, after)
        touched = {str(event.originator_id) for _, event in page
                   if isinstance(event, CHART_EVENTS)}
        if touched:
            self._keep_charts(conn, sorted(touched))
        shared = [n for n, event in page if isinstance(event, (Qip.Shared, Qip.Revised))]
        if shared:
            note_change(conn, key_area_changes, shared[-1])

    def key_areas_changed_at(self) -> int:
        """The notification id of the latest event that may have changed
        ``key_areas_by_team``."""
        return changed_at(self.engine, key_area_changes)

    def _keep_charts(self, conn: Connection, qip_ids: list[str]) -> None:
        """Each measure's latest value, number of points and chart verdict, and each
        plan's latest day, from the values as they now stand."""
        series = self._series(conn, qip_ids)
        marks = self._marks(conn, qip_ids)
        charts: list[dict[str, Any]] = []
        for start in range(0, len(qip_ids), 500):  # bound the IN list
            chunk = qip_ids[start:start + 500]
            for qip_id, name, direction in conn.execute(MEASURES_OF, {"ids": chunk}).all():
                points = series.get((qip_id, name), [])
                on, value = points[-1] if points else (None, None)
                charts.append({"q": qip_id, "m": name, "on": on, "value": value,
                               "n": len(points), "up": bool(points) and shows_improvement(
                                   [v for _, v in points], Direction(direction),
                                   _starts(points, marks.get((qip_id, name), [])))})
        latest: dict[str, Any] = {}
        for (qip_id, _), points in series.items():
            if points and (qip_id not in latest or points[-1][0] > latest[qip_id]):
                latest[qip_id] = points[-1][0]
        last = [{"q": qip_id, "on": latest.get(qip_id)} for qip_id in qip_ids]
        if charts:
            conn.execute(SET_CHART, charts)
        conn.execute(SET_LAST_PROGRESS, last)

    @singledispatchmethod
    def apply(self, event: Any, w: Writer, notification_id: int) -> None:
        pass

    @apply.register(Team.Registered)
    def team_registered(self, event: Any, w: Writer, _: int) -> None:
        w.insert(INSERT_TEAM, {"id": str(event.originator_id), "name": event.name,
                               "region": event.region})

    @apply.register(Qip.Drafted)
    def qip_drafted(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        w.insert(INSERT_QIP, {
            "id": qip_id, "team_id": str(event.team_id), "status": QipStatus.DRAFT.value,
            "version": event.originator_version, "drafted_at": event.timestamp,
            "submitted_on": None, "shared_on": None, "ended_on": None,
            "adapted_from": as_id(getattr(event, "adapted_from", None)),
            **{"obstacles": "", "enablers": ""}, **_plan_values(vars(event))})
        for row in _measure_rows(qip_id, event.measures):
            w.insert(INSERT_MEASURE, row)

    @apply.register(Qip.Revised)
    def qip_revised(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        values = _plan_values(event.changes)
        w.execute(_revision(frozenset(values)), {
            "q": qip_id, "v": event.originator_version,
            **{f"new_{name}": value for name, value in values.items()}})
        if "measures" in event.changes:
            w.execute(DELETE_MEASURES, {"q": qip_id})
            for row in _measure_rows(qip_id, event.changes["measures"]):
                w.insert(INSERT_MEASURE, row)

    @apply.register(Qip.Submitted)
    def qip_submitted(self, event: Any, w: Writer, _: int) -> None:
        w.execute(SUBMITTED, {"q": str(event.originator_id), "on": event.submitted_on,
                              "v": event.originator_version})

    @apply.register(Qip.ChangesRequested)
    def qip_changes_requested(self, event: Any, w: Writer, _: int) -> None:
        w.execute(CHANGES_REQUESTED, {"q": str(event.originator_id),
                                      "v": event.originator_version})

    @apply.register(Qip.Shared)
    def qip_shared(self, event: Any, w: Writer, _: int) -> None:
        w.execute(SHARED, {"q": str(event.originator_id), "on": event.shared_on,
                           "v": event.originator_version})

    @apply.register(Qip.Completed)
    def qip_completed(self, event: Any, w: Writer, _: int) -> None:
        w.execute(COMPLETED, {"q": str(event.originator_id), "on": event.completed_on,
                              "v": event.originator_version})

    @apply.register(Qip.Stopped)
    def qip_stopped(self, event: Any, w: Writer, _: int) -> None:
        w.execute(STOPPED, {"q": str(event.originator_id), "on": event.stopped_on,
                            "v": event.originator_version})

    @apply.register(Qip.DocumentAttached)
    def document_attached(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        w.insert(INSERT_DOCUMENT, {
            "id": event.document_id, "qip_id": qip_id, "title": event.title,
            "kind": event.kind, "name": event.name, "content_type": event.content_type,
            "size": event.size, "sha256": event.sha256, "attached_on": event.attached_on})
        w.set_latest(SET_VERSION, qip_id, {"q": qip_id, "v": event.originator_version})

    @apply.register(Qip.ProgressRecorded)
    def progress_recorded(self, event: Any, w: Writer, _: int) -> None:
        # The most frequent event: one held insert and one held version update.
        # Latest values are worked out when asked, from these rows.
        qip_id = str(event.originator_id)
        w.insert(INSERT_PROGRESS, {
            "qip_id": qip_id, "measure": event.measure, "recorded_on": event.recorded_on,
            "value": event.value, "recorded_by": str(event.recorded_by)})
        w.set_latest(SET_VERSION, qip_id, {"q": qip_id, "v": event.originator_version})

    @apply.register(Qip.ValueCorrected)
    def value_corrected(self, event: Any, w: Writer, _: int) -> None:
        # The row holds the value as it stands, so every read (latest value, charts,
        # the outcome filter, adoptions) sees the correction without knowing of it.
        qip_id = str(event.originator_id)
        w.execute(CORRECT_PROGRESS, {"q": qip_id, "m": event.measure, "d": event.recorded_on,
                                     "v": event.value})
        w.set_latest(SET_VERSION, qip_id, {"q": qip_id, "v": event.originator_version})

    @apply.register(Qip.ValueWithdrawn)
    def value_withdrawn(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        w.execute(WITHDRAW_PROGRESS, {"q": qip_id, "m": event.measure, "d": event.recorded_on})
        w.set_latest(SET_VERSION, qip_id, {"q": qip_id, "v": event.originator_version})

    @apply.register(Qip.ChangeMarked)
    def change_marked(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        w.insert(INSERT_MARK, {
            "qip_id": qip_id, "measure": event.measure, "changed_on": event.changed_on,
            "description": event.description})
        w.set_latest(SET_VERSION, qip_id, {"q": qip_id, "v": event.originator_version})

    @apply.register(Qip.ChangeUnmarked)
    def change_unmarked(self, event: Any, w: Writer, _: int) -> None:
        qip_id = str(event.originator_id)
        w.execute(change_marks.delete().where(
            change_marks.c.qip_id == qip_id, change_marks.c.measure == event.measure,
            change_marks.c.changed_on == event.changed_on))
        w.set_latest(SET_VERSION, qip_id, {"q": qip_id, "v": event.originator_version})

    def _marks(self, conn: Connection, qip_ids: list[str]) -> dict[tuple[str, str], list[Any]]:
        """The dates of the changes marked on each (QIP, measure), oldest first."""
        marks: dict[tuple[str, str], list[Any]] = {}
        for start in range(0, len(qip_ids), 500):  # bound the IN list
            for qip_id, name, day in conn.execute(MARKS_OF,
                                                  {"ids": qip_ids[start:start + 500]}).all():
                marks.setdefault((qip_id, name), []).append(day)
        return marks

    # --- queries ---------------------------------------------------------------

    def _visible(self, viewer_team_id: str | None,
                 organiser: bool = False) -> ColumnElement[bool]:
        return visible_to(viewer_team_id, organiser)

    def key_areas_by_team(self) -> dict[str, set[str]]:
        """The key areas each team has shared plans in (plans in progress stay private)."""
        query = (select(qips.c.team_id, qips.c.key_area).distinct()
                 .where(qips.c.shared_on.is_not(None)))
        found: dict[str, set[str]] = {}
        with reading(self.engine) as conn:
            for team_id, key_area in conn.execute(query):
                found.setdefault(team_id, set()).add(key_area)
        return found

    def _qip_query(self, viewer_team_id: str | None, organiser: bool = False) -> Select[Any]:
        return _qip_select(viewer_team_id, organiser)

    def qips(self, *, viewer_team_id: str | None, organiser: bool = False,
             key_area: str | None = None, team_id: str | None = None, status: str | None = None,
             region: str | None = None, obstacle: str | None = None,
             outcome: str | None = None, q: str | None = None, limit: int = 50,
             offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """The library page: filters, full-text search (projections/full_text.py) over
        the whole plan, its team and its document titles, and ``outcome`` ("improved" /
        "not_improved") by the chart rules."""
        query = self._qip_query(viewer_team_id, organiser)
        if key_area:
            query = query.where(qips.c.key_area == key_area)
        if team_id:
            query = query.where(qips.c.team_id == team_id)
        if status:
            query = query.where(qips.c.status == status)
        if region:
            query = query.where(lib_teams.c.region == region)
        if obstacle:
            query = query.where(qips.c.obstacles.like(f"%,{obstacle},%"))
        if outcome:
            # The verdicts are kept per measure as values arrive (see _keep_charts).
            improved = exists().where(measures.c.qip_id == qips.c.id, measures.c.improved)
            query = query.where(improved if outcome == "improved" else ~improved)
        if text := text_query(self.engine, q):  # ranked: title matches first
            query = text.narrow(query, QIP, qips.c.id, qips.c.team_id)
        query = query.order_by(qips.c.title, qips.c.id)
        with reading(self.engine) as conn:
            found = rows_of(conn.execute(query.limit(limit).offset(offset)))
            total = total_of(found, limit, offset, lambda: conn.scalar(
                select(func.count()).select_from(query.subquery())))
            by_qip = self._measures(conn, [r["id"] for r in found])
        for qip in found:
            qip["measures"] = by_qip.get(qip["id"], [])
        return found, int(total)

    def _series(self, conn: Connection, qip_ids: list[str]
                ) -> dict[tuple[str, str], list[tuple[Any, float]]]:
        series: dict[tuple[str, str], list[tuple[Any, float]]] = {}
        for start in range(0, len(qip_ids), 500):  # bound the IN list
            # All at once (``all``), not row by row (``rows_of`` says why).
            for qip_id, name, day, value in conn.execute(
                    SERIES_OF, {"ids": qip_ids[start:start + 500]}).all():
                series.setdefault((qip_id, name), []).append((day, value))
        return series

    def _measures(self, conn: Connection, qip_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Each QIP's measures with their latest value (the one measured last) and
        whether its chart signals improvement, as kept when the values arrived."""
        found: dict[str, list[dict[str, Any]]] = {}
        if not qip_ids:
            return found
        for item in rows_of(conn.execute(MEASURES_SHOWN, {"ids": qip_ids})):
            qip_id = item.pop("qip_id")
            item["improved"] = bool(item["improved"])
            found.setdefault(qip_id, []).append(item)
        return found

    def qip(self, qip_id: str, *, viewer_team_id: str | None,
            organiser: bool = False) -> dict[str, Any] | None:
        one = {"qip_id": qip_id}
        with reading(self.engine) as conn:
            row = conn.execute(_qip_by_id(viewer_team_id, organiser), one).first()
            if row is None:
                return None
            found = dict(row._mapping)
            found["measures"] = self._measures(conn, [qip_id]).get(qip_id, [])
            found["progress"] = rows_of(conn.execute(QIP_PROGRESS, one))
            found["change_marks"] = rows_of(conn.execute(QIP_MARKS, one))
            found["documents"] = rows_of(conn.execute(QIP_DOCUMENTS, one))
        return found

    def adoptions_of(self, qip_id: str, *, viewer_team_id: str | None,
                     organiser: bool = False) -> list[dict[str, Any]]:
        """The teams that adapted this QIP, with how their measures went."""
        query = (self._qip_query(viewer_team_id, organiser)
                 .where(qips.c.adapted_from == qip_id).order_by(lib_teams.c.name))
        with reading(self.engine) as conn:
            found = rows_of(conn.execute(query))
            by_qip = self._measures(conn, [r["id"] for r in found])
        for qip in found:
            qip["measures"] = by_qip.get(qip["id"], [])
        return found

    def sees(self, qip_id: str, *, viewer_team_id: str | None, organiser: bool = False) -> bool:
        """Whether the viewer may see this plan (``qip`` without reading it: a change
        asks this first, and reading the whole plan for it was a tenth of a value's
        recording)."""
        with reading(self.engine) as conn:
            return conn.execute(_sees(viewer_team_id, organiser),
                                {"qip_id": qip_id}).first() is not None

    def teams_seeing_more_of(self, qip_id: str) -> frozenset[str]:
        """The teams whose members see more on this plan's page than someone of
        another team does: the plan's own team, the team it was adapted from, and any
        team with an adaptation of it not yet shared (listed on the page for that team
        alone). Every other team sees the page as the others do."""
        with reading(self.engine) as conn:
            return frozenset(conn.scalars(TEAMS_SEEING_MORE, {"qip_id": qip_id}))

    def teams_seeing_more_of_team(self, team_id: str) -> frozenset[str]:
        """The teams whose members see more in a list of this team's plans than someone
        of another team does: the team itself (its plans not yet shared), and any team
        with an adaptation of one of its plans not yet shared (counted among that
        plan's adoptions for that team alone). Every other team sees the list as the
        others do."""
        with reading(self.engine) as conn:
            return frozenset(conn.scalars(TEAMS_SEEING_MORE_OF_TEAM, {"team_id": team_id}))

    def awaiting_review(self) -> list[dict[str, Any]]:
        """Submitted QIPs, oldest first: the organisers' review queue."""
        query = (self._qip_query(None, organiser=True)
                 .where(qips.c.status == QipStatus.SUBMITTED.value)
                 .order_by(qips.c.submitted_on, qips.c.title))
        with reading(self.engine) as conn:
            return rows_of(conn.execute(query))

    def document(self, document_id: str) -> dict[str, Any] | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(documents).where(documents.c.id == document_id)).first()
        return dict(row._mapping) if row else None

    def regions(self) -> list[str]:
        with reading(self.engine) as conn:
            return list(conn.scalars(select(lib_teams.c.region).distinct()
                                     .order_by(lib_teams.c.region)))


# A QIP page reads its plan three or four times (issue 14): the statements are built
# once per kind of viewer (a team sees its own unshared plans; the organisers all)
# rather than per read, and SQLAlchemy keeps each one's compiled form by it.
VIEWERS_KEPT = 512  # one per team and the organisers, and room to spare


@lru_cache(maxsize=VIEWERS_KEPT)
def _qip_select(viewer_team_id: str | None, organiser: bool) -> Select[Any]:
    # Count the teams whose adaptation this viewer may see, as ``adoptions_of`` lists
    # them: counting every adaptation said "Adopted by 2 teams" above a list of one,
    # the other being a draft private to its team.
    adapter = qips.alias("adapter")
    adoptions = (select(adapter.c.adapted_from,
                        func.count(adapter.c.team_id.distinct()).label("adoption_count"))
                 .where(adapter.c.adapted_from.is_not(None),
                        visible_to(viewer_team_id, organiser, adapter))
                 .group_by(adapter.c.adapted_from).subquery())
    return (select(qips, lib_teams.c.name.label("team"), lib_teams.c.region,
                   func.coalesce(adoptions.c.adoption_count, 0).label("adoption_count"))
            .join(lib_teams, lib_teams.c.id == qips.c.team_id)
            .outerjoin(adoptions, adoptions.c.adapted_from == qips.c.id)
            .where(visible_to(viewer_team_id, organiser)))


@lru_cache(maxsize=VIEWERS_KEPT)
def _qip_by_id(viewer_team_id: str | None, organiser: bool) -> Select[Any]:
    return _qip_select(viewer_team_id, organiser).where(qips.c.id == bindparam("qip_id"))


@lru_cache(maxsize=VIEWERS_KEPT)
def _sees(viewer_team_id: str | None, organiser: bool) -> Select[Any]:
    return select(qips.c.id).where(qips.c.id == bindparam("qip_id"),
                                   visible_to(viewer_team_id, organiser))


QIP_PROGRESS = (select(progress.c.measure, progress.c.recorded_on, progress.c.value)
                .where(progress.c.qip_id == bindparam("qip_id"))
                .order_by(progress.c.measure, progress.c.recorded_on, progress.c.id))
QIP_MARKS = (select(change_marks.c.measure, change_marks.c.changed_on, change_marks.c.description)
             .where(change_marks.c.qip_id == bindparam("qip_id"))
             .order_by(change_marks.c.measure, change_marks.c.changed_on))
QIP_DOCUMENTS = (select(documents).where(documents.c.qip_id == bindparam("qip_id"))
                 .order_by(documents.c.attached_on, documents.c.title))

_source = (select(qips.c.adapted_from).where(qips.c.id == bindparam("qip_id"))
           .scalar_subquery())
TEAMS_SEEING_MORE = select(qips.c.team_id).distinct().where(or_(
    qips.c.id == bindparam("qip_id"), qips.c.id == _source,
    and_(qips.c.adapted_from == bindparam("qip_id"), qips.c.shared_on.is_(None))))
_plans_of_team = qips.alias("plans_of_team")
TEAMS_SEEING_MORE_OF_TEAM = select(qips.c.team_id).distinct().where(or_(
    qips.c.team_id == bindparam("team_id"),
    and_(qips.c.shared_on.is_(None),
         qips.c.adapted_from.in_(select(_plans_of_team.c.id)
                                 .where(_plans_of_team.c.team_id == bindparam("team_id"))))))
