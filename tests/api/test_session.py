"""Logging in and out of the API, and asking who I am."""

from __future__ import annotations

from tests.api.conftest import EMAILS, error_of, fields_of, json_of
from tests.builders import PASSWORD


def test_logging_in_answers_with_the_member_and_keeps_them_logged_in(anonymous, network):
    member = json_of(anonymous.log_in(EMAILS["nurse"]), 200)["member"]

    assert member["id"] == str(network.nurse)
    assert member["name"] == "Nina Nurse"
    assert member["role"] == "lung_cancer_nurse_specialist"
    assert member["team_id"] == str(network.north)
    assert member["team"] == "Northshire lung cancer MDT"
    assert member["email"] == EMAILS["nurse"]
    assert "password" not in str(member).lower()
    assert json_of(anonymous.get("/me"), 200)["member"]["id"] == str(network.nurse)


def test_the_email_is_matched_whatever_its_case_and_surrounding_spaces(anonymous, network):
    member = json_of(anonymous.log_in("  NINA.Nurse@Northshire.NHS.uk "), 200)["member"]

    assert member["id"] == str(network.nurse)


def test_a_wrong_password_is_401_and_does_not_log_in(anonymous, network):
    error = error_of(anonymous.log_in(EMAILS["nurse"], "not the password"), 401)

    assert "match" in error["message"]
    error_of(anonymous.get("/me"), 401)


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(anonymous, network):
    unknown = error_of(anonymous.log_in("nobody@example.org", PASSWORD), 401)
    wrong = error_of(anonymous.log_in(EMAILS["nurse"], "nope"), 401)

    assert unknown == wrong


def test_a_missing_password_is_400_naming_the_field(anonymous, network):
    fields = fields_of(anonymous.post("/session", {"email": EMAILS["nurse"]}))

    assert set(fields) == {"password"}


def test_an_empty_email_is_400_naming_the_field(anonymous, network):
    fields = fields_of(anonymous.post("/session", {"email": "", "password": PASSWORD}))

    assert set(fields) == {"email"}


def test_an_unknown_field_in_the_login_is_400_naming_it(anonymous, network):
    fields = fields_of(anonymous.post("/session", {"email": EMAILS["nurse"],
                                                   "password": PASSWORD, "remember": True}))

    assert set(fields) == {"remember"}


def test_a_form_encoded_login_is_400_asking_for_json(anonymous, network):
    answer = anonymous.post("/session", data={"email": EMAILS["nurse"], "password": PASSWORD})

    assert set(fields_of(answer)) == {"body"}
    error_of(anonymous.get("/me"), 401)


def test_malformed_json_is_400(anonymous, network):
    answer = anonymous.post("/session", data='{"email": ',
                            headers={"Content-Type": "application/json"})

    assert set(fields_of(answer)) == {"body"}


def test_a_json_body_that_is_not_an_object_is_400(anonymous, network):
    answer = anonymous.post("/session", json=[EMAILS["nurse"], PASSWORD])

    assert set(fields_of(answer)) == {"body"}


def test_logging_out_is_204_and_then_me_is_401(nurse):
    json_of(nurse.get("/me"), 200)

    answer = nurse.delete("/session")

    assert answer.status_code == 204
    assert answer.content == b""
    assert error_of(nurse.get("/me"), 401)["code"] == "not_logged_in"


def test_logging_out_when_not_logged_in_is_still_204(anonymous):
    assert anonymous.delete("/session").status_code == 204


def test_me_shows_my_own_details_including_my_email(organiser, network):
    member = json_of(organiser.get("/me"), 200)["member"]

    assert member["id"] == str(network.organiser)
    assert member["is_organiser"] is True
    assert member["team_id"] is None
    assert member["email"] == EMAILS["organiser"]


def test_logging_in_as_someone_else_replaces_the_session(nurse, network):
    json_of(nurse.log_in(EMAILS["other_nurse"]), 200)

    assert json_of(nurse.get("/me"), 200)["member"]["id"] == str(network.other_nurse)


def test_ten_wrong_passwords_make_the_account_wait_with_retry_after(anonymous, network):
    # Issue 13: 300 wrong passwords got 300 plain 401s and the right one still worked.
    answers = [anonymous.log_in(EMAILS["nurse"], f"guess number {n}").status_code
               for n in range(10)]
    refused = anonymous.log_in(EMAILS["nurse"], PASSWORD)

    assert answers == [401] * 10
    # Flask-Limiter restates the header in whole seconds from its own clock.
    assert 15 * 60 - 5 <= int(refused.headers["Retry-After"]) <= 15 * 60
    error = error_of(refused, 429)
    assert error["message"] == ("too many wrong passwords for this account; "
                                "try again in 15 minutes")
    error_of(anonymous.get("/me"), 401)


def test_one_address_cannot_try_more_than_thirty_logins_a_minute(anonymous, network):
    answers = [anonymous.log_in(f"someone{n}@example.org", "a guess at it").status_code
               for n in range(31)]

    assert answers == [401] * 30 + [429]


def test_the_address_wait_has_retry_after_too(anonymous, network):
    for n in range(30):
        anonymous.log_in(f"someone{n}@example.org", "a guess at it")

    refused = anonymous.log_in(EMAILS["nurse"])

    error_of(refused, 429)
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_a_session_cookie_copied_before_logging_out_no_longer_works(nurse, api):
    # Issue 13: the cookie was all there was, so a copy stayed valid for 31 days.
    copy = api()
    copy.http.cookies.update(nurse.http.cookies)
    json_of(copy.get("/me"), 200)

    assert nurse.delete("/session").status_code == 204

    assert error_of(copy.get("/me"), 401)["code"] == "not_logged_in"
