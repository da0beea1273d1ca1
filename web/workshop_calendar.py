"""Workshops in people's own calendars: an iCalendar (.ics) file per workshop, and a
personal feed of the workshops a member registered for, which calendar apps subscribe to.

A calendar app cannot log in, so the feed's address carries a signed token naming the
member: only someone given the link can read it, and it shows nothing but their own
registrations. The token is signed with the app's secret key (itsdangerous, which
Flask itself uses for sessions), so changing that key retires every feed address.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app, url_for
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer

from domain.values import Role, WorkshopKind
from domain.workshop import local_times

FEED_SALT = "calendar-feed"  # a token made for anything else never opens a feed
UID_DOMAIN = "clinical-community"
PRODUCT = "-//Clinical Community//Events//EN"


def when(row: dict[str, Any]) -> tuple[datetime, datetime] | None:
    """A workshop row's start and end in UK time, None when no time was given."""
    return local_times(row["starts_on"], row.get("starts_at") or "",
                       row.get("duration_minutes") or 0)


def clock(moment: datetime) -> str:
    """2pm, 2:30pm, midday: times as the NHS.UK style guide writes them."""
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def when_text(row: dict[str, Any]) -> str:
    """"Wednesday 14 March 2012, 2pm to 4pm" (the date alone when no time was given)."""
    day: date = row["starts_on"]
    text = f"{day:%A} {day.day} {day:%B %Y}"
    times = when(row)
    return f"{text}, {clock(times[0])} to {clock(times[1])}" if times else text


def duration_text(minutes: int) -> str:
    """90 → "1 hour 30 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []) + (
        [f"{rest} minutes"] if rest else [])
    return " ".join(parts)


def roles_text(values: list[str]) -> str:
    """The invited roles in words: "Everyone" when none were chosen."""
    if not values:
        return "Everyone"
    labels = [Role(v).label for v in values]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def calendar(rows: list[dict[str, Any]], name: str, *, feed: bool = False) -> bytes:
    """The workshops as one iCalendar file, each an iCalendar event whose UID is its
    id, so a calendar app that imports it twice, or refreshes a feed, updates it
    instead of adding it."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    if feed:  # ask subscribed apps to look again hourly (Outlook reads the X- name)
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    for row in rows:
        cal.add_component(_event(row))
    if rows:  # a VTIMEZONE for Europe/London, as RFC 5545 asks, for the years needed
        days = [row["starts_on"] for row in rows]
        cal.add_missing_timezones(first_date=date(min(days).year - 1, 1, 1),
                                  last_date=date(max(days).year + 2, 1, 1))
    return cal.to_ical()


def _event(row: dict[str, Any]) -> Event:
    item = Event()
    item.add("uid", f"{row['id']}@{UID_DOMAIN}")
    item.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    item.add("summary", row["title"])
    times = when(row)
    if times:
        item.add("dtstart", times[0])
        item.add("dtend", times[1])
    else:  # no time kept: an all-day event on its date
        item.add("dtstart", row["starts_on"])
        item.add("dtend", row["starts_on"] + timedelta(days=1))
    page = url_for("workshops.workshop", workshop_id=row["id"], _external=True)
    if row.get("place"):
        item.add("location", row["place"])
    elif row.get("link"):
        item.add("location", row["link"])
    if row.get("link"):
        item.add("url", row["link"])
    kind = WorkshopKind(row["kind"]).label
    roles = row.get("roles") or []
    lines = [f"{kind} for {roles_text(roles)}." if roles else f"{kind}, open to everyone."]
    if row.get("link"):
        lines.append(f"Join online: {row['link']}")
    if row.get("agenda"):
        lines += ["", "Agenda:", row["agenda"]]
    lines += ["", f"Details and materials: {page}"]
    item.add("description", "\n".join(lines))
    return item


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=FEED_SALT)


def feed_token(member_id: str) -> str:
    return _serializer().dumps(member_id)


def member_of(token: str) -> str | None:
    """The member a feed token was made for; None for a forged or mangled token."""
    try:
        found = _serializer().loads(token)
    except BadSignature:
        return None
    return found if isinstance(found, str) else None


def feed_url(member_id: str) -> str:
    return url_for("workshops.calendar_feed", token=feed_token(member_id), _external=True)
