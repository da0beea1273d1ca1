"""Health checks for a load balancer or an orchestrator, and the "views behind" answer.

- ``GET /healthz``: this process answers and reaches the database (liveness).
- ``GET /readyz``: how far each view is behind the event log, whether a projection
  worker holds its lock, and 503 while any view is more than ``ready_max_lag``
  changes behind, or behind at all when a worker is expected (``views_worker``)
  and none holds the lock (readiness: a process whose pages would show stale
  data is taken out of rotation until the worker catches up).

Neither needs a login nor shows anything personal: names of views and counts.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template
from sqlalchemy import text

from community import Community
from community.worker import ViewsBehind, lags, log_position, worker_running
from projections.reading import reading
from web.errors import wants_json

health = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


def _community() -> Community:
    community: Community = current_app.extensions["community"]
    return community


@health.get("/healthz")
def healthz() -> Any:
    try:
        with reading(_community().engine) as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # the answer is the point: say why, don't 500
        logger.warning("health check: the database is unreachable", exc_info=True)
        return jsonify(status="database unreachable", error=type(error).__name__), 503
    return jsonify(status="ok")


@health.get("/readyz")
def readyz() -> Any:
    community = _community()
    try:
        behind = lags(community.views)
        position = log_position(community.views)
        worker = worker_running(community.engine)
    except Exception as error:
        logger.warning("readiness check failed", exc_info=True)
        return jsonify(ready=False, status="database unreachable",
                       error=type(error).__name__), 503
    limit = community.settings.ready_max_lag
    most = max(behind.values(), default=0)
    # Expected to keep the views but gone while they lag: they will not catch up
    # by themselves (nothing else applies events), however small the lag is now.
    stalled = community.settings.views_worker and not worker and most > 0
    ready = most <= limit and not stalled
    body = {
        "ready": ready,
        **({"status": "no projection worker is running while the views lag"}
           if stalled else {}),
        "log_position": position,
        "views": {name: {"lag": lag} for name, lag in behind.items()},
        "max_lag_allowed": limit,
        # Who applies events: a worker process, or each command inline.
        "views_updated_by": "worker" if community.settings.views_worker else "each command",
        "worker_running": worker,
    }
    return jsonify(body), 200 if ready else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(health)

    @app.errorhandler(ViewsBehind)
    def views_behind(error: ViewsBehind) -> Any:
        # 503 with Retry-After: the change is saved; only showing it is late.
        logger.warning("read-your-writes timed out", extra={"detail": error.message})
        headers = {"Retry-After": "2"}
        if wants_json():
            body = {"error": {"code": "views_behind", "message": error.message, "fields": {}}}
            return jsonify(body), 503, headers
        return (render_template("error.html", status=503, message=error.message, fields={}),
                503, headers)
