"""Who is asking: Flask-Login sessions, the log-in form, and the checks routes use.

A login is a server-side session record (community/sign_ins.py): the session cookie
carries its random key beside the member's id, and a request is logged in only while
that record is live. So logging out, changing the password and "log out everywhere"
end a session for every copy of its cookie (issue 13). Every ``login_user`` (the log-in
page, the API, an accepted invitation) starts a record and every ``logout_user`` ends
it, through Flask-Login's signals, so no route can log someone in without one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from flask import Flask, abort, current_app, request, session
from flask_login import LoginManager, UserMixin, current_user, user_logged_in, user_logged_out
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired

from community.accounts import member_with_email
from community.sign_ins import Ended, Outcome, SignIns
from web import directory_kept
from web.forms import Form, stripped
from web.request_reads import session_is_live
from web.services import community

# The session cookie's entry holding the key of this login's record.
SESSION_KEY = "sign_in"

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
    if not session_is_live(sign_ins(), member_id, session.get(SESSION_KEY)):
        return None  # logged out, ended elsewhere, or a cookie from before records
    # Kept until the directory changes (the session and the views' marks are then the
    # only statement of a kept page: web.request_reads).
    row = directory_kept.member(member_id)
    return User(row) if row else None


def sign_ins() -> SignIns:
    found: SignIns = current_app.extensions["sign_ins"]
    return found


def address() -> str:
    return request.remote_addr or "unknown"


def browser() -> str:
    return request.user_agent.string or ""


def this_session() -> str | None:
    """The key of the logged-in request's session record."""
    key = session.get(SESSION_KEY)
    return key if isinstance(key, str) else None


def _logged_in(_app: Any, user: Any, **_extra: Any) -> None:
    records = sign_ins()
    records.end(session.get(SESSION_KEY), Ended.LOGGED_OUT)  # a login over another
    session[SESSION_KEY] = records.start(user.id, address=address(), browser=browser())
    records.record(Outcome.LOGGED_IN, user.id, address=address(), browser=browser())


def _logged_out(_app: Any, **_extra: Any) -> None:
    sign_ins().end(session.pop(SESSION_KEY, None), Ended.LOGGED_OUT)


def login_refused(email: object, outcome: Outcome) -> None:
    """Note a failed login in the audit, for the member the address is (if any)."""
    member = member_with_email(community(), email)
    sign_ins().record(outcome, member.id if member else None, address=address(),
                      browser=browser())


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    # Its tables are made with the store's (community/application.py).
    app.extensions["sign_ins"] = SignIns(app.extensions["community"].engine)
    # Connected once per process (blinker keeps one receiver per function); the
    # receivers find this app's records through current_app.
    user_logged_in.connect(_logged_in)
    user_logged_out.connect(_logged_out)



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
