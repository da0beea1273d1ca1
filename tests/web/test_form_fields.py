"""The typed fields pages build their forms from: what a person chose or a page carried
arrives as the domain's enum, a UUID, a version or a date, and what is not one is
refused in the domain's words or left for the command to refuse."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from domain.values import ContactChannel
from web.forms import EnumField, EnumMultipleField, Form, IdField, IdListField, IsoDateField, VersionField

SARA = "083d4a87-72d9-52a1-a133-818b2a755522"


class ExampleForm(Form):
    channel = EnumField("How were you in touch?", ContactChannel)
    channels = EnumMultipleField("Ways of contact", ContactChannel)
    member_id = IdField(missing="no such member")
    message_id = IdListField(missing="no such message")
    version = VersionField()
    day = IsoDateField("Proposed date")


@pytest.fixture
def app(web_app: Flask) -> Flask:
    return web_app


def _form(app: Flask, posted: list[tuple[str, str]]) -> ExampleForm:
    with app.test_request_context(method="POST"):
        form = ExampleForm(formdata=MultiDict(posted))
        form.validate()
        return form


def test_what_was_posted_arrives_typed(app):
    form = _form(app, [("channel", "phone"), ("channels", "visit"), ("channels", "email"),
                       ("member_id", SARA), ("message_id", SARA), ("version", "3"),
                       ("day", "2013-07-04")])
    assert form.errors == {}
    assert form.channel.data is ContactChannel.PHONE
    assert form.channels.data == [ContactChannel.VISIT, ContactChannel.EMAIL]
    assert form.member_id.data == UUID(SARA)
    assert form.message_id.data == [UUID(SARA)]
    assert form.version.data == 3
    assert form.day.data == date(2013, 7, 4)


def test_a_choice_not_offered_is_refused_in_the_domains_words(app):
    form = _form(app, [("channel", "pigeon"), ("member_id", SARA)])
    assert form.channel.errors == ["must be one of: " + ContactChannel.choices()]


def test_an_id_that_is_not_one_is_refused_as_missing(app):
    form = _form(app, [("member_id", "sara"), ("message_id", SARA), ("message_id", "x")])
    assert form.member_id.data is None
    assert form.member_id.errors == ["no such member"]
    assert form.message_id.errors == ["no such message"]


def test_nothing_chosen_a_garbled_version_or_date_are_left_for_the_command(app):
    form = _form(app, [("member_id", SARA), ("version", "3a"), ("day", "2013-W27-4")])
    assert form.errors == {}
    assert (form.channel.data, form.version.data, form.day.data) == (None, None, None)
    assert form.day._value() == "2013-W27-4"  # shown again as typed
