"""The HTML pages: home, post listings, posts, pages, tags, archives and the 404 page.

Each page is rendered with `site` (the whole Site), `meta` (title, description, canonical URL,
feeds: what the <head> needs) and the values of its kind, listed in the README.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from sitegen import urls
from sitegen.assemble.pagination import paginate
from sitegen.model import Post, Site
from sitegen.outputs.event_pages import PageSpec, event_pages
from sitegen.outputs.files import OutputFile
from sitegen.outputs.highlight_pages import highlight_pages
from sitegen.outputs.meta import FeedLink, PageMeta
from sitegen.render.environment import Renderer
from sitegen.render.recording import SiteView, recording


def site_feeds(site: Site) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{site.config.title}: news (RSS)", urls.RSS_FEED),
        FeedLink(f"{site.config.title}: news (Atom)", urls.ATOM_FEED, "application/atom+xml"),
    )


def plan_pages(site: Site, renderer: Renderer) -> list[OutputFile]:
    """Every HTML page of the site, rendered."""
    feeds = site_feeds(site)
    description = site.config.description
    files = []
    for template, meta, values, source in _pages(site, description):
        meta = meta.on_site(feeds, site.preview)
        files.append(page_file(renderer, template, site, meta, values, source))
    return files


def page_file(
    renderer: Renderer,
    template: str,
    site: Site,
    meta: PageMeta,
    values: dict[str, Any],
    source: str,
) -> OutputFile:
    """A page rendered from `template` when its bytes are first needed."""
    noted: set[str] = set()
    context = {"site": SiteView(site), "meta": meta, **values}
    inputs = (template, meta, values)
    render = partial(render_page, renderer, template, context, source, noted, inputs)
    return OutputFile(
        urls.output_path(meta.url), source=source, produce=render, inputs=inputs, noted=noted
    )


def render_page(
    renderer: Renderer,
    template: str,
    context: dict[str, Any],
    source: str,
    noted: set[str],
    inputs: tuple[Any, ...],
) -> bytes:
    """A page's bytes, noting in `noted` which parts of the Site the templates read."""
    memory = renderer.memory
    recalled = memory.recall(inputs) if memory is not None else None
    if recalled is not None:
        data, names = recalled
        noted.update(names)
        return data
    noted.clear()
    with recording(noted):
        data = renderer.render(template, context, source).encode("utf-8")
    if memory is not None:
        memory.remember(inputs, noted, data)
    return data


def _pages(site: Site, description: str) -> Iterator[PageSpec]:
    per_page = site.config.per_page
    home = paginate(site.posts, per_page, urls.posts_url)[0]
    yield (
        "home.html",
        PageMeta(urls.HOME, site.config.title, description, "home"),
        {"pager": home},
        "the home page",
    )
    for pager in paginate(site.posts, per_page, urls.posts_url):
        title = "News" if pager.number == 1 else f"News, page {pager.number}"
        meta = PageMeta(pager.url, title, description, "posts")
        yield "posts.html", meta, {"pager": pager}, "the post listing"
    yield from _post_pages(site)
    for page in site.pages:
        meta = PageMeta(page.url, page.title, page.description, "page", image=page.image)
        yield "page.html", meta, {"page": page}, page.source.path
    yield from _tag_pages(site, description)
    yield from _archive_pages(site, description)
    yield from event_pages(site)
    yield from highlight_pages(site)
    meta = PageMeta(urls.NOT_FOUND, "Page not found", description, "404", noindex=True)
    yield "404.html", meta, {}, "the 404 page"


def _post_pages(site: Site) -> Iterator[PageSpec]:
    posts = site.posts
    for index, post in enumerate(posts):
        newer: Post | None = posts[index - 1] if index > 0 else None
        older: Post | None = posts[index + 1] if index + 1 < len(posts) else None
        meta = PageMeta(
            post.url,
            post.title,
            post.description,
            "post",
            type="article",
            image=post.image,
            published=post.date,
            modified=post.modified,
        )
        yield "post.html", meta, {"post": post, "newer": newer, "older": older}, post.source.path


def _tag_pages(site: Site, description: str) -> Iterator[PageSpec]:
    yield "tags.html", PageMeta(urls.TAGS, "Topics", description, "tags"), {}, "the tag index"
    for term in site.tags:
        feed = FeedLink(f"{site.config.title}: {term.name} (RSS)", term.feed_url)
        for pager in paginate(term.posts, site.config.per_page, partial(urls.tag_url, term.slug)):
            title = f"Posts about {term.name}"
            if pager.number > 1:
                title += f", page {pager.number}"
            meta = PageMeta(pager.url, title, description, "tag", feeds=(feed,))
            yield "tag.html", meta, {"term": term, "pager": pager}, f"the tag {term.name}"


def _archive_pages(site: Site, description: str) -> Iterator[PageSpec]:
    yield (
        "archives.html",
        PageMeta(urls.ARCHIVE, "Archive", description, "archives"),
        {},
        ("the archive index"),
    )
    for archive in site.years:
        meta = PageMeta(archive.url, f"Posts from {archive.year}", description, "archive")
        yield "archive.html", meta, {"archive": archive}, f"the {archive.year} archive"
