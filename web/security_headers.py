"""Headers on every answer (issue 13).

- A Content-Security-Policy: scripts, styles, images and connections from this site
  only, fonts also from assets.nhs.uk (the NHS.UK Frutiger the stylesheet loads), no
  plugins, no framing (and X-Frame-Options for older browsers). The two small inline
  scripts of base.html carry a nonce made afresh for each answer (``csp_nonce()`` in
  templates); no markup may carry a ``style`` attribute or a ``<style>`` element.
- Referrer-Policy same-origin (addresses such as /qips/<id> are not told to other
  sites) and X-Content-Type-Options nosniff (a downloaded file is never run as a page).
- ``Cache-Control: no-store`` on every answer to a logged-in member, pages and API
  alike, except the static assets, which have their own caching.
- Served over HTTPS (the default: not testing and ``Settings.plain_http`` not set), a
  Strict-Transport-Security header and session and remember cookies marked ``Secure``.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, g, request
from flask_login import current_user

from config import Settings

FONTS = "https://assets.nhs.uk"
HSTS = "max-age=31536000; includeSubDomains"
# Endpoints with caching of their own: the app's static files and the NHS.UK assets.
CACHED_ENDPOINTS = ("static", "nhsuk.")


def csp_nonce() -> str:
    """This answer's nonce for inline scripts, made at its first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"font-src 'self' {FONTS}",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def over_https(settings: Settings) -> bool:
    return not settings.testing and not settings.plain_http


def init_app(app: Flask, settings: Settings) -> None:
    https = over_https(settings)
    if https:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_headers(response: Any) -> Any:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy(csp_nonce()))
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if https:
            headers.setdefault("Strict-Transport-Security", HSTS)
        endpoint = request.endpoint or ""
        if (current_user.is_authenticated
                and not endpoint.startswith(CACHED_ENDPOINTS)):
            headers["Cache-Control"] = "no-store"
        return response
