"""The demo tells its members what happened in 2010–2013, and a few of them chose
e-mail, so `community notify` has something to put in the outbox (on each store: a copy of the
session's demo, tests/conftest.py)."""

from __future__ import annotations

from community import Community
from community.demo import PARTICIPANT_EMAIL


def test_the_demo_has_notifications_and_notify_puts_chosen_ones_in_the_outbox_once(
        demo_community: Community) -> None:
    app = demo_community
    priya = str(app.member_id_by_email(PARTICIPANT_EMAIL))
    told, total = app.views.notifications.for_member(priya, limit=500)

    # The demo ran the daily job once as of its last day: running it again adds none.
    again = app.notify_by_email()

    assert total == len(told) >= 3
    assert {r["kind"] for r in told} >= {"changes_requested", "plan_shared",
                                         "question_invited", "question_answered"}
    rows, _ = app.views.outbox.listing(limit=200)
    emailed = [r for r in rows if r["key"].startswith("notification:")]
    assert "Priya Shah" in {r["to_name"] for r in emailed}
    assert again.proposed == 0 and again.already == len(emailed) > 0
