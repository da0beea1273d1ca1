"""The workshops pages, at /events: workshops and online conferences to register for,
each with its agenda, materials and who is coming by role; for organisers, planning one
on a date few members have a clinic or an MDT meeting, and recording who came, with the
turnout by role and by team afterwards. The forms are in web/workshop_forms.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.documents import MAX_DOCUMENT_BYTES, MEGABYTE
from domain.errors import Conflict, Invalid, NotAllowed
from domain.scheduling import DEFAULT_NOTICE_WEEKS
from domain.values import WorkshopKind
from domain.workshop import DEFAULT_DURATION, DEFAULT_START
from projections.workshops import people_of, turnout_by
from web.auth import organiser_required
from web.downloads import document_response
from web.forms import Form
from web.paging import _paged, _pagination
from web.redirects import _on_site
from web.services import community, views
from web.workshop_calendar import calendar, duration_text, feed_url, member_of, roles_text, when_text
from web.workshop_forms import (
    AttendanceForm,
    DateWindowForm,
    MaterialForm,
    MeetingDayForm,
    PlanWorkshopForm,
    RegistrationForm,
)

workshops = Blueprint("workshops", __name__)

# The plan's fields the "Suggest dates" form and its "Choose" links carry along.
CARRIED = ("kind", "title", "starts_at", "duration_minutes", "place", "link", "agenda")
MATERIAL_REQUEST_LIMIT = MAX_DOCUMENT_BYTES + 256 * 1024
# Members who came without registering, offered at most this many at once (by name).
ATTENDANCE_OTHERS = 50


@workshops.url_value_preprocessor
def allow_large_materials(endpoint: str | None, _values: Any) -> None:
    if endpoint == "workshops.attach_material":  # before CSRFProtect reads the form
        request.max_content_length = MATERIAL_REQUEST_LIMIT


@workshops.app_template_filter("workshop_when")
def workshop_when(row: dict[str, Any]) -> str:
    return when_text(row)


@workshops.app_template_filter("invited_roles")
def invited_roles(values: list[str] | None) -> str:
    return roles_text(list(values or []))


@workshops.app_template_filter("duration")
def duration(minutes: int | None) -> str:
    return duration_text(minutes or 0)


@workshops.app_template_filter("workshop_kind_label")
def workshop_kind_label(value: str | None) -> str:
    try:
        return WorkshopKind(value).label
    except ValueError:
        return value or ""


def _said(error: Exception, form: Form) -> str:
    """A refusal to flash, in people's words: an Invalid names each field by the form's
    label for it, never by its code (``meeting_day: …``)."""
    if isinstance(error, Invalid):
        form.refuse(error)
        said = "; ".join(form.problems().values())
        # "Date is …" reads "date is …" after a colon; "MDT meeting day" stays as it is.
        return said[:1].lower() + said[1:] if said[1:2].islower() else said
    return getattr(error, "message", str(error))


def _workshop_or_404(workshop_id: str) -> dict[str, Any]:
    found = views().workshops.workshop(workshop_id)
    if found is None:
        abort(404, "There is no event at this address.")
    return found


# --- members ----------------------------------------------------------------------------

@workshops.get("/events")
@login_required
def listing() -> Any:
    today = community().today()
    team_day = views().workshops.meeting_days().get(current_user.team_id or "", "")
    # Years of workshops and visits: the past is paged, the soonest events come first.
    past, total, page = _paged(lambda limit, offset: views().workshops.past_page(
        today, limit=limit, offset=offset))
    return render_template(
        "workshops/listing.html", upcoming=views().workshops.upcoming(today), past=past,
        pagination=_pagination(total, page, len(past), {}),
        mine=views().workshops.registered_for(current_user.id),
        meeting_day=MeetingDayForm(formdata=None, meeting_day=team_day),
        feed=feed_url(current_user.id))


@workshops.get("/events/<workshop_id>/calendar.ics")
@login_required
def calendar_file(workshop_id: str) -> Any:
    """One event to add to a calendar."""
    return workshop_ics(_workshop_or_404(workshop_id))


def workshop_ics(found: dict[str, Any]) -> Response:
    """An event's .ics file, named after its title (the page and the API send it)."""
    return _ics(calendar([found], found["title"]), f"{_file_name(found['title'])}.ics")


@workshops.get("/calendar/<token>.ics")
def calendar_feed(token: str) -> Any:
    """A member's registrations for calendar apps, which cannot log in: the signed token
    in the address says whose. A cancelled registration drops out at the next refresh."""
    member_id = member_of(token)
    if member_id is None or not views().directory.members_by_id([member_id]):
        abort(404, "There is no calendar at this address.")
    rows = views().workshops.registered_workshops(member_id)
    return _ics(calendar(rows, "My Clinical Community events", feed=True), "my-events.ics",
                attachment=False)


def _ics(data: bytes, name: str, attachment: bool = True) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'{"attachment" if attachment else "inline"}; filename="{name}"')
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _file_name(title: str) -> str:
    """A safe, readable file name from an event's title."""
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(words)[:60] or "event"


@workshops.get("/events/<workshop_id>")
@login_required
def workshop(workshop_id: str) -> Any:
    found = _workshop_or_404(workshop_id)
    people = people_of(views(), workshop_id)
    by_role: dict[str, list[dict[str, Any]]] = {}
    for member in people["registered"]:
        by_role.setdefault(member["role"], []).append(member)
    after = found["held"] or found["starts_on"] <= community().today()
    return render_template(
        "workshops/workshop.html", workshop=found,
        materials=views().workshops.materials(workshop_id), material=MaterialForm(formdata=None),
        breakouts=sorted(by_role.items(), key=lambda item: (-len(item[1]), item[0])),
        registered=current_user.id in {m["id"] for m in people["registered"]},
        is_past=found["starts_on"] < community().today() or found["held"], after=after,
        by_role=turnout_by(people, "role") if found["held"] else [],
        by_team=turnout_by(people, "team") if found["held"] else [],
        attended=len(people["attended"]))


@workshops.post("/events/<workshop_id>/register")
@login_required
def register(workshop_id: str) -> Any:
    found = _workshop_or_404(workshop_id)
    form = RegistrationForm()
    try:
        community().register_for_event(workshop_id, by=current_user.member_id)
    except (Conflict, Invalid) as error:
        flash(f"You were not registered: {_said(error, form)}.", "error")
    else:
        flash(f"You are registered for {found['title']}.", "success")
    return redirect(_back(form, url_for("workshops.workshop", workshop_id=workshop_id)))


@workshops.post("/events/<workshop_id>/cancel")
@login_required
def cancel(workshop_id: str) -> Any:
    found = _workshop_or_404(workshop_id)
    form = RegistrationForm()
    try:
        community().cancel_registration(workshop_id, by=current_user.member_id)
    except (Conflict, Invalid) as error:
        flash(f"Your registration was not cancelled: {_said(error, form)}.", "error")
    else:
        flash(f"You are no longer registered for {found['title']}.", "success")
    return redirect(_back(form, url_for("workshops.workshop", workshop_id=workshop_id)))


@workshops.get("/events/<workshop_id>/materials/<document_id>")
@login_required
def download_material(workshop_id: str, document_id: str) -> Any:
    material = views().workshops.material(workshop_id, document_id)
    if material is None:
        abort(404, "This event has no such material.")
    data = community().document_content(material["sha256"])
    if data is None:
        abort(404, "This material's file is missing.")
    return document_response(material["name"], material["content_type"], data)


@workshops.post("/events/meeting-day")
@login_required
def set_meeting_day() -> Any:
    if not current_user.team_id:
        abort(403, "Only members of a team can say when its MDT meets.")
    form = MeetingDayForm()
    try:
        community().set_meeting_day(current_user.team_id, by=current_user.member_id,
                                    day=form.meeting_day.data or "")
    except (Invalid, NotAllowed) as error:
        flash(f"The meeting day was not saved: {_said(error, form)}.", "error")
    else:
        flash("Saved: events will be suggested away from your MDT meeting day.", "success")
    return redirect(url_for("workshops.listing"))


def _back(form: RegistrationForm, default: str) -> str:
    target = form.back.data or ""
    return target if _on_site(target) else default


# --- organisers -------------------------------------------------------------------------

@workshops.get("/organise/events/new")
@organiser_required
def new() -> Any:
    # A GET form: a window to weigh, and a plan's values carried along by "Choose".
    window = DateWindowForm(formdata=request.args)
    plan = PlanWorkshopForm(formdata=request.args)
    # The roles the dates were weighed for are the roles the workshop invites.
    plan.roles.data = window.invited()
    found, status = None, 200
    if "suggest" in request.args:
        try:
            found = community().suggest_event_dates(by=current_user.member_id,
                                                    **window.command())
        except Invalid as error:
            window.refuse(error)
            status = 400
    return _render_new(window, plan, found, status)


@workshops.post("/organise/events/new")
@organiser_required
def plan() -> Any:
    form = PlanWorkshopForm()
    try:
        workshop_id = community().plan_event(by=current_user.member_id, **form.command())
    except Invalid as error:
        form.refuse(error)
        return _render_new(DateWindowForm(formdata=None), form, None, 400)
    flash(f"Planned: {form.title.data}. Members can now register.", "success")
    return redirect(url_for("workshops.workshop", workshop_id=workshop_id))


def _render_new(window: DateWindowForm, plan: PlanWorkshopForm, found: Any,
                status: int) -> Any:
    # The plan's values so far, carried along when the organiser asks for dates, and
    # with the window as asked, by the "Choose" links (which leave the agenda out).
    carried = {name: plan[name].data for name in CARRIED if plan[name].data}
    choose = {**{k: v for k, v in window.asked().items() if v},
              **{k: v for k, v in carried.items() if k != "agenda"}}
    window.notice_weeks.data = window.notice_weeks.data or str(DEFAULT_NOTICE_WEEKS)
    # What the boxes show until someone chooses otherwise.
    plan.kind.data = plan.kind.data or WorkshopKind.ONLINE_CONFERENCE.value
    plan.starts_at.data = plan.starts_at.data or DEFAULT_START
    plan.duration_minutes.data = plan.duration_minutes.data or str(DEFAULT_DURATION)
    return render_template(
        "workshops/new.html", window=window, plan=plan, found=found, carried=carried, choose=choose,
        errors=window.problems() | plan.problems(),
        notice_weeks=DEFAULT_NOTICE_WEEKS), status


@workshops.get("/organise/events/<workshop_id>/attendance")
@organiser_required
def attendance(workshop_id: str) -> Any:
    return _render_attendance(_workshop_or_404(workshop_id), AttendanceForm(formdata=None), 200)


@workshops.post("/organise/events/<workshop_id>/attendance")
@organiser_required
def record_attendance(workshop_id: str) -> Any:
    found = _workshop_or_404(workshop_id)
    form = AttendanceForm()
    came = form.command()["attendee_ids"]
    try:
        community().record_attendance(workshop_id, by=current_user.member_id, attendee_ids=came)
    except Invalid as error:
        form.refuse(error)
        return _render_attendance(found, form, 400)
    except Conflict as error:
        form.attendee_ids.errors = [error.message]
        return _render_attendance(found, form, 409)
    flash(f"Recorded: {len(set(came))} came to {found['title']}.", "success")
    return redirect(url_for("workshops.workshop", workshop_id=workshop_id))


def _render_attendance(found: dict[str, Any], form: AttendanceForm, status: int) -> Any:
    registered = views().workshops.registered_ids(found["id"])
    people = views().directory.members_by_id(registered)
    # Before anything is posted, everyone registered is ticked: most come.
    ticked = set(registered) if form.attendee_ids.data is None else set(form.attendee_ids.data)
    # Everyone else is found by name, at most a page of them (issue 13: a national
    # community's 3,000 boxes made a page no one could use); those already ticked in
    # a refused post stay on the page, so nothing chosen is lost.
    q = (request.args.get("q") or "").strip()[:100]
    matching, more = views().directory.members(q=q or None, limit=ATTENDANCE_OTHERS)
    kept = views().directory.members_by_id(sorted(ticked - set(registered)))
    others = list(kept.values()) + [m for m in matching
                                    if m["id"] not in set(registered) and m["id"] not in kept]
    return render_template(
        "workshops/attendance.html", workshop=found, form=form, errors=form.problems(),
        ticked=ticked, registered=[people[i] for i in registered if i in people],
        others=others, q=q, more=max(0, more - len(matching)),
        too_early=found["starts_on"] > community().today()), status


@workshops.post("/organise/events/<workshop_id>/materials")
@organiser_required
def attach_material(workshop_id: str) -> Any:
    _workshop_or_404(workshop_id)
    form = MaterialForm()
    upload = form.file.data
    try:
        community().attach_event_material(
            workshop_id, by=current_user.member_id,
            filename=upload.filename if upload else None,
            data=upload.read() if upload else b"", title=form.title.data or "")
    except Invalid as error:
        form.refuse(error)
        for message in form.problems().values():
            flash(f"The material was not attached: {message}.", "error")
    else:
        flash("The material is attached.", "success")
    return redirect(url_for("workshops.workshop", workshop_id=workshop_id, _anchor="materials"))


@workshops.errorhandler(413)
def too_large(_error: Any) -> Any:
    flash(f"The material was not attached: the file must be at most "
          f"{MAX_DOCUMENT_BYTES // MEGABYTE} MB.", "error")
    workshop_id = (request.view_args or {}).get("workshop_id", "")
    return redirect(url_for("workshops.workshop", workshop_id=workshop_id))
