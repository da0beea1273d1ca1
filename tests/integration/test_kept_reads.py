"""What the views keep so that reads stay fast on a national community (issue 14)
answers as the facts do, on each real store: the counterpart ranking's network
after a profile changes, and the sustainability roll-ups "as of" any day."""

from __future__ import annotations

from datetime import date

import pytest

from community import Community
from config.indicators import default_indicators
from projections.counterparts import counterparts_for
from tests.builders import SmallNetwork, add_activity_around_the_funding_end, small_network


@pytest.fixture
def net(app: Community) -> SmallNetwork:
    return small_network(app)


def test_a_changed_profile_shows_in_the_next_ranking(app: Community, net: SmallNetwork) -> None:
    [(row, before)] = counterparts_for(app.views, str(net.nurse))
    assert row["id"] == str(net.other_nurse)
    assert not any("ebus" in reason for reason in before.reasons)

    app.update_profile(net.nurse, by=net.nurse, expertise=["nurse-led clinics", "ebus"])

    [(_, after)] = counterparts_for(app.views, str(net.nurse))
    assert "Shares your interest in ebus, nurse-led clinics" in after.reasons
    assert after.score == before.score + 8


def test_a_contact_shows_in_the_next_ranking(app: Community, net: SmallNetwork) -> None:
    counterparts_for(app.views, str(net.nurse))
    app.make_contact(by=net.nurse, to_member_id=net.other_nurse, topic="Clinics",
                     made_on="2012-02-10")

    [(_, suggestion)] = counterparts_for(app.views, str(net.nurse))
    assert "You have been in contact before" in suggestion.reasons


def test_a_member_who_stops_agreeing_to_be_contacted_is_no_longer_suggested(
        app: Community, net: SmallNetwork) -> None:
    assert counterparts_for(app.views, str(net.nurse))

    app.update_profile(net.other_nurse, by=net.other_nurse, consents_to_contact=False)

    assert counterparts_for(app.views, str(net.nurse)) == []


def test_the_report_as_of_a_day_in_the_middle_of_a_month_counts_up_to_that_day(
        app: Community, net: SmallNetwork) -> None:
    add_activity_around_the_funding_end(app, net)  # contacts 10 Feb, 20 Feb, 5 Mar, 3 May

    def february(as_of: date) -> dict[str, int]:
        report = app.views.sustainability.report(as_of=as_of)
        return next(m for m in report["months"] if m["month"] == "2012-02")

    assert february(date(2012, 2, 15))["contacts"] == 1
    assert february(date(2012, 2, 20))["contacts"] == 2
    mid_march = app.views.sustainability.report(as_of=date(2012, 3, 4))
    assert mid_march["before"]["contacts"] == 2
    assert mid_march["before"]["last_month"] == "2012-02"
    assert mid_march["after"]["contacts"] == 0


def test_contacts_either_side_of_the_funding_end_count_on_their_side_even_when_recorded_late(
        app: Community, net: SmallNetwork) -> None:
    app.make_contact(by=net.nurse, to_member_id=net.other_nurse, topic="Before",
                     made_on="2012-03-30")
    app.make_contact(by=net.lead, to_member_id=net.other_nurse, topic="After",
                     made_on="2012-04-02")
    # A contact recorded late, dated in a month already rolled up.
    app.make_contact(by=net.lead, to_member_id=net.other_nurse, topic="Late",
                     made_on="2012-03-01")

    report = app.views.sustainability.report()
    before, after = report["before"], report["after"]
    assert (before["contacts"], before["active_members"], before["active_teams"]) == (2, 3, 2)
    assert (after["contacts"], after["active_members"], after["active_teams"]) == (1, 2, 2)
    march = next(m for m in report["months"] if m["month"] == "2012-03")
    assert (march["contacts"], march["active_members"], march["active_teams"]) == (2, 3, 2)


def test_a_funding_end_in_the_middle_of_a_month_splits_that_month_to_the_day(
        app: Community) -> None:
    app.start_programme(name="ILCOP", funding_ends_on="2012-03-15",
                        indicators=default_indicators())
    team = app.register_team(name="Northshire lung cancer MDT", trust="Northshire NHS Trust",
                             region="North West", latitude=53.5, longitude=-2.3, caseload=320)
    other = app.register_team(name="Southmoor lung cancer MDT", trust="Southmoor NHS Trust",
                              region="South West", latitude=50.7, longitude=-3.5, caseload=280)
    nina = app.join(email="nina@northshire.nhs.uk", name="Nina Nurse",
                    role="lung_cancer_nurse_specialist", team_id=team)
    sara = app.join(email="sara@southmoor.nhs.uk", name="Sara South",
                    role="lung_cancer_nurse_specialist", team_id=other)
    liam = app.join(email="liam@northshire.nhs.uk", name="Liam Lead", role="clinical_lead",
                    team_id=team)
    for by, made_on in ((nina, "2012-02-01"), (nina, "2012-03-10"), (liam, "2012-03-15"),
                        (liam, "2012-03-16"), (nina, "2012-04-02")):
        app.make_contact(by=by, to_member_id=sara, topic="Clinics", made_on=made_on)

    report = app.views.sustainability.report()
    before, after = report["before"], report["after"]
    assert (before["contacts"], before["active_members"]) == (3, 3)
    assert (before["first_month"], before["last_month"]) == ("2012-02", "2012-03")
    assert (after["contacts"], after["active_members"]) == (2, 3)
    assert (after["first_month"], after["last_month"]) == ("2012-03", "2012-04")
    # As of the 16th, after the funding end: one contact after it, by Liam, to Sara.
    as_of = app.views.sustainability.report(as_of=date(2012, 3, 16))["after"]
    assert (as_of["contacts"], as_of["active_members"], as_of["active_teams"]) == (1, 2, 2)
