"""The counterpart finder as a busy clinician reads it: ten suggestions a page with the
NHS.UK pagination, each with its two strongest reasons and the rest folded away."""

from __future__ import annotations

import re
from typing import Any

import pytest

from community import Community
from tests.builders import SmallNetwork
from tests.web.reading import text


@pytest.fixture
def busy_south(community: Community, network: SmallNetwork) -> None:
    """Fourteen more nurses in Southmoor who agree to be contacted: 15 suggestions."""
    for n in range(1, 15):
        community.join(email=f"nurse{n}@southmoor.nhs.uk", name=f"Nurse {n:02d} South",
                       role="lung_cancer_nurse_specialist", team_id=network.south)


def cards(page: bytes) -> list[str]:
    return re.findall(r'<li class="nhsuk-card counterpart".*?</form>', page.decode(), re.S)


def test_the_finder_shows_ten_suggestions_a_page_with_pagination(nina: Any,
                                                               busy_south) -> None:
    first = nina.get("/counterparts")

    assert len(cards(first.data)) == 10
    assert "Showing 1–10 of 15 suggestions · Page 1 of 2" in text(first.data)
    assert 'href="/counterparts?page=2"' in first.data.decode()

    second = nina.get("/counterparts?page=2")
    assert len(cards(second.data)) == 5
    assert "Showing 11–15 of 15 suggestions" in text(second.data)
    assert '<ol class="nhsuk-list counterparts" start="11">' in second.data.decode()


def test_the_pages_keep_the_distance_chosen(nina: Any, busy_south) -> None:
    page = nina.get("/counterparts?distance=far")

    assert 'href="/counterparts?distance=far&amp;page=2"' in page.data.decode()


def test_a_page_past_the_end_shows_the_last_page(nina: Any, busy_south) -> None:
    page = nina.get("/counterparts?page=99")

    assert "Showing 11–15 of 15 suggestions" in text(page.data)


def test_each_suggestion_shows_two_reasons_and_folds_the_rest(nina: Any, network: SmallNetwork,
                                                              busy_south) -> None:
    sara = next(c for c in cards(nina.get("/counterparts").data) if "Sara South" in c)

    shown, _, folded = sara.partition('<details class="nhsuk-details more-reasons">')
    assert len(re.findall(r"<li>", shown)) == 2
    assert "Same role as you: Lung cancer nurse specialist" in shown
    more = len(re.findall(r"<li>", folded))
    assert more >= 1
    assert f"{more} more reason{'s' if more != 1 else ''}</span></summary>" in folded


def test_no_suggestion_shows_more_than_two_reasons_unfolded(nina: Any, busy_south) -> None:
    for card in cards(nina.get("/counterparts").data):
        shown = card.partition("<details")[0]
        assert 1 <= len(re.findall(r"<li>", shown)) <= 2
