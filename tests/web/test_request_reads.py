"""What a logged-in request reads first (web/request_reads.py): its session and the
views' change marks in one statement, and a login ended elsewhere still ends at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from community import Community
from community.sign_ins import Ended, SignIns
from tests.builders import SmallNetwork


@pytest.fixture
def statements(community: Community) -> Iterator[list[str]]:
    """Every statement sent to the store from now on."""
    sent: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(" ".join(statement.split()))

    engine = community.views.engine
    event.listen(engine, "before_cursor_execute", note)
    yield sent
    event.remove(engine, "before_cursor_execute", note)


def test_a_kept_answer_is_one_statement_holding_the_session_and_the_marks(
        nina: Any, statements: list[str]) -> None:
    assert nina.get("/api/v1/me").status_code == 200  # kept from here on
    statements.clear()

    answer = nina.get("/api/v1/me")

    assert answer.status_code == 200 and answer.get_json()["member"]["name"] == "Nina Nurse"
    assert len(statements) == 1, statements
    assert "member_sessions" in statements[0] and "view_positions" in statements[0]


def test_a_login_ended_elsewhere_is_refused_on_its_next_request(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    assert nina.get("/api/v1/me").status_code == 200

    SignIns(community.views.engine).end_all(network.nurse, Ended.EVERYWHERE)

    assert nina.get("/api/v1/me").status_code == 401
    assert nina.get("/").status_code == 302  # the pages send them to log in
