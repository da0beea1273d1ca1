"""How a count reads in a sentence, for every message that states one."""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 change``, ``2 changes``; ``many`` where adding an s is wrong (``1 body, 2 bodies``)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
