"""Logging in and out, and who I am."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user, login_user, logout_user

from community.sign_ins import Outcome
from web.api import api, present
from web.api.openapi import request_schema
from web.api.requests import json_body
from web.auth import User, login_refused
from web.errors import error_response
from web.limits import LOGGING_IN, by_address, limiter
from web.login_guard import failed_logins, in_minutes
from web.services import community, views


@api.post("/session")
@limiter.limit(LOGGING_IN, key_func=by_address,
               error_message="too many log-in attempts from your address; try again in a minute")
def log_in() -> Any:
    body = json_body(request_schema("/session", "post"))
    guard = failed_logins()
    wait = guard.wait_for(body["email"])
    if wait:
        login_refused(body["email"], Outcome.WAITING)
        answer, status = error_response(429, "too many wrong passwords for this account; "
                                             f"try again in {in_minutes(wait)}")
        return answer, status, {"Retry-After": str(wait)}
    member = community().authenticate(body["email"], body["password"])
    row = views().directory.member(str(member.id)) if member else None
    if row is None:
        guard.failed(body["email"])
        login_refused(body["email"], Outcome.WRONG_PASSWORD)
        return error_response(401, "that e-mail and password do not match a member")
    guard.succeeded(body["email"])
    user = User(row)
    login_user(user)
    return jsonify(member=present.member(row, user))


@api.delete("/session")
def log_out() -> Any:
    logout_user()  # ends this login's session record: a copied cookie stops working
    return "", 204


@api.get("/me")
def me() -> Any:
    return jsonify(member=present.member(current_user.row, current_user))
