"""The network directory (``/directory``: members, filtered by role, team, region or
a word) and each team's page: its audit results against the standards, its members,
QIPs, peer-review partners and the workshops its members came to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from domain.values import Role
from web.paging import _arg, _choice, _options, _paged, _pagination
from web.services import views
from web.verdicts import verdict

directory = Blueprint("directory", __name__)

TEAM_MEMBERS_SHOWN = 200


@directory.get("/directory")
@login_required
def members() -> Any:
    directory_view = views().directory
    teams = directory_view.teams()
    regions = directory_view.regions()
    filters = {
        "q": _arg("q"),
        "role": _choice("role", Role),
        "team": _arg("team") if _arg("team") in {t["id"] for t in teams} else None,
        "region": _arg("region") if _arg("region") in regions else None,
    }
    rows, total, page = _paged(lambda limit, offset: directory_view.members(
        role=filters["role"], team_id=filters["team"], region=filters["region"],
        q=filters["q"], limit=limit, offset=offset))
    for row in rows:
        row["email_shown"] = row["consents_to_contact"] or row["id"] == current_user.id
    return render_template(
        "directory.html", members=rows, filters=filters, filtered=any(filters.values()),
        pagination=_pagination(total, page, len(rows), filters),
        options={"role": _options(Role), "team": [(t["id"], t["name"]) for t in teams],
                 "region": [(r, r) for r in regions]})




@directory.get("/teams/<team_id>")
@login_required
def team(team_id: str) -> Any:
    found = views().directory.team(team_id)
    if found is None:
        abort(404, "There is no team at this address. It may have been mistyped.")
    indicators = views().directory.indicators()
    latest = found["latest_audit"]
    results = [{**ind, "value": latest.get(ind["key"]),
                "verdict": verdict(latest.get(ind["key"]), ind["national"], ind["standard"])}
               for ind in indicators if ind["key"] in latest]
    years = list(found["audits"])
    history = [{"name": ind["name"], "key": ind["key"],
                "values": [found["audits"][year].get(ind["key"]) for year in years]}
               for ind in indicators
               if any(ind["key"] in found["audits"][year] for year in years)]
    members, member_total = views().directory.members(team_id=team_id,
                                                      limit=TEAM_MEMBERS_SHOWN)
    for row in members:
        row["email_shown"] = row["consents_to_contact"] or row["id"] == current_user.id
    qips, qip_total = views().library.qips(viewer_team_id=current_user.team_id,
                                           team_id=team_id, limit=10)
    partners = views().network.partners_of(team_id)
    partner_names = dict(views().directory.team_options())
    workshops = views().network.workshops_of(views().directory.team_member_ids(team_id))
    return render_template(
        "team.html", team=found, results=results, history=history, years=years,
        members=members, member_total=member_total, qips=qips, qip_total=qip_total,
        partners=[{**p, "partner": partner_names.get(p["partner_team_id"], "a team")}
                  for p in partners],
        workshops=workshops)

