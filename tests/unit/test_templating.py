"""The app's Jinja environment (web/templating.py): template globals whose keys are a
plain set, so importing a macro is cheap, and which still behave as Jinja's own; and
templates compiled once for every process, until they change."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
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


def test_a_template_compiled_by_one_process_is_not_compiled_again_by_the_next(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Each environment stands for a web process; they share the bytecode cache's folder.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    compiled: list[str] = []
    compile_ = Environment.compile

    def counting(self: Environment, source: Any, name: str | None = None,
                 *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    first = environment()
    assert first.get_template("page.html").render(who="Ann", site="x") == "Hello Ann from x"
    assert sorted(compiled) == ["macros.html", "page.html"]

    second = environment()  # a new process: its own environment, same source
    assert second.get_template("page.html").render(who="Bo", site="y") == "Hello Bo from y"
    assert sorted(compiled) == ["macros.html", "page.html"]  # nothing compiled again


def test_an_edited_template_is_compiled_afresh(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert environment().get_template("page.html").render(who="Ann", site="x") == "Hello Ann from x"
    edited = Environment(Flask(__name__), loader=DictLoader({
        "macros.html": MACROS.replace("Hello", "Welcome"), "page.html": PAGE}))
    assert edited.get_template("page.html").render(who="Ann", site="x") == "Welcome Ann from x"
