"""The demo's round-1 pairs are the app's own proposal (domain.pairing_proposals),
and they pair every one of the thirty teams, whatever seed the demo is given."""

from __future__ import annotations

from random import Random

import pytest

from community.demo import Demo, pair_teams, register_teams, start_programme
from config.indicators import default_indicators


@pytest.mark.parametrize("seed", [2012, 0, 7, 41, 99, 123, 250])
def test_the_demo_pairs_all_thirty_teams_far_apart_in_different_regions(seed: int) -> None:
    indicators = default_indicators()
    rng = Random(seed)
    demo = Demo(rng=rng, programme=start_programme(indicators))
    demo.teams = register_teams(rng, [i["key"] for i in indicators])

    pair_teams(demo)

    assert len(demo.pairs) == 15 and len(demo.pairings) == 15
    assert {id(t) for pair in demo.pairs for t in pair} == {id(t) for t in demo.teams}
    for a, b in demo.pairs:
        assert a.partner is b and b.partner is a
        assert a.team.region != b.team.region  # not near neighbours
        small, large = sorted((a.team.caseload, b.team.caseload))
        assert large <= 2 * small  # similar caseloads, as the app's limit has it
