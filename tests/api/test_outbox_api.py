"""The outbox over real HTTP: organisers list, reword, discard and send the e-mails
proposed to members, through a real (local) SMTP server; each goes once."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from community import Community
from tests.api.conftest import error_of, fields_of, json_of
from tests.smtp import free_port, mail_through


@pytest.fixture
def proposed(community: Community, network: Any) -> str:
    message_id, _ = community.propose_message(
        key="nudge:qip:north:2013-06-01", to_member_id=network.nurse,
        subject="How is your CNS QIP going?", body="Dear Nina,\n\nHow is it going?",
        reason="No progress reported for 90 days")
    return str(message_id)


def test_organisers_see_the_outbox_with_counts(organiser, proposed) -> None:
    listed = json_of(organiser.get("/outbox"), 200)

    assert [(m["id"], m["to_name"], m["status"], m["status_label"], m["version"])
            for m in listed["messages"]] == [(proposed, "Nina Nurse", "proposed", "Proposed", 1)]
    assert (listed["total"], listed["counts"]["proposed"], listed["counts"]["sent"]) == (1, 1, 0)
    assert json_of(organiser.get("/outbox?status=sent"), 200)["messages"] == []


def test_only_organisers_reach_the_outbox(nurse, anonymous, proposed) -> None:
    assert error_of(anonymous.get("/outbox"), 401)["code"] == "not_logged_in"
    for answer in (nurse.get("/outbox"), nurse.get(f"/outbox/{proposed}"),
                   nurse.post("/outbox/send", json={}),
                   nurse.patch(f"/outbox/{proposed}", json={"version": 1, "subject": "Hi"}),
                   nurse.delete(f"/outbox/{proposed}")):
        assert error_of(answer, 403)["code"] == "not_allowed"


def test_sending_delivers_each_e_mail_once(organiser, proposed, mailbox) -> None:
    report = json_of(organiser.post("/outbox/send", json={}), 200)
    again = json_of(organiser.post("/outbox/send", json={"ids": [proposed]}), 200)

    assert (report["sent"], report["failed"], report["summary"]) == ([proposed], [], "1 sent")
    assert (again["sent"], again["skipped"]) == ([], [proposed])
    assert mailbox.message_ids() == [f"<{proposed}@clinical-community>"]
    shown = json_of(organiser.get(f"/outbox/{proposed}"), 200)["message"]
    assert (shown["status"], shown["sent_on"]) == ("sent", "2013-06-01")


def test_a_failure_is_reported_with_its_error(organiser, proposed, community) -> None:
    mail_through(community, free_port())  # nothing listens there

    report = json_of(organiser.post("/outbox/send", json={}), 200)

    assert [f["id"] for f in report["failed"]] == [proposed]
    assert "could not be reached" in report["failed"][0]["error"]
    failed = json_of(organiser.get("/outbox?status=failed"), 200)["messages"]
    assert failed[0]["error"] == report["failed"][0]["error"]


def test_without_a_mail_server_sending_is_a_conflict_that_says_what_to_set(
        organiser, proposed) -> None:
    error = error_of(organiser.post("/outbox/send", json={}), 409)

    assert "COMMUNITY_SMTP_HOST" in error["message"]


def test_rewording_needs_the_current_version(organiser, proposed) -> None:
    changed = json_of(organiser.patch(f"/outbox/{proposed}", json={
        "version": 1, "subject": "Your CNS QIP"}), 200)["message"]
    stale = organiser.patch(f"/outbox/{proposed}", json={"version": 1, "body": "Other words"})

    assert (changed["subject"], changed["body"], changed["version"]) == (
        "Your CNS QIP", "Dear Nina,\n\nHow is it going?", 2)
    assert error_of(stale, 409)["code"] == "conflict"


def test_a_subject_on_two_lines_is_refused(organiser, proposed) -> None:
    answer = organiser.patch(f"/outbox/{proposed}", json={
        "version": 1, "subject": "Hello\r\nBcc: everyone@example.org"})

    assert "subject" in fields_of(answer)


def test_a_discarded_e_mail_is_never_sent(organiser, proposed, mailbox) -> None:
    discarded = json_of(organiser.delete(f"/outbox/{proposed}",
                                         params={"reason": "Spoke to her"}), 200)["message"]

    assert (discarded["status"], discarded["discard_reason"]) == ("discarded", "Spoke to her")
    assert error_of(organiser.delete(f"/outbox/{proposed}"), 409)["code"] == "conflict"
    assert json_of(organiser.post("/outbox/send", json={"ids": [proposed]}), 200)[
        "skipped"] == [proposed]
    assert mailbox.received == []


def test_an_unknown_message_is_not_found(organiser, network, mailbox) -> None:
    assert error_of(organiser.get(f"/outbox/{uuid.uuid4()}"), 404)["code"] == "not_found"
    assert "ids[0]" in fields_of(organiser.post("/outbox/send", json={"ids": [str(uuid.uuid4())]}))


def test_the_momentum_check_over_http_proposes_once_and_only_for_organisers(
        organiser, nurse, network, community) -> None:
    qip = community.draft_qip(by=network.nurse, title="CNS at diagnosis", key_area="cns_access",
                              aim="From 61% to 80% seen by a CNS by March 2013",
                              timeframe="2012 to 2013",
                              measures=[{"name": "Seen", "baseline": 61, "target": 80}])
    community.share_qip(qip, shared_on="2013-03-01")

    refused = nurse.post("/momentum", json={})
    bad = organiser.post("/momentum", json={"qip_weeks": 0})
    first = json_of(organiser.post("/momentum", json={"team_weeks": 100}), 200)
    again = json_of(organiser.post("/momentum", json={"team_weeks": 100}), 200)

    assert error_of(refused, 403)["code"] == "not_allowed"
    assert set(fields_of(bad)) == {"qip_weeks"}
    assert [a["kind"] for a in first["proposed"]] == ["nudge"]
    assert first["proposed"][0]["to_member_id"] == str(network.nurse)
    assert again["proposed"] == [] and len(again["already"]) == 1


def test_the_address_of_a_member_who_did_not_agree_to_be_contacted_is_left_out(
        organiser, proposed, community, network) -> None:
    community.update_profile(network.nurse, by=None, consents_to_contact=False)

    one = json_of(organiser.get(f"/outbox/{proposed}"), 200)["message"]
    listed = json_of(organiser.get("/outbox"), 200)["messages"]

    assert "to_email" not in one and one["to_name"] == "Nina Nurse"
    assert all("to_email" not in m for m in listed)
