"""Forgetting a member (organisers, with a confirmation) and a member's own copy of
everything held about them (the right of access), over ``community.erasure``."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from domain.errors import Invalid, NotFound
from web.auth import organiser_required
from web.services import community, views

erasure = Blueprint("erasure", __name__)


def _member_row(member_id: str) -> dict[str, Any]:
    row = views().directory.member(member_id.lower())
    if row is None:
        abort(404, "There is no member at this address. It may have been mistyped.")
    return dict(row)


@erasure.get("/organise/members/<member_id>/forget")
@organiser_required
def confirm(member_id: str) -> Any:
    return render_template("profiles/forget.html", member=_member_row(member_id), problem=None)


@erasure.post("/organise/members/<member_id>/forget")
@organiser_required
def forget(member_id: str) -> Any:
    row = _member_row(member_id)
    try:
        community().forget_member(row["id"], by=current_user.member_id)
    except NotFound:
        abort(404, "There is no member at this address.")
    except Invalid as refused:
        return render_template("profiles/forget.html", member=row,
                               problem=refused.fields.get("member_id", refused.message)), 400
    flash(f"{row['name']} has been forgotten: they show as a former member everywhere.",
          "success")
    return redirect(url_for("directory.members"))


@erasure.get("/profile/my-data.json")
@login_required
def my_data() -> Any:
    """Everything held about the logged-in member, as a JSON download."""
    held = community().everything_about(current_user.member_id)
    return Response(json.dumps(held, indent=2, ensure_ascii=False),
                    mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-data.json"'})
