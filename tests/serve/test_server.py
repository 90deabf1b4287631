"""The preview server over real HTTP on 127.0.0.1: pages, live reload, the error overlay, and
every way a request could try to leave the site.

Each test runs a PreviewServer on a free port for a tiny inline site built at NOW; the
traversal tests send raw bytes over a socket, so no client library tidies the request first.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, write_files
from preview_client import (
    BOOK_CLUB,
    SITE,
    current_build,
    get,
    post_text,
    running,
    wait_for_build,
)

from sitegen.build import build_site
from sitegen.errors import SiteError
from sitegen.serve import PreviewServer

SECRET = "SECRET-9f2c1e7a-do-not-serve"
CONFIG_CANARY = "config-canary-41d8"
PASSWD_LINE = b"root:x:0:"


EXTRA = f"""
-- site.yaml --
# {CONFIG_CANARY}
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
-- content/posts/2026-03-02-reading-circle.md --
---
title: 読書会
date: 2026-03-02
tags: [読書]
---
A reading circle.
"""


def make_root(folder: Path) -> Path:
    """The site in FOLDER/site, with a secret file beside it and links in static/ leading out."""
    site = write_files(folder / "site", SITE + EXTRA)
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site / "static" / "leak.txt").symlink_to(folder / "secret.txt")
    (site / "static" / "up").symlink_to(folder, target_is_directory=True)
    return site


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A site of its own, for a test that edits files."""
    return make_root(tmp_path)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PreviewServer, Path]]:
    """One running server, shared by the tests that only read: (server, folder of the site)."""
    folder = tmp_path_factory.mktemp("served")
    with running(make_root(folder)) as server:
        yield server, folder


def raw_request(port: int, data: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """Send bytes as they are; the status (None if the server sent nothing), headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    reply = b"".join(chunks)
    if not reply.startswith(b"HTTP/"):
        return None, {}, reply  # nothing, or an HTTP/0.9-style reply: a body without a status
    head, _, body = reply.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def raw_get(port: int, target: str | bytes, host: str | None = None) -> tuple[int | None, bytes]:
    target_bytes = target.encode("latin-1") if isinstance(target, str) else target
    host_line = f"Host: {f'127.0.0.1:{port}' if host is None else host}\r\n".encode()
    status, _, body = raw_request(
        port, b"GET " + target_bytes + b" HTTP/1.1\r\n" + host_line + b"Connection: close\r\n\r\n"
    )
    return status, body


def overlay(page: BeautifulSoup):
    return page.select_one("aside#sitegen-errors")


# --- pages, live reload and the error overlay ---------------------------------------------


def test_serves_the_built_pages_with_the_reload_script(served: tuple[PreviewServer, Path]) -> None:
    server, folder = served
    home = get(server, "/")
    post = get(server, "/posts/book-club/")
    about = get(server, "/about/")
    hours = get(server, "/files/hours.txt")
    feed = get(server, "/feed.xml")

    assert home.status == post.status == about.status == hours.status == feed.status == 200
    assert post.headers["Content-Type"] == "text/html; charset=utf-8"
    page = post.html()
    assert page.select_one("h1").get_text(strip=True) == "Book Club Returns"
    assert page.html["data-sitegen-build"] == str(current_build(server))
    assert [s["src"] for s in page.select("script[src]") if "_sitegen" in s["src"]] == [
        "/_sitegen/reload.js"
    ]
    assert overlay(page) is None
    assert about.html().select_one("h1").get_text(strip=True) == "About"
    assert hours.body == (folder / "site" / "static" / "files" / "hours.txt").read_bytes()
    assert hours.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert feed.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert "data-sitegen-build" not in feed.text  # only HTML pages get the preview tools


def test_a_folder_without_its_slash_redirects_within_the_site(
    served: tuple[PreviewServer, Path],
) -> None:
    server, _ = served
    response = get(server, "/posts/book-club")
    assert response.status == 301
    assert response.headers["Location"] == "/posts/book-club/"


def test_a_folder_with_a_non_ascii_name_redirects_with_an_encoded_location(
    served: tuple[PreviewServer, Path],
) -> None:
    server, _ = served
    status, headers, _ = raw_request(
        server.port,
        f"GET /tags/%E8%AA%AD%E6%9B%B8 HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert status == 301
    assert headers["location"] == "/tags/%E8%AA%AD%E6%9B%B8/"
    tag_page = get(server, headers["location"])
    assert tag_page.status == 200
    assert tag_page.html().select_one("h1").get_text(strip=True).endswith("読書")


def test_preview_assets_and_unknown_preview_paths(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    script = get(server, "/_sitegen/reload.js")
    style = get(server, "/_sitegen/preview.css")
    unknown = get(server, "/_sitegen/nothing-here")
    bad_build = get(server, "/_sitegen/wait?build=seven")
    assert script.status == 200
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "/_sitegen/wait?build=" in script.text
    assert style.status == 200
    assert unknown.status == 404
    assert bad_build.status == 400


def test_edit_then_break_then_fix_a_post(root: Path) -> None:
    """What an author sees: the edit, then the overlay over the last good page, then the fix."""
    with running(root) as server:
        build = current_build(server)
        # The tab's long poll is already waiting when the author saves.
        waiting = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        waiting.request("GET", f"/_sitegen/wait?build={build}")
        (root / BOOK_CLUB).write_text(post_text("Book Club Is Back"), encoding="utf-8")
        signal = json.loads(waiting.getresponse().read())
        waiting.close()
        edited = get(server, "/posts/book-club/").html()

        (root / BOOK_CLUB).write_text(
            "---\ntitle: [Book Club\ndate: 2026-03-01\n---\nOops.\n", encoding="utf-8"
        )
        broken_signal = wait_for_build(server, build + 1)
        broken_post = get(server, "/posts/book-club/")
        broken_home = get(server, "/")
        errors = [
            raw_get(server.port, target)[1]
            for target in ("/missing/", "/%2e%2e/", "/_sitegen/x", "bad", "/.%2e/site.yaml")
        ]
        errors += [
            raw_request(server.port, request)[2]
            for request in (
                b"GARBAGE\r\n\r\n",
                b"GET / HTTP/9.9\r\n\r\n",
                b"BREW / HTTP/1.1\r\n\r\n",
            )
        ]

        (root / BOOK_CLUB).write_text(post_text("Book Club, Fixed"), encoding="utf-8")
        fixed_signal = wait_for_build(server, build + 2)
        fixed_post = get(server, "/posts/book-club/").html()

    assert signal == {"build": build + 1, "ok": True}
    assert edited.select_one("h1").get_text(strip=True) == "Book Club Is Back"
    assert edited.html["data-sitegen-build"] == str(build + 1)

    assert broken_signal == {"build": build + 2, "ok": False}
    assert broken_post.status == 200
    page = broken_post.html()
    assert page.select_one("h1").get_text(strip=True) == "Book Club Is Back"  # last good build
    assert page.html["data-sitegen-build"] == str(build + 2)  # so the tab reloads into it
    box = overlay(page)
    assert box is not None and box["role"] == "alert"
    message = box.select_one("pre").get_text()
    assert message.startswith(f"{BOOK_CLUB}:")
    assert "YAML" in message
    assert overlay(broken_home.html()) is not None  # every page shows it
    for body in [broken_post.body, broken_home.body, *errors]:
        assert body  # every answer says something, and none says where the site lives
        assert str(root.parent).encode() not in body
        assert b"/tmp/" not in body and str(Path.home()).encode() + b"/" not in body

    assert fixed_signal == {"build": build + 3, "ok": True}
    assert overlay(fixed_post) is None
    assert fixed_post.select_one("h1").get_text(strip=True) == "Book Club, Fixed"


def test_an_unexpected_build_crash_is_shown_and_the_next_edit_still_rebuilds(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashes = [FileNotFoundError(2, "No such file or directory", str(root / BOOK_CLUB))]

    def build_that_crashes_once(*args, **kwargs):
        if crashes:
            raise crashes.pop()
        return build_site(*args, **kwargs)

    with running(root) as server:
        build = current_build(server)
        monkeypatch.setattr("sitegen.serve.build_site", build_that_crashes_once)
        (root / BOOK_CLUB).write_text(post_text("Deleted Mid-Build"), encoding="utf-8")
        assert wait_for_build(server, build) == {"build": build + 1, "ok": False}
        crashed = get(server, "/posts/book-club/")

        (root / BOOK_CLUB).write_text(post_text("Book Club Again"), encoding="utf-8")
        assert wait_for_build(server, build + 1) == {"build": build + 2, "ok": True}
        again = get(server, "/posts/book-club/").html()

    box = overlay(crashed.html())
    assert box is not None
    assert "FileNotFoundError" in box.get_text()
    assert str(root.parent) not in crashed.text
    assert again.select_one("h1").get_text(strip=True) == "Book Club Again"


# --- drafts, scheduled posts and production builds -------------------------------------------


def badges(page: BeautifulSoup) -> list[str]:
    """The Draft and Scheduled markers shown in the post itself."""
    article = page.select_one("h1").find_parent("article")
    words = (element.get_text(strip=True) for element in article.find_all(True))
    return [word for word in words if word in ("Draft", "Scheduled")]


def test_drafts_are_shown_only_with_drafts_and_marked(
    root: Path, served: tuple[PreviewServer, Path]
) -> None:
    with running(root, drafts=True) as server:
        draft = get(server, "/posts/unfinished/")
        published = get(server, "/posts/book-club/")
        scheduled = get(server, "/posts/holiday-hours/")
    hidden = get(served[0], "/posts/unfinished/")  # a server with neither option

    assert draft.status == 200
    assert draft.html().select_one("h1").get_text(strip=True) == "Unfinished Draft"
    assert badges(draft.html()) == ["Draft"]
    assert badges(published.html()) == []
    assert scheduled.status == 404
    assert hidden.status == 404


def test_future_posts_are_shown_only_with_future_and_marked_scheduled(
    root: Path, served: tuple[PreviewServer, Path]
) -> None:
    with running(root, future=True) as server:
        scheduled = get(server, "/posts/holiday-hours/")
        draft = get(server, "/posts/unfinished/")
    hidden = get(served[0], "/posts/holiday-hours/")

    assert scheduled.status == 200
    assert scheduled.html().select_one("h1").get_text(strip=True) == "Holiday Hours"
    assert badges(scheduled.html()) == ["Scheduled"]
    assert draft.status == 404
    assert hidden.status == 404


def test_a_production_build_has_no_preview_tools(root: Path) -> None:
    with running(root, drafts=True, future=True) as server:
        build = current_build(server)
        (root / BOOK_CLUB).write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
        assert wait_for_build(server, build)["ok"] is False  # the overlay is on every page
        previewed = get(server, "/posts/book-club/").html()
        (root / BOOK_CLUB).write_text(post_text("Book Club Returns"), encoding="utf-8")
        result = build_site(root, now=NOW, drafts=True, future=True)

    assert overlay(previewed) is not None  # the preview had both, and the build has neither
    assert result.written and result.output_dir is not None
    files = [path for path in result.output_dir.rglob("*") if path.is_file()]
    assert any(path.name == "index.html" for path in files)
    for path in files:
        if path.suffix == ".html":
            page = BeautifulSoup(path.read_bytes(), "html.parser")
            assert page.select("[data-sitegen-build], #sitegen-errors") == [], path
            sources = [
                tag.get("src") or tag.get("href") or "" for tag in page.select("[src], [href]")
            ]
            assert not [url for url in sources if "_sitegen" in url], path
        assert b"_sitegen" not in path.read_bytes(), path


# --- requests that must not get anything -------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/files/../../secret.txt",
    "/./files/hours.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2E%2E/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/files/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/.%2e/secret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/files/%252E%252E%252F%252E%252E%252Fsecret.txt",
    "/..\\secret.txt",
    "/files/..\\..\\secret.txt",
    "\\..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/..%5c..%5csecret.txt",
    "/..%255c..%255csecret.txt",
    "{folder}/secret.txt",
    "/{folder}/secret.txt",
    "/etc/passwd",
    "//etc/passwd",
    "/../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "http://evil/",
    "http://evil/../secret.txt",
    "http://127.0.0.1:{port}/../secret.txt",
    "secret.txt",
    "*",
    "/secret.txt%00.html",
    "/files/hours.txt%00/../../../secret.txt",
    "/%00",
    "/files/hours.txt\x00/../../secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/%c0%ae%c0%ae%c0%afsecret.txt",
    "/%e0%80%ae%e0%80%ae/secret.txt",
    "/%c0%2e%c0%2e/secret.txt",
    "/leak.txt",
    "/up/secret.txt",
    "/up/site/site.yaml",
    "/site.yaml",
    f"/{BOOK_CLUB}",
    "/_sitegen/../secret.txt",
    "/_sitegen/%2e%2e/%2e%2e/secret.txt",
    "/_sitegen/..%2f..%2fsite.yaml",
]


def assert_nothing_leaked(body: bytes, folder: Path) -> None:
    assert SECRET.encode() not in body
    assert CONFIG_CANARY.encode() not in body
    assert PASSWD_LINE not in body
    assert str(folder).encode() not in body


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_traversal_reaches_a_file_outside_the_site(
    served: tuple[PreviewServer, Path], target: str
) -> None:
    server, folder = served
    status, body = raw_get(server.port, target.format(folder=folder.as_posix(), port=server.port))
    assert status in (400, 403, 404)
    assert_nothing_leaked(body, folder)
    assert get(server, "/posts/book-club/").status == 200  # and the server still answers


def test_a_static_file_replaced_by_a_link_is_not_served_from_the_last_good_build(
    root: Path, tmp_path: Path
) -> None:
    hours = root / "static" / "files" / "hours.txt"
    notes = root / "static" / "files" / "notes.txt"
    notes.write_text("Staff notes.\n", encoding="utf-8")
    with running(root) as server:
        build = current_build(server)
        assert get(server, "/files/hours.txt").status == 200
        # A failed build keeps the last good site; its copied files must still be the same files.
        (root / BOOK_CLUB).write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
        hours.unlink()
        hours.symlink_to(tmp_path / "secret.txt")
        notes.unlink()
        assert wait_for_build(server, build)["ok"] is False
        linked = raw_get(server.port, "/files/hours.txt")
        deleted = raw_get(server.port, "/files/notes.txt")

    assert linked[0] == 404
    assert_nothing_leaked(linked[1], tmp_path)
    assert deleted[0] == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_methods_other_than_get_and_head_are_refused(
    served: tuple[PreviewServer, Path], method: str
) -> None:
    server, _ = served
    body = b"title: changed"
    status, headers, _ = raw_request(
        server.port,
        f"{method} /posts/book-club/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body,
    )
    assert status == 405
    assert headers["allow"] == "GET, HEAD"
    still_there = get(server, "/posts/book-club/").html()
    assert still_there.select_one("h1").get_text(strip=True) == "Book Club Returns"


def test_head_sends_headers_only(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    status, headers, body = raw_request(
        server.port,
        f"HEAD /posts/book-club/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert status == 200
    assert int(headers["content-length"]) > 0
    assert body == b""


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1:{other}",
        "",
    ],
)
def test_a_foreign_host_header_is_refused(served: tuple[PreviewServer, Path], host: str) -> None:
    """A page on another site that points its own name at 127.0.0.1 (DNS rebinding)."""
    server, _ = served
    name = host.format(port=server.port, other=server.port + 1)
    for target in ("/posts/book-club/", "/_sitegen/wait?build=-1", "/_sitegen/reload.js"):
        status, body = raw_get(server.port, target, host=name)
        assert status == 403, target
        assert b"Book Club" not in body and b"build" not in body


def test_a_request_without_host_is_refused(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    status, _, _ = raw_request(server.port, b"GET / HTTP/1.0\r\n\r\n")
    assert status == 403


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_server_own_names_are_accepted(served: tuple[PreviewServer, Path], host: str) -> None:
    server, _ = served
    status, _ = raw_get(server.port, "/", host=host.format(port=server.port))
    assert status == 200


@pytest.mark.parametrize("path", ["/files/", "/files", "/static/", "/static/files/", "/content/"])
def test_no_directory_listings(served: tuple[PreviewServer, Path], path: str) -> None:
    server, _ = served
    response = get(server, path)
    assert response.status == 404
    page = response.html()
    assert not [a for a in page.select("a[href]") if "hours.txt" in a["href"]]
    assert "hours.txt" not in page.get_text()


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "//evil.example",
        "//evil.example/posts",
        "///evil.example/posts",
        "//posts",
        "//posts/book-club",
        "/%2f%2fevil.example/posts",
        "/%2F/evil.example",
        "/%5c%5cevil.example/posts",
        "/\\\\evil.example/posts",
        "/posts//evil.example",
    ],
)
def test_double_slash_paths_never_redirect_off_site(
    served: tuple[PreviewServer, Path], target: str
) -> None:
    server, _ = served
    status, headers, _ = raw_request(
        server.port,
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert status in (301, 400, 404)
    location = headers.get("location", "/")
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    assert "evil" not in location


def test_several_clients_at_once(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    paths = ["/", "/posts/book-club/", "/about/", "/files/hours.txt", "/feed.xml", "/nope/"]
    expected = {"/nope/": 404}
    build = current_build(server)
    # A tab waiting for a rebuild holds a connection open all the while.
    long_poll = threading.Thread(
        target=get, args=(server, f"/_sitegen/wait?build={build}"), daemon=True
    )
    long_poll.start()
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda path: (path, get(server, path)), paths * 16))
    assert long_poll.is_alive()
    for path, response in responses:
        assert response.status == expected.get(path, 200), path
    bodies: dict[str, set[bytes]] = {}
    for path, response in responses:
        bodies.setdefault(path, set()).add(response.body)
    assert {path: len(found) for path, found in bodies.items()} == dict.fromkeys(paths, 1)


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)) + b"\r\n\r\n",
        b"\xff\xfe\xfd\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/1.1 extra words\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header line\r\n\r\n",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\n",  # never finished
        b"",
    ],
)
def test_a_malformed_request_does_not_stop_the_server(
    served: tuple[PreviewServer, Path], garbage: bytes
) -> None:
    server, _ = served
    status, _, _ = raw_request(server.port, garbage)
    assert status != 200
    assert get(server, "/posts/book-club/").status == 200


def test_a_busy_port_is_a_clear_error_naming_port_option(root: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SiteError) as caught:
            PreviewServer(root, port=port, clock=lambda: NOW).start()
    text = caught.value.format()
    assert f"Port {port} is already in use" in text
    assert re.search(r"--port \d+", text)
