"""Cross-site request forgery on the API (issue 13).

The API authenticates by the session cookie, which a browser also sends with a form
another site posts here. A JSON body cannot be sent cross-site without our CORS
consent, but a bodiless or multipart request can. So every state-changing request made
with the session cookie must either have a JSON content type or carry the
``X-Requested-With`` header (any value; also a header no other site can add), and any
request whose ``Origin`` (or ``Sec-Fetch-Site``) says it came from another site is
refused. The OpenAPI description and the README say so.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import request
from flask_login import current_user

from web.api import api
from web.errors import error_response

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HEADER = "X-Requested-With"


def _from_another_site() -> bool:
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin:
        return False
    # The host only: behind a TLS proxy the app may see http while the browser says https.
    return origin == "null" or urlsplit(origin).netloc.lower() != request.host.lower()


@api.before_request
def refuse_cross_site_requests() -> Any:
    if request.method in SAFE_METHODS or not current_user.is_authenticated:
        return None  # changes nothing, or is not made with a member's cookie
    if _from_another_site():
        return error_response(403, "requests from other sites are refused")
    if not request.is_json and not request.headers.get(HEADER):
        return error_response(403, f"send a JSON body or the {HEADER} header with a request "
                                   "that changes something (a guard against requests forged "
                                   "by other sites)")
    return None
