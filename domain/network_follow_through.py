"""Who is slipping away, whether nudging them helps, and how newcomers settle in:
issue 12's items 10–12, each a pure function with its verdict in words.

Kept apart from ``domain.network_health`` (already past 400 lines) but built the same
way: plain lists of ``Act`` (domain/network_activity.py) and small shapes the
projection fills, so a unit test can work each figure out by hand.
docs/network-health.md gives each definition.

- ``dormant_teams``: teams with no act for ``DORMANT_WEEKS`` weeks, or whose acts in
  the last ``DORMANT_WEEKS`` weeks fell below half of the ``DORMANT_WEEKS`` before.
- ``nudge_effect``: of quiet QIPs and teams the organisers nudged, the share active
  again within ``ACTIVE_AGAIN_DAYS`` of the nudge, beside the same share for quiet
  ones not nudged (counted from the day they became quiet).
- ``newcomers``: of members who joined in a period, the share who made a contact,
  worked on a QIP, and took part in a visit or event within ``NEWCOMER_DAYS``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain.momentum import Thresholds
from domain.network_activity import Act, ActKind
from domain.wording import plural

# A team with no act for this many weeks is dormant: the momentum job's threshold for
# proposing a revisit to a quiet team, so the page and the outbox agree.
MOMENTUM = Thresholds()
DORMANT_WEEKS = MOMENTUM.team_weeks
# A quiet plan or team that acts again within this many days of the nudge (or of
# going quiet) counts as active again.
ACTIVE_AGAIN_DAYS = 30
NEWCOMER_DAYS = 90


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- 10. dormant and at-risk teams -------------------------------------------------------

@dataclass(frozen=True)
class TeamAtRisk:
    team_id: str
    name: str
    status: str                    # "dormant" or "falling"
    last_activity: date | None     # None: no act recorded at all
    recent: int                    # acts in the last DORMANT_WEEKS weeks
    before: int                    # acts in the DORMANT_WEEKS weeks before those
    contacts: int                  # contacts its members made, to the date
    paired_team_id: str | None     # its latest peer-review partner
    paired_team_name: str | None


@dataclass(frozen=True)
class DormantTeams:
    as_of: date
    weeks: int
    teams_counted: int
    dormant: tuple[TeamAtRisk, ...]    # longest quiet first
    falling: tuple[TeamAtRisk, ...]    # steepest fall first
    verdict: str


def dormant_teams(acts: Iterable[Act], as_of: date, teams: Mapping[str, str],
                  paired: Mapping[str, str] | None = None,
                  weeks: int = DORMANT_WEEKS) -> DormantTeams:
    """``teams``: team id → name (the teams that exist on the date); ``paired``: team
    id → its latest partner's id. Acts after ``as_of`` are ignored."""
    paired = paired or {}
    window = timedelta(weeks=weeks)
    last: dict[str, date] = {}
    recent: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    contacts: dict[str, int] = defaultdict(int)
    for act in acts:
        if act.team_id is None or act.day > as_of:
            continue
        team = act.team_id
        last[team] = max(last.get(team, act.day), act.day)
        if act.day > as_of - window:
            recent[team] += 1
        elif act.day > as_of - 2 * window:
            before[team] += 1
        if act.kind is ActKind.CONTACT:
            contacts[team] += 1

    def row(team: str, status: str) -> TeamAtRisk:
        partner = paired.get(team)
        return TeamAtRisk(team, teams[team], status, last.get(team), recent[team],
                          before[team], contacts[team], partner,
                          teams.get(partner) if partner else None)

    dormant = [row(t, "dormant") for t in teams if recent[t] == 0]
    # A fall from 1 act to 0 is dormancy, not a trend: ask for a few acts before.
    falling = [row(t, "falling") for t in teams
               if recent[t] > 0 and before[t] >= 4 and recent[t] * 2 < before[t]]
    dormant.sort(key=lambda r: (r.last_activity or date.min, r.name))
    falling.sort(key=lambda r: (r.recent / r.before, r.name))
    return DormantTeams(as_of, weeks, len(teams), tuple(dormant), tuple(falling),
                        _dormant_verdict(len(teams), dormant, falling, weeks))


def _dormant_verdict(counted: int, dormant: Sequence[TeamAtRisk],
                     falling: Sequence[TeamAtRisk], weeks: int) -> str:
    if not counted:
        return "No teams yet."
    if not dormant and not falling:
        return (f"Every one of the {counted} teams acted in the last {weeks} weeks, and none "
                "is falling away.")
    words = (f"{plural(len(dormant), 'team')} of {counted} had no activity in the last "
             f"{weeks} weeks, and {plural(len(falling), 'more team')} "
             f"{'is' if len(falling) == 1 else 'are'} doing less than half what "
             f"{'it' if len(falling) == 1 else 'they'} did in the {weeks} weeks before.")
    share = len(dormant) / counted
    if share > 0.5:
        return words + " Most of the network has gone quiet."
    if share >= 0.2:
        return words + " A sizeable part of the network is slipping away."
    return words + " Most teams are still active."


# --- 11. do nudges work? -----------------------------------------------------------------

@dataclass(frozen=True)
class Nudge:
    about: str      # "qip" or "team"
    about_id: str
    sent_on: date


@dataclass(frozen=True)
class QuietSpell:
    about: str
    about_id: str
    quiet_from: date         # the day it had been quiet long enough to be nudged
    counted_from: date       # the nudge's day, or quiet_from when none was sent
    nudged: bool
    active_again: bool       # acted within ACTIVE_AGAIN_DAYS of counted_from


@dataclass(frozen=True)
class NudgeEffect:
    spells: tuple[QuietSpell, ...]   # only those whose 30 days are over by the date
    nudged: int
    nudged_active_again: int
    not_nudged: int
    not_nudged_active_again: int
    verdict: str

    @property
    def nudged_share(self) -> float | None:
        return _share(self.nudged_active_again, self.nudged)

    @property
    def not_nudged_share(self) -> float | None:
        return _share(self.not_nudged_active_again, self.not_nudged)


def quiet_weeks(about: str, thresholds: Thresholds = MOMENTUM) -> int:
    """How long a plan or team goes without activity before the momentum job would
    nudge it: the same thresholds, so "quiet" means the same on both pages."""
    return thresholds.qip_weeks if about == "qip" else thresholds.team_weeks


def quiet_spells(activity: Mapping[tuple[str, str], Iterable[date]], nudges: Iterable[Nudge],
                 as_of: date, days: int = ACTIVE_AGAIN_DAYS) -> list[QuietSpell]:
    """Each time a plan or team (``activity``: ("qip"|"team", id) → the days it acted)
    went quiet for its momentum threshold, as known on ``as_of``: nudged if a nudge
    about it was sent after its last act and before it acted again; counted from the
    nudge (or from the day it became quiet) when those ``days`` are over by the date."""
    sent: dict[tuple[str, str], list[date]] = defaultdict(list)
    for n in nudges:
        if n.sent_on <= as_of:
            sent[(n.about, n.about_id)].append(n.sent_on)
    spells = []
    for key, acted in activity.items():
        seen = sorted({d for d in acted if d <= as_of})
        threshold = timedelta(weeks=quiet_weeks(key[0]))
        for last, after in zip(seen, [*seen[1:], None], strict=True):
            quiet_from = last + threshold
            if quiet_from > as_of or (after is not None and after <= quiet_from):
                continue
            nudge = min((d for d in sent.get(key, ())
                         if d > last and (after is None or d < after)), default=None)
            start = nudge or quiet_from
            if start + timedelta(days=days) > as_of:
                continue  # too soon to tell
            again = after is not None and after <= start + timedelta(days=days)
            spells.append(QuietSpell(key[0], key[1], quiet_from, start, nudge is not None,
                                     again))
    return sorted(spells, key=lambda s: (s.counted_from, s.about, s.about_id))


def nudge_effect(activity: Mapping[tuple[str, str], Iterable[date]], nudges: Iterable[Nudge],
                 as_of: date, days: int = ACTIVE_AGAIN_DAYS) -> NudgeEffect:
    spells = quiet_spells(activity, nudges, as_of, days)
    nudged = [s for s in spells if s.nudged]
    others = [s for s in spells if not s.nudged]
    n_again = sum(s.active_again for s in nudged)
    o_again = sum(s.active_again for s in others)
    return NudgeEffect(tuple(spells), len(nudged), n_again, len(others), o_again,
                       _nudge_verdict(len(nudged), n_again, len(others), o_again, days))


def _nudge_verdict(nudged: int, n_again: int, others: int, o_again: int, days: int) -> str:
    if not nudged and not others:
        return "No plan or team has been quiet long enough yet to tell."
    plain = (f"of {plural(others, 'quiet plan or team', 'quiet plans and teams')} not "
             f"nudged, {o_again / others:.0%} were active again within {days} days"
             if others else "every quiet plan or team was nudged")
    if not nudged:
        return (f"No nudge has been sent yet, so there is nothing to compare: {plain}. "
                "Send the nudges waiting in the outbox to find out whether they help.")
    words = (f"Of {plural(nudged, 'quiet plan or team', 'quiet plans and teams')} nudged, "
             f"{n_again / nudged:.0%} were active again within {days} days; {plain}.")
    if not others or nudged < 5 or others < 5:
        return words + " Too few to say whether nudges make the difference."
    gap = n_again / nudged - o_again / others
    if gap >= 0.1:
        return words + " Nudged ones come back more often: the nudges seem to help."
    if gap <= -0.1:
        return words + " Nudged ones come back less often: the nudges are not helping."
    return words + " About the same either way: no sign that the nudges make a difference."


# --- 12. newcomers -----------------------------------------------------------------------

@dataclass(frozen=True)
class Newcomers:
    since: date | None
    as_of: date
    joined: int              # joined in the period, NEWCOMER_DAYS or more before the date
    made_contact: int
    worked_on_qip: int
    visit_or_event: int
    verdict: str

    def share(self, count: int) -> float | None:
        return _share(count, self.joined)


def newcomers(joined: Mapping[str, date], acts: Iterable[Act],
              events: Mapping[str, Iterable[date]], since: date | None, as_of: date,
              days: int = NEWCOMER_DAYS) -> Newcomers:
    """``joined``: member id → the day they joined; ``events``: member id → the days
    they attended an event. Counts members who joined from ``since`` with their whole
    ``days`` over by ``as_of`` (a member who joined last week has not failed yet)."""
    window = timedelta(days=days)
    cohort = {m: d for m, d in joined.items()
              if (since is None or d >= since) and d + window <= as_of}
    did: dict[str, set[str]] = defaultdict(set)
    for act in acts:
        start = cohort.get(act.member_id)
        if start is None or not start <= act.day <= min(start + window, as_of):
            continue
        if act.kind is ActKind.CONTACT:
            did["contact"].add(act.member_id)
        elif act.kind is ActKind.QIP_WORK:
            did["qip"].add(act.member_id)
        elif act.kind is ActKind.VISIT:
            did["visit"].add(act.member_id)
    for member, days_there in events.items():
        start = cohort.get(member)
        if start is not None and any(start <= d <= start + window for d in days_there):
            did["visit"].add(member)
    n = len(cohort)
    contact, qip, visit = len(did["contact"]), len(did["qip"]), len(did["visit"])
    return Newcomers(since, as_of, n, contact, qip, visit,
                     _newcomer_verdict(n, contact, qip, visit, days))


def _newcomer_verdict(n: int, contact: int, qip: int, visit: int, days: int) -> str:
    if not n:
        return (f"No one joined in this period at least {days} days before the date: "
                "nothing to follow yet.")
    words = (f"Of {plural(n, 'member')} who joined, within {days} days {contact / n:.0%} "
             f"made a contact, {qip / n:.0%} worked on a QIP and {visit / n:.0%} took "
             "part in a visit or event.")
    best = max(contact, qip, visit) / n
    if best < 0.25:
        return words + " Most newcomers do nothing early on: a welcome or an introduction may help."
    if contact / n >= 0.5:
        return words + " Most newcomers reach out to someone early."
    return words + " Newcomers find their way in, though not all of them."
