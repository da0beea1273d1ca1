"""Pages for making contact: find counterparts, record a contact, ask for an
introduction, see your contact history; and the organisers' introductions list."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import HiddenField, StringField, TextAreaField

from domain.counterparts import DistancePreference
from domain.errors import Invalid
from domain.values import ContactChannel
from web import directory_kept
from web.auth import organiser_required
from web.forms import EnumField, Form, IdField
from web.paging import _page_number, _paged, _paged_list, _pagination
from web.redirects import _on_site
from web.services import community, views

contacts = Blueprint("contacts", __name__)

# Each suggestion is a card with its reasons and a contact form: ten keep a page short
# enough to read on a phone between clinics.
COUNTERPARTS_PER_PAGE = 10
DISTANCES = [("any", "Anywhere"), ("near", "Near me (easier to visit)"),
             ("far", "Far away (peers far away often speak more frankly)")]


@contacts.get("/counterparts")
@login_required
def counterparts() -> Any:
    distance = request.args.get("distance", "any")
    if distance not in {d for d, _ in DISTANCES}:
        distance = "any"
    found = directory_kept.counterparts(current_user.id, DistancePreference(distance))
    # The ranking is made whole (it compares everyone), so a page is a slice of it; a
    # page past the end shows the last one.
    last = max(1, -(-len(found) // COUNTERPARTS_PER_PAGE))
    page = min(_page_number(), last)
    shown = found[(page - 1) * COUNTERPARTS_PER_PAGE:page * COUNTERPARTS_PER_PAGE]
    return render_template("contacts/counterparts.html", found=shown, distance=distance,
                           distances=DISTANCES,
                           has_team=bool(current_user.team_id),
                           first_number=(page - 1) * COUNTERPARTS_PER_PAGE + 1,
                           pagination=_pagination(len(found), page, len(shown),
                                                  {"distance": distance if distance != "any"
                                                   else None},
                                                  per_page=COUNTERPARTS_PER_PAGE))


class SentBackForm(Form):
    """A form shown on another blueprint's page, to which a refusal goes back."""

    refused = False  # shown again after a refusal (the page opens it)


class ContactForm(SentBackForm):
    """"I contacted them": about whom, what about, and how."""

    to_member_id = IdField(missing="no such member")
    back = HiddenField()
    topic = StringField("What did you talk about?")
    channel = EnumField("How were you in touch?", ContactChannel, default=ContactChannel.EMAIL)


class IntroductionForm(SentBackForm):
    """"Ask the organisers to introduce me" (the label names the person)."""

    member_id = IdField(missing="no such member")
    back = HiddenField()
    reason = TextAreaField("Why would you like to meet them?")


class IntroduceForm(SentBackForm):
    """An organiser records the introduction they made."""

    topic = StringField("What did you introduce them about?")


@contacts.post("/contacts")
@login_required
def record_contact() -> Any:
    form = ContactForm()
    back = _back_to(form.back.data)
    to_member_id = form.to_member_id.data
    try:
        if not form.validate_on_submit():
            raise Invalid(_form_problems(form))
        community().make_contact(by=current_user.member_id, to_member_id=to_member_id or "",
                                 topic=form.topic.data or "", channel=form.channel.data)
    except Invalid as error:
        _refuse(form, "contact", to_member_id, "Your contact was not recorded", error)
        return redirect(back)
    person = views().directory.member(str(to_member_id)) or {"name": "them"}
    flash(f"Recorded: you contacted {person['name']}.", "success")
    return redirect(url_for("contacts.history"))


@contacts.post("/introductions")
@login_required
def ask_for_introduction() -> Any:
    form = IntroductionForm()
    back = _back_to(form.back.data)
    member_id = form.member_id.data
    try:
        if not form.validate_on_submit():
            raise Invalid(_form_problems(form))
        community().request_introduction(by=current_user.member_id, member_id=member_id or "",
                                         reason=form.reason.data or "")
    except Invalid as error:
        _refuse(form, "introduction", member_id, "Your request was not sent", error)
        return redirect(back)
    person = views().directory.member(str(member_id)) or {"name": "them"}
    flash(f"The organisers have your request to be introduced to {person['name']}.", "success")
    return redirect(back)


def _form_problems(form: Form) -> dict[str, str]:
    """What the form itself refused (an id that is not one, a channel not offered), as
    the domain would say it, so both kinds of refusal go back the same way."""
    return {name: str(messages[0]) for name, messages in form.errors.items()
            if name in form and messages}


# The contact forms sit on other blueprints' pages (counterparts, profiles), so a refused
# one goes back there by redirect; its problems and what was typed ride along as flashed
# messages, read once by that page: the error summary (base.html) and the form itself.
REFUSED_FORM = "refused-form"
# What each form's boxes are, and so what a refused one keeps (the ids are the page's own).
TYPED = {"contact": ("topic", "channel"), "introduction": ("reason",), "introduce": ("topic",)}


def _refuse(form: Form, kind: str, about: object, lead: str, error: Invalid) -> None:
    """Each problem, in words, for the error summary on the page we go back to, linked to
    its field there; and the form's state, for the form to show again."""
    beside: dict[str, str] = {}
    for field, message in error.fields.items():
        words = f"{_field_name(field)} {message}"
        # Only boxes a person fills are linked (the person asked about is a hidden field).
        href = f"#{field}-{about}" if field in {"topic", "channel", "reason"} else ""
        _flash({"href": href, "text": f"{lead}: {words}."}, "error")
        beside[field] = words[0].upper() + words[1:]
    # The session cookie carries it: no more than the boxes' own limits (a forged post
    # could send more).
    kept = {name: str((form[name].raw_data or [""])[0])[:2000] for name in TYPED[kind]}
    _flash({"form": kind, "about": str(about), "values": kept, "errors": beside}, REFUSED_FORM)


def _flash(message: dict[str, Any], category: str) -> None:
    """Flask flashes any value the session can carry (base.html reads these dicts); its
    annotation says str."""
    flash(message, category)  # type: ignore[arg-type]


@contacts.app_context_processor
def _refused_forms() -> dict[str, Any]:
    return {"contact_form": contact_form, "introduction_form": introduction_form,
            "introduce_form": introduce_form}


def refused_form(form: str, about: object) -> dict[str, Any] | None:
    """The refused ``form`` about this person (or request) sent back to this page, if any."""
    states = cast("list[dict[str, Any]]", get_flashed_messages(category_filter=[REFUSED_FORM]))
    for state in states:
        if state.get("form") == form and state.get("about") == str(about):
            return state
    return None


F = TypeVar("F", bound=SentBackForm)


def _shown(kind: str, about: object, form_class: type[F], **data: Any) -> F:
    """The form as the page shows it: fresh, or as it was refused (what was typed, and
    the message beside each box)."""
    state = refused_form(kind, about)
    form = form_class(formdata=None, data={**data, **(state["values"] if state else {})})
    form.refused = state is not None
    for name, message in (state["errors"] if state else {}).items():
        if name in form:
            form[name].errors = [message]
    return form


def contact_form(person: dict[str, Any], back: str) -> ContactForm:
    """The contact form for one person, their preferred way of contact chosen first."""
    preferred = person.get("contact_channels") or [ContactChannel.EMAIL.value]
    return _shown("contact", person["id"], ContactForm, to_member_id=person["id"],
                  back=back, channel=preferred[0])


def introduction_form(person: dict[str, Any], back: str) -> IntroductionForm:
    return _shown("introduction", person["id"], IntroductionForm, member_id=person["id"],
                  back=back)


def introduce_form(request_id: object) -> IntroduceForm:
    return _shown("introduce", request_id, IntroduceForm)


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
    rows, total, page = _paged(
        lambda **p: views().network.contacts_page(current_user.id, **p))
    names = views().directory.names({r["from_member_id"] for r in rows}
                                    | {r["to_member_id"] for r in rows})
    shown = []
    for row in rows:
        made = row["from_member_id"] == current_user.id
        other = row["to_member_id"] if made else row["from_member_id"]
        shown.append({**row, "made": made, "other_id": other,
                      "other_name": names.get(other, "a former member"),
                      "channel_label": ContactChannel(row["channel"]).label})
    return render_template("contacts/history.html", contacts=shown,
                           pagination=_pagination(total, page, len(shown), {}))


@contacts.get("/organise/introductions")
@organiser_required
def introductions() -> Any:
    # A page at a time (issue 13: no page renders an unbounded list), oldest first as
    # the view gives them, so the longest waiting are answered first.
    rows, pagination = _paged_list(views().follow_ups.open_introductions(), {})
    names = views().directory.names({r["requested_by"] for r in rows}
                                    | {r["about_member_id"] for r in rows})
    return render_template("contacts/introductions.html", requests=rows, names=names,
                           pagination=pagination)


@contacts.post("/organise/introductions/<follow_up_id>")
@organiser_required
def introduce(follow_up_id: str) -> Any:
    form = IntroduceForm()
    try:
        community().complete_introduction(follow_up_id, by=current_user.member_id,
                                          topic=form.topic.data or "")
    except Invalid as error:
        _refuse(form, "introduce", follow_up_id, "Not recorded", error)
        return redirect(url_for("contacts.introductions"))
    flash("Introduction recorded as a facilitated contact, and the request closed.", "success")
    return redirect(url_for("contacts.introductions"))
