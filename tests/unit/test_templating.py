"""The app's Jinja environment (web/templating.py): template globals whose keys are a
plain set, so importing a macro is cheap, and which still behave as Jinja's own."""

from __future__ import annotations

from flask import Flask
from jinja2 import DictLoader

from config import Settings
from web import create_app
from web.templating import Environment, TemplateGlobals

MACROS = "{% macro hello(name) %}Hello {{ name }}{{ mark }}{% endmacro %}"
PAGE = '{% from "macros.html" import hello %}{{ hello(who) }} from {{ site }}'


def environment() -> Environment:
    return Environment(Flask(__name__), loader=DictLoader({"macros.html": MACROS,
                                                           "page.html": PAGE}))


def test_a_template_imports_macros_and_sees_the_globals() -> None:
    env = environment()
    env.globals.update(site="Clinical Community", mark="!")
    assert env.get_template("page.html").render(who="Ann") == "Hello Ann! from Clinical Community"


def test_a_global_added_after_a_template_was_loaded_still_reaches_it() -> None:
    env = environment()
    page = env.get_template("page.html")
    env.globals.update(site="the network", mark=".")
    assert isinstance(page.globals, TemplateGlobals)
    assert page.render(who="Raj") == "Hello Raj. from the network"


def test_the_keys_are_the_templates_own_and_the_environments_once_each() -> None:
    shared = {"site": "x", "mark": "y"}
    own = {"site": "z", "title": "t"}
    globals_ = TemplateGlobals(own, shared)
    assert globals_.keys() == {"site", "mark", "title"}
    assert dict(globals_) == {"site": "z", "mark": "y", "title": "t"}


def test_the_app_renders_with_this_environment() -> None:
    app = create_app(Settings(database_url="sqlite://", testing=True))
    try:
        assert isinstance(app.jinja_env, Environment)
    finally:
        app.extensions["community"].close()
