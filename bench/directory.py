"""How fast are the directory's queries on a national community?

Builds the synthetic national community of ``community synth`` (by default
3,000 members in 200 teams and 34,000 events over ten years: audits, QIPs and
their values, contacts, workshops, peer-review pairings and the rest), then times,
over many repetitions with varied arguments, against a baseline measured in the
same run:

- baseline: ``views.directory.member(id)``, one member by primary key (the
  cheapest query a page makes);
- the counterpart finder: ``counterparts_for(views, member_id)``;
- the directory search: ``views.directory.members(q=..., role=...)``;
- the unified search: ``projections.search.search(views, q, ...)``, all kinds
  (first five of each) and one kind (a page of 20, with a filter).

Medians are printed in milliseconds and as ratios to the baseline: the machines
are shared and noisy, so the ratio is the figure to quote.

    python -m bench.directory [--members 3000] [--teams 200] [--events 34000]
                              [--repeat 50] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from random import Random
from typing import Any

from community import Community
from community.demo import QIP_PLANS
from community.synth import Options, Summary, synthesise
from community.synth.cast import REGIONS
from config import Settings
from domain.values import Role
from projections.counterparts import counterparts_for
from projections.network_health import compute_report, health_report
from projections.search import search

# What people type: tags, surnames, towns, role words, and two words at once.
QUERIES = ["ebus", "smith", "nurse", "data", "clinics", "patel", "ford", "trials",
           "nurse clinics", "ebus north", "cytology", "mdt", "biopsy", "bury", "sabr"]
ROLES = [None, Role.CNS.value, Role.CLINICAL_LEAD.value, Role.RADIOLOGIST.value, None]


# --- the synthetic community ------------------------------------------------------------


def build(app: Community, members: int, teams: int, events: int, seed: int = 3
          ) -> tuple[Summary, list[str]]:
    """The synthetic national community in ``app`` (views caught up); the member ids."""
    summary = synthesise(app, Options(teams=teams, members=members, events=events, seed=seed))
    found, _ = app.views.directory.members(limit=members + 10)
    return summary, [m["id"] for m in found]


# --- timing -----------------------------------------------------------------------------


def median_ms(work: Callable[[int], Any], repeat: int) -> float:
    """The median time of ``work(i)`` for i in 0..repeat-1, after one untimed warm-up."""
    work(0)
    times = []
    for i in range(repeat):
        started = time.perf_counter()
        work(i)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(app: Community, member_ids: list[str], repeat: int, seed: int
            ) -> list[tuple[str, float]]:
    views = app.views
    rng = Random(seed)
    ids = rng.sample(member_ids, min(repeat, len(member_ids)))
    teams = [t["id"] for t in views.directory.teams()]
    pick = lambda items, i: items[i % len(items)]  # noqa: E731

    def any_team(i: int) -> str | None:
        return pick(teams, i) if i % 3 == 0 else None

    viewer_teams = [row["team_id"] for m in ids if (row := views.directory.member(m))]

    def member_team(i: int) -> str | None:
        return pick(viewer_teams, i)

    return [
        ("baseline: directory.member(id), primary key",
         median_ms(lambda i: views.directory.member(pick(ids, i)), repeat)),
        ("counterparts_for(views, member_id)",
         median_ms(lambda i: counterparts_for(views, pick(ids, i)), repeat)),
        ("directory.members(q=..., role=...)",
         median_ms(lambda i: views.directory.members(q=pick(QUERIES, i), role=pick(ROLES, i)),
                   repeat)),
        ("search(q, role) all kinds, 5 of each",
         median_ms(lambda i: search(views, pick(QUERIES, i), role=pick(ROLES, i),
                                    viewer_team_id=member_team(i), limit=5), repeat)),
        ("search(q, team, kind=people) page 2 of 20",
         median_ms(lambda i: search(views, pick(QUERIES, i)[:2], team_id=any_team(i),
                                    kind="people", viewer_team_id=member_team(i),
                                    limit=20, offset=20), repeat)),
        ("library.qips(key_area) first page of 20",
         median_ms(lambda i: views.library.qips(viewer_team_id=member_team(i),
                                                key_area=pick(QIP_PLANS, i).area.value,
                                                limit=20), repeat)),
        ("library.qips(outcome=improved) first page of 20",
         median_ms(lambda i: views.library.qips(viewer_team_id=member_team(i),
                                                outcome="improved", limit=20), repeat)),
        ("search(key_area, region) all kinds, 5 of each",
         median_ms(lambda i: search(views, None, key_area=pick(QIP_PLANS, i).area.value,
                                    region=pick(REGIONS, i), viewer_team_id=member_team(i),
                                    limit=5), repeat)),
        # Issue 12's figures: computed from the view's rows, then kept per log position.
        ("network health report, computed (as of varied days)",
         median_ms(lambda i: compute_report(views.engine, date(2011, 1, 1)
                                            + timedelta(days=7 * i)), min(repeat, 10))),
        ("network health report, kept (same day again)",
         median_ms(lambda i: health_report(views.engine, date(2012, 3, 31)), repeat)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--events", type=int, default=34_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = Community(Settings(database_url=url, catch_up_after_commands=False))
    summary, member_ids = build(app, args.members, args.teams, args.events, args.seed)
    _, shared = app.views.library.qips(viewer_team_id=None, limit=1)
    print(f"store: {url.split('://')[0]}, events: {app.recorder.max_notification_id():,}, "
          f"members: {len(member_ids):,}, teams: {args.teams}, "
          f"QIPs: {summary.kinds['Qip.Drafted']:,} ({shared:,} shared), "
          f"contacts: {summary.kinds['Contact.Made']:,}, "
          f"built in {summary.seconds:.0f} s ({summary.rate:,.0f} events/s)")
    results = measure(app, member_ids, args.repeat, args.seed)
    baseline = results[0][1]
    print(f"median of {args.repeat} runs each, varied members and words:")
    for name, ms in results:
        print(f"  {name:<48} {ms:>8.2f} ms  {ms / baseline:>7.1f} × baseline")
    app.close()


if __name__ == "__main__":
    main()
