"""Stable digests of values: equal values give equal digests in every process.

The output cache keys each file by the values it was made from, so a digest must see every
field (including ones a dataclass leaves out of its repr) and never depend on where an object
happens to live in memory. A value of a kind this module does not know is refused rather than
guessed at: its file is then simply made again.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import os
import re
import sys
from datetime import date, datetime, time, tzinfo
from pathlib import PurePath
from types import MethodType
from typing import Any

from markupsafe import Markup

_SIZE = 16
_INLINE = 200  # longer plain values are hashed on their own first
_INLINE_ITEMS = 16  # larger tuples and dicts get a digest of their own, remembered


class Unfingerprintable(TypeError):
    """A value whose digest could not be trusted (an unknown kind, or a cycle)."""


class Fingerprinter:
    """Digests values, remembering composite ones by identity for the life of one build.

    Content objects are shared between many pages (a post is on its own page, a listing, tag
    pages and a feed), so each is digested once. The objects are kept alive while they are
    remembered, so an identity is never reused for another object.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, bytes]] = {}
        # Small tuples as they are written inside others, by identity: one shared by many
        # pages (the site's feeds, the page addresses of a short listing) is written once.
        self._inlined: dict[int, tuple[Any, bytes]] = {}

    def know(self, value: Any, key: str) -> None:
        """Take `key` as what identifies `value` (a content item by the key of its read:
        its file's bytes, path and the settings), instead of digesting it field by field."""
        self._known[id(value)] = (value, _hash(b"known:" + key.encode()))

    def carry(self, value: Any, earlier: Fingerprinter) -> None:
        """Take the digest `earlier` took of this very object, if it took one (for the frozen
        content items the preview server's read cache gives back unchanged from build to
        build)."""
        known = earlier._known.get(id(value))
        if known is not None and known[0] is value:
            self._known[id(value)] = known

    def hexdigest(self, value: Any) -> str:
        return self.digest(value).hex()

    def digest(self, value: Any) -> bytes:
        """The digest of `value`; Unfingerprintable if it holds a kind of value not handled."""
        scalar = None if type(value) in _CONTAINERS else _scalar(value)
        if scalar is not None:
            return _hash(scalar)
        try:
            return self._composite(value)
        except RecursionError:
            raise Unfingerprintable(f"a {type(value).__name__} nested too deeply") from None

    def _composite(self, value: Any) -> bytes:
        known = self._known.get(id(value))
        if known is not None:
            return known[1]
        kind = type(value)
        parts = [kind.__qualname__.encode()]
        add, part = parts.append, self._part
        fields = _fields(kind)
        if fields is not None:
            for name, label in fields:
                add(label)
                add(part(getattr(value, name)))
        elif isinstance(value, tuple | list):
            for item in value:
                add(part(item))
        elif isinstance(value, set | frozenset):
            parts.extend(sorted(self.digest(item) for item in value))
        elif isinstance(value, dict):
            parts.extend(
                sorted(self.digest(key) + self.digest(item) for key, item in value.items())
            )
        elif isinstance(value, MethodType):
            add(value.__func__.__qualname__.encode())
            add(self.digest(value.__self__))
        else:
            raise Unfingerprintable(f"cannot fingerprint a {kind.__qualname__}")
        result = _hash(b"".join(parts))
        self._known[id(value)] = (value, result)
        return result

    def _part(self, value: Any) -> bytes:
        """A value inside a composite one: small plain values inline (with their length, so
        two values can never run together), small tuples and dicts inline too (each part
        delimits itself), the rest as digests."""
        kind = type(value)
        encode = _ENCODERS.get(kind)
        if encode is not None:
            scalar = encode(value)
        else:
            known = self._known.get(id(value))  # a post shown on many pages
            if known is not None:
                return b"d" + known[1]
            if kind is tuple and len(value) <= _INLINE_ITEMS:
                inlined = self._inlined.get(id(value))
                if inlined is None:
                    inlined = self._inlined[id(value)] = (value, self._inline(value))
                return inlined[1]
            if kind is dict and len(value) <= _INLINE_ITEMS:
                return self._inline(value)
            scalar = None if kind in _CONTAINERS else _scalar(value)
        if scalar is None:
            return b"d" + self._composite(value)
        if len(scalar) > _INLINE:
            return b"h" + _hash(scalar)
        return b"s" + len(scalar).to_bytes(1, "big") + scalar

    def _inline(self, value: tuple[Any, ...] | dict[Any, Any]) -> bytes:
        part = self._part
        if isinstance(value, dict):
            items = sorted(part(key) + part(item) for key, item in value.items())
            marker = b"m"
        else:
            items = [part(item) for item in value]
            marker = b"t"
        return marker + len(items).to_bytes(1, "big") + b"".join(items)


_FIELDS: dict[type, tuple[tuple[str, bytes], ...] | None] = {}


def _fields(kind: type) -> tuple[tuple[str, bytes], ...] | None:
    """A dataclass's field names and their labels in a digest; None for other types."""
    if kind not in _FIELDS:
        _FIELDS[kind] = (
            tuple((field.name, f"\0{field.name}=".encode()) for field in dataclasses.fields(kind))
            if dataclasses.is_dataclass(kind)
            else None
        )
    return _FIELDS[kind]


def _text(prefix: bytes) -> Any:
    return lambda value: prefix + value.encode("utf-8", "surrogatepass")


def _moment(value: datetime | date | time) -> bytes:
    zone = _zone(getattr(value, "tzinfo", None))
    fold = getattr(value, "fold", 0)
    return f"{type(value).__name__}:{value.isoformat()}:{zone}:{fold}".encode()


def _plain(value: Any) -> bytes:
    return f"{type(value).__name__}:{value!r}".encode()


# Never plain values: _scalar, with its isinstance tests, is not asked about them (a page's
# inputs are a tuple, and half the time of their digests went on asking).
_CONTAINERS = frozenset({tuple, list, dict, set, frozenset})
# The plain values by exact type, for speed; subclasses are found by _scalar's fallback.
_ENCODERS: dict[type, Any] = {
    str: _text(b"str:"),
    Markup: _text(b"Markup:"),  # the same text escapes differently as Markup
    int: _plain,
    bool: _plain,
    float: _plain,
    type(None): _plain,
    datetime: _moment,
    date: _moment,
    time: _moment,
    bytes: lambda value: b"bytes:" + value,
}


def _scalar(value: Any) -> bytes | None:
    """The bytes that stand for a plain value, tagged with its kind; None for other values."""
    encode = _ENCODERS.get(type(value))
    if encode is not None:
        result: bytes = encode(value)
        return result
    if isinstance(value, str):
        return type(value).__qualname__.encode() + b":" + value.encode("utf-8", "surrogatepass")
    if isinstance(value, datetime | date | time):
        return _moment(value)
    if isinstance(value, tzinfo):
        return f"zone:{_zone(value)}".encode()
    if isinstance(value, PurePath):
        return f"path:{value.as_posix()}".encode()
    if isinstance(value, enum.Enum):
        return f"{type(value).__qualname__}.{value.name}".encode()
    return None


def _zone(zone: tzinfo | None) -> str:
    if zone is None:
        return ""
    key = getattr(zone, "key", None)  # ZoneInfo; fixed offsets print as their offset
    return str(key) if key else repr(zone)


def _hash(data: bytes) -> bytes:
    # SHA-256 rather than BLAKE2: processors hash it in hardware, several times faster here.
    return hashlib.sha256(data).digest()[:_SIZE]


def digest_of(values: list[tuple[str, bytes]]) -> str:
    """One hex digest for named digests."""
    return _hash(b"".join(name.encode() + b"\0" + digest for name, digest in values)).hex()


def package_version(name: str) -> str:
    """An installed package's version ("?" if it is not installed), for digests of what a
    cache entry was made with.

    Read from the name of its metadata folder (NAME-VERSION.dist-info, as pip and Debian
    install packages) where there is one: importlib.metadata, with the email package it
    loads, took a tenth of a rebuild's imports. It answers for any other kind of install.
    """
    found = _metadata_folders().get(_normalized(name))
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


@functools.cache
def _metadata_folders() -> dict[str, str]:
    """Installed packages' versions by normalized name, from the folders on sys.path; the
    first folder to hold a package gives its version, as the first gives its code."""
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            stem, dot, suffix = entry.rpartition(".")
            if dot and suffix in ("dist-info", "egg-info") and stem.count("-") in (1, 2):
                # NAME-VERSION (an egg's may end -pyX.Y); neither part holds "-".
                name, version = stem.split("-")[:2]
                versions.setdefault(_normalized(name), version)
    return versions


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()
