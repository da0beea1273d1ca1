"""The API's JSON (web/jsonify.py): what clients read is what json.dumps wrote, faster."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

import pytest
from flask import Flask

from web.jsonify import JSONProvider


class Point(NamedTuple):
    on: date
    value: float


@pytest.fixture
def provider() -> Iterator[JSONProvider]:
    app = Flask(__name__)
    app.json = JSONProvider(app)
    yield app.json  # the provider holds its app weakly


ANSWER = {
    "id": UUID("b07e50bc-7971-509e-b280-7c82f93e7814"),
    "recorded_on": date(2020, 1, 2),
    "at": datetime(2026, 12, 5, 13, 20, 2, 123456, tzinfo=UTC),
    "naive": datetime(2026, 12, 5, 13, 20),
    "points": [Point(date(2020, 1, 1), 41.5)],
    "by_number": {7: "seven"},
    "cost": Decimal("12.50"),
    "name": "Siân Ó Briain",
    "nothing": None,
    "yes": True,
}


def test_writes_what_json_dumps_wrote(provider: JSONProvider) -> None:
    expected = json.loads(json.dumps(ANSWER, default=_old_default))
    assert json.loads(provider.dumps(ANSWER)) == expected
    assert json.loads(provider.response(ANSWER).get_data()) == expected


def test_dates_and_ids_as_clients_read_them(provider: JSONProvider) -> None:
    written = json.loads(provider.dumps(ANSWER))
    assert written["id"] == "b07e50bc-7971-509e-b280-7c82f93e7814"
    assert written["recorded_on"] == "2020-01-02"
    assert written["at"] == "2026-12-05T13:20:02.123456+00:00"
    assert written["points"] == [["2020-01-01", 41.5]]
    assert written["by_number"] == {"7": "seven"}
    assert written["cost"] == "12.50"


def test_keeps_the_order_and_ends_with_a_newline(provider: JSONProvider) -> None:
    answer = provider.response({"z": 1, "a": 2})
    assert answer.mimetype == "application/json"
    assert answer.get_data() == b'{"z":1,"a":2}\n'


def test_what_orjson_refuses_is_still_written(provider: JSONProvider) -> None:
    odd = {"text": "half a pair \ud800", "big": 2**70}
    assert json.loads(provider.dumps(odd)) == odd
    assert json.loads(provider.response(odd).get_data()) == odd


def test_what_nothing_can_write_fails_as_before(provider: JSONProvider) -> None:
    with pytest.raises(TypeError):
        provider.dumps({"set": {1, 2}})


def test_templates_options_go_to_json_dumps(provider: JSONProvider) -> None:
    # Jinja's tojson passes sort_keys=True: the standard library writes it.
    assert provider.dumps({"b": 1, "a": date(2020, 1, 1)}, sort_keys=True) == \
        '{"a": "2020-01-01", "b": 1}'


def _old_default(o: object) -> object:
    """What the provider's default did before orjson (json.dumps calls it)."""
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if isinstance(o, UUID | Decimal):
        return str(o)
    raise TypeError(o)
