"""The HTML pages, through the Flask test client, asserting what a person sees.

Forms are posted with the token the page gave, as a browser would, so CSRF
protection stays on in every test here.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.builders import PASSWORD, SmallNetwork, add_activity_around_the_funding_end
from tests.web.forms import form_on
from tests.web.reading import links, log_in, log_out, selected, table, text

NINA = "nina.nurse@northshire.nhs.uk"
SARA = "sara.south@southmoor.nhs.uk"
OLIVE = "olive.organiser@example.org"


def location(response: Any) -> str:
    return response.headers["Location"]


# --- logged out -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/directory", "/qips", "/sustainability", "/sustainability.csv"])
def test_logged_out_visits_go_to_the_login_page_and_show_nothing_personal(
        client: Any, network: SmallNetwork, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    target = urlsplit(location(response))
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [path]

    page = client.get(location(response))
    assert page.status_code == 200
    seen = text(page.data)
    assert "Log in to see the community." in seen
    for personal in ("Nina", "Sara", "Olive", "northshire.nhs.uk", "Northshire", "Log out"):
        assert personal not in seen


def test_logged_out_team_and_qip_pages_redirect_too(client: Any, network: SmallNetwork) -> None:
    for path in (f"/teams/{network.north}", "/qips/anything"):
        response = client.get(path)
        assert response.status_code == 302
        assert urlsplit(location(response)).path == "/login"


def test_the_start_page_sends_people_to_log_in_or_is_their_home(
        client: Any, network: SmallNetwork) -> None:
    assert urlsplit(location(client.get("/"))).path == "/login"
    log_in(client, NINA)
    assert client.get("/").status_code == 200


# --- logging in and out ------------------------------------------------------------------


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_email(
        client: Any, network: SmallNetwork) -> None:
    response = log_in(client, NINA, password="not the password")
    assert response.status_code == 401
    seen = text(response.data)
    assert "There is a problem" in seen
    assert "That e-mail address and password do not match a member" in seen
    assert 'role="alert"' in response.get_data(as_text=True)
    assert f'value="{NINA}"' in response.get_data(as_text=True)
    assert links(response.data)["That e-mail address and password do not match a member"] == "#email"
    # Still logged out.
    assert client.get("/directory").status_code == 302


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(
        client: Any, network: SmallNetwork) -> None:
    response = log_in(client, "nobody@example.org")
    assert response.status_code == 401
    assert "do not match a member" in text(response.data)


def test_empty_fields_each_say_what_to_do(client: Any, network: SmallNetwork) -> None:
    response = log_in(client, "", password="")
    assert response.status_code == 400
    seen = text(response.data)
    assert "Enter your e-mail address" in seen
    assert "Enter your password" in seen


def test_logging_in_lands_on_the_home_page_and_the_directory_lists_the_members(
        client: Any, network: SmallNetwork) -> None:
    response = log_in(client, NINA)
    assert response.status_code == 302
    assert location(response) == "/"
    page = client.get("/directory")
    seen = text(page.data)
    assert "Welcome, Nina Nurse." in seen
    names = [row[0] for row in table(page.data, "members")["body"]]
    assert names == ["Liam Lead", "Nina Nurse you", "Olive Organiser", "Sara South"]
    assert "Showing 1–4 of 4 members" in seen


def test_the_navigation_shows_the_pages_a_member_may_use(
        client: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    page = client.get("/directory")
    nav = links(page.data)
    assert nav["Directory"] == "/directory"
    assert nav["QIP library"] == "/qips"
    assert "Sustainability" not in nav
    seen = text(page.data)
    assert "Logged in as Nina Nurse" in seen
    assert "Log out" in seen
    assert 'aria-current="page"' in page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    assert re.search(r'<a\s+class="nhsuk-skip-link"[^>]*href="#maincontent"', html)
    assert '<main class="nhsuk-main-wrapper" id="maincontent"' in html


def test_organisers_see_the_sustainability_link(client: Any, network: SmallNetwork) -> None:
    log_in(client, OLIVE)
    assert links(client.get("/directory").data)["Sustainability"] == "/sustainability"


def test_logging_in_returns_to_the_page_asked_for(client: Any, network: SmallNetwork) -> None:
    response = log_in(client, NINA, next_page="/qips")
    assert location(response) == "/qips"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "evil.example",
])
def test_logging_in_never_follows_next_off_the_site(
        client: Any, network: SmallNetwork, target: str) -> None:
    response = client.get("/login", query_string={"next": target})
    assert "evil.example" not in response.get_data(as_text=True)
    # The page's form drops the unsafe next, so a browser cannot send it from here: this
    # body is the real form's, posted to a tampered address to check the handler too.
    body = form_on(response.data, "/login").data({"email": NINA, "password": PASSWORD})
    response = client.post("/login", query_string={"next": target}, data=body)
    assert response.status_code == 302
    assert location(response) == "/"


def test_the_login_form_keeps_a_safe_next_for_its_post(client: Any, network: SmallNetwork) -> None:
    page = client.get("/login?next=/qips").get_data(as_text=True)
    assert 'action="/login?next=/qips"' in page
    assert 'action="/login"' in client.get("/login?next=https://evil.example/").get_data(
        as_text=True)


def test_logging_out_is_a_post_and_ends_the_session(client: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    assert client.get("/logout").status_code == 405
    response = log_out(client)
    assert response.status_code == 302
    assert location(response) == "/login"
    assert "You have logged out." in text(client.get("/login").data)
    assert client.get("/directory").status_code == 302


def test_a_post_without_the_form_token_is_refused(
        web_app: Any, client: Any, network: SmallNetwork) -> None:
    assert web_app.config.get("WTF_CSRF_ENABLED", True)
    # A browser always sends the token; a post from elsewhere would not: the real form's
    # fields with the token taken out.
    body = form_on(client.get("/login").data, "/login").data({"email": NINA,
                                                                "password": PASSWORD})
    del body["csrf_token"]
    refused = client.post("/login", data=body)
    assert refused.status_code == 400
    seen = text(refused.data)
    assert "There is a problem" in seen
    assert "This form has expired or did not come from this site" in seen
    assert client.get("/directory").status_code == 302  # not logged in

    log_in(client, NINA)
    logout = form_on(client.get("/directory").data, "/logout").data({})
    assert client.post("/logout", data={**logout, "csrf_token": "forged"}).status_code == 400
    del logout["csrf_token"]
    assert client.post("/logout", data=logout).status_code == 400
    assert client.get("/directory").status_code == 200  # still logged in


# --- the directory -------------------------------------------------------------------


def names_on(page: Any) -> list[str]:
    return [row[0].removesuffix(" you") for row in table(page.data, "members")["body"]]


def test_search_and_role_filter_narrow_the_directory(nina: Any, network: SmallNetwork) -> None:
    assert names_on(nina.get("/directory?q=nurse-led")) == ["Nina Nurse", "Sara South"]
    assert names_on(nina.get("/directory?q=ebus")) == ["Sara South"]

    page = nina.get("/directory?role=lung_cancer_nurse_specialist")
    assert names_on(page) == ["Nina Nurse", "Sara South"]
    assert selected(page.data, "role") == ["lung_cancer_nurse_specialist"]

    page = nina.get("/directory?role=lung_cancer_nurse_specialist&region=South+West")
    assert names_on(page) == ["Sara South"]
    assert "Showing 1–1 of 1 members" in text(page.data)

    assert names_on(nina.get(f"/directory?team={network.north}")) == ["Liam Lead", "Nina Nurse"]


def test_the_directory_shows_role_team_trust_region_and_expertise(
        nina: Any, network: SmallNetwork) -> None:
    page = nina.get("/directory?q=sara")
    rows = table(page.data, "members")
    assert rows["head"][0] == ["Name", "Role", "Team and trust", "Region", "Expertise",
                               "E-mail"]
    assert rows["body"] == [["Sara South", "Lung cancer nurse specialist",
                             "Southmoor lung cancer MDT Southmoor NHS Foundation Trust",
                             "South West", "ebus nurse-led clinics", SARA]]
    assert links(page.data)["Southmoor lung cancer MDT"] == f"/teams/{network.south}"


def test_a_search_with_no_match_says_so_and_offers_to_clear_the_filters(nina: Any) -> None:
    page = nina.get("/directory?q=zzzz&role=pathologist")
    assert page.status_code == 200
    seen = text(page.data)
    assert "No members match your search" in seen
    assert links(page.data)["Clear the filters and see everyone"] == "/directory"
    assert "<table" not in page.get_data(as_text=True)


def test_unknown_filter_values_are_ignored(nina: Any) -> None:
    page = nina.get("/directory?role=astronaut&team=nope&region=Atlantis&page=x")
    assert page.status_code == 200
    assert len(names_on(page)) == 4


def test_the_directory_pages_fifty_members_at_a_time_keeping_the_filters(
        community: Any, nina: Any, network: SmallNetwork) -> None:
    for i in range(55):
        community.join(email=f"member{i:02d}@northshire.nhs.uk", name=f"Member {i:02d}",
                       role="radiologist", team_id=network.north)

    first = nina.get(f"/directory?team={network.north}")
    assert "Showing 1–50 of 57 members" in text(first.data)
    assert len(names_on(first)) == 50
    nav = links(first.data)
    assert "Previous page" not in nav
    next_link = urlsplit(nav["Next page"])
    assert parse_qs(next_link.query) == {"team": [str(network.north)], "page": ["2"]}
    assert "Page 1 of 2" in text(first.data)

    second = nina.get(nav["Next page"])
    assert "Showing 51–57 of 57 members" in text(second.data)
    assert len(names_on(second)) == 7
    back = links(second.data)
    assert "Next page" not in back
    assert parse_qs(urlsplit(back["Previous page"]).query) == {"team": [str(network.north)]}

    # A page past the end shows the last page rather than nothing.
    assert "Showing 51–57 of 57 members" in text(nina.get(
        f"/directory?team={network.north}&page=9").data)
    assert "Showing 51–57 of 57 members" in text(nina.get(
        f"/directory?team={network.north}&page={10 ** 30}").data)


def test_emails_show_only_with_consent_or_to_the_member_themselves(
        community: Any, nina: Any, network: SmallNetwork) -> None:
    community.update_profile(network.other_nurse, by=None, role="lung_cancer_nurse_specialist",
                             expertise=["ebus"], consents_to_contact=False)
    community.update_profile(network.nurse, by=None, role="lung_cancer_nurse_specialist",
                             expertise=[], consents_to_contact=False)
    page = nina.get("/directory")
    html = page.get_data(as_text=True)
    assert SARA not in html
    assert NINA in html  # her own, though she keeps it from others
    assert "liam.lead@northshire.nhs.uk" in html  # consents by default
    rows = {row[0]: row[-1] for row in table(page.data, "members")["body"]}
    assert rows["Sara South"] == "Not shared"

    log_out(nina)
    log_in(nina, "liam.lead@northshire.nhs.uk")
    html = nina.get("/directory").get_data(as_text=True)
    assert NINA not in html and SARA not in html
    assert SARA not in nina.get(f"/teams/{network.south}").get_data(as_text=True)


# --- team pages ------------------------------------------------------------------------


def test_a_team_page_shows_its_audit_results_against_the_standard(
        nina: Any, network: SmallNetwork) -> None:
    page = nina.get(f"/teams/{network.north}")
    assert page.status_code == 200
    seen = text(page.data)
    assert "Northshire lung cancer MDT" in seen
    assert "Northshire Hospitals NHS Trust" in seen
    assert "North West" in seen
    assert "320 new patients a year" in seen
    assert "Audit results for 2011" in seen
    audit = table(page.data, "audit")
    assert audit["head"][0] == ["Indicator", "Northshire lung cancer MDT", "National figure",
                                "Standard", "Verdict"]
    assert audit["body"] == [
        ["Histological or cytological confirmation", "70.5%", "68%", "at least 75%",
         "Below standard"],
        ["Seen by a lung cancer nurse specialist", "61%", "none", "at least 80%",
         "Below standard"],
    ]
    members = [row[0].removesuffix(" you") for row in table(page.data, "members")["body"]]
    assert members == ["Liam Lead", "Nina Nurse"]

    south = table(nina.get(f"/teams/{network.south}").data, "audit")["body"]
    assert [row[-1] for row in south] == ["Meets standard", "Meets standard"]


def test_a_team_page_shows_each_audit_year_when_there_are_several(
        community: Any, nina: Any, network: SmallNetwork) -> None:
    community.record_audit(network.north, year=2012, results={"cns_seen": 84.0})
    page = nina.get(f"/teams/{network.north}")
    assert "Audit results for 2012" in text(page.data)
    assert table(page.data, "audit")["body"] == [
        ["Seen by a lung cancer nurse specialist", "84%", "none", "at least 80%",
         "Meets standard"]]
    assert "Results by year" in text(page.data)


def test_a_team_page_read_by_one_reader_shows_the_next_only_what_is_theirs(
        community: Any, nina: Any, network: SmallNetwork) -> None:
    # All but a team page's QIPs is kept until a view moves on (web/directory.py): who
    # read it first must not decide what the next reader sees of themselves.
    community.update_profile(network.nurse, by=None, role="lung_cancer_nurse_specialist",
                             expertise=[], consents_to_contact=False)
    north = f"/teams/{network.north}"
    visits_link = "Peer-review visits: feedback, and draft QIPs from it"

    own = nina.get(north).data
    rows = {row[0]: row[-1] for row in table(own, "members")["body"]}
    assert rows == {"Liam Lead": "liam.lead@northshire.nhs.uk", "Nina Nurse you": NINA}
    assert visits_link in text(own)

    log_out(nina)
    log_in(nina, SARA)
    outside = nina.get(north).data
    rows = {row[0]: row[-1] for row in table(outside, "members")["body"]}
    assert rows == {"Liam Lead": "liam.lead@northshire.nhs.uk", "Nina Nurse": "Not shared"}
    assert NINA not in outside.decode() and visits_link not in text(outside)

    log_out(nina)
    log_in(nina, OLIVE)
    assert visits_link in text(nina.get(north).data)

    log_out(nina)
    log_in(nina, "liam.lead@northshire.nhs.uk")
    rows = {row[0]: row[-1] for row in table(nina.get(north).data, "members")["body"]}
    assert rows == {"Liam Lead you": "liam.lead@northshire.nhs.uk", "Nina Nurse": "Not shared"}


def test_a_team_page_lists_its_draft_for_the_team_and_the_organisers_only(
        community: Any, nina: Any, network: SmallNetwork) -> None:
    # The QIPs as the library shows them to each reader (web/library_kept.py).
    community.draft_qip(by=network.nurse, title="CNS at diagnosis", key_area="cns_access",
                        aim="See every patient", timeframe="12 months")
    north = f"/teams/{network.north}"
    assert "CNS at diagnosis" in text(nina.get(north).data)
    for reader, sees in ((SARA, False), (OLIVE, True)):
        log_out(nina)
        log_in(nina, reader)
        assert ("CNS at diagnosis" in text(nina.get(north).data)) is sees, reader


def test_an_unknown_team_is_a_404_page(nina: Any) -> None:
    response = nina.get("/teams/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "Page not found" in text(response.data)
    assert nina.get("/teams/not-an-id").status_code == 404


# --- the QIP library -------------------------------------------------------------------


def cns_measure(**changes: Any) -> dict[str, Any]:
    return {"name": "Patients seen by a CNS", "unit": "%", "baseline": 61, "target": 80,
            "direction": "up", **changes}


@pytest.fixture
def plans(community: Any, network: SmallNetwork) -> dict[str, Any]:
    """A shared plan and a draft in each team."""
    shared = community.draft_qip(
        by=network.other_nurse, title="Nurse specialist at every diagnosis",
        key_area="cns_access", aim="Raise the share of patients who meet a CNS at diagnosis "
        "from 61% to 80% by March 2012.", timeframe="October 2011 to March 2012",
        measures=[cns_measure()])
    community.share_qip(shared, shared_on="2011-11-01")
    community.record_progress(shared, by=network.other_nurse, measure="Patients seen by a CNS",
                              value=66, recorded_on="2011-12-01")
    community.record_progress(shared, by=network.other_nurse, measure="Patients seen by a CNS",
                              value=72, recorded_on="2012-01-01")
    south_draft = community.draft_qip(by=network.other_nurse, title="Secret southern trial plan",
                                      key_area="clinical_trials")
    north_draft = community.draft_qip(by=network.nurse, title="Faster CT-guided biopsy",
                                      key_area="pathway_waits",
                                      measures=[{"name": "Days to biopsy", "unit": "days",
                                                 "baseline": 21, "target": 10,
                                                 "direction": "down"}])
    return {"shared": shared, "south_draft": south_draft, "north_draft": north_draft}


def titles_on(page: Any) -> list[str]:
    return [text(t) for t in re.findall(r'<h3 class="nhsuk-card__heading[^"]*">(.*?)</h3>',
                                        page.get_data(as_text=True), flags=re.S)]


def test_the_library_lists_shared_plans_and_only_my_own_teams_drafts(
        nina: Any, plans: dict[str, Any]) -> None:
    page = nina.get("/qips")
    assert titles_on(page) == ["Faster CT-guided biopsy Not shared yet",
                               "Nurse specialist at every diagnosis"]
    seen = text(page.data)
    assert "Secret southern trial plan" not in seen
    assert "Showing 1–2 of 2 QIPs" in seen
    assert ("Southmoor lung cancer MDT (South West) · Access to nurse specialists · "
            "Shared on 1 November 2011" in seen)
    assert "Raise the share of patients who meet a CNS at diagnosis" in seen
    assert "Patients seen by a CNS: baseline 61% → latest 72% → target 80%" in seen
    assert "Days to biopsy: baseline 21 days → latest – → target 10 days" in seen

    assert nina.get(f"/qips/{plans['south_draft']}").status_code == 404
    assert nina.get(f"/qips/{plans['north_draft']}").status_code == 200


def test_the_other_team_sees_its_own_draft_but_not_ours(
        client: Any, plans: dict[str, Any]) -> None:
    log_in(client, SARA)
    titles = titles_on(client.get("/qips"))
    assert "Secret southern trial plan Not shared yet" in titles
    assert not any("Faster CT-guided biopsy" in t for t in titles)


def test_the_library_filters_by_key_area_search_and_status(
        nina: Any, plans: dict[str, Any]) -> None:
    page = nina.get("/qips?key_area=cns_access")
    assert titles_on(page) == ["Nurse specialist at every diagnosis"]
    assert selected(page.data, "key_area") == ["cns_access"]
    assert titles_on(nina.get("/qips?q=biopsy")) == [
        "Faster CT-guided biopsy Not shared yet"]
    assert titles_on(nina.get("/qips?q=southmoor")) == ["Nurse specialist at every diagnosis"]
    assert titles_on(nina.get("/qips?status=active")) == ["Nurse specialist at every diagnosis"]

    empty = nina.get("/qips?key_area=clinical_trials")
    assert "No QIPs match your search" in text(empty.data)
    assert links(empty.data)["Clear the filters and see every QIP"] == "/qips"


def test_an_empty_library_says_nothing_is_shared_yet(nina: Any) -> None:
    seen = text(nina.get("/qips").data)
    assert "No QIPs shared yet" in seen


def test_a_qip_page_shows_its_measures_and_progress(
        nina: Any, plans: dict[str, Any], network: SmallNetwork) -> None:
    page = nina.get(f"/qips/{plans['shared']}")
    assert page.status_code == 200
    seen = text(page.data)
    assert "Nurse specialist at every diagnosis" in seen
    assert "Access to nurse specialists" in seen
    assert "Sara South, Lung cancer nurse specialist" in seen
    assert "October 2011 to March 2012" in seen
    tables_on_page = table(page.data, "measures")
    assert tables_on_page["body"] == [[
        "Patients seen by a CNS", "Higher is better", "61%", "72% 1 January 2012", "80%",
        "Improving, not yet at target"]]
    assert links(page.data)["Southmoor lung cancer MDT"] == f"/teams/{network.south}"

    draft = text(nina.get(f"/qips/{plans['north_draft']}").data)
    assert "Draft: only your team and the organisers can see it" in draft


def test_an_unknown_qip_is_a_404_page(nina: Any) -> None:
    response = nina.get("/qips/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "Page not found" in text(response.data)


def test_a_team_page_lists_the_teams_plans(nina: Any, plans: dict[str, Any],
                                           network: SmallNetwork) -> None:
    seen = text(nina.get(f"/teams/{network.south}").data)
    assert "Nurse specialist at every diagnosis" in seen
    assert "Secret southern trial plan" not in seen


# --- sustainability --------------------------------------------------------------------


@pytest.fixture
def activity(community: Any, network: SmallNetwork) -> None:
    """Contacts either side of the funding end (31 March 2012), with a quiet month between."""
    add_activity_around_the_funding_end(community, network)


def test_participants_may_not_see_the_sustainability_dashboard(
        nina: Any, activity: None) -> None:
    for path in ("/sustainability", "/sustainability.csv"):
        response = nina.get(path)
        assert response.status_code == 403
        assert "Not allowed" in text(response.data)
        assert "Nina Nurse" in text(response.data)  # still logged in, still has navigation


def test_organisers_see_months_and_totals_either_side_of_the_funding_end(
        olive: Any, activity: None) -> None:
    page = olive.get("/sustainability")
    assert page.status_code == 200
    seen = text(page.data)
    assert "funding ended on 31 March 2012" in seen

    months = table(page.data, "months")
    assert months["head"][0] == ["Month", "Contacts", "Workshops", "QIPs shared",
                                 "Progress reports", "Follow-ups", "Active members",
                                 "Active teams"]
    assert months["body"] == [
        ["Feb 2012", "2", "0", "0", "0", "0", "2", "2"],
        ["Mar 2012 funding ended", "1", "0", "0", "0", "0", "2", "2"],
        ["Apr 2012", "0", "0", "0", "0", "0", "0", "0"],
        ["May 2012", "1", "0", "0", "0", "1", "3", "2"],
    ]
    compare = table(page.data, "compare")
    contacts = next(row for row in compare["body"] if row[0] == "Contacts")
    assert contacts == ["Contacts", "3", "1.5", "1", "0.5", "down 67%"]
    members = next(row for row in compare["body"] if row[0] == "Active members")
    assert members == ["Active members", "2", "2", "3", "1.5", "down 25%"]
    assert "1 follow-up request is still waiting for a first answer." in seen


def test_the_dashboard_draws_active_members_per_month_with_the_funding_end_marked(
        olive: Any, activity: None) -> None:
    html = olive.get("/sustainability").get_data(as_text=True)
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">Bar chart of active members per month</title>' in html
    assert "A line marks the funding end in Mar 2012." in html
    assert html.count('<rect class="bar') == 4
    assert html.count('class="bar bar--after"') == 2
    assert "<title>May 2012: 3 active members</title>" in html
    assert "Funding ended" in html


def test_the_dashboard_can_show_the_figures_as_of_a_past_date(
        olive: Any, activity: None) -> None:
    page = olive.get("/sustainability?as_of=2012-03-31")
    assert [row[0] for row in table(page.data, "months")["body"]] == [
        "Feb 2012", "Mar 2012 funding ended"]
    assert "as it stood on 31 March 2012" in text(page.data)
    assert "waiting for a first answer" not in text(page.data)
    assert links(page.data)["Download the monthly table (CSV)"] == \
        "/sustainability.csv?as_of=2012-03-31"

    wrong = olive.get("/sustainability?as_of=last+spring")
    assert wrong.status_code == 400
    assert "Enter the date as year-month-day" in text(wrong.data)


def test_an_empty_dashboard_says_there_is_no_activity_yet(olive: Any) -> None:
    page = olive.get("/sustainability")
    assert page.status_code == 200
    assert "No activity recorded" in text(page.data)


def test_the_monthly_table_downloads_as_csv(olive: Any, activity: None) -> None:
    response = olive.get("/sustainability.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["month", "contacts", "workshops", "qips_shared", "progress_reports",
                       "follow_ups", "active_members", "active_teams", "questions_asked",
                       "median_days_to_first_answer", "p90_days_to_first_answer",
                       "unanswered_after_14_days"]
    assert [row[0] for row in rows[1:]] == ["2012-02", "2012-03", "2012-04", "2012-05"]
    assert rows[1][:8] == ["2012-02", "2", "0", "0", "0", "0", "2", "2"]
    assert rows[4][:8] == ["2012-05", "1", "0", "0", "0", "1", "3", "2"]
    assert rows[1][8] == "0"  # no questions asked that month

    as_of = list(csv.reader(io.StringIO(
        olive.get("/sustainability.csv?as_of=2012-02-28").get_data(as_text=True))))
    assert len(as_of) == 2
    assert olive.get("/sustainability.csv?as_of=soon").status_code == 400
