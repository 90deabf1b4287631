"""Cleaning entries in memory: what a stranger's entry may become, and each source's rules
(include/exclude keywords, max_entries), on plain RawEntry values.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sitegen.config import HighlightSource
from sitegen.fetch.clean import (
    MAX_EXCERPT,
    MAX_TITLE,
    clean_entry,
    select_entries,
    url_key,
)
from sitegen.fetch.raw import RawEntry
from sitegen.untrusted import clean_untrusted_html, plain_text, safe_web_url

BASE = "https://social.example.org/@patron/"
DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def entry(**fields: object) -> RawEntry:
    values: dict[str, object] = {"base": BASE, "link": "https://social.example.org/@patron/1"}
    values.update(fields)
    return RawEntry(**values)  # type: ignore[arg-type]


def test_a_plain_entry() -> None:
    cleaned = clean_entry(
        entry(
            id="tag:social.example.org,2026:1",
            title="Storytime &amp; <em>songs</em>",
            summary_html="<p>We sang <a href='/tags/ducks'>#ducks</a>.</p>",
            author="Dana Whitfield",
            author_url="/@dana",
            published=DAY,
        )
    )
    assert cleaned is not None
    assert cleaned.url == "https://social.example.org/@patron/1"
    assert cleaned.title == "Storytime & songs"
    assert cleaned.content == (
        '<p>We sang <a href="https://social.example.org/tags/ducks" '
        'rel="nofollow noopener ugc">#ducks</a>.</p>'
    )
    assert cleaned.author_url == "https://social.example.org/@dana"
    assert cleaned.date == DAY
    assert len(cleaned.key) == 10 and len(cleaned.guid_key) == 10


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "mailto:someone@example.org",
        "https://bank.example.org@evil.example.org/",
        "",
    ],
)
def test_an_entry_without_a_web_link_is_left_out(link: str) -> None:
    assert clean_entry(entry(link=link, base="")) is None


def test_a_permalink_id_stands_in_for_a_missing_link() -> None:
    cleaned = clean_entry(entry(link="", id="https://blog.example.org/2026/11/post"))
    assert cleaned is not None and cleaned.url == "https://blog.example.org/2026/11/post"


def test_relative_links_resolve_against_the_entry_base() -> None:
    cleaned = clean_entry(entry(link="../2", base="https://blog.example.org/a/b/"))
    assert cleaned is not None and cleaned.url == "https://blog.example.org/a/2"


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example/"></iframe>',
        '<form action="https://evil.example/"><input name="card"></form>',
        '<a href="javascript:alert(1)">x</a>',
        '<p style="position:fixed">x</p>',
        '<p onclick="alert(1)">x</p>',
        '<object data="x.swf"></object>',
        '<math><maction xlink:href="javascript:alert(1)">x</maction></math>',
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "<!--><img src=x onerror=alert(1)>-->",
    ],
)
def test_nothing_executable_survives_cleaning(html: str) -> None:
    cleaned = clean_untrusted_html(html, BASE)
    lowered = cleaned.lower()
    for danger in ("<script", "<img", "<svg", "<style", "<iframe", "<form", "<object"):
        assert danger not in lowered
    for danger in ("onerror=", "onclick=", "onload=", "style=", "javascript:"):
        assert danger not in lowered or "&lt;" in lowered  # only as escaped text


def test_links_get_rel_nofollow_noopener_ugc() -> None:
    html = '<a href="https://good.example.org/" rel="opener" target="_blank">x</a>'
    assert clean_untrusted_html(html) == (
        '<a href="https://good.example.org/" rel="nofollow noopener ugc">x</a>'
    )


def test_relative_links_without_a_base_are_dropped() -> None:
    # On the library's site they would point at the library's own pages.
    assert clean_untrusted_html('<a href="/admin/">x</a>') == '<a rel="nofollow noopener ugc">x</a>'


def test_text_fields_are_plain_text() -> None:
    assert plain_text("<b>Bold</b> <script>alert(1)</script>move") == "Bold move"
    assert plain_text("Teens &amp; tweens") == "Teens &amp; tweens"  # text, not HTML
    assert plain_text("a\u202etxt.exe\x07\x00 b\n\tc") == "atxt.exe b c"
    assert plain_text("Fish & chips <3") == "Fish & chips <3"


def test_an_email_address_in_an_rss_author_is_never_kept() -> None:
    from sitegen.fetch.parse import parse_feed

    body = (
        b'<rss version="2.0"><channel><item><link>https://a.example/1</link>'
        b"<author>dana@example.org</author></item></channel></rss>"
    )
    raw = parse_feed(body, "application/rss+xml", "https://a.example/feed").entries[0]
    cleaned = clean_entry(raw)
    assert cleaned is not None and cleaned.author == ""


def test_a_missing_title_is_made_from_the_text() -> None:
    words = "The seed library is stocked for winter sowing: milkweed, coneflower, prairie smoke"
    cleaned = clean_entry(entry(summary_html=f"<p>{words} and more.</p>"))
    assert cleaned is not None
    assert cleaned.title.startswith("The seed library is stocked")
    assert cleaned.title.endswith("…") and len(cleaned.title) <= 90


def test_long_fields_are_capped() -> None:
    cleaned = clean_entry(
        entry(
            title="Long " * 200,
            summary_html="<p>" + "word " * 5000 + "</p>",
            author="A" * 500,
            image_alt="x" * 1000,
            image="https://a.example/i.png",
        )
    )
    assert cleaned is not None
    assert len(cleaned.title) <= MAX_TITLE
    assert cleaned.content.startswith("<p>word word") and cleaned.content.endswith("…</p>")
    assert len(cleaned.content) <= MAX_EXCERPT + len("<p></p>")
    assert len(cleaned.author) <= 120
    assert len(cleaned.image_alt) <= 300


def test_image_addresses_must_be_web_addresses() -> None:
    data = clean_entry(entry(image="data:image/svg+xml;base64,PHN2Zz4="))
    relative = clean_entry(entry(image="/media/cat.png"))
    assert data is not None and data.image_url == ""
    assert relative is not None and relative.image_url == "https://social.example.org/media/cat.png"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://blog.example.org/post/", "http://BLOG.example.org/post"),
        ("https://blog.example.org/post", "https://blog.example.org:443/post#comments"),
        ("https://blog.example.org/post?utm_source=rss", "https://blog.example.org/post"),
    ],
)
def test_one_post_has_one_key(one: str, other: str) -> None:
    assert url_key(one) == url_key(other)


def test_different_posts_have_different_keys() -> None:
    assert url_key("https://blog.example.org/post?id=1") != url_key(
        "https://blog.example.org/post?id=2"
    )


def test_safe_web_url_encodes_what_a_browser_would() -> None:
    assert safe_web_url('https://a.example/x y"<z>') == "https://a.example/x%20y%22%3Cz%3E"


SOURCE = HighlightSource("riverbend-reads", "Riverbend Reads", "https://a.example/feed")


def many(count: int) -> tuple[RawEntry, ...]:
    return tuple(
        entry(link=f"https://a.example/{n}", title=f"Post {n}", published=DAY + timedelta(days=n))
        for n in range(count)
    )


def test_the_newest_max_entries_are_kept() -> None:
    source = HighlightSource("s", "S", "https://a.example/feed", max_entries=3)
    selection = select_entries(many(5), source)
    assert [e.title for e in selection.entries] == ["Post 4", "Post 3", "Post 2"]
    assert selection.over_limit == 2


@pytest.mark.parametrize(
    ("include", "exclude", "kept"),
    [
        ((), (), ["Shh", "Storytime", "Book sale"]),
        (("#RiverbendReads",), (), ["Storytime", "Book sale"]),
        (("riverbendreads",), (), ["Storytime", "Book sale"]),
        (("sale",), (), ["Book sale"]),
        (("books",), (), []),  # a whole word: "books" is not "book"
        ((), ("spoiler",), ["Storytime", "Book sale"]),
        (("#riverbendreads",), ("storytime",), ["Book sale"]),
    ],
)
def test_include_and_exclude_keywords(
    include: tuple[str, ...], exclude: tuple[str, ...], kept: list[str]
) -> None:
    raw = (
        entry(
            link="https://a.example/1",
            title="Storytime",
            summary_html="<p>#RiverbendReads</p>",
            published=DAY,
        ),
        entry(
            link="https://a.example/2",
            title="Book sale",
            tags=("riverbendreads",),
            published=DAY - timedelta(days=1),
        ),
        entry(
            link="https://a.example/3",
            title="Shh",
            summary_html="Spoiler: it was the butler",
            published=DAY + timedelta(days=1),
        ),
    )
    source = HighlightSource("s", "S", "https://a.example/feed", include=include, exclude=exclude)
    assert [e.title for e in select_entries(raw, source).entries] == kept


def test_duplicates_within_a_feed_are_merged() -> None:
    raw = (
        entry(link="https://a.example/1", id="x", title="First"),
        entry(link="https://a.example/1/", id="y", title="Same link"),
        entry(link="https://a.example/2", id="x", title="Same id"),
    )
    selection = select_entries(raw, SOURCE)
    assert [e.title for e in selection.entries] == ["First"]
    assert selection.duplicates == 2
