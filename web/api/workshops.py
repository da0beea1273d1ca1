"""Workshops and online conferences, at /api/v1/events: planned ahead, registering for
them, recording who came, and the dates that clash least with clinics and MDT meetings.

The paths and the "Event" schema keep the name the API was published with."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from domain.errors import NotFound
from domain.scheduling import DEFAULT_NOTICE_WEEKS, MAX_NOTICE_WEEKS
from domain.values import Role, WorkshopKind
from domain.workshop import DEFAULT_DURATION, DEFAULT_START, LONGEST, SHORTEST
from projections.workshops import people_of, turnout_by
from web.api import api
from web.api.openapi import (
    BOOL,
    DATE,
    DAY,
    ID,
    INT,
    NUM,
    STR,
    answer,
    document,
    enum,
    errors,
    obj,
    op,
    path_id,
    query_filter,
    ref,
    request_schema,
    text,
    wrap,
)
from web.api.requests import choice_arg, date_arg, json_body, require_organiser
from web.services import community, views
from web.workshop_calendar import feed_url, when
from web.workshops import workshop_ics

INVITABLE = [r.value for r in Role if r is not Role.ORGANISER]
ROLES = {"type": "array", "items": {"type": "string", "enum": INVITABLE},
         "description": "the roles invited; empty: everyone"}
TIME = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "description": "UK local time (Europe/London), 24-hour"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
EVENT = obj(["id", "kind", "title", "starts_on", "registered", "held"], {
    "id": ID, "kind": enum(WorkshopKind), "title": STR, "starts_on": DATE,
    "starts_at": {"type": "string", "description": "24-hour UK time; empty when not kept"},
    "duration_minutes": INT, "roles": {"type": "array", "items": STR},
    "start": {**NULLABLE_DATETIME, "description": "with the UK offset; null when no time"},
    "end": NULLABLE_DATETIME, "calendar": {"type": "string", "description": "its .ics file"},
    "place": STR, "link": STR, "agenda": STR, "registered": INT, "attended": INT, "held": BOOL,
    "you_are_registered": BOOL})
COUNTS = {"type": "array", "items": obj(["registered", "attended"], {
    "role": STR, "team": STR, "registered": INT, "attended": INT})}
SUGGESTION = obj(["date", "clashes", "expected_turnout"], {
    "date": DATE, "clashes": INT, "expected_turnout": NUM, "free": INT,
    "clash_reasons": obj([], {"clinic_day": INT, "mdt_meeting": INT})})

document({
    "/events": {
        "get": op("Upcoming and past events", answer("200", "Events", obj(
            ["upcoming", "past"], {"upcoming": {"type": "array", "items": ref("Event")},
                                   "past": {"type": "array", "items": ref("Event")}}))
            | errors(401)),
        "post": op("Plan an event (organisers only): a place or a link is needed", {
            **answer("201", "Planned", wrap("event", ref("Event"))), **errors(400, 401, 403)},
            request=obj(["kind", "title", "starts_on"], {
                "kind": enum(WorkshopKind), "title": text(), "starts_on": DAY,
                "starts_at": {**TIME, "description": f"default {DEFAULT_START}, UK time"},
                "duration_minutes": {"type": "integer", "minimum": SHORTEST,
                                     "maximum": LONGEST,
                                     "description": f"default {DEFAULT_DURATION}"},
                "roles": ROLES,
                "place": text(300, required=False), "link": text(300, required=False),
                "agenda": text(5000, required=False)}, False))},
    "/events/suggestions": {"get": op(
        "Working days in a window, fewest clinic-day and MDT-meeting clashes first, with the "
        "expected turnout (organisers only)", {
            **answer("200", "Dates, best first", obj(["suggestions", "invited"], {
                "suggestions": {"type": "array", "items": SUGGESTION}, "invited": INT,
                "show_up_rate": NUM, "start": DATE, "end": DATE,
                "bank_holidays_left_out": {"type": "array", "items": obj(["date", "name"], {
                    "date": DATE, "name": STR})}})), **errors(400, 401, 403)},
        params=[query_filter("start", DATE, "default: the notice period from today"),
                query_filter("end", DATE, "default: four weeks from the start"),
                query_filter("notice_weeks", {"type": "integer", "minimum": 0,
                                              "maximum": MAX_NOTICE_WEEKS},
                             f"how far ahead the window starts, default "
                             f"{DEFAULT_NOTICE_WEEKS}"),
                query_filter("role", enum(Role), "invite only this role")])},
    "/events/calendar-feed": {"get": op(
        "The secret address of your calendar feed: the events you registered for, for a "
        "calendar app to subscribe to without logging in", {
            **answer("200", "The feed's address", obj(["url"], {"url": STR})),
            **errors(401)})},
    "/events/{event_id}/calendar.ics": {"get": op(
        "The event as an iCalendar file, to add to a calendar", {
            "200": {"description": "The .ics file", "content": {"text/calendar": {
                "schema": {"type": "string"}}}}, **errors(401, 404)},
        params=[path_id("event_id")])},
    "/events/{event_id}": {"get": op("One event, with who registered by role, and turnout "
                                     "by role and team once held", {
        **answer("200", "The event", obj(["event"], {
            "event": ref("Event"), "registered_by_role": {"type": "object"},
            "materials": {"type": "array"}, "turnout_by_role": COUNTS,
            "turnout_by_team": COUNTS})), **errors(401, 404)},
        params=[path_id("event_id")])},
    "/events/{event_id}/registration": {
        "post": op("Register for an event", {**answer("200", "Registered",
                                                      wrap("event", ref("Event"))),
                                             **errors(401, 404, 409)},
                   params=[path_id("event_id")]),
        "delete": op("Cancel your registration", {**answer("200", "Cancelled",
                                                           wrap("event", ref("Event"))),
                                                  **errors(401, 404, 409)},
                     params=[path_id("event_id")])},
    "/events/{event_id}/attendance": {"post": op(
        "Record who came, after the event (organisers only); it then counts as held", {
            **answer("200", "Recorded", wrap("event", ref("Event"))),
            **errors(400, 401, 403, 404, 409)},
        params=[path_id("event_id")],
        request=obj(["attendee_ids"], {"attendee_ids": {"type": "array", "items": ID}},
                    False))},
}, {"Event": EVENT})


def shown(event_id: str) -> dict[str, Any]:
    found = views().workshops.workshop(event_id)
    if found is None:
        raise NotFound("no such event")
    return _workshop(found, views().workshops.registered_for(current_user.id))


def _workshop(row: dict[str, Any], mine: set[str]) -> dict[str, Any]:
    times = when(row)
    return {**{k: row[k] for k in ("id", "kind", "title", "starts_on", "starts_at",
                                   "duration_minutes", "roles", "place", "link",
                                   "agenda", "registered", "attended", "held")},
            "start": times[0].isoformat() if times else None,
            "end": times[1].isoformat() if times else None,
            "calendar": f"/api/v1/events/{row['id']}/calendar.ics",
            "you_are_registered": row["id"] in mine}


@api.get("/events")
def list_workshops() -> Any:
    today = community().today()
    mine = views().workshops.registered_for(current_user.id)
    return jsonify(upcoming=[_workshop(r, mine) for r in views().workshops.upcoming(today)],
                   past=[_workshop(r, mine) for r in views().workshops.past(today)])


@api.post("/events")
def plan_workshop() -> Any:
    require_organiser()
    body = json_body(request_schema("/events", "post"))
    event_id = community().plan_event(by=current_user.member_id, **body)
    return jsonify(event=shown(str(event_id))), 201


@api.get("/events/suggestions")
def suggest_dates() -> Any:
    require_organiser()
    found = community().suggest_event_dates(
        by=current_user.member_id, start=date_arg("start"), end=date_arg("end"),
        role=choice_arg("role", Role, "role"),
        notice_weeks=request.args.get("notice_weeks") or DEFAULT_NOTICE_WEEKS)
    return jsonify(invited=found.invited, show_up_rate=found.show_up_rate,
                   start=found.start, end=found.end, bank_holidays_left_out=[
                       {"date": d, "name": n} for d, n in (found.bank_holidays or {}).items()],
                   suggestions=[
        {"date": s.date, "clashes": s.clashes, "free": s.free,
         "expected_turnout": s.expected_turnout, "clash_reasons": s.clash_reasons}
        for s in found.suggestions])


@api.get("/events/calendar-feed")
def calendar_feed() -> Any:
    return jsonify(url=feed_url(current_user.id))


@api.get("/events/<id:event_id>/calendar.ics")
def workshop_calendar(event_id: str) -> Any:
    found = views().workshops.workshop(event_id)
    if found is None:
        raise NotFound("no such event")
    return workshop_ics(found)


@api.get("/events/<id:event_id>")
def one_workshop(event_id: str) -> Any:
    event = shown(event_id)
    people = people_of(views(), event_id)
    by_role: dict[str, list[dict[str, Any]]] = {}
    for member in people["registered"]:
        by_role.setdefault(member["role"], []).append(
            {"id": member["id"], "name": member["name"], "team": member["team"]})
    materials = [{"id": m["document_id"], "title": m["title"], "name": m["name"],
                  "size": m["size"], "content_type": m["content_type"]}
                 for m in views().workshops.materials(event_id)]
    return jsonify(event=event, registered_by_role=by_role, materials=materials,
                   turnout_by_role=turnout_by(people, "role") if event["held"] else [],
                   turnout_by_team=turnout_by(people, "team") if event["held"] else [])


@api.post("/events/<id:event_id>/registration")
def register(event_id: str) -> Any:
    community().register_for_event(event_id, by=current_user.member_id)
    return jsonify(event=shown(event_id))


@api.delete("/events/<id:event_id>/registration")
def cancel(event_id: str) -> Any:
    community().cancel_registration(event_id, by=current_user.member_id)
    return jsonify(event=shown(event_id))


@api.post("/events/<id:event_id>/attendance")
def record_attendance(event_id: str) -> Any:
    require_organiser()
    body = json_body(request_schema("/events/{event_id}/attendance", "post"))
    community().record_attendance(event_id, by=current_user.member_id,
                                  attendee_ids=body["attendee_ids"])
    return jsonify(event=shown(event_id))
