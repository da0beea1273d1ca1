"""Spotting lost momentum and proposing what the organisers would have done by hand.

"A facilitator's revisit refreshed us" when QIPs lost momentum; after the
funding ends nobody is watching. Three signals, each with a threshold in weeks
the organiser sets:

- a QIP in progress with no value recorded for ``qip_weeks`` → a nudge to its
  owner, and after twice as long an offer of a facilitator revisit;
- a team with no activity for ``team_weeks`` → an offer of a facilitator revisit;
- a follow-up asked of a team and unanswered for ``follow_up_weeks`` → a nudge
  to that team, naming who asked and when.

Each action has a key made from what it is about and the date the quiet began,
so running the job again proposes nothing new until something changes: new
progress followed by a new silence is a new key. Pure: the application feeds
it facts read from the views and puts the messages in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Thresholds:
    qip_weeks: int = 8
    team_weeks: int = 12
    follow_up_weeks: int = 3


@dataclass(frozen=True)
class QuietQip:
    qip_id: str
    title: str
    owner_id: str
    owner_name: str
    team_name: str
    quiet_since: date          # the last value recorded, or the day it was shared


@dataclass(frozen=True)
class QuietTeam:
    team_id: str
    team_name: str
    contact_id: str            # whom to write to: the clinical lead if there is one
    contact_name: str
    quiet_since: date          # the team's last activity of any kind


@dataclass(frozen=True)
class WaitingRequest:
    follow_up_id: str
    kind: str
    requested_on: date
    requester_name: str
    requester_team: str
    team_name: str             # the team asked
    contact_id: str
    contact_name: str
    paired: bool               # asked of the team it was paired with for peer review


@dataclass(frozen=True)
class Action:
    kind: str                  # "nudge", "revisit" or "reminder"
    key: str
    to_member_id: str
    subject: str
    body: str
    reason: str                # what the organiser reads in the outbox


def _weeks(since: date, as_of: date) -> int:
    return (as_of - since).days // 7


def propose(as_of: date, thresholds: Thresholds, qips: list[QuietQip], teams: list[QuietTeam],
            requests: list[WaitingRequest]) -> list[Action]:
    actions: list[Action] = []
    for qip in sorted(qips, key=lambda q: (q.quiet_since, q.qip_id)):
        weeks = _weeks(qip.quiet_since, as_of)
        if weeks < thresholds.qip_weeks:
            continue
        actions.append(Action(
            "nudge", f"nudge:qip:{qip.qip_id}:{qip.quiet_since}", qip.owner_id,
            f"How is “{qip.title}” going?",
            f"Dear {qip.owner_name},\n\nNo progress has been recorded on “{qip.title}” "
            f"({qip.team_name}) since {qip.quiet_since:%-d %B %Y}. A value a month keeps the "
            "run chart honest, and other teams adapting the plan look at it.\n\nIf the plan "
            "has stalled, reply and we can arrange a call or a visit.",
            f"No progress on a QIP for {weeks} weeks"))
        if weeks >= 2 * thresholds.qip_weeks:
            actions.append(Action(
                "revisit", f"revisit:qip:{qip.qip_id}:{qip.quiet_since}", qip.owner_id,
                f"A facilitator visit for “{qip.title}”?",
                f"Dear {qip.owner_name},\n\n“{qip.title}” has had no progress recorded since "
                f"{qip.quiet_since:%-d %B %Y}. Teams told us a facilitator's revisit refreshed "
                "them when a plan lost momentum. Would a visit help? Reply with a few dates.",
                f"No progress on a QIP for {weeks} weeks: offer a revisit"))
    for team in sorted(teams, key=lambda t: (t.quiet_since, t.team_id)):
        weeks = _weeks(team.quiet_since, as_of)
        if weeks < thresholds.team_weeks:
            continue
        actions.append(Action(
            "revisit", f"revisit:team:{team.team_id}:{team.quiet_since}", team.contact_id,
            f"Catching up with {team.team_name}",
            f"Dear {team.contact_name},\n\nWe have not heard from {team.team_name} since "
            f"{team.quiet_since:%-d %B %Y}. Would a facilitator visit, or a call with the team "
            "you were paired with, help? Reply and we will arrange it.",
            f"{team.team_name}: no activity for {weeks} weeks"))
    for request in sorted(requests, key=lambda r: (r.requested_on, r.follow_up_id)):
        weeks = _weeks(request.requested_on, as_of)
        if weeks < thresholds.follow_up_weeks:
            continue
        paired = " (your peer-review partner)" if request.paired else ""
        actions.append(Action(
            "reminder", f"reminder:follow-up:{request.follow_up_id}", request.contact_id,
            f"{request.requester_name} is waiting for an answer",
            f"Dear {request.contact_name},\n\n{request.requester_name} of "
            f"{request.requester_team}{paired} asked {request.team_name} for a "
            f"{request.kind.replace('_', ' ')} on {request.requested_on:%-d %B %Y} and is "
            "still waiting for an answer. You can accept with a date, or decline with a "
            "reason, from your follow-ups inbox.",
            f"A follow-up unanswered for {weeks} weeks"
            + (" between paired teams" if request.paired else "")))
    return actions
