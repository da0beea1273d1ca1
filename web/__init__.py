"""The Flask front end: HTML pages for people, a JSON API for tools.

Turns requests into commands on ``community.Community`` and answers queries
from its views. It is the outermost layer: nothing else imports ``web``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_wtf import CSRFProtect

from community import Community
from config import Settings
from web import assets, auth, errors, health, limits, login_guard, security_headers, template_filters
from web.account import account
from web.api import api
from web.audit import audit_trail
from web.board_report import board_report
from web.change_marks import change_marks
from web.contacts import contacts
from web.digest import digest, unsubscribe
from web.directory import directory
from web.erasure import erasure
from web.follow_ups import follow_ups
from web.jsonify import JSONProvider
from web.measurement import measurement
from web.network_health import network_health
from web.network_map import network_map_page
from web.notifications import notifications
from web.onboarding import onboarding
from web.organise import organise
from web.outbox import outbox
from web.pairing import pairing
from web.profiles import profiles
from web.qips import qips
from web.question_reports import question_reports
from web.questions import questions
from web.search import search
from web.self_assessment import self_assessment
from web.start import start
from web.sustainability import sustainability
from web.templating import Environment
from web.visits import visits
from web.workshops import workshops

csrf = CSRFProtect()


def create_app(settings: Settings | None = None, community: Community | None = None,
               **flask_config: Any) -> Flask:
    """Build the app. Tests pass their own settings (or a ready Community)."""
    settings = settings or Settings.from_environment()
    app = Flask(__name__)
    app.jinja_environment = Environment  # before anything builds app.jinja_env
    app.json = JSONProvider(app)
    app.config.update(
        SECRET_KEY=settings.secret_key or "dev-only-not-secret",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SAMESITE="Lax",
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    app.config.update(flask_config)
    app.extensions["community"] = community or Community(settings)
    csrf.init_app(app)
    # The API takes JSON bodies only (see web.api.requests), which a foreign
    # page cannot send with our cookie: it needs no form token.
    csrf.exempt(api)
    auth.init_app(app)
    limits.init_app(app)  # rate limits on posting and logging in
    login_guard.init_app(app)  # per-account waits after failed logins
    security_headers.init_app(app, settings)  # CSP, HSTS, no-store, Secure cookies
    errors.init_app(app)
    health.init_app(app)  # /healthz, /readyz (views' lag), 503 when views lag a change
    assets.init_app(app)  # NHS.UK styles, scripts and Jinja macros
    template_filters.init_app(app)  # labels, figures and dates in words
    app.register_blueprint(start)          # /: home pages, logging in and out
    app.register_blueprint(directory)      # the network directory and team pages
    app.register_blueprint(sustainability)  # organisers: is the network sustaining itself
    app.register_blueprint(profiles)       # members' profiles
    app.register_blueprint(search)         # /search: people, teams, expertise, QIPs
    app.register_blueprint(contacts)       # counterparts, contacts, introductions
    app.register_blueprint(onboarding)     # importing teams and members, invitations
    app.register_blueprint(organise)       # the organisers' hub of tools
    app.register_blueprint(outbox)         # organisers' outbox: review and send e-mail
    app.register_blueprint(qips)           # QIP library, plans, review, history
    app.register_blueprint(self_assessment)  # scoring a QIP on the Sustainability Model
    app.register_blueprint(measurement)    # QIP measures, progress uploads and documents
    app.register_blueprint(change_marks)   # marking when a change came in on a measure
    app.register_blueprint(pairing)        # organisers: propose and accept peer-review pairs
    app.register_blueprint(follow_ups)     # follow-up requests, inbox, response times
    app.register_blueprint(visits)         # peer-review visits, feedback, draft QIPs from it
    app.register_blueprint(workshops)      # workshops and online conferences (at /events)
    app.register_blueprint(notifications)  # being told: notifications, e-mail choices
    app.register_blueprint(digest)         # the digest's one-click unsubscribe link (no login)
    # Its POST carries no form token: the signed link is the proof (RFC 8058 one-click).
    csrf.exempt(unsubscribe)
    app.register_blueprint(network_health)  # organisers: network-health figures, as of a date
    app.register_blueprint(network_map_page)  # organisers: the live network of teams as a map
    app.register_blueprint(board_report)  # organisers: the one-page printable board report
    app.register_blueprint(questions)      # questions and answers: ask, answer, follow, report
    app.register_blueprint(question_reports)  # organisers: reported posts, hide or dismiss
    app.register_blueprint(audit_trail)        # organisers: who changed what, from the log
    app.register_blueprint(erasure)        # forgetting a member; a member's own data
    app.register_blueprint(account)        # a member's account: password, logins, logging out
    app.register_blueprint(api)
    return app
