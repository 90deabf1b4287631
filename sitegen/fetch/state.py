"""What fetch remembers between runs: content/highlights/.fetch-state.json.

Per source: the validators for conditional GET (ETag, Last-Modified), when the feed last
brought new content, and since when it fails. Per entry: its file, the hashes that identify
it, when it was first seen (the date of an undated entry) and a fingerprint of what fetch
wrote, so a staff edit is recognised and never overwritten.

It lives beside the highlight files and is committed with them: fetch runs in CI, where a
cache folder would be lost between runs, and the memory of a deleted file or a staff edit
belongs with the files. Keys are sorted and nothing changes on a run that finds nothing new,
so the file diffs cleanly and a quiet fetch leaves git clean. If it is lost, nothing unsafe
happens: existing files are treated as edited by staff and left alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

STATE_FILE = ".fetch-state.json"
STATE_VERSION = 1


@dataclass
class SourceState:
    url: str = ""
    etag: str = ""
    last_modified: str = ""
    changed: str = ""
    failing_since: str = ""
    last_error: str = ""


@dataclass
class EntryRecord:
    """One entry fetch wrote. `file` is relative to content/highlights/."""

    file: str
    source: str
    url_key: str
    guid_key: str = ""
    first_seen: str = ""
    written: str = ""


@dataclass
class FetchState:
    """The whole state file; `problem` says why an unreadable one was set aside."""

    sources: dict[str, SourceState] = field(default_factory=dict)
    entries: dict[str, EntryRecord] = field(default_factory=dict)
    problem: str = ""

    @classmethod
    def load(cls, folder: Path) -> FetchState:
        path = folder / STATE_FILE
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                sources={k: _make(SourceState, v) for k, v in data.get("sources", {}).items()},
                entries={k: _make(EntryRecord, v) for k, v in data.get("entries", {}).items()},
            )
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            return cls(
                problem=f"{STATE_FILE} could not be read ({type(exc).__name__}); "
                "fetch started from scratch and left existing files as they are"
            )

    def source(self, source_id: str) -> SourceState:
        return self.sources.setdefault(source_id, SourceState())

    def find(self, url_key: str, guid_key: str) -> str | None:
        """The key of the recorded entry with this link or this feed id, if any."""
        if url_key in self.entries:
            return url_key
        for key, record in self.entries.items():
            if record.url_key == url_key or (guid_key and record.guid_key == guid_key):
                return key
        return None

    def text(self) -> str:
        data = {
            "version": STATE_VERSION,
            "sources": {k: _compact(asdict(v)) for k, v in sorted(self.sources.items())},
            "entries": {k: _compact(asdict(v)) for k, v in sorted(self.entries.items())},
        }
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    def save(self, folder: Path) -> bool:
        """Write the state if it changed; True if it did."""
        path = folder / STATE_FILE
        text = self.text()
        if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == text:
            return False
        write_atomic(path, text)
        return True


def _make(kind: type[Any], data: Any) -> Any:
    known = {f.name for f in fields(kind)}
    return kind(**{k: str(v) for k, v in dict(data).items() if k in known})


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v}


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)
