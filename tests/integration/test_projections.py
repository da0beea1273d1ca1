"""Commands go in, the views show the rows a member or organiser must see.
Every test runs on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from community import Community
from domain.errors import Invalid
from projections.counterparts import counterparts_for
from tests.integration.network import CNS, CNS_SEEN, Network, add_activity, build_network, draft_ready_qip


@pytest.fixture
def net(app: Community) -> Network:
    return build_network(app)


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in rows]


# --- the network directory -------------------------------------------------------


def test_the_directory_shows_a_member_with_team_trust_region_role_and_expertise(
        app: Community, net: Network) -> None:
    sara = app.views.directory.member(str(net.other_nurse))

    assert sara is not None
    assert {k: sara[k] for k in ("name", "email", "team", "trust", "region", "role",
                                 "expertise", "consents_to_contact", "is_organiser")} == {
        "name": "Sara South", "email": "sara.south@southmoor.nhs.uk",
        "team": "Southmoor lung cancer MDT", "trust": "Southmoor NHS Foundation Trust",
        "region": "South West", "role": CNS, "expertise": ["ebus", "nurse-led clinics"],
        "consents_to_contact": True, "is_organiser": False}


def test_an_organiser_is_listed_without_a_team(app: Community, net: Network) -> None:
    olive = app.views.directory.member(str(net.organiser))

    assert olive is not None
    assert (olive["team"], olive["region"], olive["is_organiser"]) == (None, None, True)


def test_a_member_can_log_in_only_once_a_password_is_set(app: Community,
                                                         net: Network) -> None:
    directory = app.views.directory
    before = directory.member(str(net.lead))
    app.set_password(net.lead, "another long password")
    after = directory.member(str(net.lead))

    assert before is not None and before["can_log_in"] is False
    assert after is not None and after["can_log_in"] is True


def test_each_team_shows_how_many_members_it_has(app: Community, net: Network) -> None:
    app.join(email="pat.path@southmoor.nhs.uk", name="Pat Path", role="pathologist",
             team_id=net.south)

    counts = {t["name"]: t["member_count"] for t in app.views.directory.teams()}

    assert counts == {"Eastwick lung cancer MDT": 0, "Northshire lung cancer MDT": 2,
                      "Southmoor lung cancer MDT": 2}


def test_each_team_shows_its_latest_audit_year_even_when_an_older_one_came_later(
        app: Community, net: Network) -> None:
    teams = {t["name"]: t for t in app.views.directory.teams()}
    north = app.views.directory.team(str(net.north))

    assert teams["Northshire lung cancer MDT"]["latest_audit_year"] == 2011
    assert teams["Northshire lung cancer MDT"]["latest_audit"] == {"cns_seen": 61.0,
                                                                   "histology": 70.5}
    assert teams["Southmoor lung cancer MDT"]["latest_audit"] == {"cns_seen": 93.0}
    assert teams["Eastwick lung cancer MDT"]["latest_audit"] == {}
    assert north is not None and north["audits"] == {2010: {"cns_seen": 50.0},
                                                     2011: {"cns_seen": 61.0, "histology": 70.5}}


def test_an_audit_year_recorded_again_replaces_that_years_results(app: Community,
                                                                   net: Network) -> None:
    app.record_audit(net.north, year=2011, results={"histology": 75.0})

    north = app.views.directory.team(str(net.north))

    assert north is not None and north["latest_audit"] == {"histology": 75.0}


def test_indicators_are_listed_in_the_order_they_were_defined_with_their_figures(
        app: Community, net: Network) -> None:
    app.define_indicator(key="cns_seen", name="Seen by a CNS", standard=85)

    assert app.views.directory.indicators() == [
        {"key": "cns_seen", "name": "Seen by a CNS", "national": None, "standard": 85.0,
         "position": 0},
        {"key": "histology", "name": "Histological or cytological confirmation",
         "national": 68.0, "standard": 75.0, "position": 1}]


def search(app: Community, **filters: str) -> list[str]:
    found, total = app.views.directory.members(**filters)
    assert total == len(found)
    return names(found)


def test_the_directory_search_finds_members_by_name_team_trust_or_expertise(
        app: Community, net: Network) -> None:
    assert search(app) == ["Liam Lead", "Nina Nurse", "Olive Organiser", "Sara South"]
    # "nurse" is in Nina's name and in the tag "nurse-led clinics" Sara has.
    assert search(app, q="nurse") == ["Nina Nurse", "Sara South"]
    assert search(app, q="SOUTHMOOR") == ["Sara South"]
    assert search(app, q="hospitals") == ["Liam Lead", "Nina Nurse"]
    assert search(app, q="ebus") == ["Sara South"]
    assert search(app, q="nurse northshire") == ["Nina Nurse"]  # every word must match
    assert search(app, q="radiology") == []


def test_the_directory_search_filters_by_role_team_and_region(app: Community,
                                                              net: Network) -> None:
    assert search(app, role=CNS) == ["Nina Nurse", "Sara South"]
    assert search(app, role=CNS, region="North West") == ["Nina Nurse"]
    assert search(app, region="South West") == ["Sara South"]
    assert search(app, team_id=str(net.north)) == ["Liam Lead", "Nina Nurse"]
    assert search(app, team_id=str(net.east)) == []
    assert search(app, role="organiser", q="olive") == ["Olive Organiser"]


def test_the_directory_pages_through_members_and_always_counts_them_all(
        app: Community, net: Network) -> None:
    first, first_total = app.views.directory.members(limit=3, offset=0)
    second, second_total = app.views.directory.members(limit=3, offset=3)

    assert names(first) == ["Liam Lead", "Nina Nurse", "Olive Organiser"]
    assert names(second) == ["Sara South"]
    assert first_total == second_total == 4


def test_a_profile_update_shows_in_the_directory_and_its_search(app: Community,
                                                               net: Network) -> None:
    app.update_profile(net.lead, by=net.lead, role="oncologist", expertise=["Radiotherapy"],
                       consents_to_contact=False)

    liam = app.views.directory.member(str(net.lead))
    found, _ = app.views.directory.members(q="radiotherapy")

    assert liam is not None
    assert (liam["role"], liam["expertise"], liam["consents_to_contact"]) == (
        "oncologist", ["radiotherapy"], False)
    assert names(found) == ["Liam Lead"]


def test_counterparts_are_members_of_other_teams_who_agreed_same_role_first(
        app: Community, net: Network) -> None:
    app.join(email="ross.rad@southmoor.nhs.uk", name="Ross Rad", role="radiologist",
             team_id=net.south)
    app.join(email="quiet@eastwick.nhs.uk", name="Quinn Quiet", role=CNS, team_id=net.east,
             consents_to_contact=False)

    found = counterparts_for(app.views, str(net.nurse))

    assert [row["name"] for row, _ in found] == ["Sara South", "Ross Rad"]
    assert "Shares your interest in nurse-led clinics" in found[0][1].reasons


def test_a_counterpart_says_what_the_member_already_shares_with_them(
        app: Community, net: Network) -> None:
    """Contacts either way, the peer-review pair (either side of it) and the latest
    workshop attended together reach the ranking's reasons (Network.history_of)."""
    app.join(email="ross.rad@southmoor.nhs.uk", name="Ross Rad", role="radiologist",
             team_id=net.south)
    west = app.register_team(name="Westfold lung cancer MDT", trust="Westfold NHS Trust",
                             region="South West", latitude=50.9, longitude=-4.1, caseload=90)
    walt = app.join(email="walt.west@westfold.nhs.uk", name="Walt West", role="radiologist",
                    team_id=west)
    # Southmoor paired Northshire as the pair's first team: either side is a pair.
    app.pair_teams(by=None, first_team_id=net.south, second_team_id=net.north,
                   paired_on="2011-01-10")
    # Sara wrote to Nina (not the other way).
    app.make_contact(by=net.other_nurse, to_member_id=net.nurse, topic="EBUS waits",
                     made_on="2012-02-10")
    # Nina met Walt at two workshops: the later is named, recorded first or not.
    app.hold_workshop(by=None, kind="national_workshop", title="Spring workshop",
                      held_on="2012-04-20", attendee_ids=[net.nurse, walt])
    app.hold_workshop(by=None, kind="national_workshop", title="Winter workshop",
                      held_on="2011-12-01", attendee_ids=[net.nurse, walt, net.lead])
    # Liam and Walt met at one without her: not hers to name.
    app.hold_workshop(by=None, kind="online_conference", title="Online conference",
                      held_on="2012-05-01", attendee_ids=[net.lead, walt])

    found = {row["name"]: suggestion.reasons
             for row, suggestion in counterparts_for(app.views, str(net.nurse))}

    assert "You have been in contact before" in found["Sara South"]
    assert "Their team is your peer-review pair" in found["Sara South"]
    assert "Their team is your peer-review pair" in found["Ross Rad"]
    assert "You have been in contact before" not in found["Ross Rad"]
    assert "You were both at Spring workshop (April 2012)" in found["Walt West"]
    assert not any("both at" in r for r in found["Sara South"] + found["Ross Rad"])
    assert "Their team is your peer-review pair" not in found["Walt West"]


# --- the QIP library -------------------------------------------------------------


def qip_titles(app: Community, viewer: UUID | None) -> list[str]:
    found, total = app.views.library.qips(viewer_team_id=str(viewer) if viewer else None)
    assert total == len(found)
    return [q["title"] for q in found]


def test_a_shared_qip_is_seen_by_everyone_and_a_draft_only_by_its_own_team(
        app: Community, net: Network) -> None:
    shared = draft_ready_qip(app, net.nurse, title="A shared plan")
    app.share_qip(shared, by=net.nurse, shared_on="2012-02-20")
    draft = app.draft_qip(by=net.other_nurse, title="Southmoor's draft", key_area="diagnostics")

    assert qip_titles(app, None) == ["A shared plan"]
    assert qip_titles(app, net.north) == ["A shared plan"]
    assert qip_titles(app, net.south) == ["A shared plan", "Southmoor's draft"]
    assert app.views.library.qip(str(draft), viewer_team_id=str(net.north)) is None
    mine = app.views.library.qip(str(draft), viewer_team_id=str(net.south))
    assert mine is not None and mine["status"] == "draft" and mine["team"] == (
        "Southmoor lung cancer MDT")


def test_a_shared_qip_shows_its_plan_team_and_day_shared(app: Community, net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.share_qip(qip, by=net.nurse, shared_on="2012-02-20")

    found = app.views.library.qip(str(qip), viewer_team_id=None)

    assert found is not None
    assert {k: found[k] for k in ("title", "key_area", "aim", "timeframe", "status", "owner_id",
                                  "team", "region", "shared_on", "version")} == {
        "title": "More patients seen by a CNS", "key_area": "cns_access",
        "aim": "80% of patients seen by a CNS at diagnosis by March 2013", "timeframe": "by March 2013",
        "status": "active", "owner_id": str(net.nurse), "team": "Northshire lung cancer MDT",
        "region": "North West", "shared_on": date(2012, 2, 20), "version": 3}


def test_a_measure_shows_the_progress_of_the_latest_date_not_the_latest_typed_in(
        app: Community, net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.record_progress(qip, by=net.nurse, measure="Seen by a CNS", value=70,
                        recorded_on="2012-05-01")
    app.record_progress(qip, by=net.nurse, measure="Seen by a CNS", value=60,
                        recorded_on="2012-04-01")  # a month missed, filled in late

    found = app.views.library.qip(str(qip), viewer_team_id=str(net.north))

    assert found is not None
    measure = found["measures"][0]
    assert (measure["latest_value"], measure["latest_on"]) == (70.0, date(2012, 5, 1))
    assert found["last_progress_on"] == date(2012, 5, 1)
    assert [(p["recorded_on"], p["value"]) for p in found["progress"]] == [
        (date(2012, 4, 1), 60.0), (date(2012, 5, 1), 70.0)]


def test_a_second_value_for_the_same_day_is_refused_and_the_first_kept(
        app: Community, net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.record_progress(qip, by=net.nurse, measure="Seen by a CNS", value=70,
                        recorded_on="2012-05-01")
    with pytest.raises(Invalid) as raised:
        app.record_progress(qip, by=net.nurse, measure="Seen by a CNS", value=72,
                            recorded_on="2012-05-01")

    found = app.views.library.qip(str(qip), viewer_team_id=str(net.north))

    assert "already has a value for 2012-05-01" in raised.value.fields["date"]
    assert found is not None and found["measures"][0]["latest_value"] == 70.0
    assert len(found["progress"]) == 1


def test_revised_measures_keep_the_progress_already_reported(app: Community,
                                                             net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.record_progress(qip, by=net.nurse, measure="Seen by a CNS", value=70,
                        recorded_on="2012-05-01")
    app.revise_qip(qip, by=net.lead, title="Every patient offered a CNS", measures=[
        {"name": "Days to biopsy", "baseline": 21, "target": 14, "direction": "down"},
        {**CNS_SEEN, "target": 85}])

    found = app.views.library.qip(str(qip), viewer_team_id=str(net.north))

    assert found is not None
    assert found["title"] == "Every patient offered a CNS" and found["version"] == 3
    assert [(m["name"], m["target"], m["direction"], m["latest_value"], m["latest_on"])
            for m in found["measures"]] == [
        ("Days to biopsy", 14.0, "down", None, None),
        ("Seen by a CNS", 85.0, "up", 70.0, date(2012, 5, 1))]


def test_the_library_finds_plans_by_key_area_team_status_and_words(app: Community,
                                                                    net: Network) -> None:
    first = draft_ready_qip(app, net.nurse, title="Nurse at every diagnosis")
    app.share_qip(first, by=net.nurse, shared_on="2012-02-20")
    second = app.draft_qip(by=net.other_nurse, title="Faster CT-guided biopsy",
                           key_area="pathway_waits", aim="Every biopsy done within 7 days by December 2012",
                           timeframe="2012", measures=[{"name": "Days", "baseline": 21,
                                                        "target": 7, "direction": "down"}])
    app.share_qip(second, by=net.other_nurse, shared_on="2012-03-01")
    library = app.views.library

    def titles(**filters: str) -> list[str]:
        found, total = library.qips(viewer_team_id=None, **filters)
        assert total == len(found)
        return [q["title"] for q in found]

    assert titles(key_area="pathway_waits") == ["Faster CT-guided biopsy"]
    assert titles(team_id=str(net.north)) == ["Nurse at every diagnosis"]
    assert titles(status="draft") == []
    assert titles(q="southmoor biopsy") == ["Faster CT-guided biopsy"]
    assert titles(q="diagnosis") == ["Nurse at every diagnosis"]


# --- sustainability ----------------------------------------------------------------

EMPTY = {"contacts": 0, "workshops": 0, "qips_shared": 0, "progress_reports": 0,
         "follow_ups": 0}


def month(name: str, members: int, teams: int, **counts: int) -> dict[str, object]:
    side = "before" if name <= "2012-03" else "after"  # funding ends 2012-03-31
    return {"month": name, **EMPTY, **counts, "active_members": members, "active_teams": teams,
            "side": side}


def test_activity_is_counted_per_month_by_kind_with_active_members_and_teams(
        app: Community, net: Network) -> None:
    add_activity(app, net)

    report = app.views.sustainability.report()

    assert report["programme"] == "ILCOP" and report["funding_end"] == date(2012, 3, 31)
    assert report["months"] == [
        month("2012-01", 3, 2, workshops=1),
        month("2012-02", 2, 2, contacts=1, qips_shared=1),
        month("2012-03", 2, 2, contacts=1),
        month("2012-04", 3, 2, contacts=1, progress_reports=1),
        month("2012-05", 2, 1, contacts=1),
        month("2012-06", 0, 0),  # a quiet month is shown, not skipped
        month("2012-07", 1, 1, follow_ups=1),
    ]


def test_activity_is_totalled_before_and_after_the_funding_end(app: Community,
                                                                net: Network) -> None:
    add_activity(app, net)

    report = app.views.sustainability.report()

    # A contact made on the last funded day counts as before the end.
    assert report["before"] == {**EMPTY, "contacts": 2, "workshops": 1, "qips_shared": 1,
                                "active_members": 3, "active_teams": 2,
                                "first_month": "2012-01", "last_month": "2012-03"}
    assert report["after"] == {**EMPTY, "contacts": 2, "progress_reports": 1, "follow_ups": 1,
                               "active_members": 3, "active_teams": 2,
                               "first_month": "2012-04", "last_month": "2012-07"}


def test_a_report_as_of_a_past_day_leaves_out_everything_that_happened_later(
        app: Community, net: Network) -> None:
    add_activity(app, net)

    report = app.views.sustainability.report(as_of=date(2012, 4, 5))

    assert [m["month"] for m in report["months"]] == ["2012-01", "2012-02", "2012-03", "2012-04"]
    assert report["months"][-1] == month("2012-04", 2, 2, contacts=1)
    assert report["after"] == {**EMPTY, "contacts": 1, "active_members": 2, "active_teams": 2,
                               "first_month": "2012-04", "last_month": "2012-04"}
    assert report["before"]["contacts"] == 2


def test_work_on_a_qip_counts_for_its_team_whoever_typed_it_in(app: Community,
                                                               net: Network) -> None:
    qip = draft_ready_qip(app, net.nurse)
    app.record_progress(qip, by=net.organiser, measure="Seen by a CNS", value=70,
                        recorded_on="2012-06-10")

    june = app.views.sustainability.report()["months"]

    assert june == [month("2012-06", 1, 1, progress_reports=1)]


def test_an_empty_community_reports_no_months(app: Community) -> None:
    report = app.views.sustainability.report()

    assert report["programme"] is None and report["months"] == []
    assert report["before"]["contacts"] == 0 and report["before"]["active_members"] == 0


# --- follow-ups --------------------------------------------------------------------


def test_a_follow_up_shows_its_first_answer_date_and_how_many_answers(app: Community,
                                                                      net: Network) -> None:
    asked = app.request_follow_up(by=net.other_nurse, team_id=net.north, kind="reciprocal_visit",
                                  reason="A second visit, please", requested_on="2012-04-02")
    app.answer_follow_up(asked, by=net.lead, message="Yes: May?", answered_on="2012-04-05")
    app.answer_follow_up(asked, by=net.nurse, message="Or June", answered_on="2012-04-09")

    found = app.views.follow_ups.one(str(asked))

    assert found is not None
    assert {k: found[k] for k in ("status", "requested_on", "first_answered_on", "answer_count",
                                  "team_id", "kind", "version")} == {
        "status": "answered", "requested_on": date(2012, 4, 2),
        "first_answered_on": date(2012, 4, 5), "answer_count": 2, "team_id": str(net.north),
        "kind": "reciprocal_visit", "version": 3}


def test_an_earlier_answer_entered_late_becomes_the_first_answer_date(app: Community,
                                                                     net: Network) -> None:
    asked = app.request_follow_up(by=net.other_nurse, team_id=net.north, reason="Visit",
                                  requested_on="2012-04-02")
    app.answer_follow_up(asked, by=net.nurse, message="Booked for May", answered_on="2012-04-09")
    app.answer_follow_up(asked, by=net.lead, message="(I rang Sara on the 3rd)",
                         answered_on="2012-04-03")

    found = app.views.follow_ups.one(str(asked))

    assert found is not None and found["first_answered_on"] == date(2012, 4, 3)


def test_unanswered_counts_open_requests_nobody_has_answered(app: Community,
                                                            net: Network) -> None:
    answered = app.request_follow_up(by=net.other_nurse, team_id=net.north, reason="Visit",
                                     requested_on="2012-04-02")
    app.answer_follow_up(answered, by=net.lead, message="Yes", answered_on="2012-04-03")
    app.request_follow_up(by=net.nurse, member_id=net.other_nurse, reason="Call me",
                          requested_on="2012-04-03")
    withdrawn = app.request_follow_up(by=net.nurse, to_organisers=True, reason="Intro",
                                      requested_on="2012-04-04")
    app.close_follow_up(withdrawn, by=net.nurse, closed_on="2012-04-06")
    app.request_follow_up(by=net.lead, to_organisers=True, kind="facilitator_visit",
                          reason="Revisit", requested_on="2012-04-06")

    assert app.views.follow_ups.unanswered() == 2
    closed = app.views.follow_ups.one(str(withdrawn))
    assert closed is not None and (closed["status"], closed["closed_on"]) == (
        "closed", date(2012, 4, 6))


def test_a_member_sees_the_follow_ups_they_asked_for_or_that_ask_them_or_their_team(
        app: Community, net: Network) -> None:
    to_north = app.request_follow_up(by=net.other_nurse, team_id=net.north, reason="Visit",
                                     requested_on="2012-04-02")
    to_sara = app.request_follow_up(by=net.nurse, member_id=net.other_nurse, reason="Call",
                                    requested_on="2012-04-03")
    to_organisers = app.request_follow_up(by=net.lead, to_organisers=True, reason="Intro",
                                          requested_on="2012-04-04")
    follow_ups = app.views.follow_ups

    def seen_by(member: UUID, team: UUID | None, everything: bool = False) -> list[str]:
        rows, total = follow_ups.for_member(str(member), str(team) if team else None,
                                            everything=everything)
        assert total == len(rows)
        return [r["id"] for r in rows]

    assert seen_by(net.other_nurse, net.south) == [str(to_sara), str(to_north)]
    assert seen_by(net.lead, net.north) == [str(to_organisers), str(to_north)]
    assert seen_by(net.organiser, None, everything=True) == [
        str(to_organisers), str(to_sara), str(to_north)]
