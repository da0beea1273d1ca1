"""The library's tables, and the statements its handlers run again and again (built
once, see ``projections.view.Writer``). The handlers and the queries: library.py.

A plan's text columns are as wide as the plan's definition allows (domain/qip_plan.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    update,
)

from domain.qip_plan import FIELDS, MEASURE, PlanField
from domain.values import QipStatus
from projections.changed_at import changes_table


def _limit(field: PlanField) -> int:
    assert field.limit is not None
    return field.limit


MEASURE_NAME = _limit(MEASURE.part("name"))

metadata = MetaData()
lib_teams = Table(
    "library_teams", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("region", String(80), nullable=False),
)
qips = Table(
    "library_qips", metadata,
    Column("id", String(36), primary_key=True),
    Column("team_id", String(36), nullable=False, index=True),
    Column("owner_id", String(36), nullable=False),
    Column("title", String(_limit(FIELDS["title"])), nullable=False),
    Column("key_area", String(40), nullable=False, index=True),
    Column("aim", Text, nullable=False),
    Column("timeframe", String(_limit(FIELDS["timeframe"])), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("drafted_at", DateTime(timezone=True), nullable=False),
    Column("submitted_on", Date),
    Column("shared_on", Date, index=True),  # set once accepted: shared plans are public
    Column("ended_on", Date),
    Column("adapted_from", String(36), index=True),
    # Tags as ",staffing,it," so one LIKE finds a tag without a join.
    Column("obstacles", String(200), nullable=False, default=""),
    Column("enablers", String(200), nullable=False, default=""),
    # The day of its latest value, kept as values arrive (see Library.apply_all):
    # every list query grouped the whole progress table to find it.
    Column("last_progress_on", Date),
    # Search's key-area filter on people ("who owns a QIP in this area"): without it
    # each member scanned the area's plans, 18 ms at 3,000 members; 0.7 ms with it.
    Index("library_qips_by_owner", "owner_id", "key_area"),
)
measures = Table(
    "library_measures", metadata,
    Column("qip_id", String(36), primary_key=True),
    Column("name", String(MEASURE_NAME), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("unit", String(_limit(MEASURE.part("unit"))), nullable=False),
    Column("baseline", Float),
    Column("target", Float),
    Column("direction", String(10), nullable=False),
    Column("definition", Text, nullable=False, default=""),
    # What the chart shows, kept as values, corrections and marked changes arrive
    # (Library.apply_all): the "improved" filter ran the chart rules over every
    # visible plan's values on each request (1.4 s p50 at 16 clients, issue 14).
    Column("latest_on", Date),
    Column("latest_value", Float),
    Column("points", Integer, nullable=False, default=0),
    Column("improved", Boolean, nullable=False, default=False),
    Index("library_measures_improved", "improved", "qip_id"),
)
documents = Table(
    "library_documents", metadata,
    Column("id", String(36), primary_key=True),
    Column("qip_id", String(36), nullable=False, index=True),
    Column("title", String(_limit(FIELDS["title"])), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("name", String(200), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("attached_on", Date, nullable=False),
)
progress = Table(
    "library_progress", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Found by the index below, which starts with it (one index less per value).
    Column("qip_id", String(36), nullable=False),
    Column("measure", String(MEASURE_NAME), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("recorded_by", String(36), nullable=False),
    Index("library_progress_by_measure", "qip_id", "measure", "recorded_on"),
)

# Changes a team marked on a measure: its charts recalculate from each (phases).
change_marks = Table(
    "library_change_marks", metadata,
    Column("qip_id", String(36), primary_key=True),
    Column("measure", String(MEASURE_NAME), primary_key=True),
    Column("changed_on", Date, primary_key=True),
    Column("description", String(200), nullable=False),
)

# The latest page that changed which key areas each team shares plans in: the
# counterpart ranking keeps them (see projections/changed_at.py).
key_area_changes = changes_table("library_key_area_changes", metadata)


INSERT_TEAM = lib_teams.insert()
INSERT_QIP = qips.insert()
INSERT_MEASURE = measures.insert()
INSERT_PROGRESS = progress.insert()
DELETE_MEASURES = measures.delete().where(measures.c.qip_id == bindparam("q"))
SET_VERSION = update(qips).where(qips.c.id == bindparam("q")).values(version=bindparam("v"))
INSERT_DOCUMENT = documents.insert()
_ONE_VALUE = (progress.c.qip_id == bindparam("q"), progress.c.measure == bindparam("m"),
              progress.c.recorded_on == bindparam("d"))
CORRECT_PROGRESS = update(progress).where(*_ONE_VALUE).values(value=bindparam("v"))
WITHDRAW_PROGRESS = progress.delete().where(*_ONE_VALUE)
INSERT_MARK = change_marks.insert()


def _status_change(**values: Any) -> Any:
    return update(qips).where(qips.c.id == bindparam("q")).values(
        version=bindparam("v"), **values)


SUBMITTED = _status_change(status=QipStatus.SUBMITTED.value, submitted_on=bindparam("on"))
CHANGES_REQUESTED = _status_change(status=QipStatus.CHANGES_REQUESTED.value)
SHARED = _status_change(status=QipStatus.ACTIVE.value, shared_on=bindparam("on"))
COMPLETED = _status_change(status=QipStatus.COMPLETED.value, ended_on=bindparam("on"))
STOPPED = _status_change(status=QipStatus.STOPPED.value, ended_on=bindparam("on"))
