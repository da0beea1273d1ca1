"""The event classes each aggregate names for mypy (in an ``if TYPE_CHECKING:`` block,
since ``@event("Name")`` makes them when the class is defined) are the ones it has:
a renamed or removed event cannot linger in the declarations, where only this test
would notice it."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

from eventsourcing.domain import Aggregate, CanMutateAggregate

import domain


def declared(cls: type) -> set[str] | None:
    """The names in the class's ``if TYPE_CHECKING:`` block; None when it has none."""
    tree = ast.parse(Path(inspect.getfile(cls)).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            for statement in node.body:
                if (isinstance(statement, ast.If) and isinstance(statement.test, ast.Name)
                        and statement.test.id == "TYPE_CHECKING"):
                    return {s.target.id for s in statement.body
                            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
    return None


def made_by_event_decorators(cls: type) -> set[str]:
    """The event classes the aggregate has, but for the library's own and those
    written out as classes in its body."""
    source = inspect.getsource(cls)
    return {name for name, value in vars(cls).items()
            if inspect.isclass(value) and issubclass(value, CanMutateAggregate)
            and name not in ("Event", "Created") and f"class {name}(" not in source}


def aggregates() -> list[type]:
    found = []
    for module in pkgutil.iter_modules(domain.__path__):
        loaded = importlib.import_module(f"domain.{module.name}")
        found += [cls for cls in vars(loaded).values()
                  if inspect.isclass(cls) and issubclass(cls, Aggregate)
                  and cls.__module__ == loaded.__name__]
    return found


def test_every_aggregate_that_names_its_events_for_mypy_names_exactly_the_ones_it_has():
    checked = 0
    for cls in aggregates():
        names = declared(cls)
        if names is None:
            continue
        assert names == made_by_event_decorators(cls), cls.__name__
        assert all(issubclass(getattr(cls, name), cls.Event) for name in names)
        checked += 1
    assert checked >= 12  # all thirteen but Qip, until domain/qip.py names its events too
