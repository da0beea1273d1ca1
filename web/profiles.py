"""Members' profile pages: anyone's profile (``/members/<id>``) and editing your own
(``/profile``).

A profile says who the member is and how to reach them: their role, team,
expertise, what they can help with, the days they run clinics (so others know
when not to call), and whether and how they would like to be contacted. Contact
details (e-mail, phone) show only to logged-in members, and only where the
member agreed to be contacted, or to the member themself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from domain.errors import Conflict, Invalid
from domain.member import HELP_WITH_MAX, PHONE_MAX, TAG_MAX, WEEKDAYS
from domain.values import ContactChannel, Role, WorkshopKind
from web import directory_kept
from web.forms import EnumField, EnumMultipleField, Form, VersionField
from web.services import community, views

profiles = Blueprint("profiles", __name__)

# The form's fields in the order the page shows them: the error summary lists
# problems in this order, each linking to its field's id.
FIELDS = ("role", "expertise", "help_with", "clinic_days", "consents_to_contact",
          "contact_channels", "phone")
# What a person reads when a field is refused, in the NHS.UK style: what to do.
MESSAGES = {
    "role": "Select your role from the list",
    "expertise": f"Each expertise tag must be {TAG_MAX} characters or fewer",
    "help_with": f"What you can help with must be {HELP_WITH_MAX:,} characters or fewer",
    "clinic_days": "Select clinic days from Monday to Friday",
    "consents_to_contact": "Select whether other members may contact you directly",
    "contact_channels": "Select ways to contact you from the list",
    "phone": f"Enter a phone number using only digits, spaces, + and brackets, up to "
             f"{PHONE_MAX} characters",
}
ORGANISER_ROLE = "Only the programme's organisers can have the organiser role"
CONFLICT = "This profile was changed in another window; reload the page to see the " \
           "changes, then make yours again"


def clinic_days_text(days: Iterable[str]) -> str:
    """["tuesday", "thursday"] → "Clinics on Tuesday and Thursday"."""
    names = [d.capitalize() for d in WEEKDAYS if d in set(days)]
    if not names:
        return "No clinic days given"
    if len(names) == 1:
        return f"Clinics on {names[0]}"
    return f"Clinics on {', '.join(names[:-1])} and {names[-1]}"


def channel_labels(channels: Iterable[str]) -> list[str]:
    known = {c.value: c.label for c in ContactChannel}
    return [known[c] for c in channels if c in known]


def contact_shown(row: Mapping[str, Any]) -> bool:
    """E-mail and phone: to the member themself, or with their consent."""
    return bool(current_user.is_authenticated
                and (row["consents_to_contact"] or row["id"] == current_user.id))


# --- a member's profile --------------------------------------------------------------


@profiles.get("/members/<member_id>")
@login_required
def member(member_id: str) -> Any:
    row = directory_kept.member(member_id.lower())
    if row is None:
        abort(404, "There is no member at this address. It may have been mistyped.")
    workshops = views().network.workshops_of([row["id"]])
    for w in workshops:
        w["kind_label"] = _label(WorkshopKind, w["kind"])
    return render_template(
        "profiles/member.html", member=row, is_me=row["id"] == current_user.id,
        contact_shown=contact_shown(row), clinic_days=clinic_days_text(row["clinic_days"]),
        channels=channel_labels(row["contact_channels"]), workshops=workshops)


def _label(kind: Any, value: str) -> str:
    try:
        return kind(value).label
    except ValueError:
        return value


# --- editing your own profile ----------------------------------------------------------


def _yes_or_no(value: object) -> bool | None:
    """The consent radios: "yes" or "no" (or the saved bool); anything else is None."""
    if isinstance(value, bool) or value is None:
        return value
    return {"yes": True, "no": False}.get(str(value))


class ProfileForm(Form):
    """Your own profile, as the page asks for it (see FIELDS for the order)."""

    version = VersionField()
    role = EnumField("Your role", Role)
    expertise = StringField("Your expertise")
    help_with = TextAreaField("What you can help with")
    clinic_days = SelectMultipleField("Which days do you run clinics?", choices=[
        SelectChoice(day, day.capitalize()) for day in WEEKDAYS], validate_choice=False)
    consents_to_contact = RadioField(
        "Can other members contact you directly?", coerce=_yes_or_no, validate_choice=False,
        choices=[SelectChoice("yes", "Yes, show my contact details to members"),
                 SelectChoice("no", "No, only through the organisers")])
    contact_channels = EnumMultipleField("How would you like to be contacted?", ContactChannel)
    phone = StringField("Phone number (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The roles a member may choose: the organiser role only for organisers.
        self.role.choices = [SelectChoice(r.value, r.label) for r in Role
                             if r is not Role.ORGANISER or current_user.is_organiser]


def _render_form(form: ProfileForm, errors: Mapping[str, str], status: int = 200,
                 conflict: bool = False) -> Any:
    return render_template(
        "profiles/edit.html", form=form, errors=errors, conflict=conflict,
        limits={"help_with": HELP_WITH_MAX, "phone": PHONE_MAX}), status


@profiles.get("/profile")
@login_required
def edit() -> Any:
    me = community().member(current_user.id)
    form = ProfileForm(formdata=None, data={
        "version": me.version, "role": me.role, "expertise": ", ".join(me.expertise),
        "help_with": me.help_with, "clinic_days": list(me.clinic_days),
        "consents_to_contact": me.consents_to_contact,
        "contact_channels": list(me.contact_channels), "phone": me.phone})
    return _render_form(form, {})


@profiles.post("/profile")
@login_required
def save() -> Any:
    form = ProfileForm()
    form.validate()
    # What the form could not read (a role or a way of contact not offered) is said
    # the way the page says the domain's refusals.
    problems: dict[str, str] = {name: MESSAGES[name] for name in form.errors
                                if name in MESSAGES}
    consent = form.consents_to_contact.data
    if consent is None:
        problems["consents_to_contact"] = MESSAGES["consents_to_contact"]
    if form.version.data is None:
        problems[""] = "This form is missing what it needs to save; reload the page and " \
                       "try again"
    fields = {"role": form.role.data, "expertise": form.expertise.data or "",
              "help_with": form.help_with.data or "",
              "clinic_days": list(form.clinic_days.data or []),
              "contact_channels": list(form.contact_channels.data or []),
              "phone": form.phone.data or ""}
    me = current_user.member_id
    try:
        if problems:
            # Check the rest on a copy that is never saved, so every problem shows at once.
            community().member(me).update_profile(**fields)
        else:
            community().update_profile(me, by=me, version=form.version.data,
                                       consents_to_contact=consent, **fields)
    except Invalid as invalid:
        problems.update({field: _message(field, message)
                         for field, message in invalid.fields.items()})
    except Conflict:
        return _render_form(form, {"": CONFLICT}, 409, conflict=True)
    if problems:
        ordered = {f: problems[f] for f in ("", *FIELDS) if f in problems}
        ordered.update({f: m for f, m in problems.items() if f not in ordered})
        for field in form:
            field.errors = []
        form.beside({f: m for f, m in ordered.items() if f})
        return _render_form(form, ordered, 400)
    flash("Your profile has been saved.", "success")
    return redirect(url_for("profiles.member", member_id=current_user.id))


def _message(field: str, message: str) -> str:
    if field == "role" and "organiser" in message:
        return ORGANISER_ROLE
    if "NUL" in message:
        return "Remove the hidden characters from this field"
    return MESSAGES.get(field, f"{field.replace('_', ' ').capitalize()} {message}")
