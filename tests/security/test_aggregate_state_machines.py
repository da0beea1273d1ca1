"""Random sequences of commands on a QIP and on a follow-up (issue 13, Hypothesis
state machines). Whatever the order, a command is taken exactly when a plain model of
the rules says it may be, a refused one is refused with a domain error and leaves
no event behind, and the events taken so far rebuild the same state (the log is the
truth; a view or another process rebuilds from it).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.errors import DomainError
from domain.follow_up import FollowUp
from domain.qip import Qip
from domain.values import FollowUpStatus, QipStatus

TEAM, NINA, OLIVE = uuid4(), uuid4(), uuid4()
MEASURES = ["CNS at diagnosis", "Histology"]
DAYS = st.dates(min_value=date(2012, 1, 1), max_value=date(2012, 1, 20))
# A few hundred random sequences in a few seconds; derandomised so CI sees the same.
MACHINES = settings(max_examples=60, stateful_step_count=25, deadline=None,
                    derandomize=True, database=None)


class Aggregates(RuleBasedStateMachine):
    """What both machines share: trying a command, and the log's own invariants."""

    aggregate: Any
    events: list[Any]

    def attempt(self, command: Any, allowed: bool) -> bool:
        """Run the command; it must be taken if and only if ``allowed``."""
        version = self.aggregate.version
        try:
            command()
        except DomainError as refusal:
            assert not allowed, f"refused although the rules allow it: {refusal!r}"
            assert self.aggregate.version == version
            assert not self.aggregate.pending_events, "a refused command left an event"
            return False
        assert allowed, "taken although the rules refuse it"
        self.events += self.aggregate.collect_events()
        return True

    @invariant()
    def the_events_rebuild_the_same_state(self) -> None:
        if not self.events:
            return
        rebuilt = None
        for recorded in self.events:
            rebuilt = recorded.mutate(rebuilt)
        assert rebuilt is not None and vars(rebuilt) == vars(self.aggregate)

    @invariant()
    def versions_count_the_events(self) -> None:
        if self.events:
            assert self.aggregate.version == len(self.events)


class QipMachine(Aggregates):
    @initialize()
    def draft(self) -> None:
        self.aggregate = Qip.draft(
            team_id=TEAM, owner_id=NINA, title="CNS at diagnosis", key_area="cns_access",
            aim="A nurse specialist at 80% of diagnoses by March 2013", timeframe="2013",
            measures=[{"name": name, "baseline": 61, "target": 80} for name in MEASURES])
        self.events = self.aggregate.collect_events()
        self.status = QipStatus.DRAFT
        self.values: dict[tuple[str, date], float] = {}
        self.marks: set[str] = set()

    @property
    def open(self) -> bool:
        return self.status in (QipStatus.DRAFT, QipStatus.SUBMITTED,
                               QipStatus.CHANGES_REQUESTED, QipStatus.ACTIVE)

    @rule(title=st.sampled_from(["CNS for all", "CNS at diagnosis, take 2", ""]))
    def revise(self, title: str) -> None:
        allowed = (bool(title) and title != self.aggregate.title and self.status in (
            QipStatus.DRAFT, QipStatus.CHANGES_REQUESTED, QipStatus.ACTIVE))
        self.attempt(lambda: self.aggregate.revise(by=NINA, revised_on="2012-01-02",
                                                   title=title), allowed)

    @rule()
    def submit(self) -> None:
        allowed = self.status in (QipStatus.DRAFT, QipStatus.CHANGES_REQUESTED)
        if self.attempt(lambda: self.aggregate.submit(by=NINA, submitted_on="2012-01-03"),
                        allowed):
            self.status = QipStatus.SUBMITTED

    @rule(accept=st.booleans())
    def review(self, accept: bool) -> None:
        comments = {} if accept else {"aim": "Say which patients"}
        if self.attempt(lambda: self.aggregate.review(
                by=OLIVE, reviewed_on="2012-01-04", accept=accept, comments=comments),
                self.status is QipStatus.SUBMITTED):
            self.status = QipStatus.ACTIVE if accept else QipStatus.CHANGES_REQUESTED

    @rule()
    def complete(self) -> None:
        if self.attempt(lambda: self.aggregate.complete(by=NINA, completed_on="2012-02-01"),
                        self.status is QipStatus.ACTIVE):
            self.status = QipStatus.COMPLETED

    @rule()
    def stop(self) -> None:
        if self.attempt(lambda: self.aggregate.stop(by=NINA, stopped_on="2012-02-01",
                                                    reason="The clinic closed"), self.open):
            self.status = QipStatus.STOPPED

    @rule(measure=st.sampled_from([*MEASURES, "Not a measure"]), day=DAYS,
          value=st.integers(0, 100))
    def record(self, measure: str, day: date, value: int) -> None:
        allowed = self.open and measure in MEASURES and (measure, day) not in self.values
        if self.attempt(lambda: self.aggregate.record_progress(
                measure=measure, recorded_on=day, value=value, by=NINA), allowed):
            self.values[(measure, day)] = value

    @rule(measure=st.sampled_from(MEASURES), day=DAYS, value=st.integers(0, 100))
    def correct(self, measure: str, day: date, value: int) -> None:
        was = self.values.get((measure, day))
        allowed = self.open and was is not None and was != value
        if self.attempt(lambda: self.aggregate.correct_value(
                measure=measure, recorded_on=day, value=value, reason="Typed wrong",
                by=NINA, corrected_on="2012-01-25"), allowed):
            self.values[(measure, day)] = value

    @rule(measure=st.sampled_from(MEASURES), day=DAYS)
    def withdraw(self, measure: str, day: date) -> None:
        allowed = self.open and (measure, day) in self.values
        if self.attempt(lambda: self.aggregate.withdraw_value(
                measure=measure, recorded_on=day, reason="Wrong clinic", by=NINA,
                withdrawn_on="2012-01-25"), allowed):
            del self.values[(measure, day)]

    @invariant()
    def the_plan_is_in_the_status_the_rules_lead_to(self) -> None:
        if hasattr(self, "status"):
            assert self.aggregate.status is self.status
            ended = self.status in (QipStatus.COMPLETED, QipStatus.STOPPED)
            assert (self.aggregate.ended_on is not None) is ended

    @invariant()
    def each_measure_has_one_value_a_day_and_only_its_own(self) -> None:
        if hasattr(self, "values"):
            held = {(p["measure"], p["date"]): p["value"] for p in self.aggregate.progress}
            assert len(held) == len(self.aggregate.progress)
            assert held == self.values


class FollowUpMachine(Aggregates):
    @initialize()
    def request(self) -> None:
        self.aggregate = FollowUp.request(requested_by=NINA, kind="reciprocal_visit",
                                          reason="Could we visit your clinic?",
                                          requested_on=date(2012, 1, 10), team_id=TEAM)
        self.events = self.aggregate.collect_events()
        self.status = FollowUpStatus.REQUESTED
        self.answers = 0

    def _open_on(self, day: date) -> bool:
        return self.status not in (FollowUpStatus.CLOSED, FollowUpStatus.DECLINED) and (
            day >= date(2012, 1, 10))

    @rule(day=DAYS)
    def answer(self, day: date) -> None:
        if self.attempt(lambda: self.aggregate.answer(by=OLIVE, message="Maybe in May",
                                                      answered_on=day), self._open_on(day)):
            self.answers += 1
            if self.status is FollowUpStatus.REQUESTED:
                self.status = FollowUpStatus.ANSWERED

    @rule(day=DAYS, proposed=DAYS)
    def accept(self, day: date, proposed: date) -> None:
        allowed = self._open_on(day) and proposed >= date(2012, 1, 10)
        if self.attempt(lambda: self.aggregate.accept(by=OLIVE, proposed_date=proposed,
                                                      answered_on=day), allowed):
            self.answers += 1
            self.status = FollowUpStatus.ACCEPTED

    @rule(day=DAYS)
    def decline(self, day: date) -> None:
        if self.attempt(lambda: self.aggregate.decline(by=OLIVE, reason="Not this year",
                                                       answered_on=day), self._open_on(day)):
            self.answers += 1
            self.status = FollowUpStatus.DECLINED

    @rule(day=DAYS)
    def close(self, day: date) -> None:
        allowed = self.status is not FollowUpStatus.CLOSED and day >= date(2012, 1, 10)
        if self.attempt(lambda: self.aggregate.close(by=NINA, closed_on=day), allowed):
            self.status = FollowUpStatus.CLOSED

    @invariant()
    def the_follow_up_is_where_the_rules_lead_and_keeps_every_answer(self) -> None:
        if hasattr(self, "status"):
            assert self.aggregate.status is self.status
            assert len(self.aggregate.answers) == self.answers
            assert self.aggregate.is_over is (self.status in (FollowUpStatus.CLOSED,
                                                              FollowUpStatus.DECLINED))


TestQipCommands = QipMachine.TestCase
TestQipCommands.settings = MACHINES
TestFollowUpCommands = FollowUpMachine.TestCase
TestFollowUpCommands.settings = MACHINES

