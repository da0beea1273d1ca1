"""How dates, enums and measures are written into stored events.

``eventsourcing`` 9.5 transcodes only UUID, Decimal and datetime by default;
each other type an event carries needs a registered transcoding.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.qip import Measure
from domain.values import ALL_ENUMS, Direction


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def enum_transcoding(enum_type: type) -> Transcoding:
    """One transcoding per enum class: the JSON transcoder matches exact types."""

    class EnumAsValue(Transcoding):
        type = enum_type
        name = f"enum_{enum_type.__name__}"

        def encode(self, obj: Any) -> str:
            return obj.value

        def decode(self, data: str) -> Any:
            return enum_type(data)

    return EnumAsValue()


class MeasureAsDict(Transcoding):
    type = Measure
    name = "measure"

    def encode(self, obj: Measure) -> dict[str, Any]:
        return obj.as_dict()

    def decode(self, data: dict[str, Any]) -> Measure:
        return Measure(**{**data, "direction": Direction(data["direction"])})


def register(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(MeasureAsDict())
    for enum_type in ALL_ENUMS:
        transcoder.register(enum_transcoding(enum_type))
