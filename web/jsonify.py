"""JSON the API's clients expect: dates as ISO 8601, ids as strings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, (date, datetime)):
            return o.isoformat()
        if isinstance(o, UUID):
            return str(o)
        return DefaultJSONProvider.default(o)
