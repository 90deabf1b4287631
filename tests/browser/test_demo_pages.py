"""The built demo read as HTML, no browser needed: every page names no other host for anything
it loads, keeps the CSP (no inline script or style), and has the structure assistive
technology relies on: lang, landmarks, one h1, a skip link first, dates in <time>, sized
images, a canonical address, Open Graph and schema.org data.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

SITE_HOST = "riverbend-library.example.org"
ASSET = re.compile(r"/assets/[0-9a-f]{10}/(css|images)/[\w.-]+")
# Attributes whose URL the browser fetches, or that name the page to crawlers and social sites.
LOADED = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "link": ("href",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "form": ("action",),
    "input": ("src",),
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


@pytest.fixture(scope="module")
def pages(demo_output: Path) -> dict[str, BeautifulSoup]:
    return {
        path.relative_to(demo_output).as_posix(): BeautifulSoup(
            path.read_text(encoding="utf-8"), "html.parser"
        )
        for path in sorted(demo_output.rglob("*.html"))
    }


def loaded_urls(soup: BeautifulSoup) -> list[str]:
    urls = []
    for tag, attributes in LOADED.items():
        for element in soup.find_all(tag):
            for attribute in attributes:
                value = element.get(attribute)
                if value:
                    urls.extend(part.split()[0] for part in value.split(",") if part.strip())
    for meta in soup.select('meta[property^="og:"], meta[http-equiv="refresh"]'):
        content = meta.get("content", "")
        if "://" in content or content.startswith("/"):
            urls.append(content.split("url=")[-1])
    return urls


def test_no_page_references_any_host_but_the_sites_own(pages):
    assert len(pages) > 40
    foreign = {}
    for path, soup in pages.items():
        for url in loaded_urls(soup):
            host = urlsplit(urljoin(f"https://{SITE_HOST}/{path}", url)).hostname
            if host != SITE_HOST:
                foreign.setdefault(path, []).append(url)
    assert foreign == {}


def test_the_css_loads_nothing_from_anywhere(demo_output: Path):
    sheets = sorted(demo_output.glob("assets/*/css/*.css"))
    assert [sheet.name for sheet in sheets] == ["colors.css", "print.css", "style.css"]
    for sheet in sheets:
        assert CSS_URL.findall(sheet.read_text(encoding="utf-8")) == [], sheet.name


def test_no_inline_script_or_style_for_the_content_security_policy(pages):
    for path, soup in pages.items():
        assert soup.find("style") is None, path
        assert soup.select("[style]") == [], path
        assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")]
        for script in soup.find_all("script"):
            assert script.get("type") == "application/ld+json", path
            json.loads(script.string)


def test_theme_files_are_fingerprinted_for_a_year_of_caching(pages):
    for path, soup in pages.items():
        links = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
        assert len(links) == 3, path
        assert all(ASSET.fullmatch(href) for href in links), links


def test_every_page_has_lang_landmarks_one_h1_and_a_skip_link_first(pages):
    for path, soup in pages.items():
        assert soup.html["lang"] == "en"
        body_links = soup.body.find_all(["a", "button", "input", "select", "textarea"])
        assert body_links[0]["href"] == "#main" and "skip-link" in body_links[0]["class"]
        assert soup.select_one("main#main") is not None, path
        assert len(soup.find_all("main")) == 1
        assert soup.select("body > header.site-header, body > footer.site-footer"), path
        assert len(soup.find_all("h1")) == 1, path
        assert soup.select_one('nav[aria-label="Main"]') is not None
        assert soup.title.string.strip()


def heading_levels(soup: BeautifulSoup) -> list[int]:
    return [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def test_headings_never_skip_a_level(pages):
    for path, soup in pages.items():
        levels = heading_levels(soup)
        assert levels[0] == 1, path
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path}: h{before} then h{after}"


def test_dates_are_in_time_elements_and_images_have_their_size(pages):
    home = pages["index.html"]
    times = home.select(".post-card time")
    assert len(times) == 6
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT.*", t["datetime"]) for t in times)
    for path, soup in pages.items():
        for image in soup.select("main img, header img"):
            if "card-image" not in image.parent.get("class", []):  # these have a CSS ratio
                assert image.get("width") and image.get("height"), (path, image)
            assert image.has_attr("alt"), (path, image)


def test_the_listing_marks_its_current_page(pages):
    second = pages["posts/page/2/index.html"]
    current = second.select('nav.pagination a[aria-current="page"]')
    assert [a.get_text(" ", strip=True) for a in current] == ["Page 2"]
    labels = [a.get_text(" ", strip=True) for a in second.select("nav.pagination a")]
    assert labels[0] == "← Newer posts" and labels[-1] == "Older posts →"


def test_footer_shows_branches_hours_contact_and_social_links(pages):
    footer = pages["about/index.html"].select_one("footer.site-footer")
    names = [h.get_text(strip=True) for h in footer.select(".branches h3")]
    assert names == ["Central Library", "Eastside Branch"]
    central = footer.select(".branches > li")[0]
    rows = [
        (dt.get_text(strip=True), dd.get_text(" ", strip=True))
        for dt, dd in zip(central.select(".hours dt"), central.select(".hours dd"), strict=True)
    ]
    assert rows == [
        ("Monday–Thursday", "9 a.m. to 8 p.m."),
        ("Friday and Saturday", "9 a.m. to 5 p.m."),
        ("Sunday", "Closed"),
    ]
    assert central.select_one('a[href^="tel:"]')["href"] == "tel:+1507-555-0100"
    social = [a.get_text(strip=True) for a in footer.select('a[rel="me"]')]
    assert social == ["Mastodon", "Instagram"]


def structured_data(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]


def schema_type(path: str) -> str:
    """What a page is to schema.org: a post, an event, or else a page of the library."""
    parts = path.split("/")
    if len(parts) == 3 and parts[1] not in ("page", "past"):
        return {"posts": "BlogPosting", "events": "Event"}.get(parts[0], "Library")
    return "Library"


def test_pages_describe_themselves_to_search_engines_and_social_sites(pages):
    for path, soup in pages.items():
        # Pages kept out of search engines (404, the feedback form's thank-you page) name no
        # canonical address.
        if soup.select_one('meta[name="robots"][content*="noindex"]') is None:
            canonical = soup.select_one('link[rel="canonical"]')["href"]
            assert urlsplit(canonical).hostname == SITE_HOST
        assert soup.select_one('meta[property="og:title"]')["content"]
        assert soup.select_one('meta[name="description"]')["content"]
        (data,) = structured_data(soup)
        assert data["@type"] == schema_type(path), path
    home = structured_data(pages["index.html"])[0]
    assert [branch["name"] for branch in home["department"]] == [
        "Central Library",
        "Eastside Branch",
    ]
    assert home["department"][0]["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday"],
        "opens": "09:00",
        "closes": "20:00",
    }
    (posting,) = structured_data(pages["posts/eastside-reopens/index.html"])
    assert posting["@type"] == "BlogPosting"
    assert posting["publisher"]["@id"] == home["@id"]
    assert posting["publisher"]["logo"] == f"https://{SITE_HOST}/images/logo.svg"
