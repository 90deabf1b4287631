"""Incremental builds are never different from cold ones: random edits, then every kind of build.

After each edit of a small site, a build with the on-disk cache into a folder kept across the
edits, and the preview server's in-memory rebuild, must give exactly the bytes of a cold build
into a fresh folder. Then the cache's own failure modes: another version's, or a damaged one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import sitegen.cache
from sitegen.build import BuildResult, build_site
from sitegen.cache import CACHE_DIR
from sitegen.errors import Severity
from sitegen.render.themes import packaged_themes_dir
from sitegen.serve import PreviewServer
from sitegen.serve.server import file_bytes
from sitegen.write import MARKER
from tests.conftest import NOW, file_tree, write_files

# --- the site, as data -----------------------------------------------------------------------

SNIPPETS = [
    "A plain paragraph about the library.",
    "## Opening hours\n\nWe open at nine.",
    "- one\n- two\n- three",
    "See [the news](/posts/) and [the county](https://example.org/).",
    "```python\nprint('storytime')\n```",
    "| Day | Room |\n| --- | --- |\n| Monday | 2 |",
    "<!-- more -->",
    "Text with <b>bold</b> and <script>alert(1)</script> in it.",
    "A footnote[^1].\n\n[^1]: The note.",
]
TAGS = ["news", "kids", "Book Club", "book club", "teens"]
# A template copied into the site's themes/default/templates/ and changed; None: no copy.
TEMPLATES = [
    (
        "partials/tags.html",
        '{% for tag in tags %}<a class="v0" href="{{ tag.url | url }}">{{ tag.name }}</a>'
        "{% endfor %}",
    ),
    (
        "partials/tags.html",
        '{% for tag in tags %}<span class="v1">{{ tag.name }}</span>{% endfor %}',
    ),
    ("partials/tags.html", "<p>No topics shown.</p>"),
    # On each page of a tag, every post of the tag, not only the page's (see TermView).
    (
        "partials/pagination.html",
        '{% if term is defined %}<p class="v3">'
        '{{ term.posts | map(attribute="title") | join("/") }}</p>{% endif %}',
    ),
]


@dataclass
class PostFile:
    title: str
    day: date
    tags: list[str]
    body: str
    block_tags: bool = False  # tags one a line: the body starts further down the file
    dated: bool = False  # a file name that starts with the date
    stem: str = ""

    def text(self) -> str:
        if self.block_tags:
            tags = "tags:\n" + "".join(f"  - {tag}\n" for tag in self.tags) if self.tags else ""
        else:
            tags = f"tags: [{', '.join(self.tags)}]\n"
        return (
            f"---\ntitle: {json.dumps(self.title)}\ndate: {self.day.isoformat()}\n{tags}---\n"
            f"{self.body}\n"
        )


@dataclass
class EventFile:
    title: str
    day: int  # days from NOW: some are past, some upcoming, and the clock moves past them
    hour: int
    weekly: bool = False
    stem: str = ""

    def text(self) -> str:
        start = (NOW.date() + timedelta(days=self.day)).isoformat()
        repeat = "repeat: FREQ=WEEKLY;COUNT=3\n" if self.weekly else ""
        return (
            f"---\ntitle: {json.dumps(self.title)}\nstart: {start} {self.hour:02d}:30\n"
            f"{repeat}---\nSongs and stories.\n"
        )


# The packaged footer with the build's clock in it: a template that reads site.now, copied into
# the site's themes/default/ or not.
CLOCK_FOOTER = (
    (packaged_themes_dir() / "default/templates/partials/footer.html")
    .read_text(encoding="utf-8")
    .replace("</footer>", '<p class="built">Built {{ site.now }}</p>\n</footer>')
)


@dataclass
class SiteState:
    root: Path
    posts: list[PostFile] = field(default_factory=list)
    title: str = "Test Library"
    per_page: int = 2
    template: int | None = None
    clock: datetime = NOW
    names: int = 0
    events: list[EventFile] = field(default_factory=list)
    clock_footer: bool = False
    base_path: str = ""  # a site served below its origin: links in posts get the path too

    def write_config(self) -> None:
        (self.root / "site.yaml").write_text(
            f"title: {json.dumps(self.title)}\nurl: https://library.example.org{self.base_path}/\n"
            f"timezone: America/Chicago\nper_page: {self.per_page}\n",
            encoding="utf-8",
        )

    def write_post(self, post: PostFile) -> None:
        self.post_file(post).write_text(post.text(), encoding="utf-8")

    def post_file(self, post: PostFile) -> Path:
        return self.root / "content" / "posts" / f"{post.stem}.md"

    def new_stem(self, day: date, dated: bool) -> str:
        self.names += 1
        return f"{day.isoformat()}-post-{self.names}" if dated else f"post-{self.names}"

    def event_file(self, event: EventFile) -> Path:
        return self.root / "content" / "events" / f"{event.stem}.md"

    def write_event(self, event: EventFile) -> None:
        file = self.event_file(event)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(event.text(), encoding="utf-8")

    def write_clock_footer(self) -> Path:
        file = self.root / "themes/default/templates/partials/footer.html"
        if self.clock_footer:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(CLOCK_FOOTER, encoding="utf-8")
        else:
            file.unlink(missing_ok=True)
        return file

    def write_template(self) -> list[Path]:
        """The template variant chosen written, the others' copies removed: the files touched."""
        folder = self.root / "themes/default/templates"
        files = sorted({folder / name for name, _ in TEMPLATES})
        for file in files:
            file.unlink(missing_ok=True)
        if self.template is not None:
            name, text = TEMPLATES[self.template]
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        return files


titles = st.text(st.sampled_from("abcXYZ :#&<>'\"é-"), min_size=1, max_size=16).filter(
    lambda text: text.strip() != ""
)
bodies = st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=4).map("\n\n".join)
days = st.dates(date(2026, 10, 1), date(2027, 1, 31))  # around NOW: some are scheduled
tag_lists = st.lists(st.sampled_from(TAGS), max_size=3, unique=True)
posts = st.builds(
    PostFile, titles, days, tag_lists, bodies, block_tags=st.booleans(), dated=st.booleans()
)
which = st.integers(0, 99)  # a post, counted modulo how many there are
events = st.builds(
    EventFile, titles, st.integers(-20, 20), st.integers(9, 18), weekly=st.booleans()
)

Edit = tuple[Any, ...]
edits: st.SearchStrategy[Edit] = st.one_of(
    st.tuples(st.just("add post"), posts),
    st.tuples(st.just("change title"), which, titles),
    st.tuples(st.just("change body"), which, bodies),
    st.tuples(st.just("change tags"), which, tag_lists, st.booleans()),
    st.tuples(st.just("change date"), which, days),
    st.tuples(st.just("rename"), which, st.booleans()),
    st.tuples(st.just("delete"), which),
    st.tuples(st.just("change template"), st.none() | st.integers(0, len(TEMPLATES) - 1)),
    st.tuples(st.just("change site title"), titles),
    st.tuples(st.just("change per_page"), st.integers(1, 4)),
    st.tuples(st.just("change base path"), st.sampled_from(["", "/library", "/a/b"])),
    st.tuples(st.just("move the clock"), st.integers(-60, 60)),
    st.tuples(st.just("add event"), events),
    st.tuples(st.just("change event"), which, titles, st.integers(-20, 20)),
    st.tuples(st.just("delete event"), which),
    st.tuples(st.just("show the clock"), st.booleans()),
    st.tuples(st.just("move the clock by hours"), st.integers(1, 30)),
)


def add(state: SiteState, drawn: PostFile) -> Path:
    post = replace(drawn, stem=state.new_stem(drawn.day, drawn.dated))
    state.posts.append(post)
    state.write_post(post)
    return state.post_file(post)


def apply(state: SiteState, edit: Edit) -> list[Path]:
    """Make one edit on disk, as an author (or the passing of time) would; the files it touched
    (what the preview server's watcher would report)."""
    kind, *values = edit
    if kind == "add post":
        return [add(state, values[0])]
    if kind == "change template":
        state.template = values[0]
        return state.write_template()
    if kind in ("change site title", "change per_page", "change base path"):
        if kind == "change site title":
            state.title = values[0]
        elif kind == "change per_page":
            state.per_page = values[0]
        else:
            state.base_path = values[0]
        state.write_config()
        return [state.root / "site.yaml"]
    if kind == "move the clock":
        state.clock = NOW + timedelta(days=values[0])
        return []
    if kind == "move the clock by hours":
        state.clock += timedelta(hours=values[0])
        return []
    if kind == "show the clock":
        state.clock_footer = values[0]
        return [state.write_clock_footer()]
    if kind in ("add event", "change event", "delete event"):
        return apply_to_events(state, kind, values)
    if not state.posts:
        return []
    post = state.posts[values[0] % len(state.posts)]
    touched = [state.post_file(post)]
    if kind == "delete":
        touched[0].unlink()
        state.posts.remove(post)
        return touched
    if kind == "rename":
        touched[0].unlink()
        post.stem = state.new_stem(post.day, values[1])
        touched.append(state.post_file(post))
    elif kind == "change title":
        post.title = values[1]
    elif kind == "change body":
        post.body = values[1]
    elif kind == "change tags":
        post.tags, post.block_tags = values[1], values[2]
    elif kind == "change date":
        post.day = values[1]
    state.write_post(post)
    return touched


def apply_to_events(state: SiteState, kind: str, values: list[Any]) -> list[Path]:
    if kind == "add event":
        state.names += 1
        event = replace(values[0], stem=f"event-{state.names}")
        state.events.append(event)
        state.write_event(event)
        return [state.event_file(event)]
    if not state.events:
        return []
    event = state.events[values[0] % len(state.events)]
    file = state.event_file(event)
    if kind == "delete event":
        file.unlink()
        state.events.remove(event)
    else:
        event.title, event.day = values[1], values[2]
        state.write_event(event)
    return [file]


# --- comparing builds ------------------------------------------------------------------------


def differences(got: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """What differs between two sites, one line a file (a readable assertion, not a dump)."""
    return sorted(
        [f"missing: {path}" for path in expected.keys() - got.keys()]
        + [f"extra: {path}" for path in got.keys() - expected.keys()]
        + [
            f"differs: {path}"
            for path in got.keys() & expected.keys()
            if got[path] != expected[path]
        ]
    )


def errors(result: BuildResult) -> list[str]:
    return [p.format() for p in result.problems if p.severity is Severity.ERROR]


def problems(result: BuildResult) -> list[str]:
    return [p.format() for p in result.problems]


def check_every_build(state: SiteState, server: PreviewServer, touched: list[Path]) -> None:
    root = state.root
    shutil.rmtree(root / "_cold", ignore_errors=True)
    cold = build_site(root, now=state.clock, out="_cold", cache=False)
    assert errors(cold) == []
    expected = file_tree(root / "_cold")

    cached = build_site(root, now=state.clock, out="_cached", cache=True)
    assert problems(cached) == problems(cold)  # warnings too, with their lines
    assert differences(file_tree(root / "_cached"), expected) == []

    # As after the watcher's report: unchanged content files are not read again.
    assert problems(server.rebuild([str(file) for file in touched])) == problems(cold)
    snapshot = server.state.snapshot
    assert snapshot.errors == ""
    served = {path: file_bytes(file, snapshot) for path, file in snapshot.files.items()}
    del expected[MARKER]  # the writer's, not the site's
    assert differences(served, expected) == []  # type: ignore[arg-type]


# INCREMENTAL_EXAMPLES=500 searches harder than the default run does.
@settings(
    max_examples=int(os.environ.get("INCREMENTAL_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@example(  # every kind of edit on events and the clock, in every run
    first=[PostFile("News", date(2026, 11, 20), ["news"], SNIPPETS[0])],
    first_events=[EventFile("Storytime", 1, 10, weekly=True)],
    steps=[
        ("show the clock", True),
        ("move the clock by hours", 3),
        ("add event", EventFile("Game night", 2, 17)),
        ("move the clock by hours", 30),  # the storytime's first day is past
        ("change event", 0, "Storytime & songs", -3),
        ("show the clock", False),
        ("move the clock by hours", 2),
        ("delete event", 1),
    ],
)
@example(  # a theme that lists all of a tag's posts on each of its pages
    first=[PostFile(f"Post {n}", date(2026, 11, n), ["news"], SNIPPETS[0]) for n in (1, 2, 3)],
    first_events=[],
    steps=[("change per_page", 1), ("change template", 3), ("change title", 0, "Renamed")],
)
@given(
    first=st.lists(posts, min_size=1, max_size=3),
    first_events=st.lists(events, max_size=2),
    steps=st.lists(edits, min_size=1, max_size=5),
)
def test_cached_and_preview_builds_match_a_cold_build_after_any_edits(
    first: list[PostFile], first_events: list[EventFile], steps: list[Edit]
) -> None:
    threads = set(threading.enumerate())
    with tempfile.TemporaryDirectory() as folder:
        state = SiteState(Path(folder) / "site")
        (state.root / "content" / "posts").mkdir(parents=True)
        state.write_config()
        touched = [add(state, post) for post in first]
        touched += [file for event in first_events for file in apply(state, ("add event", event))]
        server = PreviewServer(state.root, port=0, clock=lambda: state.clock)
        try:
            check_every_build(state, server, touched)
            for edit in steps:
                check_every_build(state, server, apply(state, edit))
        finally:
            # The server renders the rest of each build in a thread: let it end before the
            # folder goes.
            server._stopping.set()
            for thread in set(threading.enumerate()) - threads:
                thread.join(timeout=10)


# --- the cache's failure modes ---------------------------------------------------------------
# tests/test_cache.py covers unreadable JSON and a foreign fingerprint written into the file.

POSTS = "".join(
    f"""
-- content/posts/2026-0{n + 1}-01-post-{n}.md --
---
title: "Post {n}"
date: 2026-0{n + 1}-01
---
Post {n} with <script>alert({n})</script>, which the sanitizer removes with a warning.
"""
    for n in range(3)
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", POSTS)


def test_a_cache_from_another_version_is_ignored_then_replaced(
    site: Path, markdown_renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build_site(site, now=NOW, cache=True, out="first")
    monkeypatch.setattr(sitegen.cache, "fingerprint", lambda: "sitegen of another version")
    markdown_renders.clear()
    second = build_site(site, now=NOW, cache=True, out="second")
    assert len(markdown_renders) == 3
    assert file_tree(site / "second") == file_tree(site / "first")
    assert [p.format() for p in second.problems] == [p.format() for p in first.problems]
    markdown_renders.clear()
    build_site(site, now=NOW, cache=True, out="third")
    assert markdown_renders == []  # the cache the new version wrote is its own


def _entries(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], Any]:
    def damage(data: dict[str, Any]) -> Any:
        for entry in data["entries"].values():
            change(entry)
        return data

    return damage


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry.__setitem__(key, value)


# Each keeps the right fingerprint, so only the checks of the entries can catch it.
DAMAGE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "a list, not an object": lambda data: [data],
    "entries a list": lambda data: {**data, "entries": list(data["entries"].values())},
    "an entry without html": _entries(lambda entry: entry.pop("html")),
    "html a number": _entries(_set("html", 5)),
    "html a list": _entries(_set("html", ["<p>stale</p>"])),
    "summary null": _entries(_set("summary", None)),
    "a problem with a made-up severity": _entries(
        lambda entry: entry["problems"][0].__setitem__(4, "catastrophic")
    ),
    "a problem's line not a number": _entries(
        lambda entry: entry["problems"][0].__setitem__(2, "four")
    ),
    "a problem too short": _entries(lambda entry: entry["problems"][0].pop()),
    "problems an object": _entries(_set("problems", {"message": "x"})),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_cache_damaged_inside_is_ignored(
    site: Path, markdown_renders: list[str], damage: Callable[[dict[str, Any]], Any]
) -> None:
    first = build_site(site, now=NOW, cache=True, out="first")
    cache_file = site / CACHE_DIR / "markdown.json"
    cache_file.write_text(json.dumps(damage(json.loads(cache_file.read_text()))))
    markdown_renders.clear()
    second = build_site(site, now=NOW, cache=True, out="second")
    assert second.written
    assert len(markdown_renders) == 3
    assert file_tree(site / "second") == file_tree(site / "first")
    assert [p.format() for p in second.problems] == [p.format() for p in first.problems]


@pytest.mark.parametrize("obstacle", ["markdown.json is a folder", ".sitegen-cache is a file"])
def test_a_cache_that_cannot_be_written_does_not_stop_the_build(site: Path, obstacle: str) -> None:
    if obstacle == ".sitegen-cache is a file":
        (site / CACHE_DIR).write_text("not a folder")
    else:
        (site / CACHE_DIR / "markdown.json").mkdir(parents=True)
    result = build_site(site, now=NOW, cache=True)
    assert result.written and errors(result) == []
    build_site(site, now=NOW, cache=False, out="cold")
    assert file_tree(site / "public") == file_tree(site / "cold")
