"""From content to the site a visitor sees at the build's `now`.

assemble_site applies the publishing rules, builds tags, archives and the menu, and notes
when the site will next change by itself. Pure: no disk, no clock of its own.
"""

from __future__ import annotations

from sitegen.assemble.publishing import PublishOptions, next_scheduled_post, published_posts
from sitegen.assemble.taxonomy import assemble_tags, assemble_years
from sitegen.config import MenuItem, SiteConfig
from sitegen.model import Content, Page, Site

__all__ = ["PublishOptions", "assemble_site"]


def assemble_site(config: SiteConfig, content: Content, options: PublishOptions) -> Site:
    """The published site: posts newest first, tags, yearly archives, the menu."""
    posts = published_posts(content.posts, options)
    pages = tuple(sorted(content.pages, key=lambda page: page.slug_path))
    return Site(
        config=config,
        now=options.now,
        posts=posts,
        pages=pages,
        tags=assemble_tags(posts),
        years=assemble_years(posts),
        menu=assemble_menu(config, pages),
        next_change=next_scheduled_post(content.posts, options),
        drafts_shown=options.drafts,
    )


def assemble_menu(config: SiteConfig, pages: tuple[Page, ...]) -> tuple[MenuItem, ...]:
    """Pages with a `menu` position, in that order, then the entries from site.yaml."""
    placed = sorted(
        (page for page in pages if page.menu is not None),
        key=lambda page: (page.menu, page.title.casefold()),
    )
    return tuple(MenuItem(page.title, page.url) for page in placed) + config.menu
