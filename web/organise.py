"""The organisers' hub: every tool they run the network with, each with what waits for them.

One navigation item instead of eight, so the header fits and nothing hides
behind "More"; the counts say where to start.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for

from web.auth import organiser_required
from web.services import views

organise = Blueprint("organise", __name__)


@organise.get("/organise")
@organiser_required
def hub() -> Any:
    v = views()
    outbox = v.outbox.counts()
    tools = [
        ("QIP reviews", url_for("qips.reviews"),
         "Review submitted plans against the standard; comment beside each part.",
         _waiting(len(v.library.awaiting_review()), "plan waiting", "plans waiting")),
        ("Introductions", url_for("contacts.introductions"),
         "Introduce members who asked to meet someone in another team.",
         _waiting(len(v.follow_ups.open_introductions()), "request waiting", "requests waiting")),
        ("Follow-up responses", url_for("follow_ups.responses"),
         "How quickly requests are answered, and which still wait.",
         _waiting(v.follow_ups.unanswered(), "request still unanswered",
                  "requests still unanswered")),
        ("Outbox", url_for("outbox.listing"),
         "Nudges, revisits and reminders proposed by the momentum check, to review and send.",
         _waiting(outbox.get("proposed", 0) + outbox.get("failed", 0), "e-mail waiting",
                  "e-mails waiting")),
        ("Pair teams", url_for("pairing.propose"),
         "Propose peer-review pairs: contrasting results, similar standing, far enough apart.",
         ""),
        ("Plan an event", url_for("workshops.new"),
         "Workshops and online conferences, on the dates that clash with fewest clinics.", ""),
        ("Sustainability", url_for("sustainability.dashboard"),
         "Is the network sustaining itself after the funding ended?", ""),
        ("Network health", url_for("network_health.page"),
         "Organic activity on an SPC chart, dependence on the organisers, who carries the "
         "network, live ties and response times, as of any date.", ""),
        ("Import teams and members", url_for("onboarding.import_form"),
         "Bring in the organisers' spreadsheets, checked row by row.", ""),
        ("Reported posts", url_for("question_reports.listing"),
         "Questions and answers members reported: hide a post or dismiss the report.",
         _waiting(len(v.questions.open_reports()), "report waiting", "reports waiting")),
        ("Audit trail", url_for("audit.trail_page"),
         "Who changed what, and when, newest first, from the record of every change.", ""),
    ]
    return render_template("organise.html", tools=tools)


def _waiting(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}" if count else "Nothing waiting"
