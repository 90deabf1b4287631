"""What a template reads is noted, so a page is made again exactly when that changes.

Templates are rendered by the site's own Renderer (the default theme's Jinja environment) with
the Site seen through a SiteView, as page_file does.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from sitegen.build import build_site
from sitegen.model import ScheduledChange, Site, SourceRef
from sitegen.render.environment import Renderer
from sitegen.render.recording import SiteView, TermView, dependency, note, recording
from sitegen.render.themes import load_theme
from tests.conftest import NOW, write_files
from tests.render.test_images import png

SITE = """
-- site.yaml --
title: Riverbend Library
url: https://library.example.org/
timezone: America/Chicago
branches:
  central:
    name: Central Library
audiences: {kids: Children}
categories: {storytime: Storytime}
-- content/pages/about.md --
---
title: About
menu: 1
---
Who we are.
-- content/events/storytime.md --
---
title: Preschool Storytime
start: 2026-12-08 10:30
end: 11:15
branch: central
audiences: [kids]
categories: [storytime]
---
Songs and stories.
-- content/posts/2026-11-20-new-books.md --
---
title: New books
date: 2026-11-20
tags: [Book Club]
---
This month's picks.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Renderer]:
    root = write_files(tmp_path_factory.mktemp("recording") / "site", SITE)
    (root / "static/images").mkdir(parents=True)
    (root / "static/images/logo.png").write_bytes(png(120, 80))
    result = build_site(root, now=NOW, write=False)
    assert result.problems == [] and result.site is not None
    site = result.site
    renderer = Renderer(load_theme(site.config), site.config, "/assets/test/")
    return site, renderer


def render(built: tuple[Site, Renderer], template: str, **context: Any) -> tuple[str, set[str]]:
    """The template's text and the names noted while it rendered."""
    site, renderer = built
    noted: set[str] = set()
    with recording(noted):
        text = renderer.env.from_string(template).render(site=SiteView(site), **context)
    return text, noted


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{% for item in site.menu %}{{ item.title }}{% endfor %}", {"menu"}),
        ("{% if site.menu %}menu{% endif %}", {"menu"}),
        ("{{ site.config.title }}", set()),
        ("{{ config.title }}", set()),
        ("{{ site.now }}", {"now"}),
        ("© {{ site.year }}", {"year"}),
        ("{{ site.events.upcoming | length }}", {"events.upcoming"}),
        (
            "{% for o in site.events.upcoming[:3] %}{{ o.event.title }}{% endfor %}",
            {"events.upcoming"},
        ),
        ("{% if site.highlights %}yes{% endif %}", {"highlights"}),
        ("{{ (site.events | string)[:0] }}", {"events"}),
        ("{% if site.highlights.approved %}yes{% endif %}", {"highlights.approved"}),
        ("{{ site.events.filters_of('branch') | length }}", {"events.filters_of"}),
        ("{{ site.posts | length }} {{ site.tags | length }}", {"posts", "tags"}),
        ("{{ meta }}", set()),
        ("plain text", set()),
    ],
)
def test_a_template_notes_the_parts_of_the_site_it_reads(
    built: tuple[Site, Renderer], template: str, expected: set[str]
) -> None:
    _, noted = render(built, template, meta="page values are the page's own inputs")
    assert noted == expected


def test_what_a_template_reads_through_the_view_is_the_site_itself(
    built: tuple[Site, Renderer],
) -> None:
    site, _ = built
    text, _ = render(
        built,
        "{{ site.config.title }}|{{ site.now.isoformat() }}|{{ site.events.upcoming | length }}"
        "|{{ site.menu | map(attribute='title') | join(',') }}"
        "|{{ site.highlights.approved | length }}",
    )
    assert text == (f"Riverbend Library|{NOW.isoformat()}|{len(site.events.upcoming)}|About|0")
    assert len(site.events.upcoming) == 1


@pytest.mark.parametrize("name", ["menu", "now", "year", "events.upcoming", "highlights.approved"])
def test_a_noted_name_gives_what_the_template_read(built: tuple[Site, Renderer], name: str) -> None:
    site, renderer = built
    value: Any = site
    for part in name.split("."):
        value = getattr(value, part)
    assert dependency(site, renderer.image_size, name) == value


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ term.name }} {{ term.slug }} {{ term.url }} {{ term.feed_url }}", set()),
        ("{{ term.tag.name }}", set()),
        ("{{ term.posts | length }}", {"tag:book-club"}),
        ("{% for post in term.posts %}{{ post.title }}{% endfor %}", {"tag:book-club"}),
        ("{{ term }}", {"tag:book-club"}),
        ("{{ term | pprint }}", {"tag:book-club"}),
    ],
)
def test_a_tag_page_notes_the_tag_when_it_reads_more_than_the_tag_s_name(
    built: tuple[Site, Renderer], template: str, expected: set[str]
) -> None:
    site, renderer = built
    (term,) = site.tags
    _, noted = render(built, template, term=TermView(term))
    assert noted == expected
    assert dependency(site, renderer.image_size, "tag:book-club") is term


def test_a_tag_as_its_pages_see_it_is_the_tag(built: tuple[Site, Renderer]) -> None:
    site, _ = built
    (term,) = site.tags
    text, _ = render(
        built,
        "{{ term.name }}|{{ term.url }}|{{ term.feed_url }}"
        "|{{ term.posts | map(attribute='title') | join(',') }}|{{ term == other }}",
        term=TermView(term),
        other=term,
    )
    assert text == "Book Club|/tags/book-club/|/tags/book-club/feed.xml|New books|True"


def test_testing_whether_an_optional_part_is_there_is_noted(
    built: tuple[Site, Renderer],
) -> None:
    site, renderer = built
    change = ScheduledChange(NOW + timedelta(days=1), "a post goes live", SourceRef("x.md"))
    template = "{% if site.next_change is not none %}soon{% endif %}"
    for value, shown in [(change, "soon"), (None, "")]:
        noted: set[str] = set()
        with recording(noted):
            text = renderer.env.from_string(template).render(
                site=SiteView(replace(site, next_change=value))
            )
        assert (text, noted) == (shown, {"next_change"})


def test_image_sizes_looked_up_are_noted(built: tuple[Site, Renderer]) -> None:
    site, renderer = built
    text, noted = render(
        built,
        "{{ image_size('/images/logo.png') }} {{ image_size('/images/missing.png') }} "
        '{{ \'<p><img src="/images/logo.png" alt=""></p>\' | responsive }}',
    )
    assert noted == {"image:/images/logo.png", "image:/images/missing.png"}
    assert text.startswith("(120, 80) None ")
    assert dependency(site, renderer.image_size, "image:/images/logo.png") == (120, 80)
    assert dependency(site, renderer.image_size, "image:/images/missing.png") is None


def test_nothing_is_noted_outside_recording(built: tuple[Site, Renderer]) -> None:
    site, renderer = built
    earlier: set[str] = set()
    with recording(earlier):
        pass
    text = renderer.env.from_string(
        "{{ site.now.year }} {{ site.menu | length }} {{ site.events.upcoming | length }}"
        " {{ image_size('/images/logo.png') }}"
    ).render(site=SiteView(site))
    note("menu")
    assert text == "2026 1 1 (120, 80)"
    assert earlier == set()


def test_recordings_nest_and_each_ends_with_its_block(built: tuple[Site, Renderer]) -> None:
    outer: set[str] = set()
    inner: set[str] = set()
    view = SiteView(built[0])
    with recording(outer):
        view.menu  # noqa: B018 (reading is what is tested)
        with recording(inner):
            view.now  # noqa: B018
        view.year  # noqa: B018
    view.posts  # noqa: B018
    assert (outer, inner) == ({"menu", "year"}, {"now"})


def test_two_threads_recording_at_once_keep_their_notes_apart(
    built: tuple[Site, Renderer],
) -> None:
    both_recording = threading.Barrier(2, timeout=10)
    results: dict[str, set[str]] = {}
    failures: list[BaseException] = []

    def page(name: str, template: str) -> None:
        try:
            noted: set[str] = set()
            with recording(noted):
                both_recording.wait()  # each reads while the other is recording
                for _ in range(50):
                    built[1].env.from_string(template).render(site=SiteView(built[0]))
                both_recording.wait()
            results[name] = noted
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            failures.append(exc)

    threads = [
        threading.Thread(target=page, args=("menu", "{{ site.menu | length }}")),
        threading.Thread(
            target=page, args=("clock", "{{ site.now }}{{ image_size('/images/logo.png') }}")
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert failures == []
    assert results == {"menu": {"menu"}, "clock": {"now", "image:/images/logo.png"}}
