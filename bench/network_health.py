"""What the network-health figures say on the demo, and how fast they answer on a
national community.

1. The demo (``community demo``, built into a temporary store): each measure's
   headline value and verdict, as of the demo's last day and as of 2012-03-31.
2. A national store (by default a copy of /work/stores/national-34k.sqlite; never
   the shared file itself): in one fresh process,
   - the heavy imports (lifelines, statsmodels, scipy, igraph) on their own;
   - cold: the first report, team map and member map for a date (counted and kept
     in the ``network_health_kept`` table);
   - kept: the same asked again (this process's memory), and read back from the
     table as another web process would (memory cleared);
   - the organisers' page, map, board report and both APIs through the app, p50/p95
     over ``--repeat`` requests as the organiser;
   - after a write (a contact recorded): the same requests answered at once from the
     kept figures while they are counted again in the background, and how long the
     background refresh took.

    python -m bench.network_health [--store FILE] [--repeat 40] [--skip-demo]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

from community import Community
from config import Settings

NATIONAL = Path("/work/stores/national-34k.sqlite")


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


# --- 1. the demo's figures --------------------------------------------------------------


def demo_figures() -> None:
    from community.demo import DEMO_ENDS_ON, load_demo
    from projections.network_health import health_report

    folder = tempfile.mkdtemp(prefix="health-demo-")
    app = Community(Settings(database_url=f"sqlite:///{folder}/demo.sqlite"))
    print("Building the demo ...", flush=True)
    load_demo(app)
    for as_of in (DEMO_ENDS_ON, date(2012, 3, 31)):
        print(f"\n== The demo as of {as_of} (period: everything to the date) ==")
        for line in headline(health_report(app.views.engine, as_of, "all")):
            print(line)
    shutil.rmtree(folder, ignore_errors=True)


def headline(r: Any) -> list[str]:
    """Each of issue 12's twelve measures: its value, then its verdict."""
    def share(x: float | None) -> str:
        return "–" if x is None else f"{x:.0%}"

    def num(x: float | None, fmt: str = "{:.1f}") -> str:
        return "–" if x is None else fmt.format(x)

    d, a, live, resp = r.dependence, r.absence, r.live, r.responsiveness[-1]
    quarters = d.quarters
    ended = r.funding_end.isoformat()[:7] if r.funding_end else "9999"
    after_causes = sum(1 for m in r.organic.months if m.special_cause and m.month > ended)
    first_q, last_q = (quarters[0], quarters[-1]) if quarters else (None, None)
    lines = [
        f" 1. organic activity: mean {num(r.organic.mean_before)} a month before the funding "
        f"end, {num(r.organic.mean_after)} after; special causes after: "
        f"{after_causes}"
        f"\n    {r.organic.verdict}",
        f" 2. dependence: organisers initiate {share(d.organiser_initiated_share)} of acts; "
        f"self-initiated share of contacts {first_q.quarter if first_q else ''} "
        f"{share(first_q.self_initiated_share if first_q else None)} → "
        f"{last_q.quarter if last_q else ''} {share(last_q.self_initiated_share if last_q else None)}; "
        f"without organisers {len(d.without_organisers.members_cut_off)} members and "
        f"{len(d.without_organisers.teams_cut_off)} teams cut off, fragmentation "
        f"{num(d.without_organisers.fragmentation_with, '{:.2f}')} → "
        f"{num(d.without_organisers.fragmentation_without, '{:.2f}')}\n    {d.verdict}",
        f" 3. absence factor: {a.member_factor} members, {a.team_factor} teams\n    {a.verdict}",
        f" 4. E–I index across teams {num(r.ties_across_teams.index, '{:+.2f}')}, across "
        f"regions {num(r.ties_across_regions.index, '{:+.2f}')}; reciprocity "
        f"{share(r.reciprocity.share)}; same-role share across teams {share(r.same_role.share)} "
        f"(by chance {share(r.same_role.by_chance)})\n    {r.ties_across_teams.verdict}"
        f"\n    {r.reciprocity.verdict}\n    {r.same_role.verdict}",
        f" 5. live network: {live.ties} ties, team density {num(live.team_density, '{:.2f}')}, "
        f"{live.team_components} components, largest {share(live.largest_team_component_share)}, "
        f"{len(live.isolated_teams)} isolated teams, {len(live.isolated_members)} isolated "
        f"members\n    {live.verdict}",
        f" 6. brokers: teams {[b.id[:8] for b in r.team_brokers.brokers[:3]]}, members "
        f"{[b.id[:8] for b in r.member_brokers.brokers[:3]]}\n    {r.team_brokers.verdict}",
    ]
    if r.core is not None:
        lines.append(f" 7. core before the funding end {len(r.core.before.core)}, after "
                     f"{len(r.core.after.core)}, still core {share(r.core.still_core)}"
                     f"\n    {r.core.verdict}")
    if r.staying is not None:
        s = r.staying
        lines.append(f" 8. staying power: median {num(s.survival.median_months)} months to "
                     f"lapse ({s.survival.lapsed} of {s.survival.members} lapsed); half-life "
                     f"{num(s.half_life.half_life_months)} months; level change "
                     f"{num(s.change.level_change.value if s.change.level_change else None)}"
                     f"\n    {s.survival.verdict}\n    {s.half_life.verdict}"
                     f"\n    {s.change.verdict}\n    {s.cohorts.verdict}")
    n, new = r.nudges, r.newcomers
    lines += [
        f" 9. first response: median {num(resp.median_days)} days, p90 "
        f"{num(resp.p90_days)}, unanswered after 14 days {share(resp.unanswered_share)}"
        f"\n    {resp.verdict}",
        f"10. dormant teams {len(r.dormant.dormant)}, falling {len(r.dormant.falling)} of "
        f"{r.dormant.teams_counted}\n    {r.dormant.verdict}",
        f"11. nudges: {n.nudged} quiet spells nudged, {share(n.nudged_share)} active again in "
        f"30 days; {n.not_nudged} not nudged, {share(n.not_nudged_share)}\n    {n.verdict}",
        f"12. newcomers: {new.joined} joined; contact {share(new.share(new.made_contact))}, "
        f"QIP {share(new.share(new.worked_on_qip))}, visit or event "
        f"{share(new.share(new.visit_or_event))}\n    {new.verdict}",
    ]
    return lines


# --- 2. the national store --------------------------------------------------------------


def national(store: Path, repeat: int) -> None:
    folder = tempfile.mkdtemp(prefix="health-national-")
    copy = Path(folder) / store.name
    shutil.copy(store, copy)
    print(f"\n== The national store: a copy of {store} ==", flush=True)

    from projections import network_health_kept as kept_module
    from projections.home import community_today
    from projections.network_health import kept_report
    from projections.network_map import live_map

    app = Community(Settings(database_url=f"sqlite:///{copy}", secret_key="bench"))
    engine = app.views.engine
    as_of = community_today(engine, app.today())
    print(f"as of {as_of} (the page's default), log position "
          f"{kept_module.view_position(engine)}, settled: {kept_module.settled(engine, as_of)}")

    for label, work in (("report (year)", lambda: kept_report(engine, as_of, "year")),
                        ("report (quarter; brokers shared)",
                         lambda: kept_report(engine, as_of, "quarter")),
                        ("report (all, for GET /sustainability)",
                         lambda: kept_report(engine, as_of, "all")),
                        ("team map with its layout", lambda: live_map(engine, as_of, "team")),
                        ("member map", lambda: live_map(engine, as_of, "member"))):
        cold, _ = timed(work)
        warm, _ = timed(work)
        kept_module._memo.clear()  # as another web process finds it: in the table only
        table, _ = timed(work)
        print(f"{label:40} cold {cold:8.0f} ms   kept {warm:6.1f} ms   "
              f"from the table {table:6.1f} ms")

    requests(app, as_of, repeat)
    shutil.rmtree(folder, ignore_errors=True)


# The first is the baseline: the cheapest authenticated request (the machines are
# shared and noisy, so the ratio to it is the figure to quote); the organisers' hub
# is an ordinary page for comparison.
PAGES = ("/api/v1/me", "/organise", "/sustainability/health", "/sustainability/health/map",
         "/sustainability/health/report", "/api/v1/network-health", "/api/v1/network",
         "/api/v1/network?level=member")


def requests(app: Community, as_of: date, repeat: int) -> None:
    from community.synth.cast import ORGANISER_EMAIL, PASSWORD
    from projections import network_health_kept as kept_module
    from projections.network_health import kept_report
    from projections.network_map import live_map
    from web import create_app

    web = create_app(app.settings, community=app, WTF_CSRF_ENABLED=False)
    client = web.test_client()
    answer = client.post("/login", data={"email": ORGANISER_EMAIL, "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code

    def run(title: str, day: date) -> None:
        urls = [f"{p}{'&' if '?' in p else '?'}as_of={day}" for p in PAGES]
        print(f"\n{title}")
        baseline = None
        for url in urls:
            times = []
            for _ in range(repeat):
                ms, found = timed(partial(client.get, url))
                assert found.status_code == 200, (url, found.status_code)
                times.append(ms)
            baseline = baseline or statistics.median(times)
            print(f"  GET {url:60} {percentiles(times)}   "
                  f"{statistics.median(times) / baseline:5.1f}× the baseline's p50")

    run(f"Through the app, kept figures as of {as_of}, {repeat} requests each "
        "(the first of each counts nothing: counted above):", as_of)
    # Today's figures are never settled: count them once, then record a contact (as
    # of today, so it changes them), and ask again while others would be writing.
    today = app.today()
    for period in ("year", "all"):
        ms, _ = timed(partial(kept_report, app.views.engine, today, period))
        print(f"\ntoday's report ({period}) counted cold in {ms:.0f} ms")
    for level in ("team", "member"):
        ms, _ = timed(partial(live_map, app.views.engine, today, level))
        print(f"today's {level} map counted cold in {ms:.0f} ms")
    found, _ = app.views.directory.members(limit=50)
    # Two members of different teams (not the organisers, who have none).
    sender = next(m for m in found if m.get("team_id"))
    first, second = sender["id"], next(
        m["id"] for m in found if m.get("team_id") and m["team_id"] != sender["team_id"]
        and m.get("consents_to_contact", True))
    app.make_contact(by=UUID(first), to_member_id=second, topic="Bench: a contact while reading",
                     made_on=today)
    started = time.perf_counter()
    run(f"As of today ({today}), after a write (a contact recorded today): the kept "
        "figures served at once while they are counted again in the background:", today)
    while kept_module._refreshing.locked():
        time.sleep(0.05)
    print(f"  the background refresh was done {time.perf_counter() - started:.1f} s "
          "after the write")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=NATIONAL)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    from projections.network_health_kept import warm_imports
    ms, _ = timed(warm_imports)  # first, in a fresh process, as a web process meets them
    print(f"heavy imports (lifelines, statsmodels, scipy, igraph): {ms:8.0f} ms")
    if not args.skip_demo:
        demo_figures()
    national(args.store, args.repeat)


if __name__ == "__main__":
    main()
