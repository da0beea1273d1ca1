"""Where people come in: ``/`` (a member's home page; a visitor is sent to log in),
logging in and logging out."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from web.auth import User
from web.home import home_page
from web.redirects import _on_site
from web.services import community, views

start = Blueprint("start", __name__)


@start.get("/")
def home() -> Any:
    if current_user.is_authenticated:
        return home_page()
    return redirect(url_for("start.login"))


@start.route("/login", methods=["GET", "POST"])
def login() -> Any:
    raw_next = request.args.get("next")
    next_page = raw_next if _on_site(raw_next) else None  # an off-site next is dropped
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_page or url_for("start.home"))
        return render_template("login.html", email="", errors={}, next_page=next_page)
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    errors = {}
    if not email:
        errors["email"] = "Enter your e-mail address"
    if not password:
        errors["password"] = "Enter your password"
    if errors:
        return render_template("login.html", email=email, errors=errors,
                               next_page=next_page), 400
    member = community().authenticate(email, password)
    row = views().directory.member(str(member.id)) if member else None
    if row is None:
        errors["email"] = "That e-mail address and password do not match a member"
        return render_template("login.html", email=email, errors=errors,
                               next_page=next_page), 401
    login_user(User(row))
    flash(f"Welcome, {row['name']}.", "success")
    return redirect(next_page or url_for("start.home"))  # each role's home page


@start.post("/logout")
def logout() -> Any:
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("start.login"))

