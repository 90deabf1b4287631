"""From content to the site a visitor sees at the build's `now`.

assemble_site applies the publishing rules, builds tags, archives and the menu, and notes
when the site will next change by itself. Links written in content ("/about/") get the
site's base path here when it lives in a folder. Pure: no disk, no clock of its own.
"""

from __future__ import annotations

from sitegen.assemble.base_path import BasePathCopies
from sitegen.assemble.highlights import assemble_highlights
from sitegen.assemble.kept import KeptParts
from sitegen.assemble.publishing import PublishOptions, next_scheduled_post, published_posts
from sitegen.assemble.schedule import assemble_schedule, next_event_change
from sitegen.assemble.taxonomy import assemble_tags, assemble_years
from sitegen.config import MenuItem, SiteConfig
from sitegen.model import Content, Page, Post, ScheduledChange, Site

__all__ = ["PublishOptions", "assemble_site"]


def assemble_site(
    config: SiteConfig,
    content: Content,
    options: PublishOptions,
    kept: KeptParts | None = None,
    copies: BasePathCopies | None = None,
) -> Site:
    """The published site: posts newest first, tags, yearly archives, the menu.

    `kept`: the preview server's published posts, tags and archives of its last build, brought
    up to date or given back as the same objects where they are made of the very same posts.
    `copies`: where items with the base path in their links are made (see base_path)."""
    posts, next_post = _published(content, options, kept)
    pages = tuple(sorted(content.pages, key=lambda page: page.slug_path))
    events = content.events
    if config.base_path:
        copies = copies if copies is not None else BasePathCopies()
        copies.start()
        base = config.base_path
        posts = tuple(copies.copy(post, base) for post in posts)
        pages = tuple(copies.copy(page, base) for page in pages)
        events = tuple(copies.copy(event, base) for event in events)
    schedule = assemble_schedule(config, events, options.now)
    changes = [next_post, next_event_change(schedule)]
    if kept is not None:
        tags, years = kept.taxonomy(posts)
    else:
        tags, years = assemble_tags(posts), assemble_years(posts)
    return Site(
        config=config,
        now=options.now,
        posts=posts,
        pages=pages,
        tags=tags,
        years=years,
        menu=assemble_menu(config, pages),
        events=schedule,
        highlights=assemble_highlights(content.highlights),
        next_change=min((c for c in changes if c), key=lambda c: c.when, default=None),
        drafts_shown=options.drafts,
        future_shown=options.future,
        preview=options.preview,
    )


def _published(
    content: Content, options: PublishOptions, kept: KeptParts | None
) -> tuple[tuple[Post, ...], ScheduledChange | None]:
    """The posts a visitor sees, and the next post to go live by itself."""
    if kept is None:
        return published_posts(content.posts, options), next_scheduled_post(content.posts, options)
    published = kept.published(content.posts, options)
    return published.posts, published.next_post


def assemble_menu(config: SiteConfig, pages: tuple[Page, ...]) -> tuple[MenuItem, ...]:
    """Pages with a `menu` position, in that order, then the entries from site.yaml."""
    placed = sorted(
        (page for page in pages if page.menu is not None),
        key=lambda page: (page.menu, page.title.casefold()),
    )
    return tuple(MenuItem(page.title, page.url) for page in placed) + config.menu
