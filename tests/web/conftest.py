"""Fixtures the page tests share: the small network, and clients logged in as
Nina (a nurse specialist in the Northshire team) or Olive (an organiser)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import SmallNetwork, small_network
from tests.web.reading import log_in

NINA = "nina.nurse@northshire.nhs.uk"
SARA = "sara.south@southmoor.nhs.uk"
OLIVE = "olive.organiser@example.org"


@pytest.fixture
def network(community: Any) -> SmallNetwork:
    return small_network(community)


@pytest.fixture
def nina(client: Any, network: SmallNetwork) -> Any:
    """A client logged in as Nina, a nurse specialist in the Northshire team."""
    assert log_in(client, NINA).status_code == 302
    return client


@pytest.fixture
def olive(client: Any, network: SmallNetwork) -> Any:
    """A client logged in as Olive, an organiser."""
    assert log_in(client, OLIVE).status_code == 302
    return client
