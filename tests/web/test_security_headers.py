"""Headers every answer carries (issue 13): a strict Content-Security-Policy whose only
inline scripts are the page's own, nonce'd; no framing; no referrer sent elsewhere; no
sniffing; personal pages and the API kept out of caches; and, outside tests and plain-
HTTP development, HSTS and a session cookie sent only over HTTPS."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tests.builders import SmallNetwork
from tests.web.reading import log_in

NINA = "nina.nurse@northshire.nhs.uk"


def policy(response: Any) -> dict[str, str]:
    found = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        found[name] = value
    return found


def test_every_page_says_where_scripts_styles_and_fonts_may_come_from(client: Any) -> None:
    page = client.get("/login")
    csp = policy(page)

    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["style-src"] == "'self'"
    assert "https://assets.nhs.uk" in csp["font-src"]  # the NHS.UK Frutiger fonts
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"


def test_the_only_inline_scripts_carry_this_answers_nonce_and_no_markup_has_inline_style(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip_id = community.draft_qip(
        by=network.nurse, title="CNS at diagnosis", key_area="cns_access",
        aim="Raise the share of patients who meet a CNS at diagnosis from 61% to 80% by 2012.",
        timeframe="October 2011 to March 2012",
        measures=[{"name": "Seen", "unit": "%", "baseline": 61, "target": 80}])
    community.share_qip(qip_id, shared_on="2011-11-01")
    community.record_progress(qip_id, by=network.nurse, measure="Seen", value=3,
                              recorded_on="2012-01-01")
    nonces = set()
    for path in ("/", "/directory", f"/qips/{qip_id}", f"/qips/{qip_id}/history"):
        page = nina.get(path)
        html = page.data.decode()
        nonce = re.search(r"'nonce-([^']+)'", policy(page)["script-src"]).group(1)
        nonces.add(nonce)
        inline = re.findall(r"<script\b(?![^>]*\bsrc=)([^>]*)>", html)
        assert inline, path
        assert all(f'nonce="{nonce}"' in attrs for attrs in inline), path
        assert not re.search(r"<style\b|\sstyle=", html), path
    assert len(nonces) == 4  # a new nonce for every answer


def test_personal_pages_and_api_answers_are_not_stored_by_caches(
        nina: Any, network: SmallNetwork) -> None:
    for path in ("/", "/directory", "/notifications", "/api/v1/me"):
        assert nina.get(path).headers["Cache-Control"] == "no-store", path


def test_served_over_https_the_session_cookie_is_secure_and_hsts_is_sent(
        community: Any, network: SmallNetwork) -> None:
    from web import create_app

    app = create_app(replace(community.settings, testing=False), community=community)
    client = app.test_client()
    answer = log_in(client, NINA)

    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "; Secure" in cookie and "; HttpOnly" in cookie
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_in_plain_http_development_the_cookie_is_not_secure_and_no_hsts(
        community: Any, network: SmallNetwork) -> None:
    from web import create_app

    app = create_app(replace(community.settings, testing=False, plain_http=True),
                     community=community)
    answer = log_in(app.test_client(), NINA)

    assert "Secure" not in answer.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in answer.headers
