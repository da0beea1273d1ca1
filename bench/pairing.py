"""How fast are peer-review pairs proposed for every lung cancer MDT in England?

156 teams (every MDT the programme invited) with random places, caseloads and
audit results on the headline indicators. Baseline, measured in the same run:
the greedy pairing (``greedy_pairs``: score every pair, then take the heaviest
first), which does all the scoring and explaining the matching does, but none
of the matching. Measured: ``propose_pairs`` (the same scoring, then the
maximum-weight matching over all teams at once). Medians of several runs are
printed in milliseconds and as the ratio to the baseline, with how many teams
each pairs and its total weight.

    python -m bench.pairing [--teams 156] [--runs 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from random import Random

from domain.counterparts import Indicator
from domain.pairing_proposals import HEADLINE_INDICATORS, CandidateTeam, Proposal, greedy_pairs, propose_pairs

# Bars as in config/indicators.csv; (typical result, spread between teams) as in
# the demo's audit model.
INDICATORS = [Indicator("histology", "Histological or cytological confirmation", 68, 75),
              Indicator("active_treatment", "Any anti-cancer treatment", 52, None),
              Indicator("resection_nsclc", "Surgical resection, NSCLC", 15.2, None),
              Indicator("cns_seen", "Seen by a lung cancer nurse specialist", None, 80)]
SPREAD = {"histology": (74, 8), "active_treatment": (58, 6), "resection_nsclc": (17, 4),
          "cns_seen": (84, 12)}
REGIONS = ["North East", "North West", "Yorkshire and the Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West"]
assert [i.key for i in INDICATORS] == list(HEADLINE_INDICATORS)


def random_teams(rng: Random, count: int) -> list[CandidateTeam]:
    """Teams scattered over England, 60 to 650 new patients a year."""
    return [CandidateTeam(
        id=f"team-{n:03d}", name=f"Team {n:03d}", region=rng.choice(REGIONS),
        latitude=rng.uniform(50.4, 55.0), longitude=rng.uniform(-4.5, 1.5),
        caseload=rng.randint(60, 650),
        results={key: round(min(100.0, max(0.0, rng.gauss(mean, sd))), 1)
                 for key, (mean, sd) in SPREAD.items()})
        for n in range(count)]


def median_ms(work: Callable[[], Proposal], runs: int) -> tuple[float, Proposal]:
    """The median time of ``work()`` after one untimed warm-up, and its answer."""
    answer = work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=156)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    teams = random_teams(Random(args.seed), args.teams)
    baseline, greedy = median_ms(lambda: greedy_pairs(teams, INDICATORS), args.runs)
    matched_ms, matched = median_ms(lambda: propose_pairs(teams, INDICATORS), args.runs)
    print(f"{args.teams} teams, median of {args.runs} runs each:")
    for name, ms, found in (("baseline: greedy_pairs (score, heaviest first)", baseline, greedy),
                            ("propose_pairs (score, maximum-weight matching)", matched_ms,
                             matched)):
        print(f"  {name:<48} {ms:>8.1f} ms  {ms / baseline:>5.1f} × baseline  "
              f"{2 * len(found.pairs):>3} teams paired, total weight {found.total_weight:,.1f}")


if __name__ == "__main__":
    main()
