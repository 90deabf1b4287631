"""The width and height of a site's images, so pages can reserve their space (no layout shift).

Takes an image file (PNG, JPEG, GIF, WebP or SVG); gives (width, height) in pixels read from
its header, or None when the size cannot be known. Reads only the first bytes of the file.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

Size = tuple[int, int]
_HEAD = 64 * 1024  # JPEG's size marker can follow a large EXIF block
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_SVG_ATTR = re.compile(rb"""\s(width|height|viewBox)\s*=\s*["']([^"']*)["']""")
_LENGTH = re.compile(rb"\s*(\d+(?:\.\d+)?)\s*(px)?\s*")


def image_size(file: Path) -> Size | None:
    """(width, height) of the image in `file`, or None if it is not an image we can read."""
    try:
        with file.open("rb") as stream:
            head = stream.read(_HEAD)
    except OSError:
        return None
    for reader in (_png, _gif, _webp, _jpeg, _svg):
        size = reader(head)
        if size:
            return size if size[0] > 0 and size[1] > 0 else None
    return None


def _png(head: bytes) -> Size | None:
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    return None


def _gif(head: bytes) -> Size | None:
    if head[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", head[6:10])
        return width, height
    return None


def _webp(head: bytes) -> Size | None:
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30:
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(head) >= 30:
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    return None


def _jpeg(head: bytes) -> Size | None:
    if head[:2] != b"\xff\xd8":
        return None
    index = 2
    while index + 9 < len(head):
        if head[index] != 0xFF:
            return None
        marker = head[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        length = struct.unpack(">H", head[index + 2 : index + 4])[0]
        # Start-of-frame markers (not DHT C4, JPG C8, DAC CC) carry the size.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None


def _svg(head: bytes) -> Size | None:
    tag = _SVG_TAG.search(head)
    if not tag:
        return None
    attributes = {name.decode(): value for name, value in _SVG_ATTR.findall(tag.group(0))}
    width, height = (_pixels(attributes.get(name, b"")) for name in ("width", "height"))
    if width and height:
        return round(width), round(height)
    box = attributes.get("viewBox", b"").replace(b",", b" ").split()
    if len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            return None
        if width and box_height:
            return round(width), round(width * box_height / box_width)
        return round(box_width), round(box_height)
    return None


def _pixels(value: bytes) -> float | None:
    """An SVG length in pixels; None for percentages and units we cannot convert."""
    match = _LENGTH.fullmatch(value)
    return float(match.group(1)) if match else None
