"""What to say after a value is recorded, beside the part of the QIP page the person
was using (the record-value form or a measure) rather than at the top of a long page:
kept in the session across the redirect, read once by the page."""

from __future__ import annotations

from typing import Any

from flask import g, session

FEEDBACK = "progress_feedback"


def tell(qip_id: str, at: str, *, done: str = "", errors: dict[str, str] | None = None,
         typed: dict[str, str] | None = None) -> None:
    """Keep what to say after a redirect (``at``: "form", or a measure's name)."""
    session[FEEDBACK] = {"qip": qip_id, "at": at, "done": done, "errors": errors or {},
                         "typed": typed or {}}


def progress_feedback(qip: dict[str, Any]) -> dict[str, Any]:
    """What to say beside the record-value form or a measure: taken from the session
    once, and kept for the rest of the request (the page title asks too)."""
    if "progress_feedback" not in g:
        found = session.get(FEEDBACK)
        g.progress_feedback = found if found and found.get("qip") == qip["id"] else {}
        if g.progress_feedback:
            session.pop(FEEDBACK, None)
    return g.progress_feedback
