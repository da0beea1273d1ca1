"""How things look in the API: one function per kind of thing, ids as strings."""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from typing import Any

from domain.values import ContactChannel, DocumentKind, FollowUpKind, KeyArea, QipStatus, Role


def _label(kind: Any, value: str | None) -> str | None:
    try:
        return kind(value).label if value else None
    except ValueError:
        return value


def contact_details_shown(row: dict[str, Any], viewer: Any) -> bool:
    """Whether the viewer may see a member's e-mail and phone: only a logged-in
    member, and only with the member's consent, unless it is the member themself.
    Organisers too: without consent they introduce people through a follow-up."""
    if viewer is None or not getattr(viewer, "is_authenticated", True):
        return False
    return bool(row["consents_to_contact"] or viewer.id == row["id"])


def without_hidden_addresses(messages: list[dict[str, Any]], viewer: Any,
                             members: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Outbox messages as the viewer may see them: the address of a member who has not
    agreed to be contacted is left out, as the directory leaves it out (issue 13; the
    mailer still reads it to send). ``members``: the directory's rows by id."""
    shown = []
    for message in messages:
        row = members.get(str(message["to_member_id"]))
        if row is not None and contact_details_shown(row, viewer):
            shown.append(message)
        else:
            shown.append({k: v for k, v in message.items() if k != "to_email"})
    return shown


def member(row: dict[str, Any], viewer: Any) -> dict[str, Any]:
    """A member as another member sees them: contact details only with their consent."""
    shown = {
        "id": row["id"], "name": row["name"], "role": row["role"],
        "role_label": _label(Role, row["role"]), "team_id": row["team_id"],
        "team": row.get("team"), "trust": row.get("trust"), "region": row.get("region"),
        "expertise": row["expertise"], "consents_to_contact": row["consents_to_contact"],
        "is_organiser": row["is_organiser"],
        "help_with": row.get("help_with", ""), "clinic_days": row.get("clinic_days", []),
        "contact_channels": row.get("contact_channels", []), "version": row.get("version"),
    }
    if contact_details_shown(row, viewer):
        shown["email"] = row["email"]
        shown["phone"] = row.get("phone", "")
    return shown


def team(row: dict[str, Any]) -> dict[str, Any]:
    shown = {k: row[k] for k in ("id", "name", "trust", "region", "latitude", "longitude",
                                 "caseload", "member_count", "latest_audit_year")}
    shown["latest_audit"] = row.get("latest_audit", {})
    if "audits" in row:
        shown["audits"] = {str(year): results for year, results in row["audits"].items()}
    return shown


def qip(row: dict[str, Any], plan: Any = None, with_comments: bool = False) -> dict[str, Any]:
    """A QIP from the library's row; given the ``Qip`` itself (one QIP, not a list),
    also the parts of the plan the library does not keep. Review comments are for the
    team and the organisers (``with_comments``)."""
    shown = dict(row)
    shown["key_area_label"] = _label(KeyArea, row["key_area"])
    shown["status_label"] = _label(QipStatus, row["status"])
    shown.pop("drafted_at", None)
    for tags in ("obstacles", "enablers"):  # stored as ",staffing,it,"
        shown[tags] = [t for t in (row.get(tags) or "").split(",") if t]
    shown["measures"] = [{k: v for k, v in m.items() if k != "position"}
                         for m in row.get("measures", [])]
    if "documents" in row:
        shown["documents"] = [qip_document(d, row["id"]) for d in row["documents"]]
    if plan is not None:
        shown.update(member_ids=[str(m) for m in plan.member_ids], changes=plan.changes,
                     obstacle_notes=plan.obstacle_notes, enabler_notes=plan.enabler_notes,
                     lessons=plan.lessons, end_note=plan.end_note,
                     comments=dict(plan.comments) if with_comments else {})
    return shown


def qip_document(row: dict[str, Any], qip_id: str) -> dict[str, Any]:
    shown = {k: row[k] for k in ("id", "title", "kind", "name", "content_type", "size",
                                 "sha256", "attached_on")}
    shown["kind_label"] = _label(DocumentKind, row["kind"])
    shown["url"] = f"/api/v1/qips/{qip_id}/documents/{row['id']}"
    return shown


def _plain(value: Any) -> Any:
    """A plan's parts as JSON: measures as objects, tags as their keys."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, Enum):
        return value.value
    return value


def qip_history(found: Any, names: dict[str, str], with_comments: bool) -> dict[str, Any]:
    """``domain.qip_history.History`` as JSON; who did each thing, by name too."""
    return {
        "entries": [{"version": e.version, "on": e.on, "by": e.by,
                     "by_name": names.get(str(e.by)) if e.by else None, "what": e.what,
                     "changes": [{"field": c.field, "before": _plain(c.before),
                                  "after": _plain(c.after)} for c in e.changes],
                     "comments": dict(e.comments) if with_comments else {}}
                    for e in found.entries],
        "original": _plain(found.original), "original_label": found.original_label,
        "current": _plain(found.current), "drifted": list(found.drifted),
        "against_targets": [{**asdict(a), "target_moved": a.target_moved,
                             "oversold": a.oversold} for a in found.against_targets],
    }


def workshop(held: Any) -> dict[str, Any]:
    """A workshop as recorded (title trimmed, attendees once each), not as asked."""
    return {"id": str(held.id), "kind": held.kind.value, "kind_label": held.kind.label,
            "title": held.title, "held_on": held.held_on,
            "attendee_ids": [str(a) for a in held.attendee_ids]}


def follow_up(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "kind_label": _label(FollowUpKind, row["kind"])}


def contact(row: dict[str, Any], viewer_id: str,
            names: dict[str, str] | None = None) -> dict[str, Any]:
    """A contact as one of its two members sees it: who the other person is, and
    whether they made it or were contacted."""
    shown = {k: (str(v) if k.endswith("_id") or k == "id" else v) for k, v in row.items()}
    shown["channel_label"] = _label(ContactChannel, shown["channel"])
    if viewer_id not in (shown["from_member_id"], shown["to_member_id"]):
        return shown  # an organiser recording an introduction between two others
    outgoing = shown["from_member_id"] == viewer_id
    other = shown["to_member_id"] if outgoing else shown["from_member_id"]
    shown["direction"] = "made" if outgoing else "received"
    if names is not None:
        shown["with_member_id"], shown["with_name"] = other, names.get(other)
    return shown


def recorded_contact(saved: Any, viewer_id: str) -> dict[str, Any]:
    """A Contact aggregate just saved, shown as ``contact`` shows a view row."""
    return contact({
        "id": saved.id, "from_member_id": saved.from_member_id,
        "to_member_id": saved.to_member_id, "topic": saved.topic,
        "channel": saved.channel.value, "facilitated": saved.facilitated,
        "made_on": saved.made_on}, viewer_id)
