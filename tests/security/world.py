"""One small community with something of each kind, built once for the whole
authorisation matrix (tests/security/test_authorisation_matrix.py).

The roles are the issue's: nobody logged in, Nina (a member of the Northshire team
that owns most things here), Sara (a member of the Southmoor team, another team)
and Olive (an organiser). Every path parameter of every route has a value here
naming a real thing, and the texts only some roles may read carry a marker
(``SECRET``) that the matrix looks for on every page and answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from community import Community
from tests.builders import SmallNetwork, small_network

ROLES = ("anonymous", "team", "other_team", "organiser")
EMAILS = {
    "team": "nina.nurse@northshire.nhs.uk",
    "other_team": "sara.south@southmoor.nhs.uk",
    "organiser": "olive.organiser@example.org",
}
# Texts only Northshire and the organisers may read.
REVIEW_COMMENT = "SECRET review comment: say which patients the aim is about"
DRAFT_TITLE = "SECRET Northshire draft on EBUS waits"
PLAN = {"title": "CNS at diagnosis", "key_area": "cns_access",
        "aim": "A nurse specialist at 80% of diagnoses by March 2013", "timeframe": "2013",
        "measures": [{"name": "CNS at diagnosis", "baseline": 61, "target": 80}]}


@dataclass
class World:
    community: Community
    network: SmallNetwork
    # path parameter name → the value the matrix puts in the route
    ids: dict[str, str] = field(default_factory=dict)
    # more things, for the requests that need a particular one
    more: dict[str, str] = field(default_factory=dict)

    def log_position(self) -> int:
        """How many events the log holds: a refused request must not move it."""
        recorder: Any = self.community.recorder
        return int(recorder.max_notification_id() or 0)


def build_world(community: Community) -> World:
    network = small_network(community)
    nina, sara, olive = network.nurse, network.other_nurse, network.organiser

    shared = community.draft_qip(by=nina, **PLAN)
    community.submit_qip(shared, by=nina)
    community.review_qip(shared, by=olive, decision="request_changes",
                         comments={"aim": REVIEW_COMMENT})
    community.submit_qip(shared, by=nina)
    community.review_qip(shared, by=olive, decision="accept")
    community.record_progress(shared, by=nina, measure="CNS at diagnosis", value=64,
                              recorded_on="2012-06-30")
    document = community.attach_document(shared, by=nina, filename="plan.pdf",
                                         data=b"%PDF-1.7\n%%EOF\n")
    draft = community.draft_qip(by=network.lead, title=DRAFT_TITLE, key_area="diagnostics",
                                measures=[{"name": "Histology", "unit": "%"}])
    south_shared = community.draft_qip(by=sara, **{**PLAN, "title": "Southmoor CNS plan"})
    community.share_qip(south_shared)

    asked_south = community.request_follow_up(by=nina, reason="Could we visit your clinic?",
                                              team_id=network.south)
    introduction = community.request_introduction(by=nina, member_id=sara,
                                                  reason="She runs a nurse-led clinic")
    event = community.plan_event(by=olive, kind="national_workshop", title="Nurses' day",
                                 starts_on="2013-07-01", place="Leeds")
    community.register_for_event(event, by=nina)
    material = community.attach_event_material(event, by=olive, filename="agenda.pdf",
                                               data=b"%PDF-1.7\n%%EOF\n")
    question = community.ask_question(by=nina, title="How is your CNS rota staffed?",
                                      body="We are short on Mondays.",
                                      key_areas=["cns_access"])
    answer = community.answer_question(question, by=sara, body="Two of us share Mondays.")
    report = community.report_post(question, by=nina, reason="Off topic", answer_id=answer)
    message = community.propose_message(key="matrix", to_member_id=nina, subject="Hello",
                                        body="A note from the organisers", reason="matrix")[0]
    visit = community.record_visit(by=nina, host_team_id=network.north,
                                   visiting_team_id=network.south, visited_on="2011-10-12",
                                   attendee_ids=[nina, sara])
    community.pair_teams(by=olive, first_team_id=network.north, second_team_id=network.south,
                         paired_on="2012-01-01")
    notification = _first_notification(community, nina)

    world = World(community, network)
    world.ids = {
        "qip_id": str(shared), "document_id": document, "measure": "CNS at diagnosis",
        "follow_up_id": str(asked_south), "event_id": str(event), "workshop_id": str(event),
        "question_id": str(question), "answer_id": str(answer), "report_id": str(report),
        "message_id": str(message), "visit_id": str(visit), "member_id": str(nina),
        "team_id": str(network.north), "notification_id": notification,
        "number": "1", "token": "not-a-real-token", "filename": "no-such-file.css",
        "version": "0.0.0",
    }
    world.more = {"draft": str(draft), "south_shared": str(south_shared),
                  "introduction": str(introduction), "material": material}
    return world


def _first_notification(community: Community, member: UUID) -> str:
    community.views.catch_up()
    found, _ = community.views.notifications.for_member(str(member), limit=1)
    assert found, "the world's first member has a notification to open"
    return str(found[0]["id"])
