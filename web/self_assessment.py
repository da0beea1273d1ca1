"""The sustainability self-assessment page of a QIP: its team scores the ten factors
of the NHS Sustainability Model; anyone who can see the QIP sees the team's
results (never who scored what), the spread of opinion and the trend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice

from domain.errors import Invalid
from domain.sustainability_model import DOMAINS, SustainabilityModel
from web.forms import Form
from web.qips import visible_qip
from web.services import community, views

self_assessment = Blueprint("self_assessment", __name__)

DOMAIN_HEADINGS = {"process": "Process", "staff": "Staff", "organisation": "Organisation"}
LEVELS = [SelectChoice(str(level)) for level in range(1, 5)]


class AssessmentForm(Form):
    """One member's answers: a level for each factor of the model in force (its fields,
    ``level-<factor>``, are added per model by ``assessment_form``) and the date."""

    assessed_on = StringField("Date of this assessment",
                              filters=[lambda v: v.strip() if isinstance(v, str) else v])

    def levels(self, model: SustainabilityModel) -> dict[str, int | str]:
        """{factor: level}, as numbers where they are; the domain refuses the rest."""
        chosen = {key: self[_level_field(key)].data or "" for key in model.factors}
        return {key: int(level) if level.isdecimal() else level
                for key, level in chosen.items()}

    def day(self) -> date | str | None:
        """The date typed (None: today); what is not one is passed on, for the domain."""
        typed = self.assessed_on.data or ""
        try:
            return date.fromisoformat(typed) if typed else None
        except ValueError:
            return typed


def _level_field(key: str) -> str:
    return f"level_{key}"


def assessment_form(model: SustainabilityModel) -> AssessmentForm:
    """The form for this model's factors (the organisers may change the model)."""
    fields = {_level_field(key): RadioField(factor.name, name=f"level-{key}", choices=LEVELS,
                                            validate_choice=False)
              for key, factor in model.factors.items()}
    return type("ModelAssessmentForm", (AssessmentForm,), fields)()


def results_for(qip_id: str) -> dict[str, Any]:
    """The view's results, with the model in force even before anyone has scored."""
    found = views().self_assessments.results(qip_id)
    if found["model"] is None:
        found["model"] = model_summary(community().sustainability_model())
    return found


def model_summary(model: SustainabilityModel) -> dict[str, Any]:
    return {"name": model.name, "source": model.source,
            "optimism_threshold": model.optimism_threshold, "max_total": model.max_total,
            "factors": [{"key": f.key, "domain": f.domain, "name": f.name,
                         "weights": list(f.weights)} for f in model.factors.values()]}


def _render(qip: dict[str, Any], chosen: Mapping[str, str], assessed_on: str,
            errors: Mapping[str, str], status: int = 200) -> Any:
    model = community().sustainability_model()
    found = results_for(qip["id"])
    domains = [(d, DOMAIN_HEADINGS.get(d, d.capitalize()),
                [f for f in model.factors.values() if f.domain == d]) for d in DOMAINS]
    return render_template(
        "self_assessment/page.html", qip=qip, results=found, domains=domains, chosen=chosen,
        assessed_on=assessed_on, errors=errors,
        is_team=bool(current_user.team_id) and current_user.team_id == qip["team_id"],
        chart=total_chart(found["assessments"], found["model"]["max_total"],
                          found["model"]["optimism_threshold"])), status


@self_assessment.get("/qips/<qip_id>/sustainability")
@login_required
def page(qip_id: str) -> Any:
    qip = visible_qip(qip_id)
    _, last = views().self_assessments.member_levels(qip["id"], current_user.id)
    chosen = {key: str(level) for key, level in last.items()}
    return _render(qip, chosen, community().today().isoformat(), {})


@self_assessment.post("/qips/<qip_id>/sustainability")
@login_required
def assess(qip_id: str) -> Any:
    qip = visible_qip(qip_id)
    model = community().sustainability_model()
    form = assessment_form(model)
    chosen = {key: str(level) for key, level in form.levels(model).items()}
    assessed_on = form.assessed_on.data or ""
    if not form.validate_on_submit():  # nothing is checked before the domain
        return _render(qip, chosen, assessed_on, {}, 400)
    try:
        community().assess_sustainability(qip["id"], by=current_user.member_id,
                                          levels=form.levels(model), assessed_on=form.day())
    except Invalid as invalid:
        errors = _problems(invalid.fields, model)
        return _render(qip, chosen, assessed_on, errors, 400)
    flash("Your scores are recorded. Thank you: the team's results below include them.",
          "success")
    return redirect(url_for("self_assessment.page", qip_id=qip["id"]) + "#results")


def _problems(fields: Mapping[str, str], model: SustainabilityModel) -> dict[str, str]:
    """Each problem against the field it belongs to, in the order of the form."""
    found: dict[str, str] = {}
    for key, factor in model.factors.items():
        if f"levels.{key}" in fields:
            found[f"level-{key}"] = f"Choose the statement closest to how things are for " \
                                    f"“{factor.name}”"
    if "assessed_on" in fields:
        found["assessed_on"] = "Enter the date of your assessment, for example 2013-06-01"
    for field, message in fields.items():
        if not field.startswith("levels.") and field != "assessed_on":
            found[""] = f"{field.replace('_', ' ').capitalize()} {message}"
    return found


# --- the team total over time, as a small inline SVG line ------------------------------

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 32, 24, 32


def total_chart(assessments: Sequence[Mapping[str, Any]], max_total: float,
                threshold: float) -> dict[str, Any] | None:
    """Coordinates for the template: one point per assessment date, and the line at
    the threshold ("55 or more is commonly read as cause for optimism")."""
    if not assessments:
        return None
    top = max(max_total, threshold, *(a["total"] for a in assessments)) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    step = plot_w / (len(assessments) - 1) if len(assessments) > 1 else 0
    points = [{"x": round(LEFT + (i * step if step else plot_w / 2), 1), "y": y(a["total"]),
               "total": a["total"], "assessed_on": a["assessed_on"]}
              for i, a in enumerate(assessments)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "top": TOP, "bottom": HEIGHT - BOTTOM, "max": top, "threshold": threshold,
            "threshold_y": y(threshold), "points": points,
            "path": " ".join(f"{p['x']},{p['y']}" for p in points),
            "labelled": [p for i, p in enumerate(points)
                         if i in (0, len(points) - 1) or len(points) <= 6]}
