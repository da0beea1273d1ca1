"""Pairing the demo's teams for a new round of peer review, in a real browser."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import DEMO_PASSWORD, ORGANISER_EMAIL, logged_in, main_nav


def test_the_organiser_opens_pair_teams_sees_fifteen_pairs_with_reasons_and_accepts(
        page: Any, demo: Any) -> None:
    logged_in(page, ORGANISER_EMAIL, DEMO_PASSWORD, name="Helen Marsh")
    nav = main_nav(page)
    nav.get_by_role("link", name="Organise").click()  # the organisers' hub of tools
    page.get_by_role("link", name="Pair teams").click()

    expect(page).to_have_url(re.compile(r"/organise/pairing$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pair teams")
    expect(page.get_by_role("heading", name="Proposed pairs for round 2")).to_be_visible()
    pairs = page.locator("li.pair")
    expect(pairs).to_have_count(15)
    for card in pairs.all():
        expect(card.locator("ul.reasons li")).not_to_have_count(0)
        expect(card).to_contain_text("km apart")
        expect(card).to_contain_text("Similar caseloads")
        expect(card.locator(".figures")).not_to_be_visible()  # folded in "Weights and figures"
    expect(page.locator("table.unpaired")).to_have_count(0)
    first, second = pairs.first.get_attribute("data-first"), pairs.first.get_attribute(
        "data-second")
    expect(page.locator("#first-1")).to_have_value(first)
    expect(page.locator("#second-1")).to_have_value(second)

    page.get_by_role("button", name="Accept these pairs").click()

    # A confirmation says what will happen before anything is recorded.
    expect(page.get_by_role("heading", level=1)).to_have_text("Record these pairs?")
    expect(page.locator(".pairing-consequence")).to_contain_text(
        "15 pairs will be recorded for round 2.")
    expect(page.locator(".pairing-consequence")).to_contain_text("This cannot be undone")
    page.get_by_role("button", name="Record these pairs").click()

    expect(page.get_by_text("15 pairs recorded for round 2.")).to_be_visible()
    expect(page.locator("table.recorded-pairs tbody tr")).to_have_count(15)
    expect(page.get_by_role("button", name="Accept these pairs")).to_have_count(0)
    expect(page.get_by_role("link", name="Back to Pair teams")).to_be_visible()
    page.goto(f"/teams/{first}")
    expect(page.locator("ul.pairing")).to_contain_text("(round 2")


def test_choosing_a_team_twice_shows_an_error_summary_naming_the_pair(page: Any,
                                                                     demo: Any) -> None:
    logged_in(page, ORGANISER_EMAIL, DEMO_PASSWORD, name="Helen Marsh")
    page.goto("/organise/pairing?min_distance_km=150")
    team = page.locator("#first-1").input_value()

    page.locator("#second-2").select_option(team)
    page.get_by_role("button", name="Accept these pairs").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Pair 2: ")
    expect(summary).to_contain_text("is already in pair 1")
    summary.get_by_role("link").first.click()
    expect(page.locator("#second-2")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Pair teams"))
