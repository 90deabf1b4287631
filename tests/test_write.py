"""Data safety of the writer: a failed build changes nothing, a good one swaps the site in,
and sitegen never replaces a folder it did not make.

Trees are compared whole: every file's bytes, every entry's inode and modification time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import NOW, write_files

from sitegen.build import build_site
from sitegen.errors import SiteError
from sitegen.outputs.files import OutputFile
from sitegen.write import MARKER, check_output_folder, safe_output_path, write_site

GOOD_SITE = """
-- content/posts/2026-11-20-book-sale.md --
---
title: Book Sale
date: 2026-11-20
tags: [events]
---
Hardcovers for a dollar.
-- content/pages/about.md --
---
title: About
---
Who we are.
-- static/images/logo.txt --
not really a picture
"""

BROKEN_POST = """
-- content/posts/2026-11-25-broken.md --
---
title: Broken
date: 2026-13-01
---
This post has a date that does not exist.
"""

# An old time for every entry of a tree, so that any rewrite shows in the mtimes.
_OLD = 1_000_000_000


def snapshot(folder: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `folder` (and the folder itself): kind, inode, mtime, file hash."""
    entries: dict[str, tuple[object, ...]] = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = path.lstat()
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[name] = ("link", os.readlink(path), info.st_ino, info.st_mtime_ns)
        elif path.is_dir():
            entries[name] = ("dir", info.st_ino, info.st_mtime_ns)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            entries[name] = ("file", digest, info.st_ino, info.st_mtime_ns, info.st_size)
    return entries


def age(folder: Path) -> None:
    """Set every entry's mtime far in the past, so a rewrite cannot keep the same mtime."""
    for path in [*sorted(folder.rglob("*"), reverse=True), folder]:
        if not path.is_symlink():
            os.utime(path, (_OLD, _OLD))


def sitegen_leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if ".sitegen-staging-" in p.name or ".sitegen-old-" in p.name
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", GOOD_SITE)


# --- a failed build leaves the previous site as it was ---


def test_failed_build_leaves_previous_output_byte_identical(root: Path) -> None:
    first = build_site(root, now=NOW)
    assert first.problems == []
    assert first.written
    out = root / "public"
    age(out)
    before = snapshot(out)
    assert "posts/book-sale/index.html" in before

    write_files(root, BROKEN_POST)
    second = build_site(root, now=NOW)

    assert not second.written
    assert [p.location for p in second.problems] == ["content/posts/2026-11-25-broken.md:3"]
    assert snapshot(out) == before
    assert sitegen_leftovers(root) == []


def test_failed_build_without_previous_output_writes_nothing(root: Path) -> None:
    write_files(root, BROKEN_POST)
    before = snapshot(root)

    result = build_site(root, now=NOW)

    assert not result.written
    assert snapshot(root) == before


def test_good_rebuild_replaces_the_output_and_leaves_no_staging_folders(root: Path) -> None:
    assert build_site(root, now=NOW).written
    out = root / "public"
    (root / "content/posts/2026-11-20-book-sale.md").unlink()
    write_files(
        root,
        """
        -- content/posts/2026-11-28-storytime.md --
        ---
        title: Storytime
        date: 2026-11-28
        ---
        Songs and stories.
        """,
    )

    result = build_site(root, now=NOW)

    assert result.problems == []
    assert result.written
    assert (out / "posts/storytime/index.html").is_file()
    assert not (out / "posts/book-sale").exists()  # replaced, not merged
    assert (out / MARKER).is_file()
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == {f.output_path for f in result.files} | {MARKER}
    assert sitegen_leftovers(root) == []
    assert sitegen_leftovers(root.parent) == []


def test_write_site_with_an_unsafe_path_leaves_previous_output(root: Path) -> None:
    out = root / "public"
    write_site([OutputFile("index.html", content=b"first")], out, root)
    age(out)
    before = snapshot(out)
    files = [
        OutputFile("index.html", content=b"second"),
        OutputFile("../escaped.html", content=b"evil", source="content/posts/x.md"),
    ]

    with pytest.raises(SiteError) as caught:
        write_site(files, out, root)

    assert caught.value.problems[0].path == "content/posts/x.md"
    assert snapshot(out) == before
    assert not (root / "escaped.html").exists()
    assert sitegen_leftovers(root) == []


def test_write_that_fails_midway_leaves_previous_output(tmp_path: Path, root: Path) -> None:
    out = root / "public"
    write_site([OutputFile("index.html", content=b"first")], out, root)
    age(out)
    before = snapshot(out)
    files = [
        OutputFile("index.html", content=b"second"),
        OutputFile("gone.pdf", copy_from=tmp_path / "deleted-meanwhile.pdf"),
    ]

    with pytest.raises(FileNotFoundError):
        write_site(files, out, root)

    assert snapshot(out) == before
    assert sitegen_leftovers(root) == []


# --- output folders sitegen refuses, without deleting anything ---

REFUSED = [
    pytest.param(".", id="site-root"),
    pytest.param("..", id="folder-above"),
    pytest.param("content", id="content"),
    pytest.param("static", id="static"),
    pytest.param("themes", id="themes"),
    pytest.param("content/posts", id="inside-content"),
    pytest.param("static/images", id="inside-static"),
    pytest.param("themes/library", id="inside-themes"),
    pytest.param("old-site", id="not-made-by-sitegen"),
]


@pytest.fixture
def crowded(tmp_path: Path) -> Path:
    """A site with files in every protected folder, a neighbour beside it, an old site in it."""
    root = write_files(
        tmp_path / "site",
        GOOD_SITE
        + """
-- themes/library/templates/page.html --
{% extends "base.html" %}
-- themes/library/static/extra.css --
body { color: black; }
-- old-site/index.html --
<p>The site before sitegen, kept by hand.</p>
-- old-site/images/photo.txt --
a photo
""",
    )
    (tmp_path / "neighbour.txt").write_text("another project's file\n", encoding="utf-8")
    age(tmp_path)
    return root


@pytest.mark.parametrize("out", REFUSED)
def test_build_refuses_output_folder_and_deletes_nothing(crowded: Path, out: str) -> None:
    everything = crowded.parent
    before = snapshot(everything)

    result = build_site(crowded, now=NOW, out=out)

    assert not result.written
    assert len(result.problems) == 1
    assert "sitegen will not write the site to" in result.problems[0].message
    assert snapshot(everything) == before


@pytest.mark.parametrize("out", REFUSED)
def test_writer_itself_refuses_output_folder_and_deletes_nothing(crowded: Path, out: str) -> None:
    everything = crowded.parent
    before = snapshot(everything)

    with pytest.raises(SiteError, match="sitegen will not write the site to"):
        write_site([OutputFile("index.html", content=b"new")], crowded / out, crowded)

    assert snapshot(everything) == before


@pytest.mark.parametrize("target", ["content", ".", "themes/library"])
def test_output_folder_reached_through_a_symlink_is_refused(crowded: Path, target: str) -> None:
    (crowded / "public").symlink_to(crowded / target, target_is_directory=True)
    before = snapshot(crowded.parent)

    result = build_site(crowded, now=NOW)

    assert not result.written
    assert "sitegen will not write the site to" in result.problems[0].message
    assert snapshot(crowded.parent) == before


def test_a_marker_does_not_make_a_protected_folder_replaceable(crowded: Path) -> None:
    (crowded / "content" / MARKER).write_text("planted\n", encoding="utf-8")
    before = snapshot(crowded.parent)

    with pytest.raises(SiteError, match="content/ folder"):
        write_site([OutputFile("index.html", content=b"new")], crowded / "content", crowded)

    assert snapshot(crowded.parent) == before


def test_output_that_is_a_file_is_refused(root: Path) -> None:
    (root / "public").write_text("a file, not a folder\n", encoding="utf-8")

    with pytest.raises(SiteError, match="it is a file"):
        check_output_folder(root / "public", root)
    assert (root / "public").read_text(encoding="utf-8") == "a file, not a folder\n"


def test_empty_existing_folder_is_accepted(root: Path) -> None:
    (root / "public").mkdir()

    result = build_site(root, now=NOW)

    assert result.written
    assert (root / "public/index.html").is_file()
    assert (root / "public" / MARKER).is_file()


def test_folder_with_marker_is_replaced(root: Path) -> None:
    out = root / "public"
    out.mkdir()
    (out / MARKER).write_text("made by sitegen\n", encoding="utf-8")
    (out / "stale.html").write_text("<p>from an old build</p>\n", encoding="utf-8")

    result = build_site(root, now=NOW)

    assert result.written
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()


# --- leftovers of an interrupted build ---


def test_leftover_lookalikes_without_marker_are_not_deleted(root: Path) -> None:
    lookalike_file = root / f".public.sitegen-staging-{os.getpid()}"
    lookalike_file.write_text("someone's notes\n", encoding="utf-8")
    lookalike_dir = root / ".public.sitegen-old-12345"
    lookalike_dir.mkdir()
    (lookalike_dir / "keep.txt").write_text("keep me\n", encoding="utf-8")
    age(root)
    before = snapshot(lookalike_dir)

    first = build_site(root, now=NOW)
    second = build_site(root, now=NOW)

    assert first.written
    assert second.written
    assert lookalike_file.read_text(encoding="utf-8") == "someone's notes\n"
    assert snapshot(lookalike_dir) == before


def test_marked_leftovers_of_an_interrupted_build_are_removed(root: Path) -> None:
    for name in (".public.sitegen-staging-99999", ".public.sitegen-old-99999"):
        leftover = root / name
        (leftover / "posts").mkdir(parents=True)
        (leftover / MARKER).write_text("made by sitegen\n", encoding="utf-8")
        (leftover / "posts/index.html").write_text("old\n", encoding="utf-8")

    assert build_site(root, now=NOW).written

    assert sitegen_leftovers(root) == []


# --- paths of output files ---


@pytest.mark.parametrize(
    "path",
    [
        "../index.html",
        "posts/../../index.html",
        "posts/..",
        "..",
        "/etc/passwd",
        "/index.html",
        "posts\\..\\..\\index.html",
        "posts\\index.html",
        "",
        "posts//index.html",
        "./index.html",
        "posts/\0/index.html",
    ],
)
def test_safe_output_path_refuses_paths_that_could_leave_the_folder(path: str) -> None:
    file = OutputFile(path, content=b"", source="content/posts/x.md")

    with pytest.raises(SiteError) as caught:
        safe_output_path(file)

    assert caught.value.problems[0].path == "content/posts/x.md"


@pytest.mark.parametrize("path", ["index.html", "posts/story-time/index.html", "é/ü.html"])
def test_safe_output_path_accepts_ordinary_paths(path: str) -> None:
    assert safe_output_path(OutputFile(path, content=b"")).as_posix() == path


# --- static files ---


def test_symlinks_in_static_leading_outside_the_site_are_not_published(
    tmp_path: Path, root: Path
) -> None:
    secret_dir = tmp_path / "private"
    secret_dir.mkdir()
    (secret_dir / "passwords.txt").write_text("hunter2\n", encoding="utf-8")
    (root / "static/leak.txt").symlink_to(secret_dir / "passwords.txt")
    (root / "static/leaked-folder").symlink_to(secret_dir, target_is_directory=True)

    result = build_site(root, now=NOW)

    assert result.written
    out = root / "public"
    published = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert "images/logo.txt" in published
    assert not [name for name in published if "leak" in name]
    assert not [p for p in out.rglob("*") if p.is_file() and b"hunter2" in p.read_bytes()]
