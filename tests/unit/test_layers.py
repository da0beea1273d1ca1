"""The layers depend inward, as docs/architecture.md draws them: ``domain`` knows
nothing outside itself; ``projections`` read the domain's events; ``community`` gives
commands to the domain and keeps the views; only entry points import ``web``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config import PROJECT_ROOT

OURS = {"domain", "projections", "community", "web", "config", "bench", "tests"}
# What each layer may import of ours, besides itself. `config` is settings and data.
ALLOWED = {
    "domain": set(),
    "config": set(),
    "projections": {"domain", "config"},
    "community": {"domain", "projections", "config"},
    "web": {"community", "domain", "projections", "config"},
}
# Entry points: the command line serves the web app.
ENTRY_POINTS = {("community/cli.py", "web")}


def imports_of(path: Path) -> set[str]:
    """The top-level packages of ours that a module imports (absolute imports)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_inside_it(layer: str) -> None:
    broken = []
    for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
        where = path.relative_to(PROJECT_ROOT).as_posix()
        for imported in imports_of(path) - {layer} - ALLOWED[layer]:
            if (where, imported) not in ENTRY_POINTS:
                broken.append(f"{where} imports {imported}")
    assert broken == []


def test_the_rule_itself_catches_an_outward_import(tmp_path: Path) -> None:
    module = tmp_path / "rule.py"
    module.write_text("from web.services import views\nimport domain.qip\nimport json\n")
    assert imports_of(module) == {"web", "domain"}
