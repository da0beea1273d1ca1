"""Integration fixtures: the application on each real store (SQLite file and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from community import Community
from tests.conftest import make_community


@pytest.fixture
def app(database_url: str) -> Iterator[Community]:
    """A Community on a fresh store; closing it also closes its pooled connections."""
    community = make_community(database_url)
    yield community
    community.close()
