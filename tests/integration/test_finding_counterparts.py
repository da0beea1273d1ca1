"""The counterpart finder on the demo community, as the demo participant sees it."""

from __future__ import annotations

import pytest

from community import Community
from domain.counterparts import DistancePreference
from projections.counterparts import counterparts_for


@pytest.fixture(scope="module")
def demo(demo_community: Community) -> Community:
    """The demo on each store (a copy of the session's load)."""
    return demo_community


def test_the_demo_nurse_sees_nurses_from_teams_strong_on_cns_contact_first(demo: Community):
    priya = str(demo.member_id_by_email("participant@example.org"))
    mine = demo.views.directory.member(priya)
    my_team = demo.views.directory.team(mine["team_id"])["latest_audit"]

    found = counterparts_for(demo.views, priya)

    assert len(found) == 20
    first_five = found[:5]
    for row, suggestion in first_five:
        assert row["role"] == "lung_cancer_nurse_specialist"
        assert row["team_id"] != mine["team_id"]
        theirs = demo.views.directory.team(row["team_id"])["latest_audit"]
        assert theirs["cns_seen"] >= 80 and theirs["cns_seen"] > my_team["cns_seen"]
        assert any("Seen by a lung cancer nurse specialist" in r for r in suggestion.reasons)
    scores = [s.score for _, s in found]
    assert scores == sorted(scores, reverse=True)


def test_near_and_far_change_who_comes_first(demo: Community):
    priya = str(demo.member_id_by_email("participant@example.org"))

    near = counterparts_for(demo.views, priya, DistancePreference.NEAR)
    far = counterparts_for(demo.views, priya, DistancePreference.FAR)

    mean = lambda found: sum(s.distance_km for _, s in found[:10]) / 10  # noqa: E731
    assert mean(near) < mean(far)


def test_members_without_a_team_get_no_suggestions(demo: Community):
    organiser = str(demo.member_id_by_email("organiser@example.org"))

    assert counterparts_for(demo.views, organiser) == []
