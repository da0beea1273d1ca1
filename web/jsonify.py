"""JSON the API's clients expect: dates as ISO 8601, ids as strings.

Answers are written by orjson. The standard library's encoder, calling back into
Python for every date and id, took 0.3–1.0 ms of an answer of the library, the
directory or search (orjson: 0.07–0.13 ms), and 16% of a web process's Python time
recording values under load, whose answer carries the plan with all its values
(issue 14). What orjson will not write (a string with a lone surrogate, an integer
past 64 bits) is written by the standard library as before, so nothing that
answered before fails now.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from flask.json.provider import DefaultJSONProvider

if TYPE_CHECKING:
    from werkzeug.sansio.response import Response

# Keys that are not strings (ids, dates, numbers) become strings, as json.dumps does.
_OPTIONS = orjson.OPT_NON_STR_KEYS


class JSONProvider(DefaultJSONProvider):
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, (date, datetime)):
            return o.isoformat()
        if isinstance(o, UUID):
            return str(o)
        if isinstance(o, tuple):  # a named tuple: orjson writes plain tuples only
            return list(o)
        return DefaultJSONProvider.default(o)

    def encoded(self, obj: Any) -> bytes:
        """``obj`` as compact JSON in UTF-8."""
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            # What orjson refuses and json.dumps writes (or refuses the same way).
            return super().dumps(obj, separators=(",", ":")).encode()

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # json.dumps' own options (Jinja's tojson sorts keys): as before
            return super().dumps(obj, **kwargs)
        return self.encoded(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)  # indented, for people reading it
        obj = self._prepare_response_obj(args, kwargs)
        body = self.encoded(obj) + b"\n"
        # Flask's response class takes the body (the base class's type, which mypy sees, does not).
        return self._app.response_class(body, mimetype=self.mimetype)  # type: ignore[arg-type]
