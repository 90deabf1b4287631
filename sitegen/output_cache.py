"""Pages and feeds kept from the last build when nothing they are made from has changed.

A file that can be kept (its OutputFile has `inputs`) is matched on three things:
- the build digest: sitegen's and its packages' versions, the settings, every theme file;
- the digest of its inputs (a post and its neighbours; one page of a listing; a feed's posts);
- the parts of the Site its templates read last time (see render.recording), valued now.
When all three are what the last build recorded, and the file in the output folder is the one
that build wrote (same size and modification time), the file is kept as it is instead of being
rendered again. The record is .sitegen-cache/outputs.json; one that is damaged, from another
version, or for another output folder is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.config import SiteConfig
from sitegen.fingerprint import Fingerprinter, Unfingerprintable, digest_of
from sitegen.outputs.files import OutputFile
from sitegen.render.themes import Theme

FILE = "outputs.json"
_PACKAGE = Path(__file__).parent
_FORMAT = 1
# What the bytes of a page or feed can depend on besides sitegen itself.
_PACKAGES = ("jinja2", "markupsafe", "feedgen", "lxml", "icalendar", "python-dateutil")


@dataclass(frozen=True)
class _Entry:
    inputs: str
    noted: tuple[str, ...]
    noted_digest: str
    size: int
    mtime_ns: int


def build_digest(config: SiteConfig, theme: Theme, assets_url: str) -> str:
    """What every kept file depends on: versions, settings, every theme file."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"format {_FORMAT}\nsitegen {__version__}\n{assets_url}\n".encode())
    for name in _PACKAGES:
        hasher.update(f"{name} {_package_version(name)}\n".encode())
    hasher.update(Fingerprinter().digest(config))
    # sitegen's own code: an installed copy being worked on changes without a new version.
    for file in sorted(_PACKAGE.rglob("*.py")):
        hasher.update(file.read_bytes())
    for folder in theme.template_dirs:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                hasher.update(f"\0{file.relative_to(folder).as_posix()}\0".encode())
                hasher.update(file.read_bytes())
        hasher.update(b"\0theme folder\0")
    return hasher.hexdigest()


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
        self._dependency = dependency
        self._fingerprinter = Fingerprinter()
        for value, key in known:
            self._fingerprinter.know(value, key)
        self._noted_digests: dict[str, bytes | None] = {}
        self._entries = self._load()
        self._unchanged: set[str] = set()  # kept by reuse: their entries still hold

    def reuse(self, files: Iterable[OutputFile]) -> list[OutputFile]:
        """`files`, with each one that would come out as the last build wrote it kept as is."""
        return [self._kept(file) or file for file in files]

    def _kept(self, file: OutputFile) -> OutputFile | None:
        entry = self._entries.get(file.output_path)
        if entry is None or file.inputs is None:
            return None
        if self._inputs_digest(file) != entry.inputs:
            return None
        if self._noted_digest(entry.noted) != entry.noted_digest:
            return None
        written = os.path.join(self.output_dir, file.output_path)
        try:
            status = os.lstat(written)
        except OSError:
            return None
        if (status.st_size, status.st_mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        self._unchanged.add(file.output_path)
        return file.kept_at(Path(written), set(entry.noted))

    def save(self, files: Iterable[OutputFile]) -> bool:
        """Record the files as written to the output folder; False if it cannot be saved."""
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
            "files": {path: list(vars(entry).values()) for path, entry in entries.items()},
        }
        return _write_json(self.folder / FILE, data)

    def _entry(self, file: OutputFile) -> _Entry | None:
        if file.inputs is None or file.pending:
            return None
        inputs = self._inputs_digest(file)
        noted = tuple(sorted(file.noted))
        noted_digest = self._noted_digest(noted)
        if inputs is None or noted_digest is None:
            return None
        try:
            status = os.lstat(os.path.join(self.output_dir, file.output_path))
        except OSError:
            return None
        return _Entry(inputs, noted, noted_digest, status.st_size, status.st_mtime_ns)

    def _inputs_digest(self, file: OutputFile) -> str | None:
        try:
            return self._fingerprinter.hexdigest(file.inputs)
        except Unfingerprintable:
            return None

    def _noted_digest(self, names: tuple[str, ...]) -> str | None:
        parts = []
        for name in names:
            digest = self._name_digest(name)
            if digest is None:
                return None
            parts.append((name, digest))
        return digest_of(parts)

    def _name_digest(self, name: str) -> bytes | None:
        if name not in self._noted_digests:
            try:
                value = self._dependency(name)
                self._noted_digests[name] = self._fingerprinter.digest(value)
            except (Unfingerprintable, AttributeError, TypeError, ValueError):
                self._noted_digests[name] = None
        return self._noted_digests[name]

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


def _read_entry(row: list[Any]) -> _Entry:
    inputs, noted, noted_digest, size, mtime_ns = row
    if not (
        isinstance(inputs, str)
        and isinstance(noted, list)
        and all(isinstance(name, str) for name in noted)
        and isinstance(noted_digest, str)
        and isinstance(size, int)
        and isinstance(mtime_ns, int)
    ):
        raise TypeError("not an output cache entry")
    return _Entry(inputs, tuple(noted), noted_digest, size, mtime_ns)


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _write_json(file: Path, data: Any) -> bool:
    """Write atomically (a crash leaves the old record or none); False if it cannot."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".outputs-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(json.dumps(data, separators=(",", ":")))
            os.replace(temporary, file)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
