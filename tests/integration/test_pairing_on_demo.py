"""Pairing the demo's thirty teams for a second round of peer review, on a SQLite
file and on PostgreSQL: fifteen pairs within every limit, each with its reasons, and
accepting them records fifteen pairings that the team pages show.

One demo load is shared by the module; the test that accepts the pairs runs last.
"""

from __future__ import annotations

import pytest

from community import Community
from community.demo import ORGANISER_EMAIL
from domain.pairing import Pairing
from domain.pairing_proposals import Limits
from projections.pairing_history import pairings_by_round


@pytest.fixture(scope="module")
def app(demo_community: Community) -> Community:
    """The demo on each store (a copy of the session's load: the last test changes it)."""
    return demo_community


def first_round(app: Community) -> set[frozenset[str]]:
    return {frozenset((a, b)) for r, a, b in pairings_by_round(app.views.network) if r == 1}


def test_the_organiser_is_offered_fifteen_pairs_for_the_second_round(app: Community) -> None:
    found = app.propose_pairing(by=app.member_id_by_email(ORGANISER_EMAIL))

    limits = Limits()
    assert found.round == 2 and found.recorded == ()
    assert [i.key for i in found.indicators] == ["histology", "active_treatment",
                                                 "resection_nsclc", "cns_seen"]
    pairs = found.proposal.pairs
    assert len(pairs) == 15 and found.proposal.unpaired == ()
    teams = [t.id for p in pairs for t in (p.first, p.second)]
    assert len(set(teams)) == 30
    for pair in pairs:
        assert pair.distance_km >= limits.min_distance_km, pair
        assert pair.caseload_ratio <= limits.max_caseload_ratio, pair
        assert pair.standing_gap <= limits.max_standing_gap, pair
        assert frozenset((pair.first.id, pair.second.id)) not in first_round(app)
        assert len(pair.reasons) >= 5
        assert pair.reasons[-1] == "Not paired with each other before"


def test_tighter_limits_leave_teams_out_with_why(app: Community) -> None:
    found = app.propose_pairing(by=app.member_id_by_email(ORGANISER_EMAIL), limits=Limits(min_distance_km=250,
                                                            max_caseload_ratio=1.3))

    assert len(found.proposal.pairs) < 15 and found.proposal.unpaired
    for left in found.proposal.unpaired:
        assert left.reason.startswith(("no team at least 250 km away", "odd one out",
                                       "every team it could be paired with")), left


def test_accepting_the_pairs_records_fifteen_pairings_the_team_pages_show(
        app: Community) -> None:
    found = app.propose_pairing(by=app.member_id_by_email(ORGANISER_EMAIL))
    before = app.recorder.max_notification_id()

    app.accept_pairings(by=app.member_id_by_email(ORGANISER_EMAIL), round=found.round, pairs=[
        {"first_team_id": p.first.id, "second_team_id": p.second.id}
        for p in found.proposal.pairs])

    added = [app.mapper.to_domain_event(n) for n in
             app.recorder.select_notifications(start=before + 1, limit=100)]
    assert len(added) == 15
    assert all(isinstance(e, Pairing.Made) and e.round == 2 for e in added)
    first = found.proposal.pairs[0]
    partners = app.views.network.partners_of(first.first.id)
    assert next((p["round"], p["partner_team_id"]) for p in partners) == (2, first.second.id)
    again = app.propose_pairing(by=app.member_id_by_email(ORGANISER_EMAIL), round=2)
    assert again.proposal.pairs == () and len(again.recorded) == 15
    assert app.next_pairing_round() == 3
