"""Fixtures for the JSON API tests: a small network served over real HTTP, and
clients logged in as its members.

Each client is a ``requests.Session`` that keeps its own session cookie, like a
tool or a browser script would; nothing here reaches into the app's internals.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from community import Community
from tests.builders import PASSWORD, SmallNetwork, small_network

EMAILS = {
    "nurse": "nina.nurse@northshire.nhs.uk",
    "lead": "liam.lead@northshire.nhs.uk",
    "other_nurse": "sara.south@southmoor.nhs.uk",
    "organiser": "olive.organiser@example.org",
}
NAMES = ["Nina Nurse", "Liam Lead", "Sara South", "Olive Organiser"]


class ApiClient:
    """Speaks to ``/api/v1`` of a live server, keeping its cookies between calls."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.base = f"{server}/api/v1"
        self.http = requests.Session()
        # As every client of the API must for multipart and bodiless changes (issue 13:
        # a guard against requests forged by other sites, web/api/cross_site.py).
        self.http.headers["X-Requested-With"] = "clinical-community-tests"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.http.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def log_in(self, email: str, password: str = PASSWORD) -> requests.Response:
        return self.post("/session", {"email": email, "password": password})

    def close(self) -> None:
        self.http.close()


def error_of(response: requests.Response, status: int) -> dict[str, Any]:
    """Assert the response is a v1 error with this status; return its ``error`` object."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    return error


def fields_of(response: requests.Response) -> dict[str, str]:
    """The fields a 400 answer names."""
    return error_of(response, 400)["fields"]


def json_of(response: requests.Response, status: int) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    return response.json()


@pytest.fixture
def network(community: Community) -> SmallNetwork:
    return small_network(community)


@pytest.fixture
def api(live_server: str) -> Iterator[Any]:
    """A factory of clients; every client it made is closed afterwards."""
    made: list[ApiClient] = []

    def make(as_member: str | None = None) -> ApiClient:
        client = ApiClient(live_server)
        made.append(client)
        if as_member is not None:
            answer = client.log_in(EMAILS[as_member])
            assert answer.status_code == 200, answer.text
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def anonymous(api: Any, network: SmallNetwork) -> ApiClient:
    return api()


@pytest.fixture
def nurse(api: Any, network: SmallNetwork) -> ApiClient:
    """Nina Nurse, lung cancer nurse specialist in the north team."""
    return api("nurse")


@pytest.fixture
def lead(api: Any, network: SmallNetwork) -> ApiClient:
    """Liam Lead, clinical lead in the north team (Nina's team-mate)."""
    return api("lead")


@pytest.fixture
def other_nurse(api: Any, network: SmallNetwork) -> ApiClient:
    """Sara South, lung cancer nurse specialist in the south team."""
    return api("other_nurse")


@pytest.fixture
def organiser(api: Any, network: SmallNetwork) -> ApiClient:
    """Olive Organiser, of the programme's core team (no MDT)."""
    return api("organiser")


SHAREABLE_PLAN = {
    "title": "Nurse specialist at every diagnosis",
    "key_area": "cns_access",
    "aim": "A lung cancer nurse specialist present at 80% of diagnoses by March 2013",
    "timeframe": "April 2012 to March 2013",
    "measures": [{"name": "CNS at diagnosis", "unit": "%", "baseline": 61,
                  "target": 80, "direction": "up"}],
}


@pytest.fixture
def draft(nurse: ApiClient) -> dict[str, Any]:
    """A shareable draft QIP of the north team, drafted by Nina."""
    return json_of(nurse.post("/qips", SHAREABLE_PLAN), 201)["qip"]


@pytest.fixture
def shared(api: Any, nurse: ApiClient, draft: dict[str, Any]) -> dict[str, Any]:
    """The same QIP, submitted by Nina and accepted by an organiser: active and shared."""
    submitted = json_of(nurse.post(f"/qips/{draft['id']}/submit",
                                   {"version": draft["version"]}), 200)["qip"]
    answer = api("organiser").post(f"/qips/{draft['id']}/review",
                                   {"decision": "accept", "version": submitted["version"]})
    return json_of(answer, 200)["qip"]
