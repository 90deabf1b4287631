"""Staff decisions survive re-fetches: approvals, hidden entries, pins, hand edits, deleted
files, entries a source dropped, and entries two sources share. The feed changes between
fetches; the files staff touched do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from feed_server import (
    FETCHED_AT,
    FeedServer,
    Source,
    fetch,
    front_value,
    highlight_files,
    site_with_sources,
)

from sitegen.fetch.state import STATE_FILE


@dataclass(frozen=True)
class Item:
    slug: str
    text: str
    date: str = "Tue, 24 Nov 2026 16:00:00 +0000"
    guid: str = ""


def rss(base: str, *items: Item) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>']
    for item in items:
        guid = f"<guid isPermaLink='false'>{item.guid}</guid>" if item.guid else ""
        date = f"<pubDate>{item.date}</pubDate>" if item.date else ""
        parts.append(
            f"<item><title>{item.slug.title()}</title><link>{base}/posts/{item.slug}</link>"
            f"{guid}{date}<description>&lt;p&gt;{item.text}&lt;/p&gt;</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def publish(server: FeedServer, path: str, *items: Item) -> str:
    return server.serve(path, body=rss(server.base, *items))


def only_file(root: Path, source: str = "") -> tuple[Path, str]:
    files = highlight_files(root, source)
    assert len(files) == 1, files
    (path, text), *_ = files.items()
    return root / "content" / "highlights" / path, text


def decide(file: Path, old: str, new: str) -> None:
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new), "utf-8")


def test_an_approval_survives_a_changed_entry(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/tag.xml", Item("mural", "The mural is finished."))
    root = site_with_sources(tmp_path, [Source("tag", url, "review")])
    fetch(root)
    file, text = only_file(root)
    assert front_value(text, "status") == "pending"
    decide(file, "status: pending", "status: approved")
    approved = file.read_text("utf-8")
    publish(server, "/tag.xml", Item("mural", "Edited later to say something else."))
    report = fetch(root)
    assert file.read_text("utf-8") == approved  # the version staff approved stays
    assert (report.sources[0].new, report.sources[0].updated, report.sources[0].kept) == (0, 0, 1)


def test_a_pending_entry_follows_its_source_until_reviewed(
    server: FeedServer, tmp_path: Path
) -> None:
    url = publish(server, "/tag.xml", Item("mural", "The mural is half done."))
    root = site_with_sources(tmp_path, [Source("tag", url, "review")])
    fetch(root)
    publish(server, "/tag.xml", Item("mural", "The mural is finished."))
    report = fetch(root)
    _file, text = only_file(root)
    assert report.sources[0].updated == 1
    assert "The mural is finished." in text
    assert front_value(text, "status") == "pending"


@pytest.mark.parametrize("trust", ["auto", "review"])
def test_a_hidden_entry_stays_hidden(server: FeedServer, tmp_path: Path, trust: str) -> None:
    url = publish(server, "/feed.xml", Item("rant", "Something staff chose not to publish."))
    root = site_with_sources(tmp_path, [Source("feed", url, trust)])
    fetch(root)
    file, text = only_file(root)
    decide(file, f"status: {front_value(text, 'status')}", "status: hidden")
    hidden = file.read_text("utf-8")
    publish(server, "/feed.xml", Item("rant", "Reworded, hoping to get back in."))
    report = fetch(root)
    assert file.read_text("utf-8") == hidden
    assert "1 hidden by staff, left hidden" in report.sources[0].notes


def test_a_staff_edit_is_never_overwritten(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/feed.xml", Item("levy", "The levy passed."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    file, _ = only_file(root)
    decide(file, 'title: "Levy"', 'title: "Voters say yes to the library levy"')
    edited = file.read_text("utf-8")
    publish(server, "/feed.xml", Item("levy", "The levy passed with 61% of the vote."))
    report = fetch(root)
    assert file.read_text("utf-8") == edited
    assert "1 edited by staff, left as they are" in report.sources[0].notes


def test_an_auto_entry_is_updated_and_keeps_its_pin(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/feed.xml", Item("hours", "Open until 5."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    file, _ = only_file(root)
    decide(file, "pinned: false", "pinned: true")
    publish(server, "/feed.xml", Item("hours", "Open until 6 on Thursdays."))
    report = fetch(root)
    text = file.read_text("utf-8")
    assert report.sources[0].updated == 1
    assert "Open until 6 on Thursdays." in text
    assert front_value(text, "pinned") == "true"
    assert front_value(text, "status") == "approved"


def test_an_unchanged_feed_changes_no_file(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/feed.xml", Item("a", "One."), Item("b", "Two."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    before = highlight_files(root)
    state = (root / "content" / "highlights" / STATE_FILE).read_text("utf-8")
    report = fetch(root, now=FETCHED_AT + timedelta(hours=1))
    assert (report.sources[0].new, report.sources[0].updated, report.sources[0].kept) == (0, 0, 2)
    assert highlight_files(root) == before
    assert (root / "content" / "highlights" / STATE_FILE).read_text("utf-8") == state


def test_a_deleted_file_is_not_brought_back(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/feed.xml", Item("spam", "Buy now."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    file, _ = only_file(root)
    file.unlink()
    report = fetch(root)
    assert highlight_files(root) == {}
    assert "1 deleted by staff, not brought back" in report.sources[0].notes


def test_entries_a_source_dropped_are_kept(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/feed.xml", Item("old", "Old news."), Item("older", "Older news."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    publish(server, "/feed.xml", Item("new", "Fresh news."))
    report = fetch(root)
    assert (report.sources[0].new, report.sources[0].kept) == (1, 2)
    assert len(highlight_files(root)) == 3


def test_an_entry_two_sources_share_is_stored_once_trusted_source_first(
    server: FeedServer, tmp_path: Path
) -> None:
    shared = Item("storytime", "Storytime by the river.")
    hashtag = publish(server, "/hashtag.xml", shared, Item("patron", "A patron's post."))
    library = publish(server, "/library.xml", shared)
    root = site_with_sources(
        tmp_path, [Source("hashtag", hashtag, "review"), Source("library", library, "auto")]
    )
    report = fetch(root)
    files = highlight_files(root)
    assert sorted(path.split("/")[0] for path in files) == ["hashtag", "library"]
    storytime = next(text for path, text in files.items() if "storytime" in path)
    assert front_value(storytime, "source") == "library"
    assert front_value(storytime, "status") == "approved"
    hashtag_line = report.sources[0]
    assert hashtag_line.new == 1
    assert "1 already on the site from another source" in hashtag_line.notes


def test_the_same_feed_id_under_a_new_address_is_the_same_entry(
    server: FeedServer, tmp_path: Path
) -> None:
    url = publish(server, "/feed.xml", Item("draft-title", "Text.", guid="post-17"))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    publish(server, "/feed.xml", Item("final-title", "Text, revised.", guid="post-17"))
    report = fetch(root)
    file, text = only_file(root)
    assert report.sources[0].updated == 1
    assert front_value(text, "url") == server.url("/posts/final-title")
    assert "draft-title" in file.name  # the file keeps its name


def test_without_the_state_file_existing_files_are_left_alone(
    server: FeedServer, tmp_path: Path
) -> None:
    url = publish(server, "/feed.xml", Item("a", "One."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    (root / "content" / "highlights" / STATE_FILE).unlink()
    file, text = only_file(root)
    publish(server, "/feed.xml", Item("a", "One, changed."))
    report = fetch(root)
    assert file.read_text("utf-8") == text  # no record of what fetch wrote: treated as edited
    assert report.sources[0].new == 0
    assert len(highlight_files(root)) == 1


def test_windows_line_endings_are_not_an_edit(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/feed.xml", Item("a", "One."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    file, text = only_file(root)
    file.write_bytes(text.replace("\n", "\r\n").encode())  # git with autocrlf
    publish(server, "/feed.xml", Item("a", "One, changed."))
    assert fetch(root).sources[0].updated == 1
    assert "One, changed." in file.read_text("utf-8")


def test_hand_written_highlights_are_never_touched(server: FeedServer, tmp_path: Path) -> None:
    url = publish(server, "/feed.xml", Item("a", "One."))
    root = site_with_sources(tmp_path, [Source("feed", url)])
    curated = root / "content" / "highlights" / "mayor-visit.md"
    curated.parent.mkdir(parents=True)
    curated.write_text(f'---\ntitle: "Mayor visits"\nurl: "{server.url("/posts/a")}"\n---\n')
    fetch(root)
    fetch(root)
    assert (
        curated.read_text() == f'---\ntitle: "Mayor visits"\nurl: "{server.url("/posts/a")}"\n---\n'
    )


def test_future_and_missing_dates_get_the_time_first_seen(
    server: FeedServer, tmp_path: Path
) -> None:
    url = publish(
        server,
        "/feed.xml",
        Item("future", "From 2100.", date="Fri, 01 Jan 2100 00:00:00 +0000"),
        Item("undated", "No date at all.", date=""),
    )
    root = site_with_sources(tmp_path, [Source("feed", url)])
    fetch(root)
    first = highlight_files(root)
    assert {front_value(text, "date") for text in first.values()} == {"2026-12-01 09:00"}
    fetch(root, now=FETCHED_AT + timedelta(days=3))
    assert highlight_files(root) == first  # stable: the date is not "now" on every fetch
