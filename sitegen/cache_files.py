"""Files in .sitegen-cache/: written whole or not at all, in a folder git ignores.

A build that is stopped part way, or a full disk, leaves the last complete file (or none),
never half of one; a cache file that cannot be written only costs the next build time.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def write_json(folder: Path, name: str, data: Any) -> bool:
    """Write `data` as `name` in the cache folder, atomically; False if it cannot be written."""
    try:
        make_folder(folder)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.writelines(_json_pieces(data))
        os.replace(temporary, folder / name)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            return False
        raise
    return True


def _json_pieces(data: dict[str, Any]) -> Iterator[str]:
    """`data` as JSON, a piece per few hundred entries of its dictionaries: json.dumps is
    quick but makes the whole text at once (56 MB more at 4,000 posts), json.dump is slow,
    and so is a call for each entry."""
    yield "{"
    for index, (key, value) in enumerate(data.items()):
        yield ("," if index else "") + json.dumps(key) + ":"
        if isinstance(value, dict):
            yield "{"
            items = list(value.items())
            for start in range(0, len(items), _PIECE):
                piece = _compact(dict(items[start : start + _PIECE]))
                yield ("," if start else "") + piece[1:-1]  # the entries, without the braces
            yield "}"
        else:
            yield _compact(value)
    yield "}"


_PIECE = 256
# One encoder for every piece: json.dumps with separators makes a new one on each call.
_compact = json.JSONEncoder(separators=(",", ":")).encode


def make_folder(folder: Path) -> None:
    """The cache folder, with a .gitignore that keeps everything in it out of git."""
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
