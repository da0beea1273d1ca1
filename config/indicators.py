"""The audit indicators a programme starts with, kept as data in
``config/indicators.csv`` (docs/domain.md, "Indicators"): read here, and only here, for the
``init`` command and the demo."""

from __future__ import annotations

import csv
from pathlib import Path

INDICATORS_CSV = Path(__file__).resolve().parent / "indicators.csv"
FIELDS = ("key", "name", "national", "standard")  # what ``define_indicator`` takes


def default_indicators(path: Path = INDICATORS_CSV) -> list[dict[str, str | None]]:
    """The NLCA indicators, one dict per row as ``define_indicator`` takes them
    (an empty cell is None: no national figure, or no standard)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [{name: row.get(name) or None for name in FIELDS} for row in csv.DictReader(handle)]
