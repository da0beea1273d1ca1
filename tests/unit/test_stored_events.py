"""Every event survives being written to the store and read back: dates, enums,
measures and ids come back as the same values, not as strings or dicts."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate, AggregateEvent
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, Mapper, UUIDAsHex

import domain
from community import transcodings
from domain.contact import Contact
from domain.follow_up import FollowUp
from domain.ids import EmailIndexEntry, team_id_for
from domain.member import Member, NotificationSettings
from domain.message import Message
from domain.pairing import Pairing
from domain.programme import Programme
from domain.qip import Measure, Qip
from domain.question import Answer, Question, Report
from domain.sustainability_model import Assessment, SustainabilityModel
from domain.team import Team
from domain.values import ContactChannel, Direction, KeyArea, Obstacle, Role
from domain.visit import Visit
from domain.workshop import Workshop


def domain_aggregates() -> set[type[Aggregate]]:
    """Every aggregate class in the domain package, so a new one cannot slip past."""
    found: set[type[Aggregate]] = set()
    for module in pkgutil.iter_modules(domain.__path__):
        for value in vars(importlib.import_module(f"domain.{module.name}")).values():
            if isinstance(value, type) and issubclass(value, Aggregate) and value is not Aggregate \
                    and value.__module__.startswith("domain."):
                found.add(value)
    return found


AGGREGATES = domain_aggregates()


def community_mapper() -> Mapper:
    """Built as the Community application builds its own."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    transcodings.register(transcoder)
    return Mapper(transcoder=transcoder)


def event_classes(aggregate: type[Aggregate]) -> set[type]:
    """The events an aggregate records: its own named classes, not the ``Event`` and
    ``Created`` that ``eventsourcing`` gives every aggregate."""
    return {v for name, v in vars(aggregate).items()
            if isinstance(v, type) and issubclass(v, AggregateEvent)
            and name not in {"Event", "Created"}}


def a_life_of_every_aggregate() -> list[Aggregate]:
    nina, sara = uuid4(), uuid4()
    north = team_id_for("Northshire")
    programme = Programme.start(name="ILCOP", funding_ends_on="2012-03-31")
    programme.define_indicator(key="cns_seen", name="Seen by a CNS", national=None, standard=80)
    team = Team.register(name="Northshire", trust="Northshire NHS Trust", region="North West",
                         latitude=53.5, longitude=-2.3, caseload=320)
    team.record_audit(year=2011, results={"cns_seen": 61.5}, indicators=["cns_seen"])
    team.set_meeting_day("wednesday")
    member = Member.join(email="nina@northshire.nhs.uk", name="Nina", role="oncologist",
                         team_id=north, expertise=["ebus"], password_hash=None)
    member.set_password("hashed")
    member.update_profile(role="clinical_lead", expertise=[], consents_to_contact=False,
                          help_with="Setting up nurse-led follow-up clinics",
                          clinic_days=["thursday", "tuesday"],
                          contact_channels=["phone", "email"], phone="+44 161 555 0101")
    told = NotificationSettings.start(nina)
    told.choose_emails(["changes_requested", "event_planned"], chosen_on="2012-02-01")
    told.read([str(uuid4())])
    told.choose_follows(key_areas=["cns_access"], team_ids=[north])
    told.choose_digest("daily", chosen_on="2012-02-02")
    contact = Contact.make(from_member_id=nina, to_member_id=sara, topic="EBUS",
                           facilitated=True, made_on="2012-02-10", channel="phone")
    pairing = Pairing.pair(first_team_id=north, second_team_id=team_id_for("Southmoor"),
                           paired_on="2010-02-01", round=2)
    workshop = Workshop.hold(kind="peer_review_visit", title="Visit", held_on="2011-10-01",
                             attendee_ids=[nina, sara], organiser_id=uuid4())
    planned = Workshop.plan(kind="online_conference", title="Conference", starts_on="2012-05-02",
                            link="https://meet.example.nhs.uk/c", agenda="Welcome",
                            organiser_id=sara)
    planned.register(nina, on=date(2012, 4, 1))
    planned.register(sara, on=date(2012, 4, 1))
    planned.cancel_registration(sara, on=date(2012, 4, 2))
    planned.attach_material(document_id="m1", title="Slides", name="slides.pdf",
                            content_type="application/pdf", size=10, sha256="1" * 64, by=sara,
                            attached_on="2012-04-03")
    planned.record_attendance([nina], by=sara, on=date(2012, 5, 2))
    qip = Qip.draft(team_id=north, owner_id=nina, title="CNS access", key_area="cns_access",
                    measures=[{"name": "Seen", "baseline": 61, "target": 80}])
    qip.revise(aim="80% of patients seen by a CNS by March 2013", timeframe="2013",
               key_area="diagnostics", owner_id=sara, obstacles=["staffing", "it"],
               changes=[{"title": "Nurse at clinic", "cycles": [{"plan": "Try Tuesdays"}]}],
               member_ids=[nina], by=nina, revised_on="2012-02-01",
               measures=[{"name": "Seen", "baseline": 61, "target": 85, "direction": "down",
                          "definition": "Seen by a CNS, of all diagnosed"}])
    qip.submit(by=nina, submitted_on="2012-02-10")
    qip.review(by=sara, reviewed_on="2012-02-12", accept=False, comments={"aim": "How much?"})
    qip.submit(by=nina, submitted_on="2012-02-15")
    qip.review(by=sara, reviewed_on="2012-02-20", accept=True)
    qip.record_progress(measure="Seen", recorded_on="2012-04-10", value=70, by=nina)
    qip.record_progress(measure="Seen", recorded_on="2012-05-10", value=7, by=nina)
    qip.correct_value(measure="Seen", recorded_on="2012-05-10", value=71, reason="Typo",
                      by=nina, corrected_on="2012-05-11")
    qip.withdraw_value(measure="Seen", recorded_on="2012-04-10", reason="Wrong month",
                       by=nina, withdrawn_on="2012-05-11")
    qip.mark_change(measure="Seen", changed_on="2012-04-01", description="New clinic", by=nina)
    qip.unmark_change(measure="Seen", changed_on="2012-04-01", by=nina)
    qip.attach_document(document_id="d1", title="Business case", kind="business_case",
                        name="case.pdf", content_type="application/pdf", size=10,
                        sha256="0" * 64, by=nina, attached_on="2012-04-11")
    qip.complete(by=nina, completed_on="2012-12-01", note="Done")
    follow_up = FollowUp.request(requested_by=nina, kind="introduction", reason="Meet Sara",
                                 requested_on="2012-05-01", to_organisers=True,
                                 about_member_id=sara)
    follow_up.answer(by=sara, message="Happy to", answered_on="2012-05-02")
    follow_up.accept(by=sara, proposed_date="2012-06-01", message="Come", answered_on="2012-05-02")
    follow_up.close(by=nina, closed_on="2012-05-03")
    model = SustainabilityModel.adopt(name="Model", source="test", factors=[{
        "key": "adaptability", "domain": "process", "name": "Adaptability",
        "question": "Can it adapt?", "levels": ["a", "b", "c", "d"],
        "weights": [0.7, 2.1, 3.9, 7.0]}])
    model.correct_weights(weights={"adaptability": [1, 2, 4, 8]}, source="sheet")
    assessment = Assessment.make(model=model, qip_id=qip.id, team_id=north, assessed_by=nina,
                                 levels={"adaptability": 3}, assessed_on="2013-05-01")
    stopped = Qip.draft(team_id=north, owner_id=nina, title="Stopped", key_area="cns_access")
    stopped.stop(by=nina, stopped_on="2012-06-01", reason="The post was frozen")
    message = Message.propose(key="nudge:qip:1:2013-06-01", to_member_id=nina, to_name="Nina",
                              to_email="nina@northshire.nhs.uk", subject="How is it going?",
                              body="Dear Nina", reason="Quiet for 90 days", proposed_on="2013-06-01")
    message.edit(by=sara, subject="Your CNS QIP", body="Dear Nina,\n\nHow is it going?")
    message.claim(by=sara)
    message.mark_failed(error="connection refused", failed_on=date(2013, 6, 1))
    message.claim(by=None)
    message.mark_sent(sent_on=date(2013, 6, 2))
    dropped = Message.propose(key="nudge:qip:2:2013-06-01", to_member_id=sara, to_name="Sara",
                              to_email="sara@southmoor.nhs.uk", subject="Hello", body="Hi",
                              reason="Quiet", proposed_on="2013-06-01")
    dropped.discard(by=nina, reason="Spoke to her", discarded_on="2013-06-02")
    declined = FollowUp.request(requested_by=nina, kind="call", reason="Talk", team_id=north,
                                requested_on="2012-05-01")
    declined.decline(by=sara, reason="Not this year", answered_on="2012-05-02")
    visit = Visit.record(host_team_id=north, visiting_team_id=team_id_for("Southmoor"),
                         visited_on="2011-10-12", attendee_ids=[nina, sara], pairing_id=pairing.id)
    visit.give_feedback(areas_for_improvement=["Data"], strengths=["Clinic"],
                        data_discussed="NLCA", by=sara, given_on="2011-10-20")
    visit.qip_drafted_from(area=0, qip_id=qip.id)
    question = Question.ask(title="Nurse-led EBUS follow-up?", body="Anyone running one?",
                            key_areas=["diagnostics"], tags=["ebus"], asked_by=nina,
                            asked_on="2012-06-01", qip_id=qip.id, mentioned_ids=[sara])
    question.edit(by=nina, title="Nurse-led EBUS follow-up clinics?", body="Anyone?",
                  key_areas=["diagnostics", "cns_access"], tags=["ebus"], edited_on="2012-06-02")
    question.follow(sara)
    question.unfollow(sara)
    question.invite([sara], by=nina, invited_on="2012-06-02")
    question.hide(by=sara, reason="Duplicate", hidden_on="2012-06-03")
    answer = Answer.post(question=Question.ask(title="Q", body="B", key_areas="diagnostics",
                                               asked_by=nina, asked_on="2012-06-01"),
                         body="We do, on Tuesdays", posted_by=sara, posted_on="2012-06-02")
    answer.edit(by=sara, body="We do, on Tuesdays and Fridays", edited_on="2012-06-03")
    answer.accept(by=nina, accepted_on="2012-06-04")
    answer.hide(by=None, reason="Abusive", hidden_on="2012-06-05")
    report = Report.file(post_id=answer.id, question_id=question.id, reported_by=nina,
                         reason="Rude", reported_on="2012-06-04")
    report.dismiss(by=sara, dismissed_on="2012-06-05", note="Not rude")
    return [programme, team, member, told, contact, pairing, workshop, planned, qip, stopped,
            follow_up, declined, visit, message, dropped, model, assessment, question, answer,
            report, EmailIndexEntry.claim(entry_id=uuid4(), member_id=member.id)]


def recorded_events() -> list[Any]:
    return [e for aggregate in a_life_of_every_aggregate() for e in aggregate.collect_events()]


def test_the_stories_below_record_every_kind_of_event_the_domain_has() -> None:
    recorded = {type(e) for e in recorded_events()}

    assert recorded == set().union(*(event_classes(a) for a in AGGREGATES))


@pytest.mark.parametrize("event", recorded_events(), ids=lambda e: type(e).__qualname__)
def test_an_event_stored_and_read_back_equals_the_original(event: Any) -> None:
    mapper = community_mapper()

    stored = mapper.to_stored_event(event)
    read_back = mapper.to_domain_event(stored)

    assert type(read_back) is type(event)
    assert read_back == event


def test_dates_enums_and_measures_are_stored_as_plain_readable_json() -> None:
    mapper = community_mapper()
    by_type = {type(e): e for e in recorded_events()}

    revised = json.loads(mapper.to_stored_event(by_type[Qip.Revised]).state)
    shared = json.loads(mapper.to_stored_event(by_type[Qip.Shared]).state)

    assert "diagnostics" in json.dumps(revised["changes"]["key_area"])
    assert "down" in json.dumps(revised["changes"]["measures"])
    assert "2012-02-20" in json.dumps(shared["shared_on"])


def test_read_back_values_have_their_own_types_not_strings() -> None:
    mapper = community_mapper()
    by_type = {type(e): mapper.to_domain_event(mapper.to_stored_event(e))
               for e in recorded_events()}

    revised = by_type[Qip.Revised]
    assert revised.changes["key_area"] is KeyArea.DIAGNOSTICS
    assert revised.changes["measures"] == [Measure(name="Seen", unit="", baseline=61.0,
                                                   target=85.0, direction=Direction.DOWN,
                                                   definition="Seen by a CNS, of all diagnosed")]
    assert revised.changes["obstacles"] == [Obstacle.STAFFING, Obstacle.IT]
    assert by_type[Member.ProfileUpdated].role is Role.CLINICAL_LEAD
    assert by_type[Member.ProfileUpdated].contact_channels == [ContactChannel.EMAIL,
                                                               ContactChannel.PHONE]
    assert by_type[Member.ProfileUpdated].clinic_days == ["tuesday", "thursday"]
    assert by_type[Contact.Made].made_on == date(2012, 2, 10)
    assert type(by_type[Contact.Made].made_on) is date


def test_an_aggregate_rebuilt_from_read_back_events_has_the_same_state() -> None:
    mapper = community_mapper()
    for original in a_life_of_every_aggregate():
        events = [mapper.to_domain_event(mapper.to_stored_event(e))
                  for e in original.collect_events()]
        rebuilt = None
        for e in events:
            rebuilt = e.mutate(rebuilt)

        assert vars(rebuilt) == vars(original), type(original).__name__
