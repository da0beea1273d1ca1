"""A corrected or withdrawn value, on each real store: every read of a QIP's results
(its values, latest value, the outcome filter, how an adapted copy went, the history)
uses the value as it stands, and a rebuilt library agrees."""

from __future__ import annotations

import pytest

from community import Community
from domain.errors import Conflict, Invalid, NotAllowed
from domain.qip_history import history
from tests.integration.network import Network, build_network, draft_ready_qip

MEASURE = "Seen by a CNS"
MONTHS = [f"2012-{month:02d}-01" for month in range(1, 13)]
# Six above the median at the end, but the tenth value was typed 37 for 73.
MISTYPED = [50, 52, 49, 51, 50, 48, 60, 62, 61, 37, 64, 62]


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def measured(app: Community, net: Network) -> str:
    qip = draft_ready_qip(app, net.nurse)
    app.share_qip(qip, shared_on="2011-12-01")
    app.record_series(qip, by=net.nurse, measure=MEASURE, values=list(zip(MONTHS, MISTYPED, strict=True)))
    return str(qip)


def improved(app: Community) -> list[str]:
    found, _ = app.views.library.qips(viewer_team_id=None, outcome="improved")
    return [q["id"] for q in found]


def test_a_corrected_value_changes_the_latest_value_and_the_outcome(app: Community,
                                                                    net: Network) -> None:
    qip = measured(app, net)
    assert improved(app) == []

    app.correct_progress(qip, by=net.lead, measure=MEASURE, recorded_on="2012-10-01",
                         value=63, reason="Typed 37 for 63")
    app.correct_progress(qip, by=net.lead, measure=MEASURE, recorded_on="2012-12-01",
                         value=65, reason="The December audit was re-run")

    row = app.views.library.qip(qip, viewer_team_id=None)
    assert row is not None
    [measure] = row["measures"]
    assert (str(measure["latest_on"]), measure["latest_value"], measure["points"]) == (
        "2012-12-01", 65.0, 12)
    assert [p["value"] for p in row["progress"]][-3:] == [63.0, 64.0, 65.0]
    assert improved(app) == [qip]


def test_a_withdrawn_value_leaves_the_results_and_the_latest_date(app: Community,
                                                                  net: Network) -> None:
    qip = measured(app, net)

    app.withdraw_progress(qip, by=net.nurse, measure=MEASURE, recorded_on="2012-12-01",
                          reason="Recorded before the audit closed")

    row = app.views.library.qip(qip, viewer_team_id=None)
    assert row is not None
    assert (str(row["last_progress_on"]), row["measures"][0]["latest_value"],
            row["measures"][0]["points"]) == ("2012-11-01", 64.0, 11)
    assert [e.what for e in history(app.qip_events(qip)).entries][-1] == (
        "Withdrew the value of Seen by a CNS on 1 December 2012 (62%): Recorded before the "
        "audit closed")


def test_the_original_shows_how_an_adapted_copy_went_with_its_corrections(
        app: Community, net: Network) -> None:
    source = draft_ready_qip(app, net.nurse)
    app.share_qip(source, shared_on="2011-12-01")
    copy = app.adapt_qip(source, by=net.other_nurse)
    app.record_progress(copy, by=net.other_nurse, measure=MEASURE, value=7,
                        recorded_on="2012-03-01")

    app.correct_progress(copy, by=net.other_nurse, measure=MEASURE, recorded_on="2012-03-01",
                         value=70, reason="A missing zero")

    [adoption] = app.views.library.adoptions_of(str(source), viewer_team_id=str(net.south))
    assert adoption["measures"][0]["latest_value"] == 70.0


def test_only_the_team_puts_its_values_right_and_never_without_a_value_or_reason(
        app: Community, net: Network) -> None:
    qip = measured(app, net)
    with pytest.raises(NotAllowed):
        app.correct_progress(qip, by=net.other_nurse, measure=MEASURE,
                             recorded_on="2012-10-01", value=63, reason="Typo")
    with pytest.raises(Invalid) as raised:
        app.withdraw_progress(qip, by=net.nurse, measure=MEASURE, recorded_on="2013-01-01",
                              reason="")
    assert set(raised.value.fields) == {"date", "reason"}
    with pytest.raises(Conflict):
        app.correct_progress(qip, by=net.nurse, measure=MEASURE, recorded_on="2012-10-01",
                             value=63, reason="Typo", version=1)
    assert app.views.library.qip(qip, viewer_team_id=None)["measures"][0]["points"] == 12


def test_a_rebuilt_library_holds_the_values_as_corrected(app: Community, net: Network) -> None:
    qip = measured(app, net)
    app.correct_progress(qip, by=net.nurse, measure=MEASURE, recorded_on="2012-10-01",
                         value=63, reason="Typo")
    app.withdraw_progress(qip, by=net.nurse, measure=MEASURE, recorded_on="2012-01-01",
                          reason="Before the plan started")
    before = app.views.library.qip(qip, viewer_team_id=None)

    app.views.rebuild(["library"])

    after = app.views.library.qip(qip, viewer_team_id=None)
    assert after is not None and before is not None
    assert after["progress"] == before["progress"]
    assert len(after["progress"]) == 11
    assert after["version"] == app.qip(qip).version
