"""The form base every page form is built on: typed dates from the NHS.UK date input,
and the domain's refusals shown beside the fields they name."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask, render_template_string
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from domain.errors import Invalid
from web.forms import DayField, Form


class MeasuredForm(Form):
    measured_on = DayField("The date measured")
    note = StringField("Note")
    domain_names = {"measured_on": "date"}


@pytest.fixture
def app(web_app: Flask) -> Flask:
    return web_app


def _form(app: Flask, posted: dict[str, str]) -> MeasuredForm:
    with app.test_request_context(method="POST", data=posted):
        return MeasuredForm(formdata=MultiDict(posted))


def test_a_date_typed_in_three_boxes_is_read_as_that_day(app):
    form = _form(app, {"measured_on[day]": "31", "measured_on[month]": "3",
                       "measured_on[year]": "2013"})
    assert form.measured_on.data == date(2013, 3, 31)
    assert form.measured_on.process_errors == []


@pytest.mark.parametrize(("typed", "message"), [
    (("", "", ""), "Enter the date measured"),
    (("31", "", "2013"), "The date measured must include a month"),
    (("31", "2", "2012"), "The date measured must be a real date, for example 31 3 2013"),
    (("²", "3", "2013"), "The date measured must be a real date, for example 31 3 2013"),
])
def test_a_date_that_is_not_whole_says_what_is_wrong_and_is_never_today(app, typed, message):
    day, month, year = typed
    form = _form(app, {"measured_on[day]": day, "measured_on[month]": month,
                       "measured_on[year]": year})
    assert form.measured_on.data is None
    assert form.measured_on.process_errors == [message]


def test_the_domains_refusal_lands_beside_the_field_it_names(app):
    form = _form(app, {"note": "x"})
    form.refuse(Invalid({"date": "must not be in the future", "note": "is too long",
                         "qip": "has stopped"}))
    assert form.measured_on.errors == ["The date measured must not be in the future"]
    assert form.note.errors == ["Note is too long"]
    assert form.problems() == {"_form0": "has stopped",
                               "measured_on": "The date measured must not be in the future",
                               "note": "Note is too long"}


def test_the_date_widget_posts_the_names_the_field_reads(app):
    with app.test_request_context():
        form = MeasuredForm(formdata=None, data={"measured_on": date(2013, 3, 31)})
        html = render_template_string(
            '{% import "_fields.html" as fields %}{{ fields.date(form.measured_on) }}', form=form)
    for part, value in (("day", "31"), ("month", "3"), ("year", "2013")):
        assert f'name="measured_on[{part}]"' in html
        assert f'value="{value}"' in html
