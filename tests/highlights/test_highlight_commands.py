"""`sitegen fetch` and `sitegen review`, called in-process: what they print, their exit codes,
and the one line of a file a decision changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NOW
from feed_server import FeedServer, Source, front_value, highlight_files, site_with_sources

from sitegen.build import build_site
from sitegen.cli import main


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def fetched(server: FeedServer, tmp_path: Path) -> Path:
    """A site with a trusted feed (published at once) and a review feed (waiting)."""
    root = site_with_sources(
        tmp_path / "site",
        [
            Source("history", server.serve_fixture("/rss1.xml", "rss1.xml")),
            Source("book-club", server.serve_fixture("/json11.json", "jsonfeed11.json"), "review"),
        ],
    )
    assert main(["fetch", "--site", str(root)]) == 0
    return root


def review(root: Path, *args: str) -> int:
    return main(["review", "--site", str(root), *args])


def pending_ids(root: Path) -> list[str]:
    return [
        path.removesuffix(".md").rsplit("-", 1)[1]
        for path, text in highlight_files(root).items()
        if front_value(text, "status") == "pending"
    ]


def test_fetch_prints_the_report_and_exits_0(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = site_with_sources(
        tmp_path, [Source("history", server.serve_fixture("/rss1.xml", "rss1.xml"))]
    )
    assert main(["fetch", "--site", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["source", "result", "new", "updated", "kept"]
    assert out[2].split() == ["history", "fetched", "2", "0", "0"]
    user_agent = server.requested("/rss1.xml")[0].headers["User-Agent"]
    assert user_agent.startswith("sitegen/")
    assert "https://library.example.org/" in user_agent


def test_fetch_exits_1_when_a_source_fails_and_keeps_its_entries(
    server: FeedServer, fetched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = highlight_files(fetched)
    server.serve("/rss1.xml", status=500, body=b"")
    assert main(["fetch", "--site", str(fetched)]) == 1
    out = capsys.readouterr().out
    assert "history: failed: the server answered 500 Internal Server Error" in out
    assert "its 2 entries are kept" in out
    assert highlight_files(fetched) == before


def test_fetch_one_source(
    server: FeedServer, fetched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch", "--site", str(fetched), "--source", "history"]) == 0
    assert "book-club" not in capsys.readouterr().out


def test_fetch_an_unknown_source_exits_1(fetched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--site", str(fetched), "--source", "book-clb"]) == 1
    assert 'Did you mean "book-club"?' in capsys.readouterr().err


def test_review_lists_what_waits(fetched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert review(fetched) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2 highlight(s) wait for review:"
    ids = pending_ids(fetched)
    notes, pick = lines[2].split(), lines[4].split()  # oldest first
    assert notes[1:3] == ["book-club", "2026-11-16"]
    assert " ".join(pick[1:]) == "book-club 2026-11-25 December pick: The Snow Child"
    assert sorted([notes[0], pick[0]]) == sorted(ids)
    assert lines[5].strip().endswith("/bookclub/december-pick")


def test_approve_by_id_changes_one_line_and_publishes(
    fetched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = highlight_files(fetched, "book-club")
    path, before = next((p, t) for p, t in files.items() if "december-pick" in p)
    short = path.removesuffix(".md").rsplit("-", 1)[1]
    assert review(fetched, "approve", short) == 0
    assert capsys.readouterr().out.startswith("approved: content/highlights/book-club/")
    after = (fetched / "content" / "highlights" / path).read_text("utf-8")
    assert after == before.replace("status: pending", "status: approved")
    result = build_site(fetched, now=NOW)
    listing = (result.output_dir / "highlights" / "index.html").read_text("utf-8")
    assert "December pick: The Snow Child" in listing
    assert "Notes from our November meeting" not in listing


def test_a_decision_made_with_review_survives_a_fetch(server: FeedServer, fetched: Path) -> None:
    short = pending_ids(fetched)[0]
    assert review(fetched, "hide", short) == 0
    hidden = highlight_files(fetched)
    assert main(["fetch", "--site", str(fetched)]) == 0
    assert highlight_files(fetched) == hidden


def test_approve_all(fetched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert review(fetched, "approve", "--all") == 0
    assert pending_ids(fetched) == []
    assert review(fetched) == 0
    assert capsys.readouterr().out.endswith("No highlights wait for review.\n")


def test_hide_by_path(fetched: Path) -> None:
    path = next(p for p in highlight_files(fetched, "book-club") if "november" in p)
    assert review(fetched, "hide", f"content/highlights/{path}") == 0
    text = (fetched / "content" / "highlights" / path).read_text("utf-8")
    assert front_value(text, "status") == "hidden"


def test_an_unknown_id_changes_nothing(fetched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = highlight_files(fetched)
    good = pending_ids(fetched)[0]
    assert review(fetched, "approve", good, good[:-1] + "x") == 1
    err = capsys.readouterr().err
    assert f'There is no highlight "{good[:-1]}x". Did you mean "{good}"?' in err
    assert highlight_files(fetched) == before


def test_an_ambiguous_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = site_with_sources(tmp_path, [])
    for folder in ("a", "b"):
        file = root / "content" / "highlights" / folder / "mural.md"
        file.parent.mkdir(parents=True)
        file.write_text("---\ntitle: Mural\nurl: https://a.example/1\nstatus: pending\n---\n")
    assert review(root, "approve", "mural") == 1
    assert '"mural" names more than one highlight' in capsys.readouterr().err
    assert review(root, "approve", "a/mural") == 0


def test_a_status_line_is_added_when_missing(tmp_path: Path) -> None:
    root = site_with_sources(tmp_path, [])
    file = root / "content" / "highlights" / "mural.md"
    file.parent.mkdir(parents=True)
    file.write_bytes(b"---\r\ntitle: Mural\r\nurl: https://a.example/1\r\n---\r\nText.\r\n")
    assert review(root, "hide", "mural") == 0
    assert file.read_bytes() == (
        b"---\r\ntitle: Mural\r\nurl: https://a.example/1\r\nstatus: hidden\r\n---\r\nText.\r\n"
    )


@pytest.mark.parametrize("args", [["approve"], ["hide"], ["--all"], ["publish", "x"]])
def test_review_usage_errors_exit_2(fetched: Path, args: list[str]) -> None:
    assert review(fetched, *args) == 2


def test_a_title_cannot_steer_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = site_with_sources(tmp_path, [])
    file = root / "content" / "highlights" / "x.md"
    file.parent.mkdir(parents=True)
    file.write_text(
        '---\ntitle: "Hi\\u001b]0;owned\\u0007\\u001b[2J"\nurl: https://a.example/1\n'
        "status: pending\n---\n"
    )
    assert review(root) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
