"""gunicorn's settings, from environment variables only.

``gunicorn -c python:config.gunicorn 'web:create_app()'`` runs the web processes
with these (``gunicorn.conf.py`` at the top of the repository points here, so a plain
``gunicorn 'web:create_app()'`` run from there gets them too); ``community serve
--workers N`` uses the same through ``serve``. The app itself reads its own
``COMMUNITY_*`` variables (config/__init__.py).
"""

from __future__ import annotations

import os
from typing import Any

from config.collector import settle_after_start
from config.logs import dict_config

bind = os.environ.get("COMMUNITY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("COMMUNITY_WEB_WORKERS") or 2)
# Threads per process: requests mostly wait on the database, so a few share a process.
threads = int(os.environ.get("COMMUNITY_WEB_THREADS") or 8)
worker_class = "gthread"
# A request waits at most COMMUNITY_VIEWS_WAIT_SECONDS for the views; this is well past it.
timeout = int(os.environ.get("COMMUNITY_WEB_TIMEOUT") or 60)
graceful_timeout = 20
accesslog = "-"
# One JSON object per line for gunicorn's own logs, the access log and the app's.
logconfig_dict = dict_config()
# Each request's line: '127.0.0.1 "GET /healthz HTTP/1.1" 200 15 2ms', with its parts
# as fields (config/access_log.py).
logger_class = "config.access_log.AccessLogger"
# gunicorn's control socket is unused here, and its one default path
# (~/.gunicorn/gunicorn.ctl) would be fought over by two servers on one machine.
control_socket_disable = True


def post_worker_init(_worker: Any) -> None:
    """gunicorn calls this in each web process once the app is loaded."""
    settle_after_start()


def settings(**options: Any) -> dict[str, Any]:
    """The settings above as gunicorn's names for them, ``options`` overriding."""
    return {"workers": workers, "threads": threads, "worker_class": worker_class,
            "timeout": timeout, "graceful_timeout": graceful_timeout,
            "accesslog": accesslog, "logconfig_dict": logconfig_dict,
            "logger_class": logger_class, "bind": bind,
            "control_socket_disable": control_socket_disable,
            "post_worker_init": post_worker_init, **options}


def serve(app_uri: str, **options: Any) -> None:
    """Run gunicorn in this process with the settings above, ``options`` overriding."""
    from gunicorn.app.base import BaseApplication
    from gunicorn.util import import_app

    chosen = settings(**options)

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in chosen.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return import_app(app_uri)  # in each worker, after the fork

    Server().run()
