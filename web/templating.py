"""The Jinja environment the app renders with: Flask's, with cheaper template globals
and compiled templates kept on disk.

Jinja keeps each template's globals as a ``ChainMap`` over the environment's, and at
every ``{% from ... import %}`` it computes ``context.globals_keys -
template.globals.keys()``. A ChainMap's ``keys()`` is a ``KeysView``, and that set
difference goes through the ``collections.abc`` fallbacks one key at a time: about
30 µs per import with our 26 globals, and a QIP page imports macros some thirty
times. ``keys()`` here is a plain set of the same names, built in C, so the
difference costs about a microsecond. The mapping is otherwise the ChainMap Jinja
makes: a template's own globals over the environment's, which stay live.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment as FlaskEnvironment
from jinja2 import FileSystemBytecodeCache


class TemplateGlobals(ChainMap[str, Any]):
    def keys(self) -> set[str]:  # type: ignore[override]
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    def __init__(self, app: Any, **options: Any) -> None:
        # Compiling a template is ~10 ms, and every web process compiled each one
        # at its first use: a QIP page's 41 took its first reader 0.3 s, and
        # held up the process's other requests meanwhile (issue 14). Jinja's
        # bytecode cache keeps them compiled in the user's temporary folder
        # (made private, and checked to be theirs), each under its source's
        # checksum, so an edited template is compiled afresh.
        options.setdefault("bytecode_cache", FileSystemBytecodeCache())
        super().__init__(app, **options)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals({} if d is None else d, self.globals)
