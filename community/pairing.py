"""Peer-review pairing for a round: propose pairs for every team at once, then
record the pairs the organiser accepts (proposed, swapped or chosen by hand).

The proposing is ``domain.pairing_proposals``; this module gathers what it needs
(teams, their latest audit, the indicators, earlier rounds) and records the
accepted pairs, all of them or none. ``pair_teams`` pairs two teams by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from community.commands import Commands, Id
from domain.counterparts import Indicator
from domain.errors import Conflict, Invalid
from domain.input_checks import Checker
from domain.pairing import Pairing
from domain.pairing_proposals import (
    HEADLINE_INDICATORS,
    CandidateTeam,
    Limits,
    Proposal,
    Weights,
    propose_pairs,
)
from domain.team import Team
from projections.pairing_history import pairings_by_round

MAX_ROUND = 100  # as domain.pairing allows
DEFAULT_LIMITS, DEFAULT_WEIGHTS = Limits(), Weights()


@dataclass(frozen=True)
class RoundProposal:
    """The pairs proposed for one round, what they were proposed on, and the
    pairs already recorded in that round (whose teams are not proposed again)."""
    round: int
    indicators: tuple[Indicator, ...]
    limits: Limits
    weights: Weights
    proposal: Proposal
    recorded: tuple[tuple[CandidateTeam, CandidateTeam], ...] = ()


def candidate(row: Mapping[str, Any]) -> CandidateTeam:
    """A directory team row (``views.directory.teams()``) as the proposer sees it."""
    return CandidateTeam(id=row["id"], name=row["name"], region=row["region"],
                         latitude=row["latitude"], longitude=row["longitude"],
                         caseload=row["caseload"], results=dict(row["latest_audit"]))


class PairingCommands(Commands):
    """Pairing teams for reciprocal peer review, a round at a time."""

    def pair_teams(self, *, by: UUID | None, first_team_id: Id, second_team_id: Id,
                   paired_on: date | None = None, round: int = 1) -> UUID:
        """Pair two teams for reciprocal peer review; a team has one partner a round."""
        self._organiser(by)
        first = self._existing(Team, first_team_id, "first_team_id", "team")
        second = self._existing(Team, second_team_id, "second_team_id", "team")
        pairing = Pairing.pair(first_team_id=first.id, second_team_id=second.id,
                               paired_on=paired_on or self.today(), round=round)
        taken = self.views.network.paired_in_round(pairing.round)
        if busy := [t.name for t in (first, second) if str(t.id) in taken]:
            raise Conflict(f"already paired in round {pairing.round}: {', '.join(busy)}")
        self.save(pairing)
        return pairing.id

    def next_pairing_round(self) -> int:
        """The round after the latest recorded (1 when none is)."""
        rounds = [r for r, _, _ in pairings_by_round(self.views.network)]
        return min(MAX_ROUND, max(rounds, default=0) + 1)

    def propose_pairing(self, *, by: UUID | None, limits: Limits = DEFAULT_LIMITS,
                        weights: Weights = DEFAULT_WEIGHTS, round: int | str | None = None,
                        indicators: Sequence[str] = ()) -> RoundProposal:
        """Pairs for every team not yet paired in the round (by default the next
        one), none repeating an earlier round's pair unless the limits allow it."""
        self._organiser(by)
        number = _round(round) if round not in (None, "") else self.next_pairing_round()
        chosen = chosen_indicators(self.views.directory.indicators(), indicators)
        history = pairings_by_round(self.views.network)
        teams = {row["id"]: candidate(row) for row in self.views.directory.teams()}
        recorded = sorted((_by_name(teams[a], teams[b]) for r, a, b in history
                           if r == number and a in teams and b in teams),
                          key=lambda pair: [(t.name, t.id) for t in pair])
        taken = {t.id for pair in recorded for t in pair}
        proposal = propose_pairs([t for t in teams.values() if t.id not in taken], chosen,
                                 limits, weights,
                                 {frozenset((a, b)) for r, a, b in history if r != number})
        return RoundProposal(number, tuple(chosen), limits, weights, proposal, tuple(recorded))

    def accept_pairings(self, *, by: UUID | None, pairs: Sequence[Mapping[str, Id]],
                        round: int = 1, paired_on: date | None = None) -> list[UUID]:
        """Record every pair given for the round, in one save: all of them or none."""
        chosen = self.check_pairings(by=by, pairs=pairs, round=round)
        number = _round(round)
        made = [Pairing.pair(first_team_id=a.id, second_team_id=b.id,
                             paired_on=paired_on or self.today(), round=number)
                for a, b in chosen]
        self.save(*made)
        return [p.id for p in made]

    def check_pairings(self, *, by: UUID | None, pairs: Sequence[Mapping[str, Id]],
                       round: int = 1) -> list[tuple[Team, Team]]:
        """The pairs ``accept_pairings`` would record, refused the same way, recording
        nothing: what a confirmation step shows before the organiser records them."""
        self._organiser(by)
        chosen = self._teams_of(pairs)
        number = _round(round)
        taken = self.views.network.paired_in_round(number)
        if busy := [t.name for pair in chosen for t in pair if str(t.id) in taken]:
            raise Conflict(f"already paired in round {number}: {', '.join(busy)}")
        return chosen

    def _teams_of(self, pairs: Sequence[Mapping[str, Id]]) -> list[tuple[Team, Team]]:
        """Each pair's two teams; every problem named by its field, e.g.
        ``pairs[2].second_team_id``."""
        if isinstance(pairs, (str, bytes, Mapping)) or not isinstance(pairs, Sequence) or not pairs:
            raise Invalid({"pairs": "choose at least one pair of teams"})
        problems: dict[str, str] = {}
        found: list[tuple[Team, Team]] = []
        placed: dict[str, int] = {}
        for n, pair in enumerate(pairs):
            teams = []
            for side in ("first_team_id", "second_team_id"):
                field = f"pairs[{n}].{side}"
                try:
                    team = self._existing(Team, pair.get(side) if isinstance(pair, Mapping)
                                          else None, field, "team")
                except Invalid as error:
                    problems.update(error.fields)
                    continue
                if placed.get(str(team.id)) == n:
                    problems[field] = "a team cannot be paired with itself"
                elif str(team.id) in placed:
                    problems[field] = f"{team.name} is already in pair {placed[str(team.id)] + 1}"
                placed.setdefault(str(team.id), n)
                teams.append(team)
            if len(teams) == 2:
                found.append((teams[0], teams[1]))
        if problems:
            raise Invalid(problems)
        return found


def _by_name(a: CandidateTeam, b: CandidateTeam) -> tuple[CandidateTeam, CandidateTeam]:
    return (a, b) if (a.name, a.id) <= (b.name, b.id) else (b, a)


def _round(value: object) -> int:
    check = Checker()
    number = check.number("round", value, low=1, high=MAX_ROUND)
    if number is not None and number != int(number):
        check.fail("round", "must be a whole number")
    check.done()
    return int(number or 1)


def chosen_indicators(defined: list[dict[str, Any]], keys: Sequence[str]) -> list[Indicator]:
    """The indicators asked for, else the headline ones (else every one defined)."""
    by_key = {i["key"]: Indicator(i["key"], i["name"], i["national"], i["standard"])
              for i in defined}
    keys = [k for k in keys if k]
    if unknown := [str(k)[:40] for k in keys if k not in by_key]:
        raise Invalid({"indicators": "no such indicator: " + ", ".join(unknown[:5])})
    wanted = list(dict.fromkeys(keys)) or [k for k in HEADLINE_INDICATORS if k in by_key]
    return [by_key[k] for k in wanted] or list(by_key.values())
