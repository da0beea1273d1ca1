"""The years after funding, as the organisers' daily job leaves them on the demo's
last day: a few members chose to have some notifications by e-mail too, and
`community momentum` and `community notify` ran once as of 30 September 2013, so the
outbox holds nudges for quiet plans, revisits for quiet teams, reminders of
unanswered follow-ups, and the notifications members chose by e-mail, waiting for
an organiser to read, reword or discard. (The activity that thins out after the
funding end is told by each part: contacts, values, follow-ups, events.)
"""

from __future__ import annotations

from datetime import date

from community.demo.data import ORGANISERS, PARTICIPANT
from community.demo.story import DEMO_ENDS_ON, Person, Story
from domain.member import NotificationKind

# Who chose which notifications also by e-mail, and when: `community notify` then
# puts their unread notifications since that day in the organisers' outbox.
DEMO_EMAIL_CHOICES = [
    (PARTICIPANT.email, list(NotificationKind), date(2010, 9, 1)),
    (ORGANISERS[0].email, [NotificationKind.INTRODUCTION_MADE, NotificationKind.EVENT_PLANNED],
     date(2010, 9, 1)),
]
# Two of the participant's colleagues, about their team's plans.
TEAM_CHOICES = [NotificationKind.CHANGES_REQUESTED, NotificationKind.PLAN_SHARED]


def choose_demo_emails(story: Story) -> list[Person]:
    """A few members' e-mail choices, through their notification settings; who chose."""
    by_email = {m.email: m for m in story.members}
    chosen = [(by_email[email], kinds, day) for email, kinds, day in DEMO_EMAIL_CHOICES
              if email in by_email]
    participant = by_email.get(PARTICIPANT.email)
    if participant is not None and participant.team is not None:
        colleagues = sorted((m for m in participant.team.members if m is not participant),
                            key=lambda m: m.email)
        chosen += [(m, TEAM_CHOICES, date(2011, 1, 3)) for m in colleagues[:2]]
    for member, kinds, day in chosen:
        story.on(day)
        story.app.choose_notification_emails(by=member.id, kinds=[k.value for k in kinds])
    return [member for member, _, _ in chosen]


def fill_outbox(story: Story) -> int:
    """The organisers' daily job, run once as of the demo's last day through the same
    commands cron runs; how many messages wait in the outbox."""
    story.checkpoint()
    story.on(DEMO_ENDS_ON)
    momentum = story.app.check_momentum(as_of=DEMO_ENDS_ON)
    notified = story.app.notify_by_email(proposed_on=DEMO_ENDS_ON)
    return len(momentum.proposed) + notified.proposed
