"""Error messages are a feature: each broken content file gives `path:line: message` and a fix.

A table of broken posts and pages, each built as a tiny site: the build must not write the
site, and the problems must hold the exact location and a phrase an author can act on.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, BuiltSite, write_files

from sitegen.build import build_site
from sitegen.errors import Severity

POST = "content/posts/x.md"
PAGE = "content/pages/about.md"
GOOD_POST = "---\ntitle: Book Sale\ndate: 2026-11-20\n---\n\nSaturday in the lobby.\n"


def post(front: str, body: str = "Hello.\n") -> str:
    """A site with one post whose front matter starts on line 2 of content/posts/x.md."""
    return f"-- {POST} --\n---\n{front}---\n\n{body}"


def page(front: str, body: str = "Hello.\n") -> str:
    return f"-- {PAGE} --\n---\n{front}---\n\n{body}"


BROKEN = [
    # --- posts: YAML traps ------------------------------------------------------------------
    pytest.param(
        post("title: no\ndate: 2026-11-20\n"),
        f'{POST}:2: "title" is no, which YAML reads as false (yes/no), not as text.',
        'title: "no"',
        id="title-no",
    ),
    pytest.param(
        post("title: Teens #1\ndate: 2026-11-20\n"),
        f'{POST}:2: "title" stops at a "#": YAML reads the rest of the line as a comment.',
        'title: "Teens #1 Book Club"',
        id="hash-comment",
    ),
    pytest.param(
        post("title: Story Time\ndate: 10:30\n"),
        f'{POST}:3: "date" is 10:30: a time without a date.',
        "date: 2026-12-01 10:30",
        id="time-as-date",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-11-20\ntitle: Storytime\n"),
        f'{POST}:4: "title" is given twice (first on line 2).',
        "Keep one of them",
        id="duplicate-key",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-11-20\ntags:\n\t- kids\n"),
        f"{POST}:5: A tab character is used for indentation.",
        "Indent with spaces, never tabs.",
        id="tab-indentation",
    ),
    pytest.param(
        post('date: 2026-11-20\ntitle: "Teen Book Club\nsummary: Monthly meeting\n'),
        f"{POST}:3: A quotation mark is opened but never closed.",
        'title: "Teen Book Club"',
        id="unclosed-quote",
    ),
    pytest.param(
        post('title: "Teens" Book Club\ndate: 2026-11-20\n'),
        f"{POST}:2: There is more text after a quoted or [bracketed] part of a value.",
        "Put the whole value in double quotes",
        id="text-after-quote",
    ),
    pytest.param(
        post("date: 2026-11-20\ntitle: Storytime: Ages 3-5\n"),
        f"{POST}:3: A colon in a value confuses YAML.",
        'title: "Storytime: Ages 3-5"',
        id="colon-in-value",
    ),
    pytest.param(
        post("title: *Featured* Event\ndate: 2026-11-20\n"),
        f"{POST}:2: A value starts with * or &, which YAML reads as a reference.",
        'title: "*Featured* Event"',
        id="star-featured",
    ),
    pytest.param(
        post("title: Friends\ndate: 2026-11-20\nauthors: @riverbendlib\n"),
        f"{POST}:4: A value starts with a character YAML reserves (such as @, ` or %).",
        'author: "@riverbendlibrary"',
        id="at-handle",
    ),
    pytest.param(
        post("title: &Friends Book Sale\ndate: 2026-11-20\n"),
        f'{POST}:2: The value "&Friends Book Sale" starts with &, so YAML drops the first word.',
        'title: "&Friends Book Sale"',
        id="ampersand-anchor",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-13-45\n"),
        f'{POST}:3: "2026-13-45" is not a real date (month must be in 1..12).',
        "year-month-day, like 2026-12-01",
        id="impossible-date",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-12-01 25:00\n"),
        f"{POST}:3: \"date\" is not a date or a date and time ('2026-12-01 25:00').",
        "date: 2026-12-01 10:30",
        id="impossible-time",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-11-20\nextra: !!python/object/apply:os.getcwd []\n"),
        f"{POST}:4: The YAML tag !!python/object/apply:os.getcwd is not allowed here.",
        "plain text, numbers, dates and lists",
        id="python-tag",
    ),
    # --- posts: the file's shape --------------------------------------------------------------
    pytest.param(
        f"-- {POST} --\n---\ntitle: Story Time\ndate: 2026-11-20\n\nHello.\n",
        f"{POST}:1: The front matter is never closed with a line of three dashes.",
        "Add a line with just ---",
        id="no-closing-dashes",
    ),
    pytest.param(
        f"-- {POST} --\n# Story Time\n\nHello.\n",
        f"{POST}:1: The file does not start with front matter (a line of three dashes).",
        'title: "Winter Reading Challenge"',
        id="no-front-matter",
    ),
    pytest.param(
        post("- Story Time\n- 2026-11-20\n"),
        f"{POST}:2: The front matter must be `key: value` lines.",
        "date: 2026-12-01",
        id="front-matter-is-a-list",
    ),
    # --- posts: settings ----------------------------------------------------------------------
    pytest.param(
        post("date: 2026-11-20\n"),
        f'{POST}:2: "title" is missing: every post needs one.',
        'title: "Winter Reading Challenge"',
        id="missing-title",
    ),
    pytest.param(
        post("title: Story Time\n"),
        f'{POST}:2: "date" is missing: every post needs one.',
        "date: 2026-12-01",
        id="missing-date",
    ),
    pytest.param(
        post("tittle: Story Time\ndate: 2026-11-20\n"),
        f'{POST}:2: "tittle" is not a post setting. Did you mean "title"?',
        "Known settings: title, date",
        id="unknown-key-tittle",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-11-20\nslug: ../../x\n"),
        f"{POST}:4: \"slug\" may hold only letters, digits and hyphens ('../../x').",
        "slug: x",
        id="slug-escapes",
    ),
    pytest.param(
        post("title: Story Time\nslug: ../../x\n"),
        f"{POST}:3: \"slug\" may hold only letters, digits and hyphens ('../../x').",
        "slug: x",
        id="slug-checked-when-date-missing",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-11-20\nimage: /images/rug.jpg\n")
        + "-- static/images/rug.jpg --\nnot really a jpeg\n",
        f'{POST}:4: "image" needs "image_alt": a short description for people who cannot see it.',
        "image_alt: ",
        id="image-without-alt",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-11-20\ntags:\n  kids: yes\n"),
        f'{POST}:4: "tags" must be a list.',
        "tags: [storytime, kids]",
        id="tags-mapping",
    ),
    pytest.param(
        post("title: Story Time\ndate: 2026-11-20\ndraft: maybe\n"),
        f"{POST}:4: \"draft\" must be true or false, not 'maybe'.",
        "draft: true",
        id="draft-maybe",
    ),
    # --- pages --------------------------------------------------------------------------------
    pytest.param(
        page("title: no\n"),
        f'{PAGE}:2: "title" is no, which YAML reads as false (yes/no), not as text.',
        'title: "no"',
        id="page-title-no",
    ),
    pytest.param(
        page("menu: 2\n"),
        f'{PAGE}:2: "title" is missing: every page needs one.',
        "title: About the Library",
        id="page-missing-title",
    ),
    pytest.param(
        page("title: About\nmenu: first\n"),
        f"{PAGE}:3: \"menu\" must be a whole number of at least 1, not 'first'.",
        "menu: 1",
        id="page-menu-word",
    ),
    pytest.param(
        page("tittle: About\n"),
        f'{PAGE}:2: "tittle" is not a page setting. Did you mean "title"?',
        "Known settings: title, menu",
        id="page-unknown-key",
    ),
    pytest.param(
        page("title: About\nslug: ../about-us\n"),
        f"{PAGE}:3: \"slug\" may hold only letters, digits and hyphens ('../about-us').",
        "slug: about-us",
        id="page-slug",
    ),
    pytest.param(
        page("title: About\ntitle: About us\n"),
        f'{PAGE}:3: "title" is given twice (first on line 2).',
        "Keep one of them",
        id="page-duplicate-key",
    ),
    pytest.param(
        f"-- {PAGE} --\ntitle: About\n---\n\nHello.\n",
        f"{PAGE}:1: The file does not start with front matter (a line of three dashes).",
        "Start the file like this:",
        id="page-no-opening-dashes",
    ),
]


def assert_not_written(built: BuiltSite) -> None:
    assert built.result.written is False
    assert not built.out.exists()


@pytest.mark.parametrize(("files", "prefix", "phrase"), BROKEN)
def test_a_broken_file_names_its_line_and_the_fix(
    make_site, files: str, prefix: str, phrase: str
) -> None:
    built = make_site(files)
    assert_not_written(built)
    matching = [problem for problem in built.problems if problem.startswith(prefix)]
    assert matching, f"no problem starts with {prefix!r}:\n" + "\n".join(built.problems)
    assert phrase in matching[0]
    broken_file = prefix.split(":")[0]
    assert {problem.path for problem in built.result.problems} == {broken_file}


# --- encodings and line endings ---------------------------------------------------------------


def build_with_bytes(root: Path, files: dict[str, bytes]) -> BuiltSite:
    """Build a site holding files written byte for byte, as an editor saved them."""
    write_files(root, f"-- content/posts/good.md --\n{GOOD_POST}")
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return BuiltSite(root, build_site(root, now=NOW))


def test_file_not_utf8_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    latin1 = "---\ntitle: Cafe\ndate: 2026-11-20\nsummary: Le caf\xe9\n---\n\nHi.\n"
    built = build_with_bytes(tmp_path, {POST: latin1.encode("latin-1")})
    assert_not_written(built)
    assert built.problems == [
        f"{POST}:4: This file is not saved as UTF-8 text (byte 0xe9 cannot be read).\n"
        "  Open it in your editor and save it with the UTF-8 encoding."
    ]


CAFE = "---\ntitle: Caf\u00e9 Night\ndate: 2026-11-21\n---\n\nCoffee \u2615.\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(codecs.BOM_UTF8 + CAFE.replace("\n", "\r\n").encode(), id="utf8-bom-crlf"),
        pytest.param(CAFE.replace("\n", "\r").encode(), id="old-mac-cr"),
        pytest.param(CAFE.encode("utf-16"), id="utf16"),
        pytest.param(codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"), id="utf16-big-endian"),
    ],
)
def test_files_editors_save_build_fine(tmp_path: Path, data: bytes) -> None:
    built = build_with_bytes(tmp_path, {"content/posts/cafe.md": data})
    assert built.problems == []
    assert built.result.written
    html = built.html("posts/cafe/index.html")
    assert html.select_one("article h1").get_text(strip=True) == "Caf\u00e9 Night"
    assert [p.get_text() for p in html.select("article .prose p")] == ["Coffee \u2615."]
    assert html.select_one("article time")["datetime"].startswith("2026-11-21")


def test_an_error_after_crlf_lines_still_names_the_right_line(tmp_path: Path) -> None:
    data = "---\r\ntitle: Story Time\r\ndate: 2026-11-20\r\ntitle: Again\r\n---\r\nHi\r\n"
    built = build_with_bytes(tmp_path, {POST: codecs.BOM_UTF8 + data.encode()})
    assert built.problems[0].startswith(f'{POST}:4: "title" is given twice (first on line 2).')


# --- many files ---------------------------------------------------------------------------


def test_all_problems_of_all_broken_files_are_reported_together(make_site) -> None:
    built = make_site(
        """
        -- content/posts/2026-11-01-good.md --
        ---
        title: Book Sale
        date: 2026-11-20
        ---
        Saturday in the lobby.
        -- content/posts/broken-one.md --
        ---
        title: no
        date: 2026-13-01
        ---
        -- content/posts/broken-two.md --
        ---
        title: Storytime
        tittle: Storytime
        slug: ../x
        ---
        -- content/pages/visit.md --
        ---
        title: Visit
        ---
        Open every day.
        -- content/pages/broken.md --
        ---
        title: Hours
        menu: first
        image: /images/door.jpg
        ---
        """
    )
    assert_not_written(built)
    errors = [p for p in built.result.problems if p.severity is Severity.ERROR]
    assert sorted((p.path, p.line, p.message.split(" ")[0]) for p in errors) == [
        ("content/pages/broken.md", 3, '"menu"'),
        ("content/pages/broken.md", 4, '"image"'),
        ("content/posts/broken-one.md", 3, '"2026-13-01"'),
        ("content/posts/broken-two.md", 2, '"date"'),
        ("content/posts/broken-two.md", 3, '"tittle"'),
        ("content/posts/broken-two.md", 4, '"slug"'),
    ]
    # A missing date does not hide broken-two's other problems. broken-one's YAML cannot be
    # read past its bad date, so "title: no" waits for the next build. Good files are not blamed.
    assert {p.path for p in built.result.problems} == {
        "content/pages/broken.md",
        "content/posts/broken-one.md",
        "content/posts/broken-two.md",
    }
    assert built.result.site is not None
    assert [post.title for post in built.result.site.posts] == ["Book Sale"]
    assert [page.title for page in built.result.site.pages] == ["Visit"]


# --- raw HTML in Markdown -------------------------------------------------------------------

RAW_HTML_POST = """
-- content/posts/raw.md --
---
title: Craft Night
date: 2026-11-20
---
Bring scissors.

<script>alert("hi")</script>

<p onclick="steal()">Click for glitter</p>

[Sign up](javascript:alert(1)) or <a href="JavaScript:alert(2)">here</a>.
"""


def test_raw_html_is_removed_with_a_warning_naming_the_file(make_site) -> None:
    built = make_site(RAW_HTML_POST)
    assert built.result.written
    (warning,) = built.result.problems
    assert warning.severity is Severity.WARNING
    assert warning.format().startswith(
        "content/posts/raw.md:5: warning: Some HTML was removed because it could run code"
    )
    for what in ("<script>", "onclick", "javascript:"):
        assert what in warning.message
    article = built.html("posts/raw/index.html").select_one("article")
    assert article.find_all("script") == []
    attributes = [name for tag in article.find_all(True) for name in tag.attrs]
    assert [name for name in attributes if name.lower().startswith("on")] == []
    hrefs = [a.get("href", "") for a in article.find_all("a")]
    assert not [href for href in hrefs if href.strip().lower().startswith("javascript:")]
    assert "Click for glitter" in article.get_text()


def test_raw_html_warning_fails_a_strict_build(make_site) -> None:
    built = make_site(RAW_HTML_POST, strict=True)
    assert_not_written(built)
    assert built.problems[0].startswith("content/posts/raw.md:5: warning: ")


def test_allow_raw_html_keeps_the_html_without_a_warning(make_site) -> None:
    config = "-- site.yaml --\ntitle: T\nurl: https://library.example.org/\nallow_raw_html: true\n"
    built = make_site(config + RAW_HTML_POST)
    assert built.problems == []
    article = BeautifulSoup(built.text("posts/raw/index.html"), "html.parser").article
    assert [script.get_text() for script in article.find_all("script")] == ['alert("hi")']
    assert article.find("p", attrs={"onclick": "steal()"}) is not None
    assert [a["href"] for a in article.find_all("a")] == [
        "javascript:alert(1)",
        "JavaScript:alert(2)",
    ]
