"""The main pages in a real browser (Chromium): what a person sees and does."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import NINA, OLIVE, account, column, log_in, log_out, logged_in, main_nav
from tests.builders import SmallNetwork

NHS_BLUE = "rgb(0, 94, 184)"


# --- logging in and out ---------------------------------------------------------------


def test_a_wrong_password_shows_the_error_summary_linked_to_the_field(
        page: Page, network: SmallNetwork) -> None:
    log_in(page, NINA, password="not the password")

    expect(page).to_have_title("Error: Log in – Clinical Community")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    problem = summary.get_by_role("link",
                                  name="That e-mail address and password do not match a member")
    expect(problem).to_have_attribute("href", "#email")
    # The field carries the same message, and keeps what was typed.
    expect(page.locator("#email-error")).to_contain_text("do not match a member")
    expect(page.get_by_label("E-mail address")).to_have_value(NINA)
    # Following the summary's link puts the cursor in the field.
    problem.click()
    expect(page.get_by_label("E-mail address")).to_be_focused()
    expect(account(page)).to_have_count(0)


def test_logging_in_lands_on_my_home_page_with_my_name_in_the_header(
        page: Page, network: SmallNetwork) -> None:
    logged_in(page, NINA)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your community")
    expect(account(page)).to_contain_text("Nina Nurse")
    expect(page.get_by_text("Welcome, Nina Nurse.")).to_be_visible()
    nav = main_nav(page)
    # Home is reached by the logo, not a navigation item: none is marked current.
    expect(nav.get_by_role("link", name="Directory")).not_to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="QIP library")).to_be_visible()
    expect(nav.get_by_role("link", name="Sustainability")).to_have_count(0)
    # The NHS.UK stylesheet is loaded and applied: the header is NHS blue.
    expect(page.locator("header.nhsuk-header")).to_have_css("background-color", NHS_BLUE)


def test_javascript_only_enhances_the_login_form(page: Page, network: SmallNetwork) -> None:
    """nhsuk-frontend's initAll (an ES module) reveals the "Show" password button."""
    page.goto("/login")
    page.get_by_label("Password", exact=True).fill("secret")
    show = page.get_by_role("button", name="Show password")
    expect(show).to_be_visible()
    show.click()
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("type", "text")


def test_the_pages_work_without_javascript(new_context: Any, network: SmallNetwork) -> None:
    page = new_context(java_script_enabled=False).new_page()
    expect(page.get_by_role("button", name="Show password")).to_have_count(0)
    logged_in(page, NINA, next_page="/directory")
    expect(page.get_by_role("button", name="Show password")).to_have_count(0)

    page.get_by_label("Role").select_option(label="Lung cancer nurse specialist")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(column(page, "members")).to_have_text(["Nina Nurse you", "Sara South"],
                                                use_inner_text=True)
    log_out(page)


def test_logging_out_ends_the_session(page: Page, network: SmallNetwork) -> None:
    logged_in(page, NINA)
    log_out(page)

    expect(page.get_by_text("You have logged out.")).to_be_visible()
    expect(account(page)).to_have_count(0)
    page.goto("/directory")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)directory$"))
    expect(page.get_by_text("Log in to see the community.")).to_be_visible()


# --- the directory ------------------------------------------------------------------


def test_a_role_filter_narrows_the_directory_search(page: Page, network: SmallNetwork) -> None:
    logged_in(page, NINA, next_page="/directory")
    expect(page.locator("table.members tbody tr")).to_have_count(4)

    page.get_by_label("Role").select_option(label="Lung cancer nurse specialist")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"role=lung_cancer_nurse_specialist"))
    expect(page.get_by_text("Showing 1–2 of 2 members")).to_be_visible()
    expect(column(page, "members")).to_have_text(["Nina Nurse you", "Sara South"],
                                                use_inner_text=True)
    expect(page.get_by_label("Role")).to_have_value("lung_cancer_nurse_specialist")

    page.get_by_label("Search", exact=True).fill("ebus")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(column(page, "members")).to_have_text(["Sara South"], use_inner_text=True)

    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator("table.members tbody tr")).to_have_count(4)


# --- team pages --------------------------------------------------------------------


def test_a_team_page_shows_audit_results_against_the_standard(
        page: Page, network: SmallNetwork) -> None:
    logged_in(page, NINA)
    page.get_by_role("link", name="Northshire lung cancer MDT").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Northshire lung cancer MDT")
    expect(page.get_by_role("heading", name="Audit results for 2011")).to_be_visible()
    audit = page.locator("table.audit")
    expect(audit.locator("thead th")).to_have_text(
        ["Indicator", "Northshire lung cancer MDT", "National figure", "Standard", "Verdict"])
    cns = audit.locator("tbody tr", has_text="Seen by a lung cancer nurse specialist")
    expect(cns.locator("th, td")).to_have_text(
        ["Seen by a lung cancer nurse specialist", "61%", "none", "at least 80%",
         "Below standard"], use_inner_text=True)
    expect(cns.locator(".nhsuk-tag")).to_have_class(re.compile(r"nhsuk-tag--red"))
    # Back to the directory by the breadcrumb.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Network directory").first.click()
    expect(page).to_have_url(re.compile(r"/directory$"))


# --- the QIP library -----------------------------------------------------------------


def test_the_qip_library_filters_by_key_area(page: Page, plans: dict[str, Any]) -> None:
    logged_in(page, NINA)
    main_nav(page).get_by_role("link", name="QIP library").click()
    titles = page.locator(".results .nhsuk-card__heading a")
    expect(titles).to_have_text(["Faster CT-guided biopsy", "Nurse specialist at every diagnosis"])

    page.get_by_label("Key area").select_option(label="Access to nurse specialists")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(titles).to_have_text(["Nurse specialist at every diagnosis"])
    expect(page.get_by_text("Showing 1–1 of 1 QIPs")).to_be_visible()
    titles.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nurse specialist at every diagnosis")
    expect(page.locator("table.measures tbody tr").first).to_contain_text(
        "Improving, not yet at target")


# --- sustainability ------------------------------------------------------------------


def test_an_organiser_sees_the_sustainability_dashboard_with_its_chart(
        page: Page, activity: None) -> None:
    logged_in(page, OLIVE)
    main_nav(page).get_by_role("link", name="Sustainability").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Is the network sustaining itself?")
    chart = page.get_by_role("img", name="Bar chart of active members per month")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar")).to_have_count(4)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 80
    expect(page.locator("table.months tbody tr")).to_have_count(4)
    expect(page.get_by_text("1 follow-up request is still waiting for a first answer.")
           ).to_be_visible()


def test_a_participant_is_refused_the_sustainability_dashboard(
        page: Page, activity: None) -> None:
    logged_in(page, NINA)
    response = page.goto("/sustainability")

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(account(page)).to_contain_text("Nina Nurse")
    expect(page.get_by_role("img", name="Bar chart of active members per month")).to_have_count(0)


# --- the page frame -----------------------------------------------------------------


def test_pages_never_fetch_anything_from_outside_the_app(
        page: Page, context: Any, network: SmallNetwork) -> None:
    """Only the NHS.UK web fonts are asked for elsewhere, and refused: Arial stands in."""
    logged_in(page, NINA)
    page.goto("/qips")
    assert all(url.startswith("https://assets.nhs.uk/fonts/") for url in context.blocked_urls)
    assert page.evaluate("document.body.classList.contains('nhsuk-frontend-supported')")
