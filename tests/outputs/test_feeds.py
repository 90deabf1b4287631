"""Whole-site tests of the news feeds: RSS 2.0, Atom (RFC 4287) and one RSS feed per tag.

Feeds are parsed twice: strictly with lxml against the specifications' required elements, and
with feedparser, which is what many feed readers use.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

BASE = "https://library.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
NS = {"a": "http://www.w3.org/2005/Atom"}
# RFC 822 as updated by RFC 1123 (four-digit year), with a numeric zone or GMT.
RFC_822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}(:\d{2})? ([+-]\d{4}|GMT|UT|Z)"
)
RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")

SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
description: News from the Test Library.
-- content/posts/2026-03-01-book-club.md --
---
title: Book Club Returns
date: 2026-03-01 18:00
updated: 2026-03-02 09:00
tags: [Book Club]
authors: [Dana Whitfield]
---

The book club is back. See [our hours](/visit/) and ![the room](/images/room.jpg).

Second paragraph with [a friend](https://example.com/x) and [a note](#notes).

<!-- more -->

The whole text continues here.
-- content/posts/2026-06-15-summer.md --
---
title: Summer Reading & More
date: 2026-06-15
tags: [book club, Kids]
---

Summer reading starts now.
-- content/posts/2026-11-30-draft.md --
---
title: Unfinished Draft
date: 2026-11-30
tags: [Book Club]
draft: true
---

Not ready.
-- content/posts/2026-12-24-scheduled.md --
---
title: Holiday Hours
date: 2026-12-24
tags: [Book Club]
---

Closed on the 25th.
-- content/pages/visit.md --
---
title: Visit
---

Open every day.
-- static/images/room.jpg --
jpg
"""

FEEDS = ["feed.xml", "atom.xml", "tags/book-club/feed.xml", "tags/kids/feed.xml"]
RSS_FEEDS = ["feed.xml", "tags/book-club/feed.xml", "tags/kids/feed.xml"]


@pytest.fixture
def site(make_site):
    built = make_site(SITE)
    assert built.problems == []
    return built


def xml(built, path: str) -> etree._Element:
    return etree.fromstring(built.file(path).read_bytes())


def is_absolute(url: str) -> bool:
    return url.startswith(("https://", "http://", "mailto:", "tel:"))


def links_in_html(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        element.get("href") or element.get("src")
        for element in soup.find_all(["a", "img", "source", "link", "iframe", "video", "audio"])
        if element.get("href") or element.get("src")
    ]


@pytest.mark.parametrize("path", RSS_FEEDS)
def test_rss_has_the_required_channel_and_item_elements(site, path):
    rss = xml(site, path)
    assert rss.tag == "rss"
    assert rss.get("version") == "2.0"
    (channel,) = rss.findall("channel")
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), name
    assert is_absolute(channel.findtext("link"))
    items = channel.findall("item")
    assert items
    for item in items:
        assert (item.findtext("title") or item.findtext("description") or "").strip()
        assert is_absolute(item.findtext("link"))
        guid = item.find("guid")
        assert guid is not None and guid.text
        if guid.get("isPermaLink", "true") == "true":
            assert is_absolute(guid.text)
        pub_date = item.findtext("pubDate")
        assert RFC_822.fullmatch(pub_date), pub_date
        assert parsedate_to_datetime(pub_date).tzinfo is not None
    guids = [item.findtext("guid") for item in items]
    assert len(guids) == len(set(guids))


def test_rss_channel_links_the_home_page_and_itself(site):
    channel = xml(site, "feed.xml").find("channel")
    assert channel.findtext("title") == "Test Library"
    assert channel.findtext("link") == BASE
    assert channel.findtext("description") == "News from the Test Library."
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == BASE + "feed.xml"


def test_rss_items_are_the_published_posts_newest_first(site):
    channel = xml(site, "feed.xml").find("channel")
    items = channel.findall("item")
    assert [item.findtext("link") for item in items] == [
        BASE + "posts/summer/",
        BASE + "posts/book-club/",
    ]
    assert items[0].findtext("title") == "Summer Reading & More"
    assert parsedate_to_datetime(items[1].findtext("pubDate")) == datetime.fromisoformat(
        "2026-03-01T18:00:00-06:00"
    )


def test_atom_follows_rfc_4287(site):
    feed = xml(site, "atom.xml")
    assert feed.tag == f"{ATOM}feed"
    assert is_absolute(feed.findtext(f"{ATOM}id"))
    assert feed.findtext(f"{ATOM}title") == "Test Library"
    assert RFC_3339.fullmatch(feed.findtext(f"{ATOM}updated"))
    links = {link.get("rel", "alternate"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == BASE + "atom.xml"
    assert links["alternate"] == BASE
    feed_author = feed.find(f"{ATOM}author/{ATOM}name")

    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert is_absolute(entry.findtext(f"{ATOM}id"))
        assert entry.findtext(f"{ATOM}title")
        assert RFC_3339.fullmatch(entry.findtext(f"{ATOM}updated"))
        published = entry.findtext(f"{ATOM}published")
        assert published is None or RFC_3339.fullmatch(published)
        alternates = [
            link.get("href")
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1 and is_absolute(alternates[0])
        entry_author = entry.find(f"{ATOM}author/{ATOM}name")
        assert feed_author is not None or entry_author is not None
        content = entry.find(f"{ATOM}content")
        # RFC 4287 4.1.3.1: "text", "html", "xhtml" or a MIME media type.
        assert content.get("type", "text") in ("text", "html", "xhtml") or "/" in content.get(
            "type"
        )


def test_atom_dates_are_the_posts_dates(site):
    entry = xml(site, "atom.xml").findall(f"{ATOM}entry")[1]
    assert entry.findtext(f"{ATOM}id") == BASE + "posts/book-club/"
    updated = datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert updated == datetime.fromisoformat("2026-03-02T09:00:00-06:00")
    published = datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published == datetime.fromisoformat("2026-03-01T18:00:00-06:00")
    feed_updated = datetime.fromisoformat(xml(site, "atom.xml").findtext(f"{ATOM}updated"))
    assert feed_updated == datetime.fromisoformat("2026-06-15T00:00:00-05:00")


def entry_contents(built) -> list[str]:
    """The HTML content of every entry of every feed."""
    contents = []
    for path in RSS_FEEDS:
        for item in xml(built, path).iter("item"):
            contents.append(item.findtext("description"))
            contents.append(item.findtext(CONTENT_ENCODED))
    for entry in xml(built, "atom.xml").iter(f"{ATOM}entry"):
        contents.append(entry.findtext(f"{ATOM}content"))
        if entry.find(f"{ATOM}summary") is not None:
            contents.append(entry.findtext(f"{ATOM}summary"))
    return contents


def test_every_url_in_the_feeds_is_absolute(site):
    checked = 0
    for path in FEEDS:
        tree = xml(site, path)
        for element in tree.iter():
            for name in ("href", "src", "uri"):
                if element.get(name):
                    assert is_absolute(element.get(name)), (path, element.tag)
                    checked += 1
        for element in tree.iter("link", "guid", f"{ATOM}id"):
            assert is_absolute(element.text.strip()), (path, element.tag)
            checked += 1
    for html in entry_contents(site):
        for link in links_in_html(html):
            assert is_absolute(link) or link.startswith("#"), link
            checked += 1
    assert checked > 30


def test_links_inside_post_content_point_at_the_site(site):
    (entry,) = [
        e
        for e in xml(site, "atom.xml").iter(f"{ATOM}entry")
        if e.findtext(f"{ATOM}id") == BASE + "posts/book-club/"
    ]
    links = links_in_html(entry.findtext(f"{ATOM}content"))
    assert links == [BASE + "visit/", BASE + "images/room.jpg", "https://example.com/x", "#notes"]


def test_feeds_carry_the_full_content(site):
    item = next(
        item
        for item in xml(site, "feed.xml").iter("item")
        if item.findtext("link") == BASE + "posts/book-club/"
    )
    paragraphs = [
        p.get_text(" ", strip=True)
        for p in BeautifulSoup(item.findtext(CONTENT_ENCODED), "html.parser").find_all("p")
    ]
    assert paragraphs[-1] == "The whole text continues here."
    entry = next(
        e
        for e in xml(site, "atom.xml").iter(f"{ATOM}entry")
        if e.findtext(f"{ATOM}id") == BASE + "posts/book-club/"
    )
    text = BeautifulSoup(entry.findtext(f"{ATOM}content"), "html.parser").get_text(" ")
    assert "The whole text continues here." in text
    assert "Second paragraph" in text


@pytest.mark.parametrize(
    ("path", "count"),
    [("feed.xml", 2), ("atom.xml", 2), ("tags/book-club/feed.xml", 2), ("tags/kids/feed.xml", 1)],
)
def test_feedparser_reads_every_feed_cleanly(site, path, count):
    parsed = feedparser.parse(site.file(path).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert len(parsed.entries) == count
    assert parsed.feed.title.startswith("Test Library")
    for entry in parsed.entries:
        assert entry.link.startswith(BASE + "posts/")
        assert entry.published_parsed is not None
        assert entry.content[0].value.strip()


def test_feedparser_sees_html_content_in_atom(site):
    parsed = feedparser.parse(site.file("atom.xml").read_bytes())
    content = parsed.entries[1].content[0]
    assert content.type == "text/html"
    soup = BeautifulSoup(content.value, "html.parser")
    assert soup.find("a", href=BASE + "visit/") is not None


def test_a_tag_feed_has_only_that_tags_posts_and_links_the_tag_page(site):
    channel = xml(site, "tags/kids/feed.xml").find("channel")
    assert [item.findtext("link") for item in channel.findall("item")] == [BASE + "posts/summer/"]
    assert "Kids" in channel.findtext("title")
    assert channel.findtext("link") == BASE + "tags/kids/"
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == BASE + "tags/kids/feed.xml"


def test_feeds_hold_at_most_twenty_entries(make_site):
    posts = "".join(
        f"-- content/posts/post-{n:02d}.md --\n"
        f"---\ntitle: Post {n}\ndate: 2026-01-{n:02d}\ntags: [Busy]\n---\n\nText {n}.\n"
        for n in range(1, 26)
    )
    built = make_site(posts)
    assert built.problems == []
    for path in ("feed.xml", "atom.xml", "tags/busy/feed.xml"):
        parsed = feedparser.parse(built.file(path).read_bytes())
        assert parsed.bozo == 0
        assert len(parsed.entries) == 20
        assert parsed.entries[0].link == BASE + "posts/post-25/"
        assert parsed.entries[-1].link == BASE + "posts/post-06/"


@pytest.mark.parametrize(
    "options", [{}, {"drafts": True}, {"future": True}, {"drafts": True, "future": True}]
)
def test_drafts_and_future_posts_never_appear_in_feeds(make_site, options):
    built = make_site(SITE, **options)
    assert built.problems == []
    for path in FEEDS:
        parsed = feedparser.parse(built.file(path).read_bytes())
        links = {entry.link for entry in parsed.entries}
        assert BASE + "posts/draft/" not in links, path
        assert BASE + "posts/scheduled/" not in links, path
        titles = {entry.title for entry in parsed.entries}
        assert not titles & {"Unfinished Draft", "Holiday Hours"}


def test_a_site_in_a_folder_has_absolute_links_with_its_folder(make_site):
    built = make_site(
        SITE.replace("url: https://library.example.org/", "url: https://example.org/library/")
    )
    assert built.problems == []
    channel = xml(built, "feed.xml").find("channel")
    assert channel.findtext("link") == "https://example.org/library/"
    item = channel.findall("item")[1]
    assert item.findtext("link") == "https://example.org/library/posts/book-club/"
    links = links_in_html(item.findtext(CONTENT_ENCODED))
    assert links[:2] == [
        "https://example.org/library/visit/",
        "https://example.org/library/images/room.jpg",
    ]


def test_a_site_without_posts_still_has_valid_feeds(make_site):
    built = make_site("-- content/pages/about.md --\n---\ntitle: About\n---\n\nHi.\n")
    assert built.problems == []
    for path in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse(built.file(path).read_bytes())
        assert parsed.bozo == 0
        assert parsed.entries == []
    assert RFC_3339.fullmatch(xml(built, "atom.xml").findtext(f"{ATOM}updated"))
