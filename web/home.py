"""The home page each member lands on after logging in: what is theirs, and
what waits for them. Participants see their team, plans and requests;
organisers see the queues they work through.

Every block reads the views (a few small queries, no replay) and links to its
full list. "Due" and "upcoming" are judged as of the community's today
(``projections.home.community_today``), so an archived or demo store, whose
last activity was years ago, still reads sensibly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import render_template
from flask_login import current_user

from domain.momentum import Thresholds
from domain.values import FollowUpKind, KeyArea, QipStatus
from projections.counterparts import counterparts_for
from projections.home import key_areas_of, new_in_areas, team_plans
from projections.momentum import team_last_active
from projections.questions import questions_i_could_answer
from web.kept_pages import kept
from web.services import community, views
from web.today import community_day

SHOWN = 5  # each block shows a few; its link leads to the rest
COUNTERPARTS_SHOWN = 3


def home_page() -> Any:
    """The logged-in member's home: the organisers' queues, or a participant's own work."""
    today = community().today()
    # Kept until any view moves on (web.kept_pages): what the page shows is read from
    # the views alone, for the person (every organiser sees the same queues) and day.
    if current_user.is_organiser:
        template, data = kept("organiser home", today, lambda: _home(today, _organiser_home))
    else:
        template, data = kept("participant home", (current_user.id, current_user.team_id, today),
                              lambda: _home(today, _participant_home))
    return render_template(template, **data)


def _home(today: date, page: Callable[[date], tuple[str, dict[str, Any]]]
          ) -> tuple[str, dict[str, Any]]:
    as_of = community_day()
    template, data = page(as_of)
    return template, {"as_of": as_of, "archived": as_of != today, **data}


def _participant_home(as_of: date) -> tuple[str, dict[str, Any]]:
    v = views()
    me = v.directory.member(current_user.id) or {}
    team = v.directory.team(current_user.team_id) if current_user.team_id else None
    plans = team_plans(v.engine, current_user.team_id, as_of) if team else []
    for plan in plans:
        plan["status_label"] = QipStatus(plan["status"]).label
    asked = [r for r in v.follow_ups.asked_of(current_user.id, current_user.team_id)
             if r["answer_count"] == 0 and r["status"] == "requested"]
    mine = v.workshops.registered_for(current_user.id)
    events = [e for e in v.workshops.upcoming(as_of) if e["id"] in mine]
    areas = key_areas_of(v.engine, current_user.team_id, me.get("expertise") or [])
    fresh = new_in_areas(v.engine, areas, current_user.team_id, as_of, limit=SHOWN)
    team_names = v.directory.team_names({q["team_id"] for q in fresh})
    for qip in fresh:
        qip["team_name"] = team_names.get(qip["team_id"], "another team")
        qip["key_area_label"] = KeyArea(qip["key_area"]).label
    found = counterparts_for(v, current_user.id, limit=COUNTERPARTS_SHOWN)
    return "home/participant.html", {
        "team": team, "plans": plans, "asked": _named(asked[:SHOWN]), "asked_total": len(asked),
        "events": events[:SHOWN], "events_total": len(events), "new_qips": fresh,
        "areas": sorted(KeyArea(a).label for a in areas), "counterparts": found,
        "could_answer": _could_answer(v)}


def _organiser_home(as_of: date) -> tuple[str, dict[str, Any]]:
    v = views()
    reviews = v.library.awaiting_review()
    waiting = v.follow_ups.waiting_for_organisers()
    cutoff = Thresholds().team_weeks
    # The latest to fall quiet first; the page names no one to write to, so the
    # momentum check's contact per team is not read.
    quiet = [{"team_id": team_id, "team_name": name, "quiet_since": last}
             for team_id, name, last in sorted(
                 (t for t in team_last_active(v.engine, as_of)
                  if (as_of - t[2]).days > cutoff * 7), key=lambda t: t[2], reverse=True)]
    outbox = v.outbox.counts()
    upcoming = v.workshops.upcoming(as_of)
    return "home/organiser.html", {
        "reviews": reviews[:SHOWN], "reviews_total": len(reviews),
        "waiting": _named(waiting[:SHOWN]), "waiting_total": len(waiting),
        "introductions_total": sum(1 for r in waiting
                                   if r["kind"] == FollowUpKind.INTRODUCTION.value),
        "quiet": quiet[:SHOWN], "quiet_total": len(quiet), "quiet_weeks": cutoff,
        "outbox_waiting": outbox.get("proposed", 0) + outbox.get("failed", 0),
        "events": upcoming[:SHOWN], "events_total": len(upcoming)}


def _named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = views().directory.names({r["requested_by"] for r in rows})
    return [{**r, "kind_label": FollowUpKind(r["kind"]).label,
             "requester": names.get(r["requested_by"], "A former member")} for r in rows]


def _could_answer(v: Any) -> list[dict[str, Any]]:
    """Unanswered questions from other teams in the member's key areas or expertise."""
    rows = questions_i_could_answer(v, current_user.id, limit=SHOWN)
    return [{**r, "areas": [KeyArea(a).label for a in r["key_areas"]]} for r in rows]
