"""The workshops API over HTTP: a start time, a length and invited roles; suggestions a
notice period ahead without bank holidays; the .ics file and the calendar feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
from icalendar import Calendar

from tests.api.conftest import ApiClient, error_of, fields_of, json_of

PLAN = {"kind": "online_conference", "title": "Run charts for your QIP",
        "starts_on": "2013-07-03", "starts_at": "14:00", "duration_minutes": 90,
        "roles": ["lung_cancer_nurse_specialist", "mdt_coordinator"],
        "link": "https://meet.example.nhs.uk/ilcop", "agenda": "Welcome; your charts"}


def planned(organiser: ApiClient, **changes: Any) -> dict[str, Any]:
    return json_of(organiser.post("/events", {**PLAN, **changes}), 201)["event"]


def test_a_workshop_says_when_it_starts_and_ends_in_uk_time_and_whom_it_invites(
        organiser: ApiClient, nurse: ApiClient) -> None:
    event = planned(organiser)

    shown = json_of(nurse.get(f"/events/{event['id']}"), 200)["event"]

    assert (shown["starts_at"], shown["duration_minutes"]) == ("14:00", 90)
    assert shown["start"] == "2013-07-03T14:00:00+01:00"  # BST in July
    assert shown["end"] == "2013-07-03T15:30:00+01:00"
    assert shown["roles"] == ["lung_cancer_nurse_specialist", "mdt_coordinator"]


def test_time_and_length_may_be_left_to_their_defaults(organiser: ApiClient) -> None:
    given = {k: v for k, v in PLAN.items() if k not in ("starts_at", "duration_minutes", "roles")}
    event = json_of(organiser.post("/events", given), 201)["event"]

    assert (event["starts_at"], event["duration_minutes"], event["roles"]) == ("10:00", 120, [])


def test_a_bad_time_length_or_role_is_refused_naming_the_field(organiser: ApiClient) -> None:
    assert "starts_at" in fields_of(organiser.post("/events", {**PLAN, "starts_at": "2pm"}))
    assert "duration_minutes" in fields_of(organiser.post("/events",
                                                          {**PLAN, "duration_minutes": 5}))
    assert "roles[0]" in fields_of(organiser.post("/events", {**PLAN, "roles": ["organiser"]}))


def test_suggestions_start_a_notice_period_ahead_and_leave_out_bank_holidays(
        organiser: ApiClient) -> None:
    default = json_of(organiser.get("/events/suggestions"), 200)
    summer = json_of(organiser.get("/events/suggestions?start=2013-08-19&end=2013-08-30"), 200)

    assert default["start"] == "2013-06-29"  # four weeks after the tests' 1 June 2013
    assert json_of(organiser.get("/events/suggestions?notice_weeks=1"), 200)["start"] == (
        "2013-06-08")
    assert "2013-08-26" not in {s["date"] for s in summer["suggestions"]}
    assert summer["bank_holidays_left_out"] == [
        {"date": "2013-08-26", "name": "Late Summer Bank Holiday"}]
    assert "notice_weeks" in fields_of(organiser.get("/events/suggestions?notice_weeks=x"))


def test_the_ics_file_parses_back_with_the_workshop_in_uk_time(
        organiser: ApiClient, nurse: ApiClient) -> None:
    event = planned(organiser)

    response = nurse.get(f"/events/{event['id']}/calendar.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    [item] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(item["uid"]) == f"{event['id']}@clinical-community"
    assert item.decoded("dtstart") == datetime(2013, 7, 3, 14, tzinfo=ZoneInfo("Europe/London"))
    assert str(item["location"]) == PLAN["link"]


def test_an_unknown_workshops_calendar_file_is_not_found(nurse: ApiClient) -> None:
    error_of(nurse.get("/events/00000000-0000-0000-0000-000000000000/calendar.ics"), 404)


def test_the_calendar_feed_is_read_without_logging_in(
        organiser: ApiClient, nurse: ApiClient) -> None:
    kept, dropped = planned(organiser, title="Kept"), planned(organiser, title="Dropped")
    for event in (kept, dropped):
        json_of(nurse.post(f"/events/{event['id']}/registration"), 200)
    json_of(nurse.delete(f"/events/{dropped['id']}/registration"), 200)

    url = json_of(nurse.get("/events/calendar-feed"), 200)["url"]
    feed = requests.get(url, timeout=30)  # no cookie: a calendar app

    assert feed.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")] == [
        "Kept"]


def test_logged_out_callers_get_no_feed_address(anonymous: ApiClient) -> None:
    error_of(anonymous.get("/events/calendar-feed"), 401)
