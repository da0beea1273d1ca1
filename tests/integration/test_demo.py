"""The demo community: what someone trying the app finds in it, on a SQLite file and on
PostgreSQL.

One load per store is shared by the session (tests/conftest.py's demo_template; on
PostgreSQL a load takes minutes); the determinism test makes a second one in a SQLite
store of its own, so on PostgreSQL it also shows both stores hold the same events.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from community import Community
from community.demo import DEMO_PASSWORD, ORGANISER_EMAIL, PARTICIPANT_EMAIL, load_demo
from config import Settings
from domain.contact import Contact
from domain.errors import Conflict
from domain.follow_up import FollowUp
from domain.message import Message
from domain.pairing import Pairing
from domain.qip import Qip
from domain.question import Answer, Question, Report
from domain.sustainability_model import Assessment
from domain.values import FollowUpStatus, KeyArea, Role, WorkshopKind
from domain.visit import Visit
from domain.workshop import Workshop
from projections.questions import questions_i_could_answer
from tests.conftest import DemoTemplate

FUNDING_END = date(2012, 3, 31)
LAST_DAY = date(2013, 9, 30)
REGIONS = {"North East", "North West", "Yorkshire and the Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West"}


def open_store(folder: Path) -> Community:
    return Community(Settings(database_url=f"sqlite:///{folder}/c.sqlite"))


Loaded = tuple[Community, dict[str, int], list[int]]


@pytest.fixture(scope="module")
def loaded(demo_community: Community, demo_template: DemoTemplate) -> Loaded:
    return demo_community, demo_template.summary, demo_template.steps


@pytest.fixture(scope="module")
def app(loaded: Loaded) -> Community:
    return loaded[0]


@pytest.fixture(scope="module")
def events(app: Community) -> list[Any]:
    return stored_events(app)


@pytest.fixture(scope="module")
def team_of(app: Community) -> dict[str, str | None]:
    members, _ = app.views.directory.members(limit=10_000)
    return {m["id"]: m["team_id"] for m in members}


def stored_events(app: Community) -> list[Any]:
    notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
    return [app.mapper.to_domain_event(n) for n in notifications]


def of_type(events: list[Any], kind: type) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


# --- what was loaded --------------------------------------------------------------


def test_the_summary_counts_what_was_stored_and_progress_covers_every_aggregate(loaded, events):
    app, summary, steps = loaded
    assert summary["events"] == len(events) == app.recorder.max_notification_id()
    assert summary["teams"] == 30
    assert summary["qips"] == len(of_type(events, Qip.Drafted))
    assert summary["contacts"] == len(of_type(events, Contact.Made))
    assert summary["workshops"] == len(of_type(events, Workshop.Held))
    assert summary["follow_ups"] == len(of_type(events, FollowUp.Requested))
    assert summary["pairings"] == len(of_type(events, Pairing.Made)) == 15
    assert summary["visits"] == len(of_type(events, Visit.Recorded)) == 30
    assert summary["self_assessments"] == len(of_type(events, Assessment.Made))
    assert summary["questions"] == len(of_type(events, Question.Asked))
    assert summary["answers"] == len(of_type(events, Answer.Posted))
    assert summary["reports"] == len(of_type(events, Report.Filed))
    # The organisers' daily job ran once as of the demo's last day: the outbox has work;
    # earlier runs' messages (the nudges part) were sent or discarded.
    assert summary["outbox_messages"] > 0 and summary["nudges"] > 0
    assert (summary["outbox_messages"] + summary["nudges"]
            == len(of_type(events, Message.Proposed)))
    assert app.views.outbox.counts()["proposed"] == summary["outbox_messages"]
    aggregates = 2 + sum(summary[k] for k in ("teams", "members", "pairings", "workshops",
                                              "qips", "contacts", "follow_ups", "planned_events", "visits",
                                              "self_assessments", "questions", "answers",
                                              "reports", "nudges"))  # + programme, model
    assert sum(steps) == aggregates
    assert len(steps) > 1 and max(steps) <= 500  # saved in batches, reported as it goes


def test_thirty_teams_spread_across_englands_nine_regions(app):
    teams = app.views.directory.teams()
    assert len(teams) == 30
    assert {t["region"] for t in teams} == REGIONS
    for team in teams:
        assert team["name"].endswith("lung cancer MDT")
        assert "NHS" in team["trust"] and "Trust" in team["trust"]
        assert 49.9 < team["latitude"] < 55.9 and -5.8 < team["longitude"] < 1.8
        assert 3 <= team["member_count"] <= 6
    caseloads = [t["caseload"] for t in teams]
    assert min(caseloads) <= 100 and max(caseloads) >= 550


def test_every_team_has_four_audit_years_on_all_nine_indicators(app):
    indicators = {i["key"] for i in app.views.directory.indicators()}
    assert len(indicators) == 9
    history = [app.views.directory.team(t["id"])["audits"] for t in app.views.directory.teams()]
    for audits in history:
        assert list(audits) == [2009, 2010, 2011, 2012]
        for results in audits.values():
            assert set(results) == indicators
            assert all(0 <= v <= 100 and round(v, 1) == v for v in results.values())
    for key in ("cns_seen", "data_completeness", "mdt_discussed"):
        first = sum(a[2009][key] for a in history) / len(history)
        last = sum(a[2012][key] for a in history) / len(history)
        assert first < last < first + 20, key  # gentle improvement, not a miracle


def test_each_team_has_a_lead_and_a_nurse_and_nhs_addresses(app):
    members, total = app.views.directory.members(limit=10_000)
    by_team: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        if m["team_id"]:
            by_team.setdefault(m["team_id"], []).append(m)
    assert len(by_team) == 30
    for team in by_team.values():
        roles = {m["role"] for m in team}
        assert {Role.CLINICAL_LEAD.value, Role.CNS.value} <= roles
    invited = [m for m in members if m["email"] not in (ORGANISER_EMAIL, PARTICIPANT_EMAIL)]
    organisers = [m for m in members if m["is_organiser"]]
    assert len(organisers) == 3 and all(m["team_id"] is None for m in organisers)
    nhs = [m for m in invited if not m["is_organiser"]]
    assert all(re.fullmatch(r"[a-z-]+\.[a-z-]+@[a-z-]+\.nhs\.uk", m["email"]) for m in nhs)
    assert all(m["expertise"] for m in nhs)
    assert 0.8 <= sum(m["consents_to_contact"] for m in members) / total < 1
    assert sum(m["can_log_in"] for m in members) == 2  # only the two demo logins


def test_both_demo_logins_work_with_the_demo_password(app):
    organiser = app.authenticate(ORGANISER_EMAIL, DEMO_PASSWORD)
    participant = app.authenticate(PARTICIPANT_EMAIL, DEMO_PASSWORD)
    assert organiser is not None and organiser.is_organiser and organiser.team_id is None
    assert organiser.role is Role.ORGANISER
    assert participant is not None and participant.role is Role.CNS
    assert participant.team_id is not None and not participant.is_organiser
    assert app.authenticate(PARTICIPANT_EMAIL, "not-the-password") is None


def test_the_participants_team_is_below_the_nurse_standard_where_others_are_strong(app):
    participant = app.authenticate(PARTICIPANT_EMAIL, DEMO_PASSWORD)
    mine = app.views.directory.team(str(participant.team_id))
    assert mine["latest_audit_year"] == 2012
    assert mine["latest_audit"]["cns_seen"] < 80
    assert mine["latest_audit"]["cns_at_diagnosis"] < 80
    strong = [t for t in app.views.directory.teams()
              if t["latest_audit"]["cns_seen"] >= 80 and t["latest_audit"]["cns_at_diagnosis"] >= 80]
    assert strong


# --- the programme's activities ----------------------------------------------------


def test_each_team_hosts_one_peer_review_visit_and_makes_one(app, events, team_of):
    teams = {t["name"]: t for t in app.views.directory.teams()}
    visits = [e for e in of_type(events, Workshop.Held) if e.kind is WorkshopKind.PEER_REVIEW_VISIT]
    assert len(visits) == 30
    hosts, guests, pairs = Counter(), Counter(), Counter()
    for v in visits:
        host, guest = re.fullmatch(r"Peer-review visit: (.+) hosts (.+)", v.title).groups()
        hosts[host] += 1
        guests[guest] += 1
        pairs[frozenset((host, guest))] += 1
        assert date(2010, 1, 1) <= v.held_on <= date(2011, 12, 31)
        present = {team_of[str(a)] for a in v.attendee_ids}
        assert present == {teams[host]["id"], teams[guest]["id"]}
        assert teams[host]["region"] != teams[guest]["region"]  # not near neighbours
    assert hosts == guests == Counter(set(teams))
    assert len(pairs) == 15 and set(pairs.values()) == {2}


def test_workshops_and_poorly_attended_wednesday_conferences(events):
    held = of_type(events, Workshop.Held)
    kinds = Counter(e.kind for e in held)
    assert kinds[WorkshopKind.INTRODUCTORY_WORKSHOP] == 1
    assert kinds[WorkshopKind.NATIONAL_WORKSHOP] == 2
    assert kinds[WorkshopKind.SUSTAINABILITY_WORKSHOP] == 1
    assert 3 <= kinds[WorkshopKind.ONLINE_CONFERENCE] <= 4
    intro = next(e for e in held if e.kind is WorkshopKind.INTRODUCTORY_WORKSHOP)
    closing = next(e for e in held if e.kind is WorkshopKind.SUSTAINABILITY_WORKSHOP)
    assert intro.held_on < date(2010, 4, 1)
    assert date(2011, 10, 1) <= closing.held_on <= FUNDING_END
    online = [e for e in held if e.kind is WorkshopKind.ONLINE_CONFERENCE]
    face_to_face = [e for e in held if e.kind in (WorkshopKind.INTRODUCTORY_WORKSHOP,
                                                  WorkshopKind.NATIONAL_WORKSHOP)]
    assert all(e.held_on.weekday() == 2 for e in online)
    assert max(len(e.attendee_ids) for e in online) < min(len(e.attendee_ids) for e in face_to_face)
    assert all(1 <= len(e.attendee_ids) <= 8 for e in online)


def test_about_seventy_qips_from_twenty_nine_teams(app, events):
    drafted = of_type(events, Qip.Drafted)
    assert 65 <= len(drafted) <= 75
    assert len({e.team_id for e in drafted}) == 29
    assert {e.key_area for e in drafted} == set(KeyArea)
    assert of_type(events, Qip.Revised)  # some needed the organisers' review
    shared, total = app.views.library.qips(viewer_team_id=None, limit=1000)
    assert len(drafted) * 0.6 <= total < len(drafted)  # most shared, some left as drafts
    for qip in shared:
        assert 2010 <= qip["shared_on"].year <= 2012
        assert qip["aim"] and qip["timeframe"]
        assert 1 <= len(qip["measures"]) <= 2
        assert any(m["baseline"] is not None and m["target"] is not None for m in qip["measures"])
        assert {m["unit"] for m in qip["measures"]} <= {"%", "days", "count"}


def test_shared_qips_report_monthly_progress_with_different_fates(app):
    shared, _ = app.views.library.qips(viewer_team_id=None, limit=1000)
    lengths, last_reports = [], []
    for item in shared:
        qip = app.views.library.qip(item["id"], viewer_team_id=None)
        first = qip["measures"][0]["name"]
        days = [p["recorded_on"] for p in qip["progress"] if p["measure"] == first]
        assert 6 <= len(days) <= 24
        assert len({(d.year, d.month) for d in days}) == len(days)  # one value a month
        assert all(qip["shared_on"] < d <= LAST_DAY for d in days)
        lengths.append(len(days))
        last_reports.append(max(days))
    assert min(lengths) <= 8 and max(lengths) >= 20  # some stall early, some keep going
    assert any(d <= FUNDING_END for d in last_reports) and any(d > FUNDING_END for d in last_reports)


def test_contacts_start_facilitated_and_become_self_initiated(events, team_of):
    contacts = of_type(events, Contact.Made)
    assert 200 <= len(contacts) <= 500
    assert all(c.from_member_id != c.to_member_id for c in contacts)
    assert all(c.topic for c in contacts)
    first_year = [c for c in contacts if c.made_on < date(2011, 1, 1)]
    after = [c for c in contacts if c.made_on > FUNDING_END]
    assert sum(c.facilitated for c in first_year) / len(first_year) > 0.6
    assert sum(c.facilitated for c in after) / len(after) < 0.2
    across = [c for c in contacts
              if team_of[str(c.from_member_id)] != team_of[str(c.to_member_id)]]
    assert len(across) / len(contacts) > 0.8  # mostly with other teams


def test_follow_ups_are_answered_closed_or_left_waiting(app, events):
    requested = of_type(events, FollowUp.Requested)
    assert 30 <= len(requested) <= 50
    follow_ups = [app.follow_up(e.originator_id) for e in requested]
    assert {f.kind.value for f in follow_ups} == {"reciprocal_visit", "facilitator_visit",
                                                  "introduction", "call"}
    statuses = Counter(f.status for f in follow_ups)
    assert all(statuses[s] > 0 for s in FollowUpStatus)
    assert any(f.answers and f.status is FollowUpStatus.CLOSED for f in follow_ups)
    assert any(f.to_organisers for f in follow_ups) and any(f.team_id for f in follow_ups)
    assert any(f.member_id for f in follow_ups)
    for f in follow_ups:
        for answer in f.answers:
            assert app.can_answer(f, app.member(answer["by"]))
            assert f.requested_on <= answer["on"] <= LAST_DAY


# --- after the money stopped ---------------------------------------------------------


def test_activity_goes_on_after_the_funding_end_but_less(app):
    report = app.views.sustainability.report()
    before, after = report["before"], report["after"]
    assert report["funding_end"] == FUNDING_END
    assert after["contacts"] > 0 and after["progress_reports"] > 0 and after["follow_ups"] > 0
    kinds = ("contacts", "workshops", "qips_shared", "progress_reports", "follow_ups")
    assert sum(after[k] for k in kinds) < sum(before[k] for k in kinds) / 2
    assert 0 < after["active_teams"] < before["active_teams"] == 30  # some fell quiet
    months = {row["month"]: row for row in report["months"]}
    assert max(months) <= "2013-09"
    early = sum(months[m]["contacts"] for m in months if "2012-04" <= m <= "2012-09")
    late = sum(months[m]["contacts"] for m in months if "2013-04" <= m <= "2013-09")
    assert late < early


def test_no_date_in_the_demo_is_after_september_2013(events):
    # But for the events planned ahead of the day the demo is loaded, so "Coming up" has some.
    ahead = {e.originator_id for e in of_type(events, Workshop.Planned) if e.starts_on > LAST_DAY}
    days = [d for e in events if e.originator_id not in ahead for d in dates_in(vars(e))]
    assert days and min(days) >= date(2010, 1, 1) and max(days) <= LAST_DAY


def dates_in(value: Any) -> Iterator[date]:
    if isinstance(value, date) and not hasattr(value, "hour"):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from dates_in(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from dates_in(v)


# --- determinism and refusal ----------------------------------------------------------


def test_the_same_seed_gives_the_same_events(app, events, tmp_path):
    other = open_store(tmp_path)
    try:
        load_demo(other, seed=2012)
        again = stored_events(other)
    finally:
        other.close()
    assert without_messages(normalised(again)) == without_messages(normalised(events))
    # The outbox is filled last, in the order of the QIPs' random ids: the same messages.
    assert messages_in(normalised(again)) == messages_in(normalised(events))
    # Members' ids come from the demo's own random stream, teams' from their names:
    # identical, not just alike.
    assert ids_of(again, "Member") == ids_of(events, "Member")
    assert ids_of(again, "Team") == ids_of(events, "Team")


UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def without_messages(found: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(kind, state) for kind, state in found if not kind.startswith("Message.")]


def messages_in(found: list[tuple[str, Any]]) -> list[str]:
    """What each message says and to whom, and what became of it (sent or discarded,
    when, by whom), in any order: its own id is a hash of its key, which names a QIP's
    random id, so the momentum job proposes them in a random order (left out, the key
    is compared as numbered)."""
    return sorted(repr((kind, {k: v for k, v in state.items() if k != "originator_id"}))
                  for kind, state in found if kind.startswith("Message."))


def normalised(events: list[Any]) -> list[tuple[str, Any]]:
    """Events with the inherently random parts replaced: wall-clock timestamps, salted
    password hashes, and uuid4 ids (numbered by first appearance, so every reference
    must still point at the same thing)."""
    numbers: dict[UUID, int] = {}

    def canon(value: Any) -> Any:
        if isinstance(value, UUID):
            return f"id#{numbers.setdefault(value, len(numbers))}"
        if isinstance(value, str) and UUID_TEXT.search(value):
            # An id inside text (an outbox message's key or link) reads as the thing it
            # names; one named nowhere else (a notification's hash) only as an id.
            return UUID_TEXT.sub(lambda m: f"id#{numbers.get(UUID(m.group(0)), 'text')}",
                                 value)
        if is_dataclass(value) and not isinstance(value, type):
            return canon(asdict(value))
        if isinstance(value, dict):
            return {k: canon(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [canon(v) for v in value]
        return value

    found = []
    for event in events:
        state = {k: v for k, v in vars(event).items() if k != "timestamp"}
        if state.get("password_hash"):
            state["password_hash"] = "salted hash"
        found.append((type(event).__qualname__, canon(state)))
    return found


def ids_of(events: list[Any], aggregate: str) -> list[UUID]:
    return [e.originator_id for e in events if type(e).__qualname__.startswith(aggregate + ".")]


def test_a_second_load_is_refused_and_adds_nothing(app):
    before = app.recorder.max_notification_id()
    with pytest.raises(Conflict):
        load_demo(app)
    assert app.recorder.max_notification_id() == before


# --- visit feedback and self-assessments ------------------------------------------------


def test_every_peer_review_visit_is_recorded_with_who_came_and_the_feedback(app, events):
    held = {(e.held_on, frozenset(e.attendee_ids)) for e in of_type(events, Workshop.Held)
            if e.kind is WorkshopKind.PEER_REVIEW_VISIT}
    visits = app.views.visits.for_team(None, everything=True)
    assert len(visits) == 30
    assert {(v["visited_on"], frozenset(UUID(a) for a in v["attendee_ids"]))
            for v in visits} == held
    for summary in visits:
        visit = app.views.visits.one(summary["id"])
        assert 2 <= len(visit["areas_for_improvement"]) <= 4
        assert visit["strengths"] and "NLCA" in visit["data_discussed"]
    words = " ".join(a["text"] for v in visits
                     for a in app.views.visits.one(v["id"])["areas_for_improvement"])
    assert "CT-guided biopsy" in words or "CNS" in words


def test_a_few_areas_for_improvement_became_the_hosts_draft_qips(app, events):
    drafted = of_type(events, Visit.QipDrafted)
    assert 1 <= len(drafted) <= 3
    for link in drafted:
        qip = app.views.library.qip(str(link.qip_id), viewer_team_id=None, organiser=True)
        assert qip is not None and qip["status"] == "draft"
        assert app.views.visits.from_qip(str(link.qip_id))["text"] == qip["title"]


def test_active_qips_have_self_assessments_by_several_members_over_time(app, events):
    made = of_type(events, Assessment.Made)
    by_qip = Counter(e.qip_id for e in made)
    shared, _ = app.views.library.qips(viewer_team_id=None, status="active", limit=1000)
    assert len(set(by_qip) & {UUID(q["id"]) for q in shared}) >= len(shared) / 2
    busiest = app.views.self_assessments.results(str(by_qip.most_common(1)[0][0]))
    assert len(busiest["assessments"]) >= 2  # a trend, not one snapshot
    assert len({e.assessed_by for e in made if e.qip_id == by_qip.most_common(1)[0][0]}) >= 2
    levels = [level for e in made for level in e.levels.values()]
    assert set(levels) == {1, 2, 3, 4}  # a spread of views
    assert all(FUNDING_END.year - 2 <= e.assessed_on.year and e.assessed_on <= LAST_DAY
               for e in made)


# --- what else a member finds on a plan, and the organisers' queue ------------------------


def test_some_plans_have_values_put_right_changes_marked_and_documents(app, events):
    corrected = of_type(events, Qip.ValueCorrected)
    withdrawn = of_type(events, Qip.ValueWithdrawn)
    marked = of_type(events, Qip.ChangeMarked)
    attached = of_type(events, Qip.DocumentAttached)
    assert corrected and withdrawn and marked and attached
    assert all(e.reason for e in corrected + withdrawn)
    qip = app.views.library.qip(str(marked[0].originator_id), viewer_team_id=None,
                                organiser=True)
    assert qip["change_marks"] and qip["change_marks"][0]["description"]
    for document in attached:
        assert app.document_content(document.sha256)  # the bytes are stored beside the log


def test_members_asked_to_be_introduced_and_the_latest_still_wait(app, events):
    asked = [e for e in of_type(events, FollowUp.Requested) if e.about_member_id]
    assert len(asked) >= 3
    follow_ups = [app.follow_up(e.originator_id) for e in asked]
    introduced = [f for f in follow_ups if f.status is FollowUpStatus.CLOSED]
    waiting = [f for f in follow_ups if f.status is FollowUpStatus.REQUESTED]
    assert introduced and waiting
    facilitated = {(c.from_member_id, c.to_member_id) for c in of_type(events, Contact.Made)
                   if c.facilitated}
    assert all((f.requested_by, f.about_member_id) in facilitated for f in introduced)


# --- questions and answers ----------------------------------------------------------------


def test_the_year_after_the_funding_end_has_questions_some_unanswered_some_accepted(app):
    asked, total = app.views.questions.questions(limit=1000)
    assert total >= 35
    assert all(FUNDING_END < q["asked_on"] <= LAST_DAY for q in asked)
    unanswered = [q for q in asked if q["answer_count"] == 0]
    accepted = [q for q in asked if q["accepted_count"]]
    assert 0.1 <= len(unanswered) / total <= 0.3
    assert 0.35 <= len(accepted) / total <= 0.65
    waits = [(q["first_answered_on"] - q["asked_on"]).days for q in asked
             if q["first_answered_on"]]
    assert min(waits) <= 1 and max(waits) >= 14  # some the next day, some after weeks
    figures = app.views.questions.answer_times(LAST_DAY)
    assert figures["questions"] == total and figures["unanswered"] == len(unanswered)


def test_answers_come_from_other_teams_whose_roles_cover_the_question(app, team_of):
    asked, _ = app.views.questions.questions(limit=1000)
    for listed in asked:
        question = app.views.questions.question(listed["id"])
        assert question is not None
        for answer in question["answers"]:
            assert team_of[answer["posted_by"]] != team_of[question["asked_by"]]
            assert answer["counts"] and answer["body_html"].startswith("<p>")


def test_askers_invite_follow_edit_and_a_report_is_dismissed(app, events):
    assert len(of_type(events, Question.MembersInvited)) >= 3
    assert len(of_type(events, Question.Followed)) >= 3
    assert of_type(events, Question.Edited)
    assert len(of_type(events, Report.Dismissed)) == len(of_type(events, Report.Filed)) == 1
    assert app.views.questions.open_reports() == []


def test_the_participant_has_questions_to_answer_and_follows_one_with_a_new_answer(app):
    members, _ = app.views.directory.members(limit=10_000)
    me = next(m for m in members if m["email"] == PARTICIPANT_EMAIL)
    could = questions_i_could_answer(app.views, me["id"])
    assert len(could) >= 3 and all(q["answer_count"] == 0 for q in could)
    assert any(me["id"] in q["invited"] for q in could)  # one asker invited her
    followed = [app.views.questions.question(q) for q in app.views.questions.followed_by(me["id"])]
    latest = max(a["posted_on"] for q in followed if q for a in q["answers"])
    assert (LAST_DAY - latest).days <= 14
    kinds = {n["kind"] for n in app.views.notifications.for_member(me["id"], limit=50)[0]}
    assert {"question_answered", "question_invited", "question_in_followed"} <= kinds
