"""Where a redirect taken from a request (``?next=``, a form's "back" field) may lead:
only to a page of this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def _on_site(target: str | None) -> bool:
    """Whether target is a path on this site: a login link must not bounce people elsewhere.

    Browsers read a backslash as a slash and drop tabs and newlines, so
    "/\\evil.example" and "/\\t/evil.example" count as other sites too.
    """
    return bool(target and target.startswith("/") and not target.startswith("//")
                and "\\" not in target and not any(c.isspace() or ord(c) < 32 for c in target)
                and not urlsplit(target).netloc and not urlsplit(target).scheme)
