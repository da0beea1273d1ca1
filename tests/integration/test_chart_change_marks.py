"""Changes marked on a measure, on each real store: the events are kept, the library
carries the marks, the "improved" outcome survives marking a change that worked, and a rebuilt view
has the same marks as the one kept up to date."""

from __future__ import annotations

from datetime import date

import pytest

from community import Community
from domain.errors import Conflict, Invalid
from domain.qip import Qip
from tests.builders import SmallNetwork, small_network

MEASURE = "Days to first treatment"
# Better when lower: a year around 40 days, then a year around 30 after a change. Read
# against one set of limits the old year is a "concern" and the new an "improvement";
# from the change, each year is common cause around its own mean.
STEP = [(date(2011 + m // 12, m % 12 + 1, 10).isoformat(), v) for m, v in enumerate(
    [40, 42, 39, 41, 40, 43, 41, 39, 42, 40, 41, 40,
     30, 31, 29, 32, 30, 28, 31, 30, 29, 31, 30, 29])]


@pytest.fixture
def network(app: Community) -> SmallNetwork:
    return small_network(app)


@pytest.fixture
def qip_id(app: Community, network: SmallNetwork) -> str:
    qip_id = app.draft_qip(
        by=network.nurse, title="Faster first treatment", key_area="cns_access",
        aim="First treatment within 31 days of decision for 90% by March 2013",
        timeframe="January 2011 to March 2013",
        measures=[{"name": MEASURE, "unit": "days", "baseline": 40, "target": 31,
                   "direction": "down"}])
    app.share_qip(qip_id, shared_on="2011-01-01")
    app.record_series(qip_id, by=network.nurse, measure=MEASURE, values=STEP)
    return str(qip_id)


def improved(app: Community, qip_id: str) -> bool:
    row = app.views.library.qip(qip_id, viewer_team_id=None, organiser=True)
    return row["measures"][0]["improved"]


def test_a_marked_change_is_an_event_and_the_library_carries_it(app, network, qip_id):
    app.mark_change(qip_id, by=network.nurse, measure=MEASURE, changed_on="2012-01-01",
                    description="Straight-to-test pathway")

    [event] = [e for e in app.qip_events(qip_id) if isinstance(e, Qip.ChangeMarked)]
    assert (event.measure, event.changed_on, event.description, event.marked_by) == (
        MEASURE, date(2012, 1, 1), "Straight-to-test pathway", network.nurse)
    row = app.views.library.qip(qip_id, viewer_team_id=None, organiser=True)
    assert row["change_marks"] == [{"measure": MEASURE, "changed_on": date(2012, 1, 1),
                                    "description": "Straight-to-test pathway"}]


def test_marking_the_change_that_worked_keeps_the_plan_among_the_improved(app, network,
                                                                          qip_id):
    assert improved(app, qip_id)   # the new year below limits set over both years

    app.mark_change(qip_id, by=network.nurse, measure=MEASURE, changed_on="2012-01-01",
                    description="Straight-to-test pathway")

    # From the change each year is common cause around its own mean, but the step the
    # team marked went the good way: the plan stays "improved", and is found as such.
    assert improved(app, qip_id)
    rows, total = app.views.library.qips(viewer_team_id=None, organiser=True,
                                         outcome="improved")
    assert total == 1 and [r["id"] for r in rows] == [qip_id]

    app.unmark_change(qip_id, by=network.nurse, measure=MEASURE, changed_on="2012-01-01")

    assert improved(app, qip_id)
    assert app.views.library.qip(qip_id, viewer_team_id=None,
                                 organiser=True)["change_marks"] == []


def test_a_change_marked_where_the_values_got_worse_is_not_improvement(app, network):
    worse = app.draft_qip(
        by=network.nurse, title="Waits after the rota change", key_area="cns_access",
        aim="First treatment within 31 days of decision for 90% by March 2013",
        timeframe="January 2011 to March 2013",
        measures=[{"name": MEASURE, "unit": "days", "baseline": 30, "target": 25,
                   "direction": "down"}])
    app.share_qip(worse, shared_on="2011-01-01")
    # The same step the other way: waits went up from 30 to 40 days.
    app.record_series(worse, by=network.nurse, measure=MEASURE,
                      values=[(day, 70 - value) for day, value in STEP])

    app.mark_change(worse, by=network.nurse, measure=MEASURE, changed_on="2012-01-01",
                    description="Clinic rota changed")

    assert not improved(app, str(worse))


def test_a_rebuilt_library_has_the_same_marks(app, network, qip_id):
    app.mark_change(qip_id, by=network.nurse, measure=MEASURE, changed_on="2012-01-01",
                    description="Straight-to-test pathway")
    app.mark_change(qip_id, by=network.nurse, measure=MEASURE, changed_on="2012-06-01",
                    description="Second clinic")
    app.unmark_change(qip_id, by=network.nurse, measure=MEASURE, changed_on="2012-06-01")
    before = app.views.library.qip(qip_id, viewer_team_id=None, organiser=True)

    app.views.rebuild(["library"])

    after = app.views.library.qip(qip_id, viewer_team_id=None, organiser=True)
    assert after["change_marks"] == before["change_marks"] and len(after["change_marks"]) == 1


def test_a_bad_mark_changes_nothing(app, network, qip_id):
    with pytest.raises(Invalid) as refused:
        app.mark_change(qip_id, by=network.nurse, measure="Morale", changed_on="2012-13-01",
                        description="")
    assert set(refused.value.fields) == {"measure", "date", "description"}

    app.stop_qip(qip_id, by=network.nurse, reason="The service was reorganised")
    with pytest.raises(Conflict):
        app.mark_change(qip_id, by=network.nurse, measure=MEASURE, changed_on="2012-01-01",
                        description="Straight-to-test pathway")
    assert app.qip(qip_id).change_marks == []
