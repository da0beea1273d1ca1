"""Proposing peer-review pairs: every hard limit honoured, the reasons in words,
and the matching at least as good as pairing the heaviest first."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

import pytest

from bench.pairing import INDICATORS, random_teams
from domain.counterparts import Indicator
from domain.errors import Invalid
from domain.pairing_proposals import (
    CandidateTeam,
    Limits,
    Proposal,
    Weights,
    allowed_pairs,
    greedy_pairs,
    propose_pairs,
)

CNS = Indicator("cns_seen", "Seen by a lung cancer nurse specialist", None, 80)
HISTOLOGY = Indicator("histology", "Histological or cytological confirmation", 68, 75)
TWO = [CNS, HISTOLOGY]

# Leeds and York are 35 km apart; Bristol and Norwich are over 200 km from them
# and from each other; Newcastle is 130 km from Leeds.
PLACES = {"Leeds": (53.80, -1.55), "York": (53.96, -1.08), "Bristol": (51.45, -2.59),
          "Norwich": (52.63, 1.30), "Newcastle": (54.97, -1.61), "Plymouth": (50.37, -4.14)}


def team(name: str, cns: float, histology: float, caseload: int = 300) -> CandidateTeam:
    lat, lon = PLACES[name]
    return CandidateTeam(id=name.lower(), name=name, region=f"{name} region", latitude=lat,
                         longitude=lon, caseload=caseload,
                         results={"cns_seen": cns, "histology": histology})


def names(proposal: Proposal) -> set[frozenset[str]]:
    return {frozenset((p.first.name, p.second.name)) for p in proposal.pairs}


def why(proposal: Proposal) -> dict[str, str]:
    return {u.team.name: u.reason for u in proposal.unpaired}


# --- crafted cases: each hard limit ----------------------------------------------------


def test_complementary_teams_far_apart_are_paired_with_the_figures_in_the_reasons():
    leeds, bristol = team("Leeds", cns=92, histology=66), team("Bristol", cns=71, histology=84)

    proposal = propose_pairs([leeds, bristol], TWO)

    [pair] = proposal.pairs
    assert (pair.first.name, pair.second.name) == ("Bristol", "Leeds")
    assert pair.reasons[:2] == (
        "Bristol is 9 points above the standard on “Histological or cytological "
        "confirmation” (84%), where Leeds is 9 points below (66%)",
        "Leeds is 12 points above the standard on “Seen by a lung cancer nurse specialist” "
        "(92%), where Bristol is 9 points below (71%)")
    assert "Similar caseloads: Bristol 300 and Leeds 300 new patients a year" in pair.reasons
    assert pair.reasons[-1] == "271 km apart (Bristol region; Leeds region)"
    assert pair.distance_km == pytest.approx(271, abs=1)
    assert proposal.unpaired == ()


def test_near_neighbours_are_never_paired_however_well_they_complement_each_other():
    teams = [team("Leeds", 95, 60), team("York", 60, 95), team("Bristol", 80, 80),
             team("Norwich", 81, 79)]

    proposal = propose_pairs(teams, TWO, Limits(max_standing_gap=10))

    assert frozenset({"Leeds", "York"}) not in names(proposal)
    assert len(proposal.pairs) == 2
    assert all(p.distance_km >= 100 for p in proposal.pairs)


def test_the_organiser_sets_the_minimum_distance():
    teams = [team("Leeds", 95, 60), team("York", 60, 95)]

    assert propose_pairs(teams, TWO, Limits(min_distance_km=100)).pairs == ()
    assert names(propose_pairs(teams, TWO, Limits(min_distance_km=30))) == {
        frozenset({"Leeds", "York"})}


def test_a_large_team_is_not_paired_with_a_much_smaller_one():
    teams = [team("Leeds", 95, 60, caseload=600), team("Bristol", 60, 95, caseload=150),
             team("Norwich", 62, 93, caseload=500), team("Plymouth", 93, 62, caseload=140)]

    proposal = propose_pairs(teams, TWO)

    assert names(proposal) == {frozenset({"Leeds", "Norwich"}), frozenset({"Bristol", "Plymouth"})}
    assert all(p.caseload_ratio <= 2 for p in proposal.pairs)


def test_good_is_not_paired_with_bad_even_where_they_contrast_most():
    good, bad = team("Leeds", 99, 90), team("Bristol", 55, 50)
    middling = [team("Norwich", 85, 70), team("Plymouth", 70, 85)]

    proposal = propose_pairs([good, bad, *middling], TWO, Limits(max_standing_gap=0.75))

    assert frozenset({"Leeds", "Bristol"}) not in names(proposal)
    assert all(p.standing_gap <= 0.75 for p in proposal.pairs)


def test_when_re_pairing_no_pair_from_an_earlier_round_is_proposed_again():
    teams = [team("Leeds", 95, 60), team("Bristol", 60, 95), team("Norwich", 90, 65),
             team("Plymouth", 65, 90)]
    first = propose_pairs(teams, TWO)
    before = {frozenset((p.first.id, p.second.id)) for p in first.pairs}

    again = propose_pairs(teams, TWO, paired_before=before)
    repeats_allowed = propose_pairs(teams, TWO, Limits(no_repeats=False), paired_before=before)

    assert len(again.pairs) == 2 and not names(again) & names(first)
    assert all("Not paired with each other before" in p.reasons for p in again.pairs)
    assert names(repeats_allowed) == names(first)


# --- who is left out, and why ------------------------------------------------------------


def test_an_odd_number_of_teams_leaves_one_out_and_says_so():
    teams = [team("Leeds", 95, 60), team("Bristol", 60, 95), team("Norwich", 80, 80)]

    proposal = propose_pairs(teams, TWO, Limits(max_standing_gap=5))

    assert len(proposal.pairs) == 1
    [(_, reason)] = why(proposal).items()
    assert reason.startswith("odd one out: every team it could be paired with (")
    assert reason.endswith(") is paired with another team")


def test_a_team_with_no_partner_far_enough_away_of_a_similar_size_is_named_with_why():
    teams = [team("Leeds", 95, 60), team("York", 60, 95), team("Bristol", 62, 93),
             team("Norwich", 80, 80, caseload=900)]

    proposal = propose_pairs(teams, TWO, Limits(max_standing_gap=5))

    assert names(proposal) == {frozenset({"Leeds", "Bristol"})}
    assert why(proposal)["Norwich"] == (
        "no team at least 100 km away and with a caseload within 2 times its own (900 a year)")
    assert why(proposal)["York"] == (
        "every team it could be paired with (Bristol) is paired with another team")


def test_a_team_only_its_earlier_partner_could_visit_is_told_so():
    teams = [team("Leeds", 95, 60), team("Bristol", 60, 95)]

    proposal = propose_pairs(teams, TWO, paired_before={frozenset({"leeds", "bristol"})})

    assert why(proposal)["Leeds"].endswith("and that it has not been paired with before")


def test_a_team_without_results_on_the_chosen_indicators_is_left_out_with_why():
    teams = [team("Leeds", 95, 60), team("Bristol", 60, 95),
             CandidateTeam("new", "Newcastle", "North East", 54.97, -1.61, 300, {})]

    proposal = propose_pairs(teams, TWO)

    assert why(proposal) == {
        "Newcastle": "no results from its latest audit on the indicators chosen"}


def test_a_team_alone_is_told_nobody_else_is_taking_part():
    proposal = propose_pairs([team("Leeds", 95, 60)], TWO)

    assert why(proposal) == {"Leeds": "no team else with results from its latest audit is "
                                      "taking part"}


def test_a_pair_where_one_team_leads_nowhere_says_so():
    leeds, bristol = team("Leeds", 90, 80), team("Bristol", 85, 78)

    [pair] = propose_pairs([leeds, bristol], TWO, Limits(max_standing_gap=5)).pairs

    assert pair.contrast == 0
    assert ("Bristol leads on none of the indicators chosen: it has more to learn from Leeds "
            "than to teach") in pair.reasons


# --- ties and order --------------------------------------------------------------------------


def test_ties_are_broken_the_same_way_whatever_order_the_teams_come_in():
    teams = [team(name, 80, 80) for name in ("Leeds", "Bristol", "Norwich", "Plymouth")]
    first = propose_pairs(teams, TWO, Limits(min_distance_km=0))

    for seed in range(10):
        shuffled = random.Random(seed).sample(teams, len(teams))
        again = propose_pairs(shuffled, TWO, Limits(min_distance_km=0))
        assert [(p.first.id, p.second.id) for p in again.pairs] == [
            (p.first.id, p.second.id) for p in first.pairs]
    assert len(first.pairs) == 2


def test_pairs_come_heaviest_first():
    proposal = propose_pairs(random_teams(random.Random(3), 40), INDICATORS)

    weights = [p.weight for p in proposal.pairs]
    assert weights == sorted(weights, reverse=True)


# --- the matching against a greedy pairing, and against every pairing -------------------------


def honours_every_limit(proposal: Proposal, limits: Limits,
                        before: Iterable[frozenset[str]] = ()) -> None:
    seen = [t.id for p in proposal.pairs for t in (p.first, p.second)]
    seen += [u.team.id for u in proposal.unpaired]
    assert len(seen) == len(set(seen)), "a team was placed twice"
    for pair in proposal.pairs:
        assert pair.distance_km >= limits.min_distance_km
        assert pair.caseload_ratio <= limits.max_caseload_ratio + 0.005
        assert pair.standing_gap <= limits.max_standing_gap + 0.005
        if limits.no_repeats:
            assert frozenset((pair.first.id, pair.second.id)) not in set(before)
        assert pair.reasons


def random_limits(rng: random.Random) -> Limits:
    return Limits(min_distance_km=rng.choice([50, 100, 150]),
                  max_caseload_ratio=rng.choice([1.5, 2, 3]),
                  max_standing_gap=rng.choice([0.5, 0.75, 1.5]))


def test_on_random_teams_the_matching_pairs_at_least_as_well_as_the_greedy_pairing():
    better = 0
    for seed in range(50):
        rng = random.Random(seed)
        teams = random_teams(rng, rng.randint(10, 40))
        limits = random_limits(rng)
        before = {frozenset((a.id, b.id)) for a, b in zip(teams[::4], teams[1::4], strict=False)}
        matched = propose_pairs(teams, INDICATORS, limits, paired_before=before)
        greedy = greedy_pairs(teams, INDICATORS, limits, paired_before=before)

        honours_every_limit(matched, limits, before)
        honours_every_limit(greedy, limits, before)
        # First as many teams paired as can be, then the greatest total weight.
        ours = (len(matched.pairs), round(matched.total_weight, 2))
        theirs = (len(greedy.pairs), round(greedy.total_weight, 2))
        assert ours >= theirs, seed
        better += ours > theirs
    assert better >= 25


def best_by_trying_every_pairing(weights: dict[frozenset[str], float],
                                 team_ids: list[str]) -> tuple[int, float]:
    """The most pairs, then the greatest total weight, over every set of allowed pairs."""
    best = (0, 0.0)

    def extend(left: list[str], count: int, total: float) -> None:
        nonlocal best
        best = max(best, (count, round(total, 2)))
        if len(left) < 2:
            return
        first, rest = left[0], left[1:]
        extend(rest, count, total)  # the first team waits
        for other in rest:
            if (weight := weights.get(frozenset((first, other)))) is not None:
                extend([t for t in rest if t != other], count + 1, total + weight)

    extend(team_ids, 0, 0.0)
    return best


def test_on_small_random_inputs_the_matching_is_the_best_of_every_possible_pairing():
    limits = Limits(min_distance_km=50, max_caseload_ratio=3, max_standing_gap=1.5)
    for seed in range(20):
        rng = random.Random(100 + seed)
        teams = random_teams(rng, rng.randint(5, 10))

        proposal = propose_pairs(teams, INDICATORS, limits)

        honours_every_limit(proposal, limits)
        weights = {ids: round(w, 2) for ids, w in allowed_pairs(teams, INDICATORS, limits).items()}
        assert (len(proposal.pairs), round(proposal.total_weight, 2)) == \
            best_by_trying_every_pairing(weights, [t.id for t in teams]), seed


def test_every_mdt_in_england_is_paired_within_the_limits():
    teams = random_teams(random.Random(2012), 156)

    proposal = propose_pairs(teams, INDICATORS)

    honours_every_limit(proposal, Limits())
    assert len(proposal.pairs) == 78 and proposal.unpaired == ()
    assert math.isfinite(proposal.total_weight)


# --- the organiser's settings ------------------------------------------------------------------


def test_settings_come_from_a_form_as_text_and_missing_ones_keep_their_defaults():
    assert Limits.checked({"min_distance_km": "80", "repeats": "allow"}) == Limits(
        min_distance_km=80, no_repeats=False)
    assert Weights.checked({"contrast": "4", "distance": ""}) == Weights(contrast=4)


def test_bad_settings_name_every_field_at_fault():
    with pytest.raises(Invalid) as limits_error:
        Limits.checked({"min_distance_km": "far", "max_caseload_ratio": "0.5",
                        "repeats": "sometimes"})
    with pytest.raises(Invalid) as weights_error:
        Weights.checked({"standing": "-1", "caseload": "nan"})

    assert limits_error.value.fields == {"min_distance_km": "must be a number",
                                         "max_caseload_ratio": "must be at least 1",
                                         "repeats": "must be avoid or allow"}
    assert set(weights_error.value.fields) == {"standing", "caseload"}
