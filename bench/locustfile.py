"""The clients of the load benchmark (issue 14), for locust.

Run through ``python -m bench.load``, which builds the store, starts
``community serve``, logs the people in and writes the plan this file reads:

- ``LOAD_PLAN``: the plan's JSON file (sessions, ids to ask for);
- ``LOAD_ENDPOINTS``: the endpoints to drive, names from ``bench.load_endpoints``
  joined by ``|`` (all of them, mixed, when not set);
- ``LOAD_OUTPUT``: where to write every request's time, exactly (locust's own
  percentiles are rounded above 100 ms).

Each client sends its next request as soon as the last is answered (no think
time), so 16 clients are 16 requests in flight.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from random import Random
from typing import Any

from locust import HttpUser, constant, events, task

from bench.load_endpoints import BY_NAME, ENDPOINTS, Client, Endpoint

_PLAN: dict[str, Any] = (json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
                         if os.environ.get("LOAD_PLAN") else {})
_CHOSEN: list[Endpoint] = ([BY_NAME[n] for n in os.environ["LOAD_ENDPOINTS"].split("|")]
                           if os.environ.get("LOAD_ENDPOINTS") else list(ENDPOINTS))
_NUMBERS = itertools.count()
# name -> [milliseconds], and name -> {"count": n, "example": "..."} for failures.
_TIMES: dict[str, list[float]] = {}
_FAILURES: dict[str, dict[str, Any]] = {}
# When the clients started and when the last answer came: requests per second is over
# this span, which runs past --run-time while the last slow answers arrive.
_SPAN = {"started": 0.0, "last": 0.0}


@events.test_start.add_listener
def _started(**_: Any) -> None:
    _SPAN["started"] = time.time()


@events.request.add_listener
def _keep(name: str, response_time: float, exception: BaseException | None,
          response: Any = None, **_: Any) -> None:
    _TIMES.setdefault(name, []).append(response_time)
    _SPAN["last"] = time.time()
    if exception is not None:
        failed = _FAILURES.setdefault(name, {"count": 0, "example": ""})
        failed["count"] += 1
        if not failed["example"]:
            status = getattr(response, "status_code", "")
            body = (getattr(response, "text", "") or "")[:200]
            failed["example"] = f"{status} {exception} {body}".strip()


@events.quitting.add_listener
def _write(**_: Any) -> None:
    if path := os.environ.get("LOAD_OUTPUT"):
        with open(path, "w") as out:
            json.dump({"times_ms": _TIMES, "failures": _FAILURES,
                       "seconds": max(0.0, _SPAN["last"] - _SPAN["started"])}, out)


class Person(HttpUser):
    """A logged-in member (or organiser, for the organisers' pages) of the national network."""
    wait_time = constant(0)

    def on_start(self) -> None:
        if not _PLAN:
            raise RuntimeError("LOAD_PLAN is not set: run the benchmark with python -m bench.load")
        number = next(_NUMBERS)
        self.person = Client(number, _PLAN, Random(f"load-{number}"))
        # The sessions come with each request: none is kept on the client itself.
        self.client.cookies.clear()

    @task
    def ask(self) -> None:
        endpoint = _CHOSEN[self.person.rng.randrange(len(_CHOSEN))]
        path, body = endpoint.build(self.person)
        session = self.person.member if endpoint.role == "member" else self.person.organiser
        self.client.cookies.clear()
        with self.client.request(endpoint.method, path, json=body, name=endpoint.name,
                                 cookies=session["cookies"], allow_redirects=False,
                                 catch_response=True) as answer:
            # A redirect here is to the login page: as much a failure as a 4xx.
            if not 200 <= answer.status_code < 300:
                answer.failure(f"answered {answer.status_code}")
