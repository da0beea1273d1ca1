"""Turning what a person typed into search terms: words, abbreviations both ways, and a
query text for SQLite's FTS5 that nothing typed can break."""

from __future__ import annotations

import pytest

from projections.full_text import TextQuery, _prefix_phrase
from projections.search_terms import Synonyms, abbreviations, folded, terms_of

SMALL = Synonyms.from_pairs([("HNA", "holistic needs assessment"),
                             ("CNS", "clinical nurse specialist"),
                             ("CNS", "lung cancer nurse specialist"),
                             ("PET-CT", "positron emission tomography")])


def test_only_letters_and_digits_make_words_and_common_words_are_left_out() -> None:
    terms = terms_of('The "nurse-led" clinic* for NEAR( OR -2WW', SMALL)

    assert terms.groups == ((("nurse",),), (("led",),), (("clinic",),), (("near",),),
                            (("2ww",),))
    assert terms.typed == ("the", "nurse", "led", "clinic", "for", "near", "or", "2ww")


def test_an_abbreviation_also_looks_for_its_long_forms() -> None:
    assert terms_of("HNA", SMALL).groups == ((("hna",), ("holistic", "needs", "assessment")),)
    assert terms_of("cns", SMALL).groups == ((("cns",), ("clinical", "nurse", "specialist"),
                                              ("lung", "cancer", "nurse", "specialist")),)
    assert terms_of("PET-CT", SMALL).groups == ((("pet", "ct"),
                                                 ("positron", "emission", "tomography")),)


def test_a_long_form_also_looks_for_its_abbreviation_even_in_the_plural() -> None:
    groups = terms_of("holistic needs assessments clinic", SMALL).groups

    assert groups == ((("holistic", "needs", "assessments"), ("hna",)), (("clinic",),))
    lung = terms_of("a lung cancer nurse specialist", SMALL).groups
    assert lung == ((("lung", "cancer", "nurse", "specialist"), ("clinical", "nurse",
                                                                 "specialist"), ("cns",)),)


def test_nothing_to_search_by_is_no_terms() -> None:
    for typed in ("", "   ", '"*"', "%", "the and of", "-- ()"):
        assert not terms_of(typed, SMALL), typed


def test_a_very_long_query_is_cut_to_what_a_search_can_use() -> None:
    terms = terms_of(" ".join(f"word{i}" for i in range(500)) + " " + "x" * 1000, SMALL)

    assert len(terms.groups) == 32
    assert max(len(w) for g in terms.groups for p in g for w in p) <= 60


def test_the_fts5_query_quotes_every_phrase_and_takes_its_last_word_as_a_start() -> None:
    query = TextQuery(terms_of('cns "clinic" NEAR(x) OR', SMALL), "sqlite")

    assert query._fts(list(query.terms.groups), "AND") == (
        '("cns"* OR "clinical nurse specialist"* OR "lung cancer nurse specialist"*) AND '
        '("clinic"*) AND ("near"*) AND ("x"*)')


def test_the_postgresql_query_quotes_every_word_and_takes_the_last_as_a_start() -> None:
    assert _prefix_phrase(("nurse", "led")) == "'nurse' <-> 'led':*"
    assert _prefix_phrase(("nur",)) == "'nur':*"


def test_accents_are_folded_so_a_name_is_found_typed_either_way() -> None:
    assert folded("Zoë Ní Bhriain-Ó Dálaigh") == "Zoe Ni Bhriain-O Dalaigh"
    assert terms_of("Zoë O'Néill", SMALL).groups == ((("zoe",),), (("o",),), (("neill",),))
    assert terms_of("Zoë", SMALL).typed == terms_of("zoe", SMALL).typed


def test_an_expertise_tag_is_marked_when_it_holds_a_term() -> None:
    terms = terms_of("clinical nurse specialists", SMALL)

    assert terms.marks("CNS") and terms.marks("clinical nurse specialist")
    assert not terms_of("nurse", SMALL).marks("ebus")


@pytest.mark.parametrize("short, long", [
    ("HNA", "holistic needs assessment"), ("EBUS", "endobronchial ultrasound"),
    ("CNS", "clinical nurse specialist"), ("CNS", "lung cancer nurse specialist"),
    ("MDT", "multidisciplinary team"), ("SABR", "stereotactic ablative radiotherapy"),
    ("NSCLC", "non-small cell lung cancer"), ("SCLC", "small cell lung cancer"),
    ("PET-CT", "positron emission tomography"), ("CT", "computed tomography"),
    ("QIP", "quality improvement plan"), ("PDSA", "plan do study act"),
    ("NLCA", "national lung cancer audit"),
])
def test_the_fields_abbreviations_come_from_the_data_file(short: str, long: str) -> None:
    assert long.replace("-", " ").split() in [list(p) for p in terms_of(short).groups[0]]
    assert short.lower().replace("-", " ").split() in [list(p) for p in
                                                        terms_of(long).groups[0]]
    assert abbreviations() is abbreviations()  # read once
