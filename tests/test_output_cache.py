"""Pages and feeds kept between builds: made again exactly when what they show has changed.

Each test builds a small site with the cache (as `sitegen build` does), changes one thing,
builds again, and checks which pages and feeds were rendered, and that the output folder holds
exactly what a cold build (no cache, a fresh folder) gives.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

import sitegen.output_cache
import sitegen.outputs.feeds
from sitegen import urls
from sitegen.build import BuildResult, build_site
from sitegen.cache import CACHE_DIR
from sitegen.errors import Severity
from sitegen.fingerprint import Fingerprinter
from sitegen.model import Post
from sitegen.output_cache import FILE
from sitegen.render.environment import Renderer
from sitegen.render.themes import packaged_themes_dir
from tests.conftest import NOW, file_tree, write_files
from tests.render.test_images import png

# Five posts, newest first: 5 4 | 3 2 | 1 on the listing (two a page); odd ones are "news",
# even ones "kids" (news: 5 3 | 1, kids: 4 2).
POSTS = "".join(
    f"""
-- content/posts/2026-11-0{n}-post-{n}.md --
---
title: Post {n}
date: 2026-11-0{n}
tags: [{"news" if n % 2 else "kids"}]
---
Body of post {n}.
"""
    for n in range(1, 6)
)
SITE = (
    """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
per_page: 2
-- content/pages/about.md --
---
title: About
---
Who we are.
-- content/pages/visit.md --
---
title: Visit
---
Our building: ![The building](/images/building.png)
"""
    + POSTS
)

EVERY_PAGE_AND_FEED = {
    "404.html",
    "index.html",
    "about/index.html",
    "visit/index.html",
    "posts/index.html",
    "posts/page/2/index.html",
    "posts/page/3/index.html",
    *(f"posts/post-{n}/index.html" for n in range(1, 6)),
    "tags/index.html",
    "tags/news/index.html",
    "tags/news/page/2/index.html",
    "tags/kids/index.html",
    "archive/index.html",
    "archive/2026/index.html",
    "feed.xml",
    "atom.xml",
    "tags/news/feed.xml",
    "tags/kids/feed.xml",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = write_files(tmp_path / "site", SITE)
    (root / "static/images").mkdir(parents=True)
    (root / "static/images/building.png").write_bytes(png(640, 480))
    return root


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The output paths of the pages and feeds rendered (not kept) since last cleared."""
    paths: set[str] = set()
    render = Renderer.render

    def counting_render(self: Renderer, template: str, context: Any, source: str = "") -> str:
        meta = context.get("meta")
        if meta is not None:
            paths.add(urls.output_path(meta.url))
        return render(self, template, context, source)

    monkeypatch.setattr(Renderer, "render", counting_render)
    for name in ("_rss", "_atom"):
        monkeypatch.setattr(
            sitegen.outputs.feeds, name, _counting(getattr(sitegen.outputs.feeds, name), paths)
        )
    return paths


def _counting(make: Callable[..., bytes], paths: set[str]) -> Callable[..., bytes]:
    def counting(site: Any, posts: Any, feed_url: str, *rest: Any) -> bytes:
        paths.add(urls.output_path(feed_url))
        return make(site, posts, feed_url, *rest)

    return counting


def build(root: Path, **options: Any) -> BuildResult:
    """A build as `sitegen build` makes it: with the cache, into public/."""
    options.setdefault("now", NOW)
    result = build_site(root, cache=True, **options)
    assert [p.format() for p in result.problems if p.severity is Severity.ERROR] == []
    assert result.written
    return result


def cold(root: Path, **options: Any) -> dict[str, bytes]:
    """The files a build without any cache writes into a fresh folder."""
    options.setdefault("now", NOW)
    shutil.rmtree(root / "_cold", ignore_errors=True)
    assert build_site(root, out="_cold", **options).written
    return file_tree(root / "_cold")


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and modification time: what tells a rewritten file."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_the_site_has_the_pages_and_feeds_this_file_counts_on(site: Path, made: set[str]) -> None:
    result = build(site)
    kept_kinds = {file.output_path for file in result.files if file.inputs is not None}
    assert kept_kinds == EVERY_PAGE_AND_FEED
    assert made == EVERY_PAGE_AND_FEED


def test_an_unchanged_rebuild_renders_nothing_and_rewrites_nothing(
    site: Path, made: set[str]
) -> None:
    build(site)
    out = site / "public"
    before, before_stamps = file_tree(out), stamps(out)
    made.clear()

    build(site)

    assert made == set()
    assert stamps(out) == before_stamps
    assert file_tree(out) == before == cold(site)


def test_editing_one_post_renders_it_and_the_pages_and_feeds_that_show_it(
    site: Path, made: set[str]
) -> None:
    build(site)
    made.clear()
    edit(site / "content/posts/2026-11-03-post-3.md", "Body of post 3.", "A new body.")

    build(site)

    assert made == {
        "posts/post-3/index.html",
        # Its neighbours show it as newer and older post.
        "posts/post-2/index.html",
        "posts/post-4/index.html",
        # The listing page, tag page and archive that show it. The tag's second page lists
        # post 1 only, and the default theme's tag pages read no other post of the tag.
        "posts/page/2/index.html",
        "tags/news/index.html",
        "archive/2026/index.html",
        # The indexes read site.tags and site.years, which hold the posts.
        "tags/index.html",
        "archive/index.html",
        # The feeds that carry it.
        "feed.xml",
        "atom.xml",
        "tags/news/feed.xml",
    }
    assert file_tree(site / "public") == cold(site)
    assert "A new body." in (site / "public/posts/post-3/index.html").read_text()


def test_a_theme_that_lists_every_post_of_a_tag_on_its_pages_renders_them_all_again(
    site: Path, made: set[str]
) -> None:
    write_files(
        site,
        """
-- themes/default/templates/tag.html --
{% extends "base.html" %}
{% block content %}<p class="whole-tag">{{ term.posts | map(attribute="title") | join(", ") }}</p>
{% for post in pager.items %}<h2>{{ post.title }}</h2>{% endfor %}{% endblock %}
""",
    )
    build(site)
    made.clear()
    edit(site / "content/posts/2026-11-03-post-3.md", "title: Post 3", "title: Post Three")

    build(site)

    assert {"tags/news/index.html", "tags/news/page/2/index.html"} <= made
    assert "tags/kids/index.html" not in made
    assert file_tree(site / "public") == cold(site)
    html = (site / "public/tags/news/page/2/index.html").read_text("utf-8")
    second = BeautifulSoup(html, "html.parser")
    assert second.select_one(".whole-tag").get_text() == "Post 5, Post Three, Post 1"
    assert [h2.get_text() for h2 in second.select("main h2")] == ["Post 1"]


def test_in_a_folder_the_site_renders_the_same_pages_and_knows_posts_by_their_read(
    site: Path, made: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a base path every post is a copy with the path in its links; the output cache
    knows each copy by its original's read instead of digesting it field by field."""
    config = site / "site.yaml"
    config.write_text(config.read_text().replace(".org/", ".org/library/"), encoding="utf-8")
    build(site)
    made.clear()
    digested: list[str] = []
    composite = Fingerprinter._composite

    def counting(self: Fingerprinter, value: Any) -> bytes:
        if isinstance(value, Post):
            digested.append(value.slug)
        return composite(self, value)

    monkeypatch.setattr(Fingerprinter, "_composite", counting)
    edit(site / "content/posts/2026-11-03-post-3.md", "Body of post 3.", "A new body.")

    build(site)

    assert digested == []
    assert "posts/post-3/index.html" in made and "posts/post-1/index.html" not in made
    assert file_tree(site / "public") == cold(site)
    page = (site / "public/posts/post-3/index.html").read_text()
    assert "A new body." in page and 'href="/library/' in page


def test_pages_restored_with_new_dates_are_known_by_their_bytes(
    site: Path, made: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deploy service may keep the output folder between builds but not its files' dates."""
    build(site)
    out = site / "public"
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    made.clear()

    build(site)

    assert made == set()
    assert file_tree(out) == cold(site)
    read_again: list[str] = []
    monkeypatch.setattr(sitegen.output_cache, "_file_digest", read_again.append)
    build(site)
    assert read_again == []  # the new dates were recorded: no file is read to be known


def test_a_page_restored_with_new_dates_and_other_bytes_is_made_again(
    site: Path, made: set[str]
) -> None:
    build(site)
    page = site / "public/posts/post-2/index.html"
    page.write_text(page.read_text().replace("Body of post 2", "Body of post X"))
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    made.clear()

    build(site)

    assert made == {"posts/post-2/index.html"}
    assert file_tree(site / "public") == cold(site)


def test_retitling_the_newest_post_renders_the_home_page_too(site: Path, made: set[str]) -> None:
    build(site)
    made.clear()
    edit(site / "content/posts/2026-11-05-post-5.md", "title: Post 5", "title: Post Five")

    build(site)

    assert {"index.html", "posts/index.html", "posts/post-4/index.html"} <= made
    assert "posts/page/2/index.html" not in made and "about/index.html" not in made
    assert file_tree(site / "public") == cold(site)


# A page template that shows the build's clock; the default theme's pages do not.
CLOCK_PAGE = """
-- themes/default/templates/page.html --
{% extends "base.html" %}
{% block content %}<h1>{{ page.title }}</h1>
<p class="built">Built {{ site.now.isoformat() }}</p>{{ page.content | responsive }}
{% endblock %}
"""


def test_a_page_that_shows_the_clock_is_made_again_when_it_moves(
    site: Path, made: set[str]
) -> None:
    write_files(site, CLOCK_PAGE)
    build(site)
    made.clear()
    later = NOW + timedelta(hours=1)

    build(site, now=later)

    assert made == {"about/index.html", "visit/index.html"}
    assert f"Built {later.isoformat()}" in (site / "public/about/index.html").read_text()
    assert file_tree(site / "public") == cold(site, now=later)
    made.clear()
    build(site, now=later)
    assert made == set()


# Shows whether the site will change by itself (a scheduled post), without reading the change.
NEXT_CHANGE_PAGE = """
-- themes/default/templates/page.html --
{% extends "base.html" %}
{% block content %}<h1>{{ page.title }}</h1>
{% if site.next_change is not none %}<p class="soon">More news soon.</p>{% endif %}
{% endblock %}
-- content/posts/2026-12-02-scheduled.md --
---
title: Scheduled
date: 2026-12-02 09:00
---
Not out yet.
"""


def test_a_page_that_tests_whether_the_site_will_change_follows_the_schedule(
    site: Path, made: set[str]
) -> None:
    write_files(site, NEXT_CHANGE_PAGE)
    first = build(site)
    assert first.site is not None and first.site.next_change is not None
    assert "More news soon." in (site / "public/about/index.html").read_text()
    made.clear()
    later = NOW + timedelta(days=2)  # the scheduled post is out: nothing is left to change

    build(site, now=later)

    assert "about/index.html" in made
    assert "More news soon." not in (site / "public/about/index.html").read_text()
    assert file_tree(site / "public") == cold(site, now=later)


def test_a_new_image_size_renders_the_pages_that_show_the_image(site: Path, made: set[str]) -> None:
    build(site)
    made.clear()
    (site / "static/images/building.png").write_bytes(png(1024, 768))

    build(site)

    assert made == {"visit/index.html"}
    image = (site / "public/visit/index.html").read_text()
    assert 'width="1024" height="768"' in image
    assert file_tree(site / "public") == cold(site)


@pytest.mark.parametrize(
    "change",
    ["appended to", "same size, changed", "deleted", "replaced by a folder", "made a link"],
)
def test_a_file_changed_by_hand_in_the_output_folder_is_written_again(
    site: Path, made: set[str], change: str
) -> None:
    build(site)
    out = site / "public"
    page = out / "posts/post-2/index.html"
    text = page.read_text()
    if change == "appended to":
        page.write_text(text + "<!-- edited -->")
    elif change == "same size, changed":
        page.write_text(text.replace("Body of post 2", "Body of post X"))
    elif change == "deleted":
        page.unlink()
    elif change == "replaced by a folder":
        page.unlink()
        (page / "index.html").mkdir(parents=True)
    else:
        (site / "elsewhere.html").write_text(text)
        page.unlink()
        page.symlink_to(site / "elsewhere.html")
    made.clear()

    build(site)

    assert made == {"posts/post-2/index.html"}
    assert not page.is_symlink()
    assert file_tree(out) == cold(site)


def _set_field(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda data: {**data, key: value}


def _rows(change: Callable[[list[Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    def damage(data: dict[str, Any]) -> Any:
        return {**data, "files": {path: change(row) for path, row in data["files"].items()}}

    return damage


# Each damage is to a record that otherwise matches the build exactly.
DAMAGE: dict[str, Callable[[str], str]] = {
    "empty": lambda text: "",
    "not JSON": lambda text: "{{{ not json",
    "truncated": lambda text: text[: len(text) // 2],
    "a list": lambda text: json.dumps([json.loads(text)]),
}
DAMAGE_INSIDE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "another format": _set_field("format", 1),
    "no format": lambda data: {k: v for k, v in data.items() if k != "format"},
    "another build digest": _set_field("digest", "0" * 32),
    "another output folder": _set_field("output", "/elsewhere/public"),
    "files a list": lambda data: {**data, "files": list(data["files"].values())},
    "a row too short": _rows(lambda row: row[:4]),
    "a size that is text": _rows(lambda row: [*row[:3], str(row[3]), row[4]]),
    "noted names not a list": _rows(lambda row: [row[0], "menu", *row[2:]]),
}
for _name, _change in DAMAGE_INSIDE.items():
    DAMAGE[_name] = lambda text, change=_change: json.dumps(change(json.loads(text)))


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_or_foreign_record_is_ignored(
    site: Path, made: set[str], damage: Callable[[str], str]
) -> None:
    build(site)
    record = site / CACHE_DIR / FILE
    record.write_text(damage(record.read_text()))
    # A change the damaged record would hide if it were trusted: pages would be kept.
    edit(site / "site.yaml", "per_page: 2", "per_page: 2\n")
    made.clear()

    build(site)

    assert made == EVERY_PAGE_AND_FEED
    assert file_tree(site / "public") == cold(site)
    made.clear()
    build(site)
    assert made == set()  # the record written over the damaged one is good


def test_a_record_of_another_output_folder_keeps_nothing(site: Path, made: set[str]) -> None:
    build(site)
    # The same files, with the same sizes and dates, in another folder: still not this build's.
    shutil.copytree(site / "public", site / "copy")
    edit(site / "content/posts/2026-11-01-post-1.md", "Body of post 1.", "Changed.")
    made.clear()

    build(site, out="copy")

    assert made == EVERY_PAGE_AND_FEED
    assert file_tree(site / "copy") == cold(site)


def test_a_theme_template_change_renders_every_page_and_feed(site: Path, made: set[str]) -> None:
    build(site)
    made.clear()
    footer = packaged_themes_dir() / "default/templates/partials/footer.html"
    changed = footer.read_text().replace("</footer>", '<p class="thanks">Thank you</p></footer>')
    write_files(site, f"-- themes/default/templates/partials/footer.html --\n{changed}")

    build(site)

    assert made == EVERY_PAGE_AND_FEED  # feeds too: the build digest covers every theme file
    assert file_tree(site / "public") == cold(site)
    assert '<p class="thanks">' in (site / "public/posts/post-1/index.html").read_text()


def test_a_template_file_added_to_the_theme_renders_everything(site: Path, made: set[str]) -> None:
    build(site)
    made.clear()
    write_files(site, "-- themes/default/templates/partials/unused.html --\n<p>Not used.</p>\n")

    build(site)

    assert made == EVERY_PAGE_AND_FEED


@pytest.mark.parametrize(
    "obstacle", ["outputs.json is a folder", ".sitegen-cache is a file", "outputs.json is a link"]
)
def test_a_record_that_cannot_be_written_does_not_fail_the_build(
    site: Path, made: set[str], obstacle: str
) -> None:
    cache = site / CACHE_DIR
    if obstacle == "outputs.json is a folder":
        (cache / FILE).mkdir(parents=True)
    elif obstacle == ".sitegen-cache is a file":
        cache.write_text("not a folder")
    else:
        cache.mkdir()
        (cache / FILE).symlink_to(site / "content/pages/about.md")
    build(site)
    edit(site / "content/posts/2026-11-01-post-1.md", "Body of post 1.", "Changed.")
    made.clear()

    build(site)

    assert file_tree(site / "public") == cold(site)
    assert (site / "content/pages/about.md").read_text().startswith("---\ntitle: About")
