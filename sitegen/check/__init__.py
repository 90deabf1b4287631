"""`sitegen check`: every author-facing problem, found without writing the site.

Builds in memory (drafts and scheduled posts included, so every file is looked at), then runs
the small checks of `rules` over the planned OutputFiles and the content: links and images,
alt text, heading levels, link text, events' registration and dates, highlights waiting for
review. Gives a CheckReport, printed by `formats` as `path:line: message` or as Markdown.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from sitegen.build import build_site
from sitegen.check.context import CheckContext, CheckReport, Written
from sitegen.check.formats import format_markdown, format_text, summary
from sitegen.check.rules import CHECKS
from sitegen.errors import Problem
from sitegen.event_model import Event
from sitegen.model import Content, Page, Post

__all__ = ["CHECKS", "CheckReport", "check_site", "format_markdown", "format_text", "summary"]


def check_site(
    root: Path | str,
    *,
    now: datetime | None = None,
    pending_days: int | None = None,
    real_now: datetime | None = None,
) -> CheckReport:
    """Every author-facing problem of the site in `root`, at the clock `now`.

    `real_now` is the wall clock when `now` came from elsewhere (SOURCE_DATE_EPOCH): events
    over by then but upcoming at `now` are reported, as the published site would list them.
    """
    root = Path(root).resolve()
    result = build_site(root, now=now, drafts=True, future=True, write=False)
    problems = list(result.problems)
    site, content = result.site, result.content
    if site is None or content is None:
        return CheckReport(_sorted(problems))
    context = CheckContext(
        root=root,
        site=site,
        content=content,
        files={file.output_path: file for file in result.files},
        written=list(_written(root, content)),
        pending_days=pending_days or site.config.check.pending_days,
        real_now=real_now,
        redirects=redirect_sources(root),
    )
    for check in CHECKS:
        problems.extend(check(context))
    counts = {
        "posts": len(content.posts),
        "pages": len(content.pages),
        "events": len(content.events),
        "highlights": len(content.highlights),
    }
    return CheckReport(_sorted(problems), counts, site.now.astimezone(site.config.timezone))


def _written(root: Path, content: Content) -> Iterator[Written]:
    items: list[Post | Page | Event] = [*content.posts, *content.pages, *content.events]
    for item in items:
        path = item.source.path
        try:
            text = (root / path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the build has said what is wrong with it
        lines = tuple(text.replace("\r\n", "\n").split("\n"))
        yield Written(path, item.url, str(item.content), lines, _body_line(lines))


def _body_line(lines: tuple[str, ...]) -> int:
    """The first line after the front matter's closing ---."""
    for index, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return index + 1
    return 1


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda p: (p.path == "", p.path, p.line))


def redirect_sources(root: Path) -> tuple[str, ...]:
    """The addresses Netlify redirects elsewhere, so links to them are not broken."""
    sources = []
    try:
        text = (root / "static" / "_redirects").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    for line in text.splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            sources.append(parts[0])
    try:
        netlify = tomllib.loads((root / "netlify.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        netlify = {}
    for rule in netlify.get("redirects", []):
        if isinstance(rule, dict) and isinstance(rule.get("from"), str):
            sources.append(rule["from"])
    return tuple(source for source in sources if source.startswith("/"))
