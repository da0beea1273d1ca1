"""The network directory: teams, members, and counterparts in other teams."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from domain.counterparts import DistancePreference
from domain.values import Role
from web import directory_kept
from web.api import api, present
from web.api.requests import choice_arg, page_args, paged, text_arg
from web.errors import error_response
from web.services import views


@api.get("/teams")
def list_teams() -> Any:
    return jsonify(teams=[present.team(t) for t in views().directory.teams()])


@api.get("/teams/<id:team_id>")
def show_team(team_id: str) -> Any:
    found = views().directory.team(team_id)
    if found is None:
        return error_response(404, "no such team")
    return jsonify(team=present.team(found))


@api.get("/members")
def list_members() -> Any:
    limit, offset = page_args()
    role = choice_arg("role", Role, "role")
    rows, total = directory_kept.members(role=role, team_id=text_arg("team"),
                                         region=text_arg("region"), q=text_arg("q"),
                                         limit=limit, offset=offset)
    return jsonify(paged("members", [present.member(r, current_user) for r in rows],
                         total, limit, offset))


@api.get("/members/<id:member_id>")
def show_member(member_id: str) -> Any:
    row = directory_kept.member(member_id)
    if row is None:
        return error_response(404, "no such member")
    return jsonify(member=present.member(row, current_user))


@api.get("/members/<id:member_id>/counterparts")
def counterparts(member_id: str) -> Any:
    if directory_kept.member(member_id) is None:
        return error_response(404, "no such member")
    preference = DistancePreference(choice_arg("distance", DistancePreference, "distance")
                                    or "any")
    found = directory_kept.counterparts(member_id, preference)
    return jsonify(counterparts=[{"member": present.member(row, current_user),
                                  "reasons": list(s.reasons), "score": s.score,
                                  "distance_km": round(s.distance_km, 1)}
                                 for row, s in found])
