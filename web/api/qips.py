"""The shared-QIP library: drafting, revising, sharing, and recording progress."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from domain.errors import NotFound
from domain.values import KeyArea, QipStatus
from web.api import api, present
from web.api.openapi import request_schema
from web.api.requests import choice_arg, json_body, page_args, paged, text_arg
from web.errors import error_response
from web.services import community, views


def _visible_qip(qip_id: str) -> dict[str, Any] | None:
    return views().library.qip(qip_id, viewer_team_id=current_user.team_id)


@api.get("/qips")
def list_qips() -> Any:
    limit, offset = page_args()
    key_area = choice_arg("key_area", KeyArea, "key area")
    status = choice_arg("status", QipStatus, "status")
    rows, total = views().library.qips(viewer_team_id=current_user.team_id, key_area=key_area,
                                       team_id=text_arg("team"), status=status,
                                       q=text_arg("q"), limit=limit, offset=offset)
    return jsonify(paged("qips", [present.qip(r) for r in rows], total, limit, offset))


@api.post("/qips")
def draft_qip() -> Any:
    body = json_body(request_schema("/qips", "post"))
    qip_id = community().draft_qip(by=current_user.member_id, **body)
    return jsonify(qip=present.qip(_visible_qip(str(qip_id)))), 201


@api.get("/qips/<id:qip_id>")
def show_qip(qip_id: str) -> Any:
    found = _visible_qip(qip_id)
    if found is None:
        return error_response(404, "no such QIP")
    return jsonify(qip=present.qip(found))


@api.patch("/qips/<id:qip_id>")
def revise_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}", "patch"))
    _must_see(qip_id)
    community().revise_qip(qip_id, by=current_user.member_id, **body)
    return jsonify(qip=present.qip(_visible_qip(qip_id)))


@api.post("/qips/<id:qip_id>/share")
def share_qip(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/share", "post"))
    _must_see(qip_id)
    community().share_qip(qip_id, by=current_user.member_id, version=body["version"])
    return jsonify(qip=present.qip(_visible_qip(qip_id)))


@api.post("/qips/<id:qip_id>/progress")
def record_progress(qip_id: str) -> Any:
    body = json_body(request_schema("/qips/{qip_id}/progress", "post"))
    _must_see(qip_id)
    community().record_progress(qip_id, by=current_user.member_id, measure=body["measure"],
                                value=body["value"], recorded_on=body["date"])
    progress = {"measure": body["measure"], "date": body["date"], "value": float(body["value"])}
    return jsonify(progress=progress, qip=present.qip(_visible_qip(qip_id))), 201


def _must_see(qip_id: str) -> None:
    """A QIP the member cannot see is 'not found' to them, not 'forbidden'."""
    if _visible_qip(qip_id) is None:
        raise NotFound("no such QIP")
