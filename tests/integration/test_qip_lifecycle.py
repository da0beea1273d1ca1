"""A QIP's life through the application on each real store: review, the end of a
plan, adoption by another team, the library's filters and the history."""

from __future__ import annotations

import pytest

from community import Community
from domain.errors import Conflict, Invalid, NotAllowed
from domain.qip_history import history
from tests.integration.network import CNS_SEEN, Network, build_network, draft_ready_qip

SHIFT = [50, 52, 49, 51, 50, 48, 60, 62, 61, 63, 64, 62]  # six above the median at the end


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def test_the_team_submits_an_organiser_asks_for_a_change_then_accepts(app: Community,
                                                                        net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.submit_qip(qip, by=net.lead)
    app.review_qip(qip, by=net.organiser, decision="request_changes",
                   comments={"aim": "Say from what baseline"})
    waiting = app.views.library.qip(str(qip), viewer_team_id=str(net.north))

    app.revise_qip(qip, by=net.nurse, aim="From 61% to 80% seen by a CNS by March 2013")
    app.submit_qip(qip, by=net.nurse)
    app.review_qip(qip, by=net.organiser, decision="accept")
    shared = app.views.library.qip(str(qip), viewer_team_id=None)

    assert waiting is not None and waiting["status"] == "changes_requested"
    assert app.views.library.qip(str(qip), viewer_team_id=str(net.south)) is not None
    assert shared is not None and shared["status"] == "active"
    assert shared["shared_on"] is not None and app.qip(qip).comments == {}


def test_plans_in_progress_are_seen_by_their_team_and_the_organisers_only(
        app: Community, net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.submit_qip(qip, by=net.nurse)
    library = app.views.library

    assert library.qip(str(qip), viewer_team_id=str(net.south)) is None
    assert library.qip(str(qip), viewer_team_id=str(net.north)) is not None
    assert library.qip(str(qip), viewer_team_id=None, organiser=True) is not None
    assert [q["id"] for q in library.awaiting_review()] == [str(qip)]


def test_only_organisers_review_and_only_the_team_submits(app: Community, net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    with pytest.raises(NotAllowed):
        app.submit_qip(qip, by=net.other_nurse)
    app.submit_qip(qip, by=net.nurse)
    with pytest.raises(NotAllowed):
        app.review_qip(qip, by=net.nurse, decision="accept")
    with pytest.raises(Invalid) as raised:
        app.review_qip(qip, by=net.organiser, decision="maybe")

    assert set(raised.value.fields) == {"decision"}
    assert app.qip(qip).status.value == "submitted"


def test_a_review_of_a_version_already_changed_is_a_conflict(app: Community, net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.submit_qip(qip, by=net.nurse, version=1)
    with pytest.raises(Conflict):
        app.submit_qip(qip, by=net.nurse, version=1)
    with pytest.raises(Conflict):
        app.review_qip(qip, by=net.organiser, decision="accept", version=1)

    assert app.qip(qip).version == 2


def test_pages_share_a_plan_per_version_and_a_change_is_never_seen_half_done(
        app: Community, net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    shown = app.qip(qip, to_read=True)
    app.revise_qip(qip, by=net.nurse, aim="From 61% to 80% seen by a CNS by March 2013")
    after = app.qip(qip, to_read=True)

    # What a page already holds stays as it was read; the next page reads the change.
    assert (shown.version, shown.aim) == (1, "80% of patients seen by a CNS at diagnosis by March 2013")
    assert (after.version, after.aim) == (2, "From 61% to 80% seen by a CNS by March 2013")
    assert app.qip(qip, to_read=True) is after  # one copy per version, not one per page
    assert app.qip(qip) is not after  # a command changes a copy of its own

def test_the_people_involved_must_be_members_of_the_team(app: Community, net: Network) -> None:
    with pytest.raises(Invalid) as raised:
        app.draft_qip(by=net.nurse, title="Plan", key_area="cns_access",
                      member_ids=[str(net.lead), str(net.other_nurse)])
    qip = app.draft_qip(by=net.nurse, title="Plan", key_area="cns_access",
                        member_ids=[str(net.lead)])

    assert set(raised.value.fields) == {"member_ids"}
    assert app.qip(qip).member_ids == [net.lead]


def test_another_team_adapts_a_shared_plan_and_the_library_shows_the_adoption(
        app: Community, net: Network) -> None:
    source = draft_ready_qip(app, net.nurse)
    with pytest.raises(Conflict):
        app.adapt_qip(source, by=net.other_nurse)  # not shared yet
    app.share_qip(source, shared_on="2012-02-20")
    with pytest.raises(Invalid):
        app.adapt_qip(source, by=net.lead)  # their own
    copy = app.adapt_qip(source, by=net.other_nurse)
    for month, value in enumerate(SHIFT, start=1):
        app.record_progress(copy, by=net.other_nurse, measure="Seen by a CNS", value=value,
                            recorded_on=f"2012-{month:02d}-01")

    adapted = app.qip(copy)
    [adoption] = app.views.library.adoptions_of(str(source), viewer_team_id=str(net.south))
    [listed] = [q for q in app.views.library.qips(viewer_team_id=None, organiser=True)[0]
                if q["id"] == str(source)]

    assert adapted.adapted_from == source and adapted.team_id == net.south
    assert adapted.status.value == "draft" and adapted.measures[0].baseline is None
    assert adoption["team"] == "Southmoor lung cancer MDT"
    assert adoption["measures"][0]["improved"] is True
    assert listed["adoption_count"] == 1


def test_the_library_filters_by_region_obstacle_status_and_outcome(app: Community,
                                                                   net: Network) -> None:
    improving = app.draft_qip(by=net.nurse, title="Improving", key_area="cns_access",
                              aim="From 50% to 70% seen by a CNS by March 2013",
                              timeframe="2012", measures=[CNS_SEEN], obstacles=["staffing"])
    app.share_qip(improving, shared_on="2011-12-01")
    flat = app.draft_qip(by=net.other_nurse, title="Flat", key_area="cns_access",
                         aim="From 50% to 70% seen by a CNS by March 2013",
                         timeframe="2012", measures=[CNS_SEEN], obstacles=["it"])
    app.share_qip(flat, shared_on="2011-12-01")
    app.record_series(improving, by=net.nurse, measure="Seen by a CNS",
                      values=[(f"2012-{m:02d}-01", v) for m, v in enumerate(SHIFT, start=1)])
    app.record_series(flat, by=net.other_nurse, measure="Seen by a CNS",
                      values=[(f"2012-{m:02d}-01", 50 + m % 2) for m in range(1, 13)])
    app.stop_qip(flat, by=net.other_nurse, reason="Merged with a neighbour")

    def titles(**filters: str) -> list[str]:
        rows, _ = app.views.library.qips(viewer_team_id=None, **filters)
        return [r["title"] for r in rows]

    assert titles(region="North West") == ["Improving"]
    assert titles(obstacle="it") == ["Flat"]
    assert titles(status="stopped") == ["Flat"]
    assert titles(outcome="improved") == ["Improving"]
    assert titles(outcome="not_improved") == ["Flat"]


def test_the_history_read_from_the_store_keeps_the_original_aim(app: Community,
                                                               net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.share_qip(qip, shared_on="2012-02-20")
    app.revise_qip(qip, by=net.lead, aim="70% of patients seen by a CNS by March 2014")

    found = history(app.qip_events(qip))

    assert found.original["aim"] == "80% of patients seen by a CNS at diagnosis by March 2013"
    assert found.current["aim"] == "70% of patients seen by a CNS by March 2014"
    assert found.entries[-1].by == net.lead and found.entries[-1].on.isoformat() == "2013-06-01"
