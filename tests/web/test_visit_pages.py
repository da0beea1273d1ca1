"""Visit pages: record a visit, the visitors' feedback, and draft QIPs from it."""

from __future__ import annotations

from typing import Any

from tests.builders import PASSWORD, SmallNetwork
from tests.web.conftest import NINA, SARA
from tests.web.forms import form_on, submit
from tests.web.reading import links, log_in, log_out, table, text
from tests.web.test_error_summaries import beside, summary


def test_a_visit_recorded_with_feedback_becomes_draft_qips_of_the_host(
        client: Any, community: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    form = client.get("/visits/new")
    # Choosing the two teams, then "Show who could come", lists both teams' members.
    teams_chosen = submit(client, form.data, {"host_team_id": network.north,
                                              "visiting_team_id": network.south},
                          action="/visits", button="choose_teams")
    recorded = submit(client, teams_chosen.data, {
        "visited_on": "2011-10-12", "attendee_ids": [network.nurse, network.other_nurse]},
        action="/visits")
    assert recorded.status_code == 302
    visit_url = recorded.headers["Location"]
    assert table(client.get("/visits").data, "visits")["body"][0][3] == "Not yet"

    log_out(client)
    log_in(client, SARA)
    page = client.get(visit_url)
    submit(client, page.data, {
        "areas_for_improvement": "Complete the audit data\nShorter waits for biopsy",
        "strengths": "Nurse-led clinic", "data_discussed": "NLCA 2010 results"},
        action=visit_url + "/feedback")

    log_out(client)
    log_in(client, NINA)
    page = client.get(visit_url)
    assert "Nurse-led clinic" in text(page.data) and "Turn into draft QIPs" in text(page.data)
    drafted = submit(client, page.data, {"areas": ["1"]}, action=visit_url + "/qips")
    assert drafted.status_code == 302
    shown = client.get(visit_url)
    assert "1 draft QIP made for your team" in text(shown.data)
    assert "draft QIP made" in text(shown.data)


def test_choosing_no_area_is_refused(client: Any, community: Any, network: SmallNetwork) -> None:
    visit = community.record_visit(by=None, host_team_id=network.north,
                                   visiting_team_id=network.south, visited_on="2011-10-12")
    community.give_visit_feedback(visit, by=network.other_nurse,
                                  areas_for_improvement=["Data"], strengths=[])
    log_in(client, NINA)
    page = client.get(f"/visits/{visit}")

    refused = submit(client, page.data, {"areas": None}, action=f"/visits/{visit}/qips")

    assert refused.status_code == 400
    assert "Choose at least one area for improvement" in text(refused.data)


def test_the_host_cannot_give_the_visitors_feedback(client: Any, community: Any,
                                                    network: SmallNetwork) -> None:
    visit = community.record_visit(by=None, host_team_id=network.north,
                                   visiting_team_id=network.south, visited_on="2011-10-12")
    log_in(client, NINA)
    page = client.get(f"/visits/{visit}")

    assert "Give feedback" not in text(page.data)
    # The host is not shown the feedback form: a forged post with the field it has.
    body = form_on(page.data, "/logout").data({})
    refused = client.post(f"/visits/{visit}/feedback", data={**body,
                                                             "areas_for_improvement": "Ours"})
    assert refused.status_code == 403


def test_a_visit_between_two_other_teams_is_not_found(client: Any, community: Any,
                                                       network: SmallNetwork) -> None:
    """The feedback names a team's weak points: it is for the two teams and the organisers."""
    east = community.register_team(name="Eastmoor lung cancer MDT", trust="Eastmoor NHS Trust",
                                   region="East of England", latitude=52.6, longitude=1.3,
                                   caseload=300)
    community.join(email="erin@eastmoor.nhs.uk", name="Erin East", role="clinical_lead",
                   team_id=east, password=PASSWORD)
    visit = community.record_visit(by=None, host_team_id=network.north,
                                   visiting_team_id=network.south, visited_on="2011-10-12")
    community.give_visit_feedback(visit, by=network.other_nurse,
                                  areas_for_improvement=["Audit data"], strengths=["Clinic"])
    log_in(client, "erin@eastmoor.nhs.uk")

    page = client.get(f"/visits/{visit}")

    assert page.status_code == 404 and "Audit data" not in text(page.data)


def test_recording_a_visit_without_its_teams_asks_for_each(client: Any,
                                                           network: SmallNetwork) -> None:
    log_in(client, NINA)
    form = client.get("/visits/new")

    refused = submit(client, form.data, {"host_team_id": "", "visiting_team_id": ""},
                     action="/visits")

    assert refused.status_code == 400
    assert summary(refused.data) == {"Choose the host team": "#host_team_id",
                                     "Choose the visiting team": "#visiting_team_id"}


def test_a_feedback_line_too_long_is_shown_beside_its_box(client: Any, community: Any,
                                                          network: SmallNetwork) -> None:
    """The domain names the line ("areas_for_improvement[1]"); the page has one box."""
    visit = community.record_visit(by=None, host_team_id=network.north,
                                   visiting_team_id=network.south, visited_on="2011-10-12")
    log_in(client, SARA)
    page = client.get(f"/visits/{visit}")

    refused = submit(client, page.data, {"areas_for_improvement": "Data\n" + "x" * 201,
                                         "strengths": ""}, action=f"/visits/{visit}/feedback")

    assert refused.status_code == 400
    [(words, link)] = summary(refused.data).items()
    assert link == "#areas_for_improvement"
    assert beside(refused.data, "areas_for_improvement") == words
    assert "x" * 201 in refused.data.decode()  # what was typed is kept


def test_two_organisers_saving_the_feedback_at_once_is_a_visible_conflict(
        client: Any, community: Any, network: SmallNetwork) -> None:
    # Issue 13: the second save silently overwrote the first (the form sent no version).
    visit = community.record_visit(by=None, host_team_id=network.north,
                                   visiting_team_id=network.south, visited_on="2011-10-12")
    log_in(client, SARA)
    opened = client.get(f"/visits/{visit}")  # the page, open in one tab
    community.give_visit_feedback(visit, by=network.organiser,
                                  areas_for_improvement=["Complete the audit data"],
                                  strengths=["Nurse-led clinic"])

    refused = submit(client, opened.data, {"areas_for_improvement": "Shorter waits",
                                           "strengths": ""}, action=f"/visits/{visit}/feedback")

    assert refused.status_code == 409
    seen = text(refused.data)
    assert "Someone else saved this visit's feedback after you opened the page" in seen
    assert "Complete the audit data" in seen           # theirs, as saved
    assert "Shorter waits" in refused.data.decode()    # what was typed, kept to copy
    again = submit(client, refused.data, {"areas_for_improvement": "Shorter waits",
                                          "strengths": ""}, action=f"/visits/{visit}/feedback")
    assert again.status_code == 302


def test_the_organisers_list_of_visits_shows_a_page_at_a_time(
        olive: Any, community: Any, network: SmallNetwork) -> None:
    # Issue 13: no page renders an unbounded list; organisers see every team's visits.
    for n in range(60):
        community.record_visit(by=None, host_team_id=network.north,
                               visiting_team_id=network.south,
                               visited_on=f"20{10 + n // 28}-{n % 12 + 1:02d}-{n % 28 + 1:02d}")
    page = olive.get("/visits")

    assert len(table(page.data, "visits")["body"]) == 50
    assert "Showing 1–50 of 60 visits" in text(page.data)
    rest = olive.get(links(page.data)["Next page"])
    assert len(table(rest.data, "visits")["body"]) == 10
