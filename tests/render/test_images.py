"""Image sizes read from file headers, so pages can give every image its width and height."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from sitegen.render.images import image_size


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + frame + b"\xff\xd9"


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        ("photo.png", png(1200, 675), (1200, 675)),
        ("photo.jpg", jpeg(800, 600), (800, 600)),
        ("anim.gif", b"GIF89a" + struct.pack("<HH", 320, 200) + b"\x00" * 8, (320, 200)),
        (
            "lossless.webp",
            b"RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f"
            + ((640 - 1) | ((480 - 1) << 14)).to_bytes(4, "little"),
            (640, 480),
        ),
        (
            "sized.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px">',
            (120, 80),
        ),
        ("box.svg", b"<?xml version='1.0'?>\n<svg viewBox='0 0 800 450'>", (800, 450)),
        ("half.svg", b'<svg width="400" viewBox="0 0 800 450">', (400, 225)),
        ("percent.svg", b'<svg width="100%" height="100%">', None),
        ("notes.txt", b"not an image", None),
    ],
)
def test_image_sizes_come_from_the_file_header(tmp_path: Path, name, data, size):
    file = tmp_path / name
    file.write_bytes(data)
    assert image_size(file) == size


def test_a_missing_file_has_no_size(tmp_path: Path):
    assert image_size(tmp_path / "nope.png") is None
