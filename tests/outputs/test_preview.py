"""Deploy previews (`sitegen build --preview`): drafts and scheduled posts shown and marked,
every page kept out of search engines, and the editor's preview links led to the right post.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_files

from sitegen.cli import main

SITE = """
-- content/posts/2026-11-02-book-sale.md --
---
title: Book sale
date: 2026-11-02
---
Books!
-- content/posts/2026-11-20-new-hours.md --
---
title: New hours
date: 2026-11-20
draft: true
---
Soon.
-- content/posts/2027-01-12-winter-reading.md --
---
title: Winter reading
date: 2027-01-12
---
Later.
-- content/posts/storytime.md --
---
title: Storytime
date: 2026-10-01
---
Stories.
"""


@pytest.fixture
def preview(make_site):
    built = make_site(SITE, preview=True)
    assert built.problems == []
    return built


def test_a_preview_shows_drafts_and_scheduled_posts_with_their_marks(preview) -> None:
    draft = preview.html("posts/new-hours/index.html")
    assert "Draft" in [badge.get_text(strip=True) for badge in draft.select(".badge")]
    scheduled = preview.html("posts/winter-reading/index.html")
    assert "Scheduled" in [badge.get_text(strip=True) for badge in scheduled.select(".badge")]


def test_no_page_of_a_preview_is_indexed(preview) -> None:
    assert preview.text("_headers") == "# A preview: never indexed.\n/*\n  X-Robots-Tag: noindex\n"
    for page in preview.out.rglob("*.html"):
        robots = preview.html(page.relative_to(preview.out).as_posix()).select_one(
            'meta[name="robots"]'
        )
        assert robots is not None and "noindex" in robots["content"], page


def test_a_preview_leads_file_names_to_posts(preview) -> None:
    # Decap's "View preview" names a post by its file: /posts/2026-11-02-book-sale/.
    assert preview.text("_redirects").splitlines() == [
        "/posts/2027-01-12-winter-reading/ /posts/winter-reading/ 302",
        "/posts/2026-11-20-new-hours/ /posts/new-hours/ 302",
        "/posts/2026-11-02-book-sale/ /posts/book-sale/ 302",
    ]


def test_the_production_build_has_neither_drafts_nor_preview_files(make_site) -> None:
    built = make_site(SITE)
    assert built.problems == []
    assert not built.exists("posts/new-hours/index.html")
    assert not built.exists("posts/winter-reading/index.html")
    assert not built.exists("_headers") and not built.exists("_redirects")
    post = built.html("posts/book-sale/index.html")
    assert post.select_one('meta[name="robots"]') is None


def test_preview_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_files(tmp_path / "site", SITE)
    assert main(["build", "--site", str(root), "--preview", "--now", "2026-12-01T09:00"]) == 0
    assert (root / "public/_headers").is_file()
    assert (root / "public/posts/winter-reading/index.html").is_file()
    assert capsys.readouterr().out.startswith("Built ")


def test_a_preview_keeps_the_sites_own_headers_and_redirects(make_site) -> None:
    own = (
        "-- static/_headers --\n/files/*\n  Cache-Control: no-cache\n"
        "-- static/_redirects --\n/catalog/ https://catalog.example.org/ 301\n"
    )
    preview = make_site(SITE + own, preview=True)
    assert preview.problems == []
    assert preview.text("_headers").startswith("/files/*\n  Cache-Control: no-cache\n\n")
    assert "X-Robots-Tag: noindex" in preview.text("_headers")
    redirects = preview.text("_redirects").splitlines()
    assert redirects[0] == "/catalog/ https://catalog.example.org/ 301"
    assert "/posts/2026-11-02-book-sale/ /posts/book-sale/ 302" in redirects
    production = make_site(SITE + own)
    assert production.text("_headers") == "/files/*\n  Cache-Control: no-cache\n"
