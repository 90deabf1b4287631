"""Read items kept between builds: what identifies a read, and its entry as JSON text.

A stored read is used only for the same kind, path and bytes of a file under the same
conditions: the site.yaml settings, the files in static/ (readers check that images exist)
and in content/highlights/images/ (whose first bytes say what kind of picture each is).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Protocol

from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.event_model import Event
from sitegen.highlight_model import Highlight
from sitegen.model import Page, Post
from sitegen.readers.codec import Codec, DamagedEntry, codec_for
from sitegen.readers.highlights import HIGHLIGHTS_FOLDER, IMAGES_FOLDER

_ITEM_TYPES: dict[str, Any] = {
    "posts": Post | None,
    "pages": Page | None,
    "events": Event | None,
    "highlights": Highlight | None,
}
# The item, its problems, and the keys of the Markdown renderings it used.
StoredRead = tuple[Any, list[Problem], list[str]]


class StoredReads(Protocol):
    """Where read items are kept between builds (the build cache), as text by key."""

    def get_many(self, keys: list[str]) -> dict[str, str]: ...

    def put(self, key: str, value: str) -> None: ...


def _entry_codec(kind: str) -> Codec:
    return codec_for(tuple[_ITEM_TYPES[kind], list[Problem], list[str]])  # type: ignore[valid-type]


def encode_read(kind: str, entry: StoredRead) -> str | None:
    """The entry as JSON text, or None if it holds a value the cache cannot keep."""
    try:
        return _entry_codec(kind).dumps(entry)
    except (TypeError, ValueError):
        return None


def decode_read(kind: str, text: str) -> StoredRead | None:
    """The entry back, or None if it is damaged or not of this kind."""
    try:
        item, problems, keys = _entry_codec(kind).loads(text)
    except DamagedEntry:
        return None
    return item, problems, keys


def read_key(conditions: str, kind: str, path: str, data: bytes) -> str:
    """What identifies one read: the conditions, the kind and path, and the file's bytes."""
    # SHA-256, which most processors hash in hardware: 1.6 times BLAKE2's speed here, on
    # every content file of every build.
    digest = hashlib.sha256(data)
    digest.update(f"\0{conditions}\0{kind}\0{path}".encode())
    return digest.hexdigest()[:40]


def read_conditions(config: SiteConfig) -> str | None:
    """A digest of everything besides a file that shapes its item, or None if unknown."""
    settings = repr(config)
    if " at 0x" in settings:
        return None  # a value with no stable text: its changes could not be seen
    digest = hashlib.sha256(settings.encode())
    for path in _files_under(config.static_dir):
        digest.update(b"\0static\0" + path.encode())
    images = config.content_dir / HIGHLIGHTS_FOLDER / IMAGES_FOLDER
    for path in _files_under(images):
        try:
            with open(images / path, "rb") as handle:
                start = handle.read(16)
        except OSError:
            start = b""
        digest.update(b"\0image\0" + path.encode() + b"\0" + start)
    return digest.hexdigest()


def _files_under(folder: Path) -> list[str]:
    """Every file under `folder` (through links to folders, once each), relative, sorted."""
    found: list[str] = []
    seen: set[str] = set()
    for top, folders, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        relative = os.path.relpath(top, folder)
        for name in files:
            if os.path.isfile(os.path.join(top, name)):
                found.append(os.path.normpath(os.path.join(relative, name)))
        for name in folders:
            if os.path.islink(os.path.join(top, name)):
                # A link to a folder is followed; its target is part of what the files are.
                target = os.path.realpath(os.path.join(top, name))
                found.append(f"{os.path.join(relative, name)} -> {target}")
    return sorted(found)
