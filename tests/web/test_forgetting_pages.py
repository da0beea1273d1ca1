"""Organisers forget a member from their profile, after a confirmation; a member
downloads everything held about them. Members cannot forget anyone."""

from __future__ import annotations

import json
from typing import Any

from community import Community
from tests.builders import SmallNetwork
from tests.web.forms import submit
from tests.web.reading import links, text


def test_an_organiser_forgets_a_member_after_confirming(olive: Any, community: Community,
                                                        network: SmallNetwork) -> None:
    profile = olive.get(f"/members/{network.nurse}")
    confirm = olive.get(links(profile.data)["Forget Nina Nurse (at their request)"])
    assert "This cannot be undone" in text(confirm.data)

    done = submit(olive, confirm.data, {}, id="forget")

    assert done.status_code == 302
    assert "Nina Nurse has been forgotten" in text(olive.get(done.location).data)
    after = olive.get(f"/members/{network.nurse}")
    assert "Nina Nurse" not in text(after.data)
    assert "Former member" in text(after.data)
    assert "nina.nurse" not in text(olive.get("/directory").data)


def test_forgetting_twice_is_refused_with_a_message(olive: Any, community: Community,
                                                    network: SmallNetwork) -> None:
    confirm = olive.get(f"/organise/members/{network.nurse}/forget")
    submit(olive, confirm.data, {}, id="forget")

    again = submit(olive, confirm.data, {}, id="forget")

    assert again.status_code == 400
    assert "already forgotten" in text(again.data)


def test_members_cannot_forget_anyone(nina: Any, network: SmallNetwork) -> None:
    assert nina.get(f"/organise/members/{network.lead}/forget").status_code == 403
    assert "Forget" not in " ".join(links(nina.get(f"/members/{network.lead}").data))


def test_a_member_downloads_everything_held_about_them(nina: Any, network: SmallNetwork) -> None:
    link = links(nina.get(f"/members/{network.nurse}").data)[
        "Download everything held about you (JSON)"]
    download = nina.get(link)

    held = json.loads(download.data)
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert held["member"]["email"] == "nina.nurse@northshire.nhs.uk"
    assert any(e["what"] == "Member.Joined" for e in held["events"])


def test_pages_kept_before_a_member_is_forgotten_are_not_shown_after(
        olive: Any, community: Community, network: SmallNetwork) -> None:
    # Pages are kept until the views they read change (web.kept_pages). Forgetting
    # adds no event: it replays the log into every view, and that must be change enough.
    team = f"/teams/{network.north}"
    before = [text(olive.get(page).data) for page in (team, "/directory")]
    confirm = olive.get(f"/organise/members/{network.nurse}/forget")
    done = submit(olive, confirm.data, {}, id="forget")
    olive.get(done.location)  # "Nina Nurse has been forgotten", said once

    after = [text(olive.get(page).data) for page in (team, "/directory")]

    assert all("Nina Nurse" in page for page in before)
    assert not any("Nina Nurse" in page for page in after)
