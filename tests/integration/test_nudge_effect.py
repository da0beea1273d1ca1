"""Do nudges work? On each real store: the momentum job's revisit for a quiet team,
once sent from the outbox, is counted as a nudge, and the team writing again within
30 days counts as active again; the teams going quiet name it before."""

from __future__ import annotations

from datetime import date

from community import Community
from projections.network_health import compute_report
from tests.builders import SmallNetwork

# The outbox tests' fixtures (an application sending through a local SMTP server on
# each store, and its small network), reused rather than copied.
# pytest finds fixtures by these names, so the test's arguments shadow them (F811).
from tests.integration.test_outbox import app, mailbox, network  # noqa: F401


def test_a_sent_revisit_followed_by_activity_counts_as_a_nudge_that_worked(
        app: Community, network: SmallNetwork) -> None:  # noqa: F811
    for month in range(1, 7):
        app.make_contact(by=network.nurse, to_member_id=network.lead, topic="Clinics",
                         made_on=f"2012-{month:02d}-05")
    app.make_contact(by=network.other_nurse, to_member_id=network.nurse, topic="EBUS",
                     made_on="2012-01-10")
    app.today = lambda: date(2012, 4, 10)
    before = compute_report(app.views.engine, date(2012, 4, 10), "all")
    proposed = app.check_momentum(by=network.organiser, as_of=date(2012, 4, 10)).proposed
    assert [a.key.split(":")[:3] for a in proposed] == [["revisit", "team", str(network.south)]]
    assert len(app.send_messages(by=network.organiser).sent) == 1
    app.make_contact(by=network.other_nurse, to_member_id=network.nurse, topic="EBUS",
                     made_on="2012-04-20")

    after = compute_report(app.views.engine, date(2012, 6, 30), "all")

    assert [t.name for t in before.dormant.dormant] == ["Southmoor lung cancer MDT"]
    assert (after.nudges.nudged, after.nudges.nudged_active_again) == (1, 1)
    assert after.nudges.not_nudged == 0
    assert after.nudges.verdict.startswith("Of 1 quiet plan or team nudged, 100% were active "
                                           "again within 30 days; every quiet plan or team "
                                           "was nudged.")
    assert after.dormant.dormant == ()
