"""JSON API v1: the contract other tools and the tests rely on. Extend, never break."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from werkzeug.routing import BaseConverter

from web.errors import error_response

api = Blueprint("api", __name__, url_prefix="/api/v1")


class IdConverter(BaseConverter):
    """``<id:name>``: an id in a path is a UUID (given in any case), so anything
    else is a 404 before it reaches a query."""

    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def to_python(self, value: str) -> str:
        return value.lower()


@api.record_once
def register_id_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters["id"] = IdConverter

# Routes anyone may call; everything else needs a logged-in member.
OPEN_ENDPOINTS = {"api.openapi", "api.log_in", "api.log_out"}


@api.before_request
def require_login() -> Any:
    if request.endpoint not in OPEN_ENDPOINTS and not current_user.is_authenticated:
        return error_response(401, "log in first: POST /api/v1/session")
    return None


# Importing the route modules registers their routes on the blueprint. A new
# module adds itself here (one name) and describes its routes with
# ``openapi.document(...)`` beside them.
from web.api import (  # noqa: E402,F401,I001
    activity,
    directory,
    follow_ups,
    imports,
    introductions,
    network,
    network_health,
    openapi,
    outbox,
    pairing,
    profiles,
    qips,
    questions,
    question_reports,
    search,
    self_assessment,
    session,
    workshops,
    notifications,  # last, as before: routes register in import order
)
from web.api import cross_site  # noqa: E402,F401  # after require_login: 401 comes first
from web.api import idempotency  # noqa: E402,F401  # after the cross-site guard

