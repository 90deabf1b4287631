"""Read items kept in .sitegen-cache/ between builds: used only when nothing that shapes them
changed, and never trusted when damaged, foreign or from another version.

Each build here is a new BuildCache, as a build in a new process gets; `reads` lists the
files a reader actually read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import NOW, file_tree, write_files

import sitegen.cache
import sitegen.readers
from sitegen.build import BuildResult, build_site
from sitegen.cache import CACHE_DIR

SITE = """
-- content/posts/2026-01-05-one.md --
---
title: One
date: 2026-01-05
image: /images/one.jpg
image_alt: A reading room
---
The first post.
-- content/posts/2026-01-06-two.md --
---
title: Two
date: 2026-01-06
---
The second post.
-- content/pages/about.md --
---
title: About
---
About the library.
-- content/events/storytime.md --
---
title: Storytime
start: 2026-12-01 10:30
repeat: FREQ=WEEKLY;BYDAY=TU;COUNT=4
---
Songs.
"""
MISSING_IMAGE = 'The image "/images/one.jpg" is not in the static/ folder.'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", SITE)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths read by a reader (not taken from the cache), in order."""
    calls: list[str] = []
    for name in ("read_post", "read_event"):
        original = getattr(sitegen.readers, name)

        def counting(file, path, *args, _original=original):  # type: ignore[no-untyped-def]
            calls.append(path)
            return _original(file, path, *args)

        monkeypatch.setattr(sitegen.readers, name, counting)
    return calls


def build(site: Path, out: str) -> BuildResult:
    return build_site(site, now=NOW, cache=True, out=out)


def messages(result: BuildResult) -> list[str]:
    return [problem.format() for problem in result.problems]


def stored_rows(site: Path) -> int:
    with sqlite3.connect(site / CACHE_DIR / "reads.sqlite3") as db:
        count: int = db.execute("SELECT COUNT(*) FROM reads").fetchone()[0]
    return count


def test_a_second_build_reads_nothing_and_gives_the_same_site(site: Path, reads: list[str]) -> None:
    first = build(site, "first")
    assert len(reads) == 3
    reads.clear()
    second = build(site, "second")
    assert reads == []
    assert second.content == first.content
    assert messages(second) == messages(first)
    assert file_tree(site / "second") == file_tree(site / "first")
    assert stored_rows(site) == 4


def test_an_edited_file_is_read_again(site: Path, reads: list[str]) -> None:
    build(site, "first")
    post = site / "content/posts/2026-01-06-two.md"
    post.write_text(post.read_text().replace("The second post.", "Edited text."))
    reads.clear()
    build(site, "second")
    assert reads == ["content/posts/2026-01-06-two.md"]
    assert "Edited text." in (site / "second/posts/two/index.html").read_text()
    assert stored_rows(site) == 4  # the old version's row is dropped


def test_a_renamed_file_is_read_under_its_new_name(site: Path, reads: list[str]) -> None:
    build(site, "first")
    old = site / "content/posts/2026-01-06-two.md"
    old.rename(site / "content/posts/2026-01-06-second.md")
    reads.clear()
    result = build(site, "second")
    assert reads == ["content/posts/2026-01-06-second.md"]
    assert {post.source.path for post in result.content.posts} == {  # type: ignore[union-attr]
        "content/posts/2026-01-05-one.md",
        "content/posts/2026-01-06-second.md",
    }
    assert (site / "second/posts/second/index.html").is_file()
    assert not (site / "second/posts/two").exists()


def test_a_changed_site_yaml_reads_everything_again(site: Path, reads: list[str]) -> None:
    build(site, "first")
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("America/Chicago", "Europe/Berlin"))
    reads.clear()
    result = build(site, "second")
    assert sorted(reads) == [
        "content/events/storytime.md",
        "content/posts/2026-01-05-one.md",
        "content/posts/2026-01-06-two.md",
    ]
    assert result.content is not None
    assert str(result.content.events[0].start.tzinfo) == "Europe/Berlin"


def test_an_image_added_to_static_changes_the_read(site: Path, reads: list[str]) -> None:
    assert MISSING_IMAGE in "\n".join(messages(build(site, "first")))
    (site / "static/images").mkdir(parents=True)
    (site / "static/images/one.jpg").write_bytes(b"\xff\xd8\xff")
    reads.clear()
    second = build(site, "second")
    assert "content/posts/2026-01-05-one.md" in reads
    assert MISSING_IMAGE not in "\n".join(messages(second))
    (site / "static/images/one.jpg").unlink()
    assert MISSING_IMAGE in "\n".join(messages(build(site, "third")))


@pytest.mark.parametrize(
    "damage", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x01" * 200]
)
def test_a_corrupt_database_is_ignored_then_replaced(
    site: Path, reads: list[str], damage: bytes
) -> None:
    build(site, "first")
    (site / CACHE_DIR / "reads.sqlite3").write_bytes(damage)
    reads.clear()
    second = build(site, "second")
    assert len(reads) == 3 and second.written
    assert file_tree(site / "second") == file_tree(site / "first")
    reads.clear()
    build(site, "third")
    assert reads == []


def test_a_foreign_database_is_not_trusted(site: Path, reads: list[str]) -> None:
    build(site, "first")
    path = site / CACHE_DIR / "reads.sqlite3"
    path.unlink()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE reads (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TRIGGER t AFTER DELETE ON reads BEGIN SELECT 1; END")
    reads.clear()
    build(site, "second")
    assert len(reads) == 3


def test_a_damaged_row_is_read_again(site: Path, reads: list[str]) -> None:
    first = build(site, "first")
    with sqlite3.connect(site / CACHE_DIR / "reads.sqlite3") as db:
        db.execute("UPDATE reads SET value = '[[1, 2], []]' || char(0)")
    reads.clear()
    second = build(site, "second")
    assert len(reads) == 3
    assert file_tree(site / "second") == file_tree(site / "first")
    assert messages(second) == messages(first)


def test_a_cache_from_another_version_is_not_used(
    site: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site, "first")
    monkeypatch.setattr(sitegen.cache, "fingerprint", lambda: "another version")
    reads.clear()
    build(site, "second")
    assert len(reads) == 3
    reads.clear()
    build(site, "third")
    assert reads == []


def test_a_replaced_markdown_cache_distrusts_the_stored_reads(site: Path, reads: list[str]) -> None:
    build(site, "first")
    (site / CACHE_DIR / "markdown.json").write_text('{"fingerprint": null}')
    reads.clear()
    build(site, "second")
    assert len(reads) == 3


def test_a_database_that_cannot_be_opened_does_not_stop_the_build(
    site: Path, reads: list[str]
) -> None:
    (site / CACHE_DIR / "reads.sqlite3").mkdir(parents=True)
    result = build(site, "first")
    assert result.written and not [p for p in result.problems if "image" not in p.message]
    reads.clear()
    build(site, "second")
    assert len(reads) == 3  # no cache: every file is read


def test_a_file_that_disappears_is_dropped_from_the_cache(site: Path) -> None:
    build(site, "first")
    (site / "content/posts/2026-01-06-two.md").unlink()
    build(site, "second")
    assert stored_rows(site) == 3
