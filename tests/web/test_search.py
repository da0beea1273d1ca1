"""The search page through the Flask test client, asserting what a person sees."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from domain.member import Member
from tests.builders import SmallNetwork, searchable_questions
from tests.web.reading import links, selected, table, text

NINA = "nina.nurse@northshire.nhs.uk"
CNS = "lung_cancer_nurse_specialist"
PLAN = {"aim": "From 60% to 80% by March 2013", "timeframe": "April 2012 to March 2013",
        "measures": [{"name": "CNS at diagnosis", "unit": "%", "baseline": 60, "target": 80}]}


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_logged_out_searches_go_to_the_login_page(client: Any, network: SmallNetwork) -> None:
    response = client.get("/search?q=nurse")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_the_page_has_one_search_box_and_the_filters_before_anything_is_asked(
        nina: Any) -> None:
    page = nina.get("/search")
    html = page.data.decode()

    assert page.status_code == 200
    assert html.count('type="search"') == 1
    assert '<form method="get" action="/search"' in html
    for name in ("kind", "role", "region", "team", "key_area"):
        assert f'name="{name}"' in html and 'class="nhsuk-select' in html
    seen = text(page.data)
    assert "Search people, teams, expertise, QIPs and questions" in seen
    assert "Type a word or two, or choose a filter" in seen


def test_a_search_shows_people_teams_and_qips_with_their_counts_and_links(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    qip = community.draft_qip(by=network.other_nurse, title="Every patient seen by a nurse",
                              key_area="cns_access", **PLAN)
    community.share_qip(qip, by=network.other_nurse)

    page = nina.get("/search?q=nurse")
    seen = text(page.data)

    assert "3 results for “nurse”: 2 people, 0 teams, 1 QIP" in seen
    people = table(page.data, "people")
    assert [row[0] for row in people["body"]] == ["Nina Nurse you", "Sara South"]
    assert people["body"][1][2] == "Southmoor lung cancer MDT South West"
    found = links(page.data)
    # A person links to their profile (or, in an app without profile pages, their team).
    assert found["Sara South"] in (f"/members/{network.other_nurse}", f"/teams/{network.south}")
    assert found["Southmoor lung cancer MDT"] == f"/teams/{network.south}"
    assert found["Every patient seen by a nurse"] == f"/qips/{qip}"


def test_the_expertise_a_search_matched_is_marked(nina: Any) -> None:
    page = nina.get("/search?q=ebus")

    expertise = table(page.data, "people")["body"][0][3]
    assert expertise == "ebus (matches your search) nurse-led clinics"


def test_filters_keep_their_values_and_narrow_the_results(nina: Any, network: SmallNetwork
                                                          ) -> None:
    page = nina.get(f"/search?q=nurse&role={CNS}&region=South+West&kind=people")

    assert selected(page.data, "role") == [CNS]
    assert selected(page.data, "region") == ["South West"]
    assert selected(page.data, "kind") == ["people"]
    assert 'value="nurse"' in page.data.decode()
    assert [row[0] for row in table(page.data, "people")["body"]] == ["Sara South"]
    clear = links(page.data)["Clear filters"]
    assert query(clear) == {"q": ["nurse"], "kind": ["people"]}


def test_unknown_filter_values_are_ignored(nina: Any) -> None:
    page = nina.get("/search?q=nurse&role=wizard&team=nowhere&kind=everything")

    assert page.status_code == 200
    assert selected(page.data, "role") == []  # "Any role"
    assert "2 people" in text(page.data)


def test_no_results_says_so_and_suggests_fewer_words_or_clearing_filters(nina: Any) -> None:
    page = nina.get(f"/search?q=zebra+crossing&role={CNS}")
    seen = text(page.data)

    assert page.status_code == 200
    assert "No results for “zebra crossing”" in seen
    assert "Try fewer words or clear filters." in seen
    assert query(links(page.data)["Clear filters and search for “zebra crossing” everywhere"]
                 ) == {"q": ["zebra crossing"]}


def test_a_query_too_long_is_an_error_shown_beside_the_box(nina: Any) -> None:
    page = nina.get("/search?q=" + "x" * 201)
    seen = text(page.data)

    assert page.status_code == 400
    assert "There is a problem" in seen and "Enter 200 characters or fewer" in seen
    assert "<title>Error: " in page.data.decode()


def test_all_kinds_show_the_first_five_and_a_link_to_see_all(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.save(*[Member.join(email=f"nurse{i:02}@example.nhs.uk", name=f"Nurse {i:02}",
                                 role=CNS, team_id=UUID(str(network.south)))
                     for i in range(6)])

    page = nina.get("/search?q=nurse")

    assert len(table(page.data, "people")["body"]) == 5
    see_all = links(page.data)["See all 8 people"]
    assert query(see_all) == {"q": ["nurse"], "kind": ["people"]}


def test_one_kind_pages_twenty_at_a_time_keeping_the_filters(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.save(*[Member.join(email=f"nurse{i:02}@example.nhs.uk", name=f"Nurse {i:02}",
                                 role=CNS, team_id=UUID(str(network.south)))
                     for i in range(43)])  # with Nina and Sara: 45

    first = nina.get(f"/search?q=nurse&role={CNS}&kind=people")
    assert "Showing 1–20 of 45 people · Page 1 of 3" in text(first.data)
    assert len(table(first.data, "people")["body"]) == 20
    following = links(first.data)["Next page"]
    assert query(following) == {"q": ["nurse"], "role": [CNS], "kind": ["people"],
                                "page": ["2"]}

    last = nina.get(f"/search?q=nurse&role={CNS}&kind=people&page=3")
    assert "Showing 41–45 of 45 people · Page 3 of 3" in text(last.data)
    assert "Next page" not in links(last.data)
    assert query(links(last.data)["Previous page"])["page"] == ["2"]

    beyond = nina.get(f"/search?q=nurse&role={CNS}&kind=people&page=99")
    assert "Showing 41–45 of 45 people" in text(beyond.data)


def test_a_kind_with_no_match_points_to_the_kinds_that_have_some(nina: Any) -> None:
    page = nina.get("/search?q=ebus&kind=teams")
    seen = text(page.data)

    assert "No teams for “ebus”" in seen
    assert "Also matching: 1 person." in seen
    assert query(links(page.data)["1 person"]) == {"q": ["ebus"], "kind": ["people"]}


def test_another_teams_draft_is_not_found_but_your_own_is_marked_as_a_draft(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.draft_qip(by=network.other_nurse, title="Southern secret plan",
                        key_area="diagnostics")
    community.draft_qip(by=network.nurse, title="Northern secret plan", key_area="diagnostics")

    page = nina.get("/search?q=secret")

    assert [row[0] for row in table(page.data, "qips")["body"]] == ["Northern secret plan"]
    assert table(page.data, "qips")["body"][0][3] == (
        "Draft Not shared yet: only its team and the organisers can see it")
    assert "Southern" not in text(page.data)


# --- questions ------------------------------------------------------------------------


def test_questions_are_found_by_words_in_their_body_and_link_to_their_page(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    ids = searchable_questions(community, network)

    page = nina.get("/search?q=bronchoscopy")

    assert "1 result for “bronchoscopy”: 0 people, 0 teams, 0 QIPs, 1 question" in text(page.data)
    rows = table(page.data, "questions")["body"]
    assert rows == [["Running a results clinic Asked on 4 March 2013",
                     "Southmoor lung cancer MDT South West", "Access to nurse specialists",
                     "1 answer"]]
    assert links(page.data)["Running a results clinic"] == f"/questions/{ids['asked']}"
    assert "Bronchoscopy lists for sale" not in text(page.data)  # hidden by the organisers


def test_an_answers_words_lead_to_its_question(nina: Any, community: Any,
                                               network: SmallNetwork) -> None:
    searchable_questions(community, network)

    page = nina.get("/search?q=specialists+day+after&kind=questions")

    assert "Showing 1–1 of 1 question" in text(page.data)
    assert [row[0] for row in table(page.data, "questions")["body"]] == [
        "Running a results clinic Asked on 4 March 2013"]
    assert selected(page.data, "kind") == ["questions"]
