"""Being told: the notifications page, marking them read, choosing which also
come by e-mail, and the unread count in every page's header."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.notifications import settings_version
from domain.errors import Conflict, Invalid
from domain.member import DigestFrequency, NotificationKind
from projections.notifications import Notifications
from web.forms import EnumMultipleField, EnumRadioField, Form, VersionField
from web.kept_pages import Memo, kept_reading
from web.paging import _paged, _pagination
from web.redirects import _on_site
from web.services import community, views

notifications = Blueprint("notifications", __name__)


@notifications.app_context_processor
def unread_count() -> dict[str, Any]:
    """The header's count beside the account. Kept per member until the notifications
    view changes (everything it counts is that view's), so a page costs no statement
    for it most of the time: it was one of the four a warm page ran, and Flask asks
    again for every template a page renders apart (a QIP page's measures)."""
    if not current_user.is_authenticated:
        return {}
    member_id = current_user.id
    return {"unread_notifications": kept_reading(
        _COUNTS, NOTIFICATIONS_VIEW, member_id,
        lambda: views().notifications.unread_count(member_id))}


# One small number per member who opened a page since the view last changed.
_COUNTS = Memo(keep=4096)
NOTIFICATIONS_VIEW = frozenset({Notifications.name})


@notifications.get("/notifications")
@login_required
def listing() -> Any:
    rows, total, page = _paged(lambda limit, offset: views().notifications.for_member(
        current_user.id, limit=limit, offset=offset))
    return render_template("notifications/listing.html", notifications=rows,
                           pagination=_pagination(total, page, len(rows), {}))


@notifications.get("/notifications/<notification_id>")
@login_required
def open_one(notification_id: str) -> Any:
    """Follow a notification to its page, marking it read on the way."""
    found = views().notifications.one(current_user.id, notification_id.lower())
    if found is None:
        abort(404, "There is no such notification for you.")
    if not found["read"]:
        community().read_notifications(by=current_user.member_id, ids=[found["id"]])
    return redirect(found["link"] if _on_site(found["link"]) else url_for("start.home"))


@notifications.post("/notifications/read")
@login_required
def mark_all_read() -> Any:
    marked = community().read_notifications(by=current_user.member_id)
    flash(f"Marked {marked} notification{'' if marked == 1 else 's'} as read."
          if marked else "You had no unread notifications.", "success" if marked else "info")
    return redirect(url_for("notifications.listing"))


def _version() -> int:
    return settings_version(community().notification_settings(current_user.member_id))


class EmailChoicesForm(Form):
    """Which kinds of notification also come by e-mail."""

    kinds = EnumMultipleField("Which notifications should also come by e-mail?",
                              NotificationKind,
                              invalid_value_message="Choose from the kinds listed")
    digest = EnumRadioField("How often would you like the digest?", DigestFrequency,
                            invalid_value_message="Choose daily, weekly or never")
    version = VersionField()


def _render(form: EmailChoicesForm, status: int = 200) -> Any:
    return render_template("notifications/settings.html", form=form,
                           errors=form.problems()), status


@notifications.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    chosen = views().notifications.email_choices(current_user.id)
    saved = community().notification_settings(current_user.member_id)
    if request.method == "GET":
        return _render(EmailChoicesForm(formdata=None, data={
            "kinds": [NotificationKind(k) for k in chosen], "digest": saved.digest,
            "version": _version()}))
    form = EmailChoicesForm()
    if not form.validate_on_submit():
        return _render(form, 400)
    try:
        # The digest and the e-mail choices are saved together, as one change.
        changed = community().choose_digest(
            by=current_user.member_id, kinds=[kind.value for kind in form.kinds.data or []],
            frequency=form.digest.data, version=form.version.data)
    except Invalid as error:
        if "frequency" in error.fields:
            form.digest.errors = ["Choose daily, weekly or never"]
        if "kinds" in error.fields or "frequency" not in error.fields:
            form.kinds.errors = ["Choose from the kinds listed" if "kinds" in error.fields
                                 else "; ".join(error.fields.values())]
        return _render(form, 400)
    except Conflict:
        fresh = EmailChoicesForm(formdata=None, data={
            "kinds": [NotificationKind(k) for k in chosen], "digest": saved.digest,
            "version": _version()})
        fresh.kinds.errors = ["Your choices were changed elsewhere since you opened this "
                              "page: check them and save again"]
        return _render(fresh, 409)
    flash("Your e-mail choices and digest are saved." if changed else "Nothing changed.",
          "success")
    return redirect(url_for("notifications.listing"))
