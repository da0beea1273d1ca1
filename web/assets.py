"""The NHS.UK design system: its compiled CSS, JavaScript and images, and its Jinja macros.

The compiled files come from the npm package ``nhsuk-frontend``, pinned in
``package-lock.json`` and installed into ``node_modules/`` by ``make`` (``npm ci``);
they are never committed. This blueprint serves them:

- ``/nhsuk-frontend/<version>/nhsuk-frontend.min.css`` and ``.min.js`` (an ES module
  exporting ``initAll``): the version is in the path, so they are cached for a year;
- ``/assets/...``: the images and manifest, where the CSS expects them.

The macros come from the PyPI package ``nhsuk-frontend-jinja``; templates import
them as ``{% from "nhsuk/components/button/macro.jinja" import button %}``.

Without ``node_modules`` the pages still work as plain HTML: the app logs one
warning and the templates leave the stylesheet and script out.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nhsuk_frontend_jinja
from flask import Blueprint, Flask, abort, current_app, send_from_directory, url_for
from jinja2 import ChainableUndefined

from config import PROJECT_ROOT

log = logging.getLogger(__name__)

PACKAGE_DIR = PROJECT_ROOT / "node_modules" / "nhsuk-frontend"
# The files the pages link to, by the name they have in dist/nhsuk/.
STYLESHEET = "nhsuk-frontend.min.css"
SCRIPT = "nhsuk-frontend.min.js"
SERVED = {STYLESHEET, SCRIPT, f"{STYLESHEET}.map", f"{SCRIPT}.map"}
YEAR = 365 * 24 * 3600
# /assets/ URLs are fixed by the CSS, so they carry no version: cache them for a week.
WEEK = 7 * 24 * 3600
# Templates are autoescaped by these endings; Flask's default leaves out the macros' .jinja.
ESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg", ".jinja")

nhsuk = Blueprint(
    "nhsuk", __name__,
    # The macros' folder, searched after the app's own templates.
    template_folder=str(Path(nhsuk_frontend_jinja.__file__).parent / "templates"))


@dataclass(frozen=True)
class Frontend:
    """Where the installed nhsuk-frontend package is, and its version (None when missing)."""

    dist: Path
    version: str | None

    @property
    def available(self) -> bool:
        return self.version is not None


def find_frontend(package_dir: Path) -> Frontend:
    dist = package_dir / "dist" / "nhsuk"
    try:
        version = json.loads((package_dir / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        version = None
    if version is not None and not all((dist / name).is_file() for name in (STYLESHEET, SCRIPT)):
        version = None
    return Frontend(dist=dist, version=version)


_warned: set[Path] = set()


def _warn_once(app: Flask, frontend: Frontend) -> None:
    if frontend.dist in _warned:
        return
    _warned.add(frontend.dist)
    app.logger.warning(
        "NHS.UK frontend files not found in %s: pages will be plain HTML without the "
        "NHS.UK styles. Run `make` (or `npm ci`) in %s to install them.",
        frontend.dist, PROJECT_ROOT)


def _frontend() -> Frontend:
    return current_app.extensions["nhsuk_frontend"]


@nhsuk.get("/nhsuk-frontend/<version>/<filename>")
def frontend_file(version: str, filename: str) -> Any:
    frontend = _frontend()
    if not frontend.available or version != frontend.version or filename not in SERVED:
        abort(404)
    response = send_from_directory(frontend.dist, filename, max_age=YEAR)
    # The version is in the URL: these bytes never change.
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@nhsuk.get("/assets/<path:filename>")
def asset(filename: str) -> Any:
    frontend = _frontend()
    if not frontend.available:
        abort(404)
    # send_from_directory refuses paths that leave the folder ("..", absolute paths).
    return send_from_directory(frontend.dist / "assets", filename, max_age=WEEK)


def _template_values() -> dict[str, Any]:
    frontend = _frontend()
    if not frontend.available:
        return {"nhsuk_frontend": None}
    return {"nhsuk_frontend": {
        "css": url_for("nhsuk.frontend_file", version=frontend.version, filename=STYLESHEET),
        "js": url_for("nhsuk.frontend_file", version=frontend.version, filename=SCRIPT),
        "assets": url_for("nhsuk.asset", filename="").rstrip("/"),
    }}


def _autoescape(name: str | None) -> bool:
    return name is None or name.endswith(ESCAPED)


def init_app(app: Flask, package_dir: Path | None = None) -> None:
    """Serve the compiled files and let templates use the NHS.UK macros.

    ``package_dir`` (or the app's ``NHSUK_FRONTEND_DIR`` setting) overrides where
    the npm package is, for tests.
    """
    frontend = find_frontend(Path(package_dir or app.config.get("NHSUK_FRONTEND_DIR")
                                  or PACKAGE_DIR))
    if not frontend.available:
        _warn_once(app, frontend)
    app.extensions["nhsuk_frontend"] = frontend
    # The macros read optional parameters as params.label.text whether or not label
    # was given (ChainableUndefined), and their .jinja files must be escaped like ours.
    # Flask-WTF may have built the environment already (for its csrf_token global):
    # set both the options and the environment, before any template is loaded.
    options = {"undefined": ChainableUndefined, "autoescape": _autoescape}
    app.jinja_options = {**app.jinja_options, **options}
    for name, value in options.items():
        setattr(app.jinja_env, name, value)
    app.register_blueprint(nhsuk)
    app.context_processor(_template_values)
