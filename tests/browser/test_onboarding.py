"""Onboarding in a real browser (Chromium): an organiser checks a members.csv on the
upload page, and an invited member sets their password through their link."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import OLIVE, account, log_out, logged_in
from tests.builders import SmallNetwork

BAD_MEMBERS = ("email,name,role,team\n"
               "wendy@westward.nhs.uk,Wendy West,MDT co-ordinator,Northshire lung cancer MDT\n"
               "not-an-email,Bad Address,Oncologist,Northshire lung cancer MDT\n"
               "lee@nowhere.nhs.uk,Lee,Oncologist,Nowhere MDT\n"
               "WENDY@westward.nhs.uk,Wendy again,Oncologist,Northshire lung cancer MDT\n")
MEMBERS = ("email,name,role,team\n"
           "wendy@westward.nhs.uk,Wendy West,MDT co-ordinator,Northshire lung cancer MDT\n")


def choose_file(page: Page, tmp_path: Path, kind: str, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.get_by_label(kind).check()
    page.locator("input[type=file][name=file]").set_input_files(path)


def events(community: Any) -> int:
    return community.recorder.max_notification_id() or 0


def test_checking_a_bad_members_file_shows_the_row_errors_and_writes_nothing(
        page: Page, network: SmallNetwork, community: Any, tmp_path: Path) -> None:
    before = events(community)
    logged_in(page, OLIVE)
    page.goto("/organise/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import teams or members")

    choose_file(page, tmp_path, "Members (members.csv)", "members.csv", BAD_MEMBERS)
    page.get_by_role("button", name="Check the file").click()

    expect(page).to_have_title("Error: Import teams or members – Clinical Community")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_text(re.compile(
        r"members\.csv has 3 problems: nothing was imported"))
    rows = page.locator("table.problems > tbody > tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td")).to_have_text(
        ["3", "email", "must be an e-mail address like name@nhs.net"])
    expect(rows.nth(1).locator("td")).to_have_text(
        ["4", "team", re.compile(r"no team named 'Nowhere MDT' is registered")])
    expect(rows.nth(2).locator("td")).to_have_text(
        ["5", "email", "WENDY@westward.nhs.uk is already on line 2"])
    # Following the summary's link goes to the table of problems.
    summary.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#problems$"))
    assert events(community) == before


def test_an_invited_member_sets_a_password_and_is_logged_in(
        page: Page, network: SmallNetwork, community: Any, tmp_path: Path) -> None:
    logged_in(page, OLIVE)
    page.goto("/organise/import")
    choose_file(page, tmp_path, "Members (members.csv)", "members.csv", MEMBERS)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("table.new-rows > tbody > tr")).to_have_count(1)
    page.get_by_role("button", name="Import 1 new member").click()

    expect(page.get_by_text("members.csv is imported")).to_be_visible()
    link = page.get_by_label("Invitation link for Wendy West").input_value()
    assert re.search(r"/invitations/[\w.-]+$", link)
    log_out(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Type the same password again").fill("short")
    page.get_by_role("button", name="Set my password and log in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Your password must be at least 10 characters")

    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Type the same password again").fill("a long enough password")
    page.get_by_role("button", name="Set my password and log in").click()
    expect(page).to_have_url(re.compile(r"/$"))  # her home page
    expect(account(page)).to_contain_text("Wendy West")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has been used")
