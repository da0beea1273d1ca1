"""A member's account in the browser, on a 390 px phone (issue 13): from the header to
the Account pages, changing the password, and "log out everywhere" ending the other
browser's session."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import NINA, account, log_in, logged_in
from tests.browser.test_phone_width import PHONE, sideways
from tests.builders import SmallNetwork

NEW_PASSWORD = "plums in the larder"


def fits(page: Page) -> bool:
    """Whether the page, once loaded (the header folds its menu then), fits the screen."""
    page.wait_for_load_state("load")
    return sideways(page) is None


def test_a_member_changes_their_password_and_logs_out_everywhere_on_a_phone(
        page: Page, new_context: Callable[..., Any], network: SmallNetwork) -> None:
    page.set_viewport_size(PHONE)
    elsewhere = new_context().new_page()
    logged_in(elsewhere, NINA)
    logged_in(page, NINA)

    page.goto("/directory")
    account(page).get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("table.account-sessions > tbody > tr")).to_have_count(2)
    assert fits(page)

    page.get_by_role("link", name="Change your password", exact=True).click()
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("alert")).to_contain_text("Current password is wrong")
    assert fits(page)
    page.get_by_label("Current password").fill("correct horse battery")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
    expect(page.locator("table.account-sessions > tbody > tr")).to_have_count(1)

    elsewhere.goto("/directory")
    expect(elsewhere).to_have_url(re.compile(r"/login"))

    page.get_by_role("link", name="Recent logins to your account").click()
    expect(page.locator("table.account-logins > tbody > tr")).to_have_count(2)
    assert fits(page)
    page.goto("/account")
    page.get_by_role("button", name="Log out everywhere").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    log_in(page, NINA, NEW_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login"))
