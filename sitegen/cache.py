"""The build cache in .sitegen-cache/: rendered Markdown and read items kept between builds.

markdown.json holds rendered Markdown, keyed by a hash of each document's text (see
readers.markdown.memo_key); reads.sqlite3 holds what each content file gave its reader,
keyed by the file's content (see readers.stored). Both are keyed as a whole by everything
else that shapes them: sitegen's version and code, the Markdown and sanitizer packages and
their settings. A cache that is corrupt or was written by another version is ignored and
replaced, never trusted. Nothing in it is pickled, so a cache file can never run code.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable
from functools import cache, partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen import __version__
from sitegen.cache_files import make_folder, write_json
from sitegen.errors import Problem, Severity
from sitegen.fingerprint import package_version
from sitegen.readers.markdown import EXTENSION_CONFIGS, EXTENSIONS, MarkdownMemo, RenderedMarkdown

CACHE_DIR = ".sitegen-cache"
_FILE = "markdown.json"
_READS = "reads.sqlite3"
_FORMAT = 2
# Loading markdown.json pays when it costs less than rendering what may be in it: this many
# bytes of it load in about the time Python-Markdown takes for one document.
_BYTES_PER_RENDER = 400_000
_HEAD = 200  # bytes of markdown.json that hold its fingerprint


def fingerprint() -> str:
    """Everything besides a document's text that changes its rendered HTML."""
    parts = [
        f"format {_FORMAT}",
        f"sitegen {__version__} {_code_digest()}",
        *(f"{name} {package_version(name)}" for name in _PACKAGES),
        repr(EXTENSIONS),
        repr(
            sorted(
                (name, sorted(map(_stable, cfg.items()))) for name, cfg in EXTENSION_CONFIGS.items()
            )
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# Packages whose behaviour shapes rendered Markdown or read items (YAML values, repeat rules,
# time zones).
_PACKAGES = ("markdown", "nh3", "pyyaml", "python-dateutil", "tzdata", "markupsafe")


# sitegen's modules that shape rendered Markdown and read items.
_CODE = (
    "readers",
    "config",
    "cache.py",
    "cache_files.py",
    "model.py",
    "event_model.py",
    "highlight_model.py",
    "fields.py",
    "yaml_source.py",
    "errors.py",
    "sanitize.py",
    "untrusted.py",
    "recurrence.py",
    "urls.py",
)


@cache
def _code_digest() -> str:
    """sitegen's own code: a change to a reader counts even before the version number moves."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for name in _CODE:
        files = sorted((package / name).rglob("*.py")) if name.isidentifier() else []
        for file in files or [package / name]:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"?")
    return digest.hexdigest()


def _stable(item: tuple[str, Any]) -> str:
    """A setting as text that is the same in every process (functions by name, not address)."""
    name, value = item
    return f"{name}={getattr(value, '__qualname__', value)!r}"


def stored_markdown_memo(folder: Path) -> MarkdownMemo:
    """The renderings kept in `folder`, loaded only when a build has enough documents to
    render for loading them to pay (see MarkdownMemo.prepare)."""
    return MarkdownMemo(loader=partial(_load_markdown, folder))


def _load_markdown(folder: Path, documents: int) -> dict[str, RenderedMarkdown] | None:
    try:
        size = (folder / _FILE).stat().st_size
    except OSError:
        return {}
    if size > documents * _BYTES_PER_RENDER:
        return None
    return _markdown_entries(folder)


def _markdown_entries(folder: Path) -> dict[str, RenderedMarkdown]:
    try:
        with open(folder / _FILE, "rb") as stream:
            # The fingerprint is written first, so another version's file is never parsed
            # (at 4,000 posts that would cost more memory than the rest of the build).
            head = stream.read(_HEAD)
            if fingerprint().encode() not in head:
                return {}
            data = json.loads((head + stream.read()).decode("utf-8"))
        if data.get("fingerprint") != fingerprint():
            return {}
        return {key: _rendered(value) for key, value in data["entries"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_markdown_memo(memo: MarkdownMemo, folder: Path) -> bool:
    """Write what the build used, atomically (a crash leaves the old cache or none).

    False if it cannot be written (.sitegen-cache is a file, the disk is full, ...): the
    cache only saves time, so the build goes on without it.
    """
    entries = {key: _plain(value) for key, value in memo.entries().items()}
    return write_json(folder, _FILE, {"fingerprint": fingerprint(), "entries": entries})


def _plain(rendered: RenderedMarkdown) -> dict[str, Any]:
    return {
        "html": str(rendered.html),
        "summary": str(rendered.summary),
        "toc": str(rendered.toc),
        "problems": [
            [p.message, p.path, p.line, p.hint, p.severity.value] for p in rendered.problems
        ],
    }


def _rendered(value: dict[str, Any]) -> RenderedMarkdown:
    """An entry read back; TypeError or ValueError unless every field has its own type."""
    problems = [
        Problem(_text(message), _text(path), _number(line), _text(hint), Severity(severity))
        for message, path, line, hint, severity in value["problems"]
    ]
    html, summary, toc = (_text(value[key]) for key in ("html", "summary", "toc"))
    return RenderedMarkdown(Markup(html), Markup(summary), Markup(toc), problems)


def _text(value: object) -> str:
    # Markup() and str() take anything: a damaged entry's null or number would reach the page.
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, not {type(value).__name__}")
    return value


# --- read items, one row per content file ----------------------------------------------------

_SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE reads (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
_BATCH = 500
# Stored reads written as a build goes, this many at a time (a cold build of 4,000 posts
# would otherwise hold 26 MB of them until it ends).
_WRITE_BATCH = 250


class BuildCache:
    """.sitegen-cache/ for one build: rendered Markdown, and read items by file content.

    Read items are rows of an SQLite database, so a build that reads one changed file
    writes one row. The two files are trusted together: if markdown.json is not the file the
    last build left (damaged, or replaced), no stored read is used either. Anything that goes
    wrong with the database leaves the build without it, never stops the build.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fingerprint = fingerprint()
        self._wanted: set[str] = set()
        self._new: dict[str, str] = {}
        self._markdown: list[int] | None = None
        self._db = self._open()

    # What read_content asks of it (readers.read_cache.StoredReads).

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The stored values of those of `keys` there are; all of `keys` are kept."""
        keys = list(keys)
        self._wanted.update(keys)
        found: dict[str, str] = {}
        if self._db is None:
            return found
        try:
            for start in range(0, len(keys), _BATCH):
                batch = keys[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    f"SELECT key, value FROM reads WHERE key IN ({marks})", batch
                )
                found.update((key, value) for key, value in rows if type(value) is str)
        except sqlite3.Error:
            self._close()
            return {}
        return found

    def put(self, key: str, value: str) -> None:
        self._wanted.add(key)
        self._new[key] = value
        if len(self._new) >= _WRITE_BATCH:
            self._write_new()

    def _write_new(self) -> None:
        """Write the entries put so far and let their text go, so a cold build does not hold
        them all (a row is found by its file's content, so one written before a build fails
        is still right)."""
        if self._db is not None:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(
                    "INSERT OR REPLACE INTO reads VALUES (?, ?)", self._new.items()
                )
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._close()
        self._new = {}

    # For the build.

    def markdown_memo(self) -> MarkdownMemo:
        """The stored renderings, loaded only if the build has enough documents to render."""
        return stored_markdown_memo(self.folder)

    def save(self, memo: MarkdownMemo | None) -> None:
        """Keep what this build used and drop the rest: markdown.json (if it was loaded, so
        it can be rewritten whole) and read items (one row per new or changed file)."""
        if memo is not None and memo.loaded:
            save_markdown_memo(memo, self.folder)
        self._write_new()
        db = self._db
        if db is None:
            return
        try:
            signature = _signature(self.folder / _FILE, self._markdown)
            db.execute("BEGIN IMMEDIATE")
            stale = [(key,) for (key,) in db.execute("SELECT key FROM reads")]
            db.executemany(
                "DELETE FROM reads WHERE key = ?", [k for k in stale if k[0] not in self._wanted]
            )
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('markdown', ?)", (json.dumps(signature),)
            )
            db.execute("COMMIT")
        except (sqlite3.Error, OSError):
            pass
        finally:
            self._close()

    def _open(self) -> sqlite3.Connection | None:
        try:
            make_folder(self.folder)
        except OSError:
            return None
        path = self.folder / _READS
        for _attempt in range(2):
            db = None
            try:
                db = sqlite3.connect(path, isolation_level=None, timeout=2)
                db.execute("PRAGMA trusted_schema = OFF")
                if self._usable(db):
                    return db
                db.close()
                db = None
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            except (sqlite3.Error, OSError):
                if db is not None:
                    db.close()
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    return None
        return None

    def _usable(self, db: sqlite3.Connection) -> bool:
        """True if `db` is this version's cache (made empty if it is new)."""
        schema = sorted(
            sql for (sql,) in db.execute("SELECT sql FROM sqlite_master") if sql is not None
        )
        if not schema:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (self._fingerprint,))
            db.execute("INSERT INTO meta VALUES ('markdown', 'null')")
            db.execute("COMMIT")
            return True
        if schema != sorted(_SCHEMA):
            return False
        meta = dict(db.execute("SELECT name, value FROM meta"))
        if meta.get("fingerprint") != self._fingerprint:
            return False
        db.execute("PRAGMA synchronous = NORMAL")
        recorded = json.loads(meta.get("markdown", "null"))
        if not (recorded is None or _is_signature(recorded)):
            return False
        current = _signature(self.folder / _FILE, recorded)
        if (current is None) != (recorded is None) or (
            current is not None and recorded is not None and current[::2] != recorded[::2]
        ):
            # markdown.json is not what the last build left: trust neither file.
            return False
        self._markdown = current
        return True

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _is_signature(value: object) -> bool:
    return type(value) is list and len(value) == 3 and all(type(part) is int for part in value)


def _signature(file: Path, known: list[int] | None) -> list[int] | None:
    """[size, modification time, CRC-32] of `file`; the CRC is read again only if the
    size or time differ from `known` (after a fresh git clone and cache restore, say)."""
    try:
        status = file.stat()
        if not file.is_file():
            return None
        if known is not None and known[:2] == [status.st_size, status.st_mtime_ns]:
            return known
        return [status.st_size, status.st_mtime_ns, zlib.crc32(file.read_bytes())]
    except OSError:
        return None
