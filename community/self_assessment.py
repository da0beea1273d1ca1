"""Sustainability self-assessment: team members score an active QIP on the ten
factors of the NHS Sustainability Model, and organisers correct the model's weights.

The factor table is adopted into the event store from
``config/sustainability_model.json`` the first time a command needs it (see
``domain.sustainability_model``); until then ``sustainability_model()`` answers with
the file's table, unsaved, so a form can be shown on a store nobody has scored in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import date
from pathlib import Path
from uuid import UUID

import config
from community.commands import Commands, Id
from domain.errors import Conflict, NotAllowed
from domain.sustainability_model import SUSTAINABILITY_MODEL_ID, Assessment, SustainabilityModel
from domain.values import QipStatus

DEFAULT_MODEL = Path(config.__file__).resolve().parent / "sustainability_model.json"


def default_model(path: Path = DEFAULT_MODEL) -> SustainabilityModel:
    """The model as the file describes it: a new aggregate, not yet saved."""
    table = json.loads(path.read_text(encoding="utf-8"))
    return SustainabilityModel.adopt(name=table["name"], factors=table["factors"],
                                     source=table.get("source", ""),
                                     optimism_threshold=table.get("optimism_threshold", 55))


class SelfAssessmentCommands(Commands):
    """Scoring a QIP's sustainability, and the model it is scored on."""

    def sustainability_model(self) -> SustainabilityModel:
        """The model in force: the stored one, or the file's when none is stored yet."""
        if SUSTAINABILITY_MODEL_ID in self.repository:
            return self._get(SustainabilityModel, SUSTAINABILITY_MODEL_ID, "sustainability model")
        return default_model()

    def adopt_sustainability_model(self) -> SustainabilityModel:
        """Store the file's model unless one is stored already (safe to call again,
        and from two processes at once: the loser of the race loads the winner's)."""
        if SUSTAINABILITY_MODEL_ID not in self.repository:
            # Adopted by someone else between the check and the save: theirs is it.
            with suppress(Conflict):
                self.save(default_model())
        return self._get(SustainabilityModel, SUSTAINABILITY_MODEL_ID, "sustainability model")

    def assess_sustainability(self, qip_id: Id, *, by: UUID, levels: Mapping[str, int | str],
                              assessed_on: date | str | None = None) -> UUID:
        """Record one member's level (1 to 4) for every factor of an active QIP of
        their own team. Scoring again on the same day replaces their earlier answers
        in the results; on another day it adds a point to the trend."""
        qip = self.qip(qip_id)
        member = self.member(by)
        if member.team_id != qip.team_id:
            raise NotAllowed("only members of the QIP's own team can score its sustainability")
        if qip.status is not QipStatus.ACTIVE:
            raise Conflict(f"only an active QIP can be scored (this one is: "
                           f"{qip.status.label.lower()})")
        model = self.adopt_sustainability_model()
        assessment = Assessment.make(model=model, qip_id=qip.id, team_id=qip.team_id,
                                     assessed_by=member.id, levels=levels,
                                     assessed_on=assessed_on or self.today())
        self.save(assessment)
        return assessment.id

    def correct_sustainability_weights(self, *, by: UUID | None,
                                       factors: Mapping[str, Sequence[float]], source: str) -> None:
        """New weights for some factors, {key: [level 1, 2, 3, 4]}, and where they come
        from (organisers only). Every assessment, past ones too, is re-weighted."""
        self._organiser(by)
        model = self.adopt_sustainability_model()
        model.correct_weights(weights=factors, source=source)
        self.save(model)

    def assessment(self, assessment_id: Id) -> Assessment:
        return self._get(Assessment, assessment_id, "assessment")

