"""Read items as JSON and back, for the build cache on disk: never pickle, never a name from a file.

Takes what readers give (Post, Page, Event, Highlight, their problems and rendered Markdown)
and gives JSON text; decoding follows the dataclasses' own annotations, so a value of the
wrong type anywhere (a damaged or foreign cache) raises DamagedEntry instead of reaching a
page. Only the types listed in ALLOWED can be made; nothing is imported from what is read.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sitegen.config import Address, Branch, OpeningHours
from sitegen.errors import Problem, Severity
from sitegen.event_model import Event, Label, OccurrenceChange
from sitegen.highlight_model import CommunitySource, Highlight
from sitegen.model import Image, Page, Post, SourceRef, Tag
from sitegen.readers.markdown import RenderedMarkdown
from sitegen.yaml_source import YamlMap

__all__ = ["ALLOWED", "Codec", "DamagedEntry", "codec_for"]

# Every dataclass a cache entry may hold; anything else met while encoding is refused.
ALLOWED: tuple[type, ...] = (
    Post,
    Page,
    Event,
    Highlight,
    SourceRef,
    Image,
    Tag,
    Label,
    OccurrenceChange,
    Branch,
    Address,
    OpeningHours,
    CommunitySource,
    Problem,
    RenderedMarkdown,
)
_ENUMS: tuple[type[Enum], ...] = (Severity,)

_Decode = Callable[[Any], Any]
_Encode = Callable[[Any], Any]


class DamagedEntry(ValueError):
    """A cache entry that is not what this version of sitegen writes."""


def _fail(expected: str, value: object) -> DamagedEntry:
    return DamagedEntry(f"expected {expected}, not {type(value).__name__}")


class Codec:
    """Encodes and decodes values of one annotated type (such as `Post | None`)."""

    def __init__(self, hint: Any) -> None:
        self._encode, self._decode = _compile(hint)

    def dumps(self, value: Any) -> str:
        """Text for `value`; TypeError for anything the type does not allow.

        It is JSON, a NUL, then the HTML of each Markup value one after another (the JSON
        holds their lengths): HTML is most of an entry, and reading it back is then a slice
        of text, not a parse.
        """
        out: list[str] = []
        _texts.out = out
        try:
            head = json.dumps(
                [self._encode(value), [len(text) for text in out]],
                ensure_ascii=False,
                separators=(",", ":"),
            )
        finally:
            _texts.out = None
        return head + "\0" + "".join(out)

    def loads(self, text: str) -> Any:
        """The value back; DamagedEntry if the text is not a value of the type."""
        head, separator, html = text.partition("\0")
        try:
            if not separator:
                raise DamagedEntry("no HTML part")
            data, lengths = json.loads(head)
            texts = []
            start = 0
            for length in lengths:
                if type(length) is not int or length < 0:
                    raise _fail("a length", length)
                texts.append(html[start : start + length])
                start += length
            if start != len(html):
                raise DamagedEntry("the HTML part has another length")
            _texts.read = texts
            return self._decode(data)
        except DamagedEntry:
            raise
        except (TypeError, ValueError, KeyError, IndexError, OverflowError, RecursionError) as exc:
            raise DamagedEntry(str(exc)) from None
        finally:
            _texts.read = None


# The Markup texts of the entry being written or read, in this thread.
_texts = threading.local()


_codecs: dict[Any, Codec] = {}


def codec_for(hint: Any) -> Codec:
    """One Codec per type, made on first use."""
    codec = _codecs.get(hint)
    if codec is None:
        codec = _codecs[hint] = Codec(hint)
    return codec


# --- compiling a type into an encoder and a decoder -----------------------------------------

_dataclass_parts: dict[type, tuple[_Encode, _Decode]] = {}


def _compile(hint: Any) -> tuple[_Encode, _Decode]:
    if hint is Any:
        return _encode_any, _decode_any
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _optional(hint)
    if origin is tuple:
        return _sequence(hint, tuple)
    if origin is list:
        return _sequence(hint, list)
    if origin is dict:
        key, value = typing.get_args(hint)
        if key is not str or value is not Any:
            raise TypeError(f"only dict[str, Any] is supported, not {hint}")
        return _encode_any_dict, _decode_any_dict
    if isinstance(hint, type):
        if hint in _SCALARS:
            return _SCALARS[hint]
        if hint in _ENUMS:
            return _enum(hint)
        if hint in ALLOWED:
            return _dataclass(hint)
    raise TypeError(f"the cache cannot hold a {hint!r}")


def _optional(hint: Any) -> tuple[_Encode, _Decode]:
    options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if len(options) != 1 or len(typing.get_args(hint)) != 2:
        raise TypeError(f"only `X | None` unions are supported, not {hint}")
    encode, decode = _compile(options[0])
    return (
        lambda value: None if value is None else encode(value),
        lambda data: None if data is None else decode(data),
    )


def _sequence(hint: Any, kind: type[tuple[Any, ...]] | type[list[Any]]) -> tuple[_Encode, _Decode]:
    args = typing.get_args(hint)
    if kind is tuple and (len(args) != 2 or args[1] is not Ellipsis):
        return _fixed_tuple(args)
    encode, decode = _compile(args[0])

    def encode_items(value: Any) -> list[Any]:
        if type(value) is not kind:
            raise TypeError(f"expected a {kind.__name__}, not {type(value).__name__}")
        return [encode(item) for item in value]

    def decode_items(data: Any) -> Any:
        if type(data) is not list:
            raise _fail("a list", data)
        items = [decode(item) for item in data]
        return items if kind is list else tuple(items)

    return encode_items, decode_items


def _fixed_tuple(hints: tuple[Any, ...]) -> tuple[_Encode, _Decode]:
    parts = [_compile(hint) for hint in hints]
    encoders = [encode for encode, _ in parts]
    decoders = [decode for _, decode in parts]

    def encode_items(value: Any) -> list[Any]:
        if type(value) is not tuple or len(value) != len(parts):
            raise TypeError(f"expected a tuple of {len(parts)}, not {value!r}")
        return [encode(item) for encode, item in zip(encoders, value, strict=True)]

    def decode_items(data: Any) -> tuple[Any, ...]:
        if type(data) is not list or len(data) != len(parts):
            raise _fail(f"a list of {len(parts)}", data)
        return tuple([decode(item) for decode, item in zip(decoders, data, strict=True)])

    return encode_items, decode_items


def _dataclass(cls: type) -> tuple[_Encode, _Decode]:
    if cls in _dataclass_parts:
        return _dataclass_parts[cls]
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    parts = [_compile(hints[name]) for name in names]
    encoders = [(name, encode) for name, (encode, _) in zip(names, parts, strict=True)]

    def encode_fields(value: Any) -> list[Any]:
        if type(value) is not cls:
            raise TypeError(f"expected {cls.__name__}, not {type(value).__name__}")
        return [encode(getattr(value, name)) for name, encode in encoders]

    parts_decode = _decode_fields(cls, [hints[name] for name in names], parts)
    _dataclass_parts[cls] = (encode_fields, parts_decode)
    return encode_fields, parts_decode


def _decode_fields(cls: type, hints: list[Any], parts: list[tuple[_Encode, _Decode]]) -> _Decode:
    """A decoder for `cls` written out field by field, as dataclasses writes __init__: one
    call per item is most of the time a warm build spends reading the cache."""
    namespace: dict[str, Any] = {"cls": cls, "fail": _fail}
    lines = [
        "def decode(data):",
        f"    if type(data) is not list or len(data) != {len(hints)}:",
        f"        raise fail('{cls.__name__} of {len(hints)} fields', data)",
    ]
    for index, (hint, (_, decode)) in enumerate(zip(hints, parts, strict=True)):
        if hint in (str, int, bool):
            namespace[hint.__name__] = hint
            lines += [
                f"    v{index} = data[{index}]",
                f"    if type(v{index}) is not {hint.__name__}:",
                f"        raise fail('{hint.__name__}', v{index})",
            ]
        else:
            namespace[f"d{index}"] = decode
            lines.append(f"    v{index} = d{index}(data[{index}])")
    lines.append(f"    return cls({', '.join(f'v{i}' for i in range(len(hints)))})")
    # The source is made from the dataclass's own annotations, never from what is read.
    exec("\n".join(lines), namespace)
    decode_function: _Decode = namespace["decode"]
    return decode_function


def _enum(cls: type[Enum]) -> tuple[_Encode, _Decode]:
    def encode(value: Any) -> Any:
        if type(value) is not cls:
            raise TypeError(f"expected {cls.__name__}, not {type(value).__name__}")
        return value.value

    return encode, cls


def _exact(kind: type, name: str) -> tuple[_Encode, _Decode]:
    def check(value: Any) -> Any:
        # bool is an int to Python, and Markup a str: neither may stand in for the other.
        if type(value) is not kind:
            raise _fail(name, value)
        return value

    return check, check


def _encode_markup(value: Any) -> int:
    if not isinstance(value, Markup):
        raise TypeError(f"expected Markup, not {type(value).__name__}")
    out: list[str] = _texts.out
    out.append(str(value))
    return len(out) - 1


def _decode_markup(data: Any) -> Markup:
    if type(data) is not int or data < 0:
        raise _fail("the number of a text", data)
    texts: list[str] = _texts.read
    return Markup(texts[data])


def _encode_any_markup(value: Any) -> str:
    return str(value)


def _decode_any_markup(data: Any) -> Markup:
    if type(data) is not str:
        raise _fail("text", data)
    return Markup(data)


def _encode_float(value: Any) -> float:
    if type(value) is not float:
        raise TypeError(f"expected a float, not {type(value).__name__}")
    return value


def _decode_float(data: Any) -> float:
    if type(data) not in (float, int):
        raise _fail("a number", data)
    return float(data)


def _encode_path(value: Any) -> str:
    if not isinstance(value, Path):
        raise TypeError(f"expected a Path, not {type(value).__name__}")
    return str(value)


def _decode_path(data: Any) -> Path:
    if type(data) is not str:
        raise _fail("a path", data)
    return Path(data)


def _encode_zone(zone: tzinfo | None) -> Any:
    if zone is None:
        return None
    if type(zone) is ZoneInfo:
        if zone.key is None:
            raise TypeError("a time zone read from a file has no name to store")
        return zone.key
    if type(zone) is timezone:
        offset = zone.utcoffset(None)
        if zone.tzname(None) != timezone(offset).tzname(None):
            raise TypeError("a named fixed offset cannot be stored")
        return [offset.days, offset.seconds, offset.microseconds]
    raise TypeError(f"the cache cannot hold a {type(zone).__name__} time zone")


def _decode_zone(data: Any) -> tzinfo | None:
    if data is None:
        return None
    if type(data) is str:
        return ZoneInfo(data)
    if type(data) is list and len(data) == 3 and all(type(part) is int for part in data):
        return timezone(timedelta(data[0], data[1], data[2]))
    raise _fail("a time zone", data)


def _encode_datetime(value: Any) -> list[Any]:
    if type(value) is not datetime:
        raise TypeError(f"expected a datetime, not {type(value).__name__}")
    naive = value.replace(tzinfo=None, fold=0)
    return [naive.isoformat(), value.fold, _encode_zone(value.tzinfo)]


def _decode_datetime(data: Any) -> datetime:
    if type(data) is not list or len(data) != 3 or type(data[0]) is not str:
        raise _fail("a date and time", data)
    text, fold, zone = data
    if fold not in (0, 1) or type(fold) is not int:
        raise _fail("a fold of 0 or 1", fold)
    naive = datetime.fromisoformat(text)
    if naive.tzinfo is not None:
        raise _fail("a local time", text)
    return naive.replace(tzinfo=_decode_zone(zone), fold=fold)


def _encode_date(value: Any) -> str:
    if type(value) is not date:
        raise TypeError(f"expected a date, not {type(value).__name__}")
    return value.isoformat()


def _decode_date(data: Any) -> date:
    if type(data) is not str:
        raise _fail("a date", data)
    return date.fromisoformat(data)


def _encode_time(value: Any) -> str:
    if type(value) is not time or value.tzinfo is not None:
        raise TypeError(f"expected a local time, not {value!r}")
    return value.isoformat()


def _decode_time(data: Any) -> time:
    if type(data) is not str:
        raise _fail("a time", data)
    value = time.fromisoformat(data)
    if value.tzinfo is not None:
        raise _fail("a local time", data)
    return value


_SCALARS: dict[type, tuple[_Encode, _Decode]] = {
    str: _exact(str, "text"),
    int: _exact(int, "a whole number"),
    bool: _exact(bool, "true or false"),
    float: (_encode_float, _decode_float),
    Markup: (_encode_markup, _decode_markup),
    Path: (_encode_path, _decode_path),
    datetime: (_encode_datetime, _decode_datetime),
    date: (_encode_date, _decode_date),
    time: (_encode_time, _decode_time),
}


# --- values of any type: the `extra` settings, as YAML gives them ----------------------------
# JSON's own values stand for themselves; every other value is an object with one tag.


def _encode_any(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, bool, float):
        return value
    if kind is list:
        return {"list": [_encode_any(item) for item in value]}
    if kind is tuple:
        return {"tuple": [_encode_any(item) for item in value]}
    if kind is dict:
        return {"dict": _encode_any_dict(value)}
    if kind is YamlMap:
        return {
            "yaml": [
                _encode_any_dict(value),
                value.line,
                dict(value.key_lines),
                dict(value.raw),
                sorted(value.cut_by_comment),
            ]
        }
    if kind is Markup:
        return {"markup": _encode_any_markup(value)}
    if kind is datetime:
        return {"datetime": _encode_datetime(value)}
    if kind is date:
        return {"date": _encode_date(value)}
    if kind is time:
        return {"time": _encode_time(value)}
    raise TypeError(f"the cache cannot hold a {kind.__name__}")


def _encode_any_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a dict, not {type(value).__name__}")
    encoded = {}
    for key, item in value.items():
        if type(key) is not str:
            raise TypeError(f"a key must be text, not {type(key).__name__}")
        encoded[key] = _encode_any(item)
    return encoded


def _decode_any(data: Any) -> Any:
    kind = type(data)
    if data is None or kind in (str, int, bool, float):
        return data
    if kind is not dict or len(data) != 1:
        raise _fail("a tagged value", data)
    ((tag, inner),) = data.items()
    decode = _ANY_DECODERS.get(tag)
    if decode is None:
        raise DamagedEntry(f"unknown tag {tag!r}")
    return decode(inner)


def _decode_any_dict(data: Any) -> dict[str, Any]:
    if type(data) is not dict:
        raise _fail("an object", data)
    return {key: _decode_any(item) for key, item in data.items()}


def _decode_any_list(data: Any) -> list[Any]:
    if type(data) is not list:
        raise _fail("a list", data)
    return [_decode_any(item) for item in data]


def _decode_yaml_map(data: Any) -> YamlMap:
    if type(data) is not list or len(data) != 5:
        raise _fail("a YAML mapping", data)
    entries, line, key_lines, raw, cut = data
    result = YamlMap(_exact(int, "a line")[1](line))
    result.update(_decode_any_dict(entries))
    if type(key_lines) is not dict or any(type(n) is not int for n in key_lines.values()):
        raise _fail("key lines", key_lines)
    if type(raw) is not dict or any(type(text) is not str for text in raw.values()):
        raise _fail("raw values", raw)
    if type(cut) is not list or any(type(key) is not str for key in cut):
        raise _fail("keys", cut)
    result.key_lines.update(key_lines)
    result.raw.update(raw)
    result.cut_by_comment.update(cut)
    return result


_ANY_DECODERS: dict[str, _Decode] = {
    "list": _decode_any_list,
    "tuple": lambda data: tuple(_decode_any_list(data)),
    "dict": _decode_any_dict,
    "yaml": _decode_yaml_map,
    "markup": _decode_any_markup,
    "datetime": _decode_datetime,
    "date": _decode_date,
    "time": _decode_time,
}
