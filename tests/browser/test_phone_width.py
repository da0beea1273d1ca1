"""On a 390 px phone no page scrolls sideways: not the pages, not the header and its
navigation, for a participant and for an organiser, on the demo's real-sized data.
A wide table may scroll inside its own box; the page itself never does."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import DEMO_PASSWORD, ORGANISER_EMAIL, PARTICIPANT_EMAIL, logged_in

PHONE = {"width": 390, "height": 844}

EVERYONE = ["/", "/directory", "/counterparts", "/counterparts?page=2", "/qips",
            "/follow-ups", "/events", "/visits", "/contacts", "/search?q=biopsy", "/profile"]
ORGANISERS = ["/organise", "/sustainability", "/sustainability?months=all",
              "/organise/pairing", "/organise/outbox", "/organise/outbox/send-all",
              "/organise/follow-ups", "/organise/reviews", "/organise/introductions",
              "/organise/events/new", "/organise/import"]
# One page of each kind, reached by the first link to it on a listing.
ONE_OF_EACH = [("/directory", "a[href^='/teams/']"), ("/directory", "a[href^='/members/']"),
               ("/qips", "a[href^='/qips/']:not([href$='/new'])"),
               ("/events", "a[href^='/events/']"),
               ("/visits", "a[href^='/visits/']:not([href$='/new'])")]

WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1;
  }).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className == 'string'
    ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 3)};
}"""


def sideways(page: Page) -> str | None:
    """What makes the page wider than the screen, or None when nothing does."""
    found = page.evaluate(WIDER_THAN_THE_SCREEN)
    if found["scroll"] <= found["width"]:
        return None
    return f"{found['scroll']} px wide on a {found['width']} px screen ({found['wide']})"


@pytest.mark.parametrize("email, name, paths", [
    (PARTICIPANT_EMAIL, None, EVERYONE),
    (ORGANISER_EMAIL, "Helen Marsh", EVERYONE + ORGANISERS),
], ids=["participant", "organiser"])
def test_no_main_page_scrolls_sideways_on_a_390_px_phone(
        page: Page, demo: Any, email: str, name: str | None, paths: list[str]) -> None:
    page.set_viewport_size(PHONE)
    logged_in(page, email, DEMO_PASSWORD, name=name)
    pages = list(paths)
    for listing, link in ONE_OF_EACH:
        page.goto(listing)
        found = page.locator(link)
        if found.count():
            pages.append(found.first.get_attribute("href"))

    too_wide = {}
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response.status}"
        if problem := sideways(page):
            too_wide[path] = problem
    assert not too_wide, too_wide


def test_the_header_and_its_menu_fit_a_390_px_phone(page: Page, demo: Any) -> None:
    page.set_viewport_size(PHONE)
    logged_in(page, ORGANISER_EMAIL, DEMO_PASSWORD, name="Helen Marsh")
    page.goto("/directory")
    menu = page.locator(".nhsuk-header__menu-toggle")
    if menu.count() and menu.is_visible():  # the navigation folds into "More" on phones
        menu.click()
        assert page.locator(".nhsuk-header__menu-list").is_visible()

    assert sideways(page) is None, sideways(page)
