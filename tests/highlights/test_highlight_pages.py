"""Publishing community highlights: only approved ones reach the site, pinned first, then
newest first, paginated, with source filter pages, a home page section and an RSS feed.

Each test builds a tiny inline site at NOW and reads what a visitor (or a feed reader) gets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, BuiltSite, write_files
from feed_server import PNG
from lxml import etree

from sitegen.build import build_site

SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
per_page: 2
highlights:
  sources:
    - id: library-social
      name: Test Library on Mastodon
      url: https://social.example.org/@library.rss
      trust: auto
    - id: riverbend-reads
      name: "#RiverbendReads"
      url: https://social.example.org/tags/riverbendreads.rss
-- content/highlights/library-social/2026-11-24-ducks-5f0fc43deb.md --
---
title: Storytime moved outside today
url: https://social.example.org/@library/1
source: library-social
author: Test Library
date: 2026-11-24 10:05
image: images/ducks.png
image_alt: Children on blankets by the river
status: approved
pinned: false
---

<div>
<p>The ducks joined in. <a href="https://social.example.org/tags/riverbendreads">#RiverbendReads</a></p>
</div>
-- content/highlights/library-social/2026-11-20-hours-a3f2e21b00.md --
---
title: Holiday hours at both branches
url: https://social.example.org/@library/2
source: library-social
date: 2026-11-20 09:00
status: approved
pinned: true
---

Both branches close early on Wednesday.
-- content/highlights/riverbend-reads/2026-11-25-mural-1111111111.md --
---
title: The new mural at Eastside
url: https://social.example.org/@patron/3
source: riverbend-reads
author: Pat Reader
author_url: https://social.example.org/@patron
date: 2026-11-25 18:00
status: approved
---

Painted by the teen art club.
-- content/highlights/riverbend-reads/2026-11-26-waiting-2222222222.md --
---
title: Waiting for review
url: https://social.example.org/@stranger/4
source: riverbend-reads
date: 2026-11-26 12:00
image: images/pending.png
image_alt: A picture nobody has looked at yet
status: pending
---

Nobody has looked at this yet.
-- content/highlights/riverbend-reads/2026-11-27-hidden-3333333333.md --
---
title: Hidden by staff
url: https://social.example.org/@troll/5
source: riverbend-reads
date: 2026-11-27 12:00
status: hidden
---

Staff decided against this one.
-- content/highlights/gazette-levy.md --
---
title: Riverbend votes yes on the library levy
url: https://gazette.example.org/levy
source: Riverbend Gazette
summary: The levy passed with 61% of the vote.
date: 2026-11-04
---
"""

APPROVED_ORDER = [
    "Holiday hours at both branches",  # pinned
    "The new mural at Eastside",
    "Storytime moved outside today",
    "Riverbend votes yes on the library levy",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("highlights") / "site"
    for name in ("ducks.png", "pending.png"):
        image = root / "content" / "highlights" / "images" / name
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(PNG)
    write_files(root, SITE)
    built = BuiltSite(root, build_site(root, now=NOW))
    assert built.problems == []
    return built


def titles(soup: BeautifulSoup) -> list[str]:
    return [
        h.get_text(strip=True)
        for h in soup.select("main .highlight-card h2, main .highlight-card h3")
    ]


def every_output_text(site) -> str:
    return "\n".join(
        path.read_text("utf-8", errors="replace")
        for path in sorted(site.out.rglob("*"))
        if path.is_file()
    )


def test_only_approved_highlights_are_published_anywhere(site) -> None:
    everything = every_output_text(site)
    for title in APPROVED_ORDER:
        assert title in everything
    for unpublished in ("Waiting for review", "Hidden by staff", "@stranger/4", "@troll/5"):
        assert unpublished not in everything
    assert not site.exists("highlights/images/pending.png")


def test_pinned_first_then_newest_first_paginated(site) -> None:
    first, second = site.html("highlights/index.html"), site.html("highlights/page/2/index.html")
    assert titles(first) + titles(second) == APPROVED_ORDER
    assert not site.exists("highlights/page/3/index.html")
    assert first.select_one("main .badge").get_text() == "Pinned"
    pager = [a["href"] for a in first.select("nav.pagination a")]
    assert pager == ["/highlights/", "/highlights/page/2/", "/highlights/page/2/"]


def test_a_card_shows_source_author_date_and_links_to_the_original(site) -> None:
    mural = site.html("highlights/index.html").select("main .highlight-card")[1]
    heading_link = mural.select_one("h2 a")
    assert heading_link["href"] == "https://social.example.org/@patron/3"
    assert heading_link["rel"] == ["nofollow", "noopener", "ugc"]
    source = mural.select_one(".highlight-source a")
    assert (source.get_text(), source["href"]) == (
        "#RiverbendReads",
        "/highlights/source/riverbend-reads/",
    )
    meta = mural.select_one(".highlight-meta")
    assert meta.get_text(" ", strip=True) == "by Pat Reader · November 25, 2026"
    assert meta.select_one("a")["href"] == "https://social.example.org/@patron"
    assert meta.select_one("time")["datetime"] == "2026-11-25T18:00:00-06:00"
    assert mural.select_one(".highlight-text").get_text(strip=True) == (
        "Painted by the teen art club."
    )
    original = mural.select_one(".highlight-link a")
    assert original["href"] == "https://social.example.org/@patron/3"


def test_stored_images_of_approved_highlights_are_published(site) -> None:
    card = site.html("highlights/page/2/index.html").select_one("main .highlight-card")
    image = card.select_one("img")
    assert (image["src"], image["alt"]) == (
        "/highlights/images/ducks.png",
        "Children on blankets by the river",
    )
    assert site.file("highlights/images/ducks.png").read_bytes() == PNG


def test_links_in_highlight_text_are_nofollow(site) -> None:
    card = site.html("highlights/page/2/index.html").select_one("main .highlight-card")
    link = card.select_one(".highlight-text a")
    assert link["href"] == "https://social.example.org/tags/riverbendreads"
    assert link["rel"] == ["nofollow", "noopener", "ugc"]


def test_one_page_per_source(site) -> None:
    social = site.html("highlights/source/library-social/index.html")
    assert social.select_one("h1").get_text() == (
        "Community highlights from Test Library on Mastodon"
    )
    assert titles(social) == ["Holiday hours at both branches", "Storytime moved outside today"]
    reads = site.html("highlights/source/riverbend-reads/index.html")
    assert titles(reads) == ["The new mural at Eastside"]
    gazette = site.html("highlights/source/riverbend-gazette/index.html")
    assert titles(gazette) == ["Riverbend votes yes on the library levy"]
    choices = [a.get_text() for a in social.select("nav.highlight-filters a")]
    assert choices == [
        "All sources",
        "#RiverbendReads",
        "Riverbend Gazette",
        "Test Library on Mastodon",
    ]
    current = social.select_one('nav.highlight-filters a[aria-current="page"]')
    assert current.get_text() == "Test Library on Mastodon"


def test_the_home_page_has_a_community_section(site) -> None:
    home = site.html("index.html")
    section = home.select_one("section.home-highlights")
    assert section.select_one("h2").get_text() == "From our community"
    assert [h.get_text(strip=True) for h in section.select(".highlight-card h3")] == (
        APPROVED_ORDER[:3]
    )
    assert section.select_one("a.more-link")["href"] == "/highlights/"


def test_the_highlights_feed(site) -> None:
    feed = etree.fromstring(site.file("highlights/feed.xml").read_bytes())
    channel = feed.find("channel")
    assert channel.findtext("title") == "Test Library: community highlights"
    assert channel.findtext("link") == "https://library.example.org/highlights/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "The new mural at Eastside",
        "Storytime moved outside today",
        "Holiday hours at both branches",
        "Riverbend votes yes on the library levy",
    ]
    mural = items[0]
    assert mural.findtext("link") == "https://social.example.org/@patron/3"
    assert mural.findtext("guid") == "https://social.example.org/@patron/3"
    description = BeautifulSoup(mural.findtext("description"), "html.parser")
    assert description.get_text(" ", strip=True) == (
        "Painted by the teen art club. by Pat Reader, via #RiverbendReads"
    )
    assert mural.findtext("category") == "#RiverbendReads"


def test_every_page_links_the_highlights_feed(site) -> None:
    page = site.html("highlights/index.html")
    feeds = [link["href"] for link in page.select('link[rel="alternate"]')]
    assert "https://library.example.org/highlights/feed.xml" in feeds


def test_the_pages_are_in_the_sitemap(site) -> None:
    sitemap = site.text("sitemap.xml")
    assert "https://library.example.org/highlights/" in sitemap
    assert "https://library.example.org/highlights/source/riverbend-reads/" in sitemap


def test_no_inline_script_or_style_for_a_strict_csp(site) -> None:
    for path in (
        "highlights/index.html",
        "highlights/source/riverbend-reads/index.html",
        "index.html",
    ):
        page = site.html(path)
        scripts = [s for s in page.select("script") if s.get("type") != "application/ld+json"]
        assert scripts == []
        assert page.select("style, [style]") == []


def test_a_site_without_highlights_has_no_highlight_pages(make_site) -> None:
    built = make_site("-- content/posts/2026-11-01-x.md --\n---\ntitle: X\ndate: 2026-11-01\n---\n")
    assert built.problems == []
    assert not built.exists("highlights/index.html")
    assert not built.exists("highlights/feed.xml")
    assert built.html("index.html").select("section.home-highlights") == []


def test_a_site_in_a_folder_links_with_its_base_path(make_site, tmp_path: Path) -> None:
    image = tmp_path / "site" / "content" / "highlights" / "images" / "ducks.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(PNG)
    pending = image.with_name("pending.png")
    pending.write_bytes(PNG)
    built = make_site(
        SITE.replace("url: https://library.example.org/", "url: https://example.org/library/", 1)
    )
    page = built.html("highlights/page/2/index.html")
    assert (
        page.select_one("main .highlight-card img")["src"] == "/library/highlights/images/ducks.png"
    )
    assert page.select_one("main .highlight-source a")["href"] == (
        "/library/highlights/source/library-social/"
    )
