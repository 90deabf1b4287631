"""What a template read while rendering one page, so the page is made again only when that changes.

Templates receive the whole Site, and a theme may show anything from it on any page. Rather
than guess, the page sees the Site through a SiteView that notes each name the template reads
(`menu`, `now`, `events.upcoming`: one level into the event schedule and the highlights), and
the renderer notes each image whose size it looked up. The pages of a tag see it through a
TermView, which notes the tag's posts when they are read. Those names and the page's own
values are its inputs; the output cache compares them with the last build's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sitegen.model import Site, Term

IMAGE = "image:"
TERM = "tag:"  # a tag's posts, noted by its slug (TermView)
# Parts that are always there, so noted one name deeper. Only these: a template can test any
# other part with `is none`, which no view can note (`site.next_change is not none`).
_PARTS = frozenset({"events", "highlights"})

_recording: ContextVar[set[str] | None] = ContextVar("sitegen_recording", default=None)


@contextmanager
def recording(names: set[str]) -> Iterator[None]:
    """Note in `names` what the renders in this block depend on (threads record apart)."""
    token = _recording.set(names)
    try:
        yield
    finally:
        _recording.reset(token)


def note(name: str) -> None:
    """Note that the render in progress (if one is recording) depends on `name`."""
    names = _recording.get()
    if names is not None:
        names.add(name)


class SiteView:
    """The Site as templates see it, noting each name read (only while recording)."""

    # `config` is covered by the digest of the whole build (see render.memory.build_digest),
    # so never noted: a plain attribute, which skips __getattr__ (read a dozen times a page).
    __slots__ = ("_site", "config")

    def __init__(self, site: Site) -> None:
        object.__setattr__(self, "_site", site)
        object.__setattr__(self, "config", site.config)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._site, name)
        if name in _PARTS and dataclasses.is_dataclass(value) and not isinstance(value, type):
            return _PartView(value, name)
        note(name)
        return value


class _PartView:
    """A part of the Site with parts of its own (`site.events`), noted one name deeper."""

    __slots__ = ("_name", "_part")

    def __init__(self, part: Any, name: str) -> None:
        object.__setattr__(self, "_part", part)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str) -> Any:
        note(f"{self._name}.{name}")
        return getattr(self._part, name)

    def _whole(self) -> Any:
        note(self._name)
        return self._part

    def __bool__(self) -> bool:
        return bool(self._whole())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __str__(self) -> str:
        return str(self._whole())

    def __eq__(self, other: object) -> bool:
        return bool(self._whole() == other)

    def __hash__(self) -> int:
        return hash(self._whole())


# What a tag's pages are made from anyway (the tag stands for them in a page's inputs).
_TAG_PARTS = frozenset({"tag", "name", "slug", "url", "feed_url"})


class TermView:
    """A tag as the pages of that tag see it: its name and addresses as they are, anything
    else (its posts) noted when read. A page of a tag that shows only its own posts (`pager`)
    is then made again only when those change, not when any post of the tag does."""

    __slots__ = ("_term",)

    def __init__(self, term: Term) -> None:
        object.__setattr__(self, "_term", term)

    def __getattr__(self, name: str) -> Any:
        if name in _TAG_PARTS:
            return getattr(self._term, name)
        return getattr(self._whole(), name)

    def _whole(self) -> Term:
        note(TERM + self._term.slug)
        return self._term

    def __str__(self) -> str:
        return str(self._whole())

    def __repr__(self) -> str:
        return repr(self._whole())

    def __eq__(self, other: object) -> bool:
        other = other._whole() if isinstance(other, TermView) else other
        return bool(self._whole() == other)

    def __hash__(self) -> int:
        return hash(self._whole())


def dependency(site: Site, image_size: Callable[[str], Any], name: str) -> Any:
    """The current value of a noted name: what a page that read it would see now."""
    if name.startswith(IMAGE):
        return image_size(name.removeprefix(IMAGE))
    if name.startswith(TERM):
        slug = name.removeprefix(TERM)
        return next((term for term in site.tags if term.slug == slug), None)
    value: Any = site
    for part in name.split("."):
        value = getattr(value, part)
    return value
