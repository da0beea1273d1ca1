"""Who is asking: Flask-Login sessions, the log-in form, and the checks routes use."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from flask import Flask, abort
from flask_login import LoginManager, UserMixin, current_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired

from web.forms import Form, stripped
from web.services import views

login_manager = LoginManager()
login_manager.login_view = "start.login"
login_manager.login_message = "Log in to see the community."
login_manager.login_message_category = "info"


class User(UserMixin):
    """A logged-in member, as the directory shows them."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.id = row["id"]
        self.name = row["name"]
        self.role = row["role"]
        self.team_id = row["team_id"]
        self.team = row.get("team")
        self.is_organiser = bool(row["is_organiser"])

    @property
    def member_id(self) -> UUID:
        return UUID(self.id)


@login_manager.user_loader
def load_user(member_id: str) -> User | None:
    row = views().directory.member(member_id)
    return User(row) if row else None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)


def organiser_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """For pages: 403 unless the logged-in member is an organiser."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_organiser:
            abort(403, "Only organisers can see this page.")
        return view(*args, **kwargs)

    return checked


class LoginForm(Form):
    """An e-mail address and a password. The password is taken as typed (spaces count)."""

    email = StringField("E-mail address", [DataRequired("Enter your e-mail address")],
                        filters=[stripped])
    password = PasswordField("Password", [InputRequired("Enter your password")])
