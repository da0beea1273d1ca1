"""The security tests' shared community: built once per module (tests/security/world.py),
served by one app, with a client logged in for each role."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import postgres
from tests.builders import PASSWORD
from tests.conftest import make_community
from tests.security.world import EMAILS, ROLES, World, build_world

# The page tests' small network and Olive logged in, for test_bounded_pages.py.
from tests.web.conftest import network, olive  # noqa: F401

_worlds = itertools.count()


@dataclass
class Served:
    world: World
    app: Any
    clients: dict[str, Any]  # role → a test client logged in as that role


def log_in(app: Any, role: str) -> Any:
    client = app.test_client()
    if role != "anonymous":
        answer = client.post("/api/v1/session", json={"email": EMAILS[role], "password": PASSWORD})
        assert answer.status_code == 200, answer.text
    return client


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The world on each real store (issue 14), like tests/conftest.py's database_url."""
    from community import passwords
    from web import create_app

    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("world")
        url = f"sqlite:///{folder / 'world.sqlite'}"
    else:
        url = postgres.fresh_database(request.getfixturevalue("postgres_server"),
                                      f"world_{os.getpid()}_{next(_worlds)}",
                                      template=request.getfixturevalue("postgres_template"))
    # tests/conftest.py cheapens hashes per test; this world outlives one test.
    cost, passwords.HASH_METHOD = passwords.HASH_METHOD, "scrypt:1024:8:1"
    community = make_community(url)
    try:
        world = build_world(community)
        app = create_app(community.settings, community=community)
        # The forms' CSRF tokens are tested on their own (tests/web/test_form_base.py):
        # here a refusal must come from who is asking, not from a missing token.
        app.config["WTF_CSRF_ENABLED"] = False
        yield Served(world, app, {role: log_in(app, role) for role in ROLES})
    finally:
        passwords.HASH_METHOD = cost
        community.close()
