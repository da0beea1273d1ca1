"""Contacts between members and the workshops the programme held."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.contact import Contact
from domain.errors import Invalid
from domain.values import WorkshopKind
from domain.workshop import Workshop

NINA, SARA, OLIVE = uuid4(), uuid4(), uuid4()


def test_a_contact_between_two_members_is_recorded_with_its_day_and_topic() -> None:
    contact = Contact.make(from_member_id=NINA, to_member_id=SARA, topic=" EBUS waits ",
                           facilitated=1, made_on="2012-02-10")

    assert (contact.from_member_id, contact.to_member_id) == (NINA, SARA)
    assert (contact.topic, contact.facilitated, contact.made_on) == (
        "EBUS waits", True, date(2012, 2, 10))


def test_nobody_can_record_a_contact_with_themselves() -> None:
    with pytest.raises(Invalid) as raised:
        Contact.make(from_member_id=NINA, to_member_id=NINA, topic="EBUS", facilitated=False,
                     made_on="2012-02-10")

    assert set(raised.value.fields) == {"to_member_id"}
    assert "yourself" in raised.value.fields["to_member_id"]


def test_a_contact_without_a_topic_or_with_a_day_out_of_range_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        Contact.make(from_member_id=NINA, to_member_id=SARA, topic="", facilitated=False,
                     made_on="1999-12-31")

    assert set(raised.value.fields) == {"topic", "made_on"}


def test_a_workshop_keeps_each_attendee_once() -> None:
    workshop = Workshop.hold(kind="national_workshop", title="National workshop",
                             held_on="2011-05-12", attendee_ids=[NINA, SARA, NINA],
                             organiser_id=OLIVE)

    assert workshop.kind is WorkshopKind.NATIONAL_WORKSHOP
    assert sorted(workshop.attendee_ids, key=str) == sorted([NINA, SARA], key=str)
    assert workshop.held_on == date(2011, 5, 12)


def test_a_workshop_of_an_unknown_kind_without_title_or_date_names_every_field() -> None:
    with pytest.raises(Invalid) as raised:
        Workshop.hold(kind="party", title="", held_on=None, attendee_ids=[], organiser_id=OLIVE)

    assert set(raised.value.fields) == {"kind", "title", "held_on"}
