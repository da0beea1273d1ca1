"""The kept page header takes each request's form token in its token inputs only:
text a member typed that reads like the slot is shown as typed."""

from __future__ import annotations

from typing import Any

from tests.builders import PASSWORD, SmallNetwork
from tests.web.forms import form_on, submit
from tests.web.reading import csrf_token, log_in, text
from web.nhsuk_html import CSRF_SLOT, form_token_filled


def test_only_the_token_inputs_value_is_filled() -> None:
    kept = (f'<span>{CSRF_SLOT}</span>'
            f'<input type="hidden" name="csrf_token" value="{CSRF_SLOT}">'
            f'<a title="{CSRF_SLOT}">x</a>')

    filled = form_token_filled(kept, "T0KEN")

    assert filled == (f'<span>{CSRF_SLOT}</span>'
                      '<input type="hidden" name="csrf_token" value="T0KEN">'
                      f'<a title="{CSRF_SLOT}">x</a>')


def test_a_member_named_like_the_token_slot_sees_their_name_and_can_log_out(
        community: Any, network: SmallNetwork, client: Any) -> None:
    community.join(email="slot@example.org", name=f'{CSRF_SLOT} value="{CSRF_SLOT}"',
                   role="lung_cancer_nurse_specialist", team_id=network.north,
                   password=PASSWORD)
    assert log_in(client, "slot@example.org").status_code == 302

    page = client.get("/directory")

    assert f'Logged in as {CSRF_SLOT} value="{CSRF_SLOT}"' in text(page.data)
    token = form_on(page.data, "/logout").data({})["csrf_token"]
    assert token == csrf_token(page.data) and token != CSRF_SLOT
    assert submit(client, page.data, action="/logout").status_code == 302
    assert client.get("/directory").status_code == 302  # logged out: the token was real
