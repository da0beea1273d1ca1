"""A small community built through the application's commands, with known dates,
so a test can say exactly which rows each view must show.

Three teams (Eastwick has no members yet), three clinicians and an organiser.
Funding ends on 2012-03-31. The indicators are given here, not read from the
CSV, so these stories do not change when the programme's list does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from community import Community
from config import Settings

FUNDING_ENDS_ON = date(2012, 3, 31)
INDICATORS = [
    {"key": "cns_seen", "name": "Seen by a lung cancer nurse specialist", "standard": 80},
    {"key": "histology", "name": "Histological or cytological confirmation", "national": 68,
     "standard": 75},
]
CNS = "lung_cancer_nurse_specialist"


@dataclass
class Network:
    north: UUID
    south: UUID
    east: UUID
    nurse: UUID        # Nina Nurse, CNS, Northshire
    lead: UUID         # Liam Lead, clinical lead, Northshire
    other_nurse: UUID  # Sara South, CNS, Southmoor
    organiser: UUID    # Olive Organiser, no team


def quiet_community(url: str) -> Community:
    """A Community whose views wait to be told to catch up, as with a projection worker."""
    return Community(Settings(database_url=url, secret_key="test", testing=True,
                              catch_up_after_commands=False),
                     today=lambda: date(2013, 6, 1))


def build_network(app: Community) -> Network:
    app.start_programme(name="ILCOP", funding_ends_on=FUNDING_ENDS_ON, indicators=INDICATORS)
    north = app.register_team(name="Northshire lung cancer MDT",
                              trust="Northshire Hospitals NHS Trust", region="North West",
                              latitude=53.5, longitude=-2.3, caseload=320)
    south = app.register_team(name="Southmoor lung cancer MDT",
                              trust="Southmoor NHS Foundation Trust", region="South West",
                              latitude=50.7, longitude=-3.5, caseload=280)
    east = app.register_team(name="Eastwick lung cancer MDT", trust="Eastwick NHS Trust",
                             region="East of England", latitude=52.2, longitude=0.1,
                             caseload=150)
    # Northshire's older audit year arrives after its newer one.
    app.record_audit(north, year=2011, results={"cns_seen": 61.0, "histology": 70.5})
    app.record_audit(north, year=2010, results={"cns_seen": 50.0})
    app.record_audit(south, year=2011, results={"cns_seen": 91.0, "histology": 82.0})
    app.record_audit(south, year=2012, results={"cns_seen": 93.0})
    return Network(
        north=north, south=south, east=east,
        nurse=app.join(email="nina.nurse@northshire.nhs.uk", name="Nina Nurse", role=CNS,
                       team_id=north, expertise=["nurse-led clinics"]),
        lead=app.join(email="liam.lead@northshire.nhs.uk", name="Liam Lead",
                      role="clinical_lead", team_id=north, expertise=["trials"]),
        other_nurse=app.join(email="sara.south@southmoor.nhs.uk", name="Sara South", role=CNS,
                             team_id=south, expertise=["EBUS", "nurse-led clinics"]),
        organiser=app.join(email="olive.organiser@example.org", name="Olive Organiser",
                           role="organiser", is_organiser=True),
    )


CNS_SEEN = {"name": "Seen by a CNS", "unit": "%", "baseline": 61, "target": 80}


def draft_ready_qip(app: Community, by: UUID, title: str = "More patients seen by a CNS") -> UUID:
    return app.draft_qip(by=by, title=title, key_area="cns_access",
                         aim="80% of patients seen by a CNS at diagnosis by March 2013",
                         timeframe="by March 2013", measures=[CNS_SEEN])


def add_activity(app: Community, net: Network) -> UUID:
    """A year of network life either side of the funding end; returns the shared QIP."""
    app.hold_workshop(by=None, kind="national_workshop", title="National workshop",
                      held_on="2012-01-15", attendee_ids=[net.nurse, net.lead, net.other_nurse])
    app.make_contact(by=net.nurse, to_member_id=net.other_nurse, topic="EBUS waits",
                     made_on="2012-02-10")
    qip = draft_ready_qip(app, net.nurse)
    app.share_qip(qip, by=net.nurse, shared_on="2012-02-20")
    app.make_contact(by=net.lead, to_member_id=net.other_nurse, topic="Trials",
                     made_on="2012-03-31", facilitated=True)
    app.make_contact(by=net.other_nurse, to_member_id=net.nurse, topic="Clinic templates",
                     made_on="2012-04-02")
    app.record_progress(qip, by=net.lead, measure="Seen by a CNS", value=70,
                        recorded_on="2012-04-10")
    app.make_contact(by=net.nurse, to_member_id=net.lead, topic="Audit data",
                     made_on="2012-05-20")
    app.request_follow_up(by=net.other_nurse, team_id=net.north, kind="reciprocal_visit",
                          reason="A second visit, please", requested_on="2012-07-01")
    return qip


def add_crowd(app: Community, net: Network, *, members: int, contacts: int) -> dict[UUID, int]:
    """Many members joining the three teams and contacting each other; returns how
    many members each team has now."""
    teams = [net.north, net.south, net.east]
    joined = [app.join(email=f"member{i}@crowd.nhs.uk", name=f"Crowd Member {i:02d}",
                       role="radiologist", team_id=teams[i % 3]) for i in range(members)]
    for i in range(contacts):
        app.make_contact(by=joined[i % members], to_member_id=joined[(i + 1) % members],
                         topic=f"Topic {i}", made_on=date(2012, 1, 1) + timedelta(days=5 * i))
    counts = {net.north: 2, net.south: 1, net.east: 0}
    for i in range(members):
        counts[teams[i % 3]] += 1
    return counts


def told(app: Community, member: object) -> list[tuple[str, str]]:
    """(kind, text) of each of a member's notifications, newest first."""
    rows, _ = app.views.notifications.for_member(str(member), limit=100)
    return [(r["kind"], r["text"]) for r in rows]
