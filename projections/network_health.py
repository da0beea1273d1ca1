"""The network-health figures for one "as of" date and period, computed once and kept.

Not a view of its own: it reads the ``network_activity`` view's acts, ties and
requests (as known on the date) and hands them to the pure measures of
``domain.network_health``. The figures depend only on the log (the view's position),
the date and the period, so they are kept per (position, date, period) in a table
(``projections.network_health_kept``): a page asked again before anything new is
recorded does not compute them again, and a page asked after it is served the kept
figures at once while they are counted again in the background.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select

from domain.network_activity import LAPSE_DAYS, Act
from domain.network_follow_through import (
    DormantTeams,
    Newcomers,
    NudgeEffect,
    dormant_teams,
    newcomers,
    nudge_effect,
)
from domain.network_health import (
    AbsenceFactor,
    Dependence,
    LiveNetwork,
    OrganicActivity,
    ResponseTimes,
    Waiting,
    absence_factor,
    dependence,
    live_network,
    organic_activity,
    responsiveness,
)
from domain.network_measures import (
    Brokers,
    CoreMembers,
    EIIndex,
    Reciprocity,
    SameRoleTies,
    core_members,
    e_i_index,
    member_brokers,
    same_role_ties,
    team_brokers,
    team_reciprocity,
)
from domain.staying_power import StayingPower, staying_power
from domain.values import Role
from projections.directory import members as directory_members
from projections.directory import teams as directory_teams
from projections.network_activity import (
    MemberRow,
    acts_between,
    members_as_of,
    requests_as_of,
    ties_between,
)
from projections.network_follow_through import (
    joined_and_events,
    latest_partners,
    nudges_sent,
    quiet_candidates,
)
from projections.network_health_kept import Kept, kept_value, register, same_date_values
from projections.reading import reading
from projections.sustainability import programme

# The periods the page offers: how far back from the "as of" date the period-based
# figures (dependence, absence factor, responsiveness) look.
PERIODS = {"quarter": "The 3 months to the date", "year": "The 12 months to the date",
           "since_funding_end": "Since the funding ended", "all": "Everything to the date"}
DEFAULT_PERIOD = "year"


@dataclass(frozen=True)
class HealthReport:
    as_of: date
    period: str
    since: date | None           # the period's first day (None: from the start)
    funding_end: date | None
    organic: OrganicActivity     # every month to the date: the limits need the history
    dependence: Dependence
    absence: AbsenceFactor
    live: LiveNetwork
    responsiveness: tuple[ResponseTimes, ...]
    # Items 4, 6, 7 and 8 (domain.network_measures, domain.staying_power).
    ties_across_teams: EIIndex       # the period's contacts, per quarter
    ties_across_regions: EIIndex
    reciprocity: Reciprocity
    same_role: SameRoleTies
    team_brokers: Brokers            # the live network, as the live figures
    member_brokers: Brokers
    core: CoreMembers | None         # None: no funding end recorded to split at
    staying: StayingPower | None
    # Items 10-12 (domain.network_follow_through).
    dormant: DormantTeams            # as of the date, whatever the period
    nudges: NudgeEffect              # every quiet spell to the date
    newcomers: Newcomers             # those who joined in the period


def period_start(period: str, as_of: date, funding_end: date | None) -> date | None:
    if period == "quarter":
        return as_of - timedelta(days=91)
    if period == "year":
        return as_of - timedelta(days=365)
    if period == "since_funding_end" and funding_end is not None:
        return funding_end + timedelta(days=1)
    return None


def funding_end_of(engine: Engine) -> date | None:
    with reading(engine) as conn:
        return conn.scalar(select(programme.c.funding_ends_on))


@dataclass(frozen=True)
class Directory:
    """What the directory says of teams and members (none of it changes with time in a
    way the figures care about): regions and roles for the ties measures, names for the
    brokers' verdicts (the report is shown to organisers only)."""
    region_of: dict[str, str]    # team id → region
    role_of: dict[str, str]      # member id → role, as said in a sentence
    team_names: dict[str, str]
    member_names: dict[str, str]


def directory_facts(engine: Engine) -> Directory:
    with reading(engine) as conn:
        teams = conn.execute(select(directory_teams.c.id, directory_teams.c.region,
                                    directory_teams.c.name)).tuples().all()
        people = conn.execute(select(directory_members.c.id, directory_members.c.role,
                                     directory_members.c.name)).tuples().all()
    words = {role: role_words(role) for role in {role for _, role, _ in people}}
    return Directory({t: region for t, region, _ in teams},
                     {m: words[role] for m, role, _ in people},
                     {t: name for t, _, name in teams}, {m: name for m, _, name in people})


def role_words(role: str) -> str:
    """"lung cancer nurse specialist", "MDT coordinator": a role inside a sentence."""
    try:
        label = Role(role).label
    except ValueError:
        return role.replace("_", " ")
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def compute_report(engine: Engine, as_of: date, period: str = DEFAULT_PERIOD, *,
                   brokers: tuple[Brokers, Brokers] | None = None) -> HealthReport:
    """Every figure, from the view's rows as known on ``as_of``. ``brokers`` (teams,
    members) from a report of the same log position and date, when there is one: they
    do not depend on the period, and are the slowest figures to compute."""
    funding_end = funding_end_of(engine)
    since = period_start(period, as_of, funding_end)
    acts = acts_between(engine, as_of)  # every month: the chart's limits need them
    # Ties only as far back as the period or the live network look.
    live_since = as_of - timedelta(days=LAPSE_DAYS)
    ties = ties_between(engine, as_of, None if since is None else min(since, live_since))
    members = members_as_of(engine, as_of)
    organisers = {m.member_id for m in members if m.is_organiser}
    in_period_acts = [a for a in acts if since is None or a.day >= since]
    in_period_ties = [t for t in ties if since is None or t.day >= since]
    waiting = [Waiting(r.kind, r.asked_on, r.first_response_on)
               for r in requests_as_of(engine, as_of, since)]
    facts = directory_facts(engine)
    dormant, nudges, joiners = follow_through(engine, acts, as_of, since, members, facts)
    return HealthReport(
        as_of=as_of, period=period, since=since, funding_end=funding_end,
        organic=organic_activity(acts, as_of, funding_end),
        dependence=dependence(in_period_acts, in_period_ties, organisers),
        absence=absence_factor(in_period_acts),
        live=live_network(ties, as_of, {m.member_id: m.team_id for m in members}),
        responsiveness=responsiveness(waiting, as_of),
        ties_across_teams=e_i_index(in_period_ties),
        ties_across_regions=e_i_index(in_period_ties, facts.region_of),
        reciprocity=team_reciprocity(in_period_ties),
        same_role=same_role_ties(in_period_ties, facts.role_of),
        # Betweenness (igraph) is the report's slowest part: over a second on a national
        # network, which is why the report is kept (``health_report``).
        team_brokers=brokers[0] if brokers else team_brokers(
            ties, acts, as_of, name_of=facts.team_names),
        member_brokers=brokers[1] if brokers else member_brokers(
            ties, acts, as_of, name_of=facts.member_names),
        core=core_members(acts, funding_end, as_of) if funding_end else None,
        staying=staying_power(acts, funding_end, as_of) if funding_end else None,
        dormant=dormant, nudges=nudges, newcomers=joiners)


def follow_through(engine: Engine, acts: list[Act], as_of: date, since: date | None,
                   members: list[MemberRow], facts: Directory
                   ) -> tuple[DormantTeams, NudgeEffect, Newcomers]:
    """Items 10-12: the teams slipping away, whether nudges bring plans and teams
    back, and what newcomers do in their first days."""
    team_ids = {m.team_id for m in members if m.team_id is not None}
    teams = {t: facts.team_names.get(t, "A team no longer listed") for t in team_ids}
    joined, events = joined_and_events(engine, acts, as_of)
    return (dormant_teams(acts, as_of, teams, latest_partners(engine, as_of)),
            nudge_effect(quiet_candidates(engine, acts, as_of), nudges_sent(engine, as_of),
                         as_of),
            newcomers(joined, acts, events, since, as_of))


def _count_report(engine: Engine, as_of: date, period: str) -> HealthReport:
    # Another period's report of the same date and log position: its brokers are this
    # one's (they do not depend on the period, and are the slowest figures).
    same_day = next(iter(same_date_values(engine, "report", as_of)), None)
    return compute_report(engine, as_of, period, brokers=None if same_day is None else (
        same_day.team_brokers, same_day.member_brokers))


register("report", _count_report)


def kept_report(engine: Engine, as_of: date, period: str = DEFAULT_PERIOD, *,
                in_background: bool = True) -> Kept:
    """The report as kept in ``network_health_kept`` (``projections.network_health_kept``):
    counted once per log position, date and period, served at once while counted
    again in the background when the log has moved on."""
    return kept_value(engine, "report", as_of, period, in_background=in_background)


def health_report(engine: Engine, as_of: date, period: str = DEFAULT_PERIOD) -> HealthReport:
    """The report as of the latest log position (counted again now if it moved on)."""
    report: HealthReport = kept_report(engine, as_of, period, in_background=False).value
    return report
