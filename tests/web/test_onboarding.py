"""The organisers' import page and the invitation pages, through the Flask test client.

Forms are submitted as the page renders them (tests/web/forms.py), token and all, so
CSRF protection stays on; files are uploaded as multipart/form-data.
"""

from __future__ import annotations

import io
import re
import time
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest

from community import Community
from community.invitations import Invitations
from tests.builders import SmallNetwork
from tests.web.forms import form_on, submit
from tests.web.reading import log_in, log_out, table, text

NINA = "nina.nurse@northshire.nhs.uk"
OLIVE = "olive.organiser@example.org"
TEAMS = ("name,trust,region,latitude,longitude,caseload\n"
         "Westward lung cancer MDT,Westward Hospitals NHS Trust,South West,50.4,-4.1,150\n"
         "Eastfen lung cancer MDT,Eastfen NHS Trust,East of England,52.6,0.3,210\n")
MEMBERS = ("email,name,role,team,expertise\n"
           "wendy@westward.nhs.uk,Wendy West,MDT co-ordinator,Northshire lung cancer MDT,"
           "data collection\n"
           "ed@eastfen.nhs.uk,Ed East,Radiologist,Southmoor lung cancer MDT,\n")
BAD_MEMBERS = ("email,name,role,team\n"
               "wendy@westward.nhs.uk,Wendy West,MDT co-ordinator,Northshire lung cancer MDT\n"
               "not-an-email,Bad Address,Oncologist,Northshire lung cancer MDT\n"
               "lee@nowhere.nhs.uk,Lee,Oncologist,Nowhere MDT\n"
               "WENDY@westward.nhs.uk,Wendy again,Oncologist,Northshire lung cancer MDT\n")
PASSWORD = "a long enough password"


def events(community: Community) -> int:
    return community.recorder.max_notification_id() or 0


def upload(client: Any, kind: str | None, content: str | bytes | None,
           action: str = "check", filename: str = "upload.csv") -> Any:
    """Choose what the file holds (or not), the file (or none) and press a button."""
    values: dict[str, Any] = {"action": action}
    if kind is not None:
        values["kind"] = kind
    files = {}
    if content is not None:
        raw = content.encode("utf-8") if isinstance(content, str) else content
        files["file"] = (raw, filename)
    return submit(client, client.get("/organise/import").data, values, action="/organise/import",
                  having="file", files=files)


def title(response: Any) -> str:
    return re.search(r"<title>(.*?)</title>", response.data.decode(), re.S).group(1).strip()


def invitation_links(response: Any) -> dict[str, str]:
    """E-mail → the link shown to copy, from the invitations table."""
    html = response.data.decode()
    rows = table(html, "invitations")["body"]
    found = re.findall(r'class="nhsuk-input invitation-link"[^>]*value="([^"]+)"', html)
    return {row[0].split()[-1]: link for row, link in zip(rows, found, strict=True)}


# --- who may see the page ------------------------------------------------------------


def test_the_import_page_is_for_organisers_only(client: Any, network: SmallNetwork) -> None:
    response = client.get("/organise/import")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"

    log_in(client, NINA)
    assert client.get("/organise/import").status_code == 403
    # Nina is never shown the form: an empty forged post is refused all the same.
    assert client.post("/organise/import", data={}).status_code in (400, 403)


def test_the_form_has_the_choice_the_file_input_and_two_buttons(olive: Any) -> None:
    html = olive.get("/organise/import").data.decode()

    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input class="nhsuk-file-upload__input" id="file" name="file" type="file"',
                     html)
    assert 'name="csrf_token"' in html
    assert re.search(r'type="radio" value="teams"', html)
    assert re.search(r'type="radio" value="members"', html)
    page = text(html)
    assert "Import teams or members" in page
    assert "Check the file" in page and "Import" in page
    assert "email, name, role, team" in page


# --- mistakes in the form -----------------------------------------------------------------


def test_no_file_chosen_is_a_clear_error_linked_to_the_file_input(olive: Any) -> None:
    response = upload(olive, "members", None)

    assert response.status_code == 400
    assert title(response).startswith("Error: ")
    html = response.data.decode()
    assert re.search(r'<a href="#file"[^>]*>\s*Choose a CSV file to upload', html)
    assert "nhsuk-error-summary" in html


def test_not_saying_what_the_file_holds_is_an_error(olive: Any) -> None:
    response = upload(olive, None, TEAMS)

    assert response.status_code == 400
    assert re.search(r'<a href="#kind"[^>]*>\s*Choose what the file holds',
                     response.data.decode())


def test_a_form_without_its_token_is_refused(olive: Any) -> None:
    # A browser always sends the token: the real form's fields with it taken out.
    body = form_on(olive.get("/organise/import").data, having="file").data(
        {"kind": "teams", "action": "check"})
    del body["csrf_token"]
    response = olive.post("/organise/import", data={
        **body, "file": (io.BytesIO(TEAMS.encode()), "teams.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
        olive: Any, community: Community) -> None:
    before = events(community)
    response = upload(olive, "teams", TEAMS + "x" * (2 * 1024 * 1024))

    assert response.status_code == 413
    assert "The file is larger than 2 MB" in text(response.data)
    assert events(community) == before


# --- checking a file: every problem in a table, nothing written --------------------------


def test_checking_a_bad_members_file_shows_every_problem_and_writes_nothing(
        olive: Any, community: Community) -> None:
    before = events(community)

    response = upload(olive, "members", BAD_MEMBERS, filename="members.csv")

    assert response.status_code == 400
    assert title(response).startswith("Error: ")
    problems = table(response.data, "problems")
    assert problems["head"] == [["Line", "Field", "Problem"]]
    assert [row[:2] for row in problems["body"]] == [["3", "email"], ["4", "team"], ["5", "email"]]
    assert problems["body"][0][2] == "must be an e-mail address like name@nhs.net"
    assert "no team named 'Nowhere MDT' is registered" in problems["body"][1][2]
    assert "is already on line 2" in problems["body"][2][2]
    page = text(response.data)
    assert "members.csv has 3 problems: nothing was imported" in page
    assert re.search(r'<a href="#problems"', response.data.decode())
    assert events(community) == before


def test_importing_a_bad_file_also_writes_nothing(olive: Any, community: Community) -> None:
    before = events(community)
    response = upload(olive, "members", BAD_MEMBERS, action="import")

    assert response.status_code == 400
    assert len(table(response.data, "problems")["body"]) == 3
    assert events(community) == before
    assert community.member_id_by_email("wendy@westward.nhs.uk") is None


def test_a_file_not_saved_as_utf8_is_one_problem_saying_how_to_save_it(olive: Any) -> None:
    response = upload(olive, "teams", TEAMS.replace("Westward", "Wéstward").encode("cp1252"),
                      filename="teams.csv")

    problems = table(response.data, "problems")["body"]
    assert len(problems) == 1
    assert problems[0][:2] == ["2", "file"]
    assert "teams.csv is not saved as UTF-8" in problems[0][2]
    assert "CSV UTF-8" in problems[0][2]


def test_checking_a_good_file_lists_the_rows_to_add_and_writes_nothing(
        olive: Any, community: Community) -> None:
    before = events(community)

    response = upload(olive, "teams", "\ufeff" + TEAMS, filename="teams.csv")

    assert response.status_code == 200
    rows = table(response.data, "new-rows")
    assert rows["head"] == [["Line", "Team", "Trust", "Region"]]
    assert rows["body"] == [
        ["2", "Westward lung cancer MDT", "Westward Hospitals NHS Trust", "South West"],
        ["3", "Eastfen lung cancer MDT", "Eastfen NHS Trust", "East of England"]]
    assert "Rows that will be added (2)" in text(response.data)
    assert events(community) == before

    # The page's own "Import 2 new teams" button imports the file it checked.
    html = response.data.decode()
    form = re.search(r'<form[^>]*class="import-checked".*?</form>', html, re.S).group(0)
    button = re.search(r'<button[^>]*name="action"[^>]*value="([^"]+)"[^>]*>(.*?)</button>',
                       form, re.S)
    assert button and button.group(1) == "import"
    assert text(button.group(2)) == "Import 2 new teams"
    fields = form_on(html, having="carried").data({})
    assert fields["kind"] == "teams" and fields["filename"] == "teams.csv"
    imported = submit(olive, html, action="/organise/import", having="carried", button="action")
    assert imported.status_code == 200, text(imported.data)
    assert "teams.csv is imported" in text(imported.data)
    assert {"Westward lung cancer MDT", "Eastfen lung cancer MDT"} <= {
        t["name"] for t in community.views.directory.teams()}


# --- importing members, then their invitations ----------------------------------------


def test_importing_members_shows_a_link_for_each_new_member(olive: Any,
                                                            community: Community) -> None:
    response = upload(olive, "members", MEMBERS, action="import", filename="members.csv")

    assert response.status_code == 200, text(response.data)
    assert "members.csv is imported" in text(response.data)
    links = invitation_links(response)
    assert set(links) == {"wendy@westward.nhs.uk", "ed@eastfen.nhs.uk"}
    assert all(link.startswith("http://localhost/invitations/") for link in links.values())
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "works once, for 14 days" in text(response.data)
    assert community.member_id_by_email("wendy@westward.nhs.uk") is not None

    again = upload(olive, "members", MEMBERS, action="import")
    assert again.status_code == 200
    assert "2 rows are already in the community" in text(again.data)
    assert "nhsuk-table invitations" not in again.data.decode()


def invite(olive: Any) -> str:
    """Import Wendy and return the path of her invitation link."""
    links = invitation_links(upload(olive, "members", MEMBERS, action="import"))
    return urlsplit(links["wendy@westward.nhs.uk"]).path


def test_the_link_sets_the_password_once_and_logs_the_member_in(
        olive: Any, community: Community) -> None:
    path = invite(olive)
    log_out(olive)

    form = olive.get(path)
    assert form.status_code == 200
    assert form.headers["Referrer-Policy"] == "no-referrer"
    page = text(form.data)
    assert "Choose your password" in page and "Wendy West" in page
    assert "wendy@westward.nhs.uk" in page and "14 days" in page

    response = submit(olive, form.data, {"password": PASSWORD, "confirm_password": PASSWORD},
                      action=path)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/"  # her home page
    home = olive.get("/")
    assert home.status_code == 200
    assert "Welcome, Wendy West." in text(home.data)
    assert community.authenticate("wendy@westward.nhs.uk", PASSWORD) is not None

    used = olive.get(path)
    assert used.status_code == 410
    assert "This link has been used" in text(used.data)
    assert "ask an organiser" in text(used.data)
    # The link is used, so no page shows its form any more: the form as it was, with
    # the token of the page now open (a second tab kept open, say).
    second = olive.post(path, data={**form_on(form.data, action=path).data(
        {"password": "another long password", "confirm_password": "another long password"}),
        "csrf_token": form_on(home.data, "/logout").data({})["csrf_token"]})
    assert second.status_code == 410
    assert community.authenticate("wendy@westward.nhs.uk", PASSWORD) is not None


@pytest.mark.parametrize("password, confirm, field, words", [
    ("", "", "password", "Enter a password"),
    ("short", "short", "password", "Your password must be at least 10 characters"),
    (PASSWORD, PASSWORD + "!", "confirm_password", "The passwords do not match"),
])
def test_a_bad_password_is_shown_in_the_error_summary(olive: Any, community: Community,
                                                      password: str, confirm: str, field: str,
                                                      words: str) -> None:
    path = invite(olive)

    response = submit(olive, olive.get(path).data,
                      {"password": password, "confirm_password": confirm}, action=path)

    assert response.status_code == 400
    assert title(response).startswith("Error: ")
    assert re.search(rf'<a href="#{field}"[^>]*>\s*{re.escape(words)}', response.data.decode())
    assert community.member_by_email("wendy@westward.nhs.uk").password_hash is None


def test_an_expired_link_is_gone(olive: Any, web_app: Any, community: Community) -> None:
    upload(olive, "members", MEMBERS, action="import")
    wendy = community.member_by_email("wendy@westward.nhs.uk")
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    old = Invitations(web_app.secret_key, clock=lambda: fifteen_days_ago).invite(wendy)

    response = olive.get(f"/invitations/{old.token}")

    assert response.status_code == 410
    assert "This link has expired" in text(response.data)
    assert "links work for 14 days" in text(response.data)
    assert "Ask an organiser" in text(response.data)


def test_a_made_up_link_is_not_found(client: Any, network: SmallNetwork) -> None:
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 404
    assert "This link is not valid" in text(response.data)


# --- a new link for someone whose link expired ------------------------------------------


def new_link(client: Any, email: str) -> Any:
    return submit(client, client.get("/organise/import").data, {"email": email},
                  action="/organise/invitations")


def test_an_organiser_makes_a_new_link_and_the_first_one_used_ends_the_others(
        olive: Any, community: Community) -> None:
    first = invite(olive)

    response = new_link(olive, "Wendy@Westward.nhs.uk ")

    assert response.status_code == 200
    links = invitation_links(response)
    assert list(links) == ["wendy@westward.nhs.uk"]
    second = urlsplit(links["wendy@westward.nhs.uk"]).path
    submit(olive, olive.get(second).data, {"password": PASSWORD, "confirm_password": PASSWORD},
           action=second)
    assert olive.get(first).status_code == 410


@pytest.mark.parametrize("email, words", [
    ("", "Enter the member's e-mail address"),
    ("nobody@nowhere.nhs.uk", "No member has the e-mail address nobody@nowhere.nhs.uk"),
    (NINA, "nina.nurse@northshire.nhs.uk has already set a password: they can log in with it"),
])
def test_no_new_link_for_an_unknown_address_or_a_member_with_a_password(
        olive: Any, email: str, words: str) -> None:
    response = new_link(olive, email)

    assert response.status_code == 400
    assert re.search(rf'<a href="#email"[^>]*>\s*{re.escape(words)}',
                     unescape(response.data.decode()))


def test_only_organisers_make_new_links(client: Any, network: SmallNetwork) -> None:
    log_in(client, NINA)
    # Nina is never shown the form: a forged post with the field the organisers' form has.
    token = form_on(client.get("/directory").data, "/logout").data({})["csrf_token"]
    response = client.post("/organise/invitations", data={"csrf_token": token, "email": NINA})
    assert response.status_code == 403
