"""POST /api/v1/imports/teams and /imports/members over real HTTP, as a tool would call them;
then each new member follows their invitation link like a person in a browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import given

from tests.api.conftest import ApiClient, error_of, fields_of, json_of
from tests.api.test_fuzzing import FUZZ, cases, log_in_every_case_as, session_cookie
from tests.builders import SmallNetwork

TEAMS = ("name,trust,region,latitude,longitude,caseload\n"
         "Westward lung cancer MDT,Westward Hospitals NHS Trust,South West,50.4,-4.1,150\n"
         "Eastfen lung cancer MDT,Eastfen NHS Trust,East of England,52.6,0.3,210\n")
MEMBERS = ("email,name,role,team,expertise,consents_to_contact\n"
           "wendy@westward.nhs.uk,Wendy West,MDT co-ordinator,Westward lung cancer MDT,"
           "data collection; audit,yes\n"
           "ed@eastfen.nhs.uk,Ed East,radiologist,Eastfen lung cancer MDT,,no\n")
BAD_MEMBERS = ("email,name,role,team\n"
               "wendy@westward.nhs.uk,Wendy West,MDT co-ordinator,Northshire lung cancer MDT\n"
               "not-an-email,Bad Address,Oncologist,Northshire lung cancer MDT\n"
               "lee@nowhere.nhs.uk,Lee,Oncologist,Nowhere MDT\n"
               "WENDY@westward.nhs.uk,Wendy again,Oncologist,Northshire lung cancer MDT\n")
PASSWORD = "a long enough password"


def team_names(client: ApiClient) -> set[str]:
    return {t["name"] for t in json_of(client.get("/teams"), 200)["teams"]}


def member_count(client: ApiClient) -> int:
    return json_of(client.get("/members"), 200)["total"]


# --- who may import -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/imports/teams", "/imports/members"])
def test_only_organisers_may_import(anonymous: ApiClient, nurse: ApiClient, path: str) -> None:
    assert error_of(anonymous.post(path, {"csv": TEAMS}), 401)["code"] == "not_logged_in"
    assert error_of(nurse.post(path, {"csv": TEAMS}), 403)["code"] == "not_allowed"


# --- teams ----------------------------------------------------------------------------------


def test_a_dry_run_checks_and_writes_nothing(organiser: ApiClient) -> None:
    before = team_names(organiser)

    answer = json_of(organiser.post("/imports/teams", {"csv": TEAMS, "dry_run": True}), 200)

    assert answer == {"dry_run": True, "new": 2, "unchanged": 0, "problems": [],
                      "invitations": []}
    assert team_names(organiser) == before


def test_importing_teams_registers_them_and_again_changes_nothing(organiser: ApiClient) -> None:
    first = json_of(organiser.post("/imports/teams", {"csv": TEAMS}), 200)
    assert (first["dry_run"], first["new"], first["unchanged"]) == (False, 2, 0)
    assert {"Westward lung cancer MDT", "Eastfen lung cancer MDT"} <= team_names(organiser)

    again = json_of(organiser.post("/imports/teams", {"csv": "\ufeff" + TEAMS}), 200)
    assert (again["new"], again["unchanged"]) == (0, 2)


# --- members and their invitations ------------------------------------------------------


def test_a_bad_members_file_is_refused_with_every_problem_and_nothing_written(
        organiser: ApiClient) -> None:
    before = member_count(organiser)

    answer = organiser.post("/imports/members", {"csv": BAD_MEMBERS})

    error = error_of_refusal(answer)
    assert error["code"] == "invalid"
    assert error["fields"] == {"csv": "3 problems in the file: see problems"}
    assert error["message"] == "Nothing was imported: 3 problems to fix first."
    problems = answer.json()["problems"]
    assert [(p["line"], p["field"]) for p in problems] == [(3, "email"), (4, "team"),
                                                           (5, "email")]
    assert problems[0]["message"] == "must be an e-mail address like name@nhs.net"
    assert all(p["file"] == "members.csv" for p in problems)
    assert member_count(organiser) == before


def error_of_refusal(response: requests.Response) -> dict[str, Any]:
    """A 400 whose body is the v1 error plus the problems list."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"error", "problems"}, body
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_members_and_their_teams_in_one_request_are_imported_together(
        organiser: ApiClient) -> None:
    answer = json_of(organiser.post("/imports/members", {"csv": MEMBERS, "teams_csv": TEAMS}),
                     200)

    assert (answer["new"], answer["unchanged"]) == (4, 0)
    assert [i["email"] for i in answer["invitations"]] == ["wendy@westward.nhs.uk",
                                                          "ed@eastfen.nhs.uk"]


def test_a_refused_team_refuses_the_members_with_it(organiser: ApiClient) -> None:
    before = (team_names(organiser), member_count(organiser))
    bad_teams = TEAMS.replace("50.4", "500")

    answer = organiser.post("/imports/members", {"csv": MEMBERS, "teams_csv": bad_teams})

    error_of_refusal(answer)
    assert [(p["file"], p["line"], p["field"]) for p in answer.json()["problems"]] == [
        ("teams.csv", 2, "latitude")]
    assert (team_names(organiser), member_count(organiser)) == before


def test_each_new_member_gets_a_link_that_sets_their_password_once(
        organiser: ApiClient, live_server: str) -> None:
    organiser.post("/imports/teams", {"csv": TEAMS})
    answer = json_of(organiser.post("/imports/members", {"csv": MEMBERS}), 200)

    assert (answer["new"], answer["unchanged"]) == (2, 0)
    wendy = answer["invitations"][0]
    assert wendy["email"] == "wendy@westward.nhs.uk"
    assert wendy["link"].startswith(f"{live_server}/invitations/")
    again = json_of(organiser.post("/imports/members", {"csv": MEMBERS}), 200)
    assert (again["new"], again["unchanged"], again["invitations"]) == (0, 2, [])

    # Wendy, in her browser: follows the link, chooses a password, is logged in.
    browser = requests.Session()
    try:
        form = browser.get(wendy["link"], timeout=30)
        assert form.status_code == 200 and "Choose your password" in form.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        done = browser.post(wendy["link"], timeout=30, data={
            "csrf_token": token, "password": PASSWORD, "confirm_password": PASSWORD})
        assert done.status_code == 200 and done.url.endswith("/")  # her home page
        assert "Welcome, Wendy West." in done.text
        assert browser.get(wendy["link"], timeout=30).status_code == 410
    finally:
        browser.close()

    tool = ApiClient(live_server)
    try:
        me = json_of(tool.log_in("wendy@westward.nhs.uk", PASSWORD), 200)["member"]
        assert (me["id"], me["role"]) == (wendy["member_id"], "mdt_coordinator")
    finally:
        tool.close()


# --- the request body ------------------------------------------------------------------------


@pytest.mark.parametrize("body, field, words", [
    ({}, "csv", "is required"),
    ({"csv": 42}, "csv", "must be text"),
    ({"csv": TEAMS, "dry_run": "yes"}, "dry_run", "must be true or false"),
    ({"csv": TEAMS, "dryrun": True}, "dryrun", "is not a field this request takes"),
    ({"csv": "name\u0000"}, "csv", "must not contain NUL characters"),
])
def test_a_wrong_body_is_refused_by_field(organiser: ApiClient, body: dict[str, Any],
                                          field: str, words: str) -> None:
    assert fields_of(organiser.post("/imports/teams", body))[field] == words


def test_the_imports_are_in_the_openapi_document(anonymous: ApiClient) -> None:
    document = json_of(anonymous.get("/openapi.json"), 200)
    for path in ("/imports/teams", "/imports/members"):
        operation = document["paths"][path]["post"]
        assert {"200", "400", "401", "403"} <= set(operation["responses"])
    assert "teams_csv" in document["paths"]["/imports/members"]["post"]["requestBody"][
        "content"]["application/json"]["schema"]["properties"]


# --- fuzzed as an organiser -----------------------------------------------------------------
# tests/api/test_fuzzing.py fuzzes every operation as a nurse, who gets 403 here; these
# run the import itself. Generated text is rarely a valid CSV, so a schema-valid request
# may be refused (400) only with the problems listed.


def refused_only_with_problems_listed(ctx: Any, response: Any, case: Any) -> bool | None:
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code not in (200, 400):
        raise AssertionError(f"a schema-valid import got {response.status_code}")
    if positive and response.status_code == 400:
        assert response.json()["problems"], "refused without a problem listed"
    return True


@pytest.mark.parametrize("path", ["/imports/teams", "/imports/members"])
def test_fuzzed_imports_never_fail_or_answer_off_the_document(web_app: Any,
                                                             network: SmallNetwork,
                                                             path: str) -> None:
    from schemathesis.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", web_app)
    operation = schema[path]["POST"]
    log_in_every_case_as(schema, session_cookie(web_app, "organiser"))
    statuses: set[int] = set()

    @FUZZ
    @given(case=cases(operation, {}))
    def check(case: Any) -> None:
        answer = case.call_and_validate(excluded_checks=[positive_data_acceptance],
                                        additional_checks=[refused_only_with_problems_listed])
        statuses.add(answer.status_code)

    check()
    assert 400 in statuses and statuses <= {200, 400, 401}, statuses
