"""Visits on each real store: draft QIPs from feedback are saved with the visit's links."""

from __future__ import annotations

import pytest

from community import Community
from domain.errors import Conflict, NotAllowed
from domain.values import KeyArea, QipStatus
from tests.builders import small_network


def test_draft_qips_from_a_visit_link_back_to_it(app: Community) -> None:
    network = small_network(app)
    visit = app.record_visit(by=network.nurse, host_team_id=network.north,
                             visiting_team_id=network.south, visited_on="2011-10-12",
                             attendee_ids=[network.nurse, network.other_nurse])
    app.give_visit_feedback(visit, by=network.other_nurse,
                            areas_for_improvement=["Complete the audit data", "Shorter waits"],
                            strengths=["Nurse-led clinic"], data_discussed="NLCA 2010")

    qip_ids = app.draft_qips_from_visit(visit, by=network.lead, areas=[0, 1])

    qips = [app.qip(q) for q in qip_ids]
    assert [q.title for q in qips] == ["Complete the audit data", "Shorter waits"]
    assert {q.team_id for q in qips} == {network.north}
    assert all(q.status is QipStatus.DRAFT for q in qips)
    assert qips[0].key_area is KeyArea.DATA_COLLECTION
    shown = app.views.visits.one(str(visit))
    assert [a["qip_id"] for a in shown["areas_for_improvement"]] == [str(q) for q in qip_ids]
    assert app.views.visits.from_qip(str(qip_ids[1]))["visit_id"] == str(visit)
    assert [v["id"] for v in app.views.visits.for_team(str(network.south))] == [str(visit)]


def test_a_second_draft_from_the_same_area_saves_nothing(app: Community) -> None:
    network = small_network(app)
    visit = app.record_visit(by=None, host_team_id=network.north,
                             visiting_team_id=network.south, visited_on="2011-10-12")
    app.give_visit_feedback(visit, by=None, areas_for_improvement=["A", "B"], strengths=[])
    app.draft_qips_from_visit(visit, by=network.nurse, areas=[0])

    with pytest.raises(Conflict):
        app.draft_qips_from_visit(visit, by=network.nurse, areas=[1, 0])

    assert app.visit(visit).drafted_qips.keys() == {0}


def test_only_the_right_people_record_visits_give_feedback_and_draft(app: Community) -> None:
    network = small_network(app)
    outsider_team = app.register_team(name="Eastfen", trust="Eastfen NHS Trust",
                                      region="East", latitude=52.2, longitude=0.1, caseload=100)
    with pytest.raises(NotAllowed):
        app.record_visit(by=network.nurse, host_team_id=network.south,
                         visiting_team_id=outsider_team, visited_on="2011-10-12")
    visit = app.record_visit(by=network.organiser, host_team_id=network.north,
                             visiting_team_id=network.south, visited_on="2011-10-12")
    with pytest.raises(NotAllowed):
        app.give_visit_feedback(visit, by=network.nurse, areas_for_improvement=["A"],
                                strengths=[])
    app.give_visit_feedback(visit, by=network.organiser, areas_for_improvement=["A"],
                            strengths=[])
    with pytest.raises(NotAllowed):
        app.draft_qips_from_visit(visit, by=network.other_nurse, areas=[0])
