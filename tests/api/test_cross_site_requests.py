"""Cross-site request forgery on the API (issue 13). The API once skipped CSRF on the
grounds that it only takes JSON, but bodiless and multipart routes (adapting a QIP,
uploading a document, registering for an event) took cross-site requests that carried
the member's cookie. Now every state-changing request made with the session cookie must
be JSON or carry ``X-Requested-With`` (which a page on another site cannot send without
our CORS consent), and one whose Origin is another site is refused outright."""

from __future__ import annotations

import pytest
import requests

from tests.api.conftest import error_of, json_of

PDF_BYTES = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"


@pytest.fixture
def event_id(community, network) -> str:
    return str(community.plan_event(by=network.organiser, kind="national_workshop",
                                    title="Nurses' day", starts_on="2013-07-01", place="Leeds"))


def raw(client) -> requests.Session:
    """The member's cookie alone, as a browser sends it to a forged form's target."""
    forged = requests.Session()
    forged.cookies.update(client.http.cookies)
    return forged


def test_a_bodiless_post_with_only_the_cookie_is_refused_and_nothing_is_adapted(
        other_nurse, shared):
    forged = raw(other_nurse).post(f"{other_nurse.base}/qips/{shared['id']}/adapt",
                                   timeout=30)

    error = error_of(forged, 403)
    assert "X-Requested-With" in error["message"]
    assert json_of(other_nurse.get(f"/qips/{shared['id']}/adoptions"), 200)["adoptions"] == []


def test_a_multipart_upload_with_only_the_cookie_is_refused_and_nothing_is_attached(
        nurse, shared):
    forged = raw(nurse).post(f"{nurse.base}/qips/{shared['id']}/documents", timeout=30,
                             files={"file": ("case.pdf", PDF_BYTES)})

    error_of(forged, 403)
    assert json_of(nurse.get(f"/qips/{shared['id']}"), 200)["qip"]["documents"] == []


def test_registering_for_an_event_needs_the_header_and_works_with_it(nurse, event_id):
    path = f"{nurse.base}/events/{event_id}/registration"
    error_of(raw(nurse).post(path, timeout=30), 403)

    answer = raw(nurse).post(path, timeout=30, headers={"X-Requested-With": "a script"})

    assert answer.status_code in (200, 201, 204), answer.text


def test_a_json_request_from_another_site_is_refused_even_with_the_header(nurse, draft):
    answer = nurse.patch(f"/qips/{draft['id']}", {"version": draft["version"], "title": "Forged"},
                         headers={"Origin": "https://evil.example", "X-Requested-With": "x"})

    error_of(answer, 403)
    assert json_of(nurse.get(f"/qips/{draft['id']}"), 200)["qip"]["title"] != "Forged"


def test_a_json_request_from_our_own_pages_is_taken(nurse, draft):
    answer = nurse.patch(f"/qips/{draft['id']}", {"version": draft["version"], "title": "Ours"},
                         headers={"Origin": nurse.server})

    assert json_of(answer, 200)["qip"]["title"] == "Ours"


def test_the_openapi_document_says_how_to_call_the_api_safely(anonymous):
    description = json_of(anonymous.get("/openapi.json"), 200)["info"]["description"]

    assert "X-Requested-With" in description and "Origin" in description
