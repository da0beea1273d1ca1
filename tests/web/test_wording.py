"""What people read has no doubled words ("the the", "a a") in the page templates or in
the messages the code writes. A message built from parts can still double a word where
the parts meet (a field named "Place" before "give a place…" once read "Place give a
place"): the page tests of refused forms check those sentences whole."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from domain.values import FollowUpKind
from web.api.requests import choices_with_codes

ROOT = Path(__file__).resolve().parents[2]
# Two of the same word in a row; a CSS class such as "filter filter--wide" is not one.
DOUBLED = re.compile(r"(?<![\w-])([A-Za-z]+)\s+\1(?![\w-])", re.IGNORECASE)
# Inline tags sit inside a sentence; other tags and Jinja's statements and comments end
# one; an expression stands for words of its own.
INLINE = re.compile(r"</?(?:a|abbr|b|code|em|i|small|span|strong)\b[^>]*>")
BREAKS = re.compile(r"\{#.*?#\}|\{%.*?%\}|<[^>]*>", re.S)
EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)


def words_of(template: str) -> str:
    return BREAKS.sub(" | ", INLINE.sub(" ", EXPRESSION.sub(" ¤ ", template)))


def doubled(words: str) -> list[str]:
    return [" ".join(m.group(0).split()) for m in DOUBLED.finditer(words)]


def templates() -> list[Path]:
    return sorted((ROOT / "web" / "templates").rglob("*.html"))


def sources() -> list[Path]:
    return sorted(p for folder in ("domain", "community", "projections", "web")
                  for p in (ROOT / folder).rglob("*.py"))


def strings_in(path: Path) -> list[str]:
    """Every string the module writes, f-strings' fixed parts included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_the_checks_find_a_doubled_word_and_pass_over_a_css_class() -> None:
    assert doubled("Give the the reason") == ["the the"]
    assert doubled('class="filter filter--wide"') == []
    assert doubled(words_of("the <a href='#'>the</a> {{ the }} the <h2>the</h2> the")) == [
        "the the"]


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_doubles_a_word(path: Path) -> None:
    assert doubled(words_of(path.read_text(encoding="utf-8"))) == []


def test_no_message_doubles_a_word() -> None:
    found = {f"{path.relative_to(ROOT)}: {said}"
             for path in sources() for text in strings_in(path) for said in doubled(text)}
    assert sorted(found) == []


def test_a_refused_choice_names_the_choices_in_words_and_the_api_adds_the_codes() -> None:
    with pytest.raises(ValueError) as refused:
        FollowUpKind.parse("visit")

    assert str(refused.value) == ("must be one of: Reciprocal visit, Facilitator visit, "
                                  "Introduction, Call")
    assert choices_with_codes(["reciprocal_visit", "call"]) == (
        "Reciprocal visit (reciprocal_visit), Call (call)")
    assert choices_with_codes([1, 2, 3, 4]) == "1, 2, 3, 4"  # no words for those
