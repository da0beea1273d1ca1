"""Team members score an active QIP on the NHS Sustainability Model, again and again;
the view shows each factor's team score, how far apart the members are, and the
trend. Every test runs on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from community import Community
from domain.errors import Conflict, Invalid, NotAllowed
from domain.sustainability_model import SUSTAINABILITY_MODEL_ID
from tests.integration.network import CNS, Network, build_network

PLAN = {"title": "A nurse specialist at every diagnosis", "key_area": "cns_access",
        "aim": "From 61% to 80% of patients seen by a CNS at diagnosis by March 2014",
        "timeframe": "April 2013 to March 2014",
        "measures": [{"name": "Seen by a CNS", "unit": "%", "baseline": 61, "target": 80}]}


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def active_qip(app: Community, net: Network) -> UUID:
    """A Northshire QIP, drafted by Nina, submitted, and accepted by the organisers."""
    qip_id = app.draft_qip(by=net.nurse, **PLAN)
    app.submit_qip(qip_id, by=net.nurse)
    app.review_qip(qip_id, by=net.organiser, decision="accept", comments={})
    return qip_id


@pytest.fixture
def qip(app: Community, net: Network) -> UUID:
    return active_qip(app, net)


def levels(app: Community, level: int, **others: int) -> dict[str, int]:
    return dict.fromkeys(app.sustainability_model().factors, level) | others


def results(app: Community, qip_id: UUID) -> dict[str, Any]:
    return app.views.self_assessments.results(str(qip_id))


def factor(assessment: dict[str, Any], key: str) -> dict[str, Any]:
    return next(f for f in assessment["factors"] if f["key"] == key)


# --- scoring ---------------------------------------------------------------------


def test_a_factors_team_score_is_the_mean_of_its_members_and_the_spread_shows(
        app: Community, net: Network, qip: UUID) -> None:
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 3, senior_leadership=4),
                              assessed_on="2013-05-01")
    app.assess_sustainability(qip, by=net.lead, levels=levels(app, 3, senior_leadership=2),
                              assessed_on="2013-05-01")

    latest = results(app, qip)["latest"]

    assert (latest["assessed_on"], latest["members"]) == (date(2013, 5, 1), 2)
    leaders = factor(latest, "senior_leadership")
    assert (leaders["score"], leaders["lowest"], leaders["highest"]) == (9.75, 4.5, 15.0)
    assert (leaders["lowest_level"], leaders["highest_level"]) == (2, 4)
    assert leaders["disagreement"] is True
    assert factor(latest, "adaptability")["disagreement"] is False
    assert len(latest["factors"]) == 10


def test_the_team_total_is_out_of_about_100_and_55_reads_as_optimism(
        app: Community, net: Network, qip: UUID) -> None:
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 3))
    # Level 3 is 0.55 of each top weight (rounded): just over 55 of 100.
    alone = results(app, qip)
    app.assess_sustainability(qip, by=net.lead, levels=levels(app, 2))
    together = results(app, qip)

    assert alone["model"]["max_total"] == 100.0
    assert alone["model"]["optimism_threshold"] == 55
    assert (alone["latest"]["total"], alone["latest"]["optimistic"]) == (55.1, True)
    assert (together["latest"]["total"], together["latest"]["optimistic"]) == (42.5, False)
    assert alone["latest"]["assessed_on"] == date(2013, 6, 1)  # today, when not given


def test_scoring_again_over_time_shows_the_trend(app: Community, net: Network,
                                                 qip: UUID) -> None:
    for day, level in (("2013-01-10", 2), ("2013-04-10", 3), ("2013-07-10", 3)):
        app.assess_sustainability(qip, by=net.nurse, assessed_on=day,
                                  levels=levels(app, level, infrastructure=4 if level == 3 and
                                                day == "2013-07-10" else level))

    dated = results(app, qip)["assessments"]

    assert [a["assessed_on"].isoformat() for a in dated] == [
        "2013-01-10", "2013-04-10", "2013-07-10"]
    assert [a["trend"] for a in dated] == [None, "up", "up"]
    assert factor(dated[2], "infrastructure")["trend"] == "up"
    assert factor(dated[2], "adaptability")["trend"] == "same"
    assert dated[1]["total"] > dated[0]["total"]


def test_a_member_scoring_twice_on_one_day_counts_once_with_their_later_answers(
        app: Community, net: Network, qip: UUID) -> None:
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 1))
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 4))

    latest = results(app, qip)["latest"]

    assert latest["members"] == 1
    assert latest["total"] == 100.0
    assert app.views.self_assessments.member_levels(str(qip), str(net.nurse)) == (
        date(2013, 6, 1), levels(app, 4))


def test_the_results_never_say_who_scored_what(app: Community, net: Network,
                                               qip: UUID) -> None:
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 2))

    shown = repr(results(app, qip))

    assert str(net.nurse) not in shown


def test_a_qip_nobody_scored_has_no_assessments(app: Community, net: Network,
                                                qip: UUID) -> None:
    answer = results(app, qip)

    assert (answer["assessments"], answer["latest"], answer["model"]) == ([], None, None)


# --- who may score what ------------------------------------------------------------


def test_only_members_of_the_qips_team_can_score_it(app: Community, net: Network,
                                                    qip: UUID) -> None:
    for outsider in (net.other_nurse, net.organiser):
        with pytest.raises(NotAllowed, match="only members of the QIP's own team"):
            app.assess_sustainability(qip, by=outsider, levels=levels(app, 3))

    assert results(app, qip)["assessments"] == []


def test_only_an_active_qip_can_be_scored(app: Community, net: Network) -> None:
    draft = app.draft_qip(by=net.nurse, **PLAN)
    with pytest.raises(Conflict, match=r"only an active QIP can be scored \(this one is: draft\)"):
        app.assess_sustainability(draft, by=net.nurse, levels=levels(app, 3))

    app.submit_qip(draft, by=net.nurse)
    with pytest.raises(Conflict, match="submitted for review"):
        app.assess_sustainability(draft, by=net.nurse, levels=levels(app, 3))


def test_an_incomplete_assessment_is_refused_naming_each_factor(
        app: Community, net: Network, qip: UUID) -> None:
    partial = levels(app, 3)
    del partial["infrastructure"]

    with pytest.raises(Invalid) as refused:
        app.assess_sustainability(qip, by=net.nurse, levels=partial | {"adaptability": 7})

    assert set(refused.value.fields) == {"levels.infrastructure", "levels.adaptability"}
    assert results(app, qip)["assessments"] == []


def test_scoring_never_changes_the_qip_so_it_never_clashes_with_an_edit(
        app: Community, net: Network, qip: UUID) -> None:
    version = app.qip(qip).version

    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 3))

    assert app.qip(qip).version == version


def test_many_members_scoring_at_once_all_count(app: Community, net: Network,
                                                qip: UUID) -> None:
    team = [net.nurse, net.lead] + [
        app.join(email=f"member{i}@northshire.nhs.uk", name=f"Member {i}", role=CNS,
                 team_id=net.north) for i in range(4)]

    with ThreadPoolExecutor(max_workers=len(team)) as pool:
        list(pool.map(lambda m: app.assess_sustainability(qip, by=m, levels=levels(app, 2)),
                      team))
    app.views.catch_up()

    assert results(app, qip)["latest"]["members"] == len(team)


# --- the model's weights as data ----------------------------------------------------


def test_the_model_is_adopted_into_the_store_once(app: Community, net: Network,
                                                  qip: UUID) -> None:
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 3))
    app.assess_sustainability(qip, by=net.lead, levels=levels(app, 3))

    assert len(list(app.events.get(SUSTAINABILITY_MODEL_ID))) == 1


def test_a_process_that_loses_the_race_to_adopt_the_model_uses_the_winners(
        app: Community, monkeypatch: pytest.MonkeyPatch) -> None:
    adopted = app.adopt_sustainability_model()
    monkeypatch.setattr(type(app.repository), "__contains__", lambda self, item: False)

    again = app.adopt_sustainability_model()

    assert (again.id, again.version) == (adopted.id, adopted.version)


def test_an_organisers_correction_reweights_past_assessments(
        app: Community, net: Network, qip: UUID) -> None:
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 4),
                              assessed_on="2013-05-01")

    app.correct_sustainability_weights(
        by=net.organiser, factors={"clinical_leadership": [1.4, 4.0, 7.5, 13.0],
                                   "fit_with_aims_and_culture": [0.9, 2.7, 5.0, 9.0]},
        source="NHS Institute score sheet")

    answer = results(app, qip)
    assert answer["model"]["max_total"] == 100.0
    assert factor(answer["latest"], "clinical_leadership")["score"] == 13.0
    assert app.sustainability_model().corrections == ["NHS Institute score sheet"]


def test_only_organisers_correct_the_weights(app: Community, net: Network) -> None:
    with pytest.raises(NotAllowed):
        app.correct_sustainability_weights(by=net.nurse, factors={"adaptability": [1, 2, 3, 4]},
                                           source="a guess")


def test_the_view_rebuilt_from_the_log_shows_the_same_results(
        app: Community, net: Network, qip: UUID) -> None:
    app.assess_sustainability(qip, by=net.nurse, levels=levels(app, 2), assessed_on="2013-01-01")
    app.assess_sustainability(qip, by=net.lead, levels=levels(app, 3), assessed_on="2013-02-01")
    app.correct_sustainability_weights(by=None, factors={"adaptability": [1, 2, 3, 8]},
                                       source="sheet")
    before = results(app, qip)

    app.views.rebuild(["self_assessments"])

    assert results(app, qip) == before
