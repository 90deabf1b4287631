"""The quick test that decides whether a document's HTML needs the slow look for what the
sanitizer removes (and the warning that names it)."""

from __future__ import annotations

import pytest

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
