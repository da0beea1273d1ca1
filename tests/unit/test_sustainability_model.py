"""The NHS Sustainability Model: its factor table as data, a member's assessment,
an organiser's correction of the weights, and how a team's answers read."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from community.self_assessment import DEFAULT_MODEL, default_model
from domain.errors import Invalid
from domain.sustainability_model import (
    DOMAINS,
    SUSTAINABILITY_MODEL_ID,
    Assessment,
    SustainabilityModel,
    team_scores,
    trend,
)

QIP, NORTH, NINA = uuid4(), uuid4(), uuid4()
PUBLISHED_TOPS = {"senior_leadership": 15, "staff_involvement_and_training": 11.4,
                  "staff_behaviours": 11, "infrastructure": 9.5, "credibility_of_benefits": 9.1,
                  "benefits_beyond_patients": 8.5, "adaptability": 7, "monitoring_progress": 6.5}


def all_at(level: int) -> dict[str, int]:
    return dict.fromkeys(default_model().factors, level)


def assess(levels: object, assessed_on: object = "2013-05-01",
           model: SustainabilityModel | None = None) -> Assessment:
    return Assessment.make(model=model or default_model(), qip_id=QIP, team_id=NORTH,
                           assessed_by=NINA, levels=levels, assessed_on=assessed_on)


# --- the factor table ------------------------------------------------------------


def test_the_default_model_has_ten_factors_in_three_domains() -> None:
    model = default_model()

    assert len(model.factors) == 10
    by_domain = {d: [f.key for f in model.factors.values() if f.domain == d] for d in DOMAINS}
    assert [len(keys) for keys in by_domain.values()] == [4, 4, 2]
    assert model.id == SUSTAINABILITY_MODEL_ID


def test_the_top_weights_are_the_published_ones_and_total_about_100() -> None:
    model = default_model()

    assert {k: model.factors[k].top for k in PUBLISHED_TOPS} == PUBLISHED_TOPS
    assert 99 <= model.max_total <= 101
    assert model.optimism_threshold == 55


def test_each_factor_asks_a_question_and_describes_four_rising_levels() -> None:
    for factor in default_model().factors.values():
        assert factor.question.endswith("?")
        assert len(factor.levels) == 4 and all(factor.levels)
        assert list(factor.weights) == sorted(factor.weights)
        assert factor.weights[0] > 0


def test_the_file_says_which_figures_are_published_and_which_are_approximations() -> None:
    table = json.loads(DEFAULT_MODEL.read_text())

    assert "table 5" in table["source"]
    assert "approximation" in table["source"]


@pytest.mark.parametrize("change, field", [
    ({"domain": "people"}, "factors[0].domain"),
    ({"levels": ["one", "two", "three"]}, "factors[0].levels"),
    ({"weights": [1, 2, 3]}, "factors[0].weights"),
    ({"weights": [4, 3, 2, 1]}, "factors[0].weights"),
    ({"weights": [0, 1, 2, 101]}, "factors[0].weights[3]"),
    ({"key": "not a key"}, "factors[0].key"),
    ({"question": ""}, "factors[0].question"),
])
def test_a_broken_factor_table_is_refused_naming_the_field(change: dict[str, object],
                                                           field: str) -> None:
    factors = [f.as_dict() for f in default_model().factors.values()]
    factors[0].update(change)

    with pytest.raises(Invalid) as refused:
        SustainabilityModel.adopt(name="Model", factors=factors)

    assert field in refused.value.fields


def test_two_factors_cannot_share_a_key() -> None:
    factors = [f.as_dict() for f in default_model().factors.values()]

    with pytest.raises(Invalid) as refused:
        SustainabilityModel.adopt(name="Model", factors=factors + factors[:1])

    assert refused.value.fields == {"factors[10].key": "is already a factor"}


# --- correcting the weights ----------------------------------------------------


def test_an_organiser_corrects_a_factors_weights_saying_where_they_come_from() -> None:
    model = default_model()

    model.correct_weights(weights={"clinical_leadership": [1.4, 4, 8, 14.2]},
                          source="NHS Institute score sheet, 2010")

    assert model.factors["clinical_leadership"].weights == (1.4, 4, 8, 14.2)
    assert model.factors["senior_leadership"].top == 15
    assert model.corrections == ["NHS Institute score sheet, 2010"]
    assert model.max_total == 99.2


@pytest.mark.parametrize("weights, source, field", [
    ({"leadership": [1, 2, 3, 4]}, "sheet", "factors.leadership"),
    ({"adaptability": [1, 2, 3]}, "sheet", "factors.adaptability"),
    ({"adaptability": [3, 2, 1, 0]}, "sheet", "factors.adaptability"),
    ({}, "sheet", "factors"),
    ({"adaptability": [1, 2, 3, 4]}, "", "source"),
])
def test_a_correction_is_refused_when_it_cannot_be_right(weights: dict[str, object],
                                                         source: str, field: str) -> None:
    model = default_model()

    with pytest.raises(Invalid) as refused:
        model.correct_weights(weights=weights, source=source)

    assert field in refused.value.fields
    assert model.factors["adaptability"].top == 7


# --- a member's assessment -------------------------------------------------------


def test_a_member_scores_every_factor_from_1_to_4() -> None:
    levels = all_at(3) | {"senior_leadership": "4", "infrastructure": 2.0}

    made = assess(levels)

    assert made.levels["senior_leadership"] == 4
    assert made.levels["adaptability"] == 3
    assert made.levels["infrastructure"] == 2 and type(made.levels["infrastructure"]) is int
    assert (made.qip_id, made.team_id, made.assessed_by) == (QIP, NORTH, NINA)
    assert str(made.assessed_on) == "2013-05-01"


def test_every_factor_must_be_answered_and_each_missing_one_is_named() -> None:
    levels = all_at(2)
    del levels["infrastructure"], levels["adaptability"]

    with pytest.raises(Invalid) as refused:
        assess(levels)

    assert set(refused.value.fields) == {"levels.infrastructure", "levels.adaptability"}
    assert refused.value.fields["levels.adaptability"].startswith("is required")


@pytest.mark.parametrize("level", [0, 5, 2.5, True, "high", -1])
def test_a_level_outside_1_to_4_is_refused(level: object) -> None:
    with pytest.raises(Invalid) as refused:
        assess(all_at(2) | {"staff_behaviours": level})

    assert refused.value.fields == {"levels.staff_behaviours": "must be 1, 2, 3 or 4"}


def test_an_unknown_factor_and_a_bad_date_are_refused_together() -> None:
    with pytest.raises(Invalid) as refused:
        assess(all_at(2) | {"luck": 4}, assessed_on="yesterday")

    assert set(refused.value.fields) == {"levels.luck", "assessed_on"}


def test_levels_must_be_a_mapping() -> None:
    with pytest.raises(Invalid) as refused:
        assess([1, 2, 3])

    assert set(refused.value.fields) == {"levels"}


# --- how a team's answers read ---------------------------------------------------


WEIGHTS = {"senior_leadership": [1.5, 4.5, 8.2, 15.0], "adaptability": [0.7, 2.1, 3.9, 7.0]}


def test_a_factors_team_score_is_the_mean_of_its_members_weighted_scores() -> None:
    answers = [{"senior_leadership": 4, "adaptability": 2},
               {"senior_leadership": 3, "adaptability": 2}]

    leadership, adaptability = team_scores(WEIGHTS, answers)

    assert (leadership.key, leadership.score) == ("senior_leadership", 11.6)
    assert (leadership.lowest, leadership.highest) == (8.2, 15.0)
    assert (adaptability.score, adaptability.lowest, adaptability.highest) == (2.1, 2.1, 2.1)
    assert leadership.answers == 2


def test_members_two_levels_apart_disagree_one_level_apart_do_not() -> None:
    close = team_scores(WEIGHTS, [{"senior_leadership": 4}, {"senior_leadership": 3}])[0]
    apart = team_scores(WEIGHTS, [{"senior_leadership": 4}, {"senior_leadership": 2}])[0]

    assert not close.disagreement
    assert apart.disagreement
    assert (apart.lowest_level, apart.highest_level) == (2, 4)


def test_no_answers_give_no_scores_and_an_unanswered_factor_is_left_out() -> None:
    assert team_scores(WEIGHTS, []) == []
    assert [s.key for s in team_scores(WEIGHTS, [{"adaptability": 1}])] == ["adaptability"]


@pytest.mark.parametrize("previous, current, expected", [
    (None, 50.0, None), (50.0, 52.0, "up"), (50.0, 47.5, "down"), (50.0, 50.04, "same")])
def test_the_trend_compares_with_the_previous_assessment(previous: float | None,
                                                         current: float,
                                                         expected: str | None) -> None:
    assert trend(previous, current) == expected


# --- stored and read back ------------------------------------------------------------


def test_the_models_and_an_assessments_events_survive_the_store() -> None:
    from tests.unit.test_stored_events import community_mapper

    model = default_model()
    model.correct_weights(weights={"adaptability": [1, 2, 4, 8]}, source="sheet")
    made = assess(all_at(3), model=model)
    mapper = community_mapper()

    for event in model.collect_events() + made.collect_events():
        read_back = mapper.to_domain_event(mapper.to_stored_event(event))
        assert read_back == event
    assert type(read_back.assessed_on).__name__ == "date"
    assert read_back.levels == all_at(3)
