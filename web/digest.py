"""The digest's one-click unsubscribe link: ``/digest/unsubscribe/<token>``, no login.

The token (community/digest.py, ``UnsubscribeLinks``) is signed with the app's
secret key and names the member, so holding the link is the proof: the POST needs
no CSRF token (a mail client's RFC 8058 one-click POST has none), and another site
cannot forge the request without the link itself. The GET only shows the button, so
a mail scanner that opens links unsubscribes nobody. The page shows nothing about
the member: a forwarded e-mail must not tell its reader whose it was.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from community.digest import UnsubscribeLinkError
from domain.member import DigestFrequency
from web.services import community

digest = Blueprint("digest", __name__)


@digest.after_request
def keep_links_private(response: Any) -> Any:
    """The address carries the token: no cache keeps it, no other site learns it."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _bad_link(error: UnsubscribeLinkError) -> Any:
    return render_template("digest/unsubscribe.html", state="bad", message=error.message), 400


@digest.get("/digest/unsubscribe/<token>")
def unsubscribe_page(token: str) -> Any:
    try:
        chosen = community().digest_choice_for_link(token)
    except UnsubscribeLinkError as error:
        return _bad_link(error)
    state = "already" if chosen is DigestFrequency.NEVER else "ask"
    return render_template("digest/unsubscribe.html", state=state, token=token)


@digest.post("/digest/unsubscribe/<token>")
def unsubscribe(token: str) -> Any:
    try:
        changed = community().unsubscribe_by_link(token)
    except UnsubscribeLinkError as error:
        return _bad_link(error)
    return render_template("digest/unsubscribe.html", state="done" if changed else "already")
