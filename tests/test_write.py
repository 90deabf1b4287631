"""Data safety of the writer: a failed build changes nothing, a good one swaps the site in,
and sitegen never replaces a folder it did not make.

Trees are compared whole: every file's bytes, every entry's inode and modification time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import NOW, write_files

from sitegen.build import build_site
from sitegen.errors import SiteError
from sitegen.outputs.files import OutputFile
from sitegen.write import MARKER, check_output_folder, check_output_path, write_site

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
def test_output_paths_that_could_leave_the_folder_are_refused(path: str) -> None:
    file = OutputFile(path, content=b"", source="content/posts/x.md")

    with pytest.raises(SiteError) as caught:
        check_output_path(file)

    assert caught.value.problems[0].path == "content/posts/x.md"


@pytest.mark.parametrize("path", ["index.html", "posts/story-time/index.html", "é/ü.html"])
def test_ordinary_output_paths_are_accepted(tmp_path: Path, path: str) -> None:
    check_output_path(OutputFile(path, content=b""))
    write_site([OutputFile(path, content=b"page")], tmp_path / "public", tmp_path)
    assert (tmp_path / "public" / path).read_bytes() == b"page"


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


# --- rebuilds write only what changed ---


def files(tree: dict[str, bytes]) -> list[OutputFile]:
    return [OutputFile(path, content=data) for path, data in tree.items()]


def written(out: Path) -> dict[str, bytes]:
    """Every file in `out` but the marker, with its bytes."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != MARKER
    }


def file_stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(out).as_posix(): (path.lstat().st_ino, path.lstat().st_mtime_ns)
        for path in out.rglob("*")
        if path.is_file()
    }


FIRST = {
    "index.html": b"<p>home</p>",
    "posts/index.html": b"<p>news</p>",
    "posts/a/index.html": b"<p>a</p>",
    "posts/b/index.html": b"<p>b</p>",
    "tags/kids/index.html": b"<p>kids</p>",
    "tags/kids/feed.xml": b"<rss/>",
    "images/logo.txt": b"logo",
}


def test_a_rebuild_that_changes_one_file_leaves_the_others_untouched(root: Path) -> None:
    out = root / "public"
    write_site(files(FIRST), out, root)
    age(out)
    before = file_stamps(out)

    write_site(files({**FIRST, "posts/a/index.html": b"<p>a, changed</p>"}), out, root)

    after = file_stamps(out)
    assert {path for path in before if after[path] != before[path]} == {"posts/a/index.html"}
    assert written(out) == {**FIRST, "posts/a/index.html": b"<p>a, changed</p>"}
    assert sitegen_leftovers(root) == []


def test_a_rebuild_of_a_whole_site_rewrites_only_the_changed_pages(root: Path) -> None:
    assert build_site(root, now=NOW).written
    out = root / "public"
    age(out)
    before = file_stamps(out)
    about = root / "content/pages/about.md"
    about.write_text(about.read_text().replace("Who we are.", "Who we are now."))

    assert build_site(root, now=NOW).written

    after = file_stamps(out)
    assert {path for path in before if after.get(path) != before[path]} == {"about/index.html"}


def test_removed_pages_go_with_the_folders_they_leave_empty(root: Path) -> None:
    out = root / "public"
    write_site(files(FIRST), out, root)
    age(out)
    home = (out / "index.html").stat().st_ino
    kept = {path: data for path, data in FIRST.items() if not path.startswith(("tags/", "posts/b"))}

    write_site(files(kept), out, root)

    assert written(out) == kept
    assert not (out / "tags").exists()  # tags/kids/ emptied, then tags/
    assert not (out / "posts/b").exists()
    assert (out / "posts/a/index.html").is_file()  # posts/ still holds pages: it stays
    assert (out / "index.html").stat().st_ino == home  # written in place, not swapped
    assert (out / MARKER).is_file()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param({"news": b"a file"}, {"news/index.html": b"a folder"}, id="file-to-folder"),
        pytest.param({"news/index.html": b"a folder"}, {"news": b"a file"}, id="folder-to-file"),
        pytest.param(
            {"a/b": b"file", "a/c.html": b"c"},
            {"a/b/c/d.html": b"deep", "a/c.html": b"c"},
            id="file-to-deep-folder",
        ),
        pytest.param(
            {"a/b/c/d.html": b"deep", "a/b/e.html": b"e", "f.html": b"f"},
            {"a/b": b"file", "f.html": b"f"},
            id="deep-folder-to-file",
        ),
    ],
)
def test_a_file_where_a_folder_must_be_and_the_reverse(
    root: Path, before: dict[str, bytes], after: dict[str, bytes]
) -> None:
    out = root / "public"
    write_site(files(before), out, root)

    write_site(files(after), out, root)

    assert written(out) == after
    assert [p for p in out.rglob("*") if p.is_dir() and not any(p.iterdir())] == []
    assert sitegen_leftovers(root) == []


@pytest.mark.parametrize("same_bytes", [True, False], ids=["same-bytes", "new-bytes"])
def test_a_link_in_the_output_folder_is_replaced_never_written_through(
    tmp_path: Path, root: Path, same_bytes: bool
) -> None:
    out = root / "public"
    write_site(files(FIRST), out, root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(FIRST["posts/a/index.html"])
    (outside / "notes.txt").write_bytes(b"someone's notes")
    shutil.rmtree(out / "posts/a")
    (out / "posts/a").symlink_to(outside, target_is_directory=True)
    (out / "feed-link.xml").symlink_to(outside / "notes.txt")
    age(tmp_path)
    before = snapshot(outside)
    new = {**FIRST, "feed-link.xml": b"<rss/>"}
    if not same_bytes:
        new["posts/a/index.html"] = b"<p>a, changed</p>"

    write_site(files(new), out, root)

    assert written(out) == new
    assert not [p for p in out.rglob("*") if p.is_symlink()]
    assert snapshot(outside) == before
    # No file of the site is the file outside, linked in.
    assert (outside / "index.html").stat().st_nlink == 1
    assert (outside / "notes.txt").stat().st_nlink == 1


@pytest.mark.parametrize("path", ["in-place", "replaced-whole"])
def test_a_copy_source_that_vanishes_leaves_the_previous_output(
    tmp_path: Path, root: Path, path: str
) -> None:
    out = root / "public"
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"a logo")
    first = [*files(FIRST), OutputFile("logo.png", copy_from=logo)]
    write_site(first, out, root)
    if path == "replaced-whole":
        (out / "link.txt").symlink_to(logo)  # a folder with a link is replaced whole
    age(out)
    before = snapshot(out)
    vanished = tmp_path / "deleted-meanwhile.pdf"
    second = [
        OutputFile("index.html", content=b"<p>home, changed</p>"),
        OutputFile("posts/c/index.html", content=b"<p>c</p>"),
        *files({path: data for path, data in FIRST.items() if path != "index.html"}),
        OutputFile("gone.pdf", copy_from=vanished),
    ]

    with pytest.raises(FileNotFoundError):
        write_site(second, out, root)

    assert snapshot(out) == before
    assert sitegen_leftovers(root) == []
    # The same write with the file there goes in the way this case is about.
    vanished.write_bytes(b"%PDF")
    home = (out / "images/logo.txt").stat().st_ino
    write_site(second, out, root)
    assert ((out / "images/logo.txt").stat().st_ino == home) == (path == "in-place")
