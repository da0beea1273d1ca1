"""A realistic demo community: ILCOP as its 2012 evaluation report describes it.

Thirty lung cancer MDTs in England, their National Lung Cancer Audit (NLCA) results
for 2009-2012, 15 peer-review pairs and their visits, workshops and poorly attended
online conferences, about seventy Quality Improvement Plans with monthly values,
contacts, follow-ups and introductions, and the 18 months after the funding ended,
in which some teams keep going and others fall quiet.

The story is told in parts, one module each, in the order ``save_demo`` runs them:

- ``people``: the programme, the core team, the teams, their members and audits;
- ``visits``: the pairing for peer review (the app's own matching) and the visits;
- ``workshops``: workshops and conferences held, and events planned ahead;
- ``qips``, ``progress``, ``assessments``: plans and their reviews; values,
  corrections, change marks and documents; sustainability self-assessments;
  ``qips`` ends the plans and has the participant's adapted;
- ``contacts``, ``follow_ups``: everyday contacts, follow-ups and introductions;
- ``after_funding``: e-mail choices, and the organisers' daily job on the last day;
- ``questions``: the year after the funding end in questions and answers;
- ``nudges``: the organisers' nudges after the funding end, sent or discarded.

Every change is a ``Community`` command, so the domain's rules and the commands'
checks hold for the demo as for anyone. Each part draws from its own random stream
(``Story.rng``): the same seed gives the same events (apart from the random ids of
new QIPs, contacts, workshops and follow-ups, and the salt of the password hashes),
and a part that draws more leaves the others as they were. The tables (names,
teams, plans, topics) are files in community/demo/data/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from community.application import Community
from community.demo import (
    after_funding,
    assessments,
    contacts,
    follow_ups,
    nudges,
    people,
    progress,
    qips,
    questions,
    visits,
    workshops,
)
from community.demo.after_funding import choose_demo_emails
from community.demo.data import (
    EXPERTISE,
    FIRST_NAMES,
    OTHER_ROLES,
    QIP_PLANS,
    SURNAMES,
)
from community.demo.people import (
    DEMO_PASSWORD,
    ORGANISER_EMAIL,
    PARTICIPANT_EMAIL,
    audit_result,
)
from community.demo.story import DEMO_ENDS_ON, FUNDING_ENDS_ON, PROGRAMME_NAME, Story, told_into
from config.indicators import default_indicators
from domain.errors import Conflict
from domain.programme import Programme

__all__ = ["DEMO_ENDS_ON", "DEMO_PASSWORD", "EXPERTISE", "FIRST_NAMES", "ORGANISER_EMAIL",
           "OTHER_ROLES", "PARTICIPANT_EMAIL", "QIP_PLANS", "SURNAMES", "Story",
           "audit_result", "choose_demo_emails", "load_demo", "save_demo", "start_programme"]

SUMMARY = ("teams", "members", "pairings", "workshops", "qips", "contacts", "follow_ups",
           "planned_events", "visits", "self_assessments", "questions", "answers", "reports",
           "nudges")


def load_demo(app: Community, *, seed: int = 2012,
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Load the demo community into an empty store and say how much it holds.

    ``progress(n)`` is told, as the story goes, how many aggregates were saved.
    """
    # A clash half way would leave half a demo: only an empty store will do.
    if app.has_programme() or app.recorder.max_notification_id():
        raise Conflict("the demo loads only into an empty store, and this one has data")
    return save_demo(app, seed=seed, progress=progress)


def save_demo(app: Community, *, seed: int = 2012,
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Tell the whole story into ``app`` through its commands, part by part."""
    story = Story(app, seed, progress)
    with told_into(story):
        tell(story)
        outbox = after_funding.fill_outbox(story)
    summary = {kind: story.made[kind] for kind in SUMMARY}
    summary["events"] = app.recorder.max_notification_id() or 0
    summary["outbox_messages"] = outbox
    return summary


def tell(story: Story) -> None:
    """The parts in the order the story needs them: each reads only what came before."""
    people.start(story, default_indicators())
    visits.pair_teams(story)  # on the 2009 audit, the results the organisers had
    people.record_later_audits(story)
    people.give_clinic_and_meeting_days(story)
    workshops.hold_workshops(story)
    visits.hold_peer_review_visits(story)
    qips.write_qips(story)
    qips.adapt_participants_qip(story)
    progress.report_progress(story, story.qips)
    progress.put_values_right(story, story.qips)
    qips.plan_endings(story)
    assessments.assess_qips(story, story.qips)  # while the plans are still active
    progress.attach_documents(story, story.qips)
    qips.end_qips(story)
    contacts.make_everyday_contacts(story)
    follow_ups.request_follow_ups(story)
    follow_ups.ask_for_introductions(story)
    workshops.plan_events(story)
    choose_demo_emails(story)
    questions.ask_and_answer(story)
    nudges.send_momentum_nudges(story)  # the organisers' nudges after the funding end


def start_programme(indicators: list[dict[str, Any]]) -> Programme:
    """The demo's programme as an unsaved aggregate, for ``bench.directory``, which
    builds a synthetic national community without commands to time the directory
    on it. The demo itself starts the programme with ``Community.start_programme``."""
    programme = Programme.start(name=PROGRAMME_NAME, funding_ends_on=FUNDING_ENDS_ON)
    for indicator in indicators:
        programme.define_indicator(**indicator)
    return programme
