"""The digest in the pages: the one-click unsubscribe link (no login, once, nothing
personal shown, a changed link refused) and the choice on the settings page."""

from __future__ import annotations

from typing import Any

from community import Community
from community.digest import period_for
from domain.member import DigestFrequency
from tests.builders import SmallNetwork
from tests.web.forms import form_on, submit
from tests.web.reading import text


def link_for(community: Community, member_id: object) -> str:
    period = period_for(DigestFrequency.WEEKLY, community.today())
    return community.unsubscribe_links().link("", str(member_id), period)


def test_the_unsubscribe_link_works_once_without_logging_in(
        client: Any, community: Community, network: SmallNetwork) -> None:
    link = link_for(community, network.nurse)

    page = client.get(link)
    assert page.status_code == 200
    assert form_on(page.data, action=link).names == set()  # one button, nothing to fill in
    assert "Unsubscribe from the digest" in text(page.data)
    done = submit(client, page.data, action=link)
    assert done.status_code == 200
    assert "You will not get the digest any more" in text(done.data)
    assert community.notification_settings(network.nurse).digest is DigestFrequency.NEVER

    again = submit(client, page.data, action=link)
    assert "You are already unsubscribed" in text(again.data)
    assert "nothing has changed" in text(again.data)
    assert "already unsubscribed" in text(client.get(link).data)
    versions = community.notification_settings(network.nurse).version
    assert versions == 2  # started, and one DigestChosen: the second use recorded nothing


def test_the_unsubscribe_page_shows_nothing_about_the_member(
        client: Any, community: Community, network: SmallNetwork) -> None:
    link = link_for(community, network.nurse)

    for page in (client.get(link), client.post(link), client.get(link)):
        shown = text(page.data)
        assert "Nina" not in shown and "nina.nurse" not in shown and "Northshire" not in shown
        assert page.headers["Cache-Control"] == "no-store"
        assert page.headers["Referrer-Policy"] == "no-referrer"


def test_a_mail_clients_one_click_post_needs_no_form_token(
        client: Any, community: Community, network: SmallNetwork) -> None:
    """RFC 8058: the mail client posts List-Unsubscribe=One-Click to the link itself."""
    response = client.post(link_for(community, network.other_nurse),
                           data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert community.notification_settings(network.other_nurse).digest is DigestFrequency.NEVER


def test_a_changed_or_made_up_link_is_refused_and_changes_nothing(
        client: Any, community: Community, network: SmallNetwork) -> None:
    link = link_for(community, network.nurse)
    tampered = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")

    for bad in (tampered, "/digest/unsubscribe/not-a-token"):
        for response in (client.get(bad), client.post(bad)):
            assert response.status_code == 400
            assert "This unsubscribe link is not valid" in text(response.data)
    assert community.notification_settings(network.nurse).digest is DigestFrequency.WEEKLY


def test_the_settings_page_offers_the_digest_weekly_until_chosen(nina: Any) -> None:
    page = nina.get("/notifications/settings").data

    form = form_on(page, action="/notifications/settings")
    assert form.choices["digest"] == ["daily", "weekly", "never"]
    assert form.defaults["digest"] == ["weekly"]
    assert "How often would you like the digest?" in text(page)


def test_choosing_daily_on_the_settings_page_is_saved_with_the_e_mail_choices(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    page = nina.get("/notifications/settings").data

    response = submit(nina, page, {"digest": "daily", "kinds": ["event_planned"]},
                      action="/notifications/settings")

    assert response.status_code == 302
    saved = community.notification_settings(network.nurse)
    assert saved.digest is DigestFrequency.DAILY and saved.email_kinds == ["event_planned"]
    assert form_on(nina.get("/notifications/settings").data,
                   action="/notifications/settings").defaults["digest"] == ["daily"]


def test_a_settings_page_opened_before_an_unsubscribe_is_a_visible_conflict(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    page = nina.get("/notifications/settings").data
    community.choose_digest(by=network.nurse, frequency="never")

    response = submit(nina, page, {"digest": "daily"}, action="/notifications/settings")

    assert response.status_code == 409
    assert "changed elsewhere" in text(response.data)
    assert community.notification_settings(network.nurse).digest is DigestFrequency.NEVER


def test_no_choice_of_digest_is_named_beside_the_field(nina: Any, community: Community,
                                                       network: SmallNetwork) -> None:
    page = nina.get("/notifications/settings").data

    response = submit(nina, page, {"digest": None}, action="/notifications/settings")

    assert response.status_code == 400
    shown = text(response.data)
    assert "There is a problem" in shown and "Choose daily, weekly or never" in shown
    assert community.notification_settings(network.nurse).digest is DigestFrequency.WEEKLY
