"""Parts of the last Site assembled, brought up to date after a few posts changed.

For the preview server: its read cache gives back the same frozen post for a file that has
not changed, so after a one-post edit the published posts, tags and yearly archives are the
last build's with that post changed (see kept_posts and taxonomy.retag), and the tags and
archives it is not in are the very same objects: what is digested or planned from them once
(see render.memory) need not be done again.
"""

from __future__ import annotations

from typing import TypeVar

from sitegen.assemble.kept_posts import Published, republish
from sitegen.assemble.publishing import PublishOptions
from sitegen.assemble.taxonomy import (
    assemble_tags,
    assemble_years,
    places,
    refile,
    retag,
    same_posts,
)
from sitegen.model import Post, Term, YearArchive


class KeptParts:
    """The published posts, tags and archives of the last build."""

    def __init__(self) -> None:
        self._published: Published | None = None
        self._posts: tuple[Post, ...] = ()  # what the tags and archives were made from
        self._terms: tuple[Term, ...] = ()
        self._years: tuple[YearArchive, ...] = ()

    def published(self, content: tuple[Post, ...], options: PublishOptions) -> Published:
        """The publishing rules' answer for `content`, from the last build's where it can be."""
        last = self._published
        self._published = republish(last, content, options)
        if last is None or last.posts is not self._posts:
            self._posts = ()  # the tags and archives were made of other posts (a base path)
        return self._published

    def taxonomy(self, posts: tuple[Post, ...]) -> tuple[tuple[Term, ...], tuple[YearArchive, ...]]:
        """The tags and yearly archives of `posts`, the published posts of this build."""
        published = self._published
        changed = published.changed if published is not None else None
        if (
            self._posts
            and published is not None
            and published.posts is posts
            and changed is not None
        ):
            place = places(posts)
            terms, years = retag(self._terms, place, changed), refile(self._years, place, changed)
        else:
            terms = self._same(assemble_tags(posts), self._terms)
            years = self._same(assemble_years(posts), self._years)
        self._posts, self._terms, self._years = posts, terms, years
        return terms, years

    @staticmethod
    def _same(made: tuple[_Part, ...], last: tuple[_Part, ...]) -> tuple[_Part, ...]:
        """`made`, with each part the last build made of the very same posts given back."""
        earlier = {_key(part): part for part in last}
        return tuple(_kept(part, earlier.get(_key(part))) for part in made)


_Part = TypeVar("_Part", Term, YearArchive)


def _key(part: Term | YearArchive) -> str | int:
    return part.slug if isinstance(part, Term) else part.year


def _kept(part: _Part, earlier: _Part | None) -> _Part:
    if earlier is None or not same_posts(earlier.posts, part.posts):
        return part
    if isinstance(part, Term) and isinstance(earlier, Term) and earlier.tag != part.tag:
        return part
    return earlier
