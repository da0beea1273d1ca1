"""What a person does in the browser, for the browser tests: log in, log out, read tables.

    from tests.browser.helpers import NINA, logged_in
    def test_something(page, network):
        logged_in(page, NINA)
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

from community.demo import DEMO_PASSWORD, ORGANISER_EMAIL, PARTICIPANT_EMAIL
from tests.builders import PASSWORD

# The small network's people (tests/builders.py), all with PASSWORD.
NINA = "nina.nurse@northshire.nhs.uk"      # nurse specialist, Northshire
LIAM = "liam.lead@northshire.nhs.uk"       # clinical lead, Northshire
SARA = "sara.south@southmoor.nhs.uk"       # nurse specialist, Southmoor
OLIVE = "olive.organiser@example.org"      # organiser
NAMES = {NINA: "Nina Nurse", LIAM: "Liam Lead", SARA: "Sara South", OLIVE: "Olive Organiser"}
# The measure of the shared QIP with no values yet (the `active` fixture in conftest.py).
MEASURE = "Patients seen by a CNS"

__all__ = [
    "DEMO_PASSWORD",
    "LIAM",
    "MEASURE",
    "NAMES",
    "NINA",
    "OLIVE",
    "ORGANISER_EMAIL",
    "PARTICIPANT_EMAIL",
    "PASSWORD",
    "SARA",
    "account",
    "column",
    "log_in",
    "log_out",
    "logged_in",
    "main_nav",
]


def log_in(page: Page, email: str, password: str = PASSWORD, next_page: str | None = None
           ) -> None:
    """Fill in and send the login form, as a person would. Checks nothing."""
    page.goto("/login" + (f"?next={next_page}" if next_page else ""))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def logged_in(page: Page, email: str, password: str = PASSWORD, name: str | None = None,
              next_page: str | None = None) -> Page:
    """Log in and check it worked: the header names the member. Returns the page.

    ``name`` is who the header should show; the small network's names are known.
    """
    log_in(page, email, password, next_page)
    expected = name or NAMES.get(email)
    if expected:
        expect(account(page)).to_contain_text(expected)
    else:
        expect(account(page).get_by_role("button", name="Log out")).to_be_visible()
    return page


def log_out(page: Page) -> None:
    account(page).get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def account(page: Page) -> Any:
    """The header's account area: the member's name and the Log out button."""
    return page.get_by_role("navigation", name="Your account")


def main_nav(page: Page) -> Any:
    """The header's main navigation links."""
    return page.get_by_role("navigation", name="Main")


def column(page: Page, table: str, number: int = 0) -> Locator:
    """The cells of one column (0 is the first) of a table's body, the table named by its
    CSS class. Responsive tables repeat each column's heading inside its cells for small
    screens (hidden on wide ones), so compare what is shown:
    ``expect(column(page, "members")).to_have_text([...], use_inner_text=True)``."""
    return page.locator(f"table.{table} > tbody > tr > :nth-child({number + 1})")
