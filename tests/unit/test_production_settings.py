"""The README's settings are the ones the code reads, so its production steps work.

Every setting is an environment variable (issue 14); a person setting up production
follows the README's "Configuration" table and the env file of its "Production"
section. A variable named there that no code reads would be silently ignored, and one
the code reads that the table leaves out could not be found.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
NAME = re.compile(r"\bCOMMUNITY_[A-Z_]*[A-Z]\b")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def _read_by_the_code() -> set[str]:
    names: set[str] = set()
    for folder in ("config", "community", "web"):
        for path in (ROOT / folder).rglob("*.py"):
            for line in path.read_text().splitlines():
                if "environ" in line or "getenv" in line:
                    names.update(NAME.findall(line))
    return names


def test_every_variable_the_code_reads_is_in_the_readmes_configuration_table() -> None:
    table = set(NAME.findall(_section("Configuration")))
    missing = _read_by_the_code() - table
    assert not missing, f"read by the code but not in the README's table: {sorted(missing)}"


def test_every_variable_the_production_steps_set_is_one_the_code_reads() -> None:
    production = _section("Production")
    env_file = re.search(r"<<EOF\n(.*?)\n\s*EOF", production, re.S)
    assert env_file, "the production section writes its settings to one env file"
    set_there = set(re.findall(r"^\s*(COMMUNITY_[A-Z_]+)=", env_file.group(1), re.M))
    assert {"COMMUNITY_DATABASE_URL", "COMMUNITY_SECRET_KEY",
            "COMMUNITY_VIEWS_WORKER"} <= set_there
    unknown = (set_there | set(NAME.findall(production))) - _read_by_the_code()
    assert not unknown, f"the production steps name settings nothing reads: {sorted(unknown)}"
