"""The sustainability page of a QIP: its team answers the ten questions of the NHS
Sustainability Model; everyone who can see the QIP sees the team's score per factor,
the spread of opinion and the trend. Forms are submitted as the page renders them."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest

from community import Community
from tests.builders import SmallNetwork
from tests.web.conftest import SARA
from tests.web.forms import form_on, submit
from tests.web.reading import log_in, table, text

PLAN = {"title": "A nurse specialist at every diagnosis", "key_area": "cns_access",
        "aim": "From 61% to 80% of patients seen by a CNS at diagnosis by March 2014",
        "timeframe": "April 2013 to March 2014",
        "measures": [{"name": "Seen by a CNS", "unit": "%", "baseline": 61, "target": 80}]}


def drafted(community: Community, network: SmallNetwork) -> UUID:
    return community.draft_qip(by=network.nurse, **PLAN)


@pytest.fixture
def qip(community: Community, network: SmallNetwork) -> UUID:
    """Northshire's QIP, accepted by the organisers: active."""
    qip_id = drafted(community, network)
    community.submit_qip(qip_id, by=network.nurse)
    community.review_qip(qip_id, by=network.organiser, decision="accept", comments={})
    return qip_id


def keys(community: Community) -> list[str]:
    return list(community.sustainability_model().factors)


def answers(community: Community, level: int, **others: int) -> dict[str, str]:
    return {f"level-{k}": str(others.get(k, level)) for k in keys(community)}


def score(client: Any, qip: UUID, form: dict[str, str | None]) -> Any:
    """Open the QIP's sustainability page, choose the answers and send them."""
    page = client.get(f"/qips/{qip}/sustainability")
    if b'type="radio"' not in page.data:
        # No form to score with on this page (another team, a draft): forged, with the
        # form's own field names (``answers`` reads them from the model, as the form does).
        body = form_on(page.data, "/logout").data({})
        return client.post(f"/qips/{qip}/sustainability", data={**body, **form})
    return submit(client, page.data, form, action=f"/qips/{qip}/sustainability")


def checked(html: bytes, name: str) -> str | None:
    found = re.search(rf'name="{re.escape(name)}" type="radio" value="(\d)"\s*checked',
                      html.decode())
    return found.group(1) if found else None


def test_a_team_member_sees_ten_questions_in_three_domains_and_no_scores_yet(
        nina: Any, community: Community, qip: UUID) -> None:
    page = nina.get(f"/qips/{qip}/sustainability")

    seen = text(page.data)
    assert page.status_code == 200
    assert "Will this change last?" in seen
    assert "No scores yet" in seen and "answer the ten questions below" in seen
    assert re.search(r"Process .* Staff .* Organisation", seen.split("Score this QIP")[-1])
    assert len(set(re.findall(r'name="level-(\w+)" type="radio"', page.data.decode()))) == 10
    assert "Senior leadership engagement" in seen
    assert "Level 4 (strongest)" in seen
    assert 'value="2013-06-01"' in page.data.decode()  # today, to change if need be


def test_scoring_shows_each_factors_team_score_and_the_total_against_55(
        nina: Any, community: Community, qip: UUID) -> None:
    sent = score(nina, qip, {**answers(community, 3), "assessed_on": "2013-05-20"})

    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/qips/{qip}/sustainability#results")
    page = nina.get(f"/qips/{qip}/sustainability")
    seen = text(page.data)
    assert "Your scores are recorded" in seen
    assert "On 20 May 2013, 1 member of the team scored it 55.1 out of 100" in seen
    assert "Cause for optimism" in seen
    assert "55 or more is commonly read as cause for optimism" in seen
    factors = table(page.data, "sustainability-factors")
    assert factors["head"] == [["Factor", "Team score", "Spread of scores", "Since last time"]]
    rows = {row[0]: row[1:] for row in factors["body"]}
    assert rows["Senior leadership engagement"] == ["8.2 of 15", "One answer (level 3)",
                                                    "First assessment"]
    assert ["Process"] in factors["body"] and ["Organisation"] in factors["body"]
    assert "<svg" in page.data.decode().split('id="over-time"')[1]


def test_the_spread_shows_when_team_members_see_a_factor_differently(
        nina: Any, community: Community, network: SmallNetwork, qip: UUID) -> None:
    community.assess_sustainability(
        qip, by=network.lead,
        levels=dict.fromkeys(keys(community), 3) | {"senior_leadership": 1})
    score(nina, qip, answers(community, 3, senior_leadership=4))

    page = nina.get(f"/qips/{qip}/sustainability")

    rows = {row[0]: row[1:] for row in table(page.data, "sustainability-factors")["body"]}
    assert rows["Senior leadership engagement"][:2] == [
        "8.2 of 15", "1.5–15 (levels 1 to 4) Views differ"]
    assert rows["Adaptability"][1] == "3.9–3.9 (levels 3 to 3)"
    assert "2 members of the team scored it" in text(page.data)


def test_scoring_again_later_shows_the_trend_and_the_total_over_time(
        nina: Any, community: Community, qip: UUID) -> None:
    score(nina, qip, {**answers(community, 2), "assessed_on": "2013-01-15"})
    score(nina, qip, {**answers(community, 2, infrastructure=4), "assessed_on": "2013-04-15"})

    page = nina.get(f"/qips/{qip}/sustainability")

    rows = {row[0]: row[1:] for row in table(page.data, "sustainability-factors")["body"]}
    assert rows["Infrastructure for sustainability"][2] == "↑ Up"
    assert rows["Adaptability"][2] == "→ No change"
    totals = table(page.data, "sustainability-totals")
    assert totals["body"] == [["15 April 2013", "1", "36.5", "↑ Up"],
                              ["15 January 2013", "1", "29.9", "First assessment"]]
    assert "15 January 2013: 29.9. 15 April 2013: 36.5." in page.data.decode()


def test_your_last_answers_are_chosen_for_you_next_time(nina: Any, community: Community,
                                                        qip: UUID) -> None:
    score(nina, qip, answers(community, 2, adaptability=4))

    page = nina.get(f"/qips/{qip}/sustainability")

    assert checked(page.data, "level-adaptability") == "4"
    assert checked(page.data, "level-infrastructure") == "2"


def test_a_question_left_unanswered_is_shown_with_the_answers_given(
        nina: Any, community: Community, qip: UUID) -> None:
    form: dict[str, str | None] = {**answers(community, 3), "level-infrastructure": None}

    page = score(nina, qip, {**form, "assessed_on": "31/05/2013"})

    assert page.status_code == 400
    html = page.data.decode()
    assert "<title>Error: " in html
    assert 'href="#level-infrastructure"' in html and 'href="#assessed_on"' in html
    assert ("Choose the statement closest to how things are for "
            "“Infrastructure for sustainability”") in text(html)
    assert checked(page.data, "level-adaptability") == "3"
    assert community.views.self_assessments.results(str(qip))["assessments"] == []


def test_another_team_sees_the_results_but_cannot_score(
        client: Any, community: Community, network: SmallNetwork, qip: UUID) -> None:
    community.assess_sustainability(qip, by=network.nurse,
                                    levels=dict.fromkeys(keys(community), 3))
    log_in(client, SARA)

    page = client.get(f"/qips/{qip}/sustainability")

    seen = text(page.data)
    assert "55.1 out of 100" in seen
    assert "Only members of Northshire lung cancer MDT can score this QIP" in seen
    assert 'type="radio"' not in page.data.decode()
    assert score(client, qip, answers(community, 3)).status_code == 403


def test_a_draft_cannot_be_scored_yet(nina: Any, community: Community,
                                      network: SmallNetwork) -> None:
    draft = drafted(community, network)

    page = nina.get(f"/qips/{draft}/sustainability")

    assert "Scoring opens once the organisers have accepted the plan" in text(page.data)
    assert "This QIP is: draft." in text(page.data)
    assert score(nina, draft, answers(community, 3)).status_code == 409


@pytest.mark.parametrize("qip_id", ["not-an-id", "6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11"])
def test_a_qip_that_is_not_there_is_a_404(nina: Any, qip_id: str) -> None:
    assert nina.get(f"/qips/{qip_id}/sustainability").status_code == 404


def test_a_draft_of_another_team_is_not_there_for_them(
        client: Any, community: Community, network: SmallNetwork) -> None:
    draft = drafted(community, network)
    log_in(client, SARA)

    assert client.get(f"/qips/{draft}/sustainability").status_code == 404
