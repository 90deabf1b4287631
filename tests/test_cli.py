"""The `sitegen` command, called in-process: exit codes, what it prints, and what it writes."""

from __future__ import annotations

import gc
import hashlib
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import write_files

import sitegen
from sitegen import cli
from sitegen.cli import main

NOW = "2026-12-01T09:00:00-06:00"
SUMMARY = re.compile(r"Built (\d+) pages and (\d+) feeds in \d+\.\d\d s → (.+)\.")

SITE = """
-- content/posts/2026-11-20-book-sale.md --
---
title: Book Sale
date: 2026-11-20
---
Hardcovers for a dollar.
-- content/pages/about.md --
---
title: About
---
Who we are.
"""

SCHEDULED = """
-- content/posts/2026-12-24-holiday-hours.md --
---
title: Holiday Hours
date: 2026-12-24 08:00
---
We close early.
"""

DRAFT = """
-- content/posts/2026-11-25-new-catalogue.md --
---
title: New Catalogue
date: 2026-11-25
draft: true
---
Coming soon.
"""

BROKEN = """
-- content/posts/2026-11-26-broken.md --
---
title: Broken
date: 2026-13-01
---
This post has a date that does not exist.
"""

SCRIPT = """
-- content/posts/2026-11-27-widget.md --
---
title: Widget
date: 2026-11-27
---
Our new widget:

<script>alert("hello")</script>
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", SITE)


def build(root: Path, *options: str) -> int:
    return main(["build", "--site", str(root), *options])


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: its hash and modification time."""
    return {
        path.relative_to(folder).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def post_titles(root: Path) -> list[str]:
    soup = BeautifulSoup((root / "public/posts/index.html").read_text("utf-8"), "html.parser")
    return sorted(link.get_text(strip=True) for link in soup.select(".post-card-title a"))


def epoch(text: str) -> str:
    return str(int(datetime.fromisoformat(text).timestamp()))


# --- usage ---


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"sitegen {sitegen.__version__}"


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["new", "--help"]])
def test_help_exits_0(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("usage: sitegen")


@pytest.mark.parametrize(
    "argv",
    [
        ["publish"],
        [],
        ["build", "--now", "2026-13-01T09:00"],
        ["build", "--colour"],
        ["new", "event-series", "Title"],
        ["init"],
    ],
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: sitegen" in capsys.readouterr().err


# --- build ---


def test_build_prints_one_summary_line(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(root, "--now", NOW) == 0

    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert len(lines) == 1
    match = SUMMARY.fullmatch(lines[0])
    assert match, lines[0]
    out = root / "public"
    assert Path(match[3]) == out
    assert int(match[1]) == len(list(out.rglob("*.html")))
    assert int(match[2]) == len(list(out.rglob("*.xml"))) - 1  # all but the sitemap
    assert (out / "posts/book-sale/index.html").is_file()


def test_build_names_the_next_scheduled_change(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(root, SCHEDULED)

    assert build(root, "--now", NOW) == 0

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert SUMMARY.fullmatch(lines[0])
    assert lines[1] == (
        'Next change: 2026-12-24 08:00 CST, when the post "Holiday Hours" goes live '
        "(content/posts/2026-12-24-holiday-hours.md)."
    )
    assert not (root / "public/posts/holiday-hours").exists()


def test_site_option_before_the_command(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--site", str(root), "build", "--now", NOW]) == 0

    assert (root / "public/index.html").is_file()
    assert SUMMARY.fullmatch(capsys.readouterr().out.strip())


def test_out_option(tmp_path: Path, root: Path) -> None:
    assert build(root, "--now", NOW, "--out", str(tmp_path / "www")) == 0

    assert (tmp_path / "www/index.html").is_file()
    assert not (root / "public").exists()


def test_verbose_prints_the_time_of_each_stage(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(root, "--now", NOW, "--verbose") == 0

    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        r"  config \d+\.\d\d s, read .*, plan .*, render and write \d+\.\d\d s", lines[0]
    )
    assert SUMMARY.fullmatch(lines[1])


def test_verbose_says_how_many_files_the_last_build_left_as_they_were(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(root, "--now", NOW, "--verbose") == 0
    assert "kept" not in capsys.readouterr().out  # a first build keeps nothing

    assert build(root, "--now", NOW, "--verbose") == 0
    kept = re.search(
        r"^  ([\d,]+) pages and feeds kept as the last build wrote them\.$",
        capsys.readouterr().out,
        re.MULTILINE,
    )
    assert kept is not None
    public = root / "public"
    pages_and_feeds = [p for p in public.rglob("*") if p.suffix in (".html", ".xml")]
    # Everything but the sitemap, which is always made again.
    assert int(kept.group(1).replace(",", "")) == len(pages_and_feeds) - 1


def test_source_date_epoch_fixes_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Far from the real clock both ways, so only SOURCE_DATE_EPOCH can explain what is shown.
    root = write_files(
        tmp_path / "site",
        """
        -- content/posts/2019-06-01-old-news.md --
        ---
        title: Old News
        date: 2019-06-01
        ---
        Then.
        -- content/posts/2040-06-01-far-future.md --
        ---
        title: Far Future
        date: 2040-06-01
        ---
        Later.
        -- content/posts/2041-06-01-further-future.md --
        ---
        title: Further Future
        date: 2041-06-01
        ---
        Much later.
        """,
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2020-01-01T00:00:00+00:00"))
    assert build(root) == 0
    assert post_titles(root) == ["Old News"]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2041-01-01T00:00:00+00:00"))
    assert build(root) == 0
    assert post_titles(root) == ["Far Future", "Old News"]

    # --now wins over the environment.
    assert build(root, "--now", "2042-01-01T00:00:00+00:00") == 0
    assert post_titles(root) == ["Far Future", "Further Future", "Old News"]


@pytest.mark.parametrize("value", ["yesterday", "2026-12-01", "1.5e9", "9" * 30])
def test_bad_source_date_epoch_is_a_clear_error(
    root: Path, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)

    assert build(root) == 1

    captured = capsys.readouterr()
    assert captured.err.startswith(
        f"site: SOURCE_DATE_EPOCH must be a number of seconds since 1970 ({value!r})."
    )
    assert "Traceback" not in captured.out + captured.err
    assert not (root / "public").exists()


def test_broken_post_exits_1_with_path_and_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(root, "--now", NOW) == 0
    before = tree(root / "public")
    capsys.readouterr()
    write_files(root, BROKEN)

    assert build(root, "--now", NOW) == 1

    captured = capsys.readouterr()
    first = captured.err.splitlines()[0]
    assert first.startswith('content/posts/2026-11-26-broken.md:3: "2026-13-01" is not a real date')
    assert "Traceback" not in captured.out + captured.err
    assert "not written" in captured.out
    assert not SUMMARY.search(captured.out)
    assert tree(root / "public") == before


def test_the_command_exits_with_the_code_main_gives(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """run() is the installed command. It leaves what the build made to the end of the
    process (frozen, so Python's last collection does not walk it)."""
    monkeypatch.setattr(sys, "argv", ["sitegen", "--site", str(root), "build", "--now", NOW])
    try:
        with pytest.raises(SystemExit) as exited:
            cli.run()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert exited.value.code == 0
    assert SUMMARY.search(capsys.readouterr().out)

    write_files(root, BROKEN)
    command = [sys.executable, "-m", "sitegen", "--site", str(root), "build", "--now", NOW]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("content/posts/2026-11-26-broken.md:3:")


def test_broken_post_with_debug_still_prints_problems_not_a_traceback(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(root, BROKEN)

    assert build(root, "--now", NOW, "--debug") == 1

    captured = capsys.readouterr()
    assert captured.err.startswith("content/posts/2026-11-26-broken.md:3: ")
    assert "Traceback" not in captured.err


def test_unexpected_error_is_one_line_unless_debug(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(cli, "build_site", explode)

    assert build(root, "--now", NOW) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "RuntimeError: the disk caught fire" in captured.err
    assert "--debug" in captured.err

    with pytest.raises(RuntimeError, match="the disk caught fire"):
        build(root, "--now", NOW, "--debug")


def test_strict_fails_on_a_warning_and_keeps_the_previous_site(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(root, "--now", NOW) == 0
    before = tree(root / "public")
    write_files(root, SCRIPT)
    capsys.readouterr()

    assert build(root, "--now", NOW, "--strict") == 1

    captured = capsys.readouterr()
    assert captured.err.startswith("content/posts/2026-11-27-widget.md:")
    assert "warning: Some HTML was removed" in captured.err
    assert "a <script> element" in captured.err
    assert tree(root / "public") == before

    # Without --strict the same warning is printed and the site is built.
    assert build(root, "--now", NOW) == 0
    captured = capsys.readouterr()
    assert "a <script> element" in captured.err
    assert (root / "public/posts/widget/index.html").is_file()


@pytest.mark.parametrize(
    ("options", "shown"),
    [
        ((), ["Book Sale"]),
        (("--drafts",), ["Book Sale", "New Catalogue"]),
        (("--future",), ["Book Sale", "Holiday Hours"]),
        (("--drafts", "--future"), ["Book Sale", "Holiday Hours", "New Catalogue"]),
    ],
)
def test_drafts_and_future_options(root: Path, options: tuple[str, ...], shown: list[str]) -> None:
    write_files(root, DRAFT + SCHEDULED)

    assert build(root, "--now", NOW, *options) == 0

    assert post_titles(root) == shown


# --- new ---


def test_new_post_prints_its_path_and_builds(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 20:00 in the site's time zone (America/Chicago) is already the next day in UTC.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-12-01T20:00:00-06:00"))

    assert main(["new", "post", "Story Time: Winter", "--site", str(root)]) == 0

    printed = Path(capsys.readouterr().out.strip())
    assert printed == root / "content/posts/2026-12-01-story-time-winter.md"
    text = printed.read_text(encoding="utf-8")
    assert 'title: "Story Time: Winter"' in text
    assert "date: 2026-12-01\n" in text

    assert build(root, "--drafts") == 0  # the new post is a draft until staff say otherwise
    page = BeautifulSoup(
        (root / "public/posts/story-time-winter/index.html").read_text("utf-8"), "html.parser"
    )
    assert page.select_one("h1").get_text(strip=True) == "Story Time: Winter"
    assert build(root) == 0
    assert not (root / "public/posts/story-time-winter").exists()


def test_new_post_never_overwrites(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-12-01T09:00:00-06:00"))
    assert main(["new", "post", "Story Time: Winter", "--site", str(root)]) == 0
    path = Path(capsys.readouterr().out.strip())
    path.write_text("---\ntitle: Edited by staff\ndate: 2026-12-01\n---\nMine.\n", "utf-8")
    before = tree(root)

    assert main(["new", "post", "Story Time: Winter", "--site", str(root)]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("content/posts/2026-12-01-story-time-winter.md: ")
    assert "exists already" in captured.err
    assert tree(root) == before


def test_new_page(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "page", "Visit Us", "--site", str(root)]) == 0

    printed = Path(capsys.readouterr().out.strip())
    assert printed == root / "content/pages/visit-us.md"
    assert build(root, "--now", NOW) == 0
    page = BeautifulSoup((root / "public/visit-us/index.html").read_text("utf-8"), "html.parser")
    assert page.select_one("h1").get_text(strip=True) == "Visit Us"

    assert main(["new", "page", "Visit Us", "--site", str(root)]) == 1
    assert "exists already" in capsys.readouterr().err


def test_new_outside_a_site_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "page", "Visit Us", "--site", str(tmp_path)]) == 1

    assert "There is no site.yaml" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_new_with_a_title_without_letters(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(root)

    assert main(["new", "post", "!!!", "--site", str(root)]) == 1

    assert "at least one letter or digit" in capsys.readouterr().err
    assert tree(root) == before


# --- init ---


def test_init_creates_a_site_that_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "riverbend"

    assert main(["init", str(site)]) == 0

    assert str(site) in capsys.readouterr().out
    for name in ("site.yaml", "netlify.toml", ".gitignore"):
        assert (site / name).is_file(), name
    assert list((site / "content/posts").glob("*.md"))
    assert build(site, "--now", NOW) == 0
    assert (site / "public/index.html").is_file()
    assert (site / "public/feed.xml").is_file()
    assert list((site / "public/assets").glob("*/css/style.css"))


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "site.yaml").is_file()


def test_init_refuses_a_folder_with_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "taken"
    (target / "content").mkdir(parents=True)
    (target / "notes.txt").write_text("keep me\n", encoding="utf-8")
    before = tree(tmp_path)
    before_entries = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    assert main(["init", str(target)]) == 1

    assert "not empty" in capsys.readouterr().err
    assert tree(tmp_path) == before
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before_entries


def test_init_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "site"
    target.write_text("a file\n", encoding="utf-8")

    assert main(["init", str(target)]) == 1

    assert capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "a file\n"


def _build_in_new_process(site: Path) -> str:
    """`sitegen build` in a fresh process: its exit code and which slow modules it imported."""
    script = (
        "import sys\nfrom sitegen.cli import main\n"
        f"code = main(['build', '--site', {str(site)!r}, '--now', '2026-02-01T09:00'])\n"
        "slow = ('icalendar', 'urllib.request', 'feedgen', 'lxml', 'importlib.metadata',"
        " 'multiprocessing')\n"
        "print(code, sorted(m for m in slow if m in sys.modules))"
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout.split("\n")[-2]


def test_a_build_without_events_or_fetching_leaves_slow_imports_out(tmp_path: Path) -> None:
    """A rebuild starts a new process, so imports count: icalendar and urllib.request (with
    ssl and http.client) take ~55 ms together and are loaded only when a build needs them;
    feedgen and lxml (~15 ms) only when a feed is made, not kept; importlib.metadata
    (~20 ms, package versions are read from folder names) and multiprocessing (for a
    large site's workers) not at all here."""
    write_files(
        tmp_path,
        """
        -- content/posts/a.md --
        ---
        title: A
        date: 2026-01-02
        ---
        Hello.
        """,
    )
    assert _build_in_new_process(tmp_path) == "0 ['feedgen', 'lxml']"
    assert _build_in_new_process(tmp_path) == "0 []"  # every feed kept
