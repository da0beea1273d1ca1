"""A small, hand-made community for tests: two teams, three members, an organiser."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from community import Community
from config.indicators import default_indicators

PASSWORD = "correct horse battery"


@dataclass
class SmallNetwork:
    north: UUID
    south: UUID
    nurse: UUID      # lung cancer nurse specialist, north
    lead: UUID       # clinical lead, north
    other_nurse: UUID  # lung cancer nurse specialist, south
    organiser: UUID


def small_network(app: Community) -> SmallNetwork:
    app.start_programme(name="ILCOP", funding_ends_on="2012-03-31",
                        indicators=default_indicators())
    north = app.register_team(name="Northshire lung cancer MDT", trust="Northshire Hospitals NHS Trust",
                              region="North West", latitude=53.5, longitude=-2.3, caseload=320)
    south = app.register_team(name="Southmoor lung cancer MDT", trust="Southmoor NHS Foundation Trust",
                              region="South West", latitude=50.7, longitude=-3.5, caseload=280)
    app.record_audit(north, year=2011, results={"cns_seen": 61.0, "histology": 70.5})
    app.record_audit(south, year=2011, results={"cns_seen": 91.0, "histology": 82.0})
    return SmallNetwork(
        north=north, south=south,
        nurse=app.join(email="nina.nurse@northshire.nhs.uk", name="Nina Nurse",
                       role="lung_cancer_nurse_specialist", team_id=north, password=PASSWORD,
                       expertise=["nurse-led clinics"]),
        lead=app.join(email="liam.lead@northshire.nhs.uk", name="Liam Lead", role="clinical_lead",
                      team_id=north, password=PASSWORD),
        other_nurse=app.join(email="sara.south@southmoor.nhs.uk", name="Sara South",
                             role="lung_cancer_nurse_specialist", team_id=south,
                             password=PASSWORD, expertise=["nurse-led clinics", "ebus"]),
        organiser=app.join(email="olive.organiser@example.org", name="Olive Organiser",
                           role="organiser", is_organiser=True, password=PASSWORD),
    )


def add_activity_around_the_funding_end(app: Community, network: SmallNetwork) -> None:
    """Contacts either side of the funding end (31 March 2012), with a quiet month
    between, and an open follow-up after it."""
    for made_on in ("2012-02-10", "2012-02-20", "2012-03-05"):
        app.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                         topic="Nurse-led clinics", made_on=made_on)
    app.make_contact(by=network.lead, to_member_id=network.other_nurse,
                     topic="Audit data", made_on="2012-05-03")
    app.request_follow_up(by=network.nurse, team_id=network.south,
                          reason="Another reciprocal visit", kind="reciprocal_visit",
                          requested_on="2012-05-20")


def add_complementary_teams(community: Community, network: SmallNetwork) -> dict[str, str]:
    """Northshire and Southmoor of the small network, with Eastmoor (strong on CNS
    contact, weak on histology) and Westdale (the other way round), all far apart:
    the pairing recommender's smallest interesting case."""
    east = community.register_team(name="Eastmoor lung cancer MDT", trust="Eastmoor NHS Trust",
                                   region="East of England", latitude=52.6, longitude=1.3,
                                   caseload=300)
    west = community.register_team(name="Westdale lung cancer MDT", trust="Westdale NHS Trust",
                                   region="South West", latitude=51.45, longitude=-2.6,
                                   caseload=260)
    community.record_audit(east, year=2011, results={"cns_seen": 95.0, "histology": 62.0})
    community.record_audit(west, year=2011, results={"cns_seen": 58.0, "histology": 90.0})
    return {"north": str(network.north), "south": str(network.south), "east": str(east),
            "west": str(west)}


def searchable_questions(community: Community, network: SmallNetwork) -> dict[str, str]:
    """For search tests: Sara asks two questions on 4 March 2013; Nina answers the
    first the next day; an organiser hides the second as advertising."""
    community.posts_per_hour = None  # tests post faster than people
    asked = community.ask_question(
        by=network.other_nurse, title="Running a results clinic",
        body="Who gives the results after **bronchoscopy** in your team?",
        key_areas=["cns_access"], tags=["nurse-led clinics"], asked_on="2013-03-04")
    community.answer_question(asked, by=network.nurse, posted_on="2013-03-05",
                              body="Our nurse specialists do, the day after the MDT.")
    hidden = community.ask_question(
        by=network.other_nurse, title="Bronchoscopy lists for sale",
        body="Cheap bronchoscopy slots, call me.", key_areas=["diagnostics"],
        asked_on="2013-03-04")
    community.hide_post(hidden, by=network.organiser, reason="Advertising")
    return {"asked": str(asked), "hidden": str(hidden)}
