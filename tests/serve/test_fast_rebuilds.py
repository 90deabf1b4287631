"""The preview server's fast path: pages rendered on demand, unchanged files not read again,
and a template error found after the reload signal still puts the last good site back."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import NOW, write_files
from preview_client import BOOK_CLUB, SITE, current_build, get, post_text, wait_for_build

from sitegen.build import build_site
from sitegen.render.environment import Renderer
from sitegen.render.memory import BuildMemory
from sitegen.serve import PreviewServer


def make_server(tmp_path: Path) -> PreviewServer:
    root = write_files(tmp_path / "site", SITE)
    return PreviewServer(root, port=0, clock=lambda: NOW)


def test_a_rebuild_after_a_content_edit_reads_only_the_edited_file(tmp_path, monkeypatch):
    server = make_server(tmp_path)
    server.rebuild()
    read: list[str] = []
    original = server.read_cache.read

    def recording(file, reader):  # type: ignore[no-untyped-def]
        if not server.read_cache.fresh(file):
            read.append(Path(file).relative_to(server.root).as_posix())
        return original(file, reader)

    monkeypatch.setattr(server.read_cache, "read", recording)
    edited = server.root / BOOK_CLUB
    edited.write_text(post_text("Book Club Moves to Wednesdays"), encoding="utf-8")
    server.rebuild([str(edited)])
    assert read == [BOOK_CLUB]
    page = server.state.snapshot.files["posts/book-club/index.html"].data().decode()
    assert "Book Club Moves to Wednesdays" in page


def test_a_change_outside_content_reads_everything_again(tmp_path):
    server = make_server(tmp_path)
    server.rebuild()
    config = server.root / "site.yaml"
    config.write_text(config.read_text().replace("Test Library", "Riverbend Library"))
    server.rebuild([str(config)])
    page = server.state.snapshot.files["posts/book-club/index.html"].data().decode()
    assert "Riverbend Library" in page


def test_pages_are_rendered_only_when_asked_for(tmp_path):
    server = make_server(tmp_path)
    server.rebuild()
    files = server.state.snapshot.files
    # The background check may have started; at least the rebuild itself rendered nothing.
    assert any(file.produce is not None for file in files.values())
    assert files["posts/book-club/index.html"].data().startswith(b"<!DOCTYPE html>")


def test_a_template_error_found_later_brings_back_the_last_good_site(tmp_path):
    root = write_files(tmp_path / "site", SITE)
    server = PreviewServer(root, port=0, clock=lambda: NOW)
    server.start()
    server.http.long_poll = 5.0
    try:
        before = current_build(server)
        template = root / "themes/default/templates/post.html"
        template.parent.mkdir(parents=True, exist_ok=True)
        template.write_text(
            '{% extends "base.html" %}{% block content %}{{ post.nope.deeper }}{% endblock %}',
            encoding="utf-8",
        )
        deadline = time.monotonic() + 15
        status = wait_for_build(server, before)
        while status["ok"] and time.monotonic() < deadline:
            status = wait_for_build(server, status["build"])
        assert not status["ok"]
        response = get(server, "/posts/book-club/")
        soup = response.html()
        assert soup.select_one("#sitegen-errors") is not None
        assert "themes/default/templates/post.html" in soup.select_one("#sitegen-errors").text
        assert soup.select_one("h1").text.strip() == "Book Club Returns"  # the last good page
        template.unlink()
        status = wait_for_build(server, status["build"])
        while not status["ok"] and time.monotonic() < deadline:
            status = wait_for_build(server, status["build"])
        assert get(server, "/posts/book-club/").html().select_one("#sitegen-errors") is None
    finally:
        server.stop()


def test_a_file_the_watcher_names_is_read_again_even_with_its_old_stamp(tmp_path):
    server = make_server(tmp_path)
    server.rebuild()
    edited = server.root / BOOK_CLUB
    stamp = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("Tuesdays", "Thursday"), encoding="utf-8")  # same size
    os.utime(edited, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    server.rebuild([str(edited)])
    page = server.state.snapshot.files["posts/book-club/index.html"].data().decode()
    assert "Thursday" in page


def test_pages_an_edit_cannot_change_are_not_rendered_again(tmp_path, monkeypatch):
    server = make_server(tmp_path)
    server.rebuild()
    for file in server.state.snapshot.files.values():
        file.data()
    rendered: list[str] = []
    original = Renderer.render

    def counting(self, template, context, source=""):  # type: ignore[no-untyped-def]
        rendered.append(source)
        return original(self, template, context, source)

    monkeypatch.setattr(Renderer, "render", counting)
    edited = server.root / BOOK_CLUB
    edited.write_text(post_text("Book Club Moves to Wednesdays"), encoding="utf-8")
    result = server.rebuild([str(edited)])
    served = {file.output_path: file.data() for file in result.files}

    assert BOOK_CLUB in rendered
    assert "content/pages/about.md" not in rendered  # shows no post
    assert "the 404 page" not in rendered
    cold = build_site(server.root, now=NOW, write=False)
    assert served == {file.output_path: file.data() for file in cold.files}


def test_a_template_edit_renders_every_page_again(tmp_path, monkeypatch):
    server = make_server(tmp_path)
    server.rebuild()
    for file in server.state.snapshot.files.values():
        file.data()
    footer = server.root / "themes/default/templates/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text('<footer class="changed">{{ site.config.title }}</footer>\n', "utf-8")
    result = server.rebuild()
    about = next(f for f in result.files if f.output_path == "about/index.html").data().decode()
    assert 'class="changed"' in about


def test_post_pages_planned_as_before_are_not_digested_again(tmp_path, monkeypatch):
    """A rebuild's page memory takes the key of a post page whose post and neighbours are the
    very objects of the last build from that build, instead of digesting its inputs again."""
    posts = "".join(
        f"-- content/posts/2026-11-0{n}-post-{n}.md --\n---\ntitle: Post {n}\n"
        f"date: 2026-11-0{n}\n---\nBody {n}.\n"
        for n in range(1, 9)
    )
    root = write_files(
        tmp_path / "site", "-- site.yaml --\ntitle: T\nurl: https://x.org/\n" + posts
    )
    server = PreviewServer(root, port=0, clock=lambda: NOW)
    server.rebuild()
    for file in server.state.snapshot.files.values():
        file.data()
    digested: list[str] = []
    original = BuildMemory._digest

    def counting(self, inputs):  # type: ignore[no-untyped-def]
        if inputs[0] == "post.html":  # a post page: its post, its neighbours, the settings
            digested.append(inputs[1].url)
        return original(self, inputs)

    monkeypatch.setattr(BuildMemory, "_digest", counting)
    edited = root / "content/posts/2026-11-01-post-1.md"
    edited.write_text(edited.read_text().replace("Body 1.", "A new body."), encoding="utf-8")
    result = server.rebuild([str(edited)])
    served = {file.output_path: file.data() for file in result.files}

    assert sorted(digested) == ["/posts/post-1/", "/posts/post-2/"]  # the edited one, its neighbour
    cold = build_site(root, now=NOW, write=False)
    assert served == {file.output_path: file.data() for file in cold.files}
