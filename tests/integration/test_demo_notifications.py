"""The demo tells its members what happened in 2010–2013, and a few of them chose
e-mail, so `community notify` has something to put in the outbox."""

from __future__ import annotations

from pathlib import Path

from community import Community
from community.demo import PARTICIPANT_EMAIL, load_demo
from config import Settings


def test_the_demo_has_notifications_and_notify_puts_chosen_ones_in_the_outbox_once(
        tmp_path: Path) -> None:
    app = Community(Settings(database_url=f"sqlite:///{tmp_path}/demo.sqlite"))
    try:
        load_demo(app)
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
    finally:
        app.close()
