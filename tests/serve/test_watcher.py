"""Watching the site folder: which changes count, and one rebuild per burst of writes.

is_author_change and the Batcher are tested in memory with made-up paths and events; the rest
runs a PreviewServer and counts its builds (on_build) while files change on disk.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import NOW, write_files
from preview_client import (
    BOOK_CLUB,
    SITE,
    Response,
    current_build,
    get,
    post_text,
    running,
    wait_for_build,
)
from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
)

from sitegen.build import BuildResult, build_site
from sitegen.serve import PreviewServer
from sitegen.serve.watcher import WATCHED_FOLDERS, Batcher, is_author_change

ROOT = Path("/home/ada/library-site")
OUTPUT = ROOT / "public"


@pytest.mark.parametrize(
    "relative",
    [
        "site.yaml",
        "content/posts/2026-03-01-book-club.md",
        "content/pages/services/index.md",
        "content/posts",
        "static/images/logo.svg",
        "themes/default/templates/post.html",
        "themes/default/static/css/style.css",
    ],
)
def test_changes_an_author_makes_count(relative: str) -> None:
    assert is_author_change(ROOT / relative, ROOT, OUTPUT)


@pytest.mark.parametrize(
    "relative",
    [
        "content/posts/.book-club.md.swp",  # Vim swap files
        "content/posts/.book-club.md.swx",
        "content/posts/book-club.md~",  # backups
        "content/posts/4913",  # Vim's "can I write here" test file
        "content/posts/.#book-club.md",  # Emacs lock
        "content/posts/#book-club.md#",  # Emacs auto-save
        "content/posts/book-club.md.tmp",
        "content/posts/.book-club.md.kate-swp",
        "content/.obsidian/workspace.json",
        "static/images/logo.svg.part",
        "themes/default/templates/__pycache__/x.pyc",
        "public/index.html",  # the output folder
        "public/posts/book-club/index.html",
        "public",
        ".public.sitegen-staging-1-ab12cd34/index.html",  # a build's staging folder
        ".git/index",
        "README.md",
        "node_modules/x/content/a.md",
        "site.yaml.swp",
    ],
)
def test_editor_files_output_and_other_folders_do_not_count(relative: str) -> None:
    assert not is_author_change(ROOT / relative, ROOT, OUTPUT)


def test_another_output_folder_does_not_count_but_public_content_would() -> None:
    www = ROOT / "www"
    assert not is_author_change(www / "index.html", ROOT, www)
    assert is_author_change(ROOT / "content" / "posts" / "a.md", ROOT, www)


def test_paths_outside_the_site_do_not_count() -> None:
    assert not is_author_change(Path("/home/ada/other/content/posts/a.md"), ROOT, OUTPUT)
    assert not is_author_change(Path("/home/ada/library-site-old/site.yaml"), ROOT, OUTPUT)


def test_batcher_hands_over_a_burst_at_once(tmp_path: Path) -> None:
    batcher = Batcher(tmp_path, tmp_path / "public")
    post = str(tmp_path / "content" / "posts" / "a.md")
    page = str(tmp_path / "content" / "pages" / "b.md")
    for event in (FileCreatedEvent(post), FileModifiedEvent(post), FileClosedEvent(post)):
        batcher.on_any_event(event)
    batcher.on_any_event(FileMovedEvent(str(tmp_path / "content" / "pages" / ".b.md.tmp"), page))
    assert batcher.wait(timeout=1) == {post, page}
    assert batcher.wait(timeout=0.1) == set()


def test_batcher_ignores_reads_folder_echoes_and_editor_files(tmp_path: Path) -> None:
    batcher = Batcher(tmp_path, tmp_path / "public")
    posts = tmp_path / "content" / "posts"
    swap = str(posts / ".a.md.swp")
    for event in (
        FileOpenedEvent(str(posts / "a.md")),
        FileClosedNoWriteEvent(str(posts / "a.md")),
        FileCreatedEvent(swap),
        FileModifiedEvent(swap),
        DirModifiedEvent(str(posts)),  # what watchdog adds for the swap file's folder
        FileDeletedEvent(str(tmp_path / "public" / "index.html")),
        DirModifiedEvent(str(tmp_path / "public")),
    ):
        batcher.on_any_event(event)
    assert batcher.wait(timeout=0.2) == set()
    batcher.on_any_event(DirCreatedEvent(str(posts / "2027")))  # a new folder does count
    assert batcher.wait(timeout=1) == {str(posts / "2027")}


def test_batcher_tells_of_changes_that_came_after_it_handed_some_over(tmp_path: Path) -> None:
    batcher = Batcher(tmp_path, tmp_path / "public")
    post = str(tmp_path / "content" / "posts" / "a.md")
    batcher.on_any_event(FileModifiedEvent(post))
    assert batcher.wait(timeout=1) == {post}
    assert not batcher.pending()
    batcher.on_any_event(FileOpenedEvent(post))  # a read, not a change
    assert not batcher.pending()
    batcher.on_any_event(FileClosedEvent(post))
    assert batcher.pending()
    assert batcher.wait(timeout=1) == {post}
    assert not batcher.pending()


# --- with a running server ----------------------------------------------------------------------


class Builds:
    """An on_build callback that counts builds."""

    def __init__(self) -> None:
        self.results: list[BuildResult] = []
        self._lock = threading.Lock()

    def __call__(self, result: BuildResult) -> None:
        with self._lock:
            self.results.append(result)

    def __len__(self) -> int:
        with self._lock:
            return len(self.results)


def record_events(server: PreviewServer) -> list[str]:
    """The paths of every event watchdog hands the server's Batcher from now on."""
    paths: list[str] = []
    handle = server.batcher.on_any_event

    def record(event: FileSystemEvent) -> None:
        paths.extend(str(path) for path in (event.src_path, event.dest_path) if path)
        handle(event)

    server.batcher.on_any_event = record  # type: ignore[method-assign]
    return paths


def no_build_after(server, build: int, seconds: float = 0.6) -> bool:
    """True if the server stays at `build` for `seconds` (a long poll that times out)."""
    server.http.long_poll = seconds
    try:
        return get(server, f"/_sitegen/wait?build={build}").json()["build"] == build
    finally:
        server.http.long_poll = 5.0


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", SITE)


def test_editor_files_public_and_sitegen_build_never_rebuild(root: Path) -> None:
    builds = Builds()
    posts = root / "content" / "posts"
    with running(root, on_build=builds) as server:
        events = record_events(server)
        build = current_build(server)
        # Vim opens a file, then saves it; Emacs locks it; something writes a backup.
        (posts / ".2026-03-01-book-club.md.swp").write_bytes(b"b0VIM 9.0")
        (posts / "4913").write_bytes(b"")
        (posts / "4913").unlink()
        (posts / "2026-03-01-book-club.md~").write_text("old", encoding="utf-8")
        (posts / ".#2026-03-01-book-club.md").symlink_to("ada@desk.1234:1700000000")
        # `sitegen build` in another terminal: public/ and its staging folders come and go.
        for _ in range(2):
            assert build_site(root, now=NOW).written
        (root / "public" / "posts" / "index.html").write_text("<p>edited</p>", encoding="utf-8")
        (root / "public" / "extra.html").write_text("<p>new</p>", encoding="utf-8")
        assert no_build_after(server, build)

        (root / BOOK_CLUB).write_text(post_text("Book Club Is Back"), encoding="utf-8")
        assert wait_for_build(server, build)["build"] == build + 1  # the watcher was listening
    assert len(builds) == 2  # the first build, and the one for the real edit
    # public/ and the staging folders are not even watched: only their names at the top.
    paths = [Path(path).relative_to(root) for path in events]
    assert [path for path in paths if path.parts[:1] == ("content",)]
    assert not [
        path for path in paths if len(path.parts) > 1 and path.parts[0] not in WATCHED_FOLDERS
    ]


def test_a_burst_of_writes_gives_one_rebuild(root: Path) -> None:
    builds = Builds()
    posts = root / "content" / "posts"
    texts = {
        posts / f"2026-04-0{n}-news-{n}.md": f"---\ntitle: News {n}\ndate: 2026-04-0{n}\n---\nHi.\n"
        for n in range(1, 5)
    }
    with running(root, on_build=builds) as server:
        build = current_build(server)
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")
        # An editor's atomic save: a temporary file, renamed over the post.
        temporary = posts / ".2026-03-01-book-club.md.tmp"
        temporary.write_text(post_text("Book Club Is Back"), encoding="utf-8")
        os.replace(temporary, root / BOOK_CLUB)
        assert wait_for_build(server, build) == {"build": build + 1, "ok": True}
        assert no_build_after(server, build + 1)
        news = get(server, "/posts/news-4/").status
        title = get(server, "/posts/book-club/").html().select_one("h1").get_text(strip=True)
    assert len(builds) == 2
    assert news == 200
    assert title == "Book Club Is Back"


def saving_again_during_the_next_build(server: PreviewServer, file: Path, text: str) -> None:
    """Make the server's next build see `file` written again while it builds, as when an
    editor's save outlasts the batcher's quiet moment."""
    build = server._build

    def build_while_saving(*args: object) -> BuildResult:
        server._build = build  # type: ignore[method-assign]
        result = build(*args)
        file.write_text(text, encoding="utf-8")
        deadline = time.monotonic() + 5
        while not server.batcher.pending() and time.monotonic() < deadline:
            time.sleep(0.005)
        return result

    server._build = build_while_saving  # type: ignore[method-assign]


def test_a_build_that_a_save_overtook_is_dropped_and_built_again(root: Path) -> None:
    builds = Builds()
    with running(root, on_build=builds) as server:
        build = current_build(server)
        saving_again_during_the_next_build(server, root / BOOK_CLUB, post_text("Second Step"))
        (root / BOOK_CLUB).write_text(post_text("First Step"), encoding="utf-8")
        assert wait_for_build(server, build) == {"build": build + 1, "ok": True}
        assert no_build_after(server, build + 1)
        title = get(server, "/posts/book-club/").html().select_one("h1").get_text(strip=True)
    assert len(builds) == 2  # the first build and the one of the finished save; none between
    assert title == "Second Step"


def test_a_vim_style_save_gives_one_rebuild(root: Path) -> None:
    """Vim (backupcopy=no): a test file, the original renamed to a backup, the new text
    written under the old name, the backup deleted."""
    builds = Builds()
    post = root / BOOK_CLUB
    with running(root, on_build=builds) as server:
        build = current_build(server)
        probe = post.parent / "4913"
        probe.write_bytes(b"")
        probe.unlink()
        backup = post.with_name(post.name + "~")
        os.rename(post, backup)
        post.write_text(post_text("Saved From Vim"), encoding="utf-8")
        backup.unlink()
        assert wait_for_build(server, build) == {"build": build + 1, "ok": True}
        assert no_build_after(server, build + 1)
        title = get(server, "/posts/book-club/").html().select_one("h1").get_text(strip=True)
    assert len(builds) == 2
    assert title == "Saved From Vim"


def test_site_yaml_and_theme_templates_rebuild(root: Path) -> None:
    override = root / "themes" / "default" / "templates" / "post.html"  # the site's own copy
    template = "<!DOCTYPE html><html><head><title>{{ post.title }}</title></head><body>"
    template += '<h1 class="VERSION">{{ post.title }}</h1></body></html>'
    override.parent.mkdir(parents=True)
    override.write_text(template.replace("VERSION", "first"), encoding="utf-8")
    with running(root) as server:
        build = current_build(server)
        home = get(server, "/").html()
        post = get(server, "/posts/book-club/").html()

        config = (root / "site.yaml").read_text(encoding="utf-8")
        (root / "site.yaml").write_text(
            config.replace("Test Library", "Riverbend Library"), encoding="utf-8"
        )
        assert wait_for_build(server, build) == {"build": build + 1, "ok": True}
        renamed_home = get(server, "/").html()

        override.write_text(template.replace("VERSION", "second"), encoding="utf-8")
        assert wait_for_build(server, build + 1) == {"build": build + 2, "ok": True}
        restyled_post = get(server, "/posts/book-club/").html()

    assert "Test Library" in home.title.get_text()
    assert "Riverbend Library" in renamed_home.title.get_text()
    assert post.select_one("h1.first").get_text(strip=True) == "Book Club Returns"
    assert restyled_post.select_one("h1.second").get_text(strip=True) == "Book Club Returns"


def eventually(server, path: str, check, timeout: float = 10.0) -> Response:
    """Follow the server's builds until `check(response for path)` holds."""
    deadline = time.monotonic() + timeout
    while True:
        build = current_build(server)
        response = get(server, path)
        if check(response):
            return response
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never passed the check; last status {response.status}")
        wait_for_build(server, build, timeout=max(deadline - time.monotonic(), 0.1))


def test_folders_made_or_made_again_after_the_start_are_watched(root: Path) -> None:
    def title(response: Response) -> str | None:
        heading = response.html().select_one("h1")
        return heading.get_text(strip=True) if response.status == 200 and heading else None

    shutil.rmtree(root / "static")
    with running(root) as server:
        assert get(server, "/files/hours.txt").status == 404
        (root / "static" / "files").mkdir(parents=True)
        (root / "static" / "files" / "hours.txt").write_text("Open at nine.", encoding="utf-8")
        eventually(server, "/files/hours.txt", lambda r: r.body == b"Open at nine.")
        (root / "static" / "files" / "hours.txt").write_text("Open at ten.", encoding="utf-8")
        eventually(server, "/files/hours.txt", lambda r: r.body == b"Open at ten.")

        saved = root.parent / "content-saved"
        shutil.move(root / "content", saved)  # like switching to a branch without it
        eventually(server, "/posts/book-club/", lambda r: r.status == 404)
        shutil.move(saved, root / "content")
        eventually(server, "/posts/book-club/", lambda r: title(r) == "Book Club Returns")
        (root / BOOK_CLUB).write_text(post_text("Book Club Is Back"), encoding="utf-8")
        eventually(server, "/posts/book-club/", lambda r: title(r) == "Book Club Is Back")
