"""Parts of the last Site assembled, given back when made of the very same items.

For the preview server: its read cache gives back the same frozen post for a file that has
not changed, so after a one-post edit most tags and yearly archives are made of the very
posts they were made of before. Given back as the same objects, what is digested or planned
from them once (see render.memory) need not be done again.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, TypeVar

from sitegen.assemble.kept_posts import Published, republish
from sitegen.assemble.publishing import PublishOptions
from sitegen.model import Post, Term, YearArchive

_Part = TypeVar("_Part")


class KeptParts:
    """The published posts, tags and archives of the last build: the posts brought up to date
    (see kept_posts), the tags and archives found again by their posts (the very objects)."""

    def __init__(self) -> None:
        self._last: dict[tuple[Any, ...], Any] = {}
        self._used: dict[tuple[Any, ...], Any] = {}
        self._published: Published | None = None

    def published(self, content: tuple[Post, ...], options: PublishOptions) -> Published:
        """The publishing rules' answer for `content`, from the last build's where it can be."""
        self._published = republish(self._published, content, options)
        return self._published

    def terms(self, terms: Sequence[Term]) -> tuple[Term, ...]:
        return tuple(self._kept(term, (term.name, term.slug), term.posts) for term in terms)

    def years(self, years: Sequence[YearArchive]) -> tuple[YearArchive, ...]:
        return tuple(self._kept(year, year.year, year.posts) for year in years)

    def finish(self) -> None:
        """End the build's assembly: only what it used is kept for the next one."""
        self._last, self._used = self._used, {}

    def _kept(self, part: _Part, key: Hashable, items: Sequence[Any]) -> _Part:
        # The part holds its items, so their ids stand for no other objects while it is kept.
        identities = (key, *map(id, items))
        kept = self._last.get(identities, part)
        self._used[identities] = kept
        return kept
