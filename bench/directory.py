"""How fast are the directory's queries on a national community?

Builds a synthetic community the size of every lung cancer MDT in England
(3,000 members in 200 teams, with audits, about 2,000 QIPs, contacts,
workshops and peer-review pairings), then times, over many repetitions with
varied arguments, against a baseline measured in the same run:

- baseline: ``views.directory.member(id)``, one member by primary key (the
  cheapest query a page makes);
- the counterpart finder: ``counterparts_for(views, member_id)``;
- the directory search: ``views.directory.members(q=..., role=...)``;
- the unified search: ``projections.search.search(views, q, ...)``, all kinds
  (first five of each) and one kind (a page of 20, with a filter).

Medians are printed in milliseconds and as ratios to the baseline: the machines
are shared and noisy, so the ratio is the figure to quote.

    python -m bench.directory [--members 3000] [--teams 200] [--repeat 50]
                              [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from random import Random
from typing import Any

from community import Community
from community.demo import (
    EXPERTISE,
    FIRST_NAMES,
    OTHER_ROLES,
    QIP_PLANS,
    SURNAMES,
    audit_result,
    start_programme,
)
from config import Settings
from config.indicators import default_indicators
from domain.contact import Contact
from domain.member import Member
from domain.pairing import Pairing
from domain.qip import Qip
from domain.team import Team
from domain.values import Role, WorkshopKind
from domain.workshop import Workshop
from projections.counterparts import counterparts_for
from projections.network_health import compute_report, health_report
from projections.search import search

BATCH = 500  # aggregates a transaction
REGIONS = ["North East", "North West", "Yorkshire and the Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West"]
TOWN_STARTS = ["Ash", "Brack", "Cal", "Dun", "Elm", "Fern", "Glen", "Hart", "Ivy", "King",
               "Lang", "Mill", "North", "Oak", "Pen", "Queen", "Rother", "Stan", "Thorn",
               "Upton", "Wen", "Yarn"]
TOWN_ENDS = ["ford", "bury", "field", "ham", "ley", "mouth", "wick", "ton", "bridge", "dale"]
AUDIT_YEARS = (2009, 2010, 2011, 2012)
# What people type: tags, surnames, towns, role words, and two words at once.
QUERIES = ["ebus", "smith", "nurse", "data", "clinics", "patel", "ford", "trials",
           "nurse clinics", "ebus north", "cytology", "mdt", "biopsy", "bury", "sabr"]
ROLES = [None, Role.CNS.value, Role.CLINICAL_LEAD.value, Role.RADIOLOGIST.value, None]


# --- the synthetic community ------------------------------------------------------------


def towns(count: int) -> list[str]:
    names = [a + b for a in TOWN_STARTS for b in TOWN_ENDS]
    if count > len(names):
        names += [f"{n} {i}" for i in range(2, count // len(names) + 2) for n in names]
    return names[:count]


def build(rng: Random, member_count: int, team_count: int, contact_count: int
          ) -> tuple[list[Any], list[str]]:
    """Every aggregate, in the order the views need them; and the member ids."""
    indicators = default_indicators()
    keys = [key for i in indicators if (key := i["key"])]  # every row has one
    organisers = [Member.join(email=f"organiser{i}@example.org", name=f"Organiser {i}",
                              role=Role.ORGANISER, team_id=None, is_organiser=True)
                  for i in range(3)]
    teams = [register_team(rng, town, keys) for town in towns(team_count)]
    people = enrol(rng, teams, member_count - len(organisers))
    by_team = {t.id: [m for m in people if m.team_id == t.id] for t in teams}
    order = rng.sample(teams, len(teams))
    pairings = [Pairing.pair(first_team_id=a.id, second_team_id=b.id, paired_on=date(2010, 2, 1))
                for a, b in zip(order[::2], order[1::2], strict=False)]
    workshops = list(hold_workshops(rng, people, organisers[0]))
    qips = [q for t in teams for q in plans(rng, t, by_team[t.id])]
    contacts = list(make_contacts(rng, people, contact_count))
    aggregates = [start_programme(indicators), *teams, *organisers, *people, *pairings,
                  *workshops, *qips, *contacts]
    return aggregates, [str(m.id) for m in [*organisers, *people]]


def register_team(rng: Random, town: str, keys: list[str]) -> Team:
    team = Team.register(name=f"{town} lung cancer MDT", trust=f"{town} Hospitals NHS Trust",
                         region=rng.choice(REGIONS), latitude=rng.uniform(50.2, 55.5),
                         longitude=rng.uniform(-4.5, 1.5), caseload=rng.randint(80, 650))
    profile = {key: rng.gauss(0, 0.8) for key in keys}
    for years, year in enumerate(AUDIT_YEARS):
        team.record_audit(year=year, indicators=keys, results={
            key: audit_result(rng, key, profile[key], years, 1.0) for key in keys})
    return team


def enrol(rng: Random, teams: list[Team], count: int) -> list[Member]:
    """A lead, two nurses and a co-ordinator in every team; the rest spread around."""
    core = [Role.CLINICAL_LEAD, Role.CNS, Role.CNS, Role.MDT_COORDINATOR]
    places = [(t, r) for t in teams for r in core]
    others = list(OTHER_ROLES)
    while len(places) < count:
        places.append((rng.choice(teams), rng.choices(others, list(OTHER_ROLES.values()))[0]))
    found = []
    for number, (team, role) in enumerate(places[:count]):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        email = f"{first}.{last}.{number}@example.nhs.uk".lower().replace("'", "")
        found.append(Member.join(email=email, name=f"{first} {last}", role=role,
                                 team_id=team.id,
                                 expertise=rng.sample(EXPERTISE[role], rng.randint(1, 3)),
                                 consents_to_contact=rng.random() < 0.9))
    return found


def hold_workshops(rng: Random, people: list[Member], organiser: Member) -> Iterator[Workshop]:
    for number in range(40):
        kind = rng.choice([WorkshopKind.NATIONAL_WORKSHOP, WorkshopKind.ONLINE_CONFERENCE])
        attendees = rng.sample(people, rng.randint(40, 150))
        yield Workshop.hold(kind=kind, title=f"Workshop {number + 1}",
                            held_on=date(2010, 3, 1) + timedelta(days=20 * number),
                            attendee_ids=[m.id for m in attendees], organiser_id=organiser.id)


def plans(rng: Random, team: Team, people: list[Member]) -> Iterator[Qip]:
    """About ten QIPs a team, three in four shared, some with monthly progress."""
    for _ in range(rng.randint(7, 13)):
        plan = rng.choice(QIP_PLANS)
        owner = rng.choice(people)
        measures = [{"name": m.name, "unit": m.unit, "baseline": 50.0, "target": 70.0,
                     "direction": m.direction.value} for m in plan.measures]
        qip = Qip.draft(team_id=team.id, owner_id=owner.id, title=plan.title,
                        key_area=plan.area, aim="From 50 to 70 by March 2013",
                        timeframe="April 2012 to March 2013", measures=measures)
        if rng.random() < 0.75:
            qip.submit(by=owner.id, submitted_on=date(2012, 3, 26))
            qip.review(by=owner.id, reviewed_on=date(2012, 4, 2), accept=True)
            for month in range(rng.randint(0, 6)):
                qip.record_progress(measure=measures[0]["name"], value=50.0 + 3 * month,
                                    recorded_on=date(2012, 5 + month, 1), by=owner.id)
        yield qip


def make_contacts(rng: Random, people: list[Member], count: int) -> Iterator[Contact]:
    by_role: dict[Role, list[Member]] = {}
    for m in people:
        by_role.setdefault(m.role, []).append(m)
    for number in range(count):
        sender = rng.choice(people)
        receiver = rng.choice(by_role[sender.role] if rng.random() < 0.4 else people)
        if receiver.team_id == sender.team_id:
            continue
        yield Contact.make(from_member_id=sender.id, to_member_id=receiver.id, topic="benchmark",
                           facilitated=rng.random() < 0.3,
                           made_on=date(2010, 3, 1) + timedelta(days=number % 1200))


def load(app: Community, aggregates: Sequence[Any]) -> None:
    for start in range(0, len(aggregates), BATCH):
        app.save(*aggregates[start:start + BATCH])
    app.views.catch_up()


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
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = Community(Settings(database_url=url, catch_up_after_commands=False))
    started = time.perf_counter()
    aggregates, member_ids = build(Random(args.seed), args.members, args.teams, args.contacts)
    load(app, aggregates)
    _, shared = app.views.library.qips(viewer_team_id=None, limit=1)
    print(f"store: {url.split('://')[0]}, events: {app.recorder.max_notification_id():,}, "
          f"members: {len(member_ids):,}, teams: {args.teams}, "
          f"QIPs: {sum(isinstance(a, Qip) for a in aggregates):,} ({shared:,} shared), "
          f"built in {time.perf_counter() - started:.0f} s")
    results = measure(app, member_ids, args.repeat, args.seed)
    baseline = results[0][1]
    print(f"median of {args.repeat} runs each, varied members and words:")
    for name, ms in results:
        print(f"  {name:<48} {ms:>8.2f} ms  {ms / baseline:>7.1f} × baseline")
    app.close()


if __name__ == "__main__":
    main()
