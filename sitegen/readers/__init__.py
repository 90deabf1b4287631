"""Reading content/: every Markdown file becomes a model value, or a problem in the report.

read_content walks content/posts, pages, events and highlights; a broken file is reported
and skipped, so one mistake never hides the others.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.model import Content
from sitegen.readers.events import read_event
from sitegen.readers.highlights import read_highlight
from sitegen.readers.markdown import MarkdownMemo, MarkdownRenderer
from sitegen.readers.pages import read_page
from sitegen.readers.parallel import prerender
from sitegen.readers.posts import read_post
from sitegen.readers.read_cache import ReadCache
from sitegen.report import BuildReport

_Reader = Callable[[Path, str, SiteConfig, MarkdownRenderer], tuple[Any, list[Problem]]]

__all__ = ["MarkdownMemo", "ReadCache", "read_content"]


def read_content(
    config: SiteConfig,
    report: BuildReport,
    memo: MarkdownMemo | None = None,
    read_cache: ReadCache | None = None,
) -> Content:
    """All posts, pages, events and highlights under content/, in a stable order."""
    memo = memo if memo is not None else MarkdownMemo()
    cache = read_cache if read_cache is not None else ReadCache()
    pages_dir = config.content_dir / "pages"
    readers: dict[str, _Reader] = {
        "posts": read_post,
        "pages": lambda file, path, config, renderer: read_page(
            file, pages_dir, path, config, renderer
        ),
        "events": read_event,
        "highlights": read_highlight,
    }
    found = {
        kind: _markdown_files(config.content_dir / kind, config.root, report) for kind in readers
    }
    every_file = [file for files in found.values() for file in files]
    stale = (file for file in every_file if not cache.fresh(file))
    prerender(((file, _relative(file, config.root)) for file in stale), memo, config.allow_raw_html)
    renderer = MarkdownRenderer(config.allow_raw_html, memo)
    items: dict[str, list[Any]] = {kind: [] for kind in readers}
    for kind, reader in readers.items():
        for file in found[kind]:
            path = _relative(file, config.root)
            item, problems = cache.read(file, partial(reader, file, path, config, renderer))
            report.extend(problems)
            if item is not None:
                items[kind].append(item)
    cache.keep_only(every_file)
    return Content(
        posts=tuple(items["posts"]),
        pages=tuple(items["pages"]),
        events=tuple(items["events"]),
        highlights=tuple(items["highlights"]),
    )


def _relative(file: Path, root: Path) -> str:
    return file.relative_to(root).as_posix()


def _markdown_files(folder: Path, root: Path, report: BuildReport) -> list[Path]:
    """The .md files under `folder`, sorted; hidden files and links that leave the site skipped."""
    if not folder.is_dir():
        return []
    files = []
    for file in sorted(folder.rglob("*.md")):
        relative = file.relative_to(root)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if file.is_symlink() and not file.resolve().is_relative_to(root.resolve()):
            report.warning(
                "This file is a link to something outside the site folder; it was skipped.",
                relative.as_posix(),
            )
            continue
        if file.is_file():
            files.append(file)
    return files
