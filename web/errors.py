"""Every failure answers in the asker's language: JSON for the API, a page for people.

API errors are ``{"error": {"code", "message", "fields"}}`` (the v1 contract).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from domain.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound

STATUS = {Invalid: 400, NotAllowed: 403, NotFound: 404, Conflict: 409}
CODES = {400: "invalid", 401: "not_logged_in", 403: "not_allowed", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         415: "unsupported_media_type", 422: "idempotency_key_reused",
         429: "too_many_requests", 500: "server_error"}


def error_response(status: int, message: str, fields: dict[str, str] | None = None) -> Any:
    body = {"error": {"code": CODES.get(status, "error"), "message": message,
                      "fields": fields or {}}}
    return jsonify(body), status


def wants_json() -> bool:
    return request.path.startswith("/api/")


def status_of(error: DomainError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        status = status_of(error)
        fields = error.fields if isinstance(error, Invalid) else {}
        if wants_json():
            return error_response(status, error.message, fields)
        return render_template("error.html", status=status, message=error.message,
                               fields=fields), status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        message = error.description or error.name
        # Keep the exception's own headers (a 405's Allow, a 401's WWW-Authenticate):
        # only the body changes language.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if wants_json():
            body, status = error_response(status, message)
            return body, status, headers
        return (render_template("error.html", status=status, message=message, fields={}),
                status, headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        message = "Something went wrong on our side. Please try again."
        if wants_json():
            return error_response(500, message)
        return render_template("error.html", status=500, message=message, fields={}), 500
