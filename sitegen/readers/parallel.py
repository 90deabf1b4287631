"""Markdown rendered on every core before the readers run, for large sites.

Python-Markdown is most of a cold build's time and holds the GIL, so the bodies that the
memo does not have yet are rendered by a pool of forked worker processes; the readers then
find every rendering in the memo. Small sites skip the pool (starting it costs more than it
saves), and so does a process with other threads running, where forking is unsafe.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from sitegen.errors import SiteError
from sitegen.readers.frontmatter import read_source
from sitegen.readers.markdown import MarkdownMemo, MarkdownRenderer, RenderedMarkdown, memo_key

MIN_DOCUMENTS = 200
_CHUNK = 16
_worker_renderer: MarkdownRenderer | None = None


def worker_count() -> int:
    """The cores this process may use (SITEGEN_WORKERS overrides, 1 turns the pool off)."""
    configured = os.environ.get("SITEGEN_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def prerender(files: Iterable[tuple[Path, str]], memo: MarkdownMemo, allow_raw_html: bool) -> int:
    """Render into `memo` the bodies of `files` (file, shown path) it lacks; return how many."""
    jobs: list[tuple[str, str, str, int]] = []
    for file, path in files:
        try:
            source = read_source(file, path)
        except (SiteError, OSError):
            continue  # the reader reports it
        key = memo_key(path, source.body_line, source.body, allow_raw_html)
        if memo.get(key) is None:
            jobs.append((key, source.body, path, source.body_line))
    workers = min(worker_count(), max(1, len(jobs) // _CHUNK))
    if len(jobs) < MIN_DOCUMENTS or workers < 2:
        return 0
    # Forking is safe only while no other thread runs (a thread could hold a lock the child
    # then waits on forever); the preview server's later rebuilds render in its own process.
    if not can_fork():
        return 0
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(allow_raw_html,)) as pool:
        rendered = pool.map(_render, [job[1:] for job in jobs], chunksize=_CHUNK)
    for (key, *_), result in zip(jobs, rendered, strict=True):
        memo.put(key, result)
    return len(jobs)


def can_fork() -> bool:
    """True where worker processes can be forked safely: no other thread is running."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _start_worker(allow_raw_html: bool) -> None:
    global _worker_renderer
    _worker_renderer = MarkdownRenderer(allow_raw_html)


def _render(job: tuple[str, str, int]) -> RenderedMarkdown:
    assert _worker_renderer is not None
    text, path, line = job
    return _worker_renderer.render(text, path, line)
