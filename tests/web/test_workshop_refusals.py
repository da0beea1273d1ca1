"""A refused change on the workshops pages is said in people's words, never by a field's
code ("meeting_day: …")."""

from __future__ import annotations

from typing import Any

from tests.web.forms import form_on
from tests.web.reading import text


def test_a_meeting_day_no_form_offers_is_refused_by_its_label(nina: Any) -> None:
    page = nina.get("/events").data
    form = form_on(page, having="meeting_day")
    # A tampered post: the select offers only weekdays, so no browser sends this.
    body = {**form.data({}), "meeting_day": "someday"}

    answer = nina.post(form.action, data=body, follow_redirects=True)

    seen = text(answer.data)
    assert ("The meeting day was not saved: MDT meeting day must be a day from Monday to "
            "Friday.") in seen
    assert "meeting_day" not in seen
