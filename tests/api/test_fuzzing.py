"""Property-based fuzzing of every documented operation with schemathesis, in process.

Each operation gets valid and invalid requests generated from the OpenAPI
document, sent by a logged-in member (so the real handlers run, not only the
login check), some of them at the ids of things that exist. Every answer must
be a documented status with a body matching the document, and never a 500.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from tests.api.conftest import EMAILS
from tests.builders import PASSWORD
from web.api.openapi import DOCUMENT

# schemathesis.pytest.from_fixture() cannot run under pytest 9 (it sets the
# removed Function._nodeid), so each operation is its own pytest test that
# draws cases from the operation's Hypothesis strategy.
OPERATIONS = [(path, method.upper()) for path, operations in DOCUMENT["paths"].items()
              for method in operations]
ORGANISERS_ONLY = {("/workshops", "POST"), ("/sustainability", "GET"), ("/network-health", "GET")}
ORGANISERS_ONLY |= {(p, m.upper()) for p, ops in DOCUMENT["paths"].items() for m in ops
                    if p.startswith("/outbox")}
# Moderation: the reports and hiding posts (a participant is refused all of it).
ORGANISERS_ONLY |= {("/reports", "GET"), ("/reports/{report_id}/dismiss", "POST"),
                    ("/reports/{report_id}/hide", "POST"), ("/questions/{question_id}/hide", "POST"),
                    ("/questions/{question_id}/answers/{answer_id}/hide", "POST")}
ORGANISERS_ONLY |= {("/network", "GET")}  # the live network map's nodes and edges
# 25 cases an operation keeps the whole file near 30 s. Derandomised, so CI sees
# the same cases every run; set derandomize=False (and raise max_examples)
# locally to explore further.
FUZZ = settings(max_examples=25, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture
def existing(community, network) -> dict[str, list[str]]:
    """Real ids for each path parameter: shared and draft QIPs of both teams, follow-ups."""
    north_shared = community.draft_qip(
        by=network.nurse, title="CNS at diagnosis", key_area="cns_access",
        aim="A nurse specialist at 80% of diagnoses by March 2013", timeframe="2013",
        measures=[{"name": "CNS at diagnosis", "baseline": 61, "target": 80}])
    community.share_qip(north_shared)  # submitted and accepted at once
    document_id = community.attach_document(north_shared, by=network.nurse,
                                            filename="plan.pdf", data=b"%PDF-1.7\n%%EOF\n")
    north_draft = community.draft_qip(by=network.lead, title="Draft", key_area="diagnostics",
                                      measures=[{"name": "Histology", "unit": "%"}])
    south_draft = community.draft_qip(by=network.other_nurse, title="South draft",
                                      key_area="pathway_waits")
    asked_south = community.request_follow_up(by=network.nurse, reason="Visit?",
                                              team_id=network.south)
    asked_nina = community.request_follow_up(by=network.other_nurse, reason="Call?",
                                             member_id=network.nurse)
    event = community.plan_event(by=network.organiser, kind="national_workshop",
                                 title="Nurses' day", starts_on="2013-07-01", place="Leeds")
    community.pair_teams(by=network.organiser, first_team_id=network.north,
                         second_team_id=network.south, paired_on="2012-01-01")
    # A question of each team, an answer of Nina's to the south's, a report of it.
    south_question = community.ask_question(by=network.other_nurse, title="EBUS clinics?",
                                            body="Who runs one?", key_areas=["diagnostics"])
    north_question = community.ask_question(by=network.nurse, title="CNS rota?",
                                            body="How is yours staffed?",
                                            key_areas=["cns_access"])
    ninas_answer = community.answer_question(south_question, by=network.nurse, body="We do.")
    reported = community.report_post(south_question, by=network.lead, reason="Off topic",
                                     answer_id=ninas_answer)
    return {
        "question_id": [str(south_question), str(north_question)],
        "answer_id": [str(ninas_answer)],
        "report_id": [str(reported)],
        "event_id": [str(event)],
        "team_id": [str(network.north), str(network.south)],
        "member_id": [str(network.nurse), str(network.other_nurse), str(network.organiser)],
        "qip_id": [str(north_shared), str(north_draft), str(south_draft)],
        "measure": ["CNS at diagnosis", "Histology"],
        "document_id": [document_id],
        "follow_up_id": [str(asked_south), str(asked_nina)],
        "message_id": [str(community.propose_message(key="fuzz", to_member_id=network.nurse,
                                                     subject="Hi", body="Hi", reason="fuzz")[0])],
    }


# What a schema cannot say: whether an id names something that exists, which
# measures a QIP has, who is asking, and whether a plan is complete enough to
# share. A schema-valid request may be refused (400) for these reasons only.
ONLY_THE_SERVER_KNOWS = (
    "no such ", "the owner must be a member of the QIP's team",
    "you cannot record a contact with yourself", "you cannot ask yourself",
    "is not a measure of this QIP", "is already a measure of this QIP",
    "say what you will improve", "give a time frame", "add at least one measure",
    "must be a member of the QIP's team", "nothing changed", "the aim should say",
    "give a baseline for", "give a target for", "already has a value for",
    "say what needs to change", "this is already your team's QIP",
    "already has a change marked on", "has no change marked on",
    # an uploaded file's content: whether it is empty, of an allowed kind, what it says it is
    "is empty", "must be a PDF, Word", "says it is ",
    # dates against the state of things: a request's day, an event's day
    "cannot be before the request", "your team has not been paired",
    # questions: how many posts the member made this hour, and whom they invite
    "you have posted ", "you cannot invite yourself", "invite at most ",
)


def valid_requests_are_refused_only_for_what_the_schema_cannot_say(ctx, response, case):
    """schemathesis' positive_data_acceptance, except that a 400 is accepted when
    every field it names is refused for one of the reasons above."""
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code == 400:
        fields = response.json()["error"]["fields"]
        unexplained = {f: m for f, m in fields.items() if not m.startswith(ONLY_THE_SERVER_KNOWS)}
        assert fields and not unexplained, f"a schema-valid request was refused: {fields}"
        return True
    return positive_data_acceptance(ctx, response, case)


def session_cookie(web_app: Any, who: str) -> str:
    client = web_app.test_client()
    answer = client.post("/api/v1/session", json={"email": EMAILS[who], "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client.get_cookie("session").value


def log_in_every_case_as(schema: Any, cookie: str) -> None:
    """Tell schemathesis how this API authenticates, so its own auth checks
    (requests without it must be 401) know what to take away. (A ``Cookie``
    header passed to ``call()`` does not work: werkzeug's test client replaces
    it with its own cookie jar, and every request quietly gets a 401.)"""

    @schema.auth()
    class SessionCookie:
        def get(self, case: Any, ctx: Any) -> str:
            return cookie

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.cookies = {**(case.cookies or {}), "session": data}
            # What the API asks of bodiless and multipart changes (web/api/cross_site.py).
            case.headers = {**(case.headers or {}), "X-Requested-With": "schemathesis"}


def cases(operation: Any, existing: dict[str, list[str]]) -> st.SearchStrategy:
    """Valid and invalid requests, some of them (when there are path ids) at real things."""
    found = [operation.as_strategy(mode) for mode in GenerationMode]
    names = [p.name for p in operation.path_parameters]
    if names:
        real = st.fixed_dictionaries({n: st.sampled_from(existing[n]) for n in names})
        found.append(real.flatmap(
            lambda ids: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=ids)))
    return st.one_of(found)


@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_generated_request_gets_a_500_or_an_undocumented_answer(web_app, existing, path,
                                                                   method):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", web_app)
    operation = schema[path][method]
    who = "organiser" if (path, method) in ORGANISERS_ONLY else "nurse"
    log_in_every_case_as(schema, session_cookie(web_app, who))

    statuses: set[int] = set()

    @FUZZ
    @given(case=cases(operation, existing))
    def check(case: Any) -> None:
        answer = case.call_and_validate(
            excluded_checks=[positive_data_acceptance],
            additional_checks=[valid_requests_are_refused_only_for_what_the_schema_cannot_say])
        statuses.add(answer.status_code)

    check()
    assert statuses - {401}, "every request was refused as not logged in"
