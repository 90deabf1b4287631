"""Site URLs: links in HTML given a base path or an origin."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import urls

# What prefix_links does, written as one expression (slower, and plain to read).
_REFERENCE = re.compile(r"""(\s(?:href|src)=)(["'])/(?!/)""")


def reference(html: str, prefix: str) -> str:
    return _REFERENCE.sub(lambda m: f"{m.group(1)}{m.group(2)}{prefix}/", html)


def test_site_links_get_the_prefix_and_others_do_not() -> None:
    html = (
        '<a href="/posts/x/">x</a> <img src=\'/images/a.png\' alt=""> '
        '<a href="//other.org/">o</a> <a href="https://x.org/">h</a> <a data-href="/no/">d</a>'
        '<a\nhref="/line/">l</a>'
    )
    assert urls.prefix_links(html, "/library") == (
        '<a href="/library/posts/x/">x</a> <img src=\'/library/images/a.png\' alt=""> '
        '<a href="//other.org/">o</a> <a href="https://x.org/">h</a> <a data-href="/no/">d</a>'
        '<a\nhref="/library/line/">l</a>'
    )


_PIECES = ["href=", "src=", "=", '"', "'", "/", "//", " ", "\t", "\n", "\xa0", "\u2003"]
_PIECES += ["x", "h", "s", "rc", "ref", "<a ", "<img "]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16))
def test_prefix_links_does_what_the_one_expression_does(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert urls.prefix_links(html, "/p") == reference(html, "/p")
