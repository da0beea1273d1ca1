"""The demo's round-1 pairs are the app's own proposal (domain.pairing_proposals),
and they pair every one of the thirty teams, whatever seed the demo is given."""

from __future__ import annotations

import pytest

from community import Community
from community.demo import people, visits
from community.demo.story import Story, told_into
from config import Settings
from config.indicators import default_indicators


@pytest.mark.parametrize("seed", [2012, 0, 7, 41, 99, 123, 250])
def test_the_demo_pairs_all_thirty_teams_far_apart_in_different_regions(
        seed: int, database_url: str) -> None:
    app = Community(Settings(database_url=database_url))
    try:
        story = Story(app, seed)
        with told_into(story):
            people.start(story, default_indicators())

            visits.pair_teams(story)

        pairs = visits.pairs_of(story)
        assert len(pairs) == 15 and story.made["pairings"] == 15
        assert {id(t) for pair in pairs for t in pair} == {id(t) for t in story.teams}
        regions = {str(t["id"]): t["region"] for t in app.views.directory.teams()}
        for a, b in pairs:
            assert a.partner is b and b.partner is a
            assert a.pairing_id is not None and a.pairing_id == b.pairing_id
            assert regions[str(a.id)] != regions[str(b.id)]  # not near neighbours
            small, large = sorted((a.caseload, b.caseload))
            assert large <= 2 * small  # similar caseloads, as the app's limit has it
    finally:
        app.close()
