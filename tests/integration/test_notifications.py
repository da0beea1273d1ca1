"""Notifications on each real store: fanned out from events that already exist,
read state that survives a rebuild, and e-mails put in the outbox once."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from community import Community
from community.cli import main
from domain.errors import Invalid
from tests.integration.network import Network, build_network, draft_ready_qip, told


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def ask_for_changes(app: Community, net: Network) -> str:
    qip = draft_ready_qip(app, net.nurse)
    app.submit_qip(qip, by=net.nurse)
    app.review_qip(qip, by=net.organiser, decision="request_changes",
                   comments={"aim": "Say by when."})
    return str(qip)


def test_changes_requested_tells_everyone_in_the_plans_team_and_no_one_else(
        app: Community, net: Network) -> None:
    ask_for_changes(app, net)

    expected = [("changes_requested", "The organisers asked for changes to “More patients "
                 "seen by a CNS”: see their comments beside the plan.")]
    assert told(app, net.nurse) == expected
    assert told(app, net.lead) == expected
    assert told(app, net.other_nurse) == []


def test_an_answered_follow_up_tells_the_requester(app: Community, net: Network) -> None:
    asked = app.request_follow_up(by=net.nurse, kind="call", member_id=net.other_nurse,
                                  reason="Your clinic?", requested_on="2013-05-01")
    app.decline_follow_up(asked, by=net.other_nurse, reason="Short of staff this month.")

    assert told(app, net.nurse) == [("follow_up_answered", "Your request for a call was "
                                     "declined: Short of staff this month.")]
    assert told(app, net.other_nurse) == []


def test_an_introduction_tells_both_people_introduced(app: Community, net: Network) -> None:
    asked = app.request_introduction(by=net.nurse, member_id=net.other_nurse,
                                     reason="EBUS pathways")
    app.complete_introduction(asked, by=net.organiser, topic="EBUS pathways")

    assert told(app, net.nurse) == [("introduction_made", "The organisers introduced you to "
                                     "Sara South: EBUS pathways")]
    assert [k for k, _ in told(app, net.other_nurse)] == ["introduction_made"]


def test_a_planned_event_tells_every_member(app: Community, net: Network) -> None:
    app.plan_event(by=net.organiser, kind="national_workshop", title="Autumn workshop",
                   starts_on="2013-10-01", place="Leeds")

    for member in (net.nurse, net.lead, net.other_nurse, net.organiser):
        assert told(app, member) == [("event_planned",
                                      "New event: Autumn workshop, on 1 October 2013.")]


def test_an_event_for_nurses_tells_the_nurses_and_not_the_clinical_lead(
        app: Community, net: Network) -> None:
    app.plan_event(by=net.organiser, kind="online_conference", title="Nurses online",
                   starts_on="2013-10-02", link="https://meet.example.nhs.uk/nurses",
                   roles=["lung_cancer_nurse_specialist"])

    for nurse in (net.nurse, net.other_nurse):
        assert [k for k, _ in told(app, nurse)] == ["event_planned"]
    assert told(app, net.lead) == []


def test_read_state_survives_a_rebuild_and_others_ids_are_ignored(
        app: Community, net: Network) -> None:
    ask_for_changes(app, net)
    [mine] = app.views.notifications.unread_ids(str(net.nurse))
    [leads] = app.views.notifications.unread_ids(str(net.lead))

    assert app.read_notifications(by=net.nurse, ids=[mine, leads]) == 1
    app.views.rebuild(["notifications"])

    assert app.views.notifications.unread_count(str(net.nurse)) == 0
    assert app.views.notifications.unread_count(str(net.lead)) == 1
    assert app.read_notifications(by=net.nurse, ids=[mine]) == 0  # nothing new recorded


def test_ids_that_are_not_notification_ids_are_refused_naming_the_field(
        app: Community, net: Network) -> None:
    with pytest.raises(Invalid) as refused:
        app.read_notifications(by=net.nurse, ids=["not-an-id"])
    assert "ids" in refused.value.fields


def test_notify_puts_one_email_per_chosen_notification_however_often_it_runs(
        app: Community, net: Network) -> None:
    app.choose_notification_emails(by=net.nurse, kinds=["changes_requested"])
    ask_for_changes(app, net)
    app.plan_event(by=net.organiser, kind="national_workshop", title="Autumn workshop",
                   starts_on="2013-10-01", place="Leeds")

    first = app.notify_by_email()
    second = app.notify_by_email()

    rows, _ = app.views.outbox.listing(limit=100)
    assert [(r["to_name"], r["subject"]) for r in rows] == [
        ("Nina Nurse", "Clinical Community: The organisers asked for changes to “More "
         "patients seen by a CNS”: see their comments beside the plan.")]
    assert (first.proposed, second.proposed, second.already) == (1, 0, 1)


def test_a_notification_read_before_the_run_is_not_emailed(app: Community,
                                                           net: Network) -> None:
    app.choose_notification_emails(by=net.nurse, kinds=["changes_requested"])
    ask_for_changes(app, net)
    app.read_notifications(by=net.nurse)

    assert app.notify_by_email().proposed == 0


def test_momentum_on_the_command_line_also_puts_notifications_in_the_outbox(
        app: Community, net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    app.choose_notification_emails(by=net.nurse, kinds=["changes_requested"])
    ask_for_changes(app, net)
    monkeypatch.setenv("COMMUNITY_DATABASE_URL", app.settings.database_url)

    twice = [CliRunner().invoke(main, ["momentum", "--as-of", "2013-06-01"]) for _ in "12"]

    assert "put 1 new message in the outbox" in twice[0].output
    assert "put 0 new messages in the outbox; 1 already there" in twice[1].output
    notify = CliRunner().invoke(main, ["notify"])
    assert notify.exit_code == 0 and "put 0 new messages" in notify.output


def test_a_member_who_joined_through_another_process_is_told_of_the_next_event(
        database_url: str) -> None:
    """The view keeps who is who in memory between pages; when another process
    applied the pages in between, that memory is forgotten, not trusted."""
    from tests.integration.network import quiet_community

    here, there = quiet_community(database_url), quiet_community(database_url)
    try:
        net = build_network(here)
        here.plan_event(by=net.organiser, kind="national_workshop", title="Autumn workshop",
                        starts_on="2013-10-01", place="Leeds")
        here.views.catch_up()  # telling everyone, "here" came to remember the four members
        newcomer = there.join(email="nia.new@northshire.nhs.uk", name="Nia New",
                              role="clinical_lead", team_id=net.north)
        there.views.catch_up()
        here.plan_event(by=net.organiser, kind="national_workshop", title="Winter workshop",
                        starts_on="2013-12-01", place="York")
        here.views.catch_up()

        assert told(here, newcomer) == [("event_planned",
                                         "New event: Winter workshop, on 1 December 2013.")]
    finally:
        here.close()
        there.close()


def test_notification_ids_are_the_uuid5_of_event_and_member() -> None:
    from uuid import NAMESPACE_URL, uuid4, uuid5

    from projections.notifications import NAMESPACE, notification_id

    class Event:
        originator_id, originator_version = uuid4(), 7

    member = str(uuid4())
    assert uuid5(NAMESPACE_URL, "clinical-community:notifications") == NAMESPACE
    assert notification_id(Event, member) == str(
        uuid5(NAMESPACE, f"{Event.originator_id}:7:{member}"))


def test_an_event_for_nurses_stays_told_to_a_nurse_who_later_changes_role(
        app: Community, net: Network) -> None:
    """A planned event is stored once and its audience worked out when read: the
    roles held when it was planned, not today's, say who was told."""
    app.plan_event(by=net.organiser, kind="online_conference", title="Nurses online",
                   starts_on="2013-10-02", link="https://meet.example.nhs.uk/nurses",
                   roles=["lung_cancer_nurse_specialist"])
    app.update_profile(net.nurse, by=net.nurse, role="clinical_lead")
    app.plan_event(by=net.organiser, kind="online_conference", title="Leads online",
                   starts_on="2013-10-03", link="https://meet.example.nhs.uk/leads",
                   roles=["clinical_lead"])
    app.views.rebuild(["notifications"])

    assert told(app, net.nurse) == [
        ("event_planned", "New event: Leads online, on 3 October 2013."),
        ("event_planned", "New event: Nurses online, on 2 October 2013.")]
    assert [t for _, t in told(app, net.lead)] == ["New event: Leads online, on 3 October 2013."]


def test_reading_a_planned_event_counts_once_and_survives_a_rebuild(
        app: Community, net: Network) -> None:
    app.plan_event(by=net.organiser, kind="national_workshop", title="Autumn workshop",
                   starts_on="2013-10-01", place="Leeds")
    ask_for_changes(app, net)
    [event_id] = [r["id"] for r in app.views.notifications.for_member(str(net.nurse))[0]
                  if r["kind"] == "event_planned"]

    assert app.read_notifications(by=net.nurse, ids=[event_id]) == 1
    app.views.rebuild(["notifications"])

    views = app.views.notifications
    assert views.unread_count(str(net.nurse)) == 1 and views.unread_count(str(net.lead)) == 2
    assert views.one(str(net.nurse), event_id)["read"] is True
    assert views.one(str(net.lead), event_id) is None  # the lead's copy has its own id
    assert app.read_notifications(by=net.nurse, ids=[event_id]) == 0
