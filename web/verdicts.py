"""Results in plain words: an audit result against its standard or the national
figure (team pages), and a measure's latest value against its target (QIP pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.values import Direction


def verdict(value: float | None, national: float | None, standard: float | None) -> str:
    """A result in plain words: against the standard where there is one, else the
    national figure."""
    if value is None:
        return "No result"
    if standard is not None:
        return "Meets standard" if value >= standard else "Below standard"
    if national is not None:
        if value > national:
            return "Above national figure"
        if value < national:
            return "Below national figure"
        return "Same as national figure"
    return "No standard"


def measure_verdict(measure: Mapping[str, Any]) -> str:
    """Where the latest value stands against the target, in the measure's good direction."""
    latest, target, baseline = measure["latest_value"], measure["target"], measure["baseline"]
    if latest is None:
        return "No progress reported yet"
    if target is None:
        return "No target set"
    up = measure["direction"] != Direction.DOWN.value
    if (latest >= target) if up else (latest <= target):
        return "Target reached"
    if baseline is not None and ((latest > baseline) if up else (latest < baseline)):
        return "Improving, not yet at target"
    if baseline is not None and latest == baseline:
        return "No change from baseline"
    if baseline is not None:
        return "Worse than baseline"
    return "Not yet at target"
