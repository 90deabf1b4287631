"""What a page says about itself in its <head>: PageMeta, and the feeds it links to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sitegen import urls
from sitegen.model import Image, Site


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

    def on_site(self, feeds: tuple[FeedLink, ...], preview: bool) -> PageMeta:
        """This page's meta with the site's own feeds first, and never indexed in a preview.

        (dataclasses.replace would do, but it is the slowest step of planning a large site.)"""
        changed = {"feeds": feeds + self.feeds, "noindex": self.noindex or preview}
        return PageMeta(**{**self.__dict__, **changed})


def site_feeds(site: Site) -> tuple[FeedLink, ...]:
    """The feeds every page links to: the site's news, as RSS and as Atom."""
    return (
        FeedLink(f"{site.config.title}: news (RSS)", urls.RSS_FEED),
        FeedLink(f"{site.config.title}: news (Atom)", urls.ATOM_FEED, "application/atom+xml"),
    )
