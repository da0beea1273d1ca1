"""A member's notification choices and read marks, as events of their own settings."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import Invalid
from domain.member import NotificationSettings

SOME_ID = "6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11"


def nina() -> NotificationSettings:
    return NotificationSettings.start(uuid4())


def test_choosing_e_mails_keeps_the_listed_order_and_a_repeat_records_nothing() -> None:
    settings = nina()

    assert settings.choose_emails(["event_planned", "changes_requested"], chosen_on="2013-06-01")
    assert not settings.choose_emails("changes_requested,event_planned", chosen_on="2013-06-02")
    assert settings.email_kinds == ["changes_requested", "event_planned"]
    assert [type(e).__name__ for e in settings.collect_events()] == ["Started", "EmailChoicesMade"]


def test_an_unknown_kind_is_refused_naming_the_choices() -> None:
    with pytest.raises(Invalid) as refused:
        nina().choose_emails(["gossip"], chosen_on="2013-06-01")
    assert "must be some of: changes_requested" in refused.value.fields["kinds"]


def test_read_marks_take_notification_ids_only() -> None:
    settings = nina()
    settings.read([SOME_ID.upper(), SOME_ID])
    with pytest.raises(Invalid) as refused:
        settings.read(["1; drop table"])

    assert refused.value.fields["ids"].startswith("are not notification ids")
    assert settings.collect_events()[-1].ids == [SOME_ID]
