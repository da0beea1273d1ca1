"""Who could answer a question: the counterpart ranking seen from the asker, with the
question's key areas and tags, never the asker's own team, at most five."""

from __future__ import annotations

from domain.counterparts import Person, TeamProfile, rank_answerers
from tests.unit.test_counterparts import CNS, INDICATORS, LEAD, ME, TEAMS, people


def names(suggestions) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.person.name for s in suggestions]


def test_a_team_working_on_the_questions_key_area_gives_the_reason() -> None:
    found = rank_answerers(ME, frozenset({"diagnostics"}), frozenset(), people(), TEAMS,
                           INDICATORS)

    hana = next(s for s in found if s.person.name == "Hana Histology")
    assert "Their team is also working on diagnostics" in hana.reasons
    assert "Max Mate" not in names(found)


def test_the_questions_tags_count_as_shared_interests() -> None:
    tagged = [*people(), Person("t", "Tia Tagged", LEAD, "average", frozenset({"ebus"}))]

    with_tag = rank_answerers(ME, frozenset(), frozenset({"ebus"}), tagged, TEAMS, INDICATORS)
    without = rank_answerers(ME, frozenset(), frozenset(), tagged, TEAMS, INDICATORS)

    tia = next(s for s in with_tag if s.person.name == "Tia Tagged")
    untagged = next(s for s in without if s.person.name == "Tia Tagged")
    assert tia.score > untagged.score
    assert "Shares your interest in ebus" in tia.reasons


def test_at_most_five_are_suggested_and_those_already_invited_are_left_out() -> None:
    many = [Person(f"p{n}", f"Nurse {n}", CNS, "strong") for n in range(8)]

    found = rank_answerers(ME, frozenset(), frozenset(), many, TEAMS, INDICATORS,
                           leave_out=frozenset({"p0"}))

    assert len(found) == 5 and "Nurse 0" not in names(found)


def test_an_asker_with_no_team_gets_people_working_on_the_key_area_or_sharing_tags() -> None:
    organiser = Person("o", "Olive Organiser", "organiser", "")
    teams = {**TEAMS, "average": TeamProfile("average", "Average MDT", "South West", 51.45,
                                             -2.59, key_areas=frozenset({"diagnostics"}))}

    found = rank_answerers(organiser, frozenset({"diagnostics"}), frozenset(), people(), teams,
                           INDICATORS)

    assert names(found) == ["Anna Average", "Hana Histology"]
