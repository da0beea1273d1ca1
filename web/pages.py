"""HTML pages for people: log in, the directory, the QIP library, sustainability."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from web.auth import User
from web.services import community, views

pages = Blueprint("pages", __name__)


def _safe_next(target: str | None) -> str:
    """Only paths on this site: a login link must not bounce people elsewhere."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("pages.directory")


@pages.get("/")
def home() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("pages.directory"))
    return redirect(url_for("pages.login"))


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        return render_template("login.html", email="", error=None)
    email = request.form.get("email", "")
    member = community().authenticate(email, request.form.get("password", ""))
    row = views().directory.member(str(member.id)) if member else None
    if row is None:
        return render_template("login.html", email=email,
                               error="That e-mail and password do not match a member."), 401
    login_user(User(row))
    flash(f"Welcome, {row['name']}.", "success")
    return redirect(_safe_next(request.args.get("next")))


@pages.post("/logout")
def logout() -> Any:
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("pages.login"))


@pages.get("/directory")
@login_required
def directory() -> Any:
    return render_template("directory.html")
