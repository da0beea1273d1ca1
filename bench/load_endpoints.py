"""What the load benchmark asks for: each endpoint of issue 14 and how to build a request.

Shared by ``bench.load`` (the runner, which warms each endpoint once) and
``bench/locustfile.py`` (the clients), and free of locust so the runner never
imports gevent. A request is built from the plan the runner wrote (the sessions it
logged in and ids found through the API) and the client's own state, so that
16 clients ask for different members, QIPs and words, and each writer records
values on its own team's QIP (one writer per QIP: two people recording on the
same QIP at once would be a real conflict, not a load figure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any
from urllib.parse import quote

# What people type into the directory and the search (tags, surnames, towns, roles).
WORDS = ["ebus", "smith", "nurse", "data", "clinics", "patel", "ford", "trials",
         "nurse clinics", "cytology", "mdt", "biopsy", "bury", "sabr", "pathway"]
ROLES = ["lung_cancer_nurse_specialist", "clinical_lead", "radiologist", "mdt_coordinator"]
KEY_AREAS = ["data_collection", "diagnostics", "cns_access", "pathway_waits", "mdt_running",
             "clinical_trials"]
# Values go on days no synthetic value has (the synthetic decade ends in 2019), one
# new day per write, so a write is never refused as a repeat.
FIRST_VALUE_DAY = date(2020, 1, 1)


@dataclass
class Client:
    """One simulated person: their sessions and what they have written so far."""
    index: int
    plan: dict[str, Any]
    rng: Random
    writes: int = 0

    @property
    def member(self) -> dict[str, Any]:
        members = self.plan["members"]
        return members[self.index % len(members)]

    @property
    def organiser(self) -> dict[str, Any]:
        organisers = self.plan["organisers"]
        return organisers[self.index % len(organisers)]

    def pick(self, key: str) -> Any:
        return self.rng.choice(self.plan["sample"][key])


Build = Callable[[Client], tuple[str, dict[str, Any] | None]]


@dataclass(frozen=True)
class Endpoint:
    name: str          # the label in the table
    role: str          # "member" or "organiser": whose session asks
    method: str
    build: Build       # (path, JSON body or None)


def _record_value(client: Client) -> tuple[str, dict[str, Any]]:
    client.writes += 1
    mine = client.member
    day = FIRST_VALUE_DAY + timedelta(days=client.writes)
    return (f"/api/v1/qips/{mine['qip_id']}/progress",
            {"measure": mine["measure"], "value": round(client.rng.uniform(40, 95), 1),
             "date": day.isoformat()})


def _chart(client: Client) -> tuple[str, None]:
    qip = client.pick("charts")
    return f"/api/v1/qips/{qip['id']}/chart/{quote(qip['measure'], safe='')}", None


BASELINE = "GET /api/v1/me"
# One browser per person: the login and every request under load say the same
# User-Agent. Flask-Login's session protection marks a session seen from another
# client as not fresh, so a mismatch had every answer re-sign and send the session
# cookie (about a twentieth of the server's CPU per request), which no browser,
# keeping its own User-Agent, would cause.
USER_AGENT = "clinical-community-load-bench"

ENDPOINTS: list[Endpoint] = [
    Endpoint(BASELINE, "member", "GET", lambda c: ("/api/v1/me", None)),
    Endpoint("GET /api/v1/members?q=&role=", "member", "GET", lambda c: (
        f"/api/v1/members?q={quote(c.rng.choice(WORDS))}&role={c.rng.choice(ROLES)}", None)),
    Endpoint("GET /api/v1/members/{id}/counterparts", "member", "GET", lambda c: (
        f"/api/v1/members/{c.pick('member_ids')}/counterparts", None)),
    Endpoint("GET /api/v1/qips?key_area=", "member", "GET", lambda c: (
        f"/api/v1/qips?key_area={c.rng.choice(KEY_AREAS)}", None)),
    Endpoint("GET /api/v1/qips?outcome=improved", "member", "GET", lambda c: (
        "/api/v1/qips?outcome=improved", None)),
    Endpoint("GET /api/v1/search?q=", "member", "GET", lambda c: (
        f"/api/v1/search?q={quote(c.rng.choice(WORDS))}", None)),
    Endpoint("GET /api/v1/qips/{id}", "member", "GET", lambda c: (
        f"/api/v1/qips/{c.pick('charts')['id']}", None)),
    Endpoint("GET /qips/{id} (page)", "member", "GET", lambda c: (
        f"/qips/{c.pick('charts')['id']}", None)),
    Endpoint("GET /api/v1/qips/{id}/chart/{measure}", "member", "GET", _chart),
    Endpoint("GET /teams/{id} (page)", "member", "GET", lambda c: (
        f"/teams/{c.pick('team_ids')}", None)),
    Endpoint("GET / (member's home)", "member", "GET", lambda c: ("/", None)),
    Endpoint("GET / (organiser's home)", "organiser", "GET", lambda c: ("/", None)),
    Endpoint("GET /api/v1/sustainability", "organiser", "GET", lambda c: (
        "/api/v1/sustainability", None)),
    Endpoint("GET /sustainability (page)", "organiser", "GET", lambda c: (
        "/sustainability", None)),
    Endpoint("GET /sustainability/health (page)", "organiser", "GET", lambda c: (
        "/sustainability/health", None)),
    Endpoint("GET /api/v1/network-health", "organiser", "GET", lambda c: (
        "/api/v1/network-health", None)),
    Endpoint("POST /api/v1/contacts", "member", "POST", lambda c: (
        "/api/v1/contacts", {"to_member_id": c.pick("member_ids"),
                             "topic": "Load benchmark: how do you run your nurse-led clinic?"})),
    Endpoint("POST /api/v1/qips/{id}/progress", "member", "POST", _record_value),
]

BY_NAME = {e.name: e for e in ENDPOINTS}
