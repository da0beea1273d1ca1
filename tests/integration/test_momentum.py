"""The daily momentum job on each real store: run twice, it proposes each action once."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from community import Community
from community.cli import main
from domain.errors import NotAllowed
from domain.momentum import Thresholds
from tests.integration.network import Network, build_network, draft_ready_qip

TODAY = date(2013, 6, 1)  # the tests' today


@pytest.fixture
def net(app: Community) -> Network:
    network = build_network(app)
    qip = draft_ready_qip(app, network.nurse)
    app.share_qip(qip, shared_on="2013-01-07")
    app.record_progress(qip, by=network.nurse, measure="Seen by a CNS", value=66,
                        recorded_on="2013-03-01")
    app.request_follow_up(by=network.nurse, kind="reciprocal_visit", team_id=network.south,
                          reason="A return visit?", requested_on="2013-04-01")
    return network


def outbox_reasons(app: Community) -> list[str]:
    rows, _ = app.views.outbox.listing(limit=100)
    return sorted(r["reason"] for r in rows)


def test_quiet_plans_and_waiting_requests_are_proposed_once_however_often_it_runs(
        app: Community, net: Network) -> None:
    first = app.check_momentum(as_of=TODAY)
    second = app.check_momentum(as_of=TODAY)

    assert sorted(a.kind for a in first.proposed) == ["nudge", "reminder"]
    assert second.proposed == [] and len(second.already) == 2
    assert outbox_reasons(app) == ["A follow-up unanswered for 8 weeks",
                                   "No progress on a QIP for 13 weeks"]


def test_new_progress_then_a_new_silence_is_a_new_nudge(app: Community, net: Network) -> None:
    app.check_momentum(as_of=TODAY)
    [qip] = app.views.library.qips(viewer_team_id=None)[0]
    app.record_progress(qip["id"], by=net.nurse, measure="Seen by a CNS", value=70,
                        recorded_on="2013-06-01")

    soon = app.check_momentum(as_of=date(2013, 6, 15))
    later = app.check_momentum(as_of=date(2013, 8, 1))

    assert [a.kind for a in soon.proposed] == []
    assert [a.kind for a in later.proposed] == ["nudge"]


def test_a_quiet_team_is_offered_a_revisit_to_its_clinical_lead(app: Community,
                                                                 net: Network) -> None:
    report = app.check_momentum(as_of=date(2014, 1, 6), thresholds=Thresholds(qip_weeks=100))

    revisits = [a for a in report.proposed if a.kind == "revisit"]
    assert [(a.to_member_id, a.subject) for a in revisits] == [
        (str(net.lead), "Catching up with Northshire lung cancer MDT")]


def test_only_organisers_run_it_from_the_pages(app: Community, net: Network) -> None:
    with pytest.raises(NotAllowed):
        app.check_momentum(by=net.nurse)


def test_the_command_line_job_is_safe_to_run_every_day(app: Community, net: Network,
                                                       database_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNITY_DATABASE_URL", database_url)
    runner = CliRunner()

    first = runner.invoke(main, ["momentum", "--as-of", "2013-06-01"])
    again = runner.invoke(main, ["momentum", "--as-of", "2013-06-01"])
    bad = runner.invoke(main, ["momentum", "--as-of", "June"])

    assert first.exit_code == 0, first.output
    assert "proposed 2 new actions (1 nudge, 1 reminder)" in first.output
    assert "proposed 0 new actions; 2 already in the outbox" in again.output
    assert bad.exit_code == 2 and "--as-of" in bad.output
