"""The build cache in .sitegen-cache/: rendered Markdown kept between builds on disk.

Entries are keyed by a hash of each document's text (see readers.markdown.memo_key); the
file as a whole is keyed by everything else that shapes the HTML: sitegen's version, the
Markdown and sanitizer packages and their settings. A cache that is corrupt or was written
by another version is ignored, never trusted. It is JSON, not pickle, so a cache file can
never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen import __version__
from sitegen.errors import Problem, Severity
from sitegen.readers.markdown import EXTENSION_CONFIGS, EXTENSIONS, MarkdownMemo, RenderedMarkdown

CACHE_DIR = ".sitegen-cache"
_FILE = "markdown.json"
_FORMAT = 1


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def fingerprint() -> str:
    """Everything besides a document's text that changes its rendered HTML."""
    parts = [
        f"format {_FORMAT}",
        f"sitegen {__version__}",
        f"markdown {_package_version('markdown')}",
        f"nh3 {_package_version('nh3')}",
        repr(EXTENSIONS),
        repr(
            sorted(
                (name, sorted(map(_stable, cfg.items()))) for name, cfg in EXTENSION_CONFIGS.items()
            )
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _stable(item: tuple[str, Any]) -> str:
    """A setting as text that is the same in every process (functions by name, not address)."""
    name, value = item
    return f"{name}={getattr(value, '__qualname__', value)!r}"


def load_markdown_memo(folder: Path) -> MarkdownMemo:
    """The cached renderings in `folder`, or an empty memo if there are none to trust."""
    try:
        data = json.loads((folder / _FILE).read_text(encoding="utf-8"))
        if data.get("fingerprint") != fingerprint():
            return MarkdownMemo()
        return MarkdownMemo({key: _rendered(value) for key, value in data["entries"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return MarkdownMemo()


def save_markdown_memo(memo: MarkdownMemo, folder: Path) -> bool:
    """Write what the build used, atomically (a crash leaves the old cache or none).

    False if it cannot be written (.sitegen-cache is a file, the disk is full, ...): the
    cache only saves time, so the build goes on without it.
    """
    entries = {key: _plain(value) for key, value in memo.entries().items()}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".markdown-", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"fingerprint": fingerprint(), "entries": entries}, stream)
        os.replace(temporary, folder / _FILE)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            return False
        raise
    return True


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
