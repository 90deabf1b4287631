"""The Markdown cache on disk and the parallel pre-rendering: faster, never different."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sitegen.readers
from sitegen.build import build_site
from sitegen.cache import CACHE_DIR
from sitegen.readers import parallel
from tests.conftest import NOW, file_tree, write_files

POSTS = "".join(
    f"""
-- content/posts/2026-0{1 + n % 9}-1{n % 9}-post-{n}.md --
---
title: "Post {n}"
date: 2026-0{1 + n % 9}-1{n % 9}
tags: [news, topic-{n % 3}]
---
First paragraph of post {n} with a [link](/posts/post-{(n + 1) % 12}/).

## A heading

```python
print({n})
```
"""
    for n in range(12)
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", POSTS)


def test_a_second_build_renders_only_the_changed_post(
    site: Path, markdown_renders: list[str]
) -> None:
    build_site(site, now=NOW, cache=True, out=site / "first")
    assert len(markdown_renders) == 12
    post = site / "content/posts/2026-01-10-post-0.md"
    post.write_text(post.read_text().replace("First paragraph", "Changed paragraph"))
    markdown_renders.clear()
    build_site(site, now=NOW, cache=True, out=site / "second")
    assert markdown_renders == ["content/posts/2026-01-10-post-0.md"]


def test_cached_output_is_byte_identical_to_a_cold_build(site: Path) -> None:
    build_site(site, now=NOW, cache=True, out=site / "warm-up")
    build_site(site, now=NOW, cache=True, out=site / "cached")
    build_site(site, now=NOW, cache=False, out=site / "cold")
    assert file_tree(site / "cached") == file_tree(site / "cold")


@pytest.mark.parametrize(
    "damage",
    [
        "not json at all",
        json.dumps({"fingerprint": "another version", "entries": {}}),
        json.dumps({"fingerprint": None}),
        "",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored(
    site: Path, markdown_renders: list[str], damage: str
) -> None:
    build_site(site, now=NOW, cache=True, out=site / "first")
    (site / CACHE_DIR / "markdown.json").write_text(damage)
    markdown_renders.clear()
    result = build_site(site, now=NOW, cache=True, out=site / "second")
    assert result.written and not result.problems
    assert len(markdown_renders) == 12
    assert file_tree(site / "second") == file_tree(site / "first")


def test_a_cache_entry_with_wrong_html_is_not_used_for_another_text(site: Path) -> None:
    build_site(site, now=NOW, cache=True, out=site / "first")
    cache_file = site / CACHE_DIR / "markdown.json"
    data = json.loads(cache_file.read_text())
    for entry in data["entries"].values():
        entry["html"] = "<p>stale</p>"
    cache_file.write_text(json.dumps(data))
    post = site / "content/posts/2026-01-10-post-0.md"
    post.write_text(post.read_text() + "\nOne more line.\n")
    build_site(site, now=NOW, cache=True, out=site / "second")
    page = (site / "second/posts/post-0/index.html").read_text()
    assert "One more line." in page


def test_the_cache_folder_keeps_itself_out_of_git(site: Path) -> None:
    build_site(site, now=NOW, cache=True)
    assert (site / CACHE_DIR / ".gitignore").read_text() == "*\n"


def test_reading_in_worker_processes_gives_the_same_content_and_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sequential = build_site(site, now=NOW, out=site / "sequential")
    monkeypatch.setattr(parallel, "MIN_DOCUMENTS", 1)
    monkeypatch.setattr(parallel, "_CHUNK", 2)
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    # Earlier tests may leave idle daemon threads behind; the pool is what this test is about.
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    pooled: list[int] = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        results = parallel.read_in_pool(*args, **kwargs)
        if results is None:
            return None
        pooled.append(0)

        def counted():  # type: ignore[no-untyped-def]
            for result in results:
                pooled[-1] += result is not None
                yield result

        return counted()

    monkeypatch.setattr(sitegen.readers, "read_in_pool", counting)
    in_pool = build_site(site, now=NOW, out=site / "parallel", cache=True)
    assert pooled == [12]
    assert in_pool.content == sequential.content
    assert [p.format() for p in in_pool.problems] == [p.format() for p in sequential.problems]
    assert file_tree(site / "parallel") == file_tree(site / "sequential")
