"""Finding a counterpart and recording the contact, in a real browser."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import DEMO_PASSWORD, NINA, PARTICIPANT_EMAIL, logged_in


def test_the_demo_nurse_finds_nurses_strong_on_cns_contact_and_records_a_contact(
        page: Any, demo: Any) -> None:
    logged_in(page, PARTICIPANT_EMAIL, DEMO_PASSWORD, name="Priya Shah")
    page.goto("/counterparts")

    cards = page.locator("li.counterpart")
    expect(cards).to_have_count(10)  # ten a page; the next ten on page 2
    first = cards.first
    expect(first).to_contain_text("Same role as you: Lung cancer nurse specialist")
    expect(first).to_contain_text(
        "Their team does well on \u201cSeen by a lung cancer nurse specialist\u201d")
    name = first.locator("h2").inner_text()

    first.get_by_text(f"I contacted {name}").click()
    first.get_by_label("What did you talk about?").fill("Running a nurse-led clinic")
    first.get_by_label("How were you in touch?").select_option("phone")
    first.get_by_role("button", name="Record the contact").click()

    expect(page).to_have_url(re.compile(r"/contacts$"))
    expect(page.get_by_text(f"Recorded: you contacted {name}.")).to_be_visible()
    row = page.locator("table.contacts tbody tr").filter(has_text="Running a nurse-led clinic")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("Phone")


def test_asking_for_an_introduction_is_confirmed_on_the_page(page: Any, network: Any) -> None:
    logged_in(page, NINA)
    page.goto("/counterparts?distance=far")

    card = page.locator("li.counterpart").filter(has_text="Sara South")
    card.get_by_text("Ask the organisers to introduce me").click()
    card.get_by_label("Why would you like to meet Sara South?").fill("Her nurse-led clinic")
    card.get_by_role("button", name="Send the request").click()

    expect(page.get_by_text("The organisers have your request to be introduced to Sara South."
                            )).to_be_visible()
