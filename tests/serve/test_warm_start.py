"""The preview server and the build cache on disk: a preview starts from what `sitegen build`
(or an earlier preview) kept, and leaves the cache fuller, never emptier, for the next build."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import NOW, write_files
from preview_client import BOOK_CLUB, SITE, post_text

import sitegen.readers
from sitegen.build import build_site
from sitegen.cache import CACHE_DIR
from sitegen.readers.posts import read_post
from sitegen.serve import PreviewServer


def served(server: PreviewServer) -> dict[str, bytes]:
    return {path: file.data() for path, file in server.state.snapshot.files.items()}


def cold(root: Path) -> dict[str, bytes]:
    result = build_site(root, now=NOW, write=False)
    return {file.output_path: file.data() for file in result.files}


def stored_renderings(root: Path) -> set[str]:
    data = json.loads((root / CACHE_DIR / "markdown.json").read_text(encoding="utf-8"))
    return set(data["entries"])


def test_a_preview_after_a_build_reads_no_file_again(tmp_path, monkeypatch, markdown_renders):
    root = write_files(tmp_path / "site", SITE)
    assert build_site(root, now=NOW, cache=True).written
    kept = stored_renderings(root)
    markdown_renders.clear()
    posts_read: list[str] = []

    def reading(file, path, *rest):  # type: ignore[no-untyped-def]
        posts_read.append(path)
        return read_post(file, path, *rest)

    monkeypatch.setattr(sitegen.readers, "read_post", reading)
    server = PreviewServer(root, port=0, clock=lambda: NOW)
    server.rebuild()

    assert posts_read == []
    assert markdown_renders == []
    assert served(server) == cold(root)
    assert stored_renderings(root) == kept  # the build's renderings are all still there


def test_a_first_preview_leaves_a_cache_the_next_build_uses(tmp_path, markdown_renders):
    root = write_files(tmp_path / "site", SITE)
    server = PreviewServer(root, port=0, clock=lambda: NOW)
    server.rebuild()
    assert markdown_renders  # nothing was kept: every document rendered
    markdown_renders.clear()

    assert build_site(root, now=NOW, cache=True).written
    assert markdown_renders == []


def test_after_the_first_preview_an_edit_is_read_from_the_file(tmp_path, markdown_renders):
    root = write_files(tmp_path / "site", SITE)
    assert build_site(root, now=NOW, cache=True).written
    server = PreviewServer(root, port=0, clock=lambda: NOW)
    server.rebuild()
    markdown_renders.clear()

    edited = root / BOOK_CLUB
    text = post_text("Book Club Moves to Wednesdays", "From March, it meets on Wednesdays.")
    edited.write_text(text, encoding="utf-8")
    server.rebuild([str(edited)])

    assert markdown_renders == [BOOK_CLUB]
    page = served(server)["posts/book-club/index.html"].decode()
    assert "Book Club Moves to Wednesdays" in page and "it meets on Wednesdays" in page
    assert served(server) == cold(root)
