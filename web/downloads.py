"""Sending a stored document back: as a download, never as a page of this site.

Whatever a member uploaded, the browser must not run it here: the type comes
from our allow-list (never from the upload), content sniffing is off, the
response is sandboxed, and it is always an attachment.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response

from community.documents import CONTENT_TYPES, safe_name

FALLBACK_TYPE = "application/octet-stream"
# RFC 5987 attr-char: what may stay unescaped in filename*= (werkzeug's send_file uses the same).
ATTR_CHARS = "!#$&+-.^_`|~"


def document_response(name: str, content_type: str, data: bytes) -> Response:
    response = Response(data, content_type=_content_type(content_type))
    shown = safe_name(name)
    # Headers.set quotes the fallback name (werkzeug's dump_options_header) and
    # leaves the already percent-encoded filename* as it is.
    response.headers.set("Content-Disposition", "attachment", filename=_ascii_fallback(shown),
                         **{"filename*": "UTF-8''" + quote(shown, safe=ATTR_CHARS)})
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _content_type(content_type: str) -> str:
    if content_type not in CONTENT_TYPES:
        return FALLBACK_TYPE
    return f"{content_type}; charset=utf-8" if content_type.startswith("text/") else content_type


def _ascii_fallback(name: str) -> str:
    """For browsers that ignore filename*: accents dropped ("März" → "Marz"), other
    non-ASCII, quotes, backslashes and "%" (some browsers decode it) made "_"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" and c not in '"\\%' else "_" for c in plain)
