"""`fetch_highlights` end to end: fixture feeds on a real server on 127.0.0.1 → highlight
files in a site folder, the state file, and the report. Every failure mode keeps a source's
last good entries.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from feed_server import (
    PNG,
    SVG_AS_PNG,
    FeedServer,
    Source,
    fetch,
    front_value,
    highlight_files,
    site_with_sources,
)

from sitegen.errors import SiteError
from sitegen.fetch import Limits
from sitegen.fetch.state import STATE_FILE


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def state(root: Path) -> dict:
    return json.loads((root / "content" / "highlights" / STATE_FILE).read_text("utf-8"))


def snapshot(root: Path) -> dict[str, bytes]:
    folder = root / "content" / "highlights"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_every_format_becomes_highlight_files(server: FeedServer, tmp_path: Path) -> None:
    server.serve("/images/ducks.png", body=PNG, content_type="image/png")
    server.serve("/images/snow.png", body=PNG, content_type="image/png")
    root = site_with_sources(
        tmp_path,
        [
            Source("library", server.serve_fixture("/rss2.xml", "rss2.xml")),
            Source("history", server.serve_fixture("/rss1.xml", "rss1.xml")),
            Source("gazette", server.serve_fixture("/atom.xml", "atom.xml"), "review"),
            Source("parks", server.serve_fixture("/json1.json", "jsonfeed1.json")),
            Source("book-club", server.serve_fixture("/json11.json", "jsonfeed11.json"), "review"),
        ],
    )
    report = fetch(root)
    assert report.exit_code == 0
    assert [(s.id, s.result, s.new) for s in report.sources] == [
        ("library", "fetched", 3),
        ("history", "fetched", 2),
        ("gazette", "fetched", 2),
        ("parks", "fetched", 2),
        ("book-club", "fetched", 2),
    ]
    assert report.pending == 4
    files = highlight_files(root)
    assert len(files) == 11
    statuses = {path.split("/")[0]: front_value(text, "status") for path, text in files.items()}
    assert statuses == {
        "library": "approved",
        "history": "approved",
        "gazette": "pending",
        "parks": "approved",
        "book-club": "pending",
    }
    cafe = next(text for path, text in files.items() if "repair-cafe" in path)
    assert front_value(cafe, "title") == "Teens build a free repair café at the library"
    assert front_value(cafe, "url") == server.url("/blog/2026/11/repair-cafe")
    assert front_value(cafe, "author") == "Ana Reyes"
    assert front_value(cafe, "date") == "2026-11-21 11:00"  # Chicago time
    assert front_value(cafe, "source") == "gazette"
    assert f'href="{server.url("/blog/2026/11/teen-tech")}"' in cafe
    ducks = next(text for path, text in files.items() if "ducks" in path)
    assert front_value(ducks, "image").startswith("images/")
    assert front_value(ducks, "image").endswith(".png")
    assert (root / "content" / "highlights" / front_value(ducks, "image")).read_bytes() == PNG


def test_a_second_fetch_with_etag_costs_nothing(server: FeedServer, tmp_path: Path) -> None:
    url = server.serve_fixture("/feed.xml", "rss1.xml", etag='"abc"')
    root = site_with_sources(tmp_path, [Source("history", url)])
    assert fetch(root).sources[0].result == "fetched"
    before = snapshot(root)
    report = fetch(root)
    assert (report.sources[0].result, report.sources[0].kept) == ("not modified", 2)
    assert report.exit_code == 0
    assert snapshot(root) == before  # a quiet fetch leaves git clean
    assert server.requested("/feed.xml")[1].headers["If-None-Match"] == '"abc"'


def test_last_modified_is_sent_back(server: FeedServer, tmp_path: Path) -> None:
    stamp = "Wed, 25 Nov 2026 12:00:00 GMT"
    url = server.serve_fixture("/feed.xml", "rss1.xml", headers={"Last-Modified": stamp})
    root = site_with_sources(tmp_path, [Source("history", url)])
    fetch(root)
    fetch(root)
    assert server.requested("/feed.xml")[1].headers["If-Modified-Since"] == stamp
    assert state(root)["sources"]["history"]["last_modified"] == stamp


def test_a_changed_feed_address_starts_without_validators(
    server: FeedServer, tmp_path: Path
) -> None:
    old = server.serve_fixture("/old.xml", "rss1.xml", etag='"abc"')
    root = site_with_sources(tmp_path, [Source("history", old)])
    fetch(root)
    new = server.serve_fixture("/new.xml", "rss1.xml", etag='"abc"')
    site_with_sources(tmp_path, [Source("history", new)])
    assert fetch(root).sources[0].result == "fetched"
    assert "If-None-Match" not in server.requested("/new.xml")[0].headers


FAILURES = {
    "not found": ({"status": 404, "body": b"gone"}, "the server answered 404"),
    "server error": ({"status": 500, "body": b"oops"}, "the server answered 500"),
    "timeout": ({"delay": 3.0}, "did not answer within 0.5 s"),
    "slow drip": ({"drip": 0.05}, "took longer than the 2 s allowed"),
    "web page": (
        {"body": b"<!DOCTYPE html><html><body>Moved</body></html>", "content_type": "text/html"},
        "a web page, not a feed",
    ),
    "empty": ({"body": b""}, "the response was empty"),
    "truncated": ("truncated", "not well-formed XML"),
    "entity bomb": ("bomb", "declares its own entities"),
    "oversized": ({"body": b"<rss>" + b" " * (300 * 1024) + b"</rss>"}, "larger than 256 KB"),
    "wrong encoding": (
        {"body": '<?xml version="1.0" encoding="utf-8"?><rss>\xe9</rss>'.encode("latin-1")},
        "not readable text in utf-8",
    ),
    "redirect loop": ({"location": "/feed.xml"}, "redirects in a loop"),
}


@pytest.mark.parametrize("mode", list(FAILURES))
def test_a_source_that_fails_after_a_success_keeps_its_entries(
    server: FeedServer, tmp_path: Path, mode: str
) -> None:
    url = server.serve_fixture("/feed.xml", "rss2.xml")
    good_body = server.routes["/feed.xml"].body
    root = site_with_sources(tmp_path, [Source("library", url)])
    assert fetch(root).sources[0].new == 3
    before = highlight_files(root)

    options, words = FAILURES[mode]
    if options == "truncated":
        server.serve("/feed.xml", body=good_body[: len(good_body) * 2 // 3])
    elif options == "bomb":
        server.serve_fixture("/feed.xml", "billion-laughs.xml")
    else:
        server.serve("/feed.xml", **{"body": good_body, **options})
    report = fetch(root)
    line = report.sources[0]
    assert (line.result, line.new, line.updated, line.kept) == ("failed", 0, 0, 3)
    assert words in line.reason
    assert report.exit_code == 1
    assert highlight_files(root) == before
    assert state(root)["sources"]["library"]["failing_since"] == "2026-12-01T15:00:00+00:00"
    assert words in report.table()
    assert "its 3 entries are kept" in report.table()

    server.serve("/feed.xml", body=good_body)
    recovered = fetch(root)
    assert recovered.exit_code == 0
    assert "failing_since" not in state(root)["sources"]["library"]


def test_one_failing_source_does_not_stop_the_others(server: FeedServer, tmp_path: Path) -> None:
    root = site_with_sources(
        tmp_path,
        [
            Source("history", server.serve_fixture("/rss1.xml", "rss1.xml")),
            Source("broken", server.serve("/broken.xml", status=500, body=b"")),
            Source("parks", server.serve_fixture("/json1.json", "jsonfeed1.json")),
        ],
    )
    report = fetch(root)
    assert [(s.id, s.result) for s in report.sources] == [
        ("history", "fetched"),
        ("broken", "failed"),
        ("parks", "fetched"),
    ]
    assert report.exit_code == 1
    assert len(highlight_files(root)) == 4


def test_sources_are_fetched_at_the_same_time(server: FeedServer, tmp_path: Path) -> None:
    sources = [
        Source(f"slow-{n}", server.serve(f"/slow-{n}.xml", body=b"<rss version='2.0'/>", delay=0.4))
        for n in range(5)
    ]
    root = site_with_sources(tmp_path, sources)
    started = time.monotonic()
    report = fetch(root)
    assert time.monotonic() - started < 1.2  # one after another would take 2 s
    assert {s.result for s in report.sources} == {"fetched"}


def test_the_whole_fetch_has_a_deadline(server: FeedServer, tmp_path: Path) -> None:
    sources = [
        Source(f"drip-{n}", server.serve(f"/drip-{n}.xml", body=b"<rss>" + b" " * 400, drip=0.1))
        for n in range(3)
    ]
    root = site_with_sources(tmp_path, sources)
    limits = Limits(
        connect_timeout=1, read_timeout=0.5, source_seconds=30, total_seconds=1.0, parallel=2
    )
    started = time.monotonic()
    report = fetch(root, limits=limits)
    assert time.monotonic() - started < 2.5
    assert {s.result for s in report.sources} == {"failed"}


def test_only_the_named_source_is_fetched(server: FeedServer, tmp_path: Path) -> None:
    root = site_with_sources(
        tmp_path,
        [
            Source("history", server.serve_fixture("/rss1.xml", "rss1.xml")),
            Source("parks", server.serve_fixture("/json1.json", "jsonfeed1.json")),
        ],
    )
    report = fetch(root, only=("parks",))
    assert [s.id for s in report.sources] == ["parks"]
    assert server.requested("/rss1.xml") == []


def test_an_unknown_source_id_is_an_error_with_a_suggestion(
    server: FeedServer, tmp_path: Path
) -> None:
    root = site_with_sources(tmp_path, [Source("history", server.url("/rss1.xml"))])
    with pytest.raises(SiteError) as caught:
        fetch(root, only=("histroy",))
    assert caught.value.problems[0].message == (
        '"histroy" is not a highlight source in site.yaml. Did you mean "history"?'
    )


def test_a_site_without_sources_has_nothing_to_fetch(tmp_path: Path) -> None:
    # A new site's daily fetch job must not fail before anyone has added a feed.
    root = site_with_sources(tmp_path, [])
    report = fetch(root)
    assert (report.sources, report.exit_code) == ((), 0)
    assert report.table().startswith("There are no highlight sources in site.yaml")


def test_private_addresses_are_refused_unless_the_site_allows_them(
    server: FeedServer, tmp_path: Path
) -> None:
    url = server.serve_fixture("/rss1.xml", "rss1.xml")
    root = site_with_sources(tmp_path, [Source("history", url)], allow_private=False)
    report = fetch(root)
    assert report.sources[0].result == "failed"
    assert "127.0.0.1 is this computer (loopback)" in report.sources[0].reason
    assert server.requested("/rss1.xml") == []


def test_images_are_fetched_once_and_checked(server: FeedServer, tmp_path: Path) -> None:
    server.serve("/images/ducks.png", body=PNG, content_type="image/png")
    url = server.serve_fixture("/feed.xml", "rss2.xml")
    root = site_with_sources(tmp_path, [Source("library", url)])
    fetch(root)
    # A new entry reusing the picture: no second download.
    body = server.routes["/feed.xml"].body.replace(b"113200000000000001", b"113200000000000009")
    server.serve("/feed.xml", body=body)
    report = fetch(root)
    assert report.sources[0].new == 1
    assert len(server.requested("/images/ducks.png")) == 1
    images = list((root / "content" / "highlights" / "images").iterdir())
    assert [image.suffix for image in images] == [".png"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (SVG_AS_PNG, "image/png"),
        (b"<html>not a picture</html>", "image/jpeg"),
        (PNG + b"\0" * (20 * 1024), "image/png"),  # over the 16 KB test cap
    ],
)
def test_a_picture_that_is_not_a_safe_image_is_left_out(
    server: FeedServer, tmp_path: Path, body: bytes, content_type: str
) -> None:
    server.serve("/images/ducks.png", body=body, content_type=content_type)
    root = site_with_sources(tmp_path, [Source("library", server.serve_fixture("/f", "rss2.xml"))])
    report = fetch(root)
    assert report.exit_code == 0
    assert not (root / "content" / "highlights" / "images").exists()
    ducks = next(text for path, text in highlight_files(root).items() if "ducks" in path)
    assert front_value(ducks, "image") == ""


def test_an_external_dtd_is_never_requested(server: FeedServer, tmp_path: Path) -> None:
    root = site_with_sources(
        tmp_path,
        [
            Source("old", server.serve_fixture("/old.xml", "external-dtd.xml")),
            Source("xxe", server.serve_fixture("/xxe.xml", "xxe-url.xml")),
        ],
    )
    report = fetch(root)
    assert [s.result for s in report.sources] == ["fetched", "failed"]
    assert server.requested("/xxe/") == []


def test_the_report_table(server: FeedServer, tmp_path: Path) -> None:
    root = site_with_sources(
        tmp_path,
        [
            Source("history", server.serve_fixture("/rss1.xml", "rss1.xml", etag='"1"')),
            Source("gazette", server.serve_fixture("/atom.xml", "atom.xml"), "review"),
        ],
    )
    fetch(root)
    server.serve("/atom.xml", status=503, body=b"")
    table = fetch(root).table().splitlines()
    assert table[:4] == [
        "source   result        new  updated  kept",
        "-------  ------------  ---  -------  ----",
        "history  not modified    0        0     2",
        "gazette  failed          0        0     2",
    ]
    assert table[5].startswith("  gazette: failed: the server answered 503 Service Unavailable (")
    assert table[-1].startswith("2 source(s) in ")
    assert table[-1].endswith("1 not modified, 1 failed.")
