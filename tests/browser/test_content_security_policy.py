"""The Content-Security-Policy in a real browser (issue 13): the NHS.UK scripts still
run (their inline start carries the answer's nonce), the fonts and icons still load,
and Chromium reports no violation on the main pages."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import NINA, logged_in
from tests.builders import SmallNetwork


def test_the_main_pages_break_no_rule_of_the_policy_and_their_scripts_run(
        page: Page, network: SmallNetwork) -> None:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    logged_in(page, NINA)
    for path in ("/", "/directory", "/qips", "/events", f"/teams/{network.south}",
                 "/profile", "/notifications"):
        page.goto(path)
        # The nonce'd inline script marked the page; initAll then ran the components.
        expect(page.locator("body")).to_have_class(_has("nhsuk-frontend-supported"))
    assert refused == []


def _has(word: str) -> Any:
    import re

    return re.compile(rf"(^|\s){word}(\s|$)")
