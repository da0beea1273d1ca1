"""The test helper that submits forms as a browser does refuses what a browser could
not send: a field the form does not have, or a choice it does not offer."""

from __future__ import annotations

import pytest

from tests.web.forms import form_on

PAGE = """<form method="post" action="/qips/1/progress?x=1" novalidate>
<input type="hidden" name="csrf_token" value="token">
<select name="measure"><option value="A">A</option><option value="B" selected>B</option></select>
<input name="date[day]" type="text"><input name="date[month]"><input name="date[year]">
<textarea name="notes">
kept</textarea>
<input type="checkbox" name="roles" value="nurse" checked>
<input type="checkbox" name="roles" value="surgeon">
<button type="submit">Record value</button></form>
<form method="get" action="/search"><input name="q"></form>"""


def test_a_browser_sends_the_token_the_chosen_option_and_the_ticked_boxes() -> None:
    form = form_on(PAGE, "/qips/1/progress")

    assert form.data({"date[day]": "3"}) == {
        "csrf_token": "token", "measure": "B", "date[day]": "3", "date[month]": "",
        "date[year]": "", "notes": "kept", "roles": "nurse"}


def test_a_field_the_form_does_not_have_fails_the_test_before_anything_is_posted() -> None:
    form = form_on(PAGE, "/qips/1/progress")

    with pytest.raises(AssertionError, match=r"no field \['date-day'\]"):
        form.data({"date-day": "31"})


def test_a_choice_the_form_does_not_offer_fails_the_test() -> None:
    form = form_on(PAGE, having="measure")

    with pytest.raises(AssertionError, match="offers"):
        form.data({"measure": "C"})
    assert form.data({"roles": ["surgeon", "nurse"], "measure": "A"})["roles"] == [
        "surgeon", "nurse"]
    assert "roles" not in form.data({"roles": None})
