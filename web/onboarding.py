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
from werkzeug.exceptions import RequestEntityTooLarge

from community.importing import FILENAMES, Result
from community.invitations import DAYS, InvitationError, Invitations
from community.passwords import MIN_LENGTH
from domain.errors import Conflict, NotFound
from domain.ids import member_id_for
from web.auth import User, organiser_required
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
    return Invitations(current_app.secret_key or "",
                       days=current_app.config.get("INVITATION_DAYS", DAYS))


def invitation_links(result: Result) -> list[dict[str, Any]]:
    """Each new member's invitation: who, and the link to send them."""
    made = invitations().invite_all(community(), result.new_member_ids)
    return [{"member_id": str(i.member_id), "email": i.email, "name": i.name,
             "link": url_for("onboarding.invitation", token=i.token, _external=True)}
            for i in made]


# --- importing ------------------------------------------------------------------------


def _import_page(status: int = 200, **context: Any) -> Any:
    context.setdefault("kind", None)
    context.setdefault("errors", {})
    context.setdefault("result", None)
    context.setdefault("carried", None)
    context.setdefault("email", "")
    return render_template("onboarding/import.html", kinds=KINDS, days=invitations().days,
                           limit_mb=(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
                           // (1024 * 1024), **context), status


@onboarding.get("/organise/import")
@organiser_required
def import_form() -> Any:
    return _import_page(kind=request.args.get("kind") if request.args.get("kind") in KINDS
                        else None)


@onboarding.post("/organise/import")
@organiser_required
def import_upload() -> Any:
    kind = request.form.get("kind")
    dry_run = request.form.get("action") != "import"
    upload = request.files.get("file")
    errors = {}
    if kind not in KINDS:
        errors["kind"] = "Choose what the file holds: teams or members"
        kind = None
    data: bytes | str | None = None
    filename = FILENAMES.get(kind or "", "the file")
    if upload is not None and upload.filename:
        data = upload.read()
        filename = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    elif request.form.get("carried") is not None:
        # The text of a file checked a moment ago, sent back by its "Import" button.
        data = request.form["carried"]
        filename = request.form.get("filename") or filename
    else:
        errors["file"] = "Choose a CSV file to upload"
    if errors:
        return _import_page(400, kind=kind, errors=errors)
    assert kind is not None and data is not None
    result = community().import_file(kind, data, dry_run=dry_run, by=current_user.member_id,
                         filename=filename)
    if not result.ok:
        return _import_page(400, kind=kind, result=result, filename=filename)
    carried = None
    if result.dry_run and result.new:
        text = data if isinstance(data, str) else data.decode("utf-8-sig")
        carried = text if len(text.encode()) <= CARRY_LIMIT else None
    links = invitation_links(result) if result.written else []
    return _import_page(kind=kind, result=result, filename=filename, carried=carried,
                        invitations=links)


@onboarding.post("/organise/invitations")
@organiser_required
def new_invitation() -> Any:
    """A new link for a member who has not set a password (theirs expired, or was lost)."""
    email = request.form.get("email", "").strip()
    errors = {}
    if not email:
        errors["email"] = "Enter the member's e-mail address"
    else:
        try:
            made = invitations().invite(community().member(member_id_for(email)))
        except NotFound:
            errors["email"] = f"No member has the e-mail address {email}"
        except Conflict as error:
            errors["email"] = f"{error.message}: they can log in with it"
    if errors:
        return _import_page(400, errors=errors, email=email)
    return _import_page(email="", invitations=[{
        "member_id": str(made.member_id), "email": made.email, "name": made.name,
        "link": url_for("onboarding.invitation", token=made.token, _external=True)}])


@onboarding.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> Any:
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    if request.endpoint == "onboarding.import_upload":
        return _import_page(413, errors={
            "file": f"The file is larger than {limit} MB: split it into smaller files and "
                    f"import them one after another"})
    return render_template("error.html", status=413, message=error.description,
                           fields={}), 413


# --- accepting an invitation -----------------------------------------------------------


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
    if request.method == "GET":
        return render_template("onboarding/invitation.html", member=member, errors={},
                               min_length=MIN_LENGTH, days=links.days)
    password = request.form.get("password", "")
    confirm = request.form.get("confirm_password", "")
    errors = {}
    if not password:
        errors["password"] = "Enter a password"
    elif len(password) < MIN_LENGTH:
        errors["password"] = f"Your password must be at least {MIN_LENGTH} characters"
    if not errors and password != confirm:
        errors["confirm_password"] = "The passwords do not match: type the same password twice"
    if errors:
        return render_template("onboarding/invitation.html", member=member, errors=errors,
                               min_length=MIN_LENGTH, days=links.days), 400
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
