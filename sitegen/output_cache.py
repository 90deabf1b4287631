"""Pages and feeds kept from the last build when nothing they are made from has changed.

A file that can be kept (its OutputFile has `inputs`) is matched on three things:
- the build digest (render.memory.build_digest): sitegen's code and its packages' versions,
  the settings, every theme file;
- the digest of its inputs (a post and its neighbours; one page of a listing; a feed's posts);
- the parts of the Site its templates read last time (see render.recording), valued now.
When all three are what the last build recorded, and the file in the output folder is the one
that build wrote, the file is kept as it is instead of being rendered again. The file is known
by its size and modification time, or, where only the time differs (a deploy service that
restores the output folder with new dates), by a digest of its bytes.
The record is .sitegen-cache/outputs.json; one that is damaged, from another version, or for
another output folder is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from sitegen.cache_files import write_json
from sitegen.fingerprint import Fingerprinter, Unfingerprintable
from sitegen.outputs.files import OutputFile
from sitegen.render.memory import NotedParts

FILE = "outputs.json"
_FORMAT = 2


class _Entry(NamedTuple):
    """What one file was made from and how it was written (a tuple: thousands are read
    back at every build)."""

    inputs: str
    noted: tuple[str, ...]
    noted_digest: str
    size: int
    mtime_ns: int
    content: str  # content_digest of the bytes written, "" if unknown


class OutputCache:
    """The last build's record of what each kept file was made from.

    `dependency` gives the current value of a name a template noted (render.recording);
    `known` pairs content items with the keys of their reads, which stand for their digests.
    """

    def __init__(
        self,
        folder: Path,
        digest: str,
        output_dir: Path,
        dependency: Callable[[str], Any],
        known: Iterable[tuple[Any, str]] = (),
    ) -> None:
        self.folder = folder
        self.digest = digest
        self.output_dir = output_dir
        self._fingerprinter = Fingerprinter()
        for value, key in known:
            self._fingerprinter.know(value, key)
        self._noted = NotedParts(self._fingerprinter, dependency)
        self._entries = self._load()
        self._unchanged: set[str] = set()  # kept by reuse: their entries still hold
        self._contents: dict[str, str] = {}  # content digests of the files written this build

    def reuse(self, files: Iterable[OutputFile]) -> list[OutputFile]:
        """`files`, with each one that would come out as the last build wrote it kept as is."""
        return [self._kept(file) or file for file in files]

    def _kept(self, file: OutputFile) -> OutputFile | None:
        entry = self._entries.get(file.output_path)
        if entry is None or file.inputs is None:
            return None
        if self._inputs_digest(file) != entry.inputs:
            return None
        if self._noted.digest(entry.noted) != entry.noted_digest:
            return None
        written = os.path.join(self.output_dir, file.output_path)
        try:
            status = os.lstat(written)
        except OSError:
            return None
        if status.st_size != entry.size or not stat.S_ISREG(status.st_mode):
            return None
        if status.st_mtime_ns != entry.mtime_ns:
            if not entry.content or _file_digest(written) != entry.content:
                return None
            self._entries[file.output_path] = entry._replace(mtime_ns=status.st_mtime_ns)
        self._unchanged.add(file.output_path)
        return file.kept_at(written, set(entry.noted))

    @property
    def kept(self) -> int:
        """How many files reuse has kept as the last build wrote them."""
        return len(self._unchanged)

    def noting_contents(self, files: Iterator[OutputFile]) -> Iterator[OutputFile]:
        """`files` as they go to the writer, each made one's content digest noted for save."""
        for file in files:
            if file.content is not None and file.inputs is not None:
                self._contents[file.output_path] = content_digest(file.content)
            yield file

    def save(self, files: Iterable[OutputFile]) -> bool:
        """Record the files as they were just written to the output folder (each one made,
        and its notes taken); False if the record cannot be saved."""
        entries = {}
        for file in files:
            entry = self._entries.get(file.output_path)
            if file.output_path not in self._unchanged or entry is None:
                entry = self._entry(file)
            if entry is not None:
                entries[file.output_path] = entry
        data = {
            "format": _FORMAT,
            "digest": self.digest,
            "output": str(self.output_dir),
            "files": {path: list(entry) for path, entry in entries.items()},
        }
        return write_json(self.folder, FILE, data)

    def _entry(self, file: OutputFile) -> _Entry | None:
        if file.inputs is None:
            return None
        inputs = self._inputs_digest(file)
        noted = tuple(sorted(file.noted))
        noted_digest = self._noted.digest(noted)
        if inputs is None or noted_digest is None:
            return None
        try:
            status = os.lstat(os.path.join(self.output_dir, file.output_path))
        except OSError:
            return None
        content = self._contents.get(file.output_path, "")
        return _Entry(inputs, noted, noted_digest, status.st_size, status.st_mtime_ns, content)

    def _inputs_digest(self, file: OutputFile) -> str | None:
        try:
            return self._fingerprinter.hexdigest(file.inputs)
        except Unfingerprintable:
            return None

    def _load(self) -> dict[str, _Entry]:
        try:
            data = json.loads((self.folder / FILE).read_text(encoding="utf-8"))
            if (
                data.get("format") != _FORMAT
                or data.get("digest") != self.digest
                or data.get("output") != str(self.output_dir)
            ):
                return {}
            return {path: _read_entry(row) for path, row in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}


def content_digest(data: bytes) -> str:
    # SHA-256: twice blake2b's speed where the processor has instructions for it, as most do.
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _read_entry(row: list[Any]) -> _Entry:
    inputs, noted, noted_digest, size, mtime_ns, content = row
    if not (
        isinstance(inputs, str)
        and isinstance(noted, list)
        and all(isinstance(name, str) for name in noted)
        and isinstance(noted_digest, str)
        and isinstance(size, int)
        and isinstance(mtime_ns, int)
        and isinstance(content, str)
    ):
        raise TypeError("not an output cache entry")
    return _Entry(inputs, tuple(noted), noted_digest, size, mtime_ns, content)
