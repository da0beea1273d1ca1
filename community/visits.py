"""Peer-review visits: recording one, the visitors' feedback, and turning the
areas for improvement into the host team's draft QIPs in one step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from uuid import UUID

from community.commands import Commands, Id
from domain.errors import Invalid, NotAllowed
from domain.member import Member
from domain.pairing import Pairing
from domain.qip import Qip
from domain.team import Team
from domain.values import KeyArea
from domain.visit import Visit, guess_key_area


class VisitCommands(Commands):
    """Commands on peer-review visits."""

    def visit(self, visit_id: Id) -> Visit:
        return self._get(Visit, visit_id, "visit")

    def record_visit(self, *, by: UUID | None, host_team_id: Id, visiting_team_id: Id,
                     visited_on: date | None, attendee_ids: Sequence[Id] = (),
                     pairing_id: Id | None = None) -> UUID:
        """Organisers, or a member of either team, record a visit made."""
        host = self._existing(Team, host_team_id, "host_team_id", "team")
        visitor = self._existing(Team, visiting_team_id, "visiting_team_id", "team")
        self._in_teams(by, (host.id, visitor.id),
                       "only organisers or members of the two teams can record this visit")
        pairing = (self._existing(Pairing, pairing_id, "pairing_id", "pairing")
                   if pairing_id not in (None, "") else None)
        attendees = [self._existing(Member, a, "attendee_ids", "member").id
                     for a in attendee_ids]
        visit = Visit.record(host_team_id=host.id, visiting_team_id=visitor.id,
                             visited_on=visited_on, attendee_ids=attendees,
                             pairing_id=pairing.id if pairing else None, recorded_by=by)
        self.save(visit)
        return visit.id

    def give_visit_feedback(self, visit_id: Id, *, by: UUID | None,
                            areas_for_improvement: Sequence[str], strengths: Sequence[str],
                            data_discussed: str = "", version: int | None = None) -> None:
        """The visiting team (or an organiser) says what it saw."""
        visit = self.visit(visit_id)
        self._in_teams(by, (visit.visiting_team_id,),
                       "only the visiting team or organisers can give this feedback")
        self._check_version(visit, version)
        visit.give_feedback(areas_for_improvement=areas_for_improvement, strengths=strengths,
                            data_discussed=data_discussed, by=by, given_on=self.today())
        self.save(visit)

    def draft_qips_from_visit(self, visit_id: Id, *, by: UUID, areas: Sequence[int],
                              key_areas: Mapping[int, KeyArea | None] | None = None) -> list[UUID]:
        """One draft QIP of the host team per chosen area for improvement, titled
        by it, and the visit's links to them: all saved together, or none."""
        visit = self.visit(visit_id)
        author = self.member(by)
        if author.team_id != visit.host_team_id:
            raise NotAllowed("only members of the host team can draft its QIPs")
        if not areas:
            raise Invalid({"areas": "choose at least one area for improvement"})
        chosen = list(dict.fromkeys(areas))
        key_areas = key_areas or {}
        qips = []
        for area in chosen:
            if isinstance(area, bool) or not isinstance(area, int) \
                    or not 0 <= area < len(visit.areas_for_improvement):
                raise Invalid({"areas": f"no area for improvement number {area}"})
            qips.append(qip_from_area(visit, area, author_id=author.id,
                                      drafted_on=self.today(), key_area=key_areas.get(area)))
        self.save(visit, *qips)
        return [q.id for q in qips]


def qip_from_area(visit: Visit, area: int, *, author_id: UUID, drafted_on: date,
                  key_area: KeyArea | None = None) -> Qip:
    """The host team's draft QIP titled by one area for improvement (its key area
    guessed from the words unless given), linked from the visit."""
    words = visit.areas_for_improvement[area]
    qip = Qip.draft(team_id=visit.host_team_id, owner_id=author_id, drafted_by=author_id,
                    drafted_on=drafted_on, title=words,
                    key_area=key_area or guess_key_area(words), aim="", timeframe="",
                    lessons=f"From the peer-review visit of {visit.visited_on.isoformat()}.")
    visit.qip_drafted_from(area=area, qip_id=qip.id)
    return qip
