"""What a page says about itself in its <head>: PageMeta, and the feeds it links to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sitegen.model import Image


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str
    type: str = "application/rss+xml"


@dataclass(frozen=True)
class PageMeta:
    """What every page tells browsers, feed readers and search engines about itself."""

    url: str
    title: str
    description: str
    kind: str
    type: str = "website"
    image: Image | None = None
    published: datetime | None = None
    modified: datetime | None = None
    feeds: tuple[FeedLink, ...] = ()
    noindex: bool = False
