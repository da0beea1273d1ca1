"""What a client sees before logging in, and on paths or methods the API does not have."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import EMAILS, NAMES, error_of
from web.api import OPEN_ENDPOINTS

# A fixed id nobody has: parameters name each test, and pytest-xdist needs the same
# names in both of its processes (a random one made `make test` fail to collect).
PLACEHOLDER = "9d0bcc48-0f26-4ac4-9a21-b987b60f4d59"


def protected_routes(web_app) -> list[tuple[str, str]]:
    """(method, path under /api/v1) of every route on the api blueprint that needs a login."""
    found = []
    for rule in web_app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in OPEN_ENDPOINTS:
            continue
        path = re.sub(r"<(?:[^:>]+:)?[^>]+>", PLACEHOLDER, rule.rule).removeprefix("/api/v1")
        found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_every_protected_route_is_401_with_the_error_shape_when_logged_out(
        web_app, anonymous, network):
    routes = protected_routes(web_app)
    assert len(routes) >= 18, routes  # the table really came from the app

    for method, path in routes:
        answer = anonymous.request(method, path, json={} if method != "GET" else None)
        error = error_of(answer, 401)
        assert error["code"] == "not_logged_in", (method, path)
        assert error["fields"] == {}, (method, path)
        text = answer.text.lower()
        for secret in [*EMAILS.values(), *NAMES, str(network.nurse), "northshire", "southmoor"]:
            assert secret.lower() not in text, (method, path, secret)


def test_the_401_does_not_set_a_login_cookie(anonymous, network):
    answer = anonymous.get("/members")

    assert answer.status_code == 401
    assert "remember_token" not in answer.cookies


def test_an_expired_session_is_401_not_an_error(anonymous, network):
    anonymous.http.cookies.set("session", "not-a-signed-session-cookie")

    assert error_of(anonymous.get("/me"), 401)["code"] == "not_logged_in"


@pytest.mark.parametrize("who", ["anonymous", "nurse"])
def test_an_unknown_api_path_is_404_with_a_json_error(request, database_url, who):
    # database_url is named so that pytest parametrises this test per store: a fixture
    # asked for only through getfixturevalue cannot be parametrised.
    client = request.getfixturevalue(who)

    error = error_of(client.get("/no-such-thing"), 404)

    assert error["code"] == "not_found"


def test_an_unknown_id_in_a_known_route_shape_is_404_json(nurse):
    error = error_of(nurse.get("/teams/" + PLACEHOLDER + "/extra"), 404)

    assert error["code"] == "not_found"


@pytest.mark.parametrize("method, path", [
    ("PUT", "/teams"), ("DELETE", "/members"), ("PUT", "/contacts"),
    ("POST", "/sustainability"), ("GET", "/session"), ("PUT", "/qips/" + PLACEHOLDER),
])
def test_a_wrong_method_is_405_json_with_allow_header(nurse, method, path):
    answer = nurse.request(method, path)

    error = error_of(answer, 405)
    assert error["code"] == "method_not_allowed"
    assert answer.headers.get("Allow")


def test_a_body_over_the_size_limit_is_413_json(nurse):
    answer = nurse.post("/contacts", data=b"{" + b" " * (3 * 1024 * 1024) + b"}",
                        headers={"Content-Type": "application/json"})

    assert error_of(answer, 413)["code"] == "too_large"
