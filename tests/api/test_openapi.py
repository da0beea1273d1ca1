"""The OpenAPI document: public, valid, and describing every route the API has."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from tests.api.conftest import json_of


def api_routes(web_app) -> dict[str, set[str]]:
    """{OpenAPI-style path under /api/v1: methods} for every route on the api blueprint."""
    found: dict[str, set[str]] = {}
    for rule in web_app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule).removeprefix("/api/v1")
            found.setdefault(path, set()).update(
                m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return found


def test_the_document_is_public(anonymous):
    document = json_of(anonymous.get("/openapi.json"), 200)

    assert document["openapi"].startswith("3.")


def test_the_document_is_a_valid_openapi_document(anonymous):
    validate(json_of(anonymous.get("/openapi.json"), 200))


def test_every_api_route_is_described_with_its_methods(web_app, anonymous):
    paths = json_of(anonymous.get("/openapi.json"), 200)["paths"]
    routes = api_routes(web_app)
    assert len(routes) >= 15, routes

    for path, methods in routes.items():
        assert path in paths, f"{path} is served but not documented"
        documented = {m for m in paths[path] if m != "parameters"}
        assert methods <= documented, f"{path}: {methods - documented} not documented"


def test_the_document_describes_no_route_the_api_does_not_have(web_app, anonymous):
    paths = json_of(anonymous.get("/openapi.json"), 200)["paths"]
    routes = api_routes(web_app)

    for path, operations in paths.items():
        assert path in routes, f"{path} is documented but not served"
        assert {m for m in operations if m != "parameters"} <= routes[path], path


def test_every_path_parameter_is_declared(anonymous):
    paths = json_of(anonymous.get("/openapi.json"), 200)["paths"]

    for path, operations in paths.items():
        named = set(re.findall(r"{([^}]+)}", path))
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == named, (method, path)


def test_every_protected_operation_documents_its_401_and_public_ones_say_so(anonymous):
    document = json_of(anonymous.get("/openapi.json"), 200)
    public = {("/session", "post"), ("/session", "delete"), ("/openapi.json", "get")}

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if (path, method) in public:
                assert operation.get("security") == [], (method, path)
            else:
                assert "401" in operation["responses"], (method, path)
