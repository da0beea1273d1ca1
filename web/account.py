"""A member's account (issue 13), linked from the header as "Account":

- ``/account``: where the member is logged in, and "log out everywhere";
- ``/account/password``: change the password (the current one first); every other
  login ends, this one goes on;
- ``/account/logins``: the latest logins and failed logins to their account, so a
  stranger's shows;
- ``/account/reset`` and ``/account/reset/<token>``: a forgotten password, by a one-time
  link e-mailed through the outbox (community/accounts.py) after the answer is made,
  so asking for a member's address takes as long as for a stranger's; every login ends.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from community.accounts import RESET_MINUTES, ResetError, ResetLinks, change_password
from community.passwords import MIN_LENGTH
from community.sign_ins import Ended
from domain.errors import Invalid
from web.auth import sign_ins, this_session
from web.forms import Form, stripped
from web.limits import by_address, limiter
from web.services import community

account = Blueprint("account", __name__, url_prefix="/account")
logger = logging.getLogger(__name__)

# Asking for reset links: a few an hour from one address, and for one e-mail address,
# so the form cannot fill someone's inbox (or the outbox).
RESETS = "5 per hour"


def reset_links() -> ResetLinks:
    found = current_app.extensions.get("reset_links")
    if found is None:
        found = current_app.extensions["reset_links"] = ResetLinks(
            current_app.config["SECRET_KEY"])
    return found


def reset_sender() -> ThreadPoolExecutor:
    """One thread per app that writes and sends reset e-mails after the answer is made,
    so asking for a member's address takes as long as asking for a stranger's (the
    outbox write and the mail server would otherwise tell them apart)."""
    found = current_app.extensions.get("reset_sender")
    if found is None:
        found = current_app.extensions["reset_sender"] = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="password-resets")
    return found


def _report_failure(done: Future[Any]) -> None:
    if (error := done.exception()) is not None:
        logger.error("a password reset e-mail could not be written or sent", exc_info=error)


def when(moment: datetime) -> str:
    """'3 December 2026, 15:40 (UTC)'."""
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} (UTC)"


BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
           ("Windows", "Windows"), ("Mac OS X", "Mac"), ("Linux", "Linux"))


def in_words(user_agent: str) -> str:
    """'Chrome on Windows' from a browser's User-Agent; a tool's own name otherwise."""
    found = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    if found and system:
        return f"{found} on {system}"
    if found or system:
        return found or system or ""
    return user_agent.split("/")[0][:40] or "Not known"


def _present_sessions() -> list[dict[str, Any]]:
    return [{"started": when(s.started_at), "address": s.address,
             "browser": in_words(s.browser), "this": s.is_this_one}
            for s in sign_ins().live(current_user.id, this_session())]


@account.get("")
@login_required
def overview() -> Any:
    return render_template("account/overview.html", sessions=_present_sessions())


@account.post("/log-out-everywhere")
@login_required
def everywhere() -> Any:
    sign_ins().end_all(current_user.id, Ended.EVERYWHERE)
    logout_user()
    flash("You have logged out on every device and browser. Log in again to go on.", "info")
    return redirect(url_for("start.login"))


@account.get("/logins")
@login_required
def logins() -> Any:
    rows = [{"at": when(login.at), "outcome": login.outcome.label, "address": login.address,
             "browser": in_words(login.browser), "failed": login.outcome.name != "LOGGED_IN"}
            for login in sign_ins().recent(current_user.id)]
    return render_template("account/logins.html", logins=rows)


# --- changing the password ---------------------------------------------------------------


class NewPassword:
    """A new password typed twice (``new_password``, ``confirm_password``)."""

    new_password: Any  # the form's field, declared by each form

    def validate_confirm_password(self, field: Any) -> None:
        """Said only once the new password itself is right."""
        if not self.new_password.errors and field.data != self.new_password.data:
            raise ValidationError("The passwords do not match: type the same password twice")


class ChangePasswordForm(NewPassword, Form):
    current_password = PasswordField("Current password",
                                     [InputRequired("Enter your current password")])
    new_password = PasswordField("New password", [InputRequired("Enter a new password")])
    confirm_password = PasswordField("Type the new password again")


@account.route("/password", methods=["GET", "POST"])
@login_required
# Someone at a logged-in computer cannot guess the current password at speed.
@limiter.limit("10 per hour", methods=["POST"],
               error_message="Too many tries at changing your password. Try again in an hour.")
def password() -> Any:
    form = ChangePasswordForm()
    if request.method == "GET":
        return _password_page(form)
    if not form.validate_on_submit():
        return _password_page(form, 400)
    try:
        change_password(community(), current_user.member_id,
                        current=form.current_password.data or "",
                        new=form.new_password.data or "")
    except Invalid as error:
        form.refuse(error)
        return _password_page(form, 400)
    ended = sign_ins().end_all(current_user.id, Ended.PASSWORD_CHANGED, keep=this_session())
    elsewhere = (f" You were logged out everywhere else ({ended} other "
                 f"login{'s' if ended != 1 else ''})." if ended else "")
    flash("Your password has been changed." + elsewhere, "success")
    return redirect(url_for("account.overview"))


def _password_page(form: ChangePasswordForm, status: int = 200) -> Any:
    return render_template("account/password.html", form=form, errors=form.problems(),
                           min_length=MIN_LENGTH), status


# --- a forgotten password ----------------------------------------------------------------


class ForgottenForm(Form):
    email = StringField("E-mail address", [DataRequired("Enter your e-mail address")],
                        filters=[stripped])

    def validate_email(self, field: Any) -> None:
        if "@" not in (field.data or "") or len(field.data) > 254:
            raise ValidationError("Enter an e-mail address like name@nhs.net")


def _email_typed() -> str:
    typed = request.form.get("email", "")
    return "reset:" + typed.strip().lower()


@account.route("/reset", methods=["GET", "POST"])
@limiter.limit(RESETS, key_func=by_address, methods=["POST"],
               error_message="Too many reset links asked for from your network. "
                             "Try again in an hour.")
@limiter.limit(RESETS, key_func=_email_typed, methods=["POST"],
               error_message="Too many reset links asked for this address. "
                             "Try again in an hour.")
def forgotten() -> Any:
    form = ForgottenForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("account/forgotten.html", form=form,
                               errors=form.problems() if status == 400 else {}), status
    # The same answer, in the same time, whether or not the address is a member's.
    reset_sender().submit(reset_links().send, community(), form.email.data,
                          request.host_url).add_done_callback(_report_failure)
    return render_template("account/reset_sent.html", email=form.email.data,
                           minutes=RESET_MINUTES)


class ResetForm(NewPassword, Form):
    new_password = PasswordField("New password", [InputRequired("Enter a new password")])
    confirm_password = PasswordField("Type the new password again")


@account.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Any:
    links = reset_links()
    try:
        member = links.member_for(community(), token)
    except ResetError as error:
        return _gone(error)
    form = ResetForm()
    if request.method == "GET":
        return _reset_page(form, member.name)
    if not form.validate_on_submit():
        return _reset_page(form, member.name, 400)
    try:
        links.reset(community(), token, form.new_password.data or "")
    except ResetError as error:
        return _gone(error)
    except Invalid as error:
        form.refuse(error)
        return _reset_page(form, member.name, 400)
    sign_ins().end_all(member.id, Ended.PASSWORD_RESET)
    logout_user()  # whoever was logged in on this browser
    flash("Your password has been reset, and you were logged out everywhere. "
          "Log in with your new password.", "success")
    return redirect(url_for("start.login"))


def _reset_page(form: ResetForm, name: str, status: int = 200) -> Any:
    return render_template("account/reset.html", form=form, errors=form.problems(),
                           name=name, min_length=MIN_LENGTH), status


def _gone(error: ResetError) -> Any:
    status = 404 if error.reason == "invalid" else 410
    return render_template("account/reset_gone.html", error=error), status


@account.after_request
def not_kept(response: Any) -> Any:
    """A reset link's page is in no cache, like every logged-in page."""
    response.headers["Cache-Control"] = "no-store"
    return response
