"""Making the bytes of every planned file, on all cores when the site is large.

Rendering pages is the largest part of a build after Markdown. The planned files carry
closures (templates, the Site), which cannot be sent to another process, so workers are
forked from the build process and inherit them; the preview server, whose threads make a
fork unsafe, renders on demand instead and never calls this.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sitegen.outputs.files import OutputFile
from sitegen.readers.parallel import can_fork, fork_context, return_free_memory, worker_count

MIN_PENDING = 400
_CHUNK = 32
_pending: Sequence[OutputFile] = ()


def produce_all(files: Sequence[OutputFile]) -> list[OutputFile]:
    """The files with the bytes of every on-demand file made (SiteError if one fails)."""
    return list(produced(files))


def produced(files: Sequence[OutputFile]) -> Iterator[OutputFile]:
    """Each file in order, with its bytes made, as they are made (SiteError if one fails).

    A build writes each file as it comes, so a large site's pages are never all in memory.
    The files themselves stay as they are, apart from what their templates noted.
    """
    waiting = [index for index, file in enumerate(files) if file.pending]
    workers = min(worker_count(), max(1, len(waiting) // _CHUNK))
    if len(waiting) < MIN_PENDING or workers < 2 or not can_fork():
        yield from (_made_here(file) for file in files)
        return
    global _pending
    _pending = files
    return_free_memory()
    try:
        context = fork_context()
        with context.Pool(workers) as pool:
            made = pool.imap(_produce, waiting, chunksize=_CHUNK)
            next_waiting = 0
            for index, file in enumerate(files):
                if next_waiting < len(waiting) and waiting[next_waiting] == index:
                    next_waiting += 1
                    content, noted = next(made)
                    file.noted.update(noted)
                    yield file.with_content(content)
                else:
                    yield _made_here(file)
    finally:
        _pending = ()


def _made_here(file: OutputFile) -> OutputFile:
    if file.produce is None:
        return file
    if not file.pending:
        return file.with_content(file.data())
    return file.with_content(file.produce())  # not kept in `file`: see produced


def _produce(index: int) -> tuple[bytes, list[str]]:
    """A file's bytes and what its templates read (the worker's notes do not reach the parent
    by themselves)."""
    file = _pending[index]
    # produce(), not data(): data() would keep every page this worker made until it ends.
    assert file.produce is not None
    return file.produce(), sorted(file.noted)
