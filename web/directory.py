"""The network directory (``/directory``: members, filtered by role, team, region or
a word) and each team's page: its audit results against the standards, its members,
QIPs, peer-review partners and the workshops its members came to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from domain.values import Role
from projections.directory import Directory
from projections.network import Network
from projections.questions import Questions
from projections.sustainability import Sustainability
from web import directory_kept, library_kept
from web.kept_pages import Memo, kept_reading
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
    kept_rows, total, page = _paged(lambda limit, offset: directory_kept.members(
        role=filters["role"], team_id=filters["team"], region=filters["region"],
        q=filters["q"], limit=limit, offset=offset))
    # Copies: the rows are kept for every reader, and what this one may see is theirs.
    rows = [{**row, "email_shown": row["consents_to_contact"] or row["id"] == current_user.id}
            for row in kept_rows]
    return render_template(
        "directory.html", members=rows, filters=filters, filtered=any(filters.values()),
        pagination=_pagination(total, page, len(rows), filters),
        options={"role": _options(Role), "team": [(t["id"], t["name"]) for t in teams],
                 "region": [(r, r) for r in regions]})


# Each team's page parts, per kind of reader (a team's own members each see their row).
_TEAM_PAGES = Memo(keep=1024)
# The directory and the network, and the questions about the team (web.questions'
# ``attached``: the questions, and the day they are aged by, from the sustainability
# view's last activity).
TEAM_READS = frozenset({Directory.name, Network.name, Questions.name, Sustainability.name})


@directory.get("/teams/<team_id>")
@login_required
def team(team_id: str) -> Any:
    in_team = current_user.team_id == team_id
    shows_visits = in_team or current_user.is_organiser
    # All but the QIPs is drawn from the views it reads alone (TEAM_READS) and kept
    # until one of them changes (web.kept_pages): drawing it was ~6 ms of CPU a
    # request on the national community. Keyed by what of the reader it shows: inside
    # the team, their own row ("you", their e-mail); the link to the visits, for the
    # team and the organisers.
    parts = kept_reading(_TEAM_PAGES, TEAM_READS,
                         (team_id, current_user.id if in_team else None, shows_visits),
                         lambda: _team_parts(team_id, shows_visits=shows_visits))
    if parts is None:
        abort(404, "There is no team at this address. It may have been mistyped.")
    # The QIPs as this reader may see them (their own team's drafts, the adoptions
    # their team may see), as the library keeps them.
    qips, qip_total = library_kept.qips(team_id=team_id, limit=10)
    return render_template("team.html", team=parts["team"], parts=parts, qips=qips,
                           qip_total=qip_total)


def _team_parts(team_id: str, *, shows_visits: bool) -> dict[str, Any] | None:
    """The team's row and its page's parts before and after its QIPs, drawn."""
    found = views().directory.team(team_id)
    if found is None:
        return None
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
    partners = views().network.partners_of(team_id)
    # Only the partners' names, and the members' ids from the rows above when all are
    # shown: each was a statement of its own on every cold team page (all 156 names).
    partner_names = views().directory.team_names({p["partner_team_id"] for p in partners})
    member_ids = ([row["id"] for row in members] if member_total <= len(members)
                  else views().directory.team_member_ids(team_id))
    workshops = views().network.workshops_of(member_ids)
    about = render_template("team/_about.html", team=found, results=results,
                            history=history, years=years, members=members,
                            member_total=member_total)
    network = render_template(
        "team/_network.html", team=found, shows_visits=shows_visits,
        partners=[{**p, "partner": partner_names.get(p["partner_team_id"], "a team")}
                  for p in partners],
        workshops=workshops)
    return {"team": found, "about": Markup(about), "network": Markup(network)}
