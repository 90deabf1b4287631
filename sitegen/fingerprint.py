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
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, tzinfo
from pathlib import PurePath
from types import MethodType
from typing import Any

_SIZE = 16
_INLINE = 200  # longer plain values are hashed on their own first


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
        self._open: set[int] = set()

    def hexdigest(self, value: Any) -> str:
        return self.digest(value).hex()

    def digest(self, value: Any) -> bytes:
        """The digest of `value`; Unfingerprintable if it holds a kind of value not handled."""
        scalar = _scalar(value)
        if scalar is not None:
            return _hash(scalar)
        return self._composite(value)

    def _composite(self, value: Any) -> bytes:
        known = self._known.get(id(value))
        if known is not None:
            return known[1]
        if id(value) in self._open:
            raise Unfingerprintable(f"a {type(value).__name__} that contains itself")
        self._open.add(id(value))
        try:
            hasher = hashlib.blake2b(type(value).__qualname__.encode(), digest_size=_SIZE)
            for part in self._parts(value):
                hasher.update(part)
            result = hasher.digest()
        finally:
            self._open.discard(id(value))
        self._known[id(value)] = (value, result)
        return result

    def _parts(self, value: Any) -> Iterator[bytes]:
        """The bytes that make up a composite value: small plain values inline (with their
        length, so two values can never run together), the rest as digests."""
        if isinstance(value, tuple | list):
            for item in value:
                yield self._part(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for name, label in _fields(type(value)):
                yield label
                yield self._part(getattr(value, name))
        elif isinstance(value, set | frozenset):
            yield from sorted(self.digest(item) for item in value)
        elif isinstance(value, dict):
            yield from sorted(self.digest(key) + self.digest(item) for key, item in value.items())
        elif isinstance(value, MethodType):
            yield value.__func__.__qualname__.encode()
            yield self.digest(value.__self__)
        else:
            raise Unfingerprintable(f"cannot fingerprint a {type(value).__qualname__}")

    def _part(self, value: Any) -> bytes:
        scalar = _scalar(value)
        if scalar is None:
            return b"d" + self._composite(value)
        if len(scalar) > _INLINE:
            return b"h" + _hash(scalar)
        return b"s" + len(scalar).to_bytes(1, "big") + scalar


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, bytes], ...]:
    return tuple((field.name, f"\0{field.name}=".encode()) for field in dataclasses.fields(kind))


def _scalar(value: Any) -> bytes | None:
    """The bytes that stand for a plain value, tagged with its kind; None for other values."""
    kind = type(value)
    if value is None or kind in (bool, int, float):
        return f"{kind.__name__}:{value!r}".encode()
    if isinstance(value, str):  # str and Markup: the same text escapes differently
        return kind.__name__.encode() + b":" + value.encode("utf-8", "surrogatepass")
    if isinstance(value, bytes):
        return b"bytes:" + value
    if isinstance(value, datetime | date | time):
        zone = getattr(value, "tzinfo", None)
        fold = getattr(value, "fold", 0)
        return f"{kind.__name__}:{value.isoformat()}:{_zone(zone)}:{fold}".encode()
    if isinstance(value, tzinfo):
        return f"zone:{_zone(value)}".encode()
    if isinstance(value, PurePath):
        return f"path:{value.as_posix()}".encode()
    if isinstance(value, enum.Enum):
        return f"{kind.__qualname__}.{value.name}".encode()
    return None


def _zone(zone: tzinfo | None) -> str:
    if zone is None:
        return ""
    key = getattr(zone, "key", None)  # ZoneInfo; fixed offsets print as their offset
    return str(key) if key else repr(zone)


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_SIZE).digest()


def digest_of(values: list[tuple[str, Any]], digest: Callable[[Any], bytes]) -> str:
    """One hex digest for named values, each digested with `digest`."""
    hasher = hashlib.blake2b(digest_size=_SIZE)
    for name, value in values:
        hasher.update(name.encode() + b"\0" + digest(value))
    return hasher.hexdigest()
