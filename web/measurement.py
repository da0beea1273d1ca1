"""Measuring a QIP and attaching its documents: record a value, upload a CSV of values,
draw each measure's chart, upload and download documents.

The QIP page itself belongs to ``web.qips``; it includes ``qips/_measures.html`` and
``qips/_documents.html``, whose forms post here. What happened to a recorded value is
said in the record-value form's own section, where the page lands (an error summary
linking to each field, what was typed kept); a refused document comes back as a
flashed error summary; a CSV upload's problems by line and field are shown on the upload
page itself. Correcting or withdrawing a value has its own small page.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import date as Day  # ChangeValueForm has a field named date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from community.documents import MAX_DOCUMENT_BYTES, MEGABYTE
from domain.errors import Conflict, Invalid
from domain.qip import OPEN
from web.charts import Chart, chart_of
from web.forms import DayField, Form
from web.kept_pages import Memo, kept_reading
from web.progress_feedback import progress_feedback, tell
from web.progress_table import ProgressTable, read_progress_table
from web.qips import visible_qip
from web.services import community

measurement = Blueprint("measurement", __name__)

# The form fields and multipart boundaries around a file of the largest size allowed.
DOCUMENT_REQUEST_LIMIT = MAX_DOCUMENT_BYTES + 256 * 1024
TAKES_PROGRESS = {status.value for status in OPEN}  # the domain's rule, as the view stores it
FIELD_WORDS = {"title": "the title", "kind": "what the document is", "file": "the file"}


@measurement.url_value_preprocessor
def allow_large_documents(endpoint: str | None, _values: Any) -> None:
    # This runs before every before_request function, CSRFProtect's included, which
    # reads the form: raising the limit in the view itself would be too late.
    if endpoint == "measurement.attach_document":
        request.max_content_length = DOCUMENT_REQUEST_LIMIT


@measurement.errorhandler(413)
def too_large(_error: Any) -> Any:
    qip_id = (request.view_args or {}).get("qip_id", "")
    if request.endpoint == "measurement.attach_document":
        flash(f"The document was not attached: the file must be at most "
              f"{MAX_DOCUMENT_BYTES // MEGABYTE} MB.", "error")
        return redirect(qip_page(qip_id, "documents"))
    flash("The values were not recorded: the file is too large. Upload at most "
          "a few thousand rows at a time.", "error")
    return redirect(url_for("measurement.upload_progress", qip_id=qip_id))


# --- for the templates ------------------------------------------------------------------

# Charts drawn from the library's rows, kept until the library moves on: a QIP page
# drew each of its charts again for every reader, a sixth of its time (issue 14).
_charts = Memo(keep=256)


@measurement.app_template_global()
def measure_chart_for(qip: dict[str, Any], measure: dict[str, Any]) -> Chart:
    """The chart of one measure of a QIP as ``Library.qip`` gives it (as it is now:
    the chart is kept by the QIP, the measure and the library's position)."""
    return kept_reading(_charts, frozenset({"library"}), (qip["id"], measure["name"]),
                        lambda: chart_of(qip, measure))


@measurement.app_template_global()
def values_of(qip: dict[str, Any], measure: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in qip.get("progress", []) if p["measure"] == measure["name"]]


VALUES_PER_PAGE = 50


@measurement.app_template_global()
def values_page(qip: dict[str, Any], measure: dict[str, Any], index: int) -> dict[str, Any]:
    """One page of a measure's values, latest first (issue 13: the page once listed
    every value of every measure). ``?values_of=<measure number>&values_page=<n>``
    pages one measure's table; the others show their latest values."""
    values = list(reversed(values_of(qip, measure)))
    pages = max(1, -(-len(values) // VALUES_PER_PAGE))
    page = 1
    if request.args.get("values_of") == str(index):
        try:
            page = min(max(1, int(request.args.get("values_page", 1))), pages)
        except ValueError:
            page = 1

    def link(number: int) -> str:
        return url_for("qips.qip", qip_id=qip["id"], values_of=index, values_page=number,
                       _anchor=f"measure-{index}")

    start = (page - 1) * VALUES_PER_PAGE
    return {"rows": values[start:start + VALUES_PER_PAGE], "total": len(values),
            "page": page, "pages": pages, "asked": request.args.get("values_of") == str(index),
            "newer": link(page - 1) if page > 1 else None,
            "older": link(page + 1) if page < pages else None}


@measurement.app_template_global()
def takes_progress(qip: dict[str, Any]) -> bool:
    return qip["status"] in TAKES_PROGRESS


def qip_page(qip_id: str, anchor: str | None = None) -> str:
    return url_for("qips.qip", qip_id=qip_id, _anchor=anchor)


# --- recording values -------------------------------------------------------------------


def _flash_refusal(lead: str, error: Invalid | Conflict) -> None:
    if isinstance(error, Conflict):
        flash(f"{lead}: {error.message}.", "error")
        return
    for field, message in error.fields.items():
        flash(f"{lead}: {FIELD_WORDS.get(field, field)} {message}.", "error")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class RecordValueForm(Form):
    """The record-a-value form under a QIP's measures (qips/_measures.html)."""

    measure = SelectField("The measure", validate_choice=False)
    date = DayField("The date measured")
    value = StringField("The value", filters=[_strip])


class ChangeValueForm(Form):
    """Correcting or withdrawing one recorded value, saying why (qips/change_value.html);
    the value is named by its measure and date (hidden), as the link to the page does."""

    measure = HiddenField()
    date = HiddenField()
    value = StringField("The right value", filters=[_strip])
    reason = TextAreaField("The reason")
    version = HiddenField()

    def day(self) -> Day | None:
        try:
            return Day.fromisoformat(self.date.data or "")
        except ValueError:
            return None

    def version_number(self) -> int:
        try:
            return int(self.version.data or "")
        except ValueError:
            return -1  # a version nobody saw: refused as a change made since


@measurement.post("/qips/<qip_id>/progress")
@login_required
def record_progress(qip_id: str) -> Any:
    visible_qip(qip_id)
    form = RecordValueForm()
    form.validate_on_submit()  # the date's own problems; the domain checks the rest
    day = form.date.data
    typed = {"measure": form.measure.data or "", **form.date.typed,
             "value": form.value.data or ""}
    errors: dict[str, str] = {}
    try:
        # A date that is not one is still sent, as no date at all (never as today), so
        # the domain names every other problem with the form at the same time.
        community().record_progress(qip_id, by=current_user.member_id,
                                    measure=typed["measure"], value=number(typed["value"]),
                                    recorded_on=day or "no date")
    except Invalid as error:
        errors = _in_words(error.fields, RECORD_FIELDS)
        if form.date.errors:
            errors["progress-date-day"] = form.date.errors[0]
    except Conflict as error:
        errors = {"": f"The value was not recorded: {_words(error.message)}."}
    if errors:
        tell(qip_id, "form", errors=_field_order(errors), typed=typed)
        return redirect(qip_page(qip_id, "record-progress"))
    assert day is not None  # the domain refused a missing date
    tell(qip_id, "form", done=f"Recorded a value of {typed['measure']}. "
                               f"{_figure(typed['value'])} on {_long_day(day.isoformat())}.")
    return redirect(qip_page(qip_id, "record-progress"))


# People's words for the record-value form's fields, and the id each error links to.
RECORD_FIELDS = {"measure": ("The measure", "progress-measure"),
                 "date": ("The date measured", "progress-date-day"),
                 "value": ("The value", "progress-value")}
CHANGE_FIELDS = {"measure": ("The measure", "measure"), "date": ("The date", "date"),
                 "value": ("The right value", "value"), "reason": ("The reason", "reason")}
ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def number(typed: str) -> float | str:
    """A number typed in a form, as a number; what is not one is passed on as typed,
    for the domain to refuse in its own words."""
    try:
        return float(typed)
    except ValueError:
        return typed


def _words(message: str) -> str:
    """A domain message with its dates as people write them."""
    return ISO_DAY.sub(lambda m: _long_day(m.group(0)), message)


def _in_words(fields: dict[str, str], names: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The domain's problems as sentences naming each field, keyed by the id of the field
    the error summary links to."""
    found: dict[str, str] = {}
    for field, message in fields.items():
        label, where = names.get(field, (field.replace("_", " ").capitalize(), field))
        said = _words(message)
        if said.startswith(("is ", "must ")):
            said = f"{label} {said}"
        elif not said[:1].isupper():
            said = said[:1].upper() + said[1:]
        found[where] = said
    return found


def _field_order(errors: dict[str, str]) -> dict[str, str]:
    """The error summary lists problems in the order of the form's fields."""
    order = [where for _, where in RECORD_FIELDS.values()]
    return dict(sorted(errors.items(), key=lambda kv: order.index(kv[0])
                       if kv[0] in order else len(order)))


def _long_day(iso: str) -> str:
    try:
        found = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{found.day} {found:%B %Y}"


def _figure(value: str) -> str:
    try:
        return f"{float(value):g}"
    except ValueError:
        return value


# --- feedback beside the form that was used ------------------------------------------------

measurement.add_app_template_global(progress_feedback)


# --- correcting and withdrawing a value ------------------------------------------------------

@measurement.route("/qips/<qip_id>/values/correct", methods=["GET", "POST"])
@login_required
def correct_value(qip_id: str) -> Any:
    return _change_value(qip_id, withdraw=False)


@measurement.route("/qips/<qip_id>/values/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_value(qip_id: str) -> Any:
    return _change_value(qip_id, withdraw=True)


def _change_value(qip_id: str, *, withdraw: bool) -> Any:
    """The small page that corrects or withdraws one recorded value, saying why."""
    qip = visible_qip(qip_id)
    if current_user.team_id != qip["team_id"]:
        abort(403, "Only the QIP's own team can change its values.")
    # Opened from a link (the value named in its query), or posted.
    form = ChangeValueForm(formdata=request.form if request.method == "POST" else request.args)
    measure, day = form.measure.data or "", form.day()
    point = next((p for p in qip.get("progress", [])
                  if p["measure"] == measure and p["recorded_on"] == day), None)
    if point is None or day is None:
        abort(404, "This QIP has no such value: it may have been withdrawn already.")
    unit = next((m["unit"] for m in qip["measures"] if m["name"] == measure), "")
    if not form.version.data:
        form.version.data = str(qip["version"])
    if request.method == "GET":
        return _value_page(qip, point, unit, withdraw, form)
    try:
        if withdraw:
            community().withdraw_progress(qip_id, by=current_user.member_id, measure=measure,
                                          recorded_on=day, reason=form.reason.data or "",
                                          version=form.version_number())
        else:
            community().correct_progress(qip_id, by=current_user.member_id, measure=measure,
                                         recorded_on=day, value=number(form.value.data or ""),
                                         reason=form.reason.data or "",
                                         version=form.version_number())
    except Invalid as error:
        return _value_page(qip, point, unit, withdraw, form,
                           _in_words(error.fields, CHANGE_FIELDS), 400)
    except Conflict as error:
        form.version.data = str(visible_qip(qip_id)["version"])
        return _value_page(qip, point, unit, withdraw, form,
                           {"": f"The value was not changed: {_words(error.message)}. "
                                "Check the values on the QIP's page, then try again."}, 409)
    said = (f"Withdrew the value of {measure} on {_long_day(day.isoformat())}." if withdraw
            else f"Corrected the value of {measure} on {_long_day(day.isoformat())} to "
                 f"{_figure(form.value.data or '')}.")
    tell(qip_id, measure, done=said)
    position = next(i for i, m in enumerate(qip["measures"], 1) if m["name"] == measure)
    return redirect(qip_page(qip_id, f"measure-{position}"))


def _value_page(qip: dict[str, Any], point: dict[str, Any], unit: str, withdraw: bool,
                form: ChangeValueForm, errors: dict[str, str] | None = None,
                status: int = 200) -> Any:
    return render_template("qips/change_value.html", qip=qip, point=point, unit=unit,
                           withdraw=withdraw, form=form, errors=errors or {}), status


@measurement.get("/qips/<qip_id>/progress/upload")
@login_required
def upload_progress(qip_id: str) -> Any:
    return render_template("qips/progress_upload.html", qip=visible_qip(qip_id), problems=[],
                           chosen=request.args.get("measure", ""))


class ProgressTableForm(Form):
    """A CSV of values; rows without a measure column are of the measure chosen here.
    The file's own problems are named by line and column (web/progress_table.py)."""

    measure = StringField("Measure")
    file = FileField("CSV file")


@measurement.post("/qips/<qip_id>/progress.csv")
@login_required
def record_progress_table(qip_id: str) -> Any:
    qip = visible_qip(qip_id)
    form = ProgressTableForm()
    chosen = form.measure.data or ""
    upload = form.file.data  # None when no file was chosen
    table = read_progress_table(upload.read() if upload else b"",
                                default_measure=_default_measure(qip, chosen))
    if not table.problems:
        try:
            rows = list(table.rows)
            count = community().record_progress_table(qip_id, by=current_user.member_id,
                                                      rows=rows)
        except Invalid as error:
            table = table.with_domain_problems(error.fields)
        except Conflict as error:
            table = ProgressTable(rows=table.rows, lines=table.lines,
                                  problems=[(None, None, error.message)])
        else:
            flash(f"Recorded {count} value{'s' if count != 1 else ''} from "
                  f"{(upload.filename if upload else '') or 'the file'}.", "success")
            return redirect(qip_page(qip_id, "measures"))
    return render_template("qips/progress_upload.html", qip=qip, problems=table.problems,
                           chosen=chosen), 400


def _default_measure(qip: dict[str, Any], chosen: str) -> str:
    """Rows without a measure column are values of the measure chosen on the form, or
    of the QIP's only measure."""
    if chosen:
        return chosen
    names = [m["name"] for m in qip["measures"]]
    return names[0] if len(names) == 1 else ""


# Documents register with this blueprint when loaded (web/qip_documents.py).
from web import qip_documents  # noqa: E402,F401
