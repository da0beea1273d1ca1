"""What a post's Markdown may become on a page: formatting yes, anything that runs no."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import Invalid
from domain.markdown_text import render
from domain.question import BODY_MAX, Answer, Question


def test_markdown_formatting_becomes_html() -> None:
    html = render("We run it on **Tuesdays**:\n\n- CT first\n- then EBUS")

    assert "<strong>Tuesdays</strong>" in html
    assert "<li>CT first</li>" in html


def test_a_script_tag_is_shown_as_text_and_never_runs() -> None:
    html = render("Hello <script>alert('x')</script>")

    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_a_style_or_iframe_tag_is_shown_as_text() -> None:
    html = render("<style>body{display:none}</style>\n\n<iframe src='https://evil.example'></iframe>")

    assert "<style" not in html and "<iframe" not in html


def test_a_javascript_link_is_not_a_link() -> None:
    for scheme in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>hi</b>",
                   "vbscript:msgbox(1)"):
        assert "href" not in render(f"[click me]({scheme})"), scheme


def test_links_get_nofollow_noopener() -> None:
    html = render("See [the audit](https://www.nlca.example/report)")

    assert 'href="https://www.nlca.example/report"' in html
    assert 'rel="nofollow noopener"' in html


def test_an_event_handler_attribute_never_reaches_the_page() -> None:
    for text in ('<img src="x" onerror="alert(1)">', '<a href="https://x" onclick="e()">k</a>',
                 '![pic](https://x.example/p.png "t" onerror=alert(1))'):
        html = render(text)
        assert "<img" not in html and "<a " not in html, text


def test_nested_tricks_do_not_assemble_a_script() -> None:
    html = render("<scr<script>ipt>alert(1)</scr</script>ipt>")

    assert "<script" not in html.lower()


def test_an_html_link_written_by_hand_is_text_not_a_link() -> None:
    html = render('<a href="javascript:alert(1)">x</a>')

    assert "<a" not in html


def test_a_megabyte_body_is_refused_by_the_limit_before_any_rendering() -> None:
    huge = "a" * 1_000_000

    with pytest.raises(Invalid) as refused:
        Question.ask(title="Big", body=huge, key_areas=["diagnostics"], asked_by=uuid4(),
                     asked_on="2012-06-01")

    assert refused.value.fields == {"body": f"must be at most {BODY_MAX} characters"}


def test_a_megabyte_answer_is_refused_too() -> None:
    question = Question.ask(title="Q", body="B", key_areas=["diagnostics"], asked_by=uuid4(),
                            asked_on="2012-06-01")

    with pytest.raises(Invalid) as refused:
        Answer.post(question=question, body="<script>" * 200_000, posted_by=uuid4(),
                    posted_on="2012-06-02")

    assert "body" in refused.value.fields
