"""The HTML pages: home, post listings, posts, pages, tags, archives and the 404 page.

Each page is rendered with `site` (the whole Site), `meta` (title, description, canonical URL,
feeds: what the <head> needs) and the values of its kind, listed in the README. In the preview
server, pages planned from the very objects of its last build keep their files (see PagePlanner).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, partial

from sitegen import urls
from sitegen.assemble.pagination import page_count, page_items, pager_urls, paginate
from sitegen.model import Page, Pager, Post, Site, Term, YearArchive
from sitegen.outputs.event_pages import PageSpec, event_pages
from sitegen.outputs.highlight_pages import highlight_pages
from sitegen.outputs.meta import FeedLink, PageMeta
from sitegen.outputs.planner import PagePlanner, PlannedPage, PlannedPages, on_site_pages
from sitegen.render.environment import Renderer
from sitegen.render.recording import TermView

# Posts in a run of post pages (see _post_pages).
RUN = 64


def plan_pages(site: Site, renderer: Renderer) -> PlannedPages:
    """Every HTML page of the site, rendered when its bytes are first needed."""
    planner = PagePlanner(site, renderer)
    _pages(site, planner)
    planner.finish()
    return planner.planned


def _pages(site: Site, planner: PagePlanner) -> None:
    """Every page, in the order of the site."""
    description = site.config.description
    feeds, preview = planner.feeds, site.preview
    _listing_pages(site, description, planner)
    _post_pages(site, feeds, planner)
    for page in site.pages:
        planner.on_site((page,), "page", _own_page)
    _tag_pages(site, description, planner)
    _archive_pages(site, description, planner)
    planner.fresh(on_site_pages(event_pages(site), feeds, preview))
    planner.fresh(on_site_pages(highlight_pages(site), feeds, preview))
    meta = PageMeta(urls.NOT_FOUND, "Page not found", description, "404", noindex=True)
    planner.on_site((), "404", _one_page("404.html", meta, "the 404 page"))


def _one_page(template: str, meta: PageMeta, source: str) -> Callable[..., list[PageSpec]]:
    """What plans a page without values of its own, whatever it is kept with."""
    return lambda *_: [(template, meta, {}, source)]


def _listing_pages(site: Site, description: str, planner: PagePlanner) -> None:
    """The home page and the numbered post listings, each kept while its posts are."""
    per_page, posts = site.config.per_page, site.posts
    count = page_count(posts, per_page)
    page_urls = cache(partial(pager_urls, count, urls.posts_url))
    for number in range(count + 1):  # 0: the home page, with the first page's posts
        items = page_items(posts, per_page, max(number, 1))
        make = partial(_listing_page, site, description, number, count, page_urls)
        planner.on_site(items, ("listing", number, count), make)


def _listing_page(
    site: Site,
    description: str,
    number: int,
    count: int,
    page_urls: Callable[[], tuple[str, ...]],
    *items: Post,
) -> list[PageSpec]:
    pager = Pager(max(number, 1), count, items, page_urls())
    if number == 0:
        meta = PageMeta(urls.HOME, site.config.title, description, "home")
        return [("home.html", meta, {"pager": pager}, "the home page")]
    title = "News" if number == 1 else f"News, page {number}"
    meta = PageMeta(pager.url, title, description, "posts")
    return [("posts.html", meta, {"pager": pager}, "the post listing")]


def _own_page(page: Page) -> list[PageSpec]:
    meta = PageMeta(page.url, page.title, page.description, "page", image=page.image)
    return [("page.html", meta, {"page": page}, page.source.path)]


def _post_pages(site: Site, feeds: tuple[FeedLink, ...], planner: PagePlanner) -> None:
    """The post pages, in runs of posts, each run kept while its posts and their neighbours
    are the very same objects (a page a post, each with its own key, was most of a preview
    plan at 4,000 posts)."""
    posts = site.posts
    runs = [
        (posts[max(start - 1, 0) : start + RUN + 1], start == 0, start + RUN >= len(posts))
        for start in range(0, len(posts), RUN)
    ]
    planner.post_runs(runs, partial(_post_page, feeds=feeds, preview=site.preview))


def _post_page(
    post: Post,
    newer: Post | None,
    older: Post | None,
    *,
    feeds: tuple[FeedLink, ...],
    preview: bool,
) -> list[PlannedPage]:
    # The meta as on_site_pages would give it (a post page has no feeds of its own), made
    # once rather than made and then copied: this is done for every post of every build.
    meta = PageMeta(
        post.url,
        post.title,
        post.description,
        "post",
        type="article",
        image=post.image,
        published=post.date,
        modified=post.modified,
        feeds=feeds,
        noindex=preview,
    )
    values = {"post": post, "newer": newer, "older": older}
    # Its meta is made from its values (the post and its neighbours) and the settings alone.
    made_from = ("post.html", post, newer, older, feeds, preview)
    return [(("post.html", meta, values, post.source.path), made_from)]


def _tag_pages(site: Site, description: str, planner: PagePlanner) -> None:
    """The tag index, then each tag's pages, kept while the tag is the last build's (see
    KeptParts: made of the very same posts)."""
    index = PageMeta(urls.TAGS, "Topics", description, "tags")
    # Kept with the very tags (see KeptParts): after an edit of a tagged post, the index is
    # planned again at once, not checked against a digest of every tag first.
    planner.on_site(site.tags, "tags", _one_page("tags.html", index, "the tag index"))
    make = partial(_term_pages, site, description)
    for term in site.tags:
        planner.on_site((term,), "tag", make)


def _term_pages(site: Site, description: str, term: Term) -> Iterator[PageSpec]:
    feed = FeedLink(f"{site.config.title}: {term.name} (RSS)", term.feed_url)
    for pager in paginate(term.posts, site.config.per_page, partial(urls.tag_url, term.slug)):
        title = f"Posts about {term.name}"
        if pager.number > 1:
            title += f", page {pager.number}"
        meta = PageMeta(pager.url, title, description, "tag", feeds=(feed,))
        values = {"term": TermView(term), "pager": pager}
        yield "tag.html", meta, values, f"the tag {term.name}"


def _archive_pages(site: Site, description: str, planner: PagePlanner) -> None:
    """The archive index, then a page a year, kept while the year is the last build's."""
    index = PageMeta(urls.ARCHIVE, "Archive", description, "archives")
    planner.on_site(site.years, "archives", _one_page("archives.html", index, "the archive index"))
    make = partial(_archive_page, description)
    for archive in site.years:
        planner.on_site((archive,), "archive", make)


def _archive_page(description: str, archive: YearArchive) -> list[PageSpec]:
    meta = PageMeta(archive.url, f"Posts from {archive.year}", description, "archive")
    return [("archive.html", meta, {"archive": archive}, f"the {archive.year} archive")]
