"""The site's content as plain frozen dataclasses, with no I/O and no templates.

Readers create Post and Page values from files; assemble turns them into a Site: what is
published at the build's `now`, tag pages, archives and the menu. Themes read these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sitegen import urls
from sitegen.config import MenuItem, SiteConfig

if TYPE_CHECKING:
    from sitegen.event_model import Event, EventSchedule
    from sitegen.highlight_model import Highlight, Highlights

NO_HTML = Markup("")


@dataclass(frozen=True)
class SourceRef:
    """Where an item came from: its file relative to the site folder, and a line in it."""

    path: str
    line: int = 1


@dataclass(frozen=True)
class Image:
    src: str
    alt: str


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str

    @property
    def url(self) -> str:
        return urls.tag_url(self.slug)


@dataclass(frozen=True)
class Post:
    """A blog post: news, a book list, a program announcement."""

    source: SourceRef
    title: str
    slug: str
    date: datetime
    content: Markup
    summary: Markup
    description: str
    updated: datetime | None = None
    draft: bool = False
    tags: tuple[Tag, ...] = ()
    authors: tuple[str, ...] = ()
    image: Image | None = None
    toc: Markup = NO_HTML
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def url(self) -> str:
        return urls.post_url(self.slug)

    @property
    def modified(self) -> datetime:
        return self.updated or self.date


@dataclass(frozen=True)
class Page:
    """A standalone page (About, Visit, Contact); `slug_path` is "services/printing" when nested."""

    source: SourceRef
    title: str
    slug_path: str
    content: Markup
    summary: Markup
    description: str
    menu: int | None = None
    image: Image | None = None
    toc: Markup = NO_HTML
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def url(self) -> str:
        return urls.page_url(self.slug_path)


@dataclass(frozen=True)
class Content:
    """Everything read from content/, before publishing rules apply."""

    posts: tuple[Post, ...] = ()
    pages: tuple[Page, ...] = ()
    events: tuple[Event, ...] = ()
    highlights: tuple[Highlight, ...] = ()


# How many pages on each side of the one shown a listing's page links to (see Pager).
NEARBY_PAGES = 2


@dataclass(frozen=True)
class Pager:
    """One page of a paginated listing."""

    number: int
    count: int
    items: tuple[Any, ...]
    urls: tuple[str, ...]

    @property
    def url(self) -> str:
        return self.urls[self.number - 1]

    @property
    def previous_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    @property
    def numbered_urls(self) -> tuple[tuple[int, str], ...]:
        """(1, first page's URL), (2, second page's URL), ...: for links that say "Page 2"."""
        return tuple(enumerate(self.urls, start=1))

    @property
    def nearby_urls(self) -> tuple[tuple[int, str] | None, ...]:
        """(number, URL) of the pages worth a link from this one: the first, the last, and
        those up to NEARBY_PAGES away, in order, with None where numbers are left out.

        A link to every page would give each page of a 400-page listing 400 links: pages
        that grow with the listing, and that much longer to tab through."""
        near = range(
            max(1, self.number - NEARBY_PAGES), min(self.count, self.number + NEARBY_PAGES) + 1
        )
        links: list[tuple[int, str] | None] = []
        previous = 0
        for number in sorted({1, self.count, *near}):
            if number == previous + 2:
                links.append((previous + 1, self.urls[previous]))  # a gap of one: link it
            elif number > previous + 2:
                links.append(None)
            links.append((number, self.urls[number - 1]))
            previous = number
        return tuple(links)


@dataclass(frozen=True)
class Term:
    """A tag with the published posts that carry it, newest first."""

    tag: Tag
    posts: tuple[Post, ...]

    @property
    def name(self) -> str:
        return self.tag.name

    @property
    def slug(self) -> str:
        return self.tag.slug

    @property
    def url(self) -> str:
        return self.tag.url

    @property
    def feed_url(self) -> str:
        return urls.tag_feed_url(self.tag.slug)


@dataclass(frozen=True)
class YearArchive:
    year: int
    posts: tuple[Post, ...]

    @property
    def url(self) -> str:
        return urls.archive_url(self.year)


@dataclass(frozen=True)
class ScheduledChange:
    """The next moment the site changes by itself, such as a scheduled post going live."""

    when: datetime
    what: str
    source: SourceRef


@dataclass(frozen=True)
class Site:
    """What a build publishes at its `now`."""

    config: SiteConfig
    now: datetime
    posts: tuple[Post, ...]
    pages: tuple[Page, ...]
    tags: tuple[Term, ...]
    years: tuple[YearArchive, ...]
    menu: tuple[MenuItem, ...]
    events: EventSchedule
    highlights: Highlights
    next_change: ScheduledChange | None = None
    drafts_shown: bool = False
    future_shown: bool = False
    preview: bool = False

    @cached_property  # every page's footer shows it
    def year(self) -> int:
        """The build's year where the library is (for the footer's ©)."""
        return self.now.astimezone(self.config.timezone).year
