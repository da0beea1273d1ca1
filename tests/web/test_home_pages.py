"""Each role's home page, where login lands, and being told: notifications,
the unread count in the header, and choosing e-mails."""

from __future__ import annotations

from typing import Any

from community import Community
from tests.builders import SmallNetwork
from tests.spying import spy
from tests.web.conftest import OLIVE
from tests.web.forms import submit
from tests.web.reading import links, log_in, log_out, text

CNS_PLAN = {"title": "CNS at diagnosis", "key_area": "cns_access",
            "aim": "From 61% to 80% seen by a CNS by March 2013", "timeframe": "2012 to 2013",
            "measures": [{"name": "Seen", "baseline": 61, "target": 80}]}


def changes_asked(community: Community, network: SmallNetwork) -> str:
    qip = community.draft_qip(by=network.nurse, **CNS_PLAN)
    community.submit_qip(qip, by=network.nurse)
    community.review_qip(qip, by=network.organiser, decision="request_changes",
                         comments={"aim": "Say how you will count."})
    return str(qip)


def test_a_participant_sees_her_team_and_empty_blocks_that_say_what_to_do(nina: Any) -> None:
    page = nina.get("/")
    seen = text(page.data)

    assert page.status_code == 200
    assert links(page.data)["Northshire lung cancer MDT"].startswith("/teams/")
    assert "Your team has no plans in progress" in seen
    assert "Nobody is waiting for an answer from you or your team" in seen
    assert "You have not registered for any event still to come" in seen
    assert links(page.data)["Find more counterparts"] == "/counterparts"


def test_a_plan_with_changes_requested_says_so_on_the_home_page(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    changes_asked(community, network)

    seen = text(nina.get("/").data)

    assert "CNS at diagnosis" in seen
    assert "Changes requested: see the comments" in seen


def test_an_active_plan_without_a_value_for_five_weeks_has_a_value_due(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    qip = community.draft_qip(by=network.nurse, **CNS_PLAN)
    community.share_qip(qip, shared_on="2013-01-07")  # the tests' today is 1 June 2013
    community.record_progress(qip, by=network.nurse, measure="Seen", value=70,
                              recorded_on="2013-05-20")
    community.record_progress(qip, by=network.nurse, measure="Seen", value=72,
                              recorded_on="2013-04-01")

    seen = text(nina.get("/").data)

    assert "A value is due" not in seen  # 20 May is under five weeks ago
    assert "Self-assessment due" in seen  # none since it was shared in January


def test_the_organisers_home_lists_plans_and_requests_waiting_in_one_queue(
        olive: Any, community: Community, network: SmallNetwork) -> None:
    qip = community.draft_qip(by=network.nurse, **CNS_PLAN)
    community.submit_qip(qip, by=network.nurse)
    community.request_follow_up(by=network.nurse, kind="introduction", to_organisers=True,
                                reason="A team doing well on CNS access?")
    community.request_introduction(by=network.lead, member_id=network.other_nurse,
                                   reason="Her EBUS pathway")

    home = text(olive.get("/").data)
    hub = text(olive.get("/organise").data)
    listed = text(olive.get("/organise/introductions").data)

    assert "1 plan waiting" in home and "CNS at diagnosis" in home
    assert "2 requests with no answer yet, 2 of them for an introduction" in home
    assert "Introduce members who asked to meet someone in another team. 2 requests waiting" in hub
    assert "Nina Nurse would like you to suggest someone to meet" in listed
    assert "Liam Lead would like to meet Sara South" in listed


def test_members_see_an_unread_count_and_their_notifications(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    qip = changes_asked(community, network)

    page = nina.get("/notifications")

    assert "Notifications 1 unread" in text(page.data)
    assert "The organisers asked for changes to “CNS at diagnosis”" in text(page.data)
    opened = nina.get(links(page.data)["The organisers asked for changes to “CNS at diagnosis”: "
                                       "see their comments beside the plan."])
    assert opened.headers["Location"] == f"/qips/{qip}"
    assert "unread" not in text(nina.get("/notifications").data)


def test_a_page_drawn_from_several_templates_counts_the_unread_once(
        nina: Any, community: Community, network: SmallNetwork, monkeypatch: Any) -> None:
    # Another team's shared plan: its page draws the measures in a template of their own.
    qip = community.draft_qip(by=network.other_nurse, **CNS_PLAN)
    community.submit_qip(qip, by=network.other_nurse)
    community.review_qip(qip, by=network.organiser, decision="accept")
    asked = spy(monkeypatch, community.views.notifications, "unread_count")

    page = nina.get(f"/qips/{qip}")

    assert page.status_code == 200
    assert "Seen" in text(page.data) and "Notifications" in text(page.data)
    assert asked == [str(network.nurse)]


def test_the_headers_count_is_kept_until_the_notifications_move_on(
        nina: Any, community: Community, network: SmallNetwork, monkeypatch: Any) -> None:
    nina.get("/")
    asked = spy(monkeypatch, community.views.notifications, "unread_count")

    quiet = text(nina.get("/").data)
    changes_asked(community, network)  # the organisers tell Nina
    told = text(nina.get("/").data)

    assert "unread" not in quiet and "Notifications 1 unread" in told
    assert asked == [str(network.nurse)]  # counted again only once it changed


def test_mark_all_as_read_clears_the_count(nina: Any, community: Community,
                                           network: SmallNetwork) -> None:
    changes_asked(community, network)

    response = submit(nina, nina.get("/notifications").data, action="/notifications/read")

    assert response.status_code == 302
    assert community.views.notifications.unread_count(str(network.nurse)) == 0


def test_a_member_cannot_open_someone_elses_notification(
        client: Any, community: Community, network: SmallNetwork) -> None:
    changes_asked(community, network)
    [ninas] = community.views.notifications.unread_ids(str(network.nurse))
    log_in(client, OLIVE)

    assert client.get(f"/notifications/{ninas}").status_code == 404
    log_out(client)
    assert client.get("/notifications").status_code == 302  # to the login page


def test_choosing_e_mails_is_recorded_and_shown_ticked(nina: Any, community: Community,
                                                       network: SmallNetwork) -> None:
    form = nina.get("/notifications/settings").data

    response = submit(nina, form, {"kinds": ["changes_requested", "event_planned"]},
                      action="/notifications/settings")

    assert response.status_code == 302
    assert community.notification_settings(network.nurse).email_kinds == [
        "changes_requested", "event_planned"]
    again = submit(nina, nina.get("/notifications/settings").data, {"kinds": None},
                   action="/notifications/settings")
    assert again.status_code == 302 and community.notification_settings(network.nurse).email_kinds == []


def test_reading_a_notification_does_not_make_an_open_profile_form_a_conflict(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    changes_asked(community, network)
    profile_form = nina.get("/profile").data

    submit(nina, nina.get("/notifications").data, action="/notifications/read")
    saved = submit(nina, profile_form, {"phone": "0161 496 0000"}, action="/profile")

    assert saved.status_code == 302


def test_the_profile_page_leads_to_the_e_mail_choices(nina: Any) -> None:
    found = links(nina.get("/profile").data)
    assert found["your notification settings"] == "/notifications/settings"



# Each home's data is kept until a view moves on (web/kept_pages.py): a plan
# submitted after a home was seen must be on it at the next visit.
def test_a_participants_home_seen_before_a_change_shows_the_change_next_time(
        nina: Any, community: Community, network: SmallNetwork) -> None:
    assert "Your team has no plans in progress" in text(nina.get("/").data)

    changes_asked(community, network)

    assert "Changes requested: see the comments" in text(nina.get("/").data)


def test_the_organisers_home_seen_before_a_plan_is_submitted_lists_it_next_time(
        olive: Any, community: Community, network: SmallNetwork) -> None:
    assert "CNS at diagnosis" not in text(olive.get("/").data)

    qip = community.draft_qip(by=network.nurse, **CNS_PLAN)
    community.submit_qip(qip, by=network.nurse)

    home = text(olive.get("/").data)
    assert "1 plan waiting" in home and "CNS at diagnosis" in home
