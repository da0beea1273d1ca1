"""gunicorn reads this file from the folder it starts in: the settings are config/gunicorn.py's."""

from config.gunicorn import *  # noqa: F403
