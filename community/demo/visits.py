"""Pairing and visits: the organisers pair the teams for peer review with the app's
own matching on the 2009 audit, and each team hosts one visit and makes one (March
2010 to early 2011), with a facilitator. The visitors write what they saw (areas for
improvement, what the host does well, the figures talked over); a couple of hosts
turn an area into a draft QIP in one step. People meet their counterparts on the day.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

from community.demo.contacts import meet_counterpart
from community.demo.data import GENERAL_AREAS, PAIR_TOPICS, VISIT_AREAS, VISIT_STRENGTHS
from community.demo.story import DemoTeam, Person, PlannedQip, Story, weekday_on_or_after
from domain.pairing_proposals import Limits
from domain.values import KeyArea, Role, WorkshopKind

# Round 1 as the app proposes it, with the app's limits but two: 170 km rather
# than 100 keeps every pair out of one region (the two teams of one region farthest
# apart, Tamarton and Avonmere, are 161 km apart), and an overall standing up to 2
# spreads apart rather than 1 pairs all thirty teams for every seed tried (the
# weights still favour the closest standings).
ROUND_ONE_LIMITS = Limits(min_distance_km=170, max_standing_gap=2.0)
PAIRED_ON = date(2010, 2, 1)  # announced at the introductory workshop
VISIT_QIPS = 2  # visits whose first area the host team turns into a draft QIP


def pair_teams(story: Story) -> None:
    """The app's proposal on the 2009 audit, the results the organisers had:
    contrasting headline results but similar overall standing and caseload, far
    enough apart to be frank: the pairing the report says worked."""
    story.checkpoint()  # the directory the proposal reads shows every team
    app, helen = story.app, story.organisers[0]
    story.on(PAIRED_ON)
    found = app.propose_pairing(by=helen.id, limits=ROUND_ONE_LIMITS, round=1).proposal
    if found.unpaired:
        raise RuntimeError("the demo pairs every team, but left out "
                           + "; ".join(f"{u.team.name}: {u.reason}" for u in found.unpaired))
    teams = {str(t.id): t for t in story.teams}
    pairs = [(teams[p.first.id], teams[p.second.id]) for p in found.pairs]
    ids = app.accept_pairings(by=helen.id, round=1, paired_on=PAIRED_ON,
                              pairs=[{"first_team_id": a.id, "second_team_id": b.id}
                                     for a, b in pairs])
    for (a, b), pairing_id in zip(pairs, ids, strict=True):
        a.partner, b.partner = b, a
        a.pairing_id = b.pairing_id = pairing_id
    story.count("pairings", len(ids))


def pairs_of(story: Story) -> list[tuple[DemoTeam, DemoTeam]]:
    seen: set[int] = set()
    found = []
    for team in story.teams:
        if team.partner is not None and id(team) not in seen:
            seen |= {id(team), id(team.partner)}
            found.append((team, team.partner))
    return found


def hold_peer_review_visits(story: Story) -> None:
    """Each team hosts one visit and makes one, March 2010 to early 2011."""
    rng = story.rng("visits")
    drafting = [0]
    for number, (a, b) in enumerate(pairs_of(story)):
        first = weekday_on_or_after(date(2010, 3, 1)
                                    + timedelta(days=number * 17 + rng.randint(0, 10)))
        second = weekday_on_or_after(first + timedelta(weeks=rng.randint(5, 12)))
        host, visitor = (a, b) if rng.random() < 0.5 else (b, a)
        facilitator = story.organisers[1 + number % 2]
        for (home, away), day in [((host, visitor), first), ((visitor, host), second)]:
            visit(story, rng, home, away, day, facilitator, drafting)


def visit(story: Story, rng: Random, host: DemoTeam, visitor: DemoTeam, day: date,
          facilitator: Person, drafting: list[int]) -> None:
    app = story.app
    hosts = attending(rng, host, 3, 5)
    guests = attending(rng, visitor, 2, 3)
    story.on(day)
    app.hold_workshop(by=facilitator.id, kind=WorkshopKind.PEER_REVIEW_VISIT,
                      title=f"Peer-review visit: {host.name} hosts {visitor.name}",
                      held_on=day, attendee_ids=[m.id for m in hosts + guests])
    visit_id = app.record_visit(by=facilitator.id, host_team_id=host.id,
                                visiting_team_id=visitor.id, visited_on=day,
                                attendee_ids=[m.id for m in hosts + guests],
                                pairing_id=host.pairing_id)
    story.count("workshops")
    story.count("visits")
    host.visits.append(day)
    visitor.visits.append(day)
    for guest in guests[: rng.randint(1, len(guests))]:
        meet_counterpart(story, rng, guest, hosts, day, topics=PAIR_TOPICS)
    story.on(day + timedelta(days=rng.randint(3, 20)))
    app.give_visit_feedback(visit_id, by=guests[0].id, **feedback(story, rng, host, day))
    if drafting[0] < VISIT_QIPS and host.momentum != "disengaged" and rng.random() < 0.3:
        author = host.with_role(Role.CLINICAL_LEAD)[0]
        drafted_on = weekday_on_or_after(story.day + timedelta(days=rng.randint(7, 30)))
        story.on(drafted_on)
        qip_id, = app.draft_qips_from_visit(visit_id, by=author.id, areas=[0])
        qip = app.qip(qip_id)
        host.qips.append(PlannedQip(qip_id, host, author, qip.title, KeyArea(qip.key_area),
                                    drafted_on))
        story.count("qips")
        drafting[0] += 1


def attending(rng: Random, team: DemoTeam, fewest: int, most: int) -> list[Person]:
    """The core of the MDT comes first; others now and then."""
    core = team.core()
    others = [m for m in team.members if m not in core]
    rng.shuffle(others)
    wanted = min(len(team.members), rng.randint(fewest, most))
    return (core + others)[:wanted]


def feedback(story: Story, rng: Random, host: DemoTeam, day: date) -> dict[str, Any]:
    """Areas where the host is weakest, what it does best, and the figures talked over."""
    year = max(y for y in host.audits if y < day.year)
    ranked = sorted(VISIT_AREAS, key=lambda key: host.profile.get(key, 0.0))
    weak, strong = ranked[:rng.randint(2, 3)], ranked[-rng.randint(1, 2):]
    areas = [VISIT_AREAS[k] for k in weak] + rng.sample(GENERAL_AREAS, rng.randint(0, 1))
    results = host.audits[year]
    names = {i["key"]: i["name"] for i in story.indicators}
    figures = "; ".join(f"{names.get(key, key)} {results[key]:.0f}%" for key in weak + strong
                        if key in results)
    return {"areas_for_improvement": areas,
            "strengths": [VISIT_STRENGTHS[k] for k in reversed(strong)],
            "data_discussed": f"NLCA {year} results ({figures}), the MDT's own list of patients "
                              f"waiting for diagnosis, and the CNS caseload."}
