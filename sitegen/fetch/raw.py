"""What parsing a feed gives: RawEntry values (untrusted, not yet cleaned) in a ParsedFeed,
or a FeedError saying why the response is not a usable feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# More entries than any real feed carries; the rest of a huge feed is not even looked at.
MAX_ENTRIES_READ = 500


class FeedError(Exception):
    """Why a response is not a usable feed, in words for the fetch report."""


@dataclass(frozen=True)
class RawEntry:
    """One entry as the feed gave it: untrusted text, HTML and addresses, not yet cleaned.

    `base` is the address relative links in the entry are resolved against.
    """

    base: str
    id: str = ""
    link: str = ""
    title: str = ""
    summary_html: str = ""
    content_html: str = ""
    author: str = ""
    author_url: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    image: str = ""
    image_alt: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    """A feed that parsed: its format, title and entries, and anything odd worth reporting."""

    format: str
    title: str
    entries: tuple[RawEntry, ...]
    warnings: tuple[str, ...] = ()
