"""Reading content/: every Markdown file becomes a model value, or a problem in the report.

read_content walks content/posts, pages, events and highlights; a broken file is reported
and skipped, so one mistake never hides the others. Files unchanged since a stored read are
not read again; the rest are read on every core when there are many.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.model import Content
from sitegen.readers.events import read_event
from sitegen.readers.highlights import read_highlight
from sitegen.readers.markdown import MarkdownMemo, MarkdownRenderer, RenderLog
from sitegen.readers.pages import read_page
from sitegen.readers.parallel import read_in_pool
from sitegen.readers.posts import read_post
from sitegen.readers.read_cache import ReadCache
from sitegen.readers.stored import (
    StoredReads,
    decode_read,
    encode_read,
    read_conditions,
    read_key,
)
from sitegen.report import BuildReport

_Reader = Callable[
    [Path, str, SiteConfig, MarkdownRenderer, bytes | None], tuple[Any, list[Problem]]
]
KINDS = ("posts", "pages", "events", "highlights")

__all__ = ["KINDS", "MarkdownMemo", "ReadCache", "StoredReads", "read_content"]


@dataclass
class _Job:
    """One content file to read; `data` is its bytes when they were read to find its key."""

    kind: str
    location: str  # the file's path on disk: a plain string, as a key it is quicker than Path
    path: str
    data: bytes | None = None
    key: str | None = None

    @cached_property
    def file(self) -> Path:
        return Path(self.location)


# An item, its problems, the Markdown renderings its read used, and the entry to store.
_Outcome = tuple[Any, list[Problem], RenderLog, str | None]


def read_content(
    config: SiteConfig,
    report: BuildReport,
    memo: MarkdownMemo | None = None,
    read_cache: ReadCache | None = None,
    stored: StoredReads | None = None,
    keys: dict[int, tuple[Any, str]] | None = None,
) -> Content:
    """All posts, pages, events and highlights under content/, in a stable order.

    `read_cache` skips files whose stamp is unchanged (the preview server); `stored` gives
    the reads of earlier builds by file content (the build cache on disk). With `stored`,
    `keys` receives, by id, each item and the key of its read: what it was made from.
    """
    memo = memo if memo is not None else MarkdownMemo()
    renderer = MarkdownRenderer(config.allow_raw_html, memo)
    readers = _readers(config)
    jobs = [
        _Job(kind, location, path)
        for kind in KINDS
        for location, path in _markdown_files(config.content_dir / kind, config.root, report)
    ]
    stale = [job for job in jobs if read_cache is None or not read_cache.fresh(job.location)]
    ready = _stored_reads(stale, config, stored) if stored is not None else {}
    from_store = set(ready)
    to_read = [job for job in stale if job.location not in ready]
    memo.prepare(len(to_read))

    def read(job: _Job) -> _Outcome:
        log: RenderLog = []
        renderer.log = log
        try:
            item, problems = readers[job.kind](job.file, job.path, config, renderer, job.data)
        finally:
            renderer.log = None
        entry = None
        if job.key is not None:
            entry = encode_read(job.kind, (item, problems, [key for key, _ in log]))
        return item, problems, log, entry

    pooled = read_in_pool(read, to_read)
    upcoming = zip(to_read, pooled, strict=True) if pooled is not None else iter(())
    in_pool = {job.location for job in to_read} if pooled is not None else set()

    def pooled_outcome(job: _Job) -> _Outcome | None:
        # Jobs are asked for in the order the pool reads them: its next result is this one's.
        for pooled_job, outcome in upcoming:
            if pooled_job is job:
                return outcome
        return None

    def outcome_of(job: _Job) -> tuple[Any, list[Problem]]:
        found = ready.pop(job.location, None)
        if found is None and job.location in in_pool:
            found = pooled_outcome(job)
        item, problems, log, entry = found if found is not None else read(job)
        for key, rendered in log:
            if rendered is None:
                memo.keep([key])
            else:
                memo.put(key, rendered)
        fresh = job.location not in from_store
        if stored is not None and job.key is not None and entry is not None and fresh:
            stored.put(job.key, entry)
        return item, problems

    items: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    try:
        for job in jobs:
            if read_cache is None:
                item, problems = outcome_of(job)
            else:
                item, problems = read_cache.read(job.location, partial(outcome_of, job))
            report.extend(problems)
            if item is not None:
                items[job.kind].append(item)
                if keys is not None and job.key is not None:
                    keys[id(item)] = (item, job.key)
    finally:
        if pooled is not None:
            pooled.close()  # stops the workers, if a read here raised before the end
    if read_cache is not None:
        read_cache.keep_only(job.location for job in jobs)
    return Content(
        posts=tuple(items["posts"]),
        pages=tuple(items["pages"]),
        events=tuple(items["events"]),
        highlights=tuple(items["highlights"]),
    )


def _readers(config: SiteConfig) -> dict[str, _Reader]:
    pages_dir = config.content_dir / "pages"

    def page(
        file: Path, path: str, config: SiteConfig, renderer: MarkdownRenderer, data: bytes | None
    ) -> tuple[Any, list[Problem]]:
        return read_page(file, pages_dir, path, config, renderer, data)

    return {"posts": read_post, "pages": page, "events": read_event, "highlights": read_highlight}


def _stored_reads(jobs: list[_Job], config: SiteConfig, stored: StoredReads) -> dict[str, _Outcome]:
    """The outcomes of `jobs` kept by earlier builds; each job gets its bytes and key."""
    conditions = read_conditions(config)
    if conditions is None:
        return {}
    keyed: dict[str, _Job] = {}
    for job in jobs:
        try:
            job.data = _file_bytes(job.location)
        except OSError:
            continue  # the reader reports it
        job.key = read_key(conditions, job.kind, job.path, job.data)
        keyed[job.key] = job
    found: dict[str, _Outcome] = {}
    for key, text in stored.get_many(list(keyed)).items():
        job = keyed[key]
        entry = decode_read(job.kind, text)
        if entry is not None:
            item, problems, memo_keys = entry
            found[job.location] = (item, problems, [(k, None) for k in memo_keys], text)
    return found


def _file_bytes(location: str) -> bytes:
    """A file's bytes, read with the system's calls: open() makes a buffered file object
    each, which took twice as long for the thousands of small files a build reads."""
    descriptor = os.open(location, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _markdown_files(folder: Path, root: Path, report: BuildReport) -> list[tuple[str, str]]:
    """The .md files under `folder` (on disk, and as paths in the site), sorted; hidden files
    and links that leave the site skipped.

    Links to folders are not followed (as Path.rglob does not).
    """
    if not folder.is_dir():
        return []
    base = folder.relative_to(root).parts
    if any(part.startswith((".", "_")) for part in base):
        return []
    found: list[tuple[tuple[str, ...], str, bool]] = []
    waiting = [(base, str(folder))]
    while waiting:
        parts, here = waiting.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    waiting.append(((*parts, entry.name), entry.path))
                elif entry.name.endswith(".md") and entry.is_file():
                    found.append(((*parts, entry.name), entry.path, entry.is_symlink()))
    files_found = []
    real_root = root.resolve()
    for parts, file, is_link in sorted(found):
        path = "/".join(parts)
        if is_link and not Path(file).resolve().is_relative_to(real_root):
            report.warning(
                "This file is a link to something outside the site folder; it was skipped.",
                path,
            )
            continue
        files_found.append((file, path))
    return files_found
