"""Workshops, follow-ups, and whether the network sustains itself."""

from __future__ import annotations

import uuid

import jsonschema
import pytest

from tests.api.conftest import error_of, fields_of, json_of

WORKSHOP = {"kind": "national_workshop", "title": "National workshop, Birmingham",
            "held_on": "2011-03-15"}


# --- workshops -------------------------------------------------------------------

def test_an_organiser_records_a_workshop_with_its_attendees(organiser, network):
    attendees = [str(network.nurse), str(network.other_nurse)]

    answer = organiser.post("/workshops", {**WORKSHOP, "attendee_ids": attendees})

    workshop = json_of(answer, 201)["workshop"]
    assert uuid.UUID(workshop["id"])
    assert (workshop["kind"], workshop["kind_label"]) == ("national_workshop",
                                                          "National workshop")
    assert (workshop["title"], workshop["held_on"]) == (WORKSHOP["title"], "2011-03-15")
    assert sorted(workshop["attendee_ids"]) == sorted(attendees)


def test_a_workshop_shows_in_the_activity_figures_for_its_month(organiser, network):
    json_of(organiser.post("/workshops", {**WORKSHOP, "attendee_ids": [str(network.nurse)]}),
            201)

    report = json_of(organiser.get("/sustainability"), 200)
    march = next(m for m in report["months"] if m["month"] == "2011-03")
    assert (march["workshops"], march["active_members"], march["active_teams"]) == (1, 1, 1)


def test_a_participant_cannot_record_a_workshop(nurse):
    assert error_of(nurse.post("/workshops", WORKSHOP), 403)["code"] == "not_allowed"


def test_an_unknown_attendee_is_400_naming_attendee_ids(organiser, network):
    body = {**WORKSHOP, "attendee_ids": [str(network.nurse), str(uuid.uuid4())]}

    assert set(fields_of(organiser.post("/workshops", body))) == {"attendee_ids"}


@pytest.mark.parametrize("body, field", [
    ({**WORKSHOP, "kind": "garden_party"}, "kind"),
    ({**WORKSHOP, "held_on": "15 March 2011"}, "held_on"),
    ({**WORKSHOP, "title": "  "}, "title"),
    ({**WORKSHOP, "attendee_ids": "everyone"}, "attendee_ids"),
    ({"kind": "national_workshop", "title": "No date"}, "held_on"),
    ({**WORKSHOP, "venue": "NEC"}, "venue"),
])
def test_a_bad_workshop_is_400_naming_the_field(organiser, body, field):
    assert set(fields_of(organiser.post("/workshops", body))) == {field}


# --- follow-ups ------------------------------------------------------------------------

def ask(client, **body):
    return json_of(client.post("/follow-ups", {"reason": "Another reciprocal visit?", **body}),
                   201)["follow_up"]


def test_asking_a_team_for_a_follow_up_is_201(nurse, network):
    follow_up = ask(nurse, team_id=str(network.south), kind="reciprocal_visit")

    assert uuid.UUID(follow_up["id"])
    assert follow_up["requested_by"] == str(network.nurse)
    assert (follow_up["team_id"], follow_up["member_id"]) == (str(network.south), None)
    assert follow_up["to_organisers"] is False
    assert (follow_up["kind"], follow_up["kind_label"]) == ("reciprocal_visit",
                                                            "Reciprocal visit")
    assert (follow_up["status"], follow_up["requested_on"]) == ("requested", "2013-06-01")
    assert (follow_up["answer_count"], follow_up["first_answered_on"]) == (0, None)


def test_asking_a_member_for_a_follow_up_is_201(nurse, network):
    follow_up = ask(nurse, member_id=str(network.other_nurse))

    assert follow_up["member_id"] == str(network.other_nurse)
    assert follow_up["kind"] == "call"  # the default


def test_asking_the_organisers_for_a_follow_up_is_201(nurse):
    follow_up = ask(nurse, to_organisers=True, kind="facilitator_visit")

    assert follow_up["to_organisers"] is True


@pytest.mark.parametrize("targets", [
    {},
    {"to_organisers": False},
    {"team_id": "TEAM", "member_id": "MEMBER"},
    {"team_id": "TEAM", "to_organisers": True},
])
def test_asking_nobody_or_two_at_once_is_400(nurse, network, targets):
    ids = {"TEAM": str(network.south), "MEMBER": str(network.other_nurse)}
    body = {"reason": "Visit?", **{k: ids.get(v, v) for k, v in targets.items()}}

    assert "team_id" in fields_of(nurse.post("/follow-ups", body))


@pytest.mark.parametrize("body, field", [
    ({"team_id": "TEAM"}, "reason"),
    ({"team_id": "TEAM", "reason": "  "}, "reason"),
    ({"team_id": "TEAM", "reason": "Visit?", "kind": "lunch"}, "kind"),
    ({"team_id": str(uuid.uuid4()), "reason": "Visit?"}, "team_id"),
    ({"member_id": str(uuid.uuid4()), "reason": "Visit?"}, "member_id"),
    ({"member_id": "ME", "reason": "Visit?"}, "member_id"),
    ({"to_organisers": "yes", "reason": "Visit?"}, "to_organisers"),
    ({"team_id": "TEAM", "reason": "Visit?", "urgent": True}, "urgent"),
])
def test_a_bad_follow_up_request_is_400_naming_the_field(nurse, network, body, field):
    ids = {"TEAM": str(network.south), "ME": str(network.nurse)}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}

    assert set(fields_of(nurse.post("/follow-ups", body))) == {field}


@pytest.fixture
def asked_south(nurse, network):
    """Nina (north) asks the south team for a reciprocal visit."""
    return ask(nurse, team_id=str(network.south), kind="reciprocal_visit")


def listed(client) -> list[str]:
    return [f["id"] for f in json_of(client.get("/follow-ups"), 200)["follow_ups"]]


def test_the_requester_and_the_asked_team_see_a_follow_up_others_do_not(
        nurse, other_nurse, lead, asked_south):
    assert listed(nurse) == [asked_south["id"]]
    assert listed(other_nurse) == [asked_south["id"]]
    assert listed(lead) == []  # Nina's team-mate was neither asking nor asked


def test_a_member_asked_by_name_sees_the_follow_up(nurse, other_nurse, lead, network):
    follow_up = ask(other_nurse, member_id=str(network.lead))

    assert listed(lead) == [follow_up["id"]]
    assert listed(nurse) == []


def test_an_organiser_sees_every_follow_up(nurse, other_nurse, organiser, network, asked_south):
    to_nina = ask(other_nurse, member_id=str(network.nurse))
    to_us = ask(nurse, to_organisers=True)

    assert sorted(listed(organiser)) == sorted([asked_south["id"], to_nina["id"], to_us["id"]])


def test_the_follow_up_list_pages_with_a_total(nurse, network):
    for _ in range(3):
        ask(nurse, team_id=str(network.south))

    page = json_of(nurse.get("/follow-ups", params={"limit": 2}), 200)

    assert (len(page["follow_ups"]), page["total"], page["limit"], page["offset"]) == (2, 3, 2, 0)
    assert set(fields_of(nurse.get("/follow-ups", params={"limit": "many"}))) == {"limit"}


def test_the_asked_team_answers_a_follow_up_and_the_list_shows_it(nurse, other_nurse,
                                                                  asked_south):
    answer = other_nurse.post(f"/follow-ups/{asked_south['id']}/answer",
                              {"message": "Yes, come in September"})

    follow_up = json_of(answer, 200)["follow_up"]
    assert (follow_up["status"], follow_up["answer_count"]) == ("answered", 1)
    assert follow_up["first_answered_on"] == "2013-06-01"
    [seen] = json_of(nurse.get("/follow-ups"), 200)["follow_ups"]
    assert seen["status"] == "answered"


def test_an_unrelated_member_cannot_answer_a_follow_up(lead, asked_south):
    error = error_of(lead.post(f"/follow-ups/{asked_south['id']}/answer",
                               {"message": "I'll answer for them"}), 403)

    assert error["code"] == "not_allowed"


def test_an_organiser_can_answer_any_follow_up(organiser, asked_south):
    json_of(organiser.post(f"/follow-ups/{asked_south['id']}/answer",
                           {"message": "I'll set it up"}), 200)


@pytest.mark.parametrize("body, field", [({}, "message"), ({"message": " "}, "message"),
                                         ({"message": "ok", "cc": "x"}, "cc")])
def test_a_bad_answer_is_400_naming_the_field(other_nurse, asked_south, body, field):
    answer = other_nurse.post(f"/follow-ups/{asked_south['id']}/answer", body)

    assert set(fields_of(answer)) == {field}


def test_the_requester_closes_a_follow_up_and_then_answering_it_is_409(nurse, other_nurse,
                                                                       asked_south):
    closed = json_of(nurse.post(f"/follow-ups/{asked_south['id']}/close"), 200)["follow_up"]
    assert (closed["status"], closed["closed_on"]) == ("closed", "2013-06-01")

    error = error_of(other_nurse.post(f"/follow-ups/{asked_south['id']}/answer",
                                      {"message": "Too late?"}), 409)

    assert error["code"] == "conflict"
    assert json_of(nurse.get("/follow-ups"), 200)["follow_ups"][0]["answer_count"] == 0


def test_closing_twice_is_409(nurse, asked_south):
    json_of(nurse.post(f"/follow-ups/{asked_south['id']}/close"), 200)

    error_of(nurse.post(f"/follow-ups/{asked_south['id']}/close"), 409)


def test_an_unrelated_member_cannot_close_a_follow_up(lead, asked_south):
    error_of(lead.post(f"/follow-ups/{asked_south['id']}/close"), 403)


# A fixed unknown id: a random one names the test differently in each xdist process.
@pytest.mark.parametrize("follow_up_id", ["9d0bcc48-0f26-4ac4-9a21-b987b60f4d59", "not-an-id"])
def test_answering_or_closing_an_unknown_follow_up_is_404(nurse, follow_up_id):
    error_of(nurse.post(f"/follow-ups/{follow_up_id}/answer", {"message": "Hello"}), 404)
    error_of(nurse.post(f"/follow-ups/{follow_up_id}/close"), 404)


# --- sustainability ---------------------------------------------------------------------

MONTH_KEYS = {"month", "contacts", "workshops", "qips_shared", "follow_ups", "active_members",
              "active_teams"}


def test_a_participant_cannot_see_the_sustainability_report(nurse):
    assert error_of(nurse.get("/sustainability"), 403)["code"] == "not_allowed"


def test_an_empty_network_has_a_report_with_no_months(organiser):
    report = json_of(organiser.get("/sustainability"), 200)

    assert {"funding_end", "months", "before", "after"} <= set(report)
    assert report["funding_end"] == "2012-03-31"
    assert report["months"] == []


@pytest.fixture
def activity(nurse, organiser, network):
    """A workshop before the funding ended (Feb 2012) and a contact after it (Jun 2013)."""
    json_of(organiser.post("/workshops", {**WORKSHOP, "held_on": "2012-02-10",
                                          "attendee_ids": [str(network.nurse)]}), 201)
    json_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                     "topic": "Nurse-led clinics"}), 201)
    json_of(nurse.post("/follow-ups", {"team_id": str(network.south), "reason": "Visit?"}), 201)


def test_the_report_counts_activity_by_month_with_empty_months_in_between(organiser, activity):
    report = json_of(organiser.get("/sustainability"), 200)

    months = report["months"]
    assert all(set(m) >= MONTH_KEYS for m in months)
    assert next(m["month"] for m in months) == "2012-02"
    assert [m["month"] for m in months][-1] == "2013-06"
    assert len(months) == 17  # Feb 2012 to Jun 2013, every month present
    first, last = months[0], months[-1]
    assert (first["workshops"], first["contacts"], first["active_members"]) == (1, 0, 1)
    assert (last["contacts"], last["follow_ups"], last["active_members"],
            last["active_teams"]) == (1, 1, 2, 2)
    assert months[5] == {**months[5], "contacts": 0, "workshops": 0, "active_members": 0}


def test_the_report_splits_totals_at_the_funding_end(organiser, activity):
    report = json_of(organiser.get("/sustainability"), 200)

    assert (report["before"]["workshops"], report["before"]["contacts"]) == (1, 0)
    assert (report["after"]["contacts"], report["after"]["follow_ups"]) == (1, 1)
    assert report["after"]["active_teams"] == 2


def test_the_report_as_of_a_past_date_leaves_out_what_came_later(organiser, activity):
    report = json_of(organiser.get("/sustainability", params={"as_of": "2012-12-31"}), 200)

    assert [m["month"] for m in report["months"]] == ["2012-02"]
    assert (report["after"]["contacts"], report["before"]["workshops"]) == (0, 1)


@pytest.mark.parametrize("as_of", ["last year", "2013-13-01", "31/12/2012"])
def test_a_bad_as_of_is_400_naming_it(organiser, as_of):
    assert set(fields_of(organiser.get("/sustainability", params={"as_of": as_of}))) == {"as_of"}


def test_the_report_adds_the_network_health_headlines_as_of_the_date(organiser, nurse,
                                                                     network):
    for month in range(1, 7):
        json_of(nurse.post("/contacts", {"to_member_id": str(network.other_nurse),
                                         "topic": "Clinics", "made_on": f"2012-{month:02d}-10"}),
                201)

    report = json_of(organiser.get("/sustainability", params={"as_of": "2012-06-30"}), 200)

    assert {"funding_end", "months", "before", "after", "answer_times"} <= set(report)
    health = report["health"]
    assert [(m["month"], m["count"]) for m in health["organic_activity"]] == [
        (f"2012-{month:02d}", 1) for month in range(1, 7)]
    assert health["self_initiated_share"] == [{"quarter": "2012 Q1", "share": 1.0},
                                              {"quarter": "2012 Q2", "share": 1.0}]
    assert health["absence_factor"] == {"members": 1, "teams": 1}
    # Southmoor's nurse was written to but never acted: her team is dormant.
    assert health["dormant_teams"] == [{"id": str(network.south),
                                        "name": "Southmoor lung cancer MDT",
                                        "last_activity": None}]
    assert health["first_response"] == {"median_days": None, "p90_days": None,
                                        "unanswered_share": None}
    assert "half_life_months" in health and "median_member_survival_months" in health
    document = json_of(organiser.get("/openapi.json"), 200)
    schema = document["paths"]["/sustainability"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(
        report)
