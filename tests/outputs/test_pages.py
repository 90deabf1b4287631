"""Whole-site tests of the HTML pages: what a visitor, a browser and a crawler get.

Each test builds a tiny inline site at the fixed clock NOW and parses what was written.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

BASE = "https://library.example.org/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
description: News and services from the Test Library.
per_page: 2
menu:
  - title: Catalog
    url: https://catalog.example.org/
  - title: News
    url: /posts/
-- content/posts/2026-03-01-book-club.md --
---
title: Book Club Returns
date: 2026-03-01 18:00
tags: [Book Club, Adults]
authors: [Dana Whitfield]
summary: Our monthly book club meets again.
---

The book club is back. See [our hours](/visit/).
-- content/posts/2026-06-15-summer.md --
---
title: Summer Reading
date: 2026-06-15
tags: [book  club]
---

Summer reading starts now.
-- content/posts/2026-09-10-makerspace.md --
---
title: Makerspace Opens
date: 2026-09-10
tags: [BOOK CLUB]
---

Come and make things.
-- content/posts/2025-11-20-old-news.md --
---
title: Old News
date: 2025-11-20
---

From last year.
-- content/posts/2026-11-30-draft.md --
---
title: Unfinished Draft
date: 2026-11-30
draft: true
---

Not ready.
-- content/posts/2026-12-24-scheduled.md --
---
title: Holiday Hours
date: 2026-12-24
---

Closed on the 25th.
-- content/pages/about.md --
---
title: About Us
menu: 2
---

We are a library.
-- content/pages/visit.md --
---
title: Visit
menu: 1
---

Open every day.
-- content/pages/services/index.md --
---
title: Services
---

Everything we offer.
-- content/pages/services/printing.md --
---
title: Printing
---

Print from any computer.
"""

PUBLISHED_NEWEST_FIRST = ["makerspace", "summer", "book-club", "old-news"]


@pytest.fixture
def site(make_site):
    built = make_site(SITE)
    assert built.problems == []
    return built


def html_files(built) -> dict[str, BeautifulSoup]:
    """Every HTML file of the output by its path relative to the output folder."""
    return {
        path.relative_to(built.out).as_posix(): BeautifulSoup(
            path.read_text(encoding="utf-8"), "html.parser"
        )
        for path in sorted(built.out.rglob("*.html"))
    }


def url_of(output_path: str) -> str:
    return "/" + output_path.removesuffix("index.html")


def card_links(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select("main .post-card-title a")]


def test_home_lists_the_latest_posts(site):
    home = site.html("index.html")
    assert home.select_one("h1").get_text(strip=True) == "Test Library"
    assert card_links(home) == ["/posts/makerspace/", "/posts/summer/"]
    assert home.select_one("title").get_text() == "Test Library"


def test_posts_listing_is_paginated_with_the_current_page_marked(site):
    first = site.html("posts/index.html")
    second = site.html("posts/page/2/index.html")
    assert card_links(first) == ["/posts/makerspace/", "/posts/summer/"]
    assert card_links(second) == ["/posts/book-club/", "/posts/old-news/"]
    assert not site.exists("posts/page/3/index.html")

    for soup, number in ((first, 1), (second, 2)):
        nav = soup.select_one("nav.pagination")
        current = nav.select('a[aria-current="page"]')
        assert [a.get_text(strip=True) for a in current] == [f"Page {number}"]
    assert first.select_one('nav.pagination a[rel="next"]')["href"] == "/posts/page/2/"
    assert first.select_one('nav.pagination a[rel="prev"]') is None
    assert second.select_one('nav.pagination a[rel="prev"]')["href"] == "/posts/"
    assert second.select_one('nav.pagination a[rel="next"]') is None


def test_a_long_listing_links_nearby_pages_not_every_page(make_site):
    posts = "".join(
        f"-- content/posts/p{n:02d}.md --\n---\ntitle: Post {n}\n"
        f"date: 2026-01-{n:02d}\n---\nText.\n"
        for n in range(1, 21)
    )
    built = make_site("-- site.yaml --\ntitle: T\nurl: https://x.org/\nper_page: 1\n" + posts)
    assert built.problems == []
    nav = built.html("posts/page/10/index.html").select_one("nav.pagination")
    items = [li.get_text(" ", strip=True) for li in nav.select("li")]
    assert items == [
        "← Newer posts",
        "Page 1",
        "…",
        *(f"Page {n}" for n in range(8, 13)),
        "…",
        "Page 20",
        "Older posts →",
    ]
    # The gaps are read out too (as GOV.UK's pagination does), so a screen reader user
    # hears that pages were left out between "Page 1" and "Page 8".
    gaps = nav.select("li.pagination-gap")
    assert len(gaps) == 2 and not any(gap.has_attr("aria-hidden") for gap in gaps)
    links = {a.get_text(strip=True): a["href"] for a in nav.select("a")}
    assert links["Page 1"] == "/posts/" and links["Page 20"] == "/posts/page/20/"
    assert nav.select_one('a[aria-current="page"]')["href"] == "/posts/page/10/"


def test_drafts_and_scheduled_posts_are_not_published(site):
    assert not site.exists("posts/draft/index.html")
    assert not site.exists("posts/scheduled/index.html")
    listed = [
        href
        for path in ("posts/index.html", "posts/page/2/index.html")
        for href in card_links(site.html(path))
    ]
    assert listed == [f"/posts/{slug}/" for slug in PUBLISHED_NEWEST_FIRST]


def test_a_scheduled_post_appears_on_the_first_build_after_its_date(make_site):
    after = make_site(SITE, now=datetime.fromisoformat("2026-12-24T00:00:00-06:00"))
    assert after.problems == []
    assert after.exists("posts/scheduled/index.html")
    assert card_links(after.html("index.html"))[0] == "/posts/scheduled/"


def test_a_post_page_has_heading_time_canonical_and_open_graph(site):
    page = site.html("posts/book-club/index.html")
    assert page.select_one("main h1").get_text(strip=True) == "Book Club Returns"
    time = page.select_one("main time[datetime]")
    published = datetime.fromisoformat(time["datetime"])
    assert published == datetime.fromisoformat("2026-03-01T18:00:00-06:00")
    assert page.select_one('link[rel="canonical"]')["href"] == BASE + "posts/book-club/"

    og = {meta["property"]: meta["content"] for meta in page.select("meta[property]")}
    assert og["og:title"] == "Book Club Returns"
    assert og["og:type"] == "article"
    assert og["og:url"] == BASE + "posts/book-club/"
    assert og["og:description"] == "Our monthly book club meets again."
    assert og["og:site_name"] == "Test Library"
    assert datetime.fromisoformat(og["article:published_time"]) == published


def test_a_post_page_has_blogposting_structured_data(site):
    page = site.html("posts/book-club/index.html")
    (script,) = page.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Book Club Returns"
    assert data["url"] == BASE + "posts/book-club/"
    assert data["author"] == [{"@type": "Person", "name": "Dana Whitfield"}]
    assert datetime.fromisoformat(data["datePublished"]) == datetime.fromisoformat(
        "2026-03-01T18:00:00-06:00"
    )


def test_every_html_page_links_the_site_feeds(site):
    pages = html_files(site)
    assert len(pages) > 10
    for path, soup in pages.items():
        feeds = [(link["type"], link["href"]) for link in soup.select('head link[rel="alternate"]')]
        assert ("application/rss+xml", BASE + "feed.xml") in feeds, path
        assert ("application/atom+xml", BASE + "atom.xml") in feeds, path


def test_pages_at_the_root_and_in_sections(site):
    about = site.html("about/index.html")
    assert about.select_one("main h1").get_text(strip=True) == "About Us"
    assert about.select_one("main .prose").get_text(strip=True) == "We are a library."
    assert about.select_one('link[rel="canonical"]')["href"] == BASE + "about/"

    printing = site.html("services/printing/index.html")
    assert printing.select_one("main h1").get_text(strip=True) == "Printing"
    assert printing.select_one('link[rel="canonical"]')["href"] == BASE + "services/printing/"

    section = site.html("services/index.html")
    assert section.select_one("main h1").get_text(strip=True) == "Services"
    assert section.select_one("main .prose").get_text(strip=True) == "Everything we offer."


def test_the_menu_has_pages_in_their_order_then_site_yaml_entries(site):
    about = site.html("about/index.html")
    menu = [(a.get_text(strip=True), a["href"]) for a in about.select("nav.site-menu a")]
    assert menu == [
        ("Visit", "/visit/"),
        ("About Us", "/about/"),
        ("Catalog", "https://catalog.example.org/"),
        ("News", "/posts/"),
    ]
    current = about.select('nav.site-menu a[aria-current="page"]')
    assert [a["href"] for a in current] == ["/about/"]
    for soup in html_files(site).values():
        assert [a["href"] for a in soup.select("nav.site-menu a")] == [href for _, href in menu]


def test_tag_pages_merge_spellings_and_are_paginated_with_a_feed(site):
    first = site.html("tags/book-club/index.html")
    second = site.html("tags/book-club/page/2/index.html")
    assert card_links(first) == ["/posts/makerspace/", "/posts/summer/"]
    assert card_links(second) == ["/posts/book-club/"]
    name = first.select_one("main h1").get_text(strip=True).removeprefix("Posts about ")
    assert name in {"Book Club", "book club", "BOOK CLUB"}
    for soup in (first, second):
        feeds = [link["href"] for link in soup.select('head link[rel="alternate"]')]
        assert BASE + "tags/book-club/feed.xml" in feeds
    assert first.select_one('nav.pagination a[aria-current="page"]')["href"] == "/tags/book-club/"
    assert site.exists("tags/book-club/feed.xml")
    assert not site.exists("tags/book-club/page/3/index.html")

    index = site.html("tags/index.html")
    terms = [(a.get_text(strip=True), a["href"]) for a in index.select("main .term-list a")]
    assert terms == [("Adults", "/tags/adults/"), (name, "/tags/book-club/")]
    post = site.html("posts/summer/index.html")
    assert [a["href"] for a in post.select("main ul.tags a")] == ["/tags/book-club/"]


def test_yearly_archive_lists_that_years_posts(site):
    archive = site.html("archive/2026/index.html")
    listed = [a["href"] for a in archive.select("main li a")]
    assert listed == ["/posts/makerspace/", "/posts/summer/", "/posts/book-club/"]
    assert [a["href"] for a in site.html("archive/2025/index.html").select("main li a")] == [
        "/posts/old-news/"
    ]
    years = [a["href"] for a in site.html("archive/index.html").select("main .term-list a")]
    assert years == ["/archive/2026/", "/archive/2025/"]


def test_the_404_page_is_not_indexed(site):
    page = site.html("404.html")
    assert page.select_one("main h1").get_text(strip=True) == "Page not found"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one('link[rel="canonical"]') is None


def test_sitemap_lists_every_html_page_but_the_404_with_absolute_urls(site):
    tree = etree.fromstring(site.file("sitemap.xml").read_bytes())
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    assert len(locs) == len(set(locs))
    expected = {BASE + url_of(path).lstrip("/") for path in html_files(site) if path != "404.html"}
    assert set(locs) == expected
    assert BASE + "posts/book-club/" in locs
    lastmods = tree.xpath("//s:url/s:lastmod/text()", namespaces=SITEMAP_NS)
    assert lastmods and all(datetime.fromisoformat(value) for value in lastmods)


def test_robots_txt_names_the_sitemap(site):
    lines = site.text("robots.txt").splitlines()
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Sitemap:")]
    assert sitemaps == [BASE + "sitemap.xml"]
    assert "User-agent: *" in lines


HOSTILE = "</title><script>alert(1)</script>"


def test_a_hostile_title_is_escaped_everywhere(make_site):
    built = make_site(
        f"""
        -- content/posts/2026-05-01-hostile.md --
        ---
        title: "{HOSTILE}"
        date: 2026-05-01
        tags: ["{HOSTILE}"]
        summary: "{HOSTILE}"
        ---

        Body.
        -- content/pages/hostile.md --
        ---
        title: "{HOSTILE}"
        menu: 1
        ---

        Page body.
        """
    )
    assert built.problems == []
    pages = html_files(built)
    for path, soup in pages.items():
        for script in soup.find_all("script"):
            assert script.get("type") == "application/ld+json", path
            assert "</script" not in script.string.lower(), path
            json.loads(script.string)
        assert (
            soup.find("title")
            .get_text()
            .startswith(
                (HOSTILE, "Test Library", "Page not found", "News", "Topics", "Archive", "Posts")
            )
        ), path

    post = pages["posts/hostile/index.html"]
    assert post.select_one("title").get_text() == f"{HOSTILE} · Test Library"
    assert post.select_one("main h1").get_text() == HOSTILE
    (script,) = post.select('script[type="application/ld+json"]')
    assert json.loads(script.string)["headline"] == HOSTILE
    assert post.select_one('meta[property="og:title"]')["content"] == HOSTILE
    assert post.select_one('meta[name="description"]')["content"] == HOSTILE
    assert pages["hostile/index.html"].select_one("main h1").get_text() == HOSTILE
    menu = [a.get_text() for a in pages["index.html"].select("nav.site-menu a")]
    assert menu == [HOSTILE]
    tag_slug = [p for p in pages if p.startswith("tags/") and p != "tags/index.html"]
    assert len(tag_slug) == 1
    assert pages[tag_slug[0]].select_one("main h1").get_text() == f"Posts about {HOSTILE}"
    feed = etree.fromstring(built.file("feed.xml").read_bytes())
    assert feed.findtext("channel/item/title") == HOSTILE


def test_a_site_in_a_folder_prefixes_every_link(make_site):
    built = make_site(
        SITE.replace("url: https://library.example.org/", "url: https://example.org/library/")
        + """
-- content/posts/2026-04-01-links.md --
---
title: Links
date: 2026-04-01
image: /images/cover.png
image_alt: A cover
---

See [printing](/services/printing/) and ![the map](/images/map.png),
or [another site](https://example.com/) and [this section](#top).
-- static/images/cover.png --
png
-- static/images/map.png --
png
"""
    )
    assert built.problems == []
    checked = 0
    for path, soup in html_files(built).items():
        for element in soup.find_all(href=True) + soup.find_all(src=True):
            link = element.get("href") or element.get("src")
            if link.startswith("/"):
                assert link.startswith("/library/"), (path, str(element))
                target = built.out / link.removeprefix("/library/")
                assert target.is_file() or (target / "index.html").is_file(), (path, link)
                checked += 1
            elif link.startswith("http"):
                assert not link.startswith("https://example.org/") or link.startswith(
                    "https://example.org/library/"
                ), (path, link)
    assert checked > 50
    post = built.html("posts/links/index.html")
    assert post.select_one('link[rel="canonical"]')["href"] == (
        "https://example.org/library/posts/links/"
    )
    prose_links = [a["href"] for a in post.select("main .prose a")]
    assert prose_links == ["/library/services/printing/", "https://example.com/", "#top"]
    assert post.select_one("main .prose img")["src"] == "/library/images/map.png"
    assert post.select_one("main .post-image img")["src"] == "/library/images/cover.png"


def test_two_posts_with_one_slug_fail_the_build_naming_both_files(make_site):
    built = make_site(
        """
        -- content/posts/2026-01-01-storytime.md --
        ---
        title: Storytime
        date: 2026-01-01
        ---
        -- content/posts/2026-02-01-again.md --
        ---
        title: Storytime again
        date: 2026-02-01
        slug: storytime
        ---
        """
    )
    assert not built.result.written
    assert not built.out.exists()
    (problem,) = built.result.problems
    text = problem.format()
    assert "content/posts/2026-01-01-storytime.md" in text
    assert "content/posts/2026-02-01-again.md" in text
    assert "posts/storytime/" in text


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


@pytest.mark.parametrize(
    "slug", ["../../x", "..", "../x", "/etc/x", "a/../../../x", "x/..", "..\\\\..\\\\x", "."]
)
@pytest.mark.parametrize("kind", ["posts", "pages"])
def test_a_slug_can_never_leave_the_output_folder(make_site, tmp_path, slug, kind):
    before = files_under(tmp_path)
    date = "date: 2026-01-01\n" if kind == "posts" else ""
    built = make_site(
        f"-- content/{kind}/escape.md --\n"
        f'---\ntitle: Escape\n{date}slug: "{slug}"\n---\n\nWhere am I?\n'
    )
    made = files_under(tmp_path) - before
    source = {built.root / "site.yaml", built.root / f"content/{kind}/escape.md"}
    out = built.out.resolve()
    outside = [p for p in made - source if not p.resolve().is_relative_to(out)]
    assert outside == []
    problems = [p for p in built.result.problems if p.path == f"content/{kind}/escape.md"]
    assert problems, built.problems
    assert any('"slug"' in p.message for p in problems)
    assert not built.result.written


def test_two_files_that_make_the_same_page_are_an_error_naming_both(make_site):
    built = make_site(
        "-- content/posts/a.md --\n---\ntitle: A\ndate: 2026-01-02\nslug: book-sale\n---\nA.\n"
        "-- content/posts/b.md --\n---\ntitle: B\ndate: 2026-01-03\nslug: Book-Sale\n---\nB.\n"
    )
    errors = [p for p in built.result.problems if "makes too" in p.message]
    assert len(errors) == 1  # one page: the paths differ only in case
    named = {errors[0].path, errors[0].message.split(" that ")[1].split(" makes")[0]}
    assert named == {"content/posts/a.md", "content/posts/b.md"}
    assert not built.result.written
