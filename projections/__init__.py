"""Read models: SQL tables built from the event log, each droppable and rebuildable.

Depends on ``domain`` (the event classes it reads) and ``eventsourcing``'s
persistence types; never on ``community`` or ``web``.
"""

from projections.runner import Views

__all__ = ["Views"]
