"""The quick test that decides whether a document's HTML needs the slow look for what the
sanitizer removes (and the warning that names it)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.sanitize import clean_html, find_unsafe, might_be_unsafe

SUSPICIOUS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JavaScript:alert(1)">x</a>',
    '<a href="java&#115;cript:alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    '<img src="a.png" alt="" ONLOAD="alert(1)">',
    '<p style="color: red">x</p>',
    '<a href="data:text/html,hi">x</a>',
    "<a href=vbscript:x>x</a>",
]
ORDINARY = [
    '<p>We meet <a href="https://example.org/">online</a> on Tuesdays.</p>',
    '<a href="/posts/">News</a> <a href="mailto:desk@library.example">Mail</a>',
    '<a href="tel:+15555550100">Call</a> <img src="/images/a.png" alt="A">',
    "<p>Once = twice, and style is a word; onward.</p>",
    '<h2 id="hours">Hours</h2><pre><code>x = 1</code></pre>',
]


@pytest.mark.parametrize("html", SUSPICIOUS)
def test_html_the_sanitizer_changes_is_looked_at(html: str) -> None:
    assert might_be_unsafe(html, has_raw_html=False)
    assert find_unsafe(html)
    assert clean_html(html) != html


@pytest.mark.parametrize("html", ORDINARY)
def test_ordinary_markdown_output_is_not(html: str) -> None:
    assert not might_be_unsafe(html, has_raw_html=False)


def test_typed_html_is_always_looked_at() -> None:
    assert might_be_unsafe("<p>plain</p>", has_raw_html=True)


# The single expression might_be_unsafe once used; it tried every position, so the test now
# walks from each "=" instead. Both must answer the same for any text.
_REFERENCE_ATTRIBUTE = re.compile(r"""(?:\s(on[a-z]+|style)|href|src)\s*=(?=\s*["']?([^"'>]*))""")
_SCHEME = re.compile(r"[a-z][\w+.-]*:")
_ALLOWED_SCHEME = re.compile(r"https?:|mailto:|tel:")


def _reference(html: str) -> bool:
    for match in _REFERENCE_ATTRIBUTE.finditer(html.lower()):
        if match.group(1):
            return True
        value = match.group(2).lstrip()
        if "&#" in value or (_SCHEME.match(value) and not _ALLOWED_SCHEME.match(value)):
            return True
    return False


_PIECES = st.sampled_from(
    [
        " ",
        "\t",
        "\n",
        "\xa0",
        "on",
        "onclick",
        "ON",
        "style",
        "Style",
        "href",
        "src",
        "HREF",
        "=",
        " = ",
        '"',
        "'",
        ">",
        "<a ",
        "&#",
        "javascript:",
        "https:",
        "mailto:",
        "x",
        "n",
        "\u212a",
        "e",
        "tel:",
        "data:",
        "-",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_the_quick_test_answers_as_the_expression_did(html: str) -> None:
    assert might_be_unsafe(html, has_raw_html=False) == _reference(html)


@pytest.mark.parametrize("html", SUSPICIOUS + ORDINARY)
def test_the_examples_answer_as_the_expression_did(html: str) -> None:
    assert might_be_unsafe(html, has_raw_html=False) == _reference(html)
