"""Content files read on every core, for large sites.

Python-Markdown is most of a cold build's time and holds the GIL, so the files to read are
split between forked worker processes, each reading whole files (front matter, fields,
Markdown) and sending back the item, its problems and the renderings it made. Small sites
skip the pool (starting it costs more than it saves), and so does a process with other
threads running, where forking is unsafe.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

MIN_DOCUMENTS = 200
_CHUNK = 16
_Job = TypeVar("_Job")
_Result = TypeVar("_Result")
# What the workers are to do: set before they are forked, so they inherit it, not sent.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count() -> int:
    """The cores this process may use (SITEGEN_WORKERS overrides, 1 turns the pool off)."""
    configured = os.environ.get("SITEGEN_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def read_in_pool(
    read: Callable[[_Job], _Result], jobs: Sequence[_Job]
) -> Generator[_Result | None, None, None] | None:
    """`read` of each job, in order, as worker processes finish them; None if the pool is not
    worth starting or not safe. A job whose read raised gives None: read it again here, so
    the error surfaces exactly as it would without the pool; so do the jobs left when the
    pool breaks (a result that could not be sent back, say).

    Results come as they are made, so the build process takes in each one while the
    workers go on, and never holds all of them at once. The pool stops when the iterator is
    used up or closed."""
    workers = min(worker_count(), max(1, len(jobs) // _CHUNK))
    if len(jobs) < MIN_DOCUMENTS or workers < 2:
        return None
    # Forking is safe only while no other thread runs (a thread could hold a lock the child
    # then waits on forever); the preview server reads in its own process.
    if not can_fork():
        return None
    return _pooled(read, jobs, workers)


def _pooled(
    read: Callable[[_Job], _Result], jobs: Sequence[_Job], workers: int
) -> Generator[_Result | None, None, None]:
    global _work
    given = 0
    context = fork_context()
    _work = (read, jobs)
    try:
        with context.Pool(workers) as pool:
            for result in pool.imap(_read_at, range(len(jobs)), chunksize=_CHUNK):
                given += 1
                yield result
    except Exception:
        pass
    finally:
        _work = None
    yield from (None for _ in range(given, len(jobs)))


def return_free_memory() -> None:
    """Give the memory freed so far back to the system (glibc keeps it otherwise), before
    workers are forked: each would count it as its own.

    Reading leaves a few tens of megabytes free inside the heap (what the read pool sent,
    the stored reads' text). It takes about 10 ms at 4,000 posts, so only a build that forks
    render workers pays it. A no-op where the C library has no malloc_trim.
    """
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def can_fork() -> bool:
    """True where worker processes can be forked safely: no other thread is running."""
    import multiprocessing  # see fork_context

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_context() -> BaseContext:
    """multiprocessing's fork context, imported only by a build that starts workers (a
    rebuild of a few files starts none)."""
    import multiprocessing

    return multiprocessing.get_context("fork")


def _read_at(index: int) -> Any:
    assert _work is not None
    read, jobs = _work
    try:
        return read(jobs[index])
    except Exception:
        return None
