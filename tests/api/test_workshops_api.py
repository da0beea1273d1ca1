"""The workshops API (/api/v1/events): plan (organisers), register, record attendance, suggest dates."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ApiClient, error_of, fields_of, json_of

PLAN = {"kind": "national_workshop", "title": "Sharing QIPs", "starts_on": "2013-07-04",
        "place": "Leeds Town Hall", "agenda": "Morning: QIPs. Afternoon: break-outs by role."}


def planned(organiser: ApiClient) -> dict[str, Any]:
    return json_of(organiser.post("/events", PLAN), 201)["event"]


def test_the_organiser_plans_and_members_register(organiser: ApiClient, nurse: ApiClient,
                                                  other_nurse: ApiClient) -> None:
    event = planned(organiser)
    assert event["registered"] == 0 and not event["held"]

    json_of(nurse.post(f"/events/{event['id']}/registration"), 200)
    mine = json_of(other_nurse.post(f"/events/{event['id']}/registration"), 200)["event"]
    assert mine["registered"] == 2 and mine["you_are_registered"]

    shown = json_of(nurse.get(f"/events/{event['id']}"), 200)
    names = [p["name"] for p in shown["registered_by_role"]["lung_cancer_nurse_specialist"]]
    assert sorted(names) == ["Nina Nurse", "Sara South"]
    listed = json_of(nurse.get("/events"), 200)
    assert [e["title"] for e in listed["upcoming"]] == ["Sharing QIPs"]


def test_registering_twice_is_a_conflict(organiser: ApiClient, nurse: ApiClient) -> None:
    event = planned(organiser)
    nurse.post(f"/events/{event['id']}/registration")

    error_of(nurse.post(f"/events/{event['id']}/registration"), 409)
    cancelled = json_of(nurse.delete(f"/events/{event['id']}/registration"), 200)["event"]
    assert cancelled["registered"] == 0


def test_a_participant_cannot_plan(nurse: ApiClient) -> None:
    error_of(nurse.post("/events", PLAN), 403)
    error_of(nurse.get("/events/suggestions"), 403)


def test_bad_input_names_the_field(organiser: ApiClient) -> None:
    assert set(fields_of(organiser.post("/events", {**PLAN, "place": ""}))) == {"place"}
    assert "starts_on" in fields_of(organiser.post("/events", {**PLAN, "starts_on": "tomorrow"}))
    assert "end" in fields_of(organiser.get("/events/suggestions?start=2013-07-05&end=2013-07-01"))


def test_attendance_is_refused_before_the_workshop(organiser: ApiClient, nurse: ApiClient,
                                                network: Any) -> None:
    event = planned(organiser)

    error_of(organiser.post(f"/events/{event['id']}/attendance",
                            {"attendee_ids": [str(network.nurse)]}), 409)
    error_of(nurse.post(f"/events/{event['id']}/attendance", {"attendee_ids": []}), 403)


def test_suggestions_put_the_fewest_clinic_clashes_first(organiser: ApiClient, nurse: ApiClient,
                                                         other_nurse: ApiClient) -> None:
    for client, days in ((nurse, ["wednesday", "thursday"]), (other_nurse, ["wednesday"])):
        version = json_of(client.get("/me"), 200)["member"]["version"]
        json_of(client.patch("/me", {"clinic_days": days, "version": version}), 200)

    found = json_of(organiser.get("/events/suggestions?start=2013-07-01&end=2013-07-05"
                                  "&role=lung_cancer_nurse_specialist"), 200)

    assert found["invited"] == 2
    assert [s["date"] for s in found["suggestions"]][:1] == ["2013-07-01"]
    assert found["suggestions"][-1] == {"date": "2013-07-03", "clashes": 2, "free": 0,
                                        "expected_turnout": 0.0,
                                        "clash_reasons": {"clinic_day": 2}}


def test_the_workshops_api_is_in_the_openapi_document(anonymous: ApiClient) -> None:
    paths = json_of(anonymous.get("/openapi.json"), 200)["paths"]
    assert {"/events", "/events/suggestions", "/events/{event_id}/attendance"} <= set(paths)
