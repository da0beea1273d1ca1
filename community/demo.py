"""A realistic demo community: ILCOP as its 2012 evaluation report describes it.

Thirty lung cancer MDTs in England, their National Lung Cancer Audit (NLCA)
results for 2009-2012, 15 peer-review pairs, workshops and poorly attended
online conferences, 71 Quality Improvement Plans with monthly progress,
contacts and follow-ups, and the 18 months after the funding ended, in which
some teams keep going and others fall quiet.

Everything is drawn from one ``random.Random(seed)``: the same seed gives the
same events (apart from the random ids eventsourcing gives new QIPs, contacts,
workshops and follow-ups, and the salt of the two password hashes).
Aggregates are built with the domain classes, so the domain's rules check
every value, and saved a few hundred at a time: one transaction per batch,
after which the views catch up once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from random import Random
from typing import Any, TypeVar

from community.application import Community
from community.pairing import chosen_indicators
from community.passwords import hash_password
from community.self_assessment import default_model
from community.visits import qip_from_area
from config.indicators import default_indicators
from domain.contact import Contact
from domain.errors import Conflict
from domain.follow_up import FollowUp
from domain.member import Member, NotificationSettings
from domain.pairing import Pairing
from domain.pairing_proposals import CandidateTeam, Limits, propose_pairs
from domain.programme import Programme
from domain.qip import Qip, target_key
from domain.scheduling import Invitee, candidate_dates, suggest_dates
from domain.sustainability_model import Assessment, SustainabilityModel
from domain.team import Team
from domain.values import (
    Direction,
    FollowUpKind,
    FollowUpStatus,
    KeyArea,
    Obstacle,
    QipStatus,
    Role,
    WorkshopKind,
)
from domain.visit import Visit
from domain.workshop import Workshop

__all__ = ["DEMO_PASSWORD", "ORGANISER_EMAIL", "PARTICIPANT_EMAIL", "load_demo"]

T = TypeVar("T")

PROGRAMME_NAME = "Improving Lung Cancer Outcomes Project (ILCOP)"
FUNDING_ENDS_ON = date(2012, 3, 31)
DEMO_ENDS_ON = date(2013, 9, 30)  # 18 months after the funding end
PROGRAMME_STARTS_ON = date(2010, 1, 1)
AUDIT_YEARS = (2009, 2010, 2011, 2012)
BATCH_SIZE = 250  # aggregates per transaction

DEMO_PASSWORD = "community-demo"
ORGANISER_EMAIL = "organiser@example.org"
PARTICIPANT_EMAIL = "participant@example.org"

# --- the people who can log in, and the core team -------------------------------

# (name, e-mail, expertise); the first is the organiser demo login.
ORGANISERS = [
    ("Helen Marsh", ORGANISER_EMAIL, ["quality improvement", "peer review", "facilitation"]),
    ("Sarah Whitfield", "sarah.whitfield@example.org", ["qi coaching", "pdsa cycles", "run charts"]),
    ("Tom Adeyemi", "tom.adeyemi@example.org", ["facilitation", "nlca data", "business cases"]),
]
PARTICIPANT = ("Priya Shah", PARTICIPANT_EMAIL, ["holistic needs assessment", "nurse-led clinics"])
PARTICIPANT_TOWN = "Northshire"  # her team is weak on nurse access: others are strong there

# --- the thirty teams: fictional towns, real-looking places --------------------

# (town, trust, region, latitude, longitude, new lung cancer patients a year)
TEAMS = [
    ("Tyneford", "Tyneford Hospitals NHS Foundation Trust", "North East", 54.96, -1.60, 520),
    ("Castleburn", "Castleburn and District NHS Foundation Trust", "North East", 54.77, -1.58, 240),
    ("Redmoor", "Redmoor Teaching Hospitals NHS Trust", "North East", 54.56, -1.24, 380),
    ("Merseyford", "University Hospitals of Merseyford NHS Trust", "North West", 53.40, -2.95, 600),
    ("Irwell Vale", "Irwell Vale Healthcare NHS Trust", "North West", 53.50, -2.28, 430),
    ("Lunesdale", "Lunesdale Hospitals NHS Foundation Trust", "North West", 54.06, -2.78, 95),
    ("Hollinbridge", "Hollinbridge General Hospital NHS Trust", "North West", 53.74, -2.46, 210),
    ("Northshire", "Northshire Hospitals NHS Foundation Trust", "Yorkshire and the Humber", 54.01, -1.10, 290),
    ("Calderbrook", "Calderbrook and District NHS Foundation Trust", "Yorkshire and the Humber", 53.71, -1.88, 170),
    ("Dunsmoor", "Dunsmoor Teaching Hospitals NHS Trust", "Yorkshire and the Humber", 53.81, -1.52, 560),
    ("Humberwick", "Humberwick Royal Infirmary NHS Trust", "Yorkshire and the Humber", 53.75, -0.36, 330),
    ("Soarbridge", "University Hospitals of Soarbridge NHS Trust", "East Midlands", 52.63, -1.12, 470),
    ("Derwentford", "Derwentford Hospitals NHS Foundation Trust", "East Midlands", 52.93, -1.46, 260),
    ("Withamfield", "Withamfield County Hospitals NHS Trust", "East Midlands", 53.22, -0.55, 150),
    ("Reabridge", "Reabridge Teaching Hospitals NHS Foundation Trust", "West Midlands", 52.47, -1.88, 580),
    ("Wyrecastle", "Wyrecastle Acute Hospitals NHS Trust", "West Midlands", 52.20, -2.21, 190),
    ("Sowe Cross", "Sowe Cross University Hospitals NHS Trust", "West Midlands", 52.41, -1.50, 350),
    ("Tamebury", "Tamebury Healthcare NHS Trust", "West Midlands", 52.59, -2.11, 230),
    ("Camfield", "Camfield University Hospitals NHS Foundation Trust", "East of England", 52.19, 0.14, 410),
    ("Yarebridge", "Yarebridge and Broadland Hospitals NHS Foundation Trust", "East of England", 52.62, 1.28, 360),
    ("Colnebury", "Colnebury Hospital NHS Foundation Trust", "East of England", 51.88, 0.89, 80),
    ("Highgrove Park", "Highgrove Park Hospitals NHS Trust", "London", 51.57, -0.13, 320),
    ("Thameside", "Thameside University Hospitals NHS Trust", "London", 51.50, 0.06, 450),
    ("Wandle Vale", "Wandle Vale Healthcare NHS Trust", "London", 51.42, -0.18, 270),
    ("Brentmead", "Brentmead Hospital NHS Trust", "London", 51.54, -0.29, 180),
    ("Wealdbridge", "Wealdbridge and Downs NHS Trust", "South East", 51.13, 0.27, 250),
    ("Itchenford", "Itchenford University Hospital NHS Foundation Trust", "South East", 50.92, -1.41, 490),
    ("Kennetbury", "Kennetbury Royal Hospital NHS Foundation Trust", "South East", 51.45, -0.96, 200),
    ("Tamarton", "Tamarton Hospitals NHS Trust", "South West", 50.39, -4.12, 300),
    ("Avonmere", "Avonmere University Hospitals NHS Foundation Trust", "South West", 51.46, -2.58, 530),
]

FIRST_NAMES = [
    "Aisha", "Alan", "Alison", "Amanda", "Amir", "Andrew", "Angela", "Anita", "Bernadette",
    "Carol", "Catherine", "Chinedu", "Chloe", "Christopher", "Claire", "Colin", "Daniel",
    "Deborah", "Deepak", "Elaine", "Emma", "Fatima", "Fiona", "Gareth", "Gillian", "Grace",
    "Graham", "Hannah", "Hazel", "Hugh", "Iain", "Imran", "James", "Jane", "Jennifer",
    "Joanne", "John", "Julie", "Karen", "Kate", "Kevin", "Kwame", "Lakshmi", "Laura",
    "Lesley", "Linda", "Louise", "Mark", "Martin", "Matthew", "Mei", "Michael", "Michelle",
    "Mohammed", "Nadia", "Neil", "Niamh", "Nicola", "Oliver", "Olumide", "Patricia", "Paul",
    "Rachel", "Rajesh", "Rebecca", "Richard", "Robert", "Ruth", "Samantha", "Sanjay",
    "Sean", "Simon", "Siobhan", "Stephen", "Stuart", "Susan", "Tariq", "Thomas", "Tracey",
    "Victoria", "Wendy", "Yasmin", "Zoe",
]
SURNAMES = [
    "Ahmed", "Ali", "Allen", "Anderson", "Atkinson", "Bailey", "Baker", "Banerjee", "Barnes",
    "Bell", "Bennett", "Bradley", "Brown", "Burns", "Campbell", "Carter", "Chadwick",
    "Chapman", "Chaudhry", "Clarke", "Collins", "Cooper", "Cox", "Davies", "Dixon", "Doyle",
    "Edwards", "Evans", "Fletcher", "Foster", "Fraser", "Gallagher", "Gill", "Graham",
    "Green", "Hall", "Harris", "Harrison", "Hughes", "Hussain", "Iqbal", "Jackson", "Jones",
    "Kaur", "Kelly", "Khan", "King", "Lawson", "Lee", "Lewis", "Lloyd", "Mason", "McCarthy",
    "Mitchell", "Moore", "Morgan", "Murphy", "Nair", "Nelson", "Newton", "O'Brien",
    "O'Connor", "Okafor", "Owen", "Palmer", "Parker", "Patel", "Pearson", "Phillips", "Price",
    "Quinn", "Rahman", "Reed", "Richardson", "Roberts", "Robinson", "Rose", "Singh", "Smith",
    "Stevens", "Sutton", "Taylor", "Thompson", "Turner", "Walker", "Walsh", "Ward", "Watson",
    "White", "Williams", "Wilson", "Wong", "Wood", "Wright", "Young",
]

# --- roles: who joins a team, what they know, what they talk about -------------

# Beyond the clinical lead, the nurse specialist and (usually) the co-ordinator:
# how often each other role took part (managers, pathologists and IT were hard to get).
OTHER_ROLES = {
    Role.RESPIRATORY_PHYSICIAN: 3, Role.ONCOLOGIST: 3, Role.RADIOLOGIST: 2, Role.MANAGER: 2,
    Role.THORACIC_SURGEON: 1, Role.PATHOLOGIST: 1, Role.IT_LEAD: 1,
}
EXPERTISE = {
    Role.CLINICAL_LEAD: ["ebus", "mdt chairing", "business cases", "pleural service",
                         "pathway redesign", "nlca data"],
    Role.CNS: ["nurse-led clinics", "key worker role", "holistic needs assessment",
               "telephone follow-up", "patient experience survey", "breaking bad news"],
    Role.MDT_COORDINATOR: ["somerset cancer register", "mdt pro forma", "data validation",
                           "lucada", "62-day tracking"],
    Role.RESPIRATORY_PHYSICIAN: ["ebus", "bronchoscopy", "pleural service", "rapid access clinic",
                                 "straight-to-ct"],
    Role.THORACIC_SURGEON: ["vats lobectomy", "fitness for surgery", "tertiary referral"],
    Role.ONCOLOGIST: ["clinical trials recruitment", "sabr", "chemotherapy for sclc",
                      "palliative radiotherapy"],
    Role.RADIOLOGIST: ["ct-guided biopsy", "pet-ct", "chest x-ray reporting", "straight-to-ct"],
    Role.PATHOLOGIST: ["cytology", "egfr testing", "pathology turnaround", "ebus cytology"],
    Role.MANAGER: ["business cases", "capacity planning", "cancer waiting times", "job planning"],
    Role.IT_LEAD: ["electronic mdt outcomes", "data warehouse", "video conferencing", "infoflex"],
}
# How often a member of each role starts a contact (the core of the MDT talks most).
ROLE_ACTIVITY = {
    Role.CLINICAL_LEAD: 3, Role.CNS: 4, Role.MDT_COORDINATOR: 2.5, Role.RESPIRATORY_PHYSICIAN: 1.5,
    Role.ONCOLOGIST: 1.2, Role.RADIOLOGIST: 1, Role.MANAGER: 0.8, Role.THORACIC_SURGEON: 0.6,
    Role.PATHOLOGIST: 0.5, Role.IT_LEAD: 0.5,
}
ROLE_AREAS = {
    Role.CLINICAL_LEAD: list(KeyArea),
    Role.CNS: [KeyArea.CNS_ACCESS, KeyArea.PATHWAY_WAITS],
    Role.MDT_COORDINATOR: [KeyArea.DATA_COLLECTION, KeyArea.MDT_RUNNING],
    Role.RESPIRATORY_PHYSICIAN: [KeyArea.DIAGNOSTICS, KeyArea.PATHWAY_WAITS],
    Role.THORACIC_SURGEON: [KeyArea.PATHWAY_WAITS, KeyArea.MDT_RUNNING],
    Role.ONCOLOGIST: [KeyArea.CLINICAL_TRIALS, KeyArea.MDT_RUNNING],
    Role.RADIOLOGIST: [KeyArea.DIAGNOSTICS, KeyArea.PATHWAY_WAITS],
    Role.PATHOLOGIST: [KeyArea.DIAGNOSTICS],
    Role.MANAGER: [KeyArea.CNS_ACCESS, KeyArea.PATHWAY_WAITS],
    Role.IT_LEAD: [KeyArea.DATA_COLLECTION, KeyArea.MDT_RUNNING],
    Role.ORGANISER: list(KeyArea),
}
# Who in a team takes on a QIP in each area, first choice first.
OWNERS = {
    KeyArea.DATA_COLLECTION: [Role.MDT_COORDINATOR, Role.IT_LEAD, Role.CLINICAL_LEAD],
    KeyArea.DIAGNOSTICS: [Role.RESPIRATORY_PHYSICIAN, Role.RADIOLOGIST, Role.CLINICAL_LEAD],
    KeyArea.CNS_ACCESS: [Role.CNS],
    KeyArea.PATHWAY_WAITS: [Role.CLINICAL_LEAD, Role.RADIOLOGIST, Role.MANAGER, Role.CNS],
    KeyArea.MDT_RUNNING: [Role.CLINICAL_LEAD, Role.MDT_COORDINATOR],
    KeyArea.CLINICAL_TRIALS: [Role.ONCOLOGIST, Role.CLINICAL_LEAD],
}

# --- the audit: how results are spread, and which area each one belongs to ------

# key: (typical 2009 value, spread between teams, yearly gain, lowest, highest).
# Around the NLCA national figures and standards in config/indicators.csv.
AUDIT_MODEL = {
    "mdt_discussed": (89.0, 5.0, 1.5, 60.0, 100.0),
    "histology": (72.0, 8.0, 1.2, 40.0, 95.0),
    "active_treatment": (56.0, 6.0, 1.0, 30.0, 80.0),
    "resection_nsclc": (15.5, 4.0, 0.6, 4.0, 32.0),
    "sclc_chemo": (65.0, 9.0, 0.8, 35.0, 90.0),
    "cns_seen": (78.0, 12.0, 2.5, 30.0, 100.0),
    "cns_at_diagnosis": (60.0, 15.0, 3.0, 15.0, 100.0),
    "ct_before_bronch": (88.0, 7.0, 1.5, 55.0, 100.0),
    "data_completeness": (78.0, 12.0, 3.0, 30.0, 100.0),
}
INDICATOR_AREAS = {
    "mdt_discussed": KeyArea.MDT_RUNNING, "histology": KeyArea.DIAGNOSTICS,
    "active_treatment": KeyArea.PATHWAY_WAITS, "resection_nsclc": KeyArea.PATHWAY_WAITS,
    "sclc_chemo": KeyArea.PATHWAY_WAITS, "cns_seen": KeyArea.CNS_ACCESS,
    "cns_at_diagnosis": KeyArea.CNS_ACCESS, "ct_before_bronch": KeyArea.DIAGNOSTICS,
    "data_completeness": KeyArea.DATA_COLLECTION,
}
# What a member asks a team that does well where theirs struggles.
STRENGTH_QUESTIONS = {
    "mdt_discussed": "how you get every new patient discussed at the MDT",
    "histology": "why are your confirmation rates so high?",
    "active_treatment": "how you get so many patients onto active treatment",
    "resection_nsclc": "your resection rate and the surgical referral pathway",
    "sclc_chemo": "fast-tracking small-cell patients to chemotherapy",
    "cns_seen": "how every patient gets to see a nurse specialist",
    "cns_at_diagnosis": "having a CNS in the room at every diagnosis",
    "ct_before_bronch": "your CT-before-bronchoscopy protocol",
    "data_completeness": "how you keep your NLCA data so complete",
}
# How the teams fared once the money stopped: (how many teams, how much faster they improve).
MOMENTUM = {"sustained": (8, 1.4), "fading": (12, 1.0), "dormant": (8, 0.7), "disengaged": (1, 0.5)}

# --- QIPs --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurePlan:
    name: str
    unit: str  # "%", "days" or "count"
    direction: Direction
    baseline: str | tuple[float, float]  # the team's own audit result, or a range
    change: float  # how far the target lies from the baseline


@dataclass(frozen=True)
class QipPlan:
    area: KeyArea
    title: str
    aim: str  # {b} and {t}: the first measure's baseline and target; {by}: the deadline
    measures: tuple[MeasurePlan, ...]


UP, DOWN = Direction.UP, Direction.DOWN
QIP_PLANS = [
    QipPlan(KeyArea.DATA_COLLECTION, "Complete NLCA data captured live at the MDT",
            "Increase completeness of key NLCA fields from {b}% to {t}% by {by} by recording "
            "outcomes live in the MDT meeting",
            (MeasurePlan("Key fields complete", "%", UP, "data_completeness", 12),
             MeasurePlan("Performance status recorded", "%", UP, (55, 80), 15))),
    QipPlan(KeyArea.DATA_COLLECTION, "Monthly data validation by the MDT co-ordinator",
            "Increase the share of records validated within four weeks of the MDT from {b}% "
            "to {t}% by {by}, ahead of each quarterly NLCA upload",
            (MeasurePlan("Records validated within four weeks", "%", UP, (30, 60), 35),)),
    QipPlan(KeyArea.DATA_COLLECTION, "Stage and performance status recorded at the MDT",
            "Increase the proportion of patients with stage and performance status recorded "
            "at the MDT from {b}% to {t}% by {by}",
            (MeasurePlan("Stage and PS recorded at MDT", "%", UP, (50, 75), 20),)),
    QipPlan(KeyArea.DIAGNOSTICS, "Raise histological confirmation with a local EBUS service",
            "Increase histological or cytological confirmation from {b}% to {t}% by {by} by "
            "starting EBUS sessions on site",
            (MeasurePlan("Histological confirmation", "%", UP, "histology", 10),
             MeasurePlan("EBUS procedures per month", "count", UP, (0, 4), 8))),
    QipPlan(KeyArea.DIAGNOSTICS, "CT before bronchoscopy for every patient",
            "Increase the proportion of patients having CT before bronchoscopy from {b}% to "
            "{t}% by {by}",
            (MeasurePlan("CT before bronchoscopy", "%", UP, "ct_before_bronch", 8),)),
    QipPlan(KeyArea.DIAGNOSTICS, "Faster pathology reporting for lung biopsies",
            "Reduce the median time from biopsy to pathology report from {b} to {t} working "
            "days by {by}",
            (MeasurePlan("Biopsy to report (median)", "days", DOWN, (7, 12), 4),)),
    QipPlan(KeyArea.CNS_ACCESS, "Every patient seen by a lung cancer nurse specialist",
            "Increase the proportion of patients seen by a CNS from {b}% to {t}% by {by}",
            (MeasurePlan("Patients seen by a CNS", "%", UP, "cns_seen", 15),
             MeasurePlan("Nurse-led clinic slots per week", "count", UP, (2, 6), 6))),
    QipPlan(KeyArea.CNS_ACCESS, "A nurse specialist at every diagnosis",
            "Increase the proportion of patients with a CNS present when they are told their "
            "diagnosis from {b}% to {t}% by {by}",
            (MeasurePlan("CNS present at diagnosis", "%", UP, "cns_at_diagnosis", 20),)),
    QipPlan(KeyArea.CNS_ACCESS, "Business case for a second lung cancer nurse specialist",
            "Fund a second lung CNS post and cut the share of new patients without a named "
            "key worker from {b}% to {t}% by {by}",
            (MeasurePlan("New patients without a named key worker", "%", DOWN, (20, 40), 15),)),
    QipPlan(KeyArea.PATHWAY_WAITS, "Shorter wait for CT-guided biopsy",
            "Reduce the median wait from CT-guided biopsy request to procedure from {b} to "
            "{t} working days by {by}",
            (MeasurePlan("Request to CT-guided biopsy (median)", "days", DOWN, (10, 18), 8),
             MeasurePlan("Biopsies discussed at the next MDT", "%", UP, (40, 70), 25))),
    QipPlan(KeyArea.PATHWAY_WAITS, "Straight-to-CT from an abnormal chest X-ray",
            "Reduce the median time from abnormal chest X-ray to CT from {b} to {t} days by {by}",
            (MeasurePlan("Chest X-ray to CT (median)", "days", DOWN, (9, 16), 7),)),
    QipPlan(KeyArea.PATHWAY_WAITS, "Treatment within 62 days of referral",
            "Increase the proportion of patients starting treatment within 62 days of GP "
            "referral from {b}% to {t}% by {by}",
            (MeasurePlan("Treated within 62 days", "%", UP, (70, 82), 10),)),
    QipPlan(KeyArea.MDT_RUNNING, "A chaired, focused MDT meeting",
            "Discuss every new patient at a chaired MDT with a completed pro forma, raising "
            "discussion from {b}% to {t}% by {by}",
            (MeasurePlan("New patients discussed at MDT", "%", UP, "mdt_discussed", 5),
             MeasurePlan("Patients deferred to the next meeting", "count", DOWN, (4, 9), 4))),
    QipPlan(KeyArea.MDT_RUNNING, "MDT pro forma completed before the meeting",
            "Increase the proportion of patients with an MDT pro forma completed before the "
            "meeting from {b}% to {t}% by {by}",
            (MeasurePlan("Pro forma completed before MDT", "%", UP, (30, 60), 35),)),
    QipPlan(KeyArea.MDT_RUNNING, "Thoracic surgeon at every MDT by video link",
            "Have a thoracic surgeon present in person or by video link at {t}% of MDT "
            "meetings by {by}, up from {b}%",
            (MeasurePlan("Meetings with a thoracic surgeon present", "%", UP, (40, 70), 30),)),
    QipPlan(KeyArea.CLINICAL_TRIALS, "Raise recruitment to lung cancer trials",
            "Increase recruitment to clinical trials from {b} to {t} patients a month by {by}",
            (MeasurePlan("Patients recruited to trials per month", "count", UP, (0, 2), 3),)),
    QipPlan(KeyArea.CLINICAL_TRIALS, "Trial eligibility checked at every MDT",
            "Record trial eligibility on the MDT pro forma for {t}% of new patients by {by}, "
            "up from {b}%",
            (MeasurePlan("Trial eligibility recorded at MDT", "%", UP, (10, 30), 50),)),
]
NURSE_AT_DIAGNOSIS = next(p for p in QIP_PLANS if p.title == "A nurse specialist at every diagnosis")
# How likely a team is to leave a QIP as a draft, and how its measures tend to go
# (improving, flat or stalled), by how the team fared after the funding end.
DRAFT_CHANCE = {"sustained": 0.08, "fading": 0.15, "dormant": 0.35, "disengaged": 1.0}
PATTERNS = {
    "sustained": (0.6, 0.25, 0.15), "fading": (0.45, 0.25, 0.3), "dormant": (0.25, 0.25, 0.5),
}
# What a first draft said before the organisers' review asked for something specific.
VAGUE_AIMS = {
    KeyArea.DATA_COLLECTION: "Improve our data collection for the audit",
    KeyArea.DIAGNOSTICS: "Get more patients a tissue diagnosis",
    KeyArea.CNS_ACCESS: "Improve patients' access to the nurse specialists",
    KeyArea.PATHWAY_WAITS: "Reduce delays in the diagnostic pathway",
    KeyArea.MDT_RUNNING: "Make the MDT meeting run better",
    KeyArea.CLINICAL_TRIALS: "Raise the profile of clinical trials in the MDT",
}

# --- what people talk about ------------------------------------------------------

AREA_TOPICS = {
    KeyArea.DATA_COLLECTION: [
        "validating NLCA data before the upload", "Somerset Cancer Register fields for the MDT",
        "recording performance status at the MDT", "LUCADA upload deadlines",
        "monthly data completeness checks"],
    KeyArea.DIAGNOSTICS: [
        "setting up an EBUS service", "CT before bronchoscopy protocol",
        "turnaround for EBUS cytology", "PET-CT referral criteria", "EGFR testing on small samples"],
    KeyArea.CNS_ACCESS: [
        "CNS present at diagnosis clinics", "business case for a second lung CNS",
        "nurse-led follow-up clinic", "key worker letters", "covering CNS leave"],
    KeyArea.PATHWAY_WAITS: [
        "CT-guided biopsy slots", "straight-to-CT from an abnormal chest X-ray",
        "tracking 62-day breaches", "booking the biopsy before the MDT",
        "one-stop rapid access clinic"],
    KeyArea.MDT_RUNNING: [
        "MDT pro forma", "chairing the MDT meeting", "video link to the tertiary centre",
        "room layout for the MDT", "getting the pathologist to the MDT"],
    KeyArea.CLINICAL_TRIALS: [
        "recruiting to clinical trials", "trial eligibility at the MDT",
        "research nurse support", "open lung cancer trials in the network"],
}
PAIR_TOPICS = [
    "following up the peer-review visit", "the action points from our visit",
    "how your changes are going since the visit", "sharing our QIP with you",
]
ORGANISER_TOPICS = [
    "QIP review: making the aim specific", "measures and a time frame for your QIP",
    "arranging your peer-review visit", "audit data for the peer-review visit",
    "progress data for your QIP",
]

# --- workshops and conferences ---------------------------------------------------

# (kind, title, date, share of active teams that came)
WORKSHOPS = [
    (WorkshopKind.INTRODUCTORY_WORKSHOP,
     "Introductory workshop: the project, the audit data and the peer-review visits",
     date(2010, 1, 28), 0.9),
    (WorkshopKind.NATIONAL_WORKSHOP, "National MDT workshop: what the peer-review visits found",
     date(2010, 11, 25), 0.8),
    (WorkshopKind.NATIONAL_WORKSHOP, "National MDT workshop: sharing QIPs, business cases and data",
     date(2011, 6, 23), 0.75),
    (WorkshopKind.SUSTAINABILITY_WORKSHOP,
     "Sustainability workshop: keeping the changes going after ILCOP", date(2012, 2, 9), 0.6),
]
# All on Wednesdays, the day of most lung clinics: hence the poor turnout.
ONLINE_CONFERENCES = [
    ("Online conference: preparing for your peer-review visit", date(2010, 4, 14)),
    ("Online conference: a QIP with a specific aim, a time frame and measures", date(2011, 2, 16)),
    ("Online conference: run charts for your QIP measures", date(2011, 9, 21)),
    ("Online conference: CNS access and business cases", date(2012, 1, 18)),
]

# --- follow-ups ---------------------------------------------------------------------

FOLLOW_UP_REASONS = {
    FollowUpKind.RECIPROCAL_VISIT: [
        "It would be good to have another reciprocal visit so we can see how each other has improved.",
        "Could we visit again? We have changed the MDT pro forma and would like your view.",
        "We would like to come back and see your nurse-led clinic running."],
    FollowUpKind.FACILITATOR_VISIT: [
        "Could a facilitator come back? The QIPs are slipping behind the day-to-day work.",
        "We would value a revisit to refresh the team before our next audit.",
        "We need help getting managers engaged with the business case."],
    FollowUpKind.INTRODUCTION: [
        "Could you introduce us to a team doing well where we struggle?",
        "Who else is setting up an EBUS service? We would like to compare pathways.",
        "Is there a team that got a second CNS funded? We are writing our business case."],
    FollowUpKind.CALL: [
        "Could we have a quick call about how you run your nurse-led clinic?",
        "A call about your MDT pro forma and how you fill it in before the meeting?",
        "Can we talk through your CT-guided biopsy booking?",
        "Could you talk me through your data validation before the upload?"],
}
ANSWERS = {
    FollowUpKind.RECIPROCAL_VISIT: "Yes, happy to host you again. Our co-ordinator will send dates.",
    FollowUpKind.FACILITATOR_VISIT: "I can come to your MDT next month; I will bring your latest data.",
    FollowUpKind.INTRODUCTION: ("Try {team}: they have done well on exactly this. "
                                "I have copied them in."),
    FollowUpKind.CALL: "Of course. I am free after the MDT on Thursday; ring the office.",
}
LATE_ORGANISER_ANSWER = ("The programme's funding has ended, so we cannot visit, but I am "
                         "happy to review your data by telephone.")
# (kind, how many, how it is addressed: "team", "member" or "organisers")
FOLLOW_UP_PLAN = [
    (FollowUpKind.RECIPROCAL_VISIT, 10, "team"),
    (FollowUpKind.FACILITATOR_VISIT, 9, "organisers"),
    (FollowUpKind.INTRODUCTION, 6, "organisers"),
    (FollowUpKind.INTRODUCTION, 4, "member"),
    (FollowUpKind.CALL, 12, "member"),
]


# --- the public entry point -----------------------------------------------------------


def load_demo(app: Community, *, seed: int = 2012,
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Load the demo community into an empty store and say how much it holds.

    ``progress(n)`` is told after each batch how many aggregates were saved.
    """
    _refuse_unless_empty(app)
    demo = build_demo(Random(seed), default_indicators())
    record_visits_and_self_assessments(demo, Random(seed + 7))
    plan_demo_events(demo, Random(seed + 5), today=app.today())
    summary = save_demo(app, demo, progress)
    summary["outbox_messages"] = fill_outbox(app)
    summary["events"] += summary["outbox_messages"]  # each proposed with one event
    return summary


def fill_outbox(app: Community) -> int:
    """The organisers' daily job, run once as of the demo's last day through the same
    commands cron runs: nudges, revisits and reminders, and the notifications members
    chose by e-mail, wait in the outbox for the organiser to read, reword or discard."""
    momentum = app.check_momentum(as_of=DEMO_ENDS_ON)
    notified = app.notify_by_email(proposed_on=DEMO_ENDS_ON)
    return len(momentum.proposed) + notified.proposed


def _refuse_unless_empty(app: Community) -> None:
    # Each batch is its own transaction, so a clash half way would leave half a demo.
    if app.has_programme() or app.recorder.max_notification_id():
        raise Conflict("the demo loads only into an empty store, and this one has data")


# --- the plan of the demo ---------------------------------------------------------


@dataclass
class DemoTeam:
    """A team as the demo tells its story: the aggregate, and what happens to it."""

    team: Team
    slug: str
    momentum: str
    active_until: date  # after this the team falls quiet
    profile: dict[str, float]  # strengths (+) and weaknesses (-), in spreads
    members: list[Member] = field(default_factory=list)
    partner: DemoTeam | None = None
    visits: list[date] = field(default_factory=list)
    drafts: list[tuple[date, Qip]] = field(default_factory=list)  # (drafted on, QIP)

    @property
    def id(self) -> Any:
        return self.team.id

    @property
    def name(self) -> str:
        return self.team.name

    @property
    def qips(self) -> list[Qip]:
        return [qip for _, qip in self.drafts]

    def active_on(self, day: date) -> bool:
        return day <= self.active_until

    def latest(self, key: str) -> float | None:
        return self.team.audits[max(self.team.audits)].get(key)

    def with_role(self, *roles: Role) -> list[Member]:
        return [m for m in self.members if m.role in roles]

    def core(self) -> list[Member]:
        return self.with_role(Role.CLINICAL_LEAD, Role.CNS, Role.MDT_COORDINATOR)


@dataclass
class Demo:
    """Everything the demo builds before it saves any of it."""

    rng: Random
    programme: Programme
    organisers: list[Member] = field(default_factory=list)
    teams: list[DemoTeam] = field(default_factory=list)
    pairs: list[tuple[DemoTeam, DemoTeam]] = field(default_factory=list)
    pairings: list[Pairing] = field(default_factory=list)
    workshops: list[Workshop] = field(default_factory=list)
    planned_events: list[Workshop] = field(default_factory=list)  # registered for ahead
    contacts: list[Contact] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    team_of: dict[Any, DemoTeam] = field(default_factory=dict)  # member id -> team
    visits: list[Visit] = field(default_factory=list)
    sustainability_model: SustainabilityModel | None = None
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def members(self) -> list[Member]:
        return [*self.organisers, *(m for t in self.teams for m in t.members)]

    @property
    def qips(self) -> list[Qip]:
        return [q for t in self.teams for q in t.qips]

    def active_members(self, day: date) -> list[Member]:
        return [m for t in self.teams if t.active_on(day) for m in t.members]


def build_demo(rng: Random, indicators: list[dict[str, Any]]) -> Demo:
    """Every aggregate of the demo, with its events pending, nothing saved yet."""
    demo = Demo(rng=rng, programme=start_programme(indicators))
    demo.teams = register_teams(rng, [i["key"] for i in indicators])
    demo.organisers = enrol_organisers()
    enrol_members(demo)
    pair_teams(demo)
    hold_workshops(demo)
    hold_online_conferences(demo)
    hold_peer_review_visits(demo)
    plan_qips(demo)
    make_everyday_contacts(demo)
    request_follow_ups(demo)
    adapt_qips(demo)  # last, so the random draws before it are as they always were
    return demo


def save_demo(app: Community, demo: Demo,
              progress: Callable[[int], None] | None) -> dict[str, int]:
    # Members before anything naming them, QIPs drafted before their progress:
    # the views look these up as they apply each event.
    aggregates = [demo.programme, *(t.team for t in demo.teams), *demo.members,
                  *demo.pairings, *demo.workshops, *demo.qips, *demo.contacts, *demo.follow_ups,
                  *demo.planned_events, *demo.visits,
                  *filter(None, [demo.sustainability_model]), *demo.assessments]
    settings = choose_demo_emails(demo)
    events = sum(len(a.pending_events) for a in [*aggregates, *settings])
    for batch in _chunks(aggregates, BATCH_SIZE):
        app.save(*batch)
        if progress is not None:
            progress(len(batch))
    app.save(*settings)  # a few members' settings, not counted among the community's aggregates
    return {"teams": len(demo.teams), "members": len(demo.members),
            "pairings": len(demo.pairings), "workshops": len(demo.workshops), "qips": len(demo.qips),
            "contacts": len(demo.contacts), "follow_ups": len(demo.follow_ups),
            "planned_events": len(demo.planned_events),
            "visits": len(demo.visits), "self_assessments": len(demo.assessments),
            "events": events}


# --- programme, teams and audits -------------------------------------------------


def start_programme(indicators: list[dict[str, Any]]) -> Programme:
    programme = Programme.start(name=PROGRAMME_NAME, funding_ends_on=FUNDING_ENDS_ON)
    for indicator in indicators:
        programme.define_indicator(**indicator)
    return programme


def register_teams(rng: Random, keys: list[str]) -> list[DemoTeam]:
    momenta = assign_momentum(rng)
    teams = []
    for (town, trust, region, lat, lon, caseload), momentum in zip(TEAMS, momenta):
        team = Team.register(name=f"{town} lung cancer MDT", trust=trust, region=region,
                             latitude=lat, longitude=lon, caseload=caseload)
        demo_team = DemoTeam(team=team, slug=trust_slug(trust), momentum=momentum,
                             active_until=active_until(rng, momentum),
                             profile=team_profile(rng, keys, nurses_weak=town == PARTICIPANT_TOWN))
        record_audits(rng, demo_team, keys)
        teams.append(demo_team)
    return teams


def assign_momentum(rng: Random) -> list[str]:
    """The participant's team keeps going (she has something to see); one team drops out."""
    pool = [name for name, (count, _) in MOMENTUM.items() if name != "disengaged"
            for _ in range(count)]
    rng.shuffle(pool)
    towns = [row[0] for row in TEAMS]
    dropout = rng.choice([t for t in towns if t != PARTICIPANT_TOWN])
    found = []
    for town in towns:
        if town == PARTICIPANT_TOWN:
            found.append("sustained")
        elif town == dropout:
            found.append("disengaged")
        else:
            found.append(pool.pop())
    return found


def active_until(rng: Random, momentum: str) -> date:
    if momentum == "sustained":
        return DEMO_ENDS_ON
    if momentum == "disengaged":
        return date(2011, 4, 30)  # after its peer-review visits, before any QIP
    months = rng.randint(4, 10) if momentum == "fading" else rng.randint(0, 2)
    return month_end(add_months(FUNDING_ENDS_ON, months))


def team_profile(rng: Random, keys: list[str], *, nurses_weak: bool) -> dict[str, float]:
    """Each team is good at some things and weak at others, not good or bad overall."""
    profile = {key: rng.gauss(0, 0.6) for key in keys}
    picked = rng.sample(keys, 4)
    for key in picked[:2]:
        profile[key] += 1.2
    for key in picked[2:]:
        profile[key] -= 1.3
    if nurses_weak:
        profile["cns_seen"], profile["cns_at_diagnosis"] = -2.2, -2.0
    return profile


def record_audits(rng: Random, team: DemoTeam, keys: list[str]) -> None:
    gain = MOMENTUM[team.momentum][1] * rng.uniform(0.8, 1.2)
    for years, year in enumerate(AUDIT_YEARS):
        results = {key: audit_result(rng, key, team.profile[key], years, gain) for key in keys}
        team.team.record_audit(year=year, results=results, indicators=keys)


def audit_result(rng: Random, key: str, strength: float, years: int, gain: float) -> float:
    typical, spread, yearly, low, high = AUDIT_MODEL.get(key, (70.0, 8.0, 1.0, 0.0, 100.0))
    value = typical + strength * spread + yearly * gain * years + rng.gauss(0, spread * 0.2)
    return round(within(value, low, high), 1)


def within(value: float, low: float, high: float, room: float = 4.0) -> float:
    """Results bunch up near a limit rather than sit on it year after year."""
    if value > high - room:
        return high - room * math.exp(-(value - (high - room)) / room)
    if value < low + room:
        return low + room * math.exp(-(low + room - value) / room)
    return value


def trust_slug(trust: str) -> str:
    """The e-mail domain's first part, e.g. 'Northshire Hospitals NHS Foundation Trust'
    gives northshire-hospitals."""
    skip = {"nhs", "trust", "foundation", "and", "of", "the"}
    return "-".join(w.lower() for w in trust.split() if w.lower() not in skip)


# --- members -------------------------------------------------------------------------


def enrol_organisers() -> list[Member]:
    # Only the two demo logins get a password: hashing is slow on purpose.
    found = []
    for name, email, expertise in ORGANISERS:
        password = hash_password(DEMO_PASSWORD) if email == ORGANISER_EMAIL else None
        found.append(Member.join(email=email, name=name, role=Role.ORGANISER, team_id=None,
                                 expertise=expertise, password_hash=password, is_organiser=True))
    return found


def enrol_members(demo: Demo) -> None:
    taken = {name for name, _, _ in [*ORGANISERS, PARTICIPANT]}
    for team in demo.teams:
        for role in team_roles(demo.rng, team.team.caseload):
            if is_participants(team) and role is Role.CNS:
                member = enrol_participant(team)
            else:
                member = enrol_member(demo.rng, team, role, taken)
            team.members.append(member)
            demo.team_of[member.id] = team


def team_roles(rng: Random, caseload: int) -> list[Role]:
    """3-6 members: bigger teams sent more people. Every team has a lead and a nurse."""
    size = min(6, 3 + (caseload >= 200) + (caseload >= 400) + rng.choice([0, 0, 1]))
    roles = [Role.CLINICAL_LEAD, Role.CNS]
    if rng.random() < 0.9:
        roles.append(Role.MDT_COORDINATOR)
    others = dict(OTHER_ROLES)
    while len(roles) < size:
        role = rng.choices(list(others), weights=list(others.values()))[0]
        roles.append(role)
        del others[role]
    return roles


def enrol_participant(team: DemoTeam) -> Member:
    name, email, expertise = PARTICIPANT
    return Member.join(email=email, name=name, role=Role.CNS, team_id=team.id,
                       expertise=expertise, password_hash=hash_password(DEMO_PASSWORD))


def enrol_member(rng: Random, team: DemoTeam, role: Role, taken: set[str]) -> Member:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    while f"{first} {last}" in taken:  # one name, one person: e-mails stay unique too
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    taken.add(f"{first} {last}")
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "-")
    expertise = rng.sample(EXPERTISE[role], rng.randint(1, 3))
    return Member.join(email=f"{local}@{team.slug}.nhs.uk", name=f"{first} {last}", role=role,
                       team_id=team.id, expertise=expertise,
                       consents_to_contact=rng.random() < 0.9)


# --- peer-review pairs -----------------------------------------------------------------


# Round 1 as the app proposes it (domain.pairing_proposals), with the app's
# limits but two: 170 km rather than 100 keeps every pair out of one region (the
# two teams of one region farthest apart, Tamarton and Avonmere, are 161 km
# apart), and an overall standing up to 2 spreads apart rather than 1 pairs all
# thirty teams for every seed tried (with 1, about one seed in fifteen leaves a
# team out; the weights still favour the closest standings).
ROUND_ONE_LIMITS = Limits(min_distance_km=170, max_standing_gap=2.0)


def pair_teams(demo: Demo) -> None:
    """The app's proposal on the 2009 audit, the results the organisers had:
    contrasting headline results but similar overall standing and caseload, far
    enough apart to be frank: the pairing the report says worked."""
    first = AUDIT_YEARS[0]
    teams = {str(t.id): t for t in demo.teams}
    candidates = [CandidateTeam(id=key, name=t.name, region=t.team.region,
                                latitude=t.team.latitude, longitude=t.team.longitude,
                                caseload=t.team.caseload, results=t.team.audits[first])
                  for key, t in teams.items()]
    indicators = chosen_indicators(list(demo.programme.indicators.values()), ())
    proposal = propose_pairs(candidates, indicators, ROUND_ONE_LIMITS)
    if proposal.unpaired:
        raise RuntimeError("the demo pairs every team, but left out "
                           + "; ".join(f"{u.team.name}: {u.reason}" for u in proposal.unpaired))
    demo.pairs = [(teams[p.first.id], teams[p.second.id]) for p in proposal.pairs]
    for a, b in demo.pairs:
        a.partner, b.partner = b, a
    # The organisers announced the pairs at the introductory workshop.
    demo.pairings = [Pairing.pair(first_team_id=a.team.id, second_team_id=b.team.id,
                                  paired_on=date(2010, 2, 1)) for a, b in demo.pairs]


# --- workshops, conferences and visits -------------------------------------------------


def hold_workshops(demo: Demo) -> None:
    """Face-to-face days: a few people from most teams, and the facilitators
    make sure people meet their counterparts in other teams."""
    helen = demo.organisers[0]
    for kind, title, day, turnout in WORKSHOPS:
        teams = [t for t in demo.teams if t.active_on(day) and demo.rng.random() < turnout]
        attendees = [m for t in teams for m in attending(demo.rng, t, 1, 3)]
        demo.workshops.append(Workshop.hold(kind=kind, title=title, held_on=day,
                                            attendee_ids=[m.id for m in attendees],
                                            organiser_id=helen.id))
        for _ in range(len(attendees) // 4):
            meet_counterpart(demo, demo.rng.choice(attendees), attendees, day)


def hold_online_conferences(demo: Demo) -> None:
    for number, (title, day) in enumerate(ONLINE_CONFERENCES):
        people = demo.active_members(day)
        attendees = demo.rng.sample(people, demo.rng.randint(3, 7))
        host = demo.organisers[1 + number % 2]
        demo.workshops.append(Workshop.hold(kind=WorkshopKind.ONLINE_CONFERENCE, title=title,
                                            held_on=day, attendee_ids=[m.id for m in attendees],
                                            organiser_id=host.id))


def hold_peer_review_visits(demo: Demo) -> None:
    """Each team hosts one visit and makes one, March 2010 to early 2011."""
    rng = demo.rng
    for number, (a, b) in enumerate(demo.pairs):
        first = weekday_on_or_after(date(2010, 3, 1) + timedelta(days=number * 17 + rng.randint(0, 10)))
        second = weekday_on_or_after(first + timedelta(weeks=rng.randint(5, 12)))
        host, visitor = (a, b) if rng.random() < 0.5 else (b, a)
        facilitator = demo.organisers[1 + number % 2]
        for (home, away), day in [((host, visitor), first), ((visitor, host), second)]:
            visit(demo, home, away, day, facilitator)


def visit(demo: Demo, host: DemoTeam, visitor: DemoTeam, day: date, facilitator: Member) -> None:
    hosts = attending(demo.rng, host, 3, 5)
    guests = attending(demo.rng, visitor, 2, 3)
    demo.workshops.append(Workshop.hold(
        kind=WorkshopKind.PEER_REVIEW_VISIT,
        title=f"Peer-review visit: {host.name} hosts {visitor.name}",
        held_on=day, attendee_ids=[m.id for m in hosts + guests], organiser_id=facilitator.id))
    host.visits.append(day)
    visitor.visits.append(day)
    for guest in guests[: demo.rng.randint(1, len(guests))]:
        meet_counterpart(demo, guest, hosts, day, topics=PAIR_TOPICS)


def attending(rng: Random, team: DemoTeam, fewest: int, most: int) -> list[Member]:
    """The core of the MDT comes first; others now and then."""
    core = team.core()
    others = [m for m in team.members if m not in core]
    rng.shuffle(others)
    wanted = min(len(team.members), rng.randint(fewest, most))
    return (core + others)[:wanted]


def meet_counterpart(demo: Demo, member: Member, present: Sequence[Member], day: date,
                     topics: Sequence[str] | None = None) -> None:
    """An arranged meeting on the day: the same role in another team if possible."""
    team = demo.team_of[member.id]
    others = [m for m in present if demo.team_of[m.id] is not team and m.consents_to_contact]
    same_role = [m for m in others if m.role is member.role]
    if not others:
        return
    other = demo.rng.choice(same_role or others)
    topic = demo.rng.choice(list(topics) if topics else area_topics(member.role))
    demo.contacts.append(Contact.make(from_member_id=member.id, to_member_id=other.id,
                                      topic=topic, facilitated=True, made_on=day))


def area_topics(role: Role) -> list[str]:
    return [topic for area in ROLE_AREAS[role] for topic in AREA_TOPICS[area]]


# --- QIPs -----------------------------------------------------------------------------


def plan_qips(demo: Demo) -> None:
    """71 QIPs from 29 teams: three from the keenest teams, two from most, none from the dropout."""
    engaged = [t for t in demo.teams if t.momentum != "disengaged"]
    fading = [t for t in engaged if t.momentum == "fading"]
    keen = {id(t) for t in engaged if t.momentum == "sustained"}
    keen |= {id(t) for t in demo.rng.sample(fading, 4)}
    for team in engaged:
        plans = choose_plans(demo.rng, team, 3 if id(team) in keen else 2)
        for number, plan in enumerate(plans):
            write_qip(demo, team, plan, number)


def choose_plans(rng: Random, team: DemoTeam, count: int) -> list[QipPlan]:
    """Teams work on what they are weak at, as the peer-review visit showed them."""
    weights = dict.fromkeys(KeyArea, 1.0)
    for key, strength in team.profile.items():
        if strength < -0.5 and key in INDICATOR_AREAS:
            weights[INDICATOR_AREAS[key]] += 2 * -strength
    first = []
    if is_participants(team):
        first = [NURSE_AT_DIAGNOSIS]  # her own QIP, where her team is weakest
        del weights[KeyArea.CNS_ACCESS]
    areas = pick_weighted(rng, list(weights), list(weights.values()), count - len(first))
    return first + [plan_for(rng, team, area) for area in areas]


def plan_for(rng: Random, team: DemoTeam, area: KeyArea) -> QipPlan:
    """No team sets out to improve an audit result it is already strong on."""
    options = [p for p in QIP_PLANS if p.area is area]
    suitable = [p for p in options if all(team.profile.get(m.baseline, 0) < 0.3
                                          for m in p.measures if isinstance(m.baseline, str))]
    return rng.choice(suitable or options)


def is_participants(team: DemoTeam) -> bool:
    return team.name == f"{PARTICIPANT_TOWN} lung cancer MDT"


def write_qip(demo: Demo, team: DemoTeam, plan: QipPlan, number: int) -> None:
    rng = demo.rng
    drafted_on = (team.visits[-1] + timedelta(weeks=rng.randint(3, 10))
                  + timedelta(days=30 * number * rng.randint(3, 7)))
    owner = owner_for(rng, team, plan.area)
    revised = rng.random() < 0.45
    shared_on = weekday_on_or_after(drafted_on + timedelta(weeks=rng.randint(5, 10) if revised
                                                           else rng.randint(1, 4)))
    # Six months of data before the team falls quiet, or it never gets shared.
    latest_share = min(date(2012, 12, 31), month_end(add_months(team.active_until, -6)))
    shared = shared_on <= latest_share and rng.random() > DRAFT_CHANCE[team.momentum]
    pattern, months = None, None
    if plan is NURSE_AT_DIAGNOSIS and is_participants(team):
        # The participant login owns a shared QIP with two years of data and a shift.
        owner, shared = team.with_role(Role.CNS)[0], shared_on <= latest_share
        pattern, months = "improving", 24
    measures = concrete_measures(rng, team, plan)
    deadline = month_end(add_months(shared_on, rng.choice([9, 12, 15, 18])))
    aim = plan.aim.format(b=number_text(measures[0]["baseline"]),
                          t=number_text(measures[0]["target"]), by=f"{deadline:%B %Y}")
    timeframe = f"{shared_on:%B %Y} to {deadline:%B %Y}"
    qip = draft_qip(team, owner, plan, aim, timeframe, measures, revised=revised, shared=shared,
                    drafted_on=drafted_on)
    # Its own Random, so the review and the ending leave the rest of the demo as it was.
    life = Random(f"{team.slug}:{number}")
    reviewer = demo.organisers[0].id
    if shared:
        review(qip, owner, reviewer, shared_on, changes_first=revised)
        plan_the_work(life, qip, owner, shared_on)
        report_progress(demo, team, qip, owner, shared_on, pattern, months)
        end_qip(life, team, qip, owner, deadline)
    elif revised and life.random() < 0.4:
        # Finished off but never reviewed: the organisers' queue after the funding ended.
        qip.revise(by=owner.id, revised_on=shared_on - timedelta(days=7), timeframe=timeframe,
                   measures=measures)
        qip.submit(by=owner.id, submitted_on=weekday_on_or_after(shared_on))
    team.drafts.append((drafted_on, qip))


def adapt_qips(demo: Demo) -> None:
    """Two teams weak on nurse access adapt the participant's QIP; one shares its own."""
    home = next(t for t in demo.teams if is_participants(t))
    source = next((q for _, q in home.drafts if q.shared_on is not None), None)
    if source is None:
        return
    weak = sorted((t for t in demo.teams if t is not home and t is not home.partner
                   and t.drafts and t.profile.get("cns_seen", 0) < 0),
                  key=lambda t: (t.profile.get("cns_seen", 0), t.slug))[:2]
    for number, team in enumerate(weak):
        owner = owner_for(demo.rng, team, source.key_area)
        drafted_on = weekday_on_or_after(source.shared_on + timedelta(days=60 + 30 * number))
        baseline = float(round(team.team.audits[2010].get("cns_seen", 55.0)))
        qip = Qip.adapt(source, team_id=team.id, owner_id=owner.id, drafted_on=drafted_on)
        if number == 0:
            make_adapted_plan_own(qip, owner, baseline, drafted_on)
            shared_on = weekday_on_or_after(drafted_on + timedelta(days=30))
            review(qip, owner, demo.organisers[0].id, shared_on, changes_first=False)
            report_progress(demo, team, qip, owner, shared_on, "improving", 12)
        team.drafts.append((drafted_on, qip))


def make_adapted_plan_own(qip: Qip, owner: Member, baseline: float, drafted_on: date) -> None:
    """The adapting team's own baseline (its audit), aim and dates; it keeps the
    original's target where that is still a gain for it, as a team aiming for the
    same standard would, and sets its own higher one where it already does better."""
    deadline = month_end(add_months(drafted_on, 12))
    measures = [replace(m, baseline=baseline, target=max(m.target or 0.0,
                                                         min(95.0, baseline + 15)))
                for m in qip.measures]
    aim = NURSE_AT_DIAGNOSIS.aim.format(b=number_text(baseline),
                                        t=number_text(measures[0].target),
                                        by=f"{deadline:%B %Y}")
    qip.revise(by=owner.id, revised_on=drafted_on + timedelta(days=7), aim=aim,
               timeframe=f"{drafted_on:%B %Y} to {deadline:%B %Y}", measures=measures,
               keep=[target_key(m.name) for m, was in zip(measures, qip.measures)
                     if m.target == was.target])


# Changes teams tested, by key area: (change, PDSA plan, what happened, what was learned).
CHANGE_IDEAS = {
    KeyArea.CNS_ACCESS: [
        ("A nurse specialist at the results clinic", "Sit in on Tuesday results clinics for a month",
         "Met 18 of 22 newly diagnosed patients", "Needs a room next to clinic, not upstairs"),
        ("Referral to the CNS at the point of suspicion", "Radiology flags suspicious CTs to the CNS",
         "Flags came for two weeks, then stopped", "A named radiologist keeps it going"),
    ],
    KeyArea.MDT_RUNNING: [
        ("A chair's checklist for each case", "Use the checklist at four meetings",
         "Discussion time per case fell from 6 to 4 minutes", "Send the list out the day before"),
        ("Cases prepared the day before", "The co-ordinator closes the list at noon the day before",
         "Late additions dropped from 9 to 3 a week", "Urgent cases still need a route in"),
    ],
    KeyArea.DIAGNOSTICS: [
        ("A straight-to-CT pathway", "GPs book CT directly for suspected cancer",
         "Time to CT fell by a week", "Needs radiology's agreement in writing"),
        ("EBUS lists shared with the neighbouring trust", "Send overflow patients to their Thursday list",
         "Six patients went in the first month", "Transport has to be booked by us"),
    ],
    KeyArea.PATHWAY_WAITS: [
        ("A tracker for every patient on the pathway", "The co-ordinator reviews the tracker each Monday",
         "Breaches were seen a week earlier", "Share the tracker with the surgeons too"),
    ],
    KeyArea.DATA_COLLECTION: [
        ("Audit data entered at the MDT meeting", "Enter LUCADA fields live at two meetings",
         "Completeness rose from 70% to 92% for those cases", "Needs a second screen in the room"),
    ],
    KeyArea.CLINICAL_TRIALS: [
        ("Trials on the MDT agenda", "List open trials at the top of every meeting",
         "Two more patients were screened in a month", "The research nurse must attend"),
    ],
}
LESSONS = [
    "Start small: one clinic, one month, then spread what worked.",
    "A named person for each change mattered more than the plan itself.",
    "Monthly data kept the team interested; the run chart went on the MDT room wall.",
]


def plan_the_work(life: Random, qip: Qip, owner: Member, shared_on: date) -> None:
    """What the team tried, met and learned, added a few weeks into the plan."""
    ideas = CHANGE_IDEAS.get(qip.key_area, [])
    changes = [{"title": title, "cycles": [{"plan": plan, "happened": happened,
                                            "learned": learned}]}
               for title, plan, happened, learned in life.sample(ideas, min(len(ideas),
                                                                          life.randint(1, 2)))]
    obstacles = life.sample(list(Obstacle), life.randint(1, 2))
    enablers = [o for o in life.sample(list(Obstacle), 2) if o not in obstacles][:1]
    qip.revise(by=owner.id, revised_on=shared_on + timedelta(days=21), changes=changes,
               obstacles=obstacles, enablers=enablers, lessons=life.choice(LESSONS),
               obstacle_notes="Cover for annual leave was the hardest part."
               if Obstacle.STAFFING in obstacles else "")


MEASURE_COMMENT = "Say what each measure counts, and out of what, so other teams can compare."
STOP_REASONS = [
    "Our CNS post was frozen, so nobody could run the new clinic.",
    "The trust merged our MDT with a neighbour's; the plan no longer fits.",
    "The IT change we depended on was postponed for a year.",
]


def review(qip: Qip, owner: Member, reviewer: Any, shared_on: date, *,
           changes_first: bool) -> None:
    """Submitted a week or two before it is shared; a revised plan was sent back once."""
    if changes_first:
        qip.submit(by=owner.id, submitted_on=shared_on - timedelta(days=21))
        qip.review(by=reviewer, reviewed_on=shared_on - timedelta(days=14), accept=False,
                   comments={"measures": MEASURE_COMMENT})
        defined = [replace(m, definition=f"{m.name}: patients in the month, out of all "
                           "patients with a lung cancer diagnosis that month")
                   for m in qip.measures]
        qip.revise(by=owner.id, revised_on=shared_on - timedelta(days=10), measures=defined)
    qip.submit(by=owner.id, submitted_on=shared_on - timedelta(days=7))
    qip.review(by=reviewer, reviewed_on=shared_on, accept=True)


def end_qip(life: Random, team: DemoTeam, qip: Qip, owner: Member, deadline: date) -> None:
    """Fading teams stop some plans; plans that ran to their deadline are completed,
    some honestly, some after moving a missed target to the result (the drift the
    organisers saw: "oversold against the original aim"), which the history shows."""
    last = max((p["date"] for p in qip.progress), default=qip.shared_on or deadline)
    if team.momentum == "fading" and life.random() < 0.5:
        qip.stop(by=owner.id, stopped_on=last + timedelta(days=40),
                 reason=life.choice(STOP_REASONS))
    elif last >= deadline and life.random() < 0.7:
        first = qip.measures[0]
        values = [p["value"] for p in qip.progress if p["measure"] == first.name]
        latest = values[-1] if values else first.target
        met = latest >= first.target if first.direction is UP else latest <= first.target
        if met:
            note = "We met the aim and the new way of working is now routine."
        else:
            moved = replace(first, target=float(round(latest)))
            if moved != first:  # missed by less than the rounding: nothing to move
                qip.revise(by=owner.id, revised_on=last + timedelta(days=10),
                           measures=[moved, *qip.measures[1:]])
            note = "Target reached; the new way of working is now routine."
        qip.complete(by=owner.id, completed_on=last + timedelta(days=20), note=note)


def draft_qip(team: DemoTeam, owner: Member, plan: QipPlan, aim: str, timeframe: str,
              measures: list[dict[str, Any]], *, revised: bool, shared: bool,
              drafted_on: date) -> Qip:
    """A first draft is either up to standard, or vague until the organisers' review."""
    vague = [{**m, "target": None} for m in measures]
    common = {"team_id": team.id, "owner_id": owner.id, "title": plan.title,
              "key_area": plan.area, "drafted_by": owner.id, "drafted_on": drafted_on}
    if shared and not revised:
        return Qip.draft(**common, aim=aim, timeframe=timeframe, measures=measures)
    qip = Qip.draft(**common, aim=VAGUE_AIMS[plan.area], measures=vague)
    revised_on = drafted_on + timedelta(weeks=1)
    if revised and shared:
        qip.revise(by=owner.id, revised_on=revised_on, aim=aim, timeframe=timeframe,
                   measures=measures)
    elif revised:
        # Still no time frame or target: not yet up to standard.
        qip.revise(by=owner.id, revised_on=revised_on, aim=aim)
    return qip


def owner_for(rng: Random, team: DemoTeam, area: KeyArea) -> Member:
    for role in OWNERS[area]:
        if candidates := team.with_role(role):
            return rng.choice(candidates)
    return team.with_role(Role.CLINICAL_LEAD)[0]


def concrete_measures(rng: Random, team: DemoTeam, plan: QipPlan) -> list[dict[str, Any]]:
    found = []
    for m in plan.measures:
        if isinstance(m.baseline, str):
            baseline = float(round(team.team.audits[2010].get(m.baseline, 60.0)))
        else:
            baseline = float(rng.randint(int(m.baseline[0]), int(m.baseline[1])))
        step = m.change * rng.uniform(0.8, 1.3)
        target = baseline + step if m.direction is UP else baseline - step
        if m.unit == "%":
            target = min(100.0, max(target, baseline + 2)) if m.direction is UP else max(2.0, target)
        target = float(max(1, round(target)))
        found.append({"name": m.name, "unit": m.unit, "baseline": baseline, "target": target,
                      "direction": m.direction.value})
    return found


def number_text(value: float) -> str:
    return f"{value:g}"


# --- QIP progress ----------------------------------------------------------------------


def report_progress(demo: Demo, team: DemoTeam, qip: Qip, owner: Member, shared_on: date,
                    pattern: str | None = None, months: int | None = None) -> None:
    """Monthly values: the owner mostly, sometimes whoever has the data."""
    rng = demo.rng
    pattern = pattern or rng.choices(["improving", "flat", "stalled"],
                                     weights=PATTERNS[team.momentum])[0]
    wanted = months or {"improving": rng.randint(10, 24), "flat": rng.randint(8, 20),
                        "stalled": rng.randint(6, 8)}[pattern]
    days = monthly_days(rng, shared_on, wanted, team.active_until)
    measures = qip.measures[:1] + [m for m in qip.measures[1:] if rng.random() < 0.6]
    series = {m.name: progress_series(rng, m, len(days), pattern) for m in measures}
    for index, day in enumerate(days):
        by = owner if rng.random() < 0.7 else rng.choice(team.members)
        for name, values in series.items():
            qip.record_progress(measure=name, recorded_on=day, value=values[index], by=by.id)


def monthly_days(rng: Random, shared_on: date, wanted: int, until: date) -> list[date]:
    days = []
    for month in range(1, wanted + 1):
        day = add_months(shared_on.replace(day=1), month) + timedelta(days=rng.randint(0, 9))
        if day > until or day > DEMO_ENDS_ON:
            break
        days.append(day)
    return days


def progress_series(rng: Random, measure: Any, count: int, pattern: str) -> list[float]:
    """A noisy run: a step change (a visible shift), a flat line, or a little then nothing."""
    gap = measure.target - measure.baseline
    noise = max(abs(gap) * 0.15, {"%": 1.5, "days": 0.8}.get(measure.unit, 0.6))
    shift_at, reach = rng.randint(3, 6), rng.uniform(0.7, 1.05)
    values = []
    for k in range(count):
        if pattern == "improving":
            level = measure.baseline + gap * (reach if k >= shift_at else 0.1 * k / shift_at)
        elif pattern == "flat":
            level = measure.baseline + gap * 0.1
        else:
            level = measure.baseline + gap * 0.3 * min(1.0, k / 4)
        values.append(measured(level + rng.gauss(0, noise), measure.unit))
    return values


def measured(value: float, unit: str) -> float:
    if unit == "%":
        return round(min(100.0, max(0.0, value)), 1)
    if unit == "days":
        return round(max(0.5, value), 1)
    return float(max(0, round(value)))


# --- contacts between visits and workshops ---------------------------------------------


def make_everyday_contacts(demo: Demo) -> None:
    month = date(2010, 2, 1)
    while month <= DEMO_ENDS_ON:
        for _ in range(contacts_in(demo.rng, month)):
            day = weekday_on_or_after(month.replace(day=demo.rng.randint(1, 28)))
            if contact := everyday_contact(demo, day):
                demo.contacts.append(contact)
        month = add_months(month, 1)


def contacts_in(rng: Random, month: date) -> int:
    """The network grows during the programme, then decays once the money stops."""
    if month <= FUNDING_ENDS_ON:
        expected = 4 + 6 * months_between(PROGRAMME_STARTS_ON, month) / 27
    else:
        expected = 9 * 0.82 ** months_between(FUNDING_ENDS_ON, month)
    return max(0, round(rng.gauss(expected, math.sqrt(expected))))


def everyday_contact(demo: Demo, day: date) -> Contact | None:
    rng = demo.rng
    if rng.random() < (0.1 if day <= FUNDING_ENDS_ON else 0.02):
        return organiser_contact(demo, day)
    people = demo.active_members(day)
    sender = rng.choices(people, weights=[ROLE_ACTIVITY[m.role] for m in people])[0]
    kind = rng.choices(["same_role", "partner", "same_area", "strength", "colleague"],
                       weights=[35, 20, 25, 15, 5])[0]
    found = FINDERS[kind](demo, sender, day) or same_role(demo, sender, day)
    if found is None:
        return None
    receiver, topic = found
    # Organisers put people in other teams in touch, all the more where one is strong.
    facilitated = (kind != "colleague"
                   and rng.random() < facilitated_share(day) + (0.2 if kind == "strength" else 0))
    return Contact.make(from_member_id=sender.id, to_member_id=receiver.id, topic=topic,
                        facilitated=facilitated, made_on=day)


def facilitated_share(day: date) -> float:
    """Mostly arranged by the organisers early on; self-initiated later; hardly any after."""
    if day > FUNDING_ENDS_ON:
        return 0.05
    return 0.75 - 0.45 * months_between(PROGRAMME_STARTS_ON, day) / 27


def organiser_contact(demo: Demo, day: date) -> Contact | None:
    # After the funding end only the programme lead is still around, now and then.
    organisers = demo.organisers if day <= FUNDING_ENDS_ON else demo.organisers[:1]
    organiser = demo.rng.choice(organisers)
    member = demo.rng.choice(demo.active_members(day))
    sender, receiver = (organiser, member) if demo.rng.random() < 0.7 else (member, organiser)
    return Contact.make(from_member_id=sender.id, to_member_id=receiver.id,
                        topic=demo.rng.choice(ORGANISER_TOPICS),
                        facilitated=sender is organiser, made_on=day)


Found = tuple[Member, str] | None


def reachable(demo: Demo, members: list[Member], day: date) -> list[Member]:
    return [m for m in members if m.consents_to_contact and demo.team_of[m.id].active_on(day)]


def same_role(demo: Demo, sender: Member, day: date) -> Found:
    """'Very important to speak to other nurses.'"""
    mine = demo.team_of[sender.id]
    peers = reachable(demo, [m for t in demo.teams if t is not mine
                             for m in t.with_role(sender.role)], day)
    if not peers:
        return None
    return demo.rng.choice(peers), demo.rng.choice(area_topics(sender.role))


def partner(demo: Demo, sender: Member, day: date) -> Found:
    team = demo.team_of[sender.id].partner
    people = reachable(demo, team.members, day) if team else []
    if not people:
        return None
    same = [m for m in people if m.role is sender.role]
    return demo.rng.choice(same or people), demo.rng.choice(PAIR_TOPICS + area_topics(sender.role))


def same_area(demo: Demo, sender: Member, day: date) -> Found:
    """Teams working on the same change find each other through their QIPs."""
    mine = demo.team_of[sender.id]
    started = [q for when, q in mine.drafts if when <= day]
    if not started:
        return None
    qip = demo.rng.choice(started)
    others = [(t, q) for t in demo.teams if t is not mine
              for when, q in t.drafts if when <= day and q.key_area is qip.key_area]
    candidates = [(t, q) for t, q in others if reachable(demo, t.members, day)]
    if not candidates:
        return None
    team, theirs = demo.rng.choice(candidates)
    owner = [m for m in reachable(demo, team.members, day) if m.id == theirs.owner_id]
    receiver = owner[0] if owner else demo.rng.choice(reachable(demo, team.members, day))
    topic = demo.rng.choice([f"your QIP: {theirs.title.lower()}",
                             demo.rng.choice(AREA_TOPICS[qip.key_area])])
    return receiver, topic


def strength(demo: Demo, sender: Member, day: date) -> Found:
    """'Why are you getting confirmation rates so high?'"""
    mine = demo.team_of[sender.id]
    key = min(mine.profile, key=lambda k: mine.profile[k])
    if key not in STRENGTH_QUESTIONS:
        return None
    best = sorted((t for t in demo.teams if t is not mine and t.active_on(day)),
                  key=lambda t: -(t.latest(key) or 0))[:4]
    people = reachable(demo, [m for t in best for m in t.members], day)
    if not people:
        return None
    same = [m for m in people if m.role is sender.role]
    return demo.rng.choice(same or people), STRENGTH_QUESTIONS[key]


def colleague(demo: Demo, sender: Member, day: date) -> Found:
    people = [m for m in demo.team_of[sender.id].members if m is not sender]
    return demo.rng.choice(people), demo.rng.choice(area_topics(sender.role))


FINDERS: dict[str, Callable[[Demo, Member, date], Found]] = {
    "same_role": same_role, "partner": partner, "same_area": same_area,
    "strength": strength, "colleague": colleague,
}


# --- follow-ups -------------------------------------------------------------------------


def request_follow_ups(demo: Demo) -> None:
    for kind, count, addressed in FOLLOW_UP_PLAN:
        for _ in range(count):
            if follow_up := follow_up_request(demo, kind, addressed):
                demo.follow_ups.append(follow_up)


def follow_up_request(demo: Demo, kind: FollowUpKind, addressed: str) -> FollowUp | None:
    rng = demo.rng
    day = follow_up_day(rng)
    requester = rng.choice([m for t in demo.teams if t.active_on(day) for m in t.core()])
    mine = demo.team_of[requester.id]
    target: dict[str, Any] = {"to_organisers": True}
    answerers: list[Member] = demo.organisers[:1] if day > FUNDING_ENDS_ON else demo.organisers
    if addressed == "team" and mine.partner is not None:
        target, answerers = {"team_id": mine.partner.id}, mine.partner.core()
    elif addressed == "member":
        found = same_role(demo, requester, day)
        if found is None:
            return None
        target, answerers = {"member_id": found[0].id}, [found[0]]
    follow_up = FollowUp.request(requested_by=requester.id, kind=kind, requested_on=day,
                                 reason=rng.choice(FOLLOW_UP_REASONS[kind]), **target)
    settle(demo, follow_up, requester, answerers)
    return follow_up


def follow_up_day(rng: Random) -> date:
    """Two in three during the programme; the rest thinning out after the funding end."""
    if rng.random() < 0.65:
        first = date(2010, 10, 1)
        day = first + timedelta(days=rng.randint(0, (FUNDING_ENDS_ON - first).days))
    else:
        day = FUNDING_ENDS_ON + timedelta(days=1 + int(rng.triangular(0, 455, 0)))
    return weekday_on_or_after(day)


def settle(demo: Demo, follow_up: FollowUp, requester: Member, answerers: list[Member]) -> None:
    """Answered (by someone asked), then often closed; or left hanging, sometimes given up on."""
    rng = demo.rng
    asked_on = follow_up.requested_on
    answered_on = asked_on + timedelta(days=rng.randint(2, 30))
    live = [m for m in answerers if m.is_organiser or demo.team_of[m.id].active_on(answered_on)]
    chance = 0.75 if asked_on <= FUNDING_ENDS_ON else 0.4
    if live and answered_on <= DEMO_ENDS_ON and rng.random() < chance:
        answerer = rng.choice(live)
        reply(follow_up, answerer, answer_text(demo, follow_up, answerer), answered_on)
        if rng.random() < 0.5:
            closer = rng.choice([requester, answerer])
            closed_on = answered_on + timedelta(weeks=rng.randint(2, 8))
            if follow_up.status is not FollowUpStatus.DECLINED:  # left for the requester to see
                close_on(follow_up, closer, closed_on)
    elif rng.random() < 0.3:
        close_on(follow_up, requester, asked_on + timedelta(weeks=rng.randint(6, 10)))


DECLINED_CALL = "We are short of staff this quarter; could we talk after the next audit?"


def reply(follow_up: FollowUp, answerer: Member, text: str, answered_on: date) -> None:
    """Visits are mostly accepted with a date, a few calls declined. Its own Random,
    so the rest of the demo draws what it always drew."""
    own = Random(f"{follow_up.requested_on}:{follow_up.reason}:{answered_on}")
    visit = follow_up.kind in (FollowUpKind.RECIPROCAL_VISIT, FollowUpKind.FACILITATOR_VISIT)
    if visit and own.random() < 0.7:
        follow_up.accept(by=answerer.id, message=text, answered_on=answered_on,
                         proposed_date=answered_on + timedelta(weeks=own.randint(2, 6)))
    elif follow_up.kind is FollowUpKind.CALL and own.random() < 0.5:
        follow_up.decline(by=answerer.id, reason=DECLINED_CALL, answered_on=answered_on)
    else:
        follow_up.answer(by=answerer.id, message=text, answered_on=answered_on)


def close_on(follow_up: FollowUp, member: Member, day: date) -> None:
    if day <= DEMO_ENDS_ON:
        follow_up.close(by=member.id, closed_on=day)


def answer_text(demo: Demo, follow_up: FollowUp, answerer: Member) -> str:
    if answerer.is_organiser and follow_up.requested_on > FUNDING_ENDS_ON:
        return LATE_ORGANISER_ANSWER
    mine = demo.team_of[follow_up.requested_by]
    weakest = min(mine.profile, key=lambda k: mine.profile[k])
    strongest = max((t for t in demo.teams if t is not mine),
                    key=lambda t: t.latest(weakest) or 0)
    return ANSWERS[follow_up.kind].format(team=strongest.name)


# --- small helpers ---------------------------------------------------------------------


def pick_weighted(rng: Random, items: list[T], weights: list[float], count: int) -> list[T]:
    """``count`` different items, each drawn with chance in proportion to its weight."""
    items, weights, found = list(items), list(weights), []
    for _ in range(min(count, len(items))):
        index = rng.choices(range(len(items)), weights=weights)[0]
        found.append(items.pop(index))
        weights.pop(index)
    return found


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, 28))


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- clinic days, MDT meeting days and events planned ahead ------------------------------

# Clinic days by role, with weights. Most lung clinics were on Wednesdays (the report:
# "they seem to have been on a Wednesday, which is our lung cancer clinic"); MDT
# co-ordinators and managers hold no clinics.
CLINIC_DAYS: dict[Role, list[tuple[str, float]]] = {
    Role.CNS: [("wednesday", 6), ("tuesday", 2), ("thursday", 2), ("monday", 1), ("friday", 1)],
    Role.CLINICAL_LEAD: [("wednesday", 4), ("monday", 2), ("thursday", 2), ("friday", 1)],
    Role.RESPIRATORY_PHYSICIAN: [("wednesday", 4), ("monday", 2), ("tuesday", 2),
                                 ("friday", 1)],
    Role.ONCOLOGIST: [("wednesday", 3), ("monday", 2), ("thursday", 2), ("tuesday", 1)],
    Role.THORACIC_SURGEON: [("wednesday", 2), ("monday", 2), ("friday", 2)],
}
MEETING_DAYS = [("tuesday", 4), ("thursday", 4), ("friday", 2), ("monday", 2), ("wednesday", 1)]
# (kind, title, window start, roles invited, start time, minutes, agenda)
PAST_PLANNED = [
    (WorkshopKind.ONLINE_CONFERENCE, "Online conference: keeping nurse-led clinics going after ILCOP",
     date(2012, 10, 1), [Role.CNS], "13:30", 90,
     "13:30 Welcome and the network's figures since April\n"
     "13:45 Three teams' nurse-led clinics, a year on\n14:30 Break-out groups by region\n"
     "14:55 What we will try next"),
    (WorkshopKind.NATIONAL_WORKSHOP, "National MDT workshop: one year after the funding ended",
     date(2013, 3, 4), [], "10:00", 330,
     "10:00 Welcome\n10:15 What the audit shows a year on\n11:30 Break-outs by role\n"
     "13:00 Lunch\n13:45 Teams present their QIPs\n15:15 Close"),
    (WorkshopKind.ONLINE_CONFERENCE, "Online conference for MDT co-ordinators: validating audit data",
     date(2013, 5, 13), [Role.MDT_COORDINATOR], "14:00", 60,
     "14:00 Checking the data before the upload\n14:30 Questions"),
]
UPCOMING = [
    (WorkshopKind.ONLINE_CONFERENCE, "Online conference: run charts for your QIP measures",
     [Role.CNS, Role.MDT_COORDINATOR], "14:00", 90, "https://meet.example.nhs.uk/ilcop-charts",
     "14:00 Why a run chart, not two numbers\n14:20 Reading the rules: shifts and trends\n"
     "14:50 Your own measures, in small groups\n15:20 Questions"),
    (WorkshopKind.NATIONAL_WORKSHOP, "National MDT workshop: sharing QIPs, business cases and data",
     [], "10:00", 330, "",
     "10:00 Welcome\n10:15 Teams' QIPs, in ten minutes each\n12:30 Lunch\n"
     "13:15 Break-outs by role\n15:00 Close"),
    (WorkshopKind.ONLINE_CONFERENCE, "Online conference: clinical leads on engaging managers",
     [Role.CLINICAL_LEAD, Role.MANAGER], "16:00", 60, "https://meet.example.nhs.uk/ilcop-leads",
     "16:00 Two business cases that worked\n16:40 Questions"),
]
EVENT_PLACE = "Royal College of Physicians, London"
EVENT_LINK = "https://meet.example.nhs.uk/ilcop"
NOTICE = timedelta(weeks=4)  # as the plan page's default notice


def plan_demo_events(demo: Demo, rng: Random, *, today: date) -> None:
    """Clinic days and MDT meeting days, so the plan page's clashes mean something;
    events planned ahead after the funding ended, with registrations and attendance;
    and a few planned ahead of ``today`` (the day the demo is loaded), because the
    events page judges "coming up" by the real date and would otherwise show only
    2010-2013. Its own Random, so the rest of the demo is as it always was."""
    give_clinic_and_meeting_days(demo, rng)
    helen = demo.organisers[0]
    for kind, title, start, roles, at, minutes, agenda in PAST_PLANNED:
        day = best_day(demo, start, roles, active_on=start)
        event = plan_demo_event(demo, kind, title, day, roles, at, minutes, agenda, helen)
        people = register_some(demo, rng, event, roles, day, before=day - timedelta(days=21))
        came = [m for m in people if rng.random() < 0.8]
        came += rng.sample(invited(demo, roles, day), 2)  # a couple came without registering
        event.record_attendance([m.id for m in came], by=helen.id, on=day)
    for number, (kind, title, roles, at, minutes, link, agenda) in enumerate(UPCOMING):
        start = today + NOTICE + timedelta(weeks=5 * number)
        day = best_day(demo, start, roles, active_on=None)
        event = plan_demo_event(demo, kind, title, day, roles, at, minutes, agenda, helen,
                                link=link)
        register_some(demo, rng, event, roles, None, before=today, on=today)


def give_clinic_and_meeting_days(demo: Demo, rng: Random) -> None:
    for team in demo.teams:
        day, = pick_weighted(rng, [d for d, _ in MEETING_DAYS], [w for _, w in MEETING_DAYS], 1)
        team.team.set_meeting_day(day)
        for member in team.members:
            choices = CLINIC_DAYS.get(member.role)
            if choices:
                days = pick_weighted(rng, [d for d, _ in choices], [w for _, w in choices],
                                     rng.choice([1, 1, 2]))
                member.update_profile(clinic_days=sorted(set(days)))


def invitee(demo: Demo, member: Member) -> Invitee:
    return Invitee(member_id=str(member.id), role=member.role.value,
                   team_id=str(member.team_id), clinic_days=tuple(member.clinic_days),
                   team_meeting_day=demo.team_of[member.id].team.meeting_day or None)


def invited(demo: Demo, roles: list[Role], day: date | None) -> list[Member]:
    """Members of the roles invited, in teams still active on ``day`` (any, for None:
    the demo's own story has no "after 2013")."""
    members = demo.active_members(day) if day else [m for t in demo.teams for m in t.members]
    return [m for m in members if not roles or m.role in roles]


def best_day(demo: Demo, start: date, roles: list[Role], *, active_on: date | None) -> date:
    """The working day in the four weeks from ``start`` that fewest invitees have a
    clinic or an MDT meeting on: the plan page's first suggestion."""
    # Nobody books a conference in the week between Christmas and New Year.
    days = [d for d in candidate_dates(start, start + timedelta(days=27))
            if not (d.month, d.day) >= (12, 24) and not (d.month, d.day) <= (1, 1)]
    people = [invitee(demo, m) for m in invited(demo, roles, active_on)]
    return suggest_dates(days, people)[0].date


def plan_demo_event(demo: Demo, kind: WorkshopKind, title: str, day: date, roles: list[Role],
                    at: str, minutes: int, agenda: str, organiser: Member, *,
                    link: str = "") -> Workshop:
    online = kind is WorkshopKind.ONLINE_CONFERENCE
    event = Workshop.plan(kind=kind, title=title, starts_on=day, starts_at=at,
                          duration_minutes=minutes, roles=roles,
                          place="" if online else EVENT_PLACE,
                          link=(link or EVENT_LINK) if online else "", agenda=agenda,
                          organiser_id=organiser.id)
    demo.planned_events.append(event)
    return event


def register_some(demo: Demo, rng: Random, event: Workshop, roles: list[Role],
                  day: date | None, *,
                  before: date, on: date | None = None) -> list[Member]:
    """Invitees free that day register (a few cancel); those with a clinic rarely do.
    The participant registers for the events she is invited to."""
    people = []
    for member in invited(demo, roles, day):
        busy = bool(invitee(demo, member).clash_reasons(event.starts_on))
        wanted = member.email == PARTICIPANT_EMAIL or rng.random() < (0.08 if busy else 0.45)
        if wanted:
            when = on or before - timedelta(days=rng.randint(0, 30))
            event.register(member.id, on=when)
            people.append(member)
    for member in rng.sample(people, len(people) // 8):
        if member.email != PARTICIPANT_EMAIL:
            event.cancel_registration(member.id, on=on or before)
            people.remove(member)
    return people


# --- notifications by e-mail --------------------------------------------------------

# Who chose which notifications also by e-mail, and when: `community notify` then
# puts their unread notifications since that day in the organisers' outbox.
DEMO_EMAIL_CHOICES = [
    (PARTICIPANT_EMAIL, ["changes_requested", "plan_shared", "follow_up_answered",
                         "introduction_made", "event_planned"], date(2010, 9, 1)),
    (ORGANISER_EMAIL, ["introduction_made", "event_planned"], date(2010, 9, 1)),
]
TEAM_CHOICES = ["changes_requested", "plan_shared"]  # the participant's colleagues


def choose_demo_emails(demo: Demo) -> list[NotificationSettings]:
    """A few members' e-mail choices, as their notification settings; no random draws."""
    by_email = {m.email: m for m in demo.members}
    chosen = [(by_email[email], kinds, day) for email, kinds, day in DEMO_EMAIL_CHOICES
              if email in by_email]
    participant = by_email.get(PARTICIPANT_EMAIL)
    if participant is not None:
        colleagues = sorted((m for m in demo.members if m.team_id == participant.team_id
                             and m is not participant), key=lambda m: m.email)
        chosen += [(m, TEAM_CHOICES, date(2011, 1, 3)) for m in colleagues[:2]]
    found = []
    for member, kinds, day in chosen:
        settings = NotificationSettings.start(member.id)
        settings.choose_emails(kinds, chosen_on=day)
        found.append(settings)
    return found


# --- visit feedback and sustainability self-assessments -------------------------------

# What visitors wrote about a host weak on an indicator (as an area for improvement),
# and about a host strong on it (as what it does well), in the words of the reports.
VISIT_AREAS = {
    "mdt_discussed": "Bring every new lung cancer patient to the MDT meeting, including "
                     "those first seen by other specialties",
    "histology": "Pathway waits for CT-guided biopsy: patients wait two to three weeks for "
                 "a tissue diagnosis",
    "active_treatment": "Offer more patients active treatment: review performance status "
                        "at the MDT rather than in clinic",
    "resection_nsclc": "Refer more patients with early NSCLC for a thoracic surgical opinion",
    "sclc_chemo": "Faster start of chemotherapy for small-cell lung cancer (SCLC)",
    "cns_seen": "A lung cancer nurse specialist (CNS) for every patient, not only those "
                "seen in the Tuesday clinic",
    "cns_at_diagnosis": "A CNS present when the diagnosis is given, with a holistic needs "
                        "assessment (HNA) offered",
    "ct_before_bronch": "CT before bronchoscopy for every patient, booked from the first "
                        "clinic visit",
    "data_completeness": "Data completeness: stage and performance status missing from the "
                         "audit for one patient in four",
}
VISIT_STRENGTHS = {
    "mdt_discussed": "The MDT meeting runs to time, with a list and images prepared the day "
                     "before by the MDT coordinator",
    "histology": "A one-stop EBUS list twice a week: most patients have a tissue diagnosis "
                 "within a week",
    "active_treatment": "Oncologists attend every MDT meeting and see new patients within "
                        "days",
    "resection_nsclc": "The thoracic surgeon joins the MDT by video link and sees borderline "
                       "patients in clinic",
    "sclc_chemo": "A fast track to chemotherapy for small-cell lung cancer, started within a "
                  "week of the MDT",
    "cns_seen": "Nurse specialists see nearly every patient and keep in touch by telephone "
                "between appointments",
    "cns_at_diagnosis": "A CNS sits in every clinic where a diagnosis is given and offers a "
                        "holistic needs assessment",
    "ct_before_bronch": "CT is booked straight from the GP referral, before the first clinic",
    "data_completeness": "The MDT coordinator completes the audit fields during the meeting: "
                         "almost nothing is missing",
}
GENERAL_AREAS = ["The MDT meeting runs over time: prepare the list and images beforehand",
                 "Patient information leaflets are out of date"]
VISIT_QIPS = 2  # visits whose first area the host team turns into a draft QIP
ASSESSED_SHARE = 0.7  # of the QIPs that were active, scored by their teams


def record_visits_and_self_assessments(demo: Demo, rng: Random) -> None:
    """The peer-review visits as ``Visit`` aggregates with the visitors' feedback (a few
    areas turned into the host's draft QIPs), and Sustainability Model self-assessments
    of active QIPs by several team members over time. Its own random stream, so adding
    it changes nothing else of the demo."""
    by_name = {t.name: t for t in demo.teams}
    held = [w for w in demo.workshops if w.kind is WorkshopKind.PEER_REVIEW_VISIT]
    drafting = 0
    for workshop in held:
        host_name, visitor_name = workshop.title.removeprefix("Peer-review visit: ").split(" hosts ")
        host, visitor = by_name[host_name], by_name[visitor_name]
        pairing = next(p for p in demo.pairings if {host.id, visitor.id} == set(p.team_ids))
        visit = Visit.record(host_team_id=host.id, visiting_team_id=visitor.id,
                             visited_on=workshop.held_on, attendee_ids=workshop.attendee_ids,
                             pairing_id=pairing.id, recorded_by=workshop.organiser_id)
        guests = [m for m in visitor.members if m.id in set(workshop.attendee_ids)]
        given_on = workshop.held_on + timedelta(days=rng.randint(3, 20))
        visit.give_feedback(by=guests[0].id, given_on=given_on,
                            **visit_feedback(rng, demo, host, workshop.held_on))
        if drafting < VISIT_QIPS and host.momentum != "disengaged" and rng.random() < 0.3:
            author = host.with_role(Role.CLINICAL_LEAD)[0]
            drafted_on = weekday_on_or_after(given_on + timedelta(days=rng.randint(7, 30)))
            host.drafts.append((drafted_on, qip_from_area(visit, 0, author_id=author.id,
                                                          drafted_on=drafted_on)))
            drafting += 1
        demo.visits.append(visit)
    demo.sustainability_model = default_model()
    for team in demo.teams:
        for qip in team.qips:
            if qip.shared_on is not None and qip.status in (QipStatus.ACTIVE,
                                                            QipStatus.COMPLETED) \
                    and rng.random() < ASSESSED_SHARE:
                assess_over_time(demo, rng, team, qip)


def visit_feedback(rng: Random, demo: Demo, host: DemoTeam, day: date) -> dict[str, Any]:
    """Areas where the host is weakest, what it does best, and the figures talked over."""
    year = max(y for y in host.team.audits if y < day.year)
    ranked = sorted(VISIT_AREAS, key=lambda key: host.profile.get(key, 0.0))
    weak, strong = ranked[:rng.randint(2, 3)], ranked[-rng.randint(1, 2):]
    areas = [VISIT_AREAS[k] for k in weak] + rng.sample(GENERAL_AREAS, rng.randint(0, 1))
    results = host.team.audits[year]
    names = {key: i["name"] for key, i in demo.programme.indicators.items()}
    figures = "; ".join(f"{names.get(key, key)} {results[key]:.0f}%" for key in weak + strong
                        if key in results)
    return {"areas_for_improvement": areas,
            "strengths": [VISIT_STRENGTHS[k] for k in reversed(strong)],
            "data_discussed": f"NLCA {year} results ({figures}), the MDT's own list of patients "
                              f"waiting for diagnosis, and the CNS caseload."}


def assess_over_time(demo: Demo, rng: Random, team: DemoTeam, qip: Qip) -> None:
    """Two to four members score the QIP every six months or so while it is active;
    each starts from the team's shared view with a level of their own either side, and
    the team's view rises in sustained teams and sags in fading ones."""
    model = demo.sustainability_model
    assert model is not None
    last = min(qip.ended_on or DEMO_ENDS_ON, team.active_until, DEMO_ENDS_ON)
    day = qip.shared_on + timedelta(days=rng.randint(60, 150))
    keys = list(model.factors)
    shared_view = {key: rng.choice([2, 2, 3, 3, 4]) for key in keys}
    drift = {"sustained": 1, "fading": -1}.get(team.momentum, 0)
    scorers = rng.sample(team.members, min(len(team.members), rng.randint(2, 4)))
    while day <= last:
        for member in scorers:
            if rng.random() < 0.8:
                levels = {k: max(1, min(4, shared_view[k] + rng.choice([-1, 0, 0, 0, 1])))
                          for k in keys}
                demo.assessments.append(Assessment.make(
                    model=model, qip_id=qip.id, team_id=team.id, assessed_by=member.id,
                    levels=levels, assessed_on=day))  # together, at a team meeting
        for key in rng.sample(keys, 3):
            shared_view[key] = max(1, min(4, shared_view[key] + drift))
        day += timedelta(days=rng.randint(150, 210))
