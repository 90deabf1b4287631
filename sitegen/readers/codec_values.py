"""The plain values of a cache entry, as JSON and back: text, numbers, Markup, paths, dates,
times and zones, and the values of any type that front matter's `extra` settings hold.

Each decoder checks the type of what it is given, so a damaged or foreign entry raises
DamagedEntry (see codec) instead of reaching a page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sitegen.yaml_source import YamlMap

Decode = Callable[[Any], Any]
Encode = Callable[[Any], Any]


class DamagedEntry(ValueError):
    """A cache entry that is not what this version of sitegen writes."""


def fail(expected: str, value: object) -> DamagedEntry:
    return DamagedEntry(f"expected {expected}, not {type(value).__name__}")


# The Markup texts of the entry being written or read, in this thread (see Codec.dumps).
entry_texts = threading.local()


def _exact(kind: type, name: str) -> tuple[Encode, Decode]:
    def check(value: Any) -> Any:
        # bool is an int to Python, and Markup a str: neither may stand in for the other.
        if type(value) is not kind:
            raise fail(name, value)
        return value

    return check, check


def _encode_markup(value: Any) -> int:
    if not isinstance(value, Markup):
        raise TypeError(f"expected Markup, not {type(value).__name__}")
    out: list[str] = entry_texts.out
    out.append(str(value))
    return len(out) - 1


def _decode_markup(data: Any) -> Markup:
    if type(data) is not int or data < 0:
        raise fail("the number of a text", data)
    texts: list[str] = entry_texts.read
    return Markup(texts[data])


def _encode_any_markup(value: Any) -> str:
    return str(value)


def _decode_any_markup(data: Any) -> Markup:
    if type(data) is not str:
        raise fail("text", data)
    return Markup(data)


def _encode_float(value: Any) -> float:
    if type(value) is not float:
        raise TypeError(f"expected a float, not {type(value).__name__}")
    return value


def _decode_float(data: Any) -> float:
    if type(data) not in (float, int):
        raise fail("a number", data)
    return float(data)


def _encode_path(value: Any) -> str:
    if not isinstance(value, Path):
        raise TypeError(f"expected a Path, not {type(value).__name__}")
    return str(value)


def _decode_path(data: Any) -> Path:
    if type(data) is not str:
        raise fail("a path", data)
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
    raise fail("a time zone", data)


def _encode_datetime(value: Any) -> list[Any]:
    if type(value) is not datetime:
        raise TypeError(f"expected a datetime, not {type(value).__name__}")
    naive = value.replace(tzinfo=None, fold=0)
    return [naive.isoformat(), value.fold, _encode_zone(value.tzinfo)]


def _decode_datetime(data: Any) -> datetime:
    if type(data) is not list or len(data) != 3 or type(data[0]) is not str:
        raise fail("a date and time", data)
    text, fold, zone = data
    if fold not in (0, 1) or type(fold) is not int:
        raise fail("a fold of 0 or 1", fold)
    naive = datetime.fromisoformat(text)
    if naive.tzinfo is not None:
        raise fail("a local time", text)
    return naive.replace(tzinfo=_decode_zone(zone), fold=fold)


def _encode_date(value: Any) -> str:
    if type(value) is not date:
        raise TypeError(f"expected a date, not {type(value).__name__}")
    return value.isoformat()


def _decode_date(data: Any) -> date:
    if type(data) is not str:
        raise fail("a date", data)
    return date.fromisoformat(data)


def _encode_time(value: Any) -> str:
    if type(value) is not time or value.tzinfo is not None:
        raise TypeError(f"expected a local time, not {value!r}")
    return value.isoformat()


def _decode_time(data: Any) -> time:
    if type(data) is not str:
        raise fail("a time", data)
    value = time.fromisoformat(data)
    if value.tzinfo is not None:
        raise fail("a local time", data)
    return value


SCALARS: dict[type, tuple[Encode, Decode]] = {
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


def encode_any(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, bool, float):
        return value
    if kind is list:
        return {"list": [encode_any(item) for item in value]}
    if kind is tuple:
        return {"tuple": [encode_any(item) for item in value]}
    if kind is dict:
        return {"dict": encode_any_dict(value)}
    if kind is YamlMap:
        return {
            "yaml": [
                encode_any_dict(value),
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


def encode_any_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a dict, not {type(value).__name__}")
    encoded = {}
    for key, item in value.items():
        if type(key) is not str:
            raise TypeError(f"a key must be text, not {type(key).__name__}")
        encoded[key] = encode_any(item)
    return encoded


def decode_any(data: Any) -> Any:
    kind = type(data)
    if data is None or kind in (str, int, bool, float):
        return data
    if kind is not dict or len(data) != 1:
        raise fail("a tagged value", data)
    ((tag, inner),) = data.items()
    decode = _ANY_DECODERS.get(tag)
    if decode is None:
        raise DamagedEntry(f"unknown tag {tag!r}")
    return decode(inner)


def decode_any_dict(data: Any) -> dict[str, Any]:
    if type(data) is not dict:
        raise fail("an object", data)
    return {key: decode_any(item) for key, item in data.items()}


def _decode_any_list(data: Any) -> list[Any]:
    if type(data) is not list:
        raise fail("a list", data)
    return [decode_any(item) for item in data]


def _decode_yaml_map(data: Any) -> YamlMap:
    if type(data) is not list or len(data) != 5:
        raise fail("a YAML mapping", data)
    entries, line, key_lines, raw, cut = data
    result = YamlMap(_exact(int, "a line")[1](line))
    result.update(decode_any_dict(entries))
    if type(key_lines) is not dict or any(type(n) is not int for n in key_lines.values()):
        raise fail("key lines", key_lines)
    if type(raw) is not dict or any(type(text) is not str for text in raw.values()):
        raise fail("raw values", raw)
    if type(cut) is not list or any(type(key) is not str for key in cut):
        raise fail("keys", cut)
    result.key_lines.update(key_lines)
    result.raw.update(raw)
    result.cut_by_comment.update(cut)
    return result


_ANY_DECODERS: dict[str, Decode] = {
    "list": _decode_any_list,
    "tuple": lambda data: tuple(_decode_any_list(data)),
    "dict": decode_any_dict,
    "yaml": _decode_yaml_map,
    "markup": _decode_any_markup,
    "datetime": _decode_datetime,
    "date": _decode_date,
    "time": _decode_time,
}
