"""Network health on each real store: the view records acts and ties from the commands,
and "as of" a past date ignores what was recorded after it, even when it is dated
before it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import eventsourcing.domain
import pytest

from community import Community
from domain.network_activity import ActKind, TieKind
from projections.network_health import compute_report, health_report
from tests.integration.network import Network, add_activity, build_network


class Clock:
    """The events' timestamps: the day each was recorded, moved by the test."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 12, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock(date(2012, 1, 10))
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", clock)
    yield clock


def test_contacts_visits_follow_ups_and_plans_become_acts_and_ties(app: Community,
                                                                     clock: Clock) -> None:
    net = build_network(app)
    add_activity(app, net)
    app.answer_follow_up(app.views.follow_ups.for_member(str(net.lead), str(net.north))[0][0]
                         ["id"], by=net.lead, message="Yes", answered_on=date(2012, 7, 5))
    view = app.views.network_activity

    acts = view.acts_between(date(2012, 12, 31))
    ties = view.ties_between(date(2012, 12, 31))

    kinds = sorted((a.kind.value, a.day.isoformat()) for a in acts)
    assert ("contact", "2012-02-10") in kinds and ("follow_up", "2012-07-05") in kinds
    assert ("qip_work", "2012-04-10") in kinds  # the value recorded on the shared plan
    facilitated = next(a for a in acts if a.day == date(2012, 3, 31))
    assert facilitated.nudged and not facilitated.organic
    # The workshop tied its three attendees to each other; the answer tied asker and answerer.
    assert sum(t.kind is TieKind.SHARED_EVENT for t in ties) == 3
    follow_up = next(t for t in ties if t.kind is TieKind.FOLLOW_UP)
    assert {follow_up.first_member_id, follow_up.second_member_id} == {
        str(net.other_nurse), str(net.lead)}
    assert next(a for a in acts if a.kind is ActKind.QIP_WORK).team_id == str(net.north)
    # A contact's tie runs from the one who made it, which reciprocity between teams
    # reads: the nurse wrote to Southmoor first, Southmoor's nurse wrote back in April.
    contacts = [(t.first_member_id, t.second_member_id, t.day.isoformat())
                for t in ties if t.kind is TieKind.CONTACT]
    assert contacts[0] == (str(net.nurse), str(net.other_nurse), "2012-02-10")
    assert (str(net.other_nurse), str(net.nurse), "2012-04-02") in contacts


def _week_of_life(app: Community, net: Network) -> None:
    app.make_contact(by=net.nurse, to_member_id=net.other_nurse, topic="EBUS waits",
                     made_on=date(2012, 1, 5))
    app.make_contact(by=net.other_nurse, to_member_id=net.lead, topic="Trials",
                     made_on=date(2012, 1, 20))
    app.request_follow_up(by=net.nurse, member_id=net.other_nurse, kind="call",
                          reason="A call about clinics?", requested_on=date(2012, 1, 25))


def test_as_of_a_past_date_ignores_events_recorded_after_it_even_when_dated_before(
        app: Community, clock: Clock) -> None:
    net = build_network(app)
    _week_of_life(app, net)
    as_of = date(2012, 1, 31)
    clock.day = as_of
    before = compute_report(app.views.engine, as_of)

    # In February someone types in a January contact, an answer dated January, and a
    # contact from an organiser.
    clock.day = date(2012, 2, 15)
    app.make_contact(by=net.lead, to_member_id=net.nurse, topic="Audit data",
                     made_on=date(2012, 1, 28))
    app.make_contact(by=net.organiser, to_member_id=net.nurse, topic="Welcome",
                     made_on=date(2012, 1, 29))
    [request] = app.views.follow_ups.for_member(str(net.other_nurse), str(net.south))[0]
    app.answer_follow_up(request["id"], by=net.other_nurse, message="Gladly",
                         answered_on=date(2012, 1, 30))

    engine = app.views.engine
    after = compute_report(engine, as_of)
    today = compute_report(engine, date(2012, 2, 15))

    assert after == before
    assert len(app.views.network_activity.acts_between(as_of)) == 3
    assert len(app.views.network_activity.acts_between(date(2012, 2, 15))) == 6
    assert today.absence.acts == 6 and before.absence.acts == 3
    [calls, *_] = today.responsiveness
    assert calls.answered == 1 and before.responsiveness[0].answered == 0
    # Items 4, 6, 7 and 8 too: the lead's contact inside the team, the triangle it
    # closes and the acts typed in later change them today, not as of January.
    assert (before.ties_across_teams.internal, today.ties_across_teams.internal) == (0, 1)
    assert [b.id for b in before.member_brokers.brokers] == [str(net.other_nurse)]
    assert today.member_brokers.brokers[0].id == str(net.nurse)
    assert before.core is not None and today.core is not None
    assert (before.core.before.acts, today.core.before.acts) == (3, 5)
    assert before.staying is not None and today.staying is not None
    assert [c.active for c in before.staying.cohorts.cohorts] == [2]
    assert [c.active for c in today.staying.cohorts.cohorts] == [3]  # the lead joins in


def test_a_history_loaded_after_the_fact_is_read_by_its_own_dates(app: Community,
                                                                   clock: Clock) -> None:
    """Before the log's first record nothing was recorded, so "as of" then can only go
    by the days the events give (the demo is such a history)."""
    clock.day = date(2013, 6, 1)
    net = build_network(app)
    add_activity(app, net)

    report = compute_report(app.views.engine, date(2012, 3, 31))

    assert [(m.month, m.count) for m in report.organic.months][-2:] == [
        ("2012-02", 3), ("2012-03", 0)]
    assert report.dependence.quarters[-1].facilitated == 1


def test_the_report_is_kept_until_something_new_is_recorded(app: Community,
                                                            clock: Clock) -> None:
    net = build_network(app)
    _week_of_life(app, net)
    engine = app.views.engine

    first = health_report(engine, date(2012, 1, 31))
    again = health_report(engine, date(2012, 1, 31))
    app.make_contact(by=net.lead, to_member_id=net.nurse, topic="Audit data",
                     made_on=date(2012, 1, 10))
    later = health_report(engine, date(2012, 1, 31))

    assert again is first
    assert later is not first and later.absence.acts == first.absence.acts + 1


def test_another_period_on_the_same_day_keeps_the_brokers_and_gives_the_same_figures(
        app: Community, clock: Clock) -> None:
    net = build_network(app)
    _week_of_life(app, net)
    engine = app.views.engine
    as_of = date(2012, 1, 31)

    year = health_report(engine, as_of, "year")
    quarter = health_report(engine, as_of, "quarter")

    assert quarter.member_brokers is year.member_brokers  # not computed again
    assert quarter == compute_report(engine, as_of, "quarter")


def test_a_rebuild_gives_the_same_figures(app: Community, clock: Clock) -> None:
    net = build_network(app)
    add_activity(app, net)
    engine = app.views.engine
    before = compute_report(engine, date(2012, 12, 31))

    app.views.rebuild(["network_activity"])

    assert compute_report(engine, date(2012, 12, 31)) == before


def test_response_times_agree_with_the_follow_ups_and_questions_views(app: Community) -> None:
    """The figures come from the activity view (so they can be "as of"); today they are
    the ones the follow-ups inbox and the questions view report."""
    net = build_network(app)
    for asked, after in ((date(2013, 1, 7), 3), (date(2013, 2, 4), 10), (date(2013, 3, 4), 21)):
        follow_up = app.request_follow_up(by=net.nurse, member_id=net.other_nurse, kind="call",
                                          reason="A call?", requested_on=asked)
        app.answer_follow_up(follow_up, by=net.other_nurse, message="Yes",
                             answered_on=date.fromordinal(asked.toordinal() + after))
    for title, answerer in (("Who runs EBUS clinics?", net.other_nurse),
                            ("Any HNA templates?", net.lead)):  # the lead is the asker's team
        question = app.ask_question(by=net.nurse, title=title, body="Please share.",
                                    key_areas=["diagnostics"])
        app.answer_question(question, by=answerer, body="We do.")
    today = date(2013, 6, 1)

    follow_ups, _introductions, questions, _all = compute_report(
        app.views.engine, today, "all").responsiveness
    inbox = app.views.follow_ups.response_times(today)
    asked = app.views.questions.answer_times(today)

    assert follow_ups.median_days == inbox["median_days"] == 10
    assert (questions.median_days, questions.p90_days) == (asked["median_days"],
                                                           asked["p90_days"])
    assert questions.answered == asked["answered"] == 1
