"""The organisers' nudges after the funding end: every other month from May 2012 the
core team ran the daily momentum job (``community momentum``) as of that day, sent
about two in three of the nudges and revisit offers it proposed and discarded the
rest, and some of those nudged wrote to a colleague in another team within a few
weeks. Without this part the demo sent no nudges, and the network-health page's
"do nudges work?" (issue 12, item 11) had nothing to compare.

Told last (after ``questions``), on its own random stream, so the other parts' events
stay as they were; the momentum job reads the views as of each day. The messages are
marked sent as a send run marks them (claimed, then sent: ``domain.message``), without
a mail server: the demo's 2012 e-mails went long ago.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from uuid import UUID

from community.demo.story import DEMO_ENDS_ON, FUNDING_ENDS_ON, Person, Story, add_months
from community.demo.story import weekday_on_or_after as weekday
from domain.message import Message

# What the job proposed that the organisers sent: nudges for quiet plans, revisit
# offers for quiet teams (reminders of unanswered follow-ups are left alone).
SENT_KINDS = ("nudge", "revisit")
SEND_SHARE = 2 / 3       # the rest discarded: the team had said it was busy
REPLY_SHARE = 0.6        # of those nudged, how many wrote to someone within weeks
DISCARDED = "The team told us at the last workshop that they are busy with a CQC visit."
REPLY_TOPICS = ("Picking our plan up again after your e-mail",
                "Restarting our audit: how did you collect the data?",
                "Your team's pathway changes: could we visit?",
                "Thanks for the nudge: sharing where we got to")


def nudge_days() -> list[date]:
    """The first weekday of every other month, from the second month after the
    funding end to the demo's last quarter."""
    days, month = [], add_months(FUNDING_ENDS_ON + timedelta(days=1), 1)
    while month < DEMO_ENDS_ON - timedelta(days=60):
        days.append(weekday(month))
        month = add_months(month, 2)
    return days


def send_momentum_nudges(story: Story) -> None:
    rng = story.rng("nudges")
    organiser = story.organisers[0]
    people = {str(m.id): m for m in story.members}
    for day in nudge_days():
        story.checkpoint()  # the job reads the views: they hold everything told so far
        story.on(day)
        found = story.app.check_momentum(by=organiser.id, as_of=day)
        # In a stable order (the keys hold random QIP ids): the same seed, the same sends.
        chosen = sorted((a for a in found.proposed if a.kind in SENT_KINDS),
                        key=lambda a: (a.kind, a.to_member_id, a.subject))
        replying = []
        for action in chosen:
            message_id = Message.create_id(action.key)
            if rng.random() < SEND_SHARE:
                _send(story, message_id, organiser, day)
                member = people.get(action.to_member_id)
                if member is not None and rng.random() < REPLY_SHARE:
                    replying.append(member)
            else:
                story.app.discard_message(message_id, by=organiser.id, reason=DISCARDED)
            story.count("nudges")
        for action in found.proposed:  # the follow-up reminders: read, and let be
            if action.kind not in SENT_KINDS:
                story.app.discard_message(Message.create_id(action.key), by=organiser.id,
                                          reason="Already chased by phone.")
                story.count("nudges")
        for member in replying:  # weeks later, before the job runs again
            _reply(story, rng, member, day)


def _send(story: Story, message_id: UUID, organiser: Person, day: date) -> None:
    message = story.app.message(message_id)
    message.claim(by=organiser.id)
    story.app.save(message)
    message.mark_sent(sent_on=day)
    story.app.save(message)


def _reply(story: Story, rng: Random, member: Person, sent_on: date) -> None:
    """The nudged member writes to someone in another team (their own role if they
    can) a few weeks later."""
    day = sent_on + timedelta(days=rng.randint(5, 25))
    others = [m for m in story.active_members(day)
              if m.team is not member.team and m.consents_to_contact]
    if day > DEMO_ENDS_ON or not others:
        return
    same_role = [m for m in others if m.role is member.role]
    story.on(day)
    story.app.make_contact(by=member.id, to_member_id=rng.choice(same_role or others).id,
                           topic=rng.choice(REPLY_TOPICS), made_on=day)
    story.count("contacts")
