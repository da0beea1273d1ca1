"""The application: one method per command, and the command-line interface.

Depends on ``domain`` (the rules) and ``projections`` (it brings the views up
to date after each command, so a user sees what they just did). Nothing here
knows about HTTP; nothing outside ``web`` imports ``web``.
"""

from community.application import Community

__all__ = ["Community"]
