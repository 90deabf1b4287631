"""Items with the site's base path before the links written in their text ("/about/" becomes
"/library/about/" for a site at https://example.org/library/), as the `url` filter does.

Each copy is made once for the very item it is made from. The preview server keeps the
copies from build to build, so an unchanged post is the same object in every build (what
is planned or digested from it is kept, as for a site at the root). A build lists the
copies with their originals, so the output cache knows each copy by its original's read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any, TypeVar

from markupsafe import Markup

from sitegen import urls
from sitegen.event_model import Event
from sitegen.model import Page, Post

_Item = TypeVar("_Item", Post, Page, Event)


def with_base_path(item: _Item, base_path: str) -> _Item:
    """The item with `base_path` before the site links in its HTML."""
    return replace(
        item,
        content=Markup(urls.prefix_links(item.content, base_path)),
        summary=Markup(urls.prefix_links(item.summary, base_path)),
    )


class BasePathCopies:
    """The copies made for one build, and the last build's, by the identity of the item each
    is made from (the item is held with its copy, so its id stands for no other object)."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, str], tuple[Any, Any]] = {}
        self._used: dict[tuple[int, str], tuple[Any, Any]] = {}

    def start(self) -> None:
        """Begin a build: the copies the last build used are kept for it, older ones dropped."""
        self._last, self._used = self._used, {}

    def copy(self, item: _Item, base_path: str) -> _Item:
        key = (id(item), base_path)
        pair = self._used.get(key) or self._last.get(key)
        if pair is None or pair[0] is not item:
            pair = (item, with_base_path(item, base_path))
        self._used[key] = pair
        result: _Item = pair[1]
        return result

    def made(self) -> Iterator[tuple[Any, Any]]:
        """(item, copy) for each copy this build used."""
        return iter(self._used.values())
