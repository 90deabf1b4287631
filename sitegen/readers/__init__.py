"""Reading content/: every Markdown file becomes a model value, or a problem in the report.

read_content walks content/posts and content/pages; a broken file is reported and skipped,
so one mistake never hides the others.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.event_model import Event
from sitegen.highlight_model import Highlight
from sitegen.model import Content, Page, Post
from sitegen.readers.events import read_event
from sitegen.readers.highlights import read_highlight
from sitegen.readers.markdown import MarkdownMemo, MarkdownRenderer
from sitegen.readers.pages import read_page
from sitegen.readers.parallel import prerender
from sitegen.readers.posts import read_post
from sitegen.report import BuildReport

__all__ = ["MarkdownMemo", "read_content"]


def read_content(
    config: SiteConfig, report: BuildReport, memo: MarkdownMemo | None = None
) -> Content:
    """All posts, pages and events under content/, in a stable order."""
    memo = memo if memo is not None else MarkdownMemo()
    everything = sorted(config.content_dir.rglob("*.md")) if config.content_dir.is_dir() else []
    prerender(
        ((file, _relative(file, config.root)) for file in everything),
        memo,
        config.allow_raw_html,
    )
    renderer = MarkdownRenderer(config.allow_raw_html, memo)
    posts: list[Post] = []
    for file in _markdown_files(config.content_dir / "posts", config.root, report):
        post, problems = read_post(file, _relative(file, config.root), config, renderer)
        report.extend(problems)
        if post is not None:
            posts.append(post)
    pages: list[Page] = []
    pages_dir = config.content_dir / "pages"
    for file in _markdown_files(pages_dir, config.root, report):
        page, problems = read_page(file, pages_dir, _relative(file, config.root), config, renderer)
        report.extend(problems)
        if page is not None:
            pages.append(page)
    events: list[Event] = []
    for file in _markdown_files(config.content_dir / "events", config.root, report):
        event, problems = read_event(file, _relative(file, config.root), config, renderer)
        report.extend(problems)
        if event is not None:
            events.append(event)
    highlights: list[Highlight] = []
    for file in _markdown_files(config.content_dir / "highlights", config.root, report):
        highlight, problems = read_highlight(file, _relative(file, config.root), config, renderer)
        report.extend(problems)
        if highlight is not None:
            highlights.append(highlight)
    return Content(
        posts=tuple(posts),
        pages=tuple(pages),
        events=tuple(events),
        highlights=tuple(highlights),
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
