"""Who may do what, for every route the app has (issue 13, "proof that stays").

The table ``ACCESS`` says, for every (endpoint, method) in the app's URL map, which of
the four roles get past the door: nobody logged in, a member of the team that owns
the thing (Nina, Northshire), a member of another team (Sara, Southmoor), and an
organiser. The routes are read from the app itself, so a new route without an entry
fails ``test_every_route_in_the_app_has_an_entry_in_the_matrix``: whoever adds a
route decides here, in one line, who may use it.

Then, for every route and role, over one shared community (tests/security/world.py):
- a page or answer that a role may read is there (200), and one it may not is refused
  (401 or a redirect to the login page when logged out; 403 or 404 when logged in);
- nobody but Northshire and the organisers ever sees Northshire's draft or the
  organisers' review comments, on any page or in any answer (a mutation that showed
  the review comments on the history page to other teams once survived the suite);
- every change a role may not make is refused and leaves the event log as it was.
  Changes are sent with a valid body where ``BODIES`` has one, so the refusal comes
  from who is asking rather than from an empty form.

What an accepted change does is read back by another user in
tests/security/test_changes_read_back.py.

(Over 400 lines because the table is: one line per route, kept beside the tests
that read it, so a route's rule is found and changed in one place.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.security.conftest import Served
from tests.security.world import REVIEW_COMMENT, ROLES, World

EVERYONE = frozenset(ROLES)
MEMBERS = frozenset({"team", "other_team", "organiser"})
TEAM_AND_ORGANISERS = frozenset({"team", "organiser"})
TEAM = frozenset({"team"})
OTHER_TEAM = frozenset({"other_team"})  # the world's south team: the asked, the answerer
OTHER_TEAM_AND_ORGANISERS = frozenset({"other_team", "organiser"})
TEAMS = frozenset({"team", "other_team"})  # members of a team, not organisers (who have none)
ORGANISERS = frozenset({"organiser"})
NOBODY: frozenset[str] = frozenset()  # a forged token or a file that is not there

# (endpoint, method) → the roles that get past the door, for the world's things.
ACCESS: dict[tuple[str, str], frozenset[str]] = {
    # --- pages -----------------------------------------------------------------------
    ("start.home", "GET"): MEMBERS,
    ("start.login", "GET"): EVERYONE,
    ("start.login", "POST"): EVERYONE,
    ("start.logout", "POST"): EVERYONE,
    ("onboarding.invitation", "GET"): NOBODY,   # only with a real invitation's token
    ("onboarding.invitation", "POST"): NOBODY,
    ("digest.unsubscribe_page", "GET"): NOBODY,  # only with a real digest's token
    ("digest.unsubscribe", "POST"): NOBODY,
    ("workshops.calendar_feed", "GET"): NOBODY,  # only with a member's calendar token
    ("nhsuk.asset", "GET"): NOBODY,             # no such file: assets are public files
    ("nhsuk.frontend_file", "GET"): NOBODY,
    ("static", "GET"): NOBODY,
    ("contacts.history", "GET"): MEMBERS,
    ("contacts.record_contact", "POST"): MEMBERS,
    ("contacts.counterparts", "GET"): MEMBERS,
    ("contacts.ask_for_introduction", "POST"): MEMBERS,
    ("contacts.introductions", "GET"): ORGANISERS,
    ("contacts.introduce", "POST"): ORGANISERS,
    ("directory.members", "GET"): MEMBERS,
    ("directory.team", "GET"): MEMBERS,
    ("profiles.member", "GET"): MEMBERS,
    ("profiles.edit", "GET"): MEMBERS,
    ("profiles.save", "POST"): MEMBERS,
    ("workshops.listing", "GET"): MEMBERS,
    ("workshops.workshop", "GET"): MEMBERS,
    ("workshops.calendar_file", "GET"): MEMBERS,
    ("workshops.download_material", "GET"): MEMBERS,
    ("workshops.register", "POST"): MEMBERS,
    ("workshops.cancel", "POST"): MEMBERS,
    ("workshops.set_meeting_day", "POST"): TEAMS,
    ("workshops.new", "GET"): ORGANISERS,
    ("workshops.plan", "POST"): ORGANISERS,
    ("workshops.attendance", "GET"): ORGANISERS,
    ("workshops.record_attendance", "POST"): ORGANISERS,
    ("workshops.attach_material", "POST"): ORGANISERS,
    ("follow_ups.inbox", "GET"): MEMBERS,
    ("follow_ups.new", "GET"): MEMBERS,
    ("follow_ups.ask", "POST"): MEMBERS,
    ("follow_ups.one", "GET"): MEMBERS,
    ("follow_ups.accept", "POST"): OTHER_TEAM_AND_ORGANISERS,   # the asked team answers
    ("follow_ups.decline", "POST"): OTHER_TEAM_AND_ORGANISERS,
    ("follow_ups.close", "POST"): MEMBERS,
    ("follow_ups.responses", "GET"): ORGANISERS,
    ("follow_ups.responses_csv", "GET"): ORGANISERS,
    ("notifications.listing", "GET"): MEMBERS,
    ("notifications.open_one", "GET"): TEAM,    # Nina's notification is Nina's
    ("notifications.mark_all_read", "POST"): MEMBERS,
    ("notifications.settings", "GET"): MEMBERS,
    ("notifications.settings", "POST"): MEMBERS,
    ("organise.hub", "GET"): ORGANISERS,
    ("onboarding.import_form", "GET"): ORGANISERS,
    ("onboarding.import_upload", "POST"): ORGANISERS,
    ("onboarding.new_invitation", "POST"): ORGANISERS,
    ("outbox.listing", "GET"): ORGANISERS,
    ("outbox.preview", "GET"): ORGANISERS,
    ("outbox.confirm_send_all", "GET"): ORGANISERS,
    ("outbox.discard", "POST"): ORGANISERS,
    ("outbox.edit", "POST"): ORGANISERS,
    ("outbox.momentum", "POST"): ORGANISERS,
    ("outbox.send", "POST"): ORGANISERS,
    ("pairing.propose", "GET"): ORGANISERS,
    ("pairing.accept", "POST"): ORGANISERS,
    ("pairing.confirm", "POST"): ORGANISERS,
    ("pairing.round_recorded", "GET"): ORGANISERS,
    ("question_reports.listing", "GET"): ORGANISERS,
    ("audit.trail_page", "GET"): ORGANISERS,
    ("erasure.confirm", "GET"): ORGANISERS,
    ("erasure.forget", "POST"): ORGANISERS,
    ("erasure.my_data", "GET"): MEMBERS,        # each member's own data, nobody else's
    ("account.overview", "GET"): MEMBERS,
    ("account.logins", "GET"): MEMBERS,
    ("account.password", "GET"): MEMBERS,
    ("account.password", "POST"): MEMBERS,
    ("account.everywhere", "POST"): MEMBERS,
    ("account.forgotten", "GET"): EVERYONE,     # asking for a reset link
    ("account.forgotten", "POST"): EVERYONE,
    ("account.reset", "GET"): NOBODY,           # only with a real reset link's token
    ("account.reset", "POST"): NOBODY,
    ("health.healthz", "GET"): EVERYONE,        # for load balancers: nothing personal
    ("health.readyz", "GET"): EVERYONE,
    ("question_reports.dismiss", "POST"): ORGANISERS,
    ("question_reports.hide", "POST"): ORGANISERS,
    ("qips.reviews", "GET"): ORGANISERS,
    ("qips.review", "GET"): ORGANISERS,
    ("qips.review", "POST"): ORGANISERS,
    ("qips.library", "GET"): MEMBERS,
    ("qips.qip", "GET"): MEMBERS,
    ("qips.history", "GET"): MEMBERS,
    ("qips.new", "GET"): TEAMS,
    ("qips.new", "POST"): TEAMS,
    ("qips.edit", "GET"): TEAM,
    ("qips.edit", "POST"): TEAM,
    ("qips.submit", "POST"): TEAM,
    ("qips.complete", "POST"): TEAM,
    ("qips.stop", "POST"): TEAM,
    ("qips.adapt", "POST"): TEAMS,              # another team adapts it; its own is told no
    ("change_marks.mark_change", "POST"): TEAM_AND_ORGANISERS,
    ("change_marks.unmark_change", "POST"): TEAM_AND_ORGANISERS,
    ("measurement.record_progress", "POST"): TEAM_AND_ORGANISERS,
    ("measurement.record_progress_table", "POST"): MEMBERS,  # refused for its content first
    ("measurement.upload_progress", "GET"): MEMBERS,
    ("measurement.attach_document", "POST"): TEAM_AND_ORGANISERS,
    ("measurement.download_document", "GET"): MEMBERS,
    ("measurement.correct_value", "GET"): TEAM,
    ("measurement.correct_value", "POST"): TEAM,
    ("measurement.withdraw_value", "GET"): TEAM,
    ("measurement.withdraw_value", "POST"): TEAM,
    ("self_assessment.page", "GET"): MEMBERS,
    ("self_assessment.assess", "POST"): TEAM,
    ("questions.listing", "GET"): MEMBERS,
    ("questions.new", "GET"): MEMBERS,
    ("questions.ask", "POST"): MEMBERS,
    ("questions.thread", "GET"): MEMBERS,
    ("questions.answer", "POST"): MEMBERS,
    ("questions.accept", "POST"): TEAM,         # Nina asked the world's question
    ("questions.edit_question", "GET"): TEAM,
    ("questions.edit_question", "POST"): TEAM,
    ("questions.invite", "GET"): TEAM,
    ("questions.send_invitations", "POST"): TEAM,
    ("questions.edit_answer", "GET"): OTHER_TEAM,  # Sara wrote the world's answer
    ("questions.edit_answer", "POST"): OTHER_TEAM,
    ("questions.report", "GET"): MEMBERS,
    ("questions.report", "POST"): MEMBERS,
    ("questions.follow", "POST"): MEMBERS,
    ("questions.follows", "GET"): MEMBERS,
    ("questions.follows", "POST"): MEMBERS,
    ("search.results", "GET"): MEMBERS,
    ("sustainability.dashboard", "GET"): ORGANISERS,
    ("sustainability.csv", "GET"): ORGANISERS,
    ("network_health.page", "GET"): ORGANISERS,
    ("network_health.csv", "GET"): ORGANISERS,
    ("network_health.method", "GET"): ORGANISERS,
    ("network_map.page", "GET"): ORGANISERS,
    ("board_report.report", "GET"): ORGANISERS,
    ("visits.listing", "GET"): MEMBERS,
    ("visits.new", "GET"): MEMBERS,
    ("visits.record", "POST"): MEMBERS,
    ("visits.one", "GET"): MEMBERS,
    ("visits.feedback", "POST"): OTHER_TEAM_AND_ORGANISERS,  # the visiting team's feedback
    ("visits.draft_qips", "POST"): TEAM,        # the host team drafts from it
    # --- the JSON API ------------------------------------------------------------------
    ("api.openapi", "GET"): EVERYONE,
    ("api.log_in", "POST"): EVERYONE,
    ("api.log_out", "DELETE"): EVERYONE,
    ("api.me", "GET"): MEMBERS,
    ("api.update_my_profile", "PATCH"): MEMBERS,
    ("api.list_members", "GET"): MEMBERS,
    ("api.show_member", "GET"): MEMBERS,
    ("api.update_profile", "PATCH"): TEAM,      # Nina's profile is Nina's
    ("api.counterparts", "GET"): MEMBERS,
    ("api.list_teams", "GET"): MEMBERS,
    ("api.show_team", "GET"): MEMBERS,
    ("api.list_contacts", "GET"): MEMBERS,
    ("api.make_contact", "POST"): MEMBERS,
    ("api.ask_for_introduction", "POST"): MEMBERS,
    ("api.list_workshops", "GET"): MEMBERS,
    ("api.one_workshop", "GET"): MEMBERS,
    ("api.workshop_calendar", "GET"): MEMBERS,
    ("api.calendar_feed", "GET"): MEMBERS,
    ("api.suggest_dates", "GET"): ORGANISERS,
    ("api.plan_workshop", "POST"): ORGANISERS,
    ("api.hold_workshop", "POST"): ORGANISERS,
    ("api.record_attendance", "POST"): ORGANISERS,
    ("api.register", "POST"): MEMBERS,
    ("api.cancel", "DELETE"): MEMBERS,
    ("api.list_follow_ups", "GET"): MEMBERS,
    ("api.follow_up_inbox", "GET"): MEMBERS,
    ("api.follow_up_response_times", "GET"): ORGANISERS,
    ("api.request_follow_up", "POST"): MEMBERS,
    ("api.ask_paired_team", "POST"): TEAMS,
    ("api.accept_follow_up", "POST"): OTHER_TEAM_AND_ORGANISERS,
    ("api.decline_follow_up", "POST"): OTHER_TEAM_AND_ORGANISERS,
    ("api.answer_follow_up", "POST"): OTHER_TEAM_AND_ORGANISERS,
    ("api.close_follow_up", "POST"): MEMBERS,
    ("api.introduce", "POST"): ORGANISERS,
    ("api.my_follows", "GET"): MEMBERS,
    ("api.choose_follows", "PUT"): MEMBERS,
    ("api.import_members_csv", "POST"): ORGANISERS,
    ("api.import_teams_csv", "POST"): ORGANISERS,
    ("api.check_momentum", "POST"): ORGANISERS,
    ("api.network", "GET"): ORGANISERS,
    ("api.network_health", "GET"): ORGANISERS,
    ("api.sustainability", "GET"): ORGANISERS,
    ("api.sustainability_model", "GET"): MEMBERS,
    ("api.correct_sustainability_weights", "POST"): ORGANISERS,
    ("api.my_notifications", "GET"): MEMBERS,
    ("api.read_notifications", "POST"): MEMBERS,
    ("api.my_digest", "GET"): MEMBERS,
    ("api.choose_digest", "PUT"): MEMBERS,
    ("api.outbox", "GET"): ORGANISERS,
    ("api.message", "GET"): ORGANISERS,
    ("api.edit_message", "PATCH"): ORGANISERS,
    ("api.discard_message", "DELETE"): ORGANISERS,
    ("api.send_messages", "POST"): ORGANISERS,
    ("api.propose_pairing", "GET"): ORGANISERS,
    ("api.accept_pairings", "POST"): ORGANISERS,
    ("api.list_qips", "GET"): MEMBERS,
    ("api.draft_qip", "POST"): TEAMS,
    ("api.show_qip", "GET"): MEMBERS,
    # The domain lets organisers change a team's plan (community/commands.py
    # _in_teams); the plan's pages offer it to the team only.
    ("api.revise_qip", "PATCH"): TEAM_AND_ORGANISERS,
    ("api.submit_qip", "POST"): TEAM_AND_ORGANISERS,
    ("api.complete_qip", "POST"): TEAM_AND_ORGANISERS,
    ("api.stop_qip", "POST"): TEAM_AND_ORGANISERS,
    ("api.review_qip", "POST"): ORGANISERS,
    ("api.adapt_qip", "POST"): TEAMS,
    ("api.adoptions", "GET"): MEMBERS,
    ("api.qip_history_of", "GET"): MEMBERS,
    ("api.measure_chart_of", "GET"): MEMBERS,
    ("api.record_progress", "POST"): TEAM_AND_ORGANISERS,
    ("api.record_series", "POST"): TEAM_AND_ORGANISERS,
    ("api.correct_progress", "POST"): TEAM_AND_ORGANISERS,
    ("api.withdraw_progress", "POST"): TEAM_AND_ORGANISERS,
    ("api.mark_change", "POST"): TEAM_AND_ORGANISERS,
    ("api.unmark_change", "POST"): TEAM_AND_ORGANISERS,
    ("api.list_documents", "GET"): MEMBERS,
    ("api.attach_document", "POST"): TEAM_AND_ORGANISERS,
    ("api.download_document", "GET"): MEMBERS,
    ("api.sustainability_results", "GET"): MEMBERS,
    ("api.assess_sustainability", "POST"): TEAM,
    ("api.list_questions", "GET"): MEMBERS,
    ("api.ask_question", "POST"): MEMBERS,
    ("api.get_question", "GET"): MEMBERS,
    ("api.edit_question", "PUT"): TEAM,
    ("api.suggested_people", "GET"): MEMBERS,
    ("api.invite_to_answer", "POST"): TEAM,
    ("api.answer_question", "POST"): MEMBERS,
    ("api.edit_answer", "PUT"): OTHER_TEAM,
    ("api.accept_answer", "POST"): TEAM,
    ("api.hide_answer", "POST"): ORGANISERS,
    ("api.hide_question", "POST"): ORGANISERS,
    ("api.follow_question", "PUT"): MEMBERS,
    ("api.unfollow_question", "DELETE"): MEMBERS,
    ("api.report_post", "POST"): MEMBERS,
    ("api.open_reports", "GET"): ORGANISERS,
    ("api.dismiss_report", "POST"): ORGANISERS,
    ("api.hide_reported_post", "POST"): ORGANISERS,
    ("api.search_all", "GET"): MEMBERS,
}

# Path parameters that name a different thing of the world for one endpoint.
PATH_VALUES: dict[str, dict[str, str]] = {
    "workshops.download_material": {"document_id": "material"},
}
# Query strings a page needs to find what it is about.
QUERIES: dict[str, str] = {
    "measurement.correct_value": "?measure=CNS+at+diagnosis&date=2012-06-30",
    "measurement.withdraw_value": "?measure=CNS+at+diagnosis&date=2012-06-30",
}
# GETs that change something, on purpose: opening a notification marks it read.
READING_WRITES = {("notifications.open_one", "GET")}
# Where the organisers' review comments must show: the team and the organisers read
# them on the plan's history (so hiding them from everyone fails too).
SHOWS_REVIEW_COMMENTS = {("qips.history", "GET"), ("api.qip_history_of", "GET")}


def _qip_version(world: World) -> int:
    return int(world.community.qip(world.ids["qip_id"]).version)


# A valid JSON body for the API's changes, so a refusal is about who asks.
BODIES: dict[str, Callable[[World], Any]] = {
    "api.revise_qip": lambda w: {"version": _qip_version(w), "title": "Taken over"},
    "api.submit_qip": lambda w: {"version": _qip_version(w)},
    "api.complete_qip": lambda w: {"version": _qip_version(w), "note": "Done"},
    "api.stop_qip": lambda w: {"version": _qip_version(w), "reason": "Stopped by a stranger"},
    "api.review_qip": lambda w: {"decision": "accept"},
    "api.record_progress": lambda w: {"measure": "CNS at diagnosis", "date": "2012-09-30",
                                      "value": 99},
    "api.record_series": lambda w: {"measure": "CNS at diagnosis",
                                    "values": [{"date": "2012-09-30", "value": 99}]},
    "api.correct_progress": lambda w: {"measure": "CNS at diagnosis", "date": "2012-06-30",
                                       "value": 1, "reason": "A stranger's correction"},
    "api.withdraw_progress": lambda w: {"measure": "CNS at diagnosis", "date": "2012-06-30",
                                        "reason": "A stranger's withdrawal"},
    "api.mark_change": lambda w: {"measure": "CNS at diagnosis", "date": "2012-06-30",
                                  "description": "A stranger's change"},
    "api.edit_question": lambda w: {"title": "Taken over", "body": "Taken over",
                                    "key_areas": ["cns_access"], "version": 1},
    "api.edit_answer": lambda w: {"body": "Taken over", "version": 1},
    "api.update_profile": lambda w: {"version": 1, "phone": "0161 496 0000"},
    "api.accept_follow_up": lambda w: {"proposed_date": "2013-07-01"},
    "api.decline_follow_up": lambda w: {"reason": "Not now"},
    "api.answer_follow_up": lambda w: {"message": "Happy to"},
    "api.edit_message": lambda w: {"version": 1, "subject": "Taken over"},
    "api.hide_question": lambda w: {"reason": "Off topic"},
    "api.hide_answer": lambda w: {"reason": "Off topic"},
    "api.invite_to_answer": lambda w: {"member_ids": [str(w.network.lead)]},
    "api.introduce": lambda w: {"message": "Meet Sara"},
}

PLACEHOLDER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def routes_of(app: Any) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every route the app has."""
    return sorted((rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"})


class Matrix:
    """The shared world, its app and one logged-in client per role."""

    def __init__(self, served: Served) -> None:
        self.world, self.app, self.clients = served.world, served.app, served.clients

    def path(self, endpoint: str, rule: str) -> str:
        names = PATH_VALUES.get(endpoint, {})

        def value(found: re.Match[str]) -> str:
            name = found.group(1)
            key = names.get(name)
            return self.world.more[key] if key else self.world.ids[name]

        return PLACEHOLDER.sub(value, rule) + QUERIES.get(endpoint, "")

    def send(self, role: str, endpoint: str, method: str, rule: str) -> Any:
        body = BODIES.get(endpoint)
        return self.clients[role].open(
            self.path(endpoint, rule), method=method,
            json=body(self.world) if body and method != "GET" else None,
            # What the API asks of bodiless and multipart changes (web/api/cross_site.py).
            headers={"X-Requested-With": "authorisation-matrix"})


@pytest.fixture(scope="module")
def matrix(served: Served) -> Matrix:
    return Matrix(served)


def refused(answer: Any, role: str) -> bool:
    """Refused at the door: logged out, forbidden, or not there for this role."""
    if role == "anonymous" and answer.status_code == 302:
        return "/login" in answer.headers.get("Location", "")
    return answer.status_code in (401, 403, 404)


def test_every_route_in_the_app_has_an_entry_in_the_matrix(matrix: Matrix) -> None:
    routes = {(endpoint, method) for endpoint, method, _ in routes_of(matrix.app)}

    assert len(routes) > 200  # the table really came from the app
    assert sorted(routes - set(ACCESS)) == [], "say in ACCESS who may use these new routes"
    assert sorted(set(ACCESS) - routes) == [], "these entries name routes the app lacks"


def reads(app: Any) -> list[tuple[str, str, str]]:
    return [r for r in routes_of(app) if r[1] == "GET"]


def changes(app: Any) -> list[tuple[str, str, str]]:
    return [r for r in routes_of(app) if r[1] != "GET"]


def test_each_role_reads_what_it_may_and_is_refused_the_rest_seeing_no_secrets(
        matrix: Matrix) -> None:
    wrong = []
    for endpoint, method, rule in reads(matrix.app):
        may = ACCESS[(endpoint, method)]
        for role in ROLES:
            before = matrix.world.log_position()
            answer = matrix.send(role, endpoint, method, rule)
            body = answer.get_data(as_text=True)
            where = f"{method} {matrix.path(endpoint, rule)} as {role}"
            assert answer.status_code < 500, f"{where}: {answer.status_code}"
            if may is NOBODY:  # a forged token or a missing file: not found, or bad input
                if answer.status_code not in (400, 404):
                    wrong.append(f"{where}: {answer.status_code}, should be 400 or 404")
            elif role in may:
                if refused(answer, role):
                    wrong.append(f"{where}: {answer.status_code}, should be allowed")
            elif not refused(answer, role):
                wrong.append(f"{where}: {answer.status_code}, should be refused")
            if role in ("anonymous", "other_team") and "SECRET" in body:
                wrong.append(f"{where}: shows Northshire's or the organisers' private text")
            if ((endpoint, method) in SHOWS_REVIEW_COMMENTS and role in TEAM_AND_ORGANISERS
                    and REVIEW_COMMENT not in body.replace("&#39;", "'")):
                wrong.append(f"{where}: does not show the review comments")
            if (endpoint, method) not in READING_WRITES and matrix.world.log_position() != before:
                wrong.append(f"{where}: reading wrote to the log")
    assert wrong == [], "\n".join(wrong)


def test_every_change_a_role_may_not_make_is_refused_and_changes_nothing(
        matrix: Matrix) -> None:
    wrong = []
    tried = 0
    for endpoint, method, rule in changes(matrix.app):
        for role in sorted(EVERYONE - ACCESS[(endpoint, method)]):
            before = matrix.world.log_position()
            answer = matrix.send(role, endpoint, method, rule)
            tried += 1
            where = f"{method} {matrix.path(endpoint, rule)} as {role}"
            if answer.status_code >= 500:
                wrong.append(f"{where}: {answer.status_code}")
            # Without a valid body a 400 is also a refusal: what matters is that nothing
            # was written. With one (BODIES), the refusal must be about who asks.
            elif endpoint in BODIES and not refused(answer, role):
                wrong.append(f"{where}: {answer.status_code} {answer.get_data(as_text=True)}")
            elif not (refused(answer, role) or 400 <= answer.status_code < 500):
                wrong.append(f"{where}: {answer.status_code}, should be refused")
            if matrix.world.log_position() != before:
                wrong.append(f"{where}: a refused change was written")
    assert tried > 150
    assert wrong == [], "\n".join(wrong)
