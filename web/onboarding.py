"""Onboarding: organisers import teams and members from CSV files; invited members
set their own password through a one-time link.

- ``/organise/import`` (organisers): upload teams.csv or members.csv, "Check the file"
  (a dry run listing every row's problems) or "Import" (which checks again first and
  writes only when every row is valid); after importing members, each new member's
  invitation link, to copy into an e-mail.
- ``/organise/invitations`` (organisers): a new link for a member who has not set a
  password yet (theirs expired, or was lost).
- ``/invitations/<token>``: the invited member chooses a password and is logged in.
  A used or expired link answers 410 Gone with what to do next.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from community.importing import FILENAMES, Result
from community.invitations import DAYS, InvitationError, Invitations
from community.passwords import MIN_LENGTH
from domain.errors import Conflict, NotFound
from web.auth import User, organiser_required
from web.forms import Form, stripped
from web.services import community, views

onboarding = Blueprint("onboarding", __name__)

KINDS = {"teams": "Teams (teams.csv)", "members": "Members (members.csv)"}
# A checked file is carried to the "Import" button in a hidden field when it fits in
# the form memory Flask allows (MAX_FORM_MEMORY_SIZE, 500 kB); a larger one is chosen again.
CARRY_LIMIT = 400_000


@onboarding.after_request
def keep_links_private(response: Any) -> Any:
    """These pages carry invitation links (one in the address, or a list to copy): no
    cache keeps them, and no other site learns them from the Referer header."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def invitations() -> Invitations:
    return Invitations(current_app.config.get("SECRET_KEY") or "",
                       days=current_app.config.get("INVITATION_DAYS", DAYS))


def invitation_links(result: Result) -> list[dict[str, Any]]:
    """Each new member's invitation: who, and the link to send them."""
    made = invitations().invite_all(community(), result.new_member_ids)
    return [{"member_id": str(i.member_id), "email": i.email, "name": i.name,
             "link": url_for("onboarding.invitation", token=i.token, _external=True)}
            for i in made]


# --- importing ------------------------------------------------------------------------


class ImportForm(Form):
    """Upload a CSV file to check or import; the "Import" button of a file checked a
    moment ago sends its text back instead (``carried``, with its ``filename``)."""

    kind = RadioField("What does the file hold?", choices=[
        SelectChoice(value, text) for value, text in KINDS.items()],
        invalid_choice_message="Choose what the file holds: teams or members")
    file = FileField("CSV file")
    action = HiddenField()  # the button pressed: "check" or "import"
    carried = HiddenField()
    filename = HiddenField()


class InvitationLinkForm(Form):
    email = StringField("The member's e-mail address", [
        DataRequired("Enter the member's e-mail address")], filters=[stripped])


def _import_page(status: int = 200, uploading: ImportForm | None = None,
                 linking: InvitationLinkForm | None = None, **context: Any) -> Any:
    uploading = uploading or ImportForm(formdata=None)
    linking = linking or InvitationLinkForm(formdata=None)
    context.setdefault("result", None)
    context.setdefault("carried", None)
    return render_template("onboarding/import.html", uploading=uploading, linking=linking,
                           kind=uploading.kind.data if uploading.kind.data in KINDS else None,
                           errors={**uploading.problems(), **linking.problems()},
                           days=invitations().days,
                           limit_mb=(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
                           // (1024 * 1024), **context), status


@onboarding.get("/organise/import")
@organiser_required
def import_form() -> Any:
    kind = request.args.get("kind")
    return _import_page(uploading=ImportForm(formdata=None,
                                             data={"kind": kind if kind in KINDS else None}))


@onboarding.post("/organise/import")
@organiser_required
def import_upload() -> Any:
    form = ImportForm()
    form.validate()  # the kind; the file is looked at below
    dry_run = form.action.data != "import"
    upload = form.file.data
    kind = form.kind.data if form.kind.data in KINDS else None
    data: bytes | str | None = None
    filename = FILENAMES.get(kind or "", "the file")
    if upload is not None and upload.filename:
        data = upload.read()
        filename = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    elif form.carried.raw_data:
        # The text of a file checked a moment ago, sent back by its "Import" button.
        data = form.carried.data or ""
        filename = form.filename.data or filename
    else:
        form.file.errors = ["Choose a CSV file to upload"]
    if kind is None or data is None:
        return _import_page(400, form)
    result = community().import_file(kind, data, dry_run=dry_run, by=current_user.member_id,
                         filename=filename)
    if not result.ok:
        return _import_page(400, form, result=result, filename=filename)
    carried = None
    if result.dry_run and result.new:
        text = data if isinstance(data, str) else data.decode("utf-8-sig")
        carried = text if len(text.encode()) <= CARRY_LIMIT else None
    links = invitation_links(result) if result.written else []
    return _import_page(uploading=form, result=result, filename=filename, carried=carried,
                        invitations=links)


@onboarding.post("/organise/invitations")
@organiser_required
def new_invitation() -> Any:
    """A new link for a member who has not set a password (theirs expired, or was lost)."""
    form = InvitationLinkForm()
    if not form.validate_on_submit():
        return _import_page(400, linking=form)
    email = form.email.data or ""
    try:
        made = invitations().invite(community().member_by_email(email))
    except NotFound:
        form.email.errors = [f"No member has the e-mail address {email}"]
        return _import_page(400, linking=form)
    except Conflict as error:
        form.email.errors = [f"{error.message}: they can log in with it"]
        return _import_page(400, linking=form)
    return _import_page(invitations=[{
        "member_id": str(made.member_id), "email": made.email, "name": made.name,
        "link": url_for("onboarding.invitation", token=made.token, _external=True)}])


@onboarding.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> Any:
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    if request.endpoint == "onboarding.import_upload":
        form = ImportForm(formdata=None)
        form.file.errors = [f"The file is larger than {limit} MB: split it into smaller files "
                            f"and import them one after another"]
        return _import_page(413, form)
    return render_template("error.html", status=413, message=error.description,
                           fields={}), 413


# --- accepting an invitation -----------------------------------------------------------


class PasswordForm(Form):
    """The invited member's password, typed twice."""

    password = PasswordField("Password", [
        InputRequired("Enter a password"),
        Length(min=MIN_LENGTH, message=f"Your password must be at least {MIN_LENGTH} characters")])
    confirm_password = PasswordField("Type the same password again")

    def validate_confirm_password(self, field: Any) -> None:
        """Said only once the password itself is right."""
        if not self.password.errors and field.data != self.password.data:
            raise ValidationError("The passwords do not match: type the same password twice")


def _gone(error: InvitationError) -> Any:
    status = 404 if error.reason == "invalid" else 410
    return render_template("onboarding/invitation_gone.html", error=error,
                           days=invitations().days), status


@onboarding.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Any:
    links = invitations()
    try:
        member = links.member_for(community(), token)
    except InvitationError as error:
        return _gone(error)
    form = PasswordForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("onboarding/invitation.html", member=member, form=form,
                               errors=form.problems(), min_length=MIN_LENGTH,
                               days=links.days), 400 if request.method == "POST" else 200
    password = form.password.data or ""
    try:
        links.accept(community(), token, password)
    except InvitationError as error:
        return _gone(error)
    row = views().directory.member(str(member.id))
    if row is not None:
        login_user(User(row))
    flash(f"Welcome, {member.name}. Your password is set: use it with {member.email} "
          f"to log in next time.", "success")
    return redirect(url_for("start.home"))  # their home: what waits for them
