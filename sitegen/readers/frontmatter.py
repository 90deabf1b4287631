"""A content file split into its front matter and its Markdown body.

Takes the bytes of a file and gives a SourceFile: the front matter as a YamlMap (with line
numbers counted in the file), the body text and the line it starts on. Encodings and line
endings that editors produce (UTF-8 with a BOM, UTF-16, CRLF) are accepted.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Problem, SiteError
from sitegen.yaml_source import YamlMap, load_yaml

_FENCE = "---"
_EXAMPLE = '---\ntitle: "Winter Reading Challenge"\ndate: 2026-12-01\n---\n\nYour text here.'


@dataclass(frozen=True)
class SourceFile:
    path: str
    front: YamlMap
    body: str
    body_line: int


def decode_text(data: bytes, path: str) -> str:
    """Text from an author's file, with LF line endings; SiteError if it is not UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise SiteError(
                Problem(
                    "This file is not saved as UTF-8 text "
                    f"(byte {data[exc.start]:#04x} cannot be read).",
                    path,
                    line,
                    "Open it in your editor and save it with the UTF-8 encoding.",
                )
            ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(file: Path, path: str, data: bytes | None = None) -> SourceFile:
    """Read `file` (shown to authors as `path`; `data` if its bytes are already read) and
    split off its front matter."""
    return split_source(decode_text(file.read_bytes() if data is None else data, path), path)


def split_source(text: str, path: str) -> SourceFile:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise SiteError(
            Problem(
                "The file does not start with front matter (a line of three dashes).",
                path,
                1,
                "Start the file like this:\n" + _EXAMPLE,
            )
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            break
    else:
        raise SiteError(
            Problem(
                "The front matter is never closed with a line of three dashes.",
                path,
                1,
                "Add a line with just --- after the last setting, then the text.",
            )
        )
    front = load_yaml("\n".join(lines[1:index]), path, first_line=2)
    if front is None:
        front = YamlMap(1)
    if not isinstance(front, YamlMap):
        raise SiteError(
            Problem(
                "The front matter must be `key: value` lines.",
                path,
                2,
                "Write it like this:\n" + _EXAMPLE,
            )
        )
    return SourceFile(path, front, "\n".join(lines[index + 1 :]), index + 2)
