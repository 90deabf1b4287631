"""The community highlights pages: /highlights/ (paginated), one listing per source at
/highlights/source/ID/, and the images stored with approved highlights.

Only approved highlights reach the Site, so only their images are copied: a picture that
came with a pending or hidden entry is never published.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from sitegen import urls
from sitegen.assemble.pagination import paginate
from sitegen.highlight_model import SourceListing
from sitegen.model import Site
from sitegen.outputs.event_pages import PageSpec
from sitegen.outputs.files import OutputFile
from sitegen.outputs.meta import FeedLink, PageMeta


def highlight_feeds(site: Site) -> tuple[FeedLink, ...]:
    title = f"{site.config.title}: community highlights (RSS)"
    return (FeedLink(title, urls.HIGHLIGHTS_FEED),)


def has_highlights(site: Site) -> bool:
    """Whether the site has highlight pages: some are approved, or sources are set up."""
    return bool(site.highlights.approved or site.config.highlights.sources)


def highlight_pages(site: Site) -> Iterator[PageSpec]:
    """The highlight listings, as (template, meta, values, source)."""
    if not has_highlights(site):
        return
    feeds = highlight_feeds(site)
    description = f"What our community is saying, picked by {site.config.title}."
    per_page = site.config.per_page
    for pager in paginate(site.highlights.approved, per_page, urls.highlights_url):
        title = "Community highlights"
        if pager.number > 1:
            title += f", page {pager.number}"
        meta = PageMeta(pager.url, title, description, "highlights", feeds=feeds)
        values = {"pager": pager, "listing": None}
        yield "highlights.html", meta, values, "the highlights page"
    for listing in site.highlights.by_source:
        yield from _source_pages(listing, site, description, feeds)


def _source_pages(
    listing: SourceListing, site: Site, description: str, feeds: tuple[FeedLink, ...]
) -> Iterator[PageSpec]:
    url_for = partial(urls.highlight_source_url, listing.id)
    for pager in paginate(listing.highlights, site.config.per_page, url_for):
        title = f"Community highlights from {listing.name}"
        if pager.number > 1:
            title += f", page {pager.number}"
        meta = PageMeta(pager.url, title, description, "highlights", feeds=feeds)
        values = {"pager": pager, "listing": listing}
        yield "highlights.html", meta, values, f"the highlights of {listing.id}"


def plan_highlight_images(site: Site) -> list[OutputFile]:
    """The stored images of approved highlights, copied as they are (each once)."""
    files: dict[str, OutputFile] = {}
    for highlight in site.highlights.approved:
        if highlight.image is None or highlight.image_file is None:
            continue
        path = urls.output_path(highlight.image.src)
        files.setdefault(
            path, OutputFile(path, copy_from=highlight.image_file, source=highlight.file.path)
        )
    return list(files.values())
