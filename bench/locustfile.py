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

from locust import FastHttpUser, constant, events, task

from bench.load_endpoints import BY_NAME, ENDPOINTS, USER_AGENT, Client, Endpoint

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
_SPAN = {"started": 0.0, "last": 0.0, "cpu": 0.0}


@events.test_start.add_listener
def _started(**_: Any) -> None:
    _SPAN["started"] = time.time()
    # The clients' own CPU from here: they share the cores with the server, so what
    # they spend per request is taken from it and shows in every figure.
    _SPAN["cpu"] = time.process_time()


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
                       "seconds": max(0.0, _SPAN["last"] - _SPAN["started"]),
                       "client_cpu_seconds": time.process_time() - _SPAN["cpu"]}, out)


class Person(FastHttpUser):
    """A logged-in member (or organiser, for the organisers' pages) of the national network.

    FastHttpUser (geventhttpclient), not HttpUser (python-requests): the clients share
    the machine's two cores with the server, and HttpUser took about twice the CPU per
    request (0.9-2.0 ms against 0.4-1.0, measured on every endpoint); what the clients
    spend is taken from the server's share and shows in every figure."""
    wait_time = constant(0)

    def on_start(self) -> None:
        if not _PLAN:
            raise RuntimeError("LOAD_PLAN is not set: run the benchmark with python -m bench.load")
        number = next(_NUMBERS)
        self.person = Client(number, _PLAN, Random(f"load-{number}"))
        # Each request carries its person's session cookie (the member's or the
        # organiser's), made once here; the client keeps no cookie of its own.
        self.cookie_headers = {
            role: {"Cookie": "; ".join(f"{k}={v}" for k, v in session["cookies"].items()),
                   "User-Agent": USER_AGENT}
            for role, session in (("member", self.person.member),
                                  ("organiser", self.person.organiser))}

    @task
    def ask(self) -> None:
        endpoint = _CHOSEN[self.person.rng.randrange(len(_CHOSEN))]
        path, body = endpoint.build(self.person)
        self.client.cookiejar.clear()  # a refreshed session cookie is not kept
        with self.client.request(endpoint.method, path, json=body, name=endpoint.name,
                                 headers=self.cookie_headers[endpoint.role],
                                 allow_redirects=False, catch_response=True) as answer:
            # A redirect here is to the login page: as much a failure as a 4xx.
            if not 200 <= answer.status_code < 300:
                answer.failure(f"answered {answer.status_code}")
