"""The demo's tables, read from the files in community/demo/data/: the thirty teams
(teams.csv), people's names, what each role knows and talks about, how the audit
results spread, the QIP plans teams wrote, the workshops held, and what people ask
of each other. The story's modules draw from these; a writer changes the words here
without touching the code.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from domain.values import Direction, FollowUpKind, KeyArea, Role, WorkshopKind

DATA = Path(__file__).resolve().parent / "data"


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --- teams and people (teams.csv, names.json, roles.json) ----------------------------


@dataclass(frozen=True)
class TeamRow:
    town: str
    trust: str
    region: str
    latitude: float
    longitude: float
    caseload: int  # new lung cancer patients a year


@dataclass(frozen=True)
class Login:
    name: str
    email: str
    expertise: list[str]


with (DATA / "teams.csv").open(encoding="utf-8", newline="") as _file:
    TEAMS = [TeamRow(r["town"], r["trust"], r["region"], float(r["latitude"]),
                     float(r["longitude"]), int(r["caseload"])) for r in csv.DictReader(_file)]

_names = _json("names.json")
FIRST_NAMES: list[str] = _names["first_names"]
SURNAMES: list[str] = _names["surnames"]
# The core team; the first is the organiser demo login.
ORGANISERS = [Login(o["name"], o["email"], o["expertise"]) for o in _names["organisers"]]
PARTICIPANT = Login(_names["participant"]["name"], _names["participant"]["email"],
                    _names["participant"]["expertise"])
# Her team is weak on nurse access, where others are strong.
PARTICIPANT_TOWN: str = _names["participant"]["town"]

_roles = _json("roles.json")
# Beyond the clinical lead, the nurse specialist and (usually) the co-ordinator:
# how often each other role took part (managers, pathologists and IT were hard to get).
OTHER_ROLES = {Role(k): float(v) for k, v in _roles["other_roles"].items()}
EXPERTISE = {Role(k): list(v) for k, v in _roles["expertise"].items()}
# How often a member of each role starts a contact (the core of the MDT talks most).
ROLE_ACTIVITY = {Role(k): float(v) for k, v in _roles["activity"].items()}
ROLE_AREAS = {Role(k): [KeyArea(a) for a in v] for k, v in _roles["areas"].items()}
# Who in a team takes on a QIP in each area, first choice first.
OWNERS = {KeyArea(k): [Role(r) for r in v] for k, v in _roles["qip_owners"].items()}
# Clinic days by role, with weights: most lung clinics were on Wednesdays (the report:
# "they seem to have been on a Wednesday, which is our lung cancer clinic").
CLINIC_DAYS = {Role(k): [(d, float(w)) for d, w in v] for k, v in _roles["clinic_days"].items()}
MEETING_DAYS = [(d, float(w)) for d, w in _roles["meeting_days"]]

# --- the audit (audit.json) ----------------------------------------------------------


@dataclass(frozen=True)
class AuditModel:
    """How one indicator's results spread: around the NLCA national figures."""
    typical: float  # a typical 2009 value
    spread: float  # between teams
    yearly_gain: float
    lowest: float
    highest: float


_audit = _json("audit.json")
AUDIT_MODEL = {k: AuditModel(**v) for k, v in _audit["model"].items()}
INDICATOR_AREAS = {k: KeyArea(v) for k, v in _audit["indicator_areas"].items()}
# What a member asks a team that does well where theirs struggles.
STRENGTH_QUESTIONS: dict[str, str] = _audit["strength_questions"]
# How the teams fared once the money stopped: (how many teams, how much faster they improve).
MOMENTUM = {k: (int(v["teams"]), float(v["gain"])) for k, v in _audit["momentum"].items()}
# What visitors wrote about a host weak on an indicator, and about one strong on it.
VISIT_AREAS: dict[str, str] = _audit["visit_areas"]
VISIT_STRENGTHS: dict[str, str] = _audit["visit_strengths"]
GENERAL_AREAS: list[str] = _audit["general_areas"]

# --- QIPs (qips.json) ----------------------------------------------------------------


@dataclass(frozen=True)
class MeasurePlan:
    name: str
    unit: str  # "%", "days" or "count"
    direction: Direction
    baseline: str | tuple[float, float]  # the team's own audit result, or a range
    change: float  # how far the target lies from the baseline


@dataclass(frozen=True)
class QipPlan:
    area: KeyArea
    title: str
    aim: str  # {b} and {t}: the first measure's baseline and target; {by}: the deadline
    measures: tuple[MeasurePlan, ...]


@dataclass(frozen=True)
class ChangeIdea:
    title: str
    plan: str
    happened: str
    learned: str


def _measure(m: dict[str, Any]) -> MeasurePlan:
    baseline = m["baseline"] if isinstance(m["baseline"], str) else tuple(m["baseline"])
    return MeasurePlan(m["name"], m["unit"], Direction(m["direction"]), baseline,
                       float(m["change"]))


_qips = _json("qips.json")
QIP_PLANS = [QipPlan(KeyArea(p["area"]), p["title"], p["aim"],
                     tuple(_measure(m) for m in p["measures"])) for p in _qips["plans"]]
NURSE_AT_DIAGNOSIS = next(p for p in QIP_PLANS if p.title == _qips["participants_plan"])
# What a first draft said before the organisers' review asked for something specific.
VAGUE_AIMS = {KeyArea(k): v for k, v in _qips["vague_aims"].items()}
# How likely a team is to leave a QIP as a draft, and how its measures tend to go
# (improving, flat or stalled), by how the team fared after the funding end.
DRAFT_CHANCE = {k: float(v) for k, v in _qips["draft_chance"].items()}
PATTERNS = {k: [float(x) for x in v] for k, v in _qips["patterns"].items()}
CHANGE_IDEAS = {KeyArea(k): [ChangeIdea(**c) for c in v]
                for k, v in _qips["change_ideas"].items()}
LESSONS: list[str] = _qips["lessons"]
MEASURE_COMMENT: str = _qips["measure_comment"]
STOP_REASONS: list[str] = _qips["stop_reasons"]
CORRECTIONS: list[str] = _qips["correction_reasons"]
WITHDRAWALS: list[str] = _qips["withdrawal_reasons"]
BUSINESS_CASE: str = _qips["business_case"]

# --- what people talk about (topics.json) ----------------------------------------------

_topics = _json("topics.json")
AREA_TOPICS = {KeyArea(k): list(v) for k, v in _topics["areas"].items()}
PAIR_TOPICS: list[str] = _topics["pair"]
ORGANISER_TOPICS: list[str] = _topics["organiser"]

# --- workshops and events (events.json) -----------------------------------------------


@dataclass(frozen=True)
class Held:
    """A workshop or online conference of the programme, recorded after the fact."""
    kind: WorkshopKind
    title: str
    held_on: date
    turnout: float  # the share of active teams that came


@dataclass(frozen=True)
class Planned:
    """An event planned ahead: after the funding ended, or coming up."""
    kind: WorkshopKind
    title: str
    roles: list[Role]
    starts_at: str
    minutes: int
    agenda: str
    window_starts: date | None = None  # None: weeks after the day the demo is loaded
    link: str = ""


_events = _json("events.json")
WORKSHOPS = [Held(WorkshopKind(w["kind"]), w["title"], date.fromisoformat(w["held_on"]),
                  float(w["turnout"])) for w in _events["workshops"]]
# All on Wednesdays, the day of most lung clinics: hence the poor turnout.
ONLINE_CONFERENCES = [(c["title"], date.fromisoformat(c["held_on"]))
                      for c in _events["online_conferences"]]
AFTER_FUNDING = [Planned(WorkshopKind(e["kind"]), e["title"], [Role(r) for r in e["roles"]],
                         e["starts_at"], int(e["minutes"]), e["agenda"],
                         window_starts=date.fromisoformat(e["window_starts"]))
                 for e in _events["after_funding"]]
COMING_UP = [Planned(WorkshopKind(e["kind"]), e["title"], [Role(r) for r in e["roles"]],
                     e["starts_at"], int(e["minutes"]), e["agenda"], link=e["link"])
             for e in _events["coming_up"]]
EVENT_PLACE: str = _events["place"]
EVENT_LINK: str = _events["link"]

# --- follow-ups and introductions (follow_ups.json) ------------------------------------

_follow_ups = _json("follow_ups.json")
FOLLOW_UP_REASONS = {FollowUpKind(k): list(v) for k, v in _follow_ups["reasons"].items()}
ANSWERS = {FollowUpKind(k): v for k, v in _follow_ups["answers"].items()}
LATE_ORGANISER_ANSWER: str = _follow_ups["late_organiser_answer"]
DECLINED_CALL: str = _follow_ups["declined_call"]
# (kind, how many, addressed to "team", "member" or "organisers")
FOLLOW_UP_PLAN = [(FollowUpKind(p["kind"]), int(p["count"]), p["addressed_to"])
                  for p in _follow_ups["plan"]]
INTRODUCTION_REASONS: list[str] = _follow_ups["introduction_reasons"]
