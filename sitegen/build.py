"""One build, start to finish: the stages in order, each timed.

config → read → assemble → plan outputs (keeping unchanged pages and feeds) → render and
write (each file staged as it is rendered, then swapped or moved in). A build with errors
writes nothing and leaves the previous output as it was.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import Any

from sitegen import urls
from sitegen.assemble import PublishOptions, assemble_site
from sitegen.assemble.base_path import BasePathCopies
from sitegen.cache import CACHE_DIR, BuildCache
from sitegen.config import load_config
from sitegen.errors import Problem, SiteError
from sitegen.model import Content, Site
from sitegen.output_cache import OutputCache
from sitegen.outputs import OutputFile, plan_outputs
from sitegen.outputs.produce import produce_all, produced
from sitegen.readers import MarkdownMemo, ReadCache, read_content
from sitegen.render.colors import contrast_problems
from sitegen.render.environment import Renderer
from sitegen.render.memory import PageMemory, build_digest
from sitegen.render.recording import dependency
from sitegen.render.themes import Theme, load_theme
from sitegen.report import BuildReport
from sitegen.write import check_output_folder, write_site


@dataclass
class BuildResult:
    """What a build did: the site, its files, its problems and how long each stage took."""

    problems: list[Problem]
    output_dir: Path | None = None
    site: Site | None = None
    content: Content | None = None
    files: list[OutputFile] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    written: bool = False
    kept: int = 0  # pages and feeds kept as the last build wrote them (the output cache)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def count(self, suffix: str) -> int:
        return sum(1 for file in self.files if file.output_path.endswith(suffix))

    def summary(self) -> str:
        """The one line a build ends with."""
        pages = self.count(".html")
        feeds = self.count(".xml") - (1 if self.files else 0)  # not the sitemap
        calendars = self.count(".ics")
        where = f" → {self.output_dir}" if self.written and self.output_dir else ""
        made = (
            f"{pages} pages, {feeds} feeds and {calendars} calendars"
            if calendars
            else (f"{pages} pages and {feeds} feeds")
        )
        return f"Built {made} in {self.seconds:.2f} s{where}."

    def next_change(self) -> str:
        change = self.site.next_change if self.site else None
        if change is None:
            return ""
        when = change.when.astimezone(self.site.config.timezone) if self.site else change.when
        return f"Next change: {when:%Y-%m-%d %H:%M %Z}, when {change.what} ({change.source.path})."


def build_site(
    root: Path | str,
    *,
    now: datetime | None = None,
    drafts: bool = False,
    future: bool = False,
    preview: bool = False,
    strict: bool = False,
    out: Path | str | None = None,
    write: bool = True,
    memo: MarkdownMemo | None = None,
    cache: bool = False,
    lazy: bool = False,
    read_cache: ReadCache | None = None,
    pages: PageMemory | None = None,
) -> BuildResult:
    """Build the site in `root` at the clock `now`; write it unless there are problems.

    With write=False the files stay in memory (the preview server serves them from there);
    a `memo` carries rendered Markdown from one build to the next in the same process, and
    `cache` keeps it, the items read and a record of the pages written on disk in
    .sitegen-cache/ for the next build. For the preview server: with lazy=True pages, feeds
    and calendars are rendered only when their bytes are asked for, a `read_cache` skips
    re-reading unchanged files, and `pages` gives back pages of earlier builds whose inputs
    are unchanged instead of rendering them again.
    A `preview` (a deploy preview) shows drafts and scheduled posts and tells search engines
    not to index it.
    """
    root = Path(root).resolve()
    report = BuildReport()
    result = BuildResult(problems=[])
    with _collector_paused():
        try:
            with _timed(result.timings, "config"):
                config = load_config(root)
                output_dir = root / (out if out is not None else config.output)
                result.output_dir = output_dir
                if write:
                    check_output_folder(output_dir, root)
                theme = load_theme(config)
                report.extend(contrast_problems(config))
            with _timed(result.timings, "read"):
                stored = BuildCache(root / CACHE_DIR) if cache else None
                if memo is None and stored is not None:
                    memo = stored.markdown_memo()
                read_keys: dict[int, tuple[Any, str]] = {}
                content = result.content = read_content(
                    config, report, memo, read_cache, stored, read_keys
                )
                if memo is not None:
                    memo.finish_build()
                if stored is not None:
                    stored.save(memo)
            with _timed(result.timings, "assemble"):
                clock = build_now(now, config.timezone)
                options = PublishOptions(clock, drafts or preview, future or preview, preview)
                parts = pages.parts if pages is not None else None
                copies = pages.copies if pages is not None else BasePathCopies()
                result.site = assemble_site(config, content, options, parts, copies)
                _know_copies(read_keys, copies)
            with _timed(result.timings, "plan"):
                renderer = _renderer(result.site, theme, pages)
                result.files = plan_outputs(result.site, renderer, theme)
                kept = None
                if cache and write:
                    kept = _output_cache(result.site, renderer, theme, output_dir, read_keys)
                    result.files = kept.reuse(result.files)
                    result.kept = kept.kept
            if not lazy and not write:
                with _timed(result.timings, "render"):
                    result.files = produce_all(result.files)
            if write and not report.failed(strict):
                # Pages are rendered as they are written, so they are never all in memory.
                with _timed(result.timings, "render and write"):
                    made = produced(result.files)
                    if kept is not None:
                        made = kept.noting_contents(made)
                    write_site(result.files, output_dir, root, made)
                    if kept is not None:
                        kept.save(result.files)
                result.written = True
        except SiteError as exc:
            report.extend(exc.problems)
    result.problems = report.problems
    return result


def _know_copies(read_keys: dict[int, tuple[Any, str]], copies: BasePathCopies) -> None:
    """Each item given the base path, known by the key of its original's read: the copy is
    made from the original and the settings alone, and the output cache keys every file by
    the settings too."""
    for original, copy in copies.made():
        known = read_keys.get(id(original))
        if known is not None:
            read_keys[id(copy)] = (copy, known[1])


def _renderer(site: Site, theme: Theme, pages: PageMemory | None) -> Renderer:
    renderer = Renderer(theme, site.config, f"{urls.ASSETS}{theme.static_version()}/")
    if pages is not None:
        renderer.memory = pages.for_build(site, theme, renderer.assets_url, renderer.image_size)
    return renderer


def _output_cache(
    site: Site,
    renderer: Renderer,
    theme: Theme,
    output_dir: Path,
    read_keys: dict[int, tuple[Any, str]],
) -> OutputCache:
    """The record of what each page and feed in `output_dir` was made from."""
    return OutputCache(
        site.config.root / CACHE_DIR,
        build_digest(site.config, theme, renderer.assets_url),
        output_dir.resolve(),
        partial(dependency, site, renderer.image_size),
        read_keys.values(),
    )


def build_now(now: datetime | None, zone: tzinfo) -> datetime:
    """The build's clock: `now` (a naive time is in the site's zone), else the real time."""
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a build runs.

    A build makes hundreds of thousands of objects that live until it ends, and the collector
    would walk all of them again and again (a third of a rebuild's time at 4,000 posts);
    what a build leaves in cycles is collected after it, when the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = time.perf_counter() - start
