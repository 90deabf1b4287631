"""Read items as JSON and back, for the build cache on disk: never pickle, never a name from a file.

Takes what readers give (Post, Page, Event, Highlight, their problems and rendered Markdown)
and gives JSON text; decoding follows the dataclasses' own annotations, so a value of the
wrong type anywhere (a damaged or foreign cache) raises DamagedEntry instead of reaching a
page. Only the types listed in ALLOWED can be made; nothing is imported from what is read.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from enum import Enum
from typing import Any

from sitegen.config import Address, Branch, OpeningHours
from sitegen.errors import Problem, Severity
from sitegen.event_model import Event, Label, OccurrenceChange
from sitegen.highlight_model import CommunitySource, Highlight
from sitegen.model import Image, Page, Post, SourceRef, Tag
from sitegen.readers.codec_values import (
    SCALARS,
    DamagedEntry,
    Decode,
    Encode,
    decode_any,
    decode_any_dict,
    encode_any,
    encode_any_dict,
    entry_texts,
    fail,
)
from sitegen.readers.markdown import RenderedMarkdown

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
        entry_texts.out = out
        try:
            head = json.dumps(
                [self._encode(value), [len(text) for text in out]],
                ensure_ascii=False,
                separators=(",", ":"),
            )
        finally:
            entry_texts.out = None
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
                    raise fail("a length", length)
                texts.append(html[start : start + length])
                start += length
            if start != len(html):
                raise DamagedEntry("the HTML part has another length")
            entry_texts.read = texts
            return self._decode(data)
        except DamagedEntry:
            raise
        except (TypeError, ValueError, KeyError, IndexError, OverflowError, RecursionError) as exc:
            raise DamagedEntry(str(exc)) from None
        finally:
            entry_texts.read = None


_codecs: dict[Any, Codec] = {}


def codec_for(hint: Any) -> Codec:
    """One Codec per type, made on first use."""
    codec = _codecs.get(hint)
    if codec is None:
        codec = _codecs[hint] = Codec(hint)
    return codec


# --- compiling a type into an encoder and a decoder -----------------------------------------

_dataclass_parts: dict[type, tuple[Encode, Decode]] = {}


def _compile(hint: Any) -> tuple[Encode, Decode]:
    if hint is Any:
        return encode_any, decode_any
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
        return encode_any_dict, decode_any_dict
    if isinstance(hint, type):
        if hint in SCALARS:
            return SCALARS[hint]
        if hint in _ENUMS:
            return _enum(hint)
        if hint in ALLOWED:
            return _dataclass(hint)
    raise TypeError(f"the cache cannot hold a {hint!r}")


def _optional(hint: Any) -> tuple[Encode, Decode]:
    options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if len(options) != 1 or len(typing.get_args(hint)) != 2:
        raise TypeError(f"only `X | None` unions are supported, not {hint}")
    encode, decode = _compile(options[0])
    return (
        lambda value: None if value is None else encode(value),
        lambda data: None if data is None else decode(data),
    )


def _sequence(hint: Any, kind: type[tuple[Any, ...]] | type[list[Any]]) -> tuple[Encode, Decode]:
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
            raise fail("a list", data)
        items = [decode(item) for item in data]
        return items if kind is list else tuple(items)

    return encode_items, decode_items


def _fixed_tuple(hints: tuple[Any, ...]) -> tuple[Encode, Decode]:
    parts = [_compile(hint) for hint in hints]
    encoders = [encode for encode, _ in parts]
    decoders = [decode for _, decode in parts]

    def encode_items(value: Any) -> list[Any]:
        if type(value) is not tuple or len(value) != len(parts):
            raise TypeError(f"expected a tuple of {len(parts)}, not {value!r}")
        return [encode(item) for encode, item in zip(encoders, value, strict=True)]

    def decode_items(data: Any) -> tuple[Any, ...]:
        if type(data) is not list or len(data) != len(parts):
            raise fail(f"a list of {len(parts)}", data)
        return tuple([decode(item) for decode, item in zip(decoders, data, strict=True)])

    return encode_items, decode_items


def _dataclass(cls: type) -> tuple[Encode, Decode]:
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

    parts_decode = _decode_fields(cls, names, [hints[name] for name in names], parts)
    _dataclass_parts[cls] = (encode_fields, parts_decode)
    return encode_fields, parts_decode


def _decode_fields(
    cls: type, names: list[str], hints: list[Any], parts: list[tuple[Encode, Decode]]
) -> Decode:
    """A decoder for `cls` written out field by field, as dataclasses writes __init__: one
    call per item is most of the time a warm build spends reading the cache."""
    namespace: dict[str, Any] = {"cls": cls, "fail": fail, "new": object.__new__}
    namespace["set_dict"] = object.__setattr__
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
    if _plain_init(cls):
        # The instance's fields set at once: a frozen dataclass's __init__ sets them one by
        # one through object.__setattr__, four times as long for a post.
        fields = ", ".join(f"{name!r}: v{index}" for index, name in enumerate(names))
        lines += ["    item = new(cls)", f"    set_dict(item, '__dict__', {{{fields}}})"]
        lines.append("    return item")
    else:
        lines.append(f"    return cls({', '.join(f'v{i}' for i in range(len(hints)))})")
    # The source is made from the dataclass's own annotations, never from what is read.
    exec("\n".join(lines), namespace)
    decode_function: Decode = namespace["decode"]
    return decode_function


def _plain_init(cls: type) -> bool:
    """Whether the dataclass's __init__ only stores its fields (one dataclasses wrote, no
    __post_init__, no slots, every field taken by __init__), so an instance can be made by
    setting its __dict__."""
    return (
        cls.__dataclass_params__.init  # type: ignore[attr-defined]
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in vars(cls)
        and all(field.init for field in dataclasses.fields(cls))
    )


def _enum(cls: type[Enum]) -> tuple[Encode, Decode]:
    def encode(value: Any) -> Any:
        if type(value) is not cls:
            raise TypeError(f"expected {cls.__name__}, not {type(value).__name__}")
        return value.value

    return encode, cls
