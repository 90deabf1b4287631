"""Pages the preview server keeps from its last build: after an edit, every page that shows
the edited post is made again, and the pages it keeps come out as a cold build makes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, write_files
from preview_client import current_build, get, running, wait_for_build

from sitegen.build import build_site
from sitegen.outputs import pages
from sitegen.outputs.produce import produce_all
from sitegen.serve import PreviewServer

SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
per_page: 2
-- content/posts/2026-03-01-seed-swap.md --
---
title: Seed Swap
date: 2026-03-01
tags: [garden]
---
Bring seeds.
-- content/posts/2026-03-02-book-club.md --
---
title: Book Club Returns
date: 2026-03-02
tags: [books, garden]
---
The book club meets again.
-- content/posts/2026-03-03-story-time.md --
---
title: Story Time
date: 2026-03-03
tags: [books]
---
Stories on Fridays.
-- content/posts/2026-03-04-new-hours.md --
---
title: New Hours
date: 2026-03-04
tags: [books]
---
Open later on Thursdays.
-- content/pages/about.md --
---
title: About
---
Who we are.
"""

BOOK_CLUB = "content/posts/2026-03-02-book-club.md"


def book_club(title: str, tags: str = "[books, garden]") -> str:
    return f"---\ntitle: {title}\ndate: 2026-03-02\ntags: {tags}\n---\nThe book club meets again.\n"


def make_root(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", SITE)


def html(server: PreviewServer, path: str) -> BeautifulSoup:
    response = get(server, path)
    assert response.status == 200, path
    return response.html()


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [element.get_text(" ", strip=True) for element in page.select(selector)]


def neighbours(page: BeautifulSoup) -> dict[str, str]:
    return {
        item["class"][0]: item.select_one(".neighbour-title").get_text(strip=True)
        for item in page.select(".post-neighbours li")
    }


def save(server: PreviewServer, root: Path, path: str, text: str | None) -> None:
    """Save (or with None delete) a file, then wait for the build it starts to succeed."""
    build = current_build(server)
    if text is None:
        (root / path).unlink()
    else:
        (root / path).write_text(text, encoding="utf-8")
    assert wait_for_build(server, build)["ok"]


def test_a_new_title_shows_on_its_page_its_neighbours_listings_tags_and_archive(tmp_path):
    root = make_root(tmp_path)
    with running(root) as server:
        html(server, "/posts/seed-swap/")  # rendered, so kept as bytes for the next build
        save(server, root, BOOK_CLUB, book_club("Book Club Moves to Wednesdays"))
        post = html(server, "/posts/book-club/")
        older = html(server, "/posts/seed-swap/")
        newer = html(server, "/posts/story-time/")
        listing = html(server, "/posts/page/2/")
        books, garden = html(server, "/tags/books/page/2/"), html(server, "/tags/garden/")
        archive = html(server, "/archive/2026/")
        far = html(server, "/posts/new-hours/")
    new = "Book Club Moves to Wednesdays"
    assert post.select_one("h1").get_text(strip=True) == new
    assert neighbours(older) == {"newer": new}
    assert neighbours(newer) == {"newer": "New Hours", "older": new}
    assert texts(listing, ".post-card-title") == [new, "Seed Swap"]
    assert texts(books, ".post-card-title") == [new]
    assert texts(garden, ".post-card-title") == [new, "Seed Swap"]
    assert new in texts(archive, "a")
    assert new not in far.get_text()
    assert neighbours(far) == {"older": "Story Time"}


def test_a_deleted_post_is_gone_from_its_neighbours_listings_and_tags(tmp_path):
    root = make_root(tmp_path)
    with running(root) as server:
        for path in ("/posts/seed-swap/", "/posts/story-time/", "/tags/books/", "/posts/"):
            html(server, path)
        save(server, root, BOOK_CLUB, None)
        gone = get(server, "/posts/book-club/")
        older = html(server, "/posts/seed-swap/")
        newer = html(server, "/posts/story-time/")
        first, second = html(server, "/posts/"), html(server, "/posts/page/2/")
        books, garden = html(server, "/tags/books/"), html(server, "/tags/garden/")
    assert gone.status == 404
    assert neighbours(older) == {"newer": "Story Time"}
    assert neighbours(newer) == {"newer": "New Hours", "older": "Seed Swap"}
    assert texts(first, ".post-card-title") == ["New Hours", "Story Time"]
    assert texts(second, ".post-card-title") == ["Seed Swap"]
    assert texts(books, ".post-card-title") == ["New Hours", "Story Time"]
    assert texts(garden, ".post-card-title") == ["Seed Swap"]


def test_a_new_tag_gets_its_page_and_joins_the_tag_index(tmp_path):
    root = make_root(tmp_path)
    with running(root) as server:
        html(server, "/tags/")
        save(server, root, BOOK_CLUB, book_club("Book Club Returns", "[books, reading]"))
        index = html(server, "/tags/")
        reading = html(server, "/tags/reading/")
        garden = html(server, "/tags/garden/")
    assert "reading" in " ".join(texts(index, "main a")).casefold()
    assert texts(reading, ".post-card-title") == ["Book Club Returns"]
    assert texts(garden, ".post-card-title") == ["Seed Swap"]


def test_kept_post_pages_show_a_menu_changed_by_another_file(tmp_path):
    """The post pages are planned from the very same posts, but their menu comes from a page."""
    root = make_root(tmp_path)
    with running(root) as server:
        before = html(server, "/posts/new-hours/")
        about = "---\ntitle: About Us\nmenu: 1\n---\nWho we are.\n"
        save(server, root, "content/pages/about.md", about)
        after = html(server, "/posts/new-hours/")
    assert "About Us" not in texts(before, ".site-menu a")
    assert "About Us" in texts(after, ".site-menu a")


# At the root of its site, and in a folder (where every post is a copy with the base path in
# its links, made once for the very post read).
@pytest.mark.parametrize("url", ["https://library.example.org/", "https://x.org/library/"])
def test_pages_of_unchanged_posts_are_kept_and_match_a_cold_build(tmp_path, url):
    root = write_files(tmp_path / "site", SITE.replace("https://library.example.org/", url))
    server = PreviewServer(root, port=0, clock=lambda: NOW)
    first = server.rebuild()
    for file in first.files:
        file.data()
    (root / BOOK_CLUB).write_text(book_club("Book Club Moves"), encoding="utf-8")
    second = server.rebuild([str(root / BOOK_CLUB)])
    before = {file.output_path: file for file in first.files}
    kept = {file.output_path for file in second.files if before.get(file.output_path) is file}
    assert "posts/new-hours/index.html" in kept  # neither it nor its neighbours changed
    assert "tags/books/index.html" not in kept
    assert {"posts/book-club/index.html", "posts/seed-swap/index.html"}.isdisjoint(kept)
    cold = build_site(root, now=NOW, write=False)
    served = {file.output_path: file.data() for file in produce_all(second.files)}
    assert served == {file.output_path: file.data() for file in cold.files}


@pytest.mark.parametrize("run", [1, 2, 3])
def test_runs_of_post_pages_match_a_cold_build_after_edits_deletes_and_new_posts(
    tmp_path, monkeypatch, run
):
    monkeypatch.setattr(pages, "RUN", run)  # several runs of post pages in a small site
    root = make_root(tmp_path)
    server = PreviewServer(root, port=0, clock=lambda: NOW)
    server.rebuild()
    new_post = "content/posts/2026-03-05-craft-night.md"
    edits = [
        (BOOK_CLUB, book_club("Book Club Moves")),
        ("content/posts/2026-03-03-story-time.md", None),
        (new_post, "---\ntitle: Craft Night\ndate: 2026-03-05\ntags: [garden]\n---\nGlue.\n"),
        (BOOK_CLUB, book_club("Book Club Moves Again", "[zines]")),
    ]
    for path, text in edits:
        for file in server.state.snapshot.files.values():
            file.data()  # rendered, as the background pass does
        if text is None:
            (root / path).unlink()
        else:
            (root / path).write_text(text, encoding="utf-8")
        result = server.rebuild([str(root / path)])
        cold = build_site(root, now=NOW, write=False)
        served = {file.output_path: file.data() for file in produce_all(result.files)}
        assert served == {file.output_path: file.data() for file in cold.files}, path


def test_kept_pages_show_new_settings_even_after_a_build_that_crashed(tmp_path, monkeypatch):
    """A content edit lets the next build keep the settings' digest; a build that crashes
    before taking it must not carry that over to an edit of site.yaml."""
    root = make_root(tmp_path)
    with running(root) as server:
        html(server, "/posts/new-hours/")
        crashes = [FileNotFoundError(2, "No such file or directory")]

        def build_that_crashes_once(*args, **kwargs):  # type: ignore[no-untyped-def]
            if crashes:
                raise crashes.pop()
            return build_site(*args, **kwargs)

        monkeypatch.setattr("sitegen.serve.build_site", build_that_crashes_once)
        build = current_build(server)
        (root / BOOK_CLUB).write_text(book_club("Book Club Moves"), encoding="utf-8")
        assert not wait_for_build(server, build)["ok"]
        # A setting that a page's own values do not hold (its title would be in its feeds).
        save(server, root, "site.yaml", (root / "site.yaml").read_text() + "language: fr\n")
        page = html(server, "/posts/new-hours/")
    assert page.html["lang"] == "fr"
