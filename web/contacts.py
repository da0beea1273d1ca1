"""Pages for making contact: find counterparts, record a contact, ask for an
introduction, see your contact history; and the organisers' introductions list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from domain.counterparts import DistancePreference
from domain.errors import Invalid
from domain.values import ContactChannel
from projections.counterparts import counterparts_for
from web.auth import organiser_required
from web.paging import _page_number, _pagination
from web.redirects import _on_site
from web.services import community, views

contacts = Blueprint("contacts", __name__)

# Each suggestion is a card with its reasons and a contact form: ten keep a page short
# enough to read on a phone between clinics.
COUNTERPARTS_PER_PAGE = 10
DISTANCES = [("any", "Anywhere"), ("near", "Near me (easier to visit)"),
             ("far", "Far away (peers far away often speak more frankly)")]


def _channels() -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in ContactChannel]


@contacts.get("/counterparts")
@login_required
def counterparts() -> Any:
    distance = request.args.get("distance", "any")
    if distance not in {d for d, _ in DISTANCES}:
        distance = "any"
    found = counterparts_for(views(), current_user.id, DistancePreference(distance))
    # The ranking is made whole (it compares everyone), so a page is a slice of it; a
    # page past the end shows the last one.
    last = max(1, -(-len(found) // COUNTERPARTS_PER_PAGE))
    page = min(_page_number(), last)
    shown = found[(page - 1) * COUNTERPARTS_PER_PAGE:page * COUNTERPARTS_PER_PAGE]
    return render_template("contacts/counterparts.html", found=shown, distance=distance,
                           distances=DISTANCES, channels=_channels(),
                           has_team=bool(current_user.team_id),
                           first_number=(page - 1) * COUNTERPARTS_PER_PAGE + 1,
                           pagination=_pagination(len(found), page, len(shown),
                                                  {"distance": distance if distance != "any"
                                                   else None},
                                                  per_page=COUNTERPARTS_PER_PAGE))


@contacts.post("/contacts")
@login_required
def record_contact() -> Any:
    to_member_id = request.form.get("to_member_id", "")
    back = _back_to(request.form.get("back"))
    try:
        community().make_contact(by=current_user.member_id, to_member_id=to_member_id,
                                 topic=request.form.get("topic", ""),
                                 channel=request.form.get("channel", "email"))
    except Invalid as error:
        _refuse("contact", to_member_id, "Your contact was not recorded", error,
                {"topic": request.form.get("topic", ""),
                 "channel": request.form.get("channel", "")})
        return redirect(back)
    person = views().directory.member(to_member_id) or {"name": "them"}
    flash(f"Recorded: you contacted {person['name']}.", "success")
    return redirect(url_for("contacts.history"))


@contacts.post("/introductions")
@login_required
def ask_for_introduction() -> Any:
    member_id = request.form.get("member_id", "")
    back = _back_to(request.form.get("back"))
    try:
        community().request_introduction(by=current_user.member_id, member_id=member_id,
                                         reason=request.form.get("reason", ""))
    except Invalid as error:
        _refuse("introduction", member_id, "Your request was not sent", error,
                {"reason": request.form.get("reason", "")})
        return redirect(back)
    person = views().directory.member(member_id) or {"name": "them"}
    flash(f"The organisers have your request to be introduced to {person['name']}.", "success")
    return redirect(back)


# The contact forms sit on other blueprints' pages (counterparts, profiles), so a refused
# one goes back there by redirect; its problems and what was typed ride along as flashed
# messages, read once by that page: the error summary (base.html) and the form itself.
REFUSED_FORM = "refused-form"


def _refuse(form: str, about: str, lead: str, error: Invalid, typed: dict[str, str]) -> None:
    """Each problem, in words, for the error summary on the page we go back to, linked to
    its field there; and the form's state, for the form to show again."""
    beside: dict[str, str] = {}
    for field, message in error.fields.items():
        words = f"{_field_name(field)} {message}"
        # Only boxes a person fills are linked (the person asked about is a hidden field).
        href = f"#{field}-{about}" if field in {"topic", "channel", "reason"} else ""
        flash({"href": href, "text": f"{lead}: {words}."}, "error")
        beside[field] = words[0].upper() + words[1:]
    # The session cookie carries it: no more than the boxes' own limits (a forged post
    # could send more).
    kept = {name: value[:2000] for name, value in typed.items()}
    flash({"form": form, "about": about, "values": kept, "errors": beside}, REFUSED_FORM)


@contacts.app_context_processor
def _refused_forms() -> dict[str, Any]:
    return {"refused_contact_form": refused_form}


def refused_form(form: str, about: object) -> dict[str, Any] | None:
    """The refused ``form`` about this person (or request) sent back to this page, if any."""
    for state in get_flashed_messages(category_filter=[REFUSED_FORM]):
        if state.get("form") == form and state.get("about") == str(about):
            return state
    return None


def _field_name(field: str) -> str:
    return {"topic": "what you talked about", "reason": "why you would like to meet",
            "to_member_id": "the person", "member_id": "the person",
            "channel": "how you were in touch"}.get(field, field)


def _back_to(target: str | None) -> str:
    """Only back to one of our own pages."""
    return target if target and _on_site(target) else url_for("contacts.counterparts")


@contacts.get("/contacts")
@login_required
def history() -> Any:
    rows = views().network.contacts_of(current_user.id)
    names = views().directory.names({r["from_member_id"] for r in rows}
                                    | {r["to_member_id"] for r in rows})
    shown = []
    for row in rows:
        made = row["from_member_id"] == current_user.id
        other = row["to_member_id"] if made else row["from_member_id"]
        shown.append({**row, "made": made, "other_id": other,
                      "other_name": names.get(other, "a former member"),
                      "channel_label": ContactChannel(row["channel"]).label})
    return render_template("contacts/history.html", contacts=shown)


@contacts.get("/organise/introductions")
@organiser_required
def introductions() -> Any:
    rows = views().follow_ups.open_introductions()
    names = views().directory.names({r["requested_by"] for r in rows}
                                    | {r["about_member_id"] for r in rows})
    return render_template("contacts/introductions.html", requests=rows, names=names)


@contacts.post("/organise/introductions/<follow_up_id>")
@organiser_required
def introduce(follow_up_id: str) -> Any:
    try:
        community().complete_introduction(follow_up_id, by=current_user.member_id,
                                          topic=request.form.get("topic", ""))
    except Invalid as error:
        _refuse("introduce", follow_up_id, "Not recorded", error,
                {"topic": request.form.get("topic", "")})
        return redirect(url_for("contacts.introductions"))
    flash("Introduction recorded as a facilitated contact, and the request closed.", "success")
    return redirect(url_for("contacts.introductions"))
