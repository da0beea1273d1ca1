"""The daily momentum job: spot plans, teams and requests that went quiet, and put
the organisers' usual response in the outbox for them to review and send."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from community.outbox import OutboxCommands
from domain.errors import Conflict
from domain.momentum import Action, Thresholds, propose
from projections.momentum import quiet_qips, quiet_teams, waiting_requests

DEFAULT_THRESHOLDS = Thresholds()


@dataclass
class MomentumReport:
    as_of: date
    proposed: list[Action] = field(default_factory=list)
    already: list[Action] = field(default_factory=list)  # proposed by an earlier run

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for action in self.proposed:
            kinds[action.kind] = kinds.get(action.kind, 0) + 1
        found = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(kinds.items()))
        return (f"As of {self.as_of}: proposed {len(self.proposed)} new action"
                f"{'s' if len(self.proposed) != 1 else ''}" + (f" ({found})" if found else "")
                + f"; {len(self.already)} already in the outbox from earlier runs.")


class MomentumCommands(OutboxCommands):
    """The momentum job; what it finds goes to the outbox (``propose_message``)."""

    def check_momentum(self, *, by: UUID | None = None, as_of: date | None = None,
                       thresholds: Thresholds = DEFAULT_THRESHOLDS) -> MomentumReport:
        """Idempotent: each action's key names what it is about and when the quiet
        began, so a second run the same day (or the next) proposes nothing new."""
        self._organiser(by)
        day = as_of or self.today()
        self.views.catch_up()
        engine = self.views.engine
        actions = propose(day, thresholds, quiet_qips(engine, day), quiet_teams(engine, day),
                          waiting_requests(engine, day))
        report = MomentumReport(as_of=day)
        for action in actions:
            try:
                _, created = self.propose_message(
                    key=action.key, to_member_id=action.to_member_id, subject=action.subject,
                    body=action.body, reason=action.reason, proposed_on=day, by=by)
            except Conflict:
                created = False  # another run proposed it at the same moment
            (report.proposed if created else report.already).append(action)
        return report
