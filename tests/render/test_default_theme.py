"""The default theme on tiny inline sites: the logo, social links and opening hours from
site.yaml, images with their size, schema.org data that no text can break out of, the
placeholder blocks other features fill, and the errors for a wrong logo or social link.
"""

from __future__ import annotations

import json

import jinja2
import pytest

from sitegen.config import OpeningHours
from sitegen.render.filters import HoursRow, opening_hours
from sitegen.render.themes import packaged_themes_dir

TEMPLATES = packaged_themes_dir() / "default" / "templates"

SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
logo: /images/logo.svg
social:
  - {name: Mastodon, url: "https://social.example/@library"}
branches:
  main:
    name: Main Library
    hours:
      - {days: [tuesday, thursday, friday], opens: "10:00", closes: "18:00"}
      - {days: [monday, wednesday], opens: "12:00", closes: "20:00"}
      - {days: [saturday], opens: "10:00", closes: "14:30"}
      - {days: [sunday], closed: true}
-- static/images/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 100"><circle cx="50" cy="50" r="40"/></svg>
-- static/images/cover.svg --
<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450"></svg>
-- content/posts/2026-03-01-hello.md --
---
title: "Closing </script><script>alert(1)</script> & more"
date: 2026-03-01
authors: [Dana Whitfield]
image: /images/cover.svg
image_alt: A cover
---

Welcome. ![A drawing](/images/cover.svg)
"""


def test_the_header_shows_the_logo_with_its_size_beside_the_name(make_site):
    built = make_site(SITE)
    assert built.problems == []
    brand = built.html("index.html").select_one("header.site-header a.brand")
    logo = brand.select_one("img.brand-logo")
    assert (logo["src"], logo["width"], logo["height"], logo["alt"]) == (
        "/images/logo.svg",
        "120",
        "100",
        "",
    )
    assert brand.get_text(strip=True) == "Test Library"
    icon = built.html("index.html").select_one('link[rel="icon"]')
    assert icon["href"] == "/images/logo.svg"


def test_the_footer_groups_opening_hours_and_links_social_accounts(make_site):
    footer = make_site(SITE).html("index.html").footer
    rows = [
        (dt.get_text(), dd.get_text(" ", strip=True))
        for dt, dd in zip(footer.select(".hours dt"), footer.select(".hours dd"), strict=True)
    ]
    assert rows == [
        ("Monday and Wednesday", "12 p.m. to 8 p.m."),
        ("Tuesday, Thursday and Friday", "10 a.m. to 6 p.m."),
        ("Saturday", "10 a.m. to 2:30 p.m."),
        ("Sunday", "Closed"),
    ]
    assert [t["datetime"] for t in footer.select(".hours time")][:2] == ["12:00", "20:00"]
    (social,) = footer.select('a[rel="me"]')
    assert (social["href"], social.get_text()) == ("https://social.example/@library", "Mastodon")


def test_opening_hours_rows_join_runs_of_days():
    rows = opening_hours(
        [
            OpeningHours(("monday", "tuesday", "wednesday", "thursday"), "09:00", "20:00"),
            OpeningHours(("saturday", "friday"), "09:00", "17:00"),
            OpeningHours(("sunday",), closed=True),
        ]
    )
    assert rows == [
        HoursRow("Monday–Thursday", "09:00", "20:00", False),
        HoursRow("Friday and Saturday", "09:00", "17:00", False),
        HoursRow("Sunday", "", "", True),
    ]


def test_post_images_have_their_size_and_content_images_too(make_site):
    post = make_site(SITE).html("posts/hello/index.html")
    figure = post.select_one("figure.post-image img")
    assert (figure["width"], figure["height"], figure["alt"]) == ("800", "450", "A cover")
    inline = post.select_one(".prose img")
    assert (inline["width"], inline["height"], inline["loading"]) == ("800", "450", "lazy")
    card = make_site(SITE).html("index.html").select_one(".post-card img")
    assert (card["width"], card["height"]) == ("800", "450")


def test_structured_data_escapes_text_that_could_end_the_script(make_site):
    built = make_site(SITE)
    page = built.text("posts/hello/index.html")
    assert "</script><script>alert(1)" not in page
    soup = built.html("posts/hello/index.html")
    (script,) = soup.find_all("script")
    assert script["type"] == "application/ld+json"
    posting = json.loads(script.string)
    assert posting["headline"] == "Closing </script><script>alert(1)</script> & more"
    assert posting["author"] == [{"@type": "Person", "name": "Dana Whitfield"}]
    assert posting["image"] == "https://library.example.org/images/cover.svg"
    assert posting["publisher"]["logo"] == "https://library.example.org/images/logo.svg"
    home = json.loads(built.html("index.html").find("script").string)
    assert home["sameAs"] == ["https://social.example/@library"]
    assert home["openingHoursSpecification"][0]["dayOfWeek"] == ["Tuesday", "Thursday", "Friday"]
    assert home["name"] == "Test Library"


def test_the_home_page_has_blocks_other_features_fill(make_site):
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))
    blocks = environment.get_template("home.html").blocks
    assert {"intro", "upcoming_events", "community_highlights", "latest_news"} <= set(blocks)
    home = make_site(SITE).html("index.html")
    # With no events and nothing in community_highlights, only the news is there.
    assert [h2.get_text() for h2 in home.select("main h2")] == ["Latest news"]


@pytest.mark.parametrize(
    ("setting", "line", "phrase"),
    [
        ("logo: /images/missing.png", 3, '"logo" must be the path of an image in static/'),
        ("logo: images/logo.svg", 3, "logo: /images/logo.svg"),
        ("social:\n  - {name: Home, url: ftp://x.example/}", 4, "must start with https://"),
        ("social:\n  - {url: https://x.example/}", 4, '"name" is missing'),
        ("social: Mastodon", 3, '"social" must be a list'),
    ],
)
def test_a_wrong_logo_or_social_link_is_an_error_with_its_line(make_site, setting, line, phrase):
    built = make_site(
        f"""
-- site.yaml --
title: Test Library
url: https://library.example.org/
{setting}
-- static/images/logo.svg --
<svg viewBox="0 0 10 10"></svg>
"""
    )
    (problem,) = built.problems
    assert problem.startswith(f"site.yaml:{line}: "), problem
    assert phrase in problem
