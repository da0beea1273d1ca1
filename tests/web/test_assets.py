"""The NHS.UK design system: its files served from node_modules, its macros escaped,
and pages that still work when the files are missing."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSWORD, small_network
from tests.conftest import IN_CI
from tests.web.reading import log_in, text
from web import assets, create_app


@pytest.fixture
def version() -> str:
    """The installed nhsuk-frontend's version. Missing: fails in CI, skips elsewhere."""
    frontend = assets.find_frontend(assets.PACKAGE_DIR)
    if frontend.version is None:
        message = "node_modules/nhsuk-frontend is not installed: run `make test` (npm ci)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return frontend.version


def frontend_links(html: str) -> list[str]:
    return [line for line in html.splitlines() if "/nhsuk-frontend/" in line]


def test_pages_link_the_versioned_stylesheet_and_module_script(client: Any, version: str
                                                               ) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert f'<link rel="stylesheet" href="/nhsuk-frontend/{version}/nhsuk-frontend.min.css">' \
        in html
    assert f'import {{ initAll }} from "/nhsuk-frontend/{version}/nhsuk-frontend.min.js";' in html
    assert '<script type="module" nonce="' in html  # the CSP's nonce (web/security_headers.py)


def test_the_compiled_files_are_served_with_long_cache_headers(client: Any, version: str
                                                                ) -> None:
    css = client.get(f"/nhsuk-frontend/{version}/nhsuk-frontend.min.css")
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    assert css.cache_control.max_age == 365 * 24 * 3600
    assert css.cache_control.immutable
    assert b".nhsuk-header" in css.data
    css.close()

    js = client.get(f"/nhsuk-frontend/{version}/nhsuk-frontend.min.js")
    assert js.status_code == 200
    assert js.mimetype in {"text/javascript", "application/javascript"}  # a module needs a JS type
    assert b"initAll" in js.data
    js.close()

    # The images the CSS asks for, where it asks for them.
    icon = client.get("/assets/images/nhsuk-icon-cross.svg")
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert icon.cache_control.max_age == 7 * 24 * 3600
    icon.close()


@pytest.mark.parametrize("path", [
    "/nhsuk-frontend/0.0.1/nhsuk-frontend.min.css",   # another version
    "/nhsuk-frontend/{version}/index.mjs",              # not one of the served files
    "/nhsuk-frontend/{version}/../package.json",
    "/nhsuk-frontend/{version}/%2e%2e%2fpackage.json",
    "/assets/../package.json",
    "/assets/%2e%2e/package.json",
    "/assets/..%2f..%2fpackage.json",
    "/assets/images/../../../../package.json",
    "/assets/images/nope.svg",
])
def test_nothing_else_is_served(client: Any, version: str, path: str) -> None:
    response = client.get(path.format(version=version))
    assert response.status_code == 404
    assert b'"version"' not in response.data


def test_without_node_modules_pages_are_plain_html_and_one_warning_is_logged(
        community: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "node_modules" / "nhsuk-frontend"
    with caplog.at_level(logging.WARNING):
        first = create_app(community.settings, community=community, NHSUK_FRONTEND_DIR=missing)
        create_app(community.settings, community=community, NHSUK_FRONTEND_DIR=missing)
    warnings = [r for r in caplog.records if "NHS.UK frontend files not found" in r.getMessage()]
    assert len(warnings) == 1
    assert "npm ci" in warnings[0].getMessage()

    client = first.test_client()
    small_network(community)
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert frontend_links(html) == []
    assert "<script type=\"module\">" not in html
    assert "/static/community.css" in html
    assert client.get("/assets/images/favicon.svg").status_code == 404
    # The pages still work: log in and read the directory.
    assert log_in(client, "nina.nurse@northshire.nhs.uk", PASSWORD).status_code == 302
    assert "Network directory" in text(client.get("/directory").data)


def test_the_macros_escape_what_members_type(community: Any, client: Any) -> None:
    """The NHS.UK macros live in .jinja files, escaped like our .html templates."""
    network = small_network(community)
    team = community.register_team(name="<i>Italic</i> MDT", trust="<b>Bold</b> Trust",
                                   region="North West", latitude=53.4, longitude=-2.9,
                                   caseload=300)
    community.record_audit(team, year=2011, results={"cns_seen": 70.0})
    community.join(email="mallory@example.org", name="<img src=x onerror=alert(1)>",
                   role="clinical_lead", team_id=team, password=PASSWORD)
    assert log_in(client, "mallory@example.org").status_code == 302

    html = client.get(f"/teams/{team}").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # in the header, by the macro
    assert "<i>Italic</i>" not in html and "&lt;i&gt;Italic&lt;/i&gt; MDT" in html
    assert "<b>Bold</b>" not in html
    assert network  # the rest of the network is there too
