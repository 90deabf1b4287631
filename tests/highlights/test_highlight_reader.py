"""Highlight files as staff write them: the fields they may use, and the exact message (file,
line, fix) each mistake gives. A hand-written file is held to the same rules as a fetched one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, BuiltSite, write_files
from feed_server import PNG

from sitegen.build import build_site
from sitegen.errors import Severity

FILE = "content/highlights/x.md"
SITE_YAML = """\
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
highlights:
  sources:
    - {id: riverbend-reads, name: Riverbend Reads, url: https://social.example.org/tags/x.rss}
"""


def highlight(front: str, body: str = "") -> str:
    """A site with one highlight whose front matter starts on line 2 of FILE."""
    return f"-- site.yaml --\n{SITE_YAML}-- {FILE} --\n---\n{front}---\n\n{body}"


def build(tmp_path: Path, files: str) -> BuiltSite:
    root = write_files(tmp_path / "site", files)
    return BuiltSite(root, build_site(root, now=NOW))


GOOD = 'title: "Mural"\nurl: https://social.example.org/@pat/1\n'

BROKEN = [
    pytest.param(
        "url: https://social.example.org/@pat/1\n",
        f'{FILE}:2: "title" is missing: every highlight needs one.',
        id="no-title",
    ),
    pytest.param(
        'title: "Mural"\n',
        f'{FILE}:2: "url" is missing: every highlight needs one.',
        id="no-url",
    ),
    pytest.param(
        'title: "Mural"\nurl: "javascript:alert(1)"\n',
        f'{FILE}:3: "url" must be a full web address starting with https:// '
        "('javascript:alert(1)').",
        id="javascript-url",
    ),
    pytest.param(
        'title: "Mural"\nurl: /posts/mural/\n',
        f"{FILE}:3: \"url\" must be a full web address starting with https:// ('/posts/mural/').",
        id="relative-url",
    ),
    pytest.param(
        GOOD + "status: aproved\n",
        f"{FILE}:4: \"status\" must be pending, approved or hidden ('aproved'). "
        'Did you mean "approved"?',
        id="status-typo",
    ),
    pytest.param(
        GOOD + "pinned: maybe\n",
        f"{FILE}:4: \"pinned\" must be true or false, not 'maybe'.",
        id="pinned-not-boolean",
    ),
    pytest.param(
        GOOD + "author_url: data:text/html,x\n",
        f'{FILE}:4: "author_url" must be a full web address starting with https:// '
        "('data:text/html,x').",
        id="author-url",
    ),
    pytest.param(
        GOOD + "image: images/cat.png\nimage_alt: A cat\n",
        f'{FILE}:4: The image "images/cat.png" is not in content/highlights/.',
        id="image-missing",
    ),
    pytest.param(
        GOOD + "image: images/fake.png\nimage_alt: A cat\n",
        f'{FILE}:4: "images/fake.png" is not a PNG picture.',
        id="image-not-a-png",
    ),
    pytest.param(
        GOOD + "image: images/ok.svg\nimage_alt: A cat\n",
        f"{FILE}:4: \"image\" is not a picture sitegen can use ('images/ok.svg').",
        id="image-svg",
    ),
    pytest.param(
        GOOD + "image: images/ok.png\n",
        f'{FILE}:4: "image" needs "image_alt": a short description for people who cannot see it.',
        id="image-without-alt",
    ),
    pytest.param(
        GOOD + "tags: [a]\n",
        f'{FILE}:4: "tags" is not a highlight setting. Did you mean "status"?',
        id="unknown-key",
    ),
]


@pytest.mark.parametrize(("front", "message"), BROKEN)
def test_broken_highlights(tmp_path: Path, front: str, message: str) -> None:
    images = tmp_path / "site" / "content" / "highlights" / "images"
    images.mkdir(parents=True)
    (images / "fake.png").write_bytes(b"<svg onload=alert(1)></svg>")
    (images / "ok.png").write_bytes(PNG)
    (images / "ok.svg").write_bytes(b"<svg/>")
    built = build(tmp_path, highlight(front))
    errors = [p.format() for p in built.result.problems if p.severity is Severity.ERROR]
    assert any(text.split("\n")[0] == message for text in errors), errors
    assert not built.result.written


WARNED = [
    pytest.param(
        GOOD + "image: https://cdn.example.org/cat.jpg\nimage_alt: A cat\n",
        f"{FILE}:4: warning: The image is on another website and is not shown",
        id="hotlinked-image",
    ),
    pytest.param(
        GOOD + "source: riverbend-raeds\n",
        f'{FILE}:4: warning: "riverbend-raeds" is not a source id in site.yaml, so it is shown '
        'as a name. Did you mean "riverbend-reads"?',
        id="source-typo",
    ),
]


@pytest.mark.parametrize(("front", "message"), WARNED)
def test_warnings(tmp_path: Path, front: str, message: str) -> None:
    built = build(tmp_path, highlight(front))
    assert built.result.written
    assert any(text.startswith(message) for text in built.problems), built.problems


def test_a_hotlinked_image_is_not_shown(tmp_path: Path) -> None:
    built = build(
        tmp_path, highlight(GOOD + "image: https://cdn.example.org/cat.jpg\nimage_alt: A cat\n")
    )
    assert "cdn.example.org" not in built.text("highlights/index.html")


def test_a_hand_written_highlight_is_approved_by_default(tmp_path: Path) -> None:
    built = build(tmp_path, highlight(GOOD, "A *lovely* mural by the **teen art club**.\n"))
    card = built.html("highlights/index.html").select_one("main .highlight-card")
    assert card.select_one("h2").get_text() == "Mural"
    assert str(card.select_one(".highlight-text")) == (
        '<div class="highlight-text"><p>A <em>lovely</em> mural by the '
        "<strong>teen art club</strong>.</p></div>"
    )


def test_hand_written_html_is_held_to_the_untrusted_rules(tmp_path: Path) -> None:
    body = (
        '<p class="x" id="main">Hi <img src="https://cdn.example.org/t.gif"> '
        '<a href="/admin/">admin</a> <a href="https://ok.example.org/">ok</a></p>\n'
    )
    built = build(tmp_path, highlight(GOOD, body))
    text = built.html("highlights/index.html").select_one("main .highlight-text")
    assert str(text) == (
        '<div class="highlight-text"><p>Hi  <a rel="nofollow noopener ugc">admin</a> '
        '<a href="https://ok.example.org/" rel="nofollow noopener ugc">ok</a></p></div>'
    )


def test_allow_raw_html_does_not_apply_to_highlights(tmp_path: Path) -> None:
    files = highlight(GOOD, "<script>alert(1)</script><p onclick=x>Hi</p>\n").replace(
        "timezone: America/Chicago\n", "timezone: America/Chicago\nallow_raw_html: true\n", 1
    )
    built = build(tmp_path, files)
    page = built.html("highlights/index.html")
    assert page.select("main script, main [onclick]") == []
