"""The application and its views as seen from a request."""

from __future__ import annotations

from flask import current_app

from community import Community
from projections import Views


def community() -> Community:
    return current_app.extensions["community"]


def views() -> Views:
    return community().views
