"""Profile pages through the Flask test client: a member's profile, and editing your
own. Forms are submitted as the page renders them (tests/web/forms.py)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from community import Community
from tests.builders import SmallNetwork
from tests.spying import spy
from tests.web.forms import form_on, submit
from tests.web.reading import links, log_in, text
from web.profiles import clinic_days_text

NINA = "nina.nurse@northshire.nhs.uk"
SARA = "sara.south@southmoor.nhs.uk"
OLIVE = "olive.organiser@example.org"


@pytest.fixture
def sara_profile(community: Any, network: SmallNetwork) -> None:
    community.update_profile(
        network.other_nurse, by=network.other_nurse, expertise=["EBUS", "nurse-led clinics"],
        help_with="Running a nurse-led follow-up clinic.\nEBUS lists.",
        clinic_days=["thursday", "tuesday"], contact_channels=["phone", "visit"],
        phone="01392 496 000")


def version_of(page: Any) -> str:
    """The version the edit form carries, as the page gave it."""
    return form_on(page.data, "/profile").data({})["version"]


def save(client: Any, page: Any, **changes: Any) -> Any:
    """The edit form sent back with Nina's current answers, changed as given
    (``None`` unticks every box of a field)."""
    return submit(client, page.data, changes, action="/profile")


def tampered(page: Any, **changes: Any) -> dict[str, Any]:
    """The edit form's body, then altered as no browser could (kept to the form's
    own field names)."""
    body = form_on(page.data, "/profile").data({})
    assert set(changes) <= set(body) | {"csrf_token", "version"}, changes
    return {**body, **changes}


# --- wording -----------------------------------------------------------------------------


@pytest.mark.parametrize("days, said", [
    ([], "No clinic days given"),
    (["tuesday"], "Clinics on Tuesday"),
    (["thursday", "tuesday"], "Clinics on Tuesday and Thursday"),
    (["friday", "monday", "wednesday"], "Clinics on Monday, Wednesday and Friday"),
])
def test_clinic_days_read_as_a_sentence(days: list[str], said: str) -> None:
    assert clinic_days_text(days) == said


# --- a member's profile ------------------------------------------------------------------


def test_a_profile_shows_who_they_are_and_when_not_to_call(nina: Any, network: SmallNetwork,
                                                           sara_profile: None) -> None:
    page = nina.get(f"/members/{network.other_nurse}")

    assert page.status_code == 200
    seen = text(page.data)
    for shown in ("Sara South", "Lung cancer nurse specialist", "Southmoor lung cancer MDT",
                  "Southmoor NHS Foundation Trust", "South West", "ebus", "nurse-led clinics",
                  "Running a nurse-led follow-up clinic. EBUS lists.",
                  "Clinics on Tuesday and Thursday", "Phone", "Visit"):
        assert shown in seen, shown
    assert links(page.data)["Southmoor lung cancer MDT"] == f"/teams/{network.south}"
    assert "Find your counterparts" not in links(page.data)
    assert "Edit your profile" not in links(page.data)


def test_contact_details_show_only_with_consent(nina: Any, community: Any,
                                                network: SmallNetwork,
                                                sara_profile: None) -> None:
    shown = text(nina.get(f"/members/{network.other_nurse}").data)
    assert SARA in shown and "01392 496 000" in shown

    community.update_profile(network.other_nurse, by=network.other_nurse,
                             consents_to_contact=False)
    hidden = nina.get(f"/members/{network.other_nurse}").data.decode()

    assert SARA not in hidden and "01392 496 000" not in hidden
    assert "has not agreed to be contacted directly" in text(hidden)
    assert "Ask the organisers to introduce me" in text(hidden)


def test_an_organiser_page_too_hides_contact_details_without_consent(
        client: Any, community: Any, network: SmallNetwork, sara_profile: None) -> None:
    community.update_profile(network.other_nurse, by=network.other_nurse,
                             consents_to_contact=False)
    log_in(client, OLIVE)

    page = client.get(f"/members/{network.other_nurse}").data.decode()

    assert SARA not in page and "01392 496 000" not in page


def test_your_own_profile_shows_your_details_and_links_to_edit_and_counterparts(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.update_profile(network.nurse, by=network.nurse, consents_to_contact=False,
                             phone="0161 496 0000")

    page = nina.get(f"/members/{network.nurse}")
    seen = text(page.data)

    assert NINA in seen and "0161 496 0000" in seen
    assert "You have not agreed to be contacted directly" in seen
    assert links(page.data)["Find your counterparts"] == "/counterparts"
    assert links(page.data)["Edit your profile"] == "/profile"
    assert "I contacted" not in seen


def test_a_profile_lists_the_workshops_attended_newest_first(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.hold_workshop(by=None, kind="introductory_workshop", title="Introductory workshop",
                            held_on="2010-05-01", attendee_ids=[network.other_nurse])
    community.hold_workshop(by=None, kind="national_workshop", title="National workshop",
                            held_on="2011-09-14", attendee_ids=[network.other_nurse, network.nurse])
    community.hold_workshop(by=None, kind="online_conference", title="Not Sara's",
                            held_on="2011-10-01", attendee_ids=[network.nurse])

    seen = text(nina.get(f"/members/{network.other_nurse}").data)

    assert "National workshop – National workshop, 14 September 2011" in seen
    assert seen.index("National workshop") < seen.index("Introductory workshop")
    assert "Not Sara's" not in seen


def test_an_unknown_member_is_a_404_page(nina: Any) -> None:
    page = nina.get("/members/no-such-member")

    assert page.status_code == 404
    assert "There is no member at this address" in text(page.data)


def test_logged_out_profile_pages_send_people_to_log_in(client: Any,
                                                        network: SmallNetwork) -> None:
    for path in (f"/members/{network.nurse}", "/profile"):
        response = client.get(path)
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/login"
    # A post from elsewhere, without the form's token, is refused before anything else.
    assert client.post("/profile", data={"phone": "1"}).status_code == 400


# --- editing your profile --------------------------------------------------------------------


def test_the_edit_form_shows_your_current_answers_with_labels(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.update_profile(network.nurse, by=network.nurse, clinic_days=["wednesday"],
                             contact_channels=["email"], help_with="Clinics",
                             phone="0161 496 0000")

    page = nina.get("/profile")
    html = page.data.decode()

    assert page.status_code == 200
    assert version_of(page) == "2"
    for label in ("Your role", "Your expertise", "What you can help with",
                  "Which days do you run clinics?", "Can other members contact you directly?",
                  "How would you like to be contacted?", "Phone number (optional)"):
        assert label in text(html), label
    assert re.search(r'<option value="lung_cancer_nurse_specialist" selected', html)
    assert 'value="organiser"' not in html  # the organisers' role is theirs alone
    assert re.search(r'value="wednesday" checked', html)
    assert not re.search(r'value="tuesday" checked', html)
    assert re.search(r'id="consents_to_contact" name="consents_to_contact" type="radio" '
                     r'value="yes" checked', html)
    assert re.search(r'value="email" checked', html)
    assert 'value="nurse-led clinics"' in html and 'value="0161 496 0000"' in html
    assert ">Clinics</textarea>" in html


def test_saving_the_form_changes_the_profile_and_shows_it(nina: Any, community: Any,
                                                          network: SmallNetwork) -> None:
    response = save(nina, nina.get("/profile"), expertise="EBUS, Trials",
                    clinic_days=["thursday", "tuesday"], help_with="Trials recruitment\r\nEBUS",
                    contact_channels=["phone", "visit"], phone="0161 496 0000",
                    consents_to_contact="no")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/members/{network.nurse}"
    member = community.member(network.nurse)
    assert (member.expertise, member.clinic_days, member.help_with, member.phone,
            member.consents_to_contact) == (["ebus", "trials"], ["tuesday", "thursday"],
                                             "Trials recruitment\nEBUS", "0161 496 0000", False)
    seen = text(nina.get(response.headers["Location"]).data)
    assert "Your profile has been saved." in seen
    assert "Clinics on Tuesday and Thursday" in seen and "trials" in seen


def test_unticking_every_box_clears_the_days_and_channels(nina: Any, community: Any,
                                                          network: SmallNetwork) -> None:
    community.update_profile(network.nurse, by=network.nurse, clinic_days=["monday"],
                             contact_channels=["visit"])

    page = nina.get("/profile")
    assert save(nina, page, clinic_days=None, contact_channels=None).status_code == 302

    member = community.member(network.nurse)
    assert (member.clinic_days, member.contact_channels) == ([], [])


def test_bad_input_shows_an_error_summary_linking_to_each_field(nina: Any, community: Any,
                                                                 network: SmallNetwork) -> None:
    page = save(nina, nina.get("/profile"), phone="ring me", help_with="x" * 1001,
                consents_to_contact=None)
    html = page.data.decode()

    assert page.status_code == 400
    assert "<title>Error: Edit your profile" in html
    summary = html[html.index("nhsuk-error-summary"):html.index("<h1>Edit your profile")]
    assert re.findall(r'href="#([^"]+)"', summary) == ["help_with", "consents_to_contact",
                                                       "phone"]
    assert "Enter a phone number using only digits, spaces, + and brackets" in text(summary)
    assert 'id="phone"' in html and 'value="ring me"' in html  # what was typed stays
    assert community.member(network.nurse).version == 1


def test_a_change_from_another_window_first_is_a_conflict(nina: Any, community: Any,
                                                          network: SmallNetwork) -> None:
    stale = nina.get("/profile")
    community.update_profile(network.nurse, by=network.nurse, phone="0161 496 0000")

    page = save(nina, stale, phone="0161 496 1111")

    assert page.status_code == 409
    seen = text(page.data)
    assert "This profile was changed in another window; reload" in seen
    assert links(page.data)["Reload your profile"] == "/profile"
    assert community.member(network.nurse).phone == "0161 496 0000"


def test_a_form_without_its_token_changes_nothing(nina: Any, community: Any,
                                                  network: SmallNetwork) -> None:
    # A browser always sends the token: a post from elsewhere would not.
    form = tampered(nina.get("/profile"), phone="0161 496 0000")
    del form["csrf_token"]

    assert nina.post("/profile", data=form).status_code == 400
    assert community.member(network.nurse).phone == ""


def test_a_form_without_its_version_asks_to_reload(nina: Any, community: Any,
                                                   network: SmallNetwork) -> None:
    # The version is a hidden field: only a tampered (or truncated) post comes without it.
    form = tampered(nina.get("/profile"), phone="0161 496 0000", version="")

    page = nina.post("/profile", data=form)

    assert page.status_code == 400
    assert "reload the page and try again" in text(page.data)
    assert community.member(network.nurse).phone == ""


def test_a_member_cannot_take_the_organiser_role(nina: Any, community: Any,
                                                 network: SmallNetwork) -> None:
    # The form does not offer the organisers' role: only a tampered post can ask for it.
    page = nina.post("/profile", data=tampered(nina.get("/profile"), role="organiser"))

    assert page.status_code == 400
    assert "Only the programme's organisers can have the organiser role" in text(page.data)


def test_the_logged_in_member_is_read_again_only_once_the_directory_changes(
        nina: Any, community: Community, network: SmallNetwork, monkeypatch: Any) -> None:
    nina.get("/api/v1/me")
    reads = spy(monkeypatch, community.views.directory, "member")

    before = nina.get("/api/v1/me").get_json()["member"]["role"]
    community.update_profile(network.nurse, by=network.nurse, role="clinical_lead")
    after = nina.get("/api/v1/me").get_json()["member"]["role"]

    assert (before, after) == ("lung_cancer_nurse_specialist", "clinical_lead")
    assert reads == [str(network.nurse)]  # for the change, not for the page before it


def test_another_members_row_is_kept_for_their_profile_and_counterparts_until_it_changes(
        nina: Any, community: Community, network: SmallNetwork, monkeypatch: Any) -> None:
    other = str(network.other_nurse)
    pages = [f"/api/v1/members/{other}", f"/api/v1/members/{other}/counterparts",
             f"/members/{other}"]
    for page in pages:
        nina.get(page)
    reads = spy(monkeypatch, community.views.directory, "member")

    shown = [nina.get(page).status_code for page in pages]
    kept_reads = list(reads)
    community.update_profile(network.other_nurse, by=network.other_nurse, role="clinical_lead")
    after = nina.get(f"/api/v1/members/{other}").get_json()["member"]["role"]

    assert shown == [200, 200, 200] and kept_reads == []
    assert after == "clinical_lead"
    assert nina.get(f"/api/v1/members/{'0' * 8}-0000-0000-0000-{'0' * 12}").status_code == 404
