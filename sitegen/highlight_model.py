"""Community highlights as plain frozen dataclasses: a Highlight as its file says, and what a
build publishes (Highlights): approved highlights, pinned first then newest first, and one
listing per source. Only approved highlights ever reach a Highlights value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from sitegen import urls
from sitegen.model import NO_HTML, Image, SourceRef

STATUSES = ("pending", "approved", "hidden")


@dataclass(frozen=True)
class CommunitySource:
    """Where highlights come from: a source in site.yaml, or a name staff wrote in a file."""

    id: str
    name: str

    @property
    def url(self) -> str:
        """The page listing this source's highlights."""
        return urls.highlight_source_url(self.id)


@dataclass(frozen=True)
class Highlight:
    """One highlight: a link to something the community wrote, with its moderation status.

    `file` is the highlight's own file (its `id` is the file name without .md); `url` is the
    original it links to. `image_file` is set when the image is stored with the highlights.
    """

    file: SourceRef
    id: str
    title: str
    url: str
    source: CommunitySource | None = None
    author: str = ""
    author_url: str = ""
    date: datetime | None = None
    summary: str = ""
    content: Markup = NO_HTML
    description: str = ""
    image: Image | None = None
    image_file: Path | None = field(default=None, compare=False)
    status: str = "approved"
    pinned: bool = False

    @property
    def approved(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True)
class SourceListing:
    """The approved highlights of one source, for its filter page."""

    source: CommunitySource
    highlights: tuple[Highlight, ...]

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def url(self) -> str:
        return self.source.url


@dataclass(frozen=True)
class Highlights:
    """What a build publishes: approved highlights, pinned first, then newest first."""

    approved: tuple[Highlight, ...] = ()
    by_source: tuple[SourceListing, ...] = ()

    @property
    def url(self) -> str:
        return urls.HIGHLIGHTS

    @property
    def feed_url(self) -> str:
        return urls.HIGHLIGHTS_FEED
