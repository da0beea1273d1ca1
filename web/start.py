"""Where people come in: ``/`` (a member's home page; a visitor is sent to log in),
logging in and logging out."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from community.sign_ins import Outcome
from web.auth import LoginForm, User, login_refused
from web.home import home_page
from web.limits import LOGGING_IN, by_address, limiter
from web.login_guard import failed_logins, in_minutes
from web.redirects import _on_site
from web.services import community, views

start = Blueprint("start", __name__)


@start.get("/")
def home() -> Any:
    if current_user.is_authenticated:
        return home_page()
    return redirect(url_for("start.login"))


@start.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGGING_IN, key_func=by_address, methods=["POST"],
               error_message="Too many log-in attempts from your network. Try again in a minute.")
def login() -> Any:
    raw_next = request.args.get("next")
    next_page = raw_next if _on_site(raw_next) else None  # an off-site next is dropped
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_page or url_for("start.home"))
        return _login_page(LoginForm(formdata=None), next_page)
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form, next_page, 400)
    guard = failed_logins()
    wait = guard.wait_for(form.email.data)
    if wait:
        login_refused(form.email.data, Outcome.WAITING)
        form.email.errors = [f"Too many wrong passwords for this account. Try again in "
                             f"{in_minutes(wait)}."]
        page, status = _login_page(form, next_page, 429)
        return page, status, {"Retry-After": str(wait)}
    member = community().authenticate(form.email.data or "", form.password.data or "")
    row = views().directory.member(str(member.id)) if member else None
    if row is None:
        guard.failed(form.email.data)
        login_refused(form.email.data, Outcome.WRONG_PASSWORD)
        form.email.errors = ["That e-mail address and password do not match a member"]
        return _login_page(form, next_page, 401)
    guard.succeeded(form.email.data)
    login_user(User(row))
    flash(f"Welcome, {row['name']}.", "success")
    return redirect(next_page or url_for("start.home"))  # each role's home page


def _login_page(form: LoginForm, next_page: str | None, status: int = 200) -> Any:
    return render_template("login.html", form=form, errors=form.problems(),
                           next_page=next_page), status


@start.post("/logout")
def logout() -> Any:
    logout_user()  # ends this login's session record too (web/auth.py)
    flash("You have logged out.", "info")
    return redirect(url_for("start.login"))

