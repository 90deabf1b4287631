"""Making the bytes of every planned file, on all cores when the site is large.

Rendering pages is the largest part of a build after Markdown. The planned files carry
closures (templates, the Site), which cannot be sent to another process, so workers are
forked from the build process and inherit them; the preview server, whose threads make a
fork unsafe, renders on demand instead and never calls this.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence

from sitegen.outputs.files import OutputFile
from sitegen.readers.parallel import can_fork, worker_count

MIN_PENDING = 400
_CHUNK = 32
_pending: Sequence[OutputFile] = ()


def produce_all(files: Sequence[OutputFile]) -> list[OutputFile]:
    """The files with the bytes of every on-demand file made (SiteError if one fails)."""
    waiting = [index for index, file in enumerate(files) if file.pending]
    workers = min(worker_count(), max(1, len(waiting) // _CHUNK))
    if len(waiting) < MIN_PENDING or workers < 2 or not can_fork():
        return [file.with_content(file.data()) if file.produce else file for file in files]
    global _pending
    _pending = files
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            made = pool.map(_produce, waiting, chunksize=_CHUNK)
    finally:
        _pending = ()
    result = list(files)
    for index, (content, noted) in zip(waiting, made, strict=True):
        files[index].noted.update(noted)
        result[index] = files[index].with_content(content)
    return [file.with_content(file.data()) if file.produce else file for file in result]


def _produce(index: int) -> tuple[bytes, list[str]]:
    """A file's bytes and what its templates read (the worker's notes do not reach the parent
    by themselves)."""
    file = _pending[index]
    return file.data(), sorted(file.noted)
