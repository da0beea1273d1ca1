"""The organisers' audit trail (in the Organise hub): who did what, and when, newest
first, read from the event log by ``community.audit``; filter by the kind of record,
page back with "Older".

It shows the kind of change, the member who made it and a link to the record, never
the change's content: the record's own page decides what its reader may see.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for

from community.audit import Entry, Record, trail
from web.auth import organiser_required
from web.services import community, views

audit_trail = Blueprint("audit", __name__)

PER_PAGE = 50

# Where each kind of record can be opened, when it has a page of its own.
PAGES = {Record.MEMBER: ("profiles.member", "member_id"), Record.TEAM: ("directory.team", "team_id"),
         Record.QIP: ("qips.qip", "qip_id"), Record.EVENT: ("workshops.workshop", "workshop_id"),
         Record.VISIT: ("visits.one", "visit_id"), Record.FOLLOW_UP: ("follow_ups.one", "follow_up_id"),
         Record.QUESTION: ("questions.thread", "question_id")}


def _link(entry: Entry) -> str | None:
    if entry.record in PAGES:
        endpoint, name = PAGES[entry.record]
        values: dict[str, Any] = {name: str(entry.record_id)}
        return url_for(endpoint, **values)
    return None


def _before() -> int | None:
    value = request.args.get("before", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        abort(400, "before: must be a positive whole number (a position in the log)")
    return int(value)


def _kind() -> Record | None:
    value = request.args.get("kind", "").strip()
    if not value:
        return None
    try:
        return Record(value)
    except ValueError:
        abort(400, f"kind: must be one of {', '.join(r.value for r in Record)}")


@audit_trail.get("/organise/audit")
@organiser_required
def trail_page() -> Any:
    kind, before = _kind(), _before()
    page = trail(community(), before=before, record=kind, limit=PER_PAGE)
    people = {str(e.by) for e in page.entries if e.by}
    names = views().directory.names(people)
    rows: list[dict[str, Any]] = [
        {"entry": e, "link": _link(e),
         "who": names.get(str(e.by)) if e.by else None,
         "who_link": url_for("profiles.member", member_id=str(e.by))
         if e.by and str(e.by) in names else None}
        for e in page.entries]
    older = (url_for("audit.trail_page", before=page.older, kind=kind.value if kind else None)
             if page.older else None)
    newest = url_for("audit.trail_page", kind=kind.value if kind else None) if before else None
    return render_template("organise/audit.html", rows=rows, kind=kind, kinds=list(Record),
                           older=older, newest=newest, searched_to=page.searched_to,
                           before=before)
