"""A proposed pair's reasons in the organiser's words:
"Leeds is 12 points above the standard on CNS seen (92%), where York is 9 below
(71%)". The figures behind them are worked out in ``domain.pairing_proposals``;
only the pairs chosen are put into words (on 156 teams the words cost more than
the sums)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.counterparts import Indicator

if TYPE_CHECKING:  # the proposals import these words: no import cycle at run time
    from domain.pairing_proposals import CandidateTeam


def contrast_reasons(a: CandidateTeam, b: CandidateTeam, a_leads: list[tuple[float, Indicator]],
                     b_leads: list[tuple[float, Indicator]]) -> list[str]:
    """Where each team leads most; or that one of them leads nowhere."""
    if not a_leads and not b_leads:
        return ["Their results are the same on every indicator chosen"]
    found = []
    for leader, other, leads in ((a, b, a_leads), (b, a, b_leads)):
        if leads:
            found.append(_lead_reason(leader, other, max(leads, key=_biggest)[1]))
        else:
            found.append(f"{leader.name} leads on none of the indicators chosen: it has more "
                         f"to learn from {other.name} than to teach")
    return found


def _biggest(lead: tuple[float, Indicator]) -> tuple[float, str]:
    return lead[0], lead[1].key


def _bar_words(indicator: Indicator) -> str:
    if indicator.standard is not None:
        return "the standard"
    return "the national figure" if indicator.national is not None else "the average"


def _points(value: float) -> str:
    rounded = round(abs(value), 1)
    return f"{rounded:g} point{'' if rounded == 1 else 's'}"


def _lead_reason(leader: CandidateTeam, other: CandidateTeam, indicator: Indicator) -> str:
    """"Leeds is 12 points above the standard on CNS seen (92%), where York is 9 below (71%)"."""
    ours, theirs = leader.results[indicator.key], other.results[indicator.key]
    bar = indicator.bar()
    if bar is not None and ours >= bar > theirs:
        above = "above" if ours > bar else "at"
        return (f"{leader.name} is {_points(ours - bar) + ' ' if ours > bar else ''}{above} "
                f"{_bar_words(indicator)} on “{indicator.name}” ({ours:g}%), where "
                f"{other.name} is {_points(bar - theirs)} below ({theirs:g}%)")
    against = f"; {_bar_words(indicator)} {bar:g}%" if bar is not None else ""
    return (f"{leader.name} leads on “{indicator.name}”: {ours:g}% against "
            f"{other.name}'s {theirs:g}%{against}")


def _standing_words(standing: float) -> str:
    if abs(standing) < 0.005:
        return "level with"
    return f"{abs(standing):.2f} {'above' if standing > 0 else 'below'}"


def standing_reason(a: CandidateTeam, b: CandidateTeam, sa: float, sb: float) -> str:
    return (f"Similar overall standing: {a.name} {_standing_words(sa)}, {b.name} "
            f"{_standing_words(sb)} the national figures and standards (in spreads between teams)")


def caseload_reason(a: CandidateTeam, b: CandidateTeam) -> str:
    return (f"Similar caseloads: {a.name} {a.caseload:,} and {b.name} {b.caseload:,} new "
            f"patients a year")


def in_a_list(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
