"""gunicorn reads this file from the folder it starts in: the settings are config/gunicorn.py's."""

from typing import Any

from config.gunicorn import *  # noqa: F403


def on_starting(_server: Any) -> None:
    """Open the store once in the master, before any web process starts: that makes
    every table of a new store, which web processes starting together raced to make
    (one lost, and gunicorn stopped: "Worker failed to boot"). Here, not in
    config/gunicorn.py: config imports none of the app. `community serve` opens the
    store itself before it starts gunicorn."""
    from community.cli import open_community

    open_community().close()
